package bench

import (
	"context"
	"database/sql"
	"strconv"
)

// Scaler is implemented by the peers of the scale and streaming series:
// genrepo and the yardsticks (pgx, database/sql).
type Scaler interface {
	// ReadN returns n rows: id > 0, LIMIT n, the limit written as a
	// literal by the hand-written peers.
	ReadN(ctx context.Context, n int) ([]*Item, error)
	// Stream reads every row of item in key order, one at a time, and
	// hands each to f; it keeps none. It stops at f's first error.
	Stream(ctx context.Context, f func(*Item) error) error
}

var (
	_ Scaler = (*pgxPeer)(nil)
	_ Scaler = (*stdPeer)(nil)
	_ Scaler = (*genrepoPeer)(nil)
)

// readNSQL returns readN's SQL for each of ScaleRows, as a hand-written
// query would have one constant per size.
func readNSQL(dollar bool) map[int]string {
	ph := "?"
	if dollar {
		ph = "$1"
	}
	m := map[int]string{}
	for _, n := range ScaleRows {
		m[n] = "SELECT " + itemCols + " FROM item WHERE id > " + ph + " LIMIT " + strconv.Itoa(n)
	}
	return m
}

var (
	pgReadN     = readNSQL(true)
	sqliteReadN = readNSQL(false)
)

// streamSQL reads every row of item in key order.
const streamSQL = "SELECT " + itemCols + " FROM item ORDER BY id"

func (p *pgxPeer) ReadN(ctx context.Context, n int) ([]*Item, error) {
	rows, err := p.pool.Query(ctx, pgReadN[n], 0)
	if err != nil {
		return nil, err
	}
	return scanPgxItems(rows, n)
}

func (p *pgxPeer) Stream(ctx context.Context, f func(*Item) error) error {
	rows, err := p.pool.Query(ctx, streamSQL)
	if err != nil {
		return err
	}
	defer rows.Close()
	var it Item
	scan := []any{&it.ID, &it.Name, &it.Title, &it.Fax, &it.Web, &it.Age, &it.Active, &it.Counter}
	for rows.Next() {
		if err := rows.Scan(scan...); err != nil {
			return err
		}
		if err := f(&it); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (p *stdPeer) readNText(n int) string {
	if p.s.dollar {
		return pgReadN[n]
	}
	return sqliteReadN[n]
}

func (p *stdPeer) ReadN(ctx context.Context, n int) ([]*Item, error) {
	query := p.readNText(n)
	var st *sql.Stmt
	if p.prepared {
		var err error
		if st, err = p.stmt(ctx, p.readNStmts, n, query); err != nil {
			return nil, err
		}
	}
	rows, err := p.queryRows(ctx, st, query, 0)
	if err != nil {
		return nil, err
	}
	return scanStdItems(rows, n)
}

func (p *stdPeer) Stream(ctx context.Context, f func(*Item) error) error {
	var st *sql.Stmt
	if p.prepared {
		var err error
		if st, err = p.stmt(ctx, p.readNStmts, 0, streamSQL); err != nil {
			return err
		}
	}
	rows, err := p.queryRows(ctx, st, streamSQL)
	if err != nil {
		return err
	}
	defer rows.Close()
	var it Item
	for rows.Next() {
		if err := rows.Scan(&it.ID, &it.Name, &it.Title, &it.Fax, &it.Web, &it.Age, &it.Active, &it.Counter); err != nil {
			return err
		}
		if err := f(&it); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (p *genrepoPeer) ReadN(ctx context.Context, n int) ([]*Item, error) {
	return p.items.Where(Items.ID.Gt(0)).Limit(int64(n)).All(ctx)
}

// Stream reads through Iter, which yields each row as it arrives.
func (p *genrepoPeer) Stream(ctx context.Context, f func(*Item) error) error {
	for it, err := range p.items.Query().OrderBy(Items.ID.Asc()).Iter(ctx) {
		if err != nil {
			return err
		}
		if err := f(it); err != nil {
			return err
		}
	}
	return nil
}
