package bench

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// pgxPeer is the yardstick on PostgreSQL: pgx v5 through pgxpool,
// hand-written SQL, scanning straight into fields, pgx's default statement
// cache.
type pgxPeer struct {
	pool  *pgxpool.Pool
	multi string // the INSERT of MultiRows rows
	books string // the INSERT of UnitInserts books
}

// OpenPgx opens the raw pgx peer.
func OpenPgx(ctx context.Context, loc Location) (Peer, error) {
	pool, err := pgxpool.New(ctx, loc.DSN)
	if err != nil {
		return nil, err
	}
	return &pgxPeer{pool: pool, multi: postgresSQL.insertMulti(MultiRows),
		books: postgresSQL.insertBooks(UnitInserts)}, nil
}

func (p *pgxPeer) Close() error { p.pool.Close(); return nil }

func (p *pgxPeer) Insert(ctx context.Context, it *Item) error {
	return p.pool.QueryRow(ctx, postgresSQL.insert,
		it.Name, it.Title, it.Fax, it.Web, it.Age, it.Active, it.Counter).Scan(&it.ID)
}

func (p *pgxPeer) InsertMulti(ctx context.Context, items []*Item) error {
	query := p.multi
	if len(items) != MultiRows {
		query = postgresSQL.insertMulti(len(items))
	}
	args := make([]any, 0, len(items)*7)
	for _, it := range items {
		args = itemArgs(args, it)
	}
	rows, err := p.pool.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		if err := rows.Scan(&items[i].ID); err != nil {
			return err
		}
		i++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if i != len(items) {
		return errShort
	}
	return nil
}

func (p *pgxPeer) Update(ctx context.Context, it *Item) error {
	_, err := p.pool.Exec(ctx, postgresSQL.update,
		it.Name, it.Title, it.Fax, it.Web, it.Age, it.Active, it.Counter, it.ID)
	return err
}

func (p *pgxPeer) Read(ctx context.Context, id int64) (*Item, error) {
	it := new(Item)
	err := p.pool.QueryRow(ctx, postgresSQL.read, id).Scan(
		&it.ID, &it.Name, &it.Title, &it.Fax, &it.Web, &it.Age, &it.Active, &it.Counter)
	if err != nil {
		return nil, err
	}
	return it, nil
}

func (p *pgxPeer) ReadSlice(ctx context.Context) ([]*Item, error) {
	rows, err := p.pool.Query(ctx, postgresSQL.readSlice, 0)
	if err != nil {
		return nil, err
	}
	return scanPgxItems(rows, SliceRows)
}

func (p *pgxPeer) Query(ctx context.Context) ([]*Item, error) {
	rows, err := p.pool.Query(ctx, postgresSQL.query, QueryMinAge, true)
	if err != nil {
		return nil, err
	}
	return scanPgxItems(rows, QueryLimit)
}

func scanPgxItems(rows pgx.Rows, limit int) ([]*Item, error) {
	defer rows.Close()
	items := make([]*Item, 0, limit)
	for rows.Next() {
		it := new(Item)
		if err := rows.Scan(&it.ID, &it.Name, &it.Title, &it.Fax, &it.Web, &it.Age, &it.Active, &it.Counter); err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	return items, rows.Err()
}

func (p *pgxPeer) Eager(ctx context.Context) ([]*Author, error) {
	rows, err := p.pool.Query(ctx, postgresSQL.authors)
	if err != nil {
		return nil, err
	}
	authors := make([]*Author, 0, SeedAuthors)
	for rows.Next() {
		a := new(Author)
		if err := rows.Scan(&a.ID, &a.Name); err != nil {
			rows.Close()
			return nil, err
		}
		authors = append(authors, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ids := make([]int64, len(authors))
	byID := make(map[int64]*Author, len(authors))
	for i, a := range authors {
		ids[i] = a.ID
		byID[a.ID] = a
	}
	rows, err = p.pool.Query(ctx, postgresSQL.books, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		bk := new(Book)
		if err := rows.Scan(&bk.ID, &bk.AuthorID, &bk.Title, &bk.Pages); err != nil {
			return nil, err
		}
		a := byID[bk.AuthorID]
		a.Books = append(a.Books, bk)
	}
	return authors, rows.Err()
}

// Unit loads the authors with one = ANY($1), then sends the writes in one
// pgx.Batch, one round trip: an UPDATE of the name of each renamed author,
// the multi-row INSERT of the books and the DELETE.
func (p *pgxPeer) Unit(ctx context.Context, w *UnitWork) error {
	return pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, postgresSQL.unitAuthors, w.Keys)
		if err != nil {
			return err
		}
		authors := make([]*Author, 0, len(w.Keys))
		for rows.Next() {
			a := new(Author)
			if err := rows.Scan(&a.ID, &a.Name); err != nil {
				rows.Close()
				return err
			}
			authors = append(authors, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(authors) != len(w.Keys) {
			return errUnitLoad
		}
		var batch pgx.Batch
		for _, a := range authors {
			if a.ID%2 == 0 {
				a.Name = w.Name
				batch.Queue(postgresSQL.renameAuth, a.Name, a.ID)
			}
		}
		query := p.books
		if len(w.Books) != UnitInserts {
			query = postgresSQL.insertBooks(len(w.Books))
		}
		args := make([]any, 0, len(w.Books)*3)
		for _, bk := range w.Books {
			args = bookArgs(args, bk)
		}
		batch.Queue(query, args...).Query(func(rows pgx.Rows) error {
			i := 0
			for rows.Next() {
				if err := rows.Scan(&w.Books[i].ID); err != nil {
					return err
				}
				i++
			}
			if err := rows.Err(); err != nil {
				return err
			}
			if i != len(w.Books) {
				return errShort
			}
			return nil
		})
		batch.Queue(postgresSQL.deleteBook, w.Delete).Exec(func(ct pgconn.CommandTag) error {
			if ct.RowsAffected() != 1 {
				return errUnitDelete
			}
			return nil
		})
		return tx.SendBatch(ctx, &batch).Close()
	})
}
