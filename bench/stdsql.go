package bench

import (
	"cmp"
	"context"
	"database/sql"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// stdPeer is database/sql used by hand: over pgx's stdlib driver on
// PostgreSQL (which keeps pgx's statement cache), over modernc.org/sqlite
// on SQLite, there the yardstick. With prepared set (SQLite only), every
// statement is prepared once, by hand, and reused.
type stdPeer struct {
	db     *sql.DB
	s      *sqlText
	multi  string
	unitIn string // the select of UnitLoads authors by key
	unitBk string // the INSERT of UnitInserts books

	prepared                                       bool
	insert, update, read, readSlice, query, author *sql.Stmt
	unitAuthors, renameAuth, insertBooks, delBook  *sql.Stmt
	multiStmts, bookStmts                          map[int]*sql.Stmt
	readNStmts                                     map[int]*sql.Stmt // ReadN's by size, Stream's at 0
}

func newStdPeer(db *sql.DB, s *sqlText) *stdPeer {
	p := &stdPeer{db: db, s: s, multi: s.insertMulti(MultiRows), unitIn: s.unitAuthors, unitBk: s.insertBooks(UnitInserts)}
	if !s.dollar {
		p.unitIn = s.unitAuthorsIn(UnitLoads)
	}
	return p
}

// OpenStdPostgres opens database/sql over pgx's stdlib driver.
func OpenStdPostgres(ctx context.Context, loc Location) (Peer, error) {
	db, err := sql.Open("pgx", loc.DSN)
	if err != nil {
		return nil, err
	}
	return newStdPeer(db, &postgresSQL), nil
}

// OpenStdSQLite returns the opener of database/sql over modernc.org/sqlite,
// with statements prepared by hand or not.
func OpenStdSQLite(prepared bool) func(ctx context.Context, loc Location) (Peer, error) {
	return func(ctx context.Context, loc Location) (Peer, error) {
		db, err := sql.Open("sqlite", SQLiteDSN(loc.Path))
		if err != nil {
			return nil, err
		}
		p := newStdPeer(db, &sqliteSQL)
		if prepared {
			if err := p.prepare(ctx); err != nil {
				db.Close()
				return nil, err
			}
		}
		return p, nil
	}
}

func (p *stdPeer) prepare(ctx context.Context) error {
	p.prepared = true
	p.multiStmts = map[int]*sql.Stmt{}
	p.bookStmts = map[int]*sql.Stmt{}
	p.readNStmts = map[int]*sql.Stmt{}
	for _, x := range []struct {
		st  **sql.Stmt
		sql string
	}{
		{&p.insert, p.s.insert}, {&p.update, p.s.update}, {&p.read, p.s.read},
		{&p.readSlice, p.s.readSlice}, {&p.query, p.s.query}, {&p.author, p.s.authors},
		{&p.unitAuthors, p.unitIn}, {&p.renameAuth, p.s.renameAuth}, {&p.insertBooks, p.unitBk},
		{&p.delBook, p.s.deleteBook},
	} {
		st, err := p.db.PrepareContext(ctx, x.sql)
		if err != nil {
			return err
		}
		*x.st = st
	}
	return nil
}

// stmt returns the statement prepared for sql in m, preparing it once.
func (p *stdPeer) stmt(ctx context.Context, m map[int]*sql.Stmt, n int, query string) (*sql.Stmt, error) {
	if st, ok := m[n]; ok {
		return st, nil
	}
	st, err := p.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	m[n] = st
	return st, nil
}

func (p *stdPeer) Close() error { return p.db.Close() } // closes the statements too

func (p *stdPeer) queryRow(ctx context.Context, st *sql.Stmt, query string, args ...any) *sql.Row {
	if st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.db.QueryRowContext(ctx, query, args...)
}

func (p *stdPeer) queryRows(ctx context.Context, st *sql.Stmt, query string, args ...any) (*sql.Rows, error) {
	if st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.db.QueryContext(ctx, query, args...)
}

// Insert reads the key back with RETURNING on PostgreSQL; on SQLite it
// runs an Exec and takes LastInsertId, as hand-written code does.
func (p *stdPeer) Insert(ctx context.Context, it *Item) error {
	if p.s.dollar {
		return p.queryRow(ctx, p.insert, p.s.insert,
			it.Name, it.Title, it.Fax, it.Web, it.Age, it.Active, it.Counter).Scan(&it.ID)
	}
	args := []any{it.Name, it.Title, it.Fax, it.Web, it.Age, it.Active, it.Counter}
	var res sql.Result
	var err error
	if p.insert != nil {
		res, err = p.insert.ExecContext(ctx, args...)
	} else {
		res, err = p.db.ExecContext(ctx, p.s.insert, args...)
	}
	if err != nil {
		return err
	}
	it.ID, err = res.LastInsertId()
	return err
}

func (p *stdPeer) InsertMulti(ctx context.Context, items []*Item) error {
	query := p.multi
	if len(items) != MultiRows {
		query = p.s.insertMulti(len(items))
	}
	var st *sql.Stmt
	if p.prepared {
		var err error
		if st, err = p.stmt(ctx, p.multiStmts, len(items), query); err != nil {
			return err
		}
	}
	args := make([]any, 0, len(items)*7)
	for _, it := range items {
		args = itemArgs(args, it)
	}
	rows, err := p.queryRows(ctx, st, query, args...)
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

func (p *stdPeer) Update(ctx context.Context, it *Item) error {
	args := []any{it.Name, it.Title, it.Fax, it.Web, it.Age, it.Active, it.Counter, it.ID}
	var err error
	if p.update != nil {
		_, err = p.update.ExecContext(ctx, args...)
	} else {
		_, err = p.db.ExecContext(ctx, p.s.update, args...)
	}
	return err
}

func (p *stdPeer) Read(ctx context.Context, id int64) (*Item, error) {
	it := new(Item)
	err := p.queryRow(ctx, p.read, p.s.read, id).Scan(
		&it.ID, &it.Name, &it.Title, &it.Fax, &it.Web, &it.Age, &it.Active, &it.Counter)
	if err != nil {
		return nil, err
	}
	return it, nil
}

func (p *stdPeer) ReadSlice(ctx context.Context) ([]*Item, error) {
	rows, err := p.queryRows(ctx, p.readSlice, p.s.readSlice, 0)
	if err != nil {
		return nil, err
	}
	return scanStdItems(rows, SliceRows)
}

func (p *stdPeer) Query(ctx context.Context) ([]*Item, error) {
	rows, err := p.queryRows(ctx, p.query, p.s.query, QueryMinAge, true)
	if err != nil {
		return nil, err
	}
	return scanStdItems(rows, QueryLimit)
}

func scanStdItems(rows *sql.Rows, limit int) ([]*Item, error) {
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

func (p *stdPeer) Eager(ctx context.Context) ([]*Author, error) {
	rows, err := p.queryRows(ctx, p.author, p.s.authors)
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
	byID := make(map[int64]*Author, len(authors))
	for _, a := range authors {
		byID[a.ID] = a
	}
	if len(authors) == 0 {
		return authors, nil
	}
	if rows, err = p.books(ctx, authors); err != nil {
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

// books selects the books of authors: = ANY($1) with one array on
// PostgreSQL, an IN list on SQLite.
func (p *stdPeer) books(ctx context.Context, authors []*Author) (*sql.Rows, error) {
	if p.s.dollar {
		ids := make([]int64, len(authors))
		for i, a := range authors {
			ids[i] = a.ID
		}
		return p.db.QueryContext(ctx, p.s.books, ids)
	}
	args := make([]any, len(authors))
	for i, a := range authors {
		args[i] = a.ID
	}
	if !p.prepared {
		return p.db.QueryContext(ctx, p.s.booksIn(len(authors)), args...)
	}
	st, ok := p.bookStmts[len(authors)]
	if !ok {
		var err error
		if st, err = p.stmt(ctx, p.bookStmts, len(authors), p.s.booksIn(len(authors))); err != nil {
			return nil, err
		}
	}
	return st.QueryContext(ctx, args...)
}

// Unit runs in one transaction: the authors in one statement (= ANY($1) on
// PostgreSQL, an IN list on SQLite), an UPDATE of the name of each renamed
// author, the multi-row INSERT of the books and the DELETE; with prepared
// set, each through its prepared statement bound to the transaction.
func (p *stdPeer) Unit(ctx context.Context, w *UnitWork) error {
	tx, err := p.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := p.unit(ctx, tx, w); err != nil {
		return err
	}
	return tx.Commit()
}

func (p *stdPeer) unit(ctx context.Context, tx *sql.Tx, w *UnitWork) error {
	var rows *sql.Rows
	var err error
	if p.s.dollar {
		rows, err = tx.QueryContext(ctx, p.unitIn, w.Keys)
	} else {
		args := make([]any, len(w.Keys))
		for i, k := range w.Keys {
			args[i] = k
		}
		if len(w.Keys) == UnitLoads {
			rows, err = txQuery(ctx, tx, p.unitAuthors, p.unitIn, args...)
		} else {
			rows, err = tx.QueryContext(ctx, p.s.unitAuthorsIn(len(w.Keys)), args...)
		}
	}
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
	for _, a := range authors {
		if a.ID%2 == 0 {
			a.Name = w.Name
			if _, err := txExec(ctx, tx, p.renameAuth, p.s.renameAuth, a.Name, a.ID); err != nil {
				return err
			}
		}
	}
	args := make([]any, 0, len(w.Books)*3)
	for _, bk := range w.Books {
		args = bookArgs(args, bk)
	}
	if len(w.Books) == UnitInserts {
		rows, err = txQuery(ctx, tx, p.insertBooks, p.unitBk, args...)
	} else {
		rows, err = tx.QueryContext(ctx, p.s.insertBooks(len(w.Books)), args...)
	}
	if err != nil {
		return err
	}
	i := 0
	for rows.Next() {
		if err := rows.Scan(&w.Books[i].ID); err != nil {
			rows.Close()
			return err
		}
		i++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if i != len(w.Books) {
		return errShort
	}
	res, err := txExec(ctx, tx, p.delBook, p.s.deleteBook, w.Delete)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return cmp.Or(err, errUnitDelete)
	}
	return nil
}

// txQuery runs query in tx, through st when it was prepared.
func txQuery(ctx context.Context, tx *sql.Tx, st *sql.Stmt, query string, args ...any) (*sql.Rows, error) {
	if st != nil {
		return tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return tx.QueryContext(ctx, query, args...)
}

// txExec runs query in tx, through st when it was prepared.
func txExec(ctx context.Context, tx *sql.Tx, st *sql.Stmt, query string, args ...any) (sql.Result, error) {
	if st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}
