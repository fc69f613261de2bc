package uow_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/uow"
)

// fewParams is SQLite under a lower parameter limit: a dialect of the same
// name with other features, as a program tuning a dialect by embedding it
// makes.
type fewParams struct{ dialect.Dialect }

var fewParamsFeatures = func() dialect.Features {
	f := *sqlite.Dialect().Features()
	f.MaxParams = 999
	return f
}()

func (fewParams) Features() *dialect.Features { return &fewParamsFeatures }

// tunedDB and tunedTx are a SQLite database and its transactions whose
// statements are written for fewParams.
type tunedDB struct{ dialect.DB }

func (tunedDB) Dialect() dialect.Dialect { return fewParams{sqlite.Dialect()} }

func (d tunedDB) Begin(ctx context.Context, opts dialect.TxOptions) (dialect.Tx, error) {
	tx, err := d.DB.Begin(ctx, opts)
	if err != nil {
		return nil, err
	}
	return tunedTx{tx}, nil
}

type tunedTx struct{ dialect.Tx }

func (tunedTx) Dialect() dialect.Dialect { return fewParams{sqlite.Dialect()} }

func (t tunedTx) Savepoint(ctx context.Context) (dialect.Tx, error) {
	sp, err := t.Tx.Savepoint(ctx)
	if err != nil {
		return nil, err
	}
	return tunedTx{sp}, nil
}

// Units share statement text per dialect; a unit on a dialect of the same
// name but other features must write for its own features.
func TestUnitOnOtherFeatures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.SQLite(t) // the dialect tuned is SQLite's
	if err := mapped.CreateAll(ctx, db, labels.Table); err != nil {
		t.Fatal(err)
	}
	add := func(db dialect.DB, n int) error {
		return uow.Run(ctx, db, func(u *uow.Unit) error {
			for i := range n {
				if err := uow.Add(u, labels.Table, &label{Name: fmt.Sprint("l", i)}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := add(db, 1); err != nil {
		t.Fatalf("unit on SQLite: %v", err)
	}
	if err := add(tunedDB{db}, 1200); err != nil { // 1,200 parameters: two statements under the limit of 999
		t.Fatalf("unit on the tuned dialect: %v", err)
	}
	if n := count(t, db, labels.Table); n != 1201 {
		t.Errorf("stored %d labels, want 1201", n)
	}
}

// textPair is keyed by two text columns.
type textPair struct {
	A, B string
	Note string
}

type textPairTable struct {
	*mapped.Table[textPair]
	A, B mapped.Column[textPair, string]
	Note mapped.TextColumn[textPair, string]
}

var textPairs = mapped.Define("text_pair", func(t *mapped.Table[textPair], p *textPair) textPairTable {
	return textPairTable{Table: t,
		A:    mapped.PrimaryKey(t, &p.A),
		B:    mapped.PrimaryKey(t, &p.B),
		Note: mapped.Text(t, &p.Note)}
})

// Two composite keys whose values, written one after the other, spell the
// same text are two rows of the identity map. SQLite only: PostgreSQL
// refuses the NUL byte the keys need.
func TestIdentityOfCompositeTextKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.SQLite(t)
	if err := mapped.CreateAll(ctx, db, textPairs.Table); err != nil {
		t.Fatal(err)
	}
	first := &textPair{A: "x", B: "y\x00string:z", Note: "first"}
	second := &textPair{A: "x\x00string:y", B: "z", Note: "second"}
	seed(t, db, textPairs.Table, first, second)
	err := uow.Run(ctx, db, func(u *uow.Unit) error {
		got1, err := uow.Get(ctx, u, textPairs.Table, first.A, first.B)
		if err != nil {
			return err
		}
		got2, err := uow.Get(ctx, u, textPairs.Table, second.A, second.B)
		if err != nil {
			return err
		}
		if got1.Note != "first" || got2.Note != "second" {
			t.Errorf("Get returned %q and %q, want first and second", got1.Note, got2.Note)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
