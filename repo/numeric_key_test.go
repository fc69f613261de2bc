package repo_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

// priceTag has a decimal key held as text and a column with a default, so
// that a multi-row insert reads rows back (RETURNING) and matches them to
// the rows written by key.
type priceTag struct {
	Code string
	Note *string
}

type priceTagTable struct {
	*mapped.Table[priceTag]
	Code mapped.Column[priceTag, string]
	Note mapped.Column[priceTag, *string]
}

var priceTags = mapped.Define("review_price_tag", func(t *mapped.Table[priceTag], p *priceTag) priceTagTable {
	return priceTagTable{
		Table: t,
		Code:  mapped.PrimaryKey(t, &p.Code, mapped.Type(mapped.Numeric(10, 2))),
		Note:  mapped.Col(t, &p.Note, mapped.Default("none")),
	}
})

// InsertMany of rows keyed by a NUMERIC(10,2) column given as "1.5" works
// on SQLite, and Insert of each works on both dialects, but on PostgreSQL
// the multi-row insert fails: RETURNING gives the stored key back as
// "1.50", whose identity (its bound text) differs from the written "1.5",
// so matchReturned finds no returned row for row 0.
func TestInsertManyNumericKey(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, priceTags.Table)
		r := repo.New(db, priceTags.Table)
		rows := []*priceTag{{Code: "1.5"}, {Code: "2.25"}}
		if err := r.InsertMany(ctx, rows); err != nil {
			t.Fatalf("InsertMany: %v", err)
		}
		for i, row := range rows {
			if row.Note == nil || *row.Note != "none" {
				t.Errorf("row %d: default not read back: %v", i, row.Note)
			}
		}
		if n := count(t, r); n != 2 {
			t.Errorf("rows stored: got %d, want 2", n)
		}
	})
}
