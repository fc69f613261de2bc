package model

import (
	"context"

	"github.com/genrepo/genrepo/dialect"
)

// Bound is an executor that carries a model: a handle returned by Bind, a
// connection or transaction begun from one, or a unit of work's
// transaction.
type Bound interface {
	dialect.Executor
	// Model returns the model the executor carries.
	Model() *Model
}

// Of returns the model ex carries, or nil for a plain executor, which
// means no cascades, no deletion of orphans and nothing followed.
func Of(ex dialect.Executor) *Model {
	if b, ok := ex.(Bound); ok {
		return b.Model()
	}
	return nil
}

// Bind returns db carrying the model: repositories and units of work on
// it, and on the connections and transactions begun from it, read the
// model's cascades, orphan rules and followed relations. DDL that writes
// the cascades' ON DELETE is the model's own (m.CreateAll): mapped.CreateAll
// writes each column's declared ON DELETE, bound handle or not. Binding
// costs no round trip and shares db's pool; Close closes db. The bound
// handle offers what db offers, and no more: it sends statement batches
// in one round trip (dialect.Batcher), and tells the rowid of an inserted
// row (dialect.RowIDInserter), exactly when db does.
func (m *Model) Bind(db dialect.DB) dialect.DB {
	b := &boundDB{db, m}
	if _, ok := db.(dialect.Batcher); ok {
		return batchingDB{b}
	}
	if ri, ok := db.(dialect.RowIDInserter); ok {
		return rowidDB{b, ri}
	}
	return b
}

// rowidDB, rowidConn and rowidTx are bound handles whose database tells
// the rowid of an inserted row.
type (
	rowidDB struct {
		*boundDB
		dialect.RowIDInserter
	}
	rowidConn struct {
		*boundConn
		dialect.RowIDInserter
	}
	rowidTx struct {
		*boundTx
		dialect.RowIDInserter
	}
)

type boundDB struct {
	dialect.DB
	m *Model
}

func (b *boundDB) Model() *Model { return b.m }

func (b *boundDB) Begin(ctx context.Context, opts dialect.TxOptions) (dialect.Tx, error) {
	tx, err := b.DB.Begin(ctx, opts)
	if err != nil {
		return nil, err
	}
	return bindTx(tx, b.m), nil
}

func (b *boundDB) Conn(ctx context.Context) (dialect.Conn, error) {
	c, err := b.DB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	bc := &boundConn{c, b.m}
	if _, ok := c.(dialect.Batcher); ok {
		return batchingConn{bc}, nil
	}
	if ri, ok := c.(dialect.RowIDInserter); ok {
		return rowidConn{bc, ri}, nil
	}
	return bc, nil
}

type batchingDB struct{ *boundDB }

func (b batchingDB) SendBatch(ctx context.Context, stmts []dialect.Statement) error {
	return b.DB.(dialect.Batcher).SendBatch(ctx, stmts)
}

type boundConn struct {
	dialect.Conn
	m *Model
}

func (b *boundConn) Model() *Model { return b.m }

func (b *boundConn) Begin(ctx context.Context, opts dialect.TxOptions) (dialect.Tx, error) {
	tx, err := b.Conn.Begin(ctx, opts)
	if err != nil {
		return nil, err
	}
	return bindTx(tx, b.m), nil
}

type batchingConn struct{ *boundConn }

func (b batchingConn) SendBatch(ctx context.Context, stmts []dialect.Statement) error {
	return b.Conn.(dialect.Batcher).SendBatch(ctx, stmts)
}

// bindTx returns tx carrying m, a Batcher and a RowIDInserter exactly
// when tx is one.
func bindTx(tx dialect.Tx, m *Model) dialect.Tx {
	b := &boundTx{tx, m}
	if _, ok := tx.(dialect.Batcher); ok {
		return batchingTx{b}
	}
	if ri, ok := tx.(dialect.RowIDInserter); ok {
		return rowidTx{b, ri}
	}
	return b
}

type boundTx struct {
	dialect.Tx
	m *Model
}

func (b *boundTx) Model() *Model { return b.m }

func (b *boundTx) Savepoint(ctx context.Context) (dialect.Tx, error) {
	tx, err := b.Tx.Savepoint(ctx)
	if err != nil {
		return nil, err
	}
	return bindTx(tx, b.m), nil
}

type batchingTx struct{ *boundTx }

func (b batchingTx) SendBatch(ctx context.Context, stmts []dialect.Statement) error {
	return b.Tx.(dialect.Batcher).SendBatch(ctx, stmts)
}
