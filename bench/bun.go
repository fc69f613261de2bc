package bench

import (
	"cmp"
	"context"
	"database/sql"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/pgdriver"
)

// bunPeer is bun: its PostgreSQL dialect over its own driver, pgdriver, or
// its SQLite dialect over modernc.org/sqlite.
type bunPeer struct{ db *bun.DB }

// OpenBunPostgres opens bun's pgdialect over pgdriver.
func OpenBunPostgres(ctx context.Context, loc Location) (Peer, error) {
	conn := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(loc.DSN)))
	return &bunPeer{db: bun.NewDB(conn, pgdialect.New())}, nil
}

// OpenBunSQLite opens bun's sqlitedialect over modernc.org/sqlite.
func OpenBunSQLite(ctx context.Context, loc Location) (Peer, error) {
	conn, err := sql.Open("sqlite", SQLiteDSN(loc.Path))
	if err != nil {
		return nil, err
	}
	return &bunPeer{db: bun.NewDB(conn, sqlitedialect.New())}, nil
}

func (p *bunPeer) Close() error { return p.db.Close() }

func (p *bunPeer) Insert(ctx context.Context, it *Item) error {
	_, err := p.db.NewInsert().Model(it).Exec(ctx)
	return err
}

func (p *bunPeer) InsertMulti(ctx context.Context, items []*Item) error {
	_, err := p.db.NewInsert().Model(&items).Exec(ctx)
	return err
}

func (p *bunPeer) Update(ctx context.Context, it *Item) error {
	_, err := p.db.NewUpdate().Model(it).WherePK().Exec(ctx)
	return err
}

func (p *bunPeer) Read(ctx context.Context, id int64) (*Item, error) {
	it := new(Item)
	if err := p.db.NewSelect().Model(it).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, err
	}
	return it, nil
}

func (p *bunPeer) ReadSlice(ctx context.Context) ([]*Item, error) {
	var items []*Item
	err := p.db.NewSelect().Model(&items).Where("id > ?", 0).Limit(SliceRows).Scan(ctx)
	return items, err
}

func (p *bunPeer) Query(ctx context.Context) ([]*Item, error) {
	var items []*Item
	err := p.db.NewSelect().Model(&items).Where("age >= ?", QueryMinAge).Where("active = ?", true).
		Order("counter DESC").Limit(QueryLimit).Scan(ctx)
	return items, err
}

func (p *bunPeer) Eager(ctx context.Context) ([]*Author, error) {
	var authors []*Author
	err := p.db.NewSelect().Model(&authors).Relation("Books").Order("id").Limit(SeedAuthors).Scan(ctx)
	return authors, err
}

// Unit runs in RunInTx: the authors selected by their keys (bun.In), the
// renamed ones written with one bulk UPDATE of the name column (bun's
// Bulk: a VALUES list joined by key), the books' slice inserted with one
// multi-row INSERT, and the book deleted by key.
func (p *bunPeer) Unit(ctx context.Context, w *UnitWork) error {
	return p.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var authors []*Author
		if err := tx.NewSelect().Model(&authors).Where("id IN (?)", bun.In(w.Keys)).Scan(ctx); err != nil {
			return err
		}
		if len(authors) != len(w.Keys) {
			return errUnitLoad
		}
		renamed := make([]*Author, 0, len(authors))
		for _, a := range authors {
			if a.ID%2 == 0 {
				a.Name = w.Name
				renamed = append(renamed, a)
			}
		}
		if len(renamed) > 0 {
			if _, err := tx.NewUpdate().Model(&renamed).Column("name").Bulk().Exec(ctx); err != nil {
				return err
			}
		}
		if _, err := tx.NewInsert().Model(&w.Books).Exec(ctx); err != nil {
			return err
		}
		res, err := tx.NewDelete().Model((*Book)(nil)).Where("id = ?", w.Delete).Exec(ctx)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return cmp.Or(err, errUnitDelete)
		}
		return nil
	})
}
