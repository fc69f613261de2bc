package repo_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

// ticket's key is text the database makes (DefaultSQL) when the row
// leaves it NULL (a nil pointer), as a UUID key made by the server would be.
type ticket struct {
	Code *string
	Name string
}

type ticketTable struct {
	*mapped.Table[ticket]
	Code mapped.Column[ticket, *string]
	Name mapped.Column[ticket, string]
}

var tickets = mapped.Define("review_ticket", func(t *mapped.Table[ticket], k *ticket) ticketTable {
	return ticketTable{
		Table: t,
		Code:  mapped.PrimaryKey(t, &k.Code, mapped.DefaultSQL("'k' || random()")),
		Name:  mapped.Col(t, &k.Name),
	}
})

// Insert fills a key left NULL from its default (RETURNING), but InsertMany
// of two such rows fails on both dialects with "missing or zero primary
// key: code is zero": the rows, whose keys are read back, are matched to
// the returned ones by their own key (matchReturned's byKey path), which
// is the very value they left to the database.
func TestInsertManyDefaultedKey(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, tickets.Table)
		r := repo.New(db, tickets.Table)
		one := &ticket{Name: "one"}
		if err := r.Insert(ctx, one); err != nil || one.Code == nil {
			t.Fatalf("Insert: %v, key %v; want the default read back", err, one.Code)
		}
		rows := []*ticket{{Name: "a"}, {Name: "b"}}
		if err := r.InsertMany(ctx, rows); err != nil {
			t.Fatalf("InsertMany: %v", err)
		}
		for i, row := range rows {
			if row.Code == nil {
				t.Fatalf("row %d: key not read back", i)
			}
			got, err := r.Get(ctx, row.Code)
			if err != nil || got.Name != row.Name {
				t.Errorf("row %d: Get(%q) = %+v, %v; want name %q", i, *row.Code, got, err, row.Name)
			}
		}
	})
}
