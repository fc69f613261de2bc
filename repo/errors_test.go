package repo_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

// TestInvalidText writes strings with a NUL byte or invalid UTF-8.
// PostgreSQL cannot store either in text (dialect.Features.StrictText), so
// genrepo refuses them with dialect.ErrInvalidText before sending anything;
// SQLite stores any bytes in TEXT and reads them back unchanged.
func TestInvalidText(t *testing.T) {
	t.Parallel()
	bad := []struct {
		name string
		s    string
	}{
		{"NUL byte", "a\x00b"},
		{"invalid UTF-8", "a\xffb"},
		{"truncated UTF-8", "\xe4\xb8"},
	}
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		stored := &person{Name: "stored", Email: "stored@example.com"}
		insertAll(t, r, stored)
		strict := db.Dialect().Features().StrictText
		for i, tc := range bad {
			writes := []struct {
				op  string
				run func() error
			}{
				{"Insert", func() error {
					return r.Insert(ctx, &person{Name: tc.s, Email: fmt.Sprintf("n%d@example.com", i)})
				}},
				{"Insert into a nullable column", func() error {
					return r.Insert(ctx, &person{Name: "n", Email: fmt.Sprintf("p%d@example.com", i), Nick: &tc.s})
				}},
				{"InsertMany", func() error {
					return r.InsertMany(ctx, []*person{
						{Name: "ok", Email: fmt.Sprintf("m%d@example.com", i)},
						{Name: tc.s, Email: fmt.Sprintf("m%d-2@example.com", i)},
					})
				}},
				{"Upsert", func() error {
					return r.Upsert(ctx, &person{Name: tc.s, Email: "stored@example.com"}, people.Email)
				}},
				{"UpdateWhere", func() error {
					_, err := r.UpdateWhere(ctx, people.ID.Eq(stored.ID), people.Name.Set(tc.s))
					return err
				}},
			}
			if strict {
				before := count(t, r)
				for _, w := range writes {
					wantErr(t, fmt.Sprintf("%s of a %s", w.op, tc.name), w.run(), dialect.ErrInvalidText)
				}
				copyRow := *stored
				copyRow.Name = tc.s
				wantErr(t, "Update of a "+tc.name, r.Update(ctx, &copyRow), dialect.ErrInvalidText)
				_, err := r.Where(people.Name.Eq(tc.s)).All(ctx)
				wantErr(t, "query for a "+tc.name, err, dialect.ErrInvalidText)
				_, err = r.Where(people.Name.Contains(tc.s)).Count(ctx)
				wantErr(t, "Contains of a "+tc.name, err, dialect.ErrInvalidText)
				if after := count(t, r); after != before {
					t.Errorf("%s: rows after refused writes: got %d, want %d", tc.name, after, before)
				}
				got, err := r.Get(ctx, stored.ID)
				if err != nil || got.Name != "stored" {
					t.Errorf("%s: stored row after refused writes: got %v, %v; want it unchanged", tc.name, got, err)
				}
				continue
			}
			// SQLite: the value is stored and read back byte for byte.
			p := &person{Name: tc.s, Email: fmt.Sprintf("sqlite%d@example.com", i), Nick: &tc.s}
			if err := r.Insert(ctx, p); err != nil {
				t.Errorf("%s: Insert on SQLite: %v", tc.name, err)
				continue
			}
			got, err := r.Where(people.Name.Eq(tc.s)).One(ctx)
			if err != nil {
				t.Errorf("%s: query on SQLite: %v", tc.name, err)
				continue
			}
			if got.ID != p.ID || got.Name != tc.s || got.Nick == nil || *got.Nick != tc.s {
				t.Errorf("%s: read back on SQLite: got %q (nick %v), want %q", tc.name, got.Name, got.Nick, tc.s)
			}
		}
	})
}

// gadget's table is written by hand, below, because mapped has no CHECK
// option: code is unique, label NOT NULL (though mapped as a pointer here,
// so that NULL can be sent), owner_id references owner, qty >= 0.
type gadget struct {
	ID      int64
	Code    string
	Label   *string
	OwnerID int64
	Qty     int
}

type owner struct {
	ID   int64
	Name string
}

var owners = mapped.Define("owner", func(t *mapped.Table[owner], o *owner) struct {
	*mapped.Table[owner]
	ID mapped.Column[owner, int64]
} {
	return struct {
		*mapped.Table[owner]
		ID mapped.Column[owner, int64]
	}{t, mapped.PrimaryKey(t, &o.ID, mapped.Manual())}
})

type gadgetTable struct {
	*mapped.Table[gadget]
	ID   mapped.Column[gadget, int64]
	Code mapped.TextColumn[gadget, string]
	Qty  mapped.Column[gadget, int]
}

var gadgets = mapped.Define("gadget", func(t *mapped.Table[gadget], g *gadget) gadgetTable {
	gt := gadgetTable{Table: t, ID: mapped.PrimaryKey(t, &g.ID, mapped.Manual())}
	gt.Code = mapped.Text(t, &g.Code)
	mapped.Text(t, &g.Label)
	mapped.Col(t, &g.OwnerID)
	gt.Qty = mapped.Col(t, &g.Qty)
	return gt
})

const gadgetDDL = `CREATE TABLE "gadget" (
	"id" bigint PRIMARY KEY,
	"code" text NOT NULL UNIQUE,
	"label" text NOT NULL,
	"owner_id" bigint NOT NULL REFERENCES "owner" ("id"),
	"qty" integer NOT NULL CONSTRAINT "qty_not_negative" CHECK ("qty" >= 0)
)`

func TestConstraintErrors(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, owners.Table)
		if _, err := db.Exec(ctx, gadgetDDL); err != nil {
			t.Fatal(err)
		}
		or := repo.New(db, owners.Table)
		insertAll(t, or, &owner{ID: 1, Name: "one"})
		r := repo.New(db, gadgets.Table)
		stored := &gadget{ID: 1, Code: "A", Label: ptr("first"), OwnerID: 1, Qty: 5}
		insertAll(t, r, stored)

		cases := []struct {
			name   string
			run    func() error
			want   error
			column string // the column the driver names, where both do
		}{
			{"unique column", func() error {
				return r.Insert(ctx, &gadget{ID: 2, Code: "A", Label: ptr("x"), OwnerID: 1})
			}, dialect.ErrUnique, ""},
			{"primary key", func() error {
				return r.Insert(ctx, &gadget{ID: 1, Code: "B", Label: ptr("x"), OwnerID: 1})
			}, dialect.ErrUnique, ""},
			{"not null", func() error {
				return r.Insert(ctx, &gadget{ID: 2, Code: "B", OwnerID: 1})
			}, dialect.ErrNotNull, "label"},
			{"foreign key", func() error {
				return r.Insert(ctx, &gadget{ID: 2, Code: "B", Label: ptr("x"), OwnerID: 99})
			}, dialect.ErrForeignKey, ""},
			{"check", func() error {
				return r.Insert(ctx, &gadget{ID: 2, Code: "B", Label: ptr("x"), OwnerID: 1, Qty: -1})
			}, dialect.ErrCheck, ""},
			{"unique on Update", func() error {
				if err := r.Insert(ctx, &gadget{ID: 3, Code: "C", Label: ptr("x"), OwnerID: 1}); err != nil {
					return err
				}
				defer r.Delete(ctx, &gadget{ID: 3})
				return r.Update(ctx, &gadget{ID: 3, Code: "A", Label: ptr("x"), OwnerID: 1}, gadgets.Code)
			}, dialect.ErrUnique, ""},
			{"check on UpdateWhere", func() error {
				_, err := r.UpdateWhere(ctx, gadgets.ID.Eq(1), gadgets.Qty.Set(-5))
				return err
			}, dialect.ErrCheck, ""},
			{"not null on Update", func() error {
				return r.Update(ctx, &gadget{ID: 1, Code: "A", OwnerID: 1, Qty: 5})
			}, dialect.ErrNotNull, "label"},
			{"foreign key on delete of the referenced row", func() error {
				return or.Delete(ctx, &owner{ID: 1})
			}, dialect.ErrForeignKey, ""},
			{"unique in InsertMany", func() error {
				return r.InsertMany(ctx, []*gadget{
					{ID: 10, Code: "X", Label: ptr("x"), OwnerID: 1},
					{ID: 11, Code: "X", Label: ptr("x"), OwnerID: 1},
				})
			}, dialect.ErrUnique, ""},
		}
		sentinels := []error{dialect.ErrUnique, dialect.ErrNotNull, dialect.ErrForeignKey, dialect.ErrCheck}
		for _, tc := range cases {
			before := count(t, r)
			err := tc.run()
			var ce *dialect.ConstraintError
			if !errors.As(err, &ce) {
				t.Errorf("%s: got %v, want a *dialect.ConstraintError", tc.name, err)
				continue
			}
			for _, s := range sentinels {
				if got, want := errors.Is(err, s), s == tc.want; got != want {
					t.Errorf("%s: errors.Is(err, %v) = %v, want %v (err: %v)", tc.name, s, got, want, err)
				}
			}
			// Both drivers name the table of a unique or not-null
			// violation; SQLite names none for a check or a foreign key.
			if (tc.want == dialect.ErrUnique || tc.want == dialect.ErrNotNull) && ce.Table != "gadget" {
				t.Errorf("%s: ConstraintError.Table = %q, want gadget", tc.name, ce.Table)
			}
			if tc.want == dialect.ErrCheck && ce.Constraint != "qty_not_negative" {
				t.Errorf("%s: ConstraintError.Constraint = %q, want qty_not_negative", tc.name, ce.Constraint)
			}
			if tc.column != "" && ce.Column != tc.column {
				t.Errorf("%s: ConstraintError.Column = %q, want %q", tc.name, ce.Column, tc.column)
			}
			if errors.Is(err, repo.ErrNotFound) {
				t.Errorf("%s: error matches ErrNotFound: %v", tc.name, err)
			}
			switch db.Dialect().Name() {
			case "postgres":
				var pe *pgconn.PgError
				if !errors.As(err, &pe) {
					t.Errorf("%s: errors.As(*pgconn.PgError) failed on %v", tc.name, err)
				} else if pe.Code[:2] != "23" {
					t.Errorf("%s: SQLSTATE %s, want class 23", tc.name, pe.Code)
				}
				if ce.Table != "gadget" && tc.want != dialect.ErrForeignKey {
					t.Errorf("%s: ConstraintError.Table = %q, want gadget", tc.name, ce.Table)
				}
			case "sqlite":
				var se *sqlite.Error
				if !errors.As(err, &se) {
					t.Errorf("%s: errors.As(*sqlite.Error) failed on %v", tc.name, err)
				} else if se.Code()&0xff != 19 { // SQLITE_CONSTRAINT
					t.Errorf("%s: SQLite code %d, want an extended SQLITE_CONSTRAINT", tc.name, se.Code())
				}
			}
			if after := count(t, r); after != before {
				t.Errorf("%s: rows after the violation: got %d, want %d", tc.name, after, before)
			}
		}
		got, err := r.Get(ctx, 1)
		if err != nil || *got.Label != "first" || got.Qty != 5 || got.Code != "A" {
			t.Errorf("stored row after every violation: got %+v, %v; want it unchanged", got, err)
		}
		if n := count(t, or); n != 1 {
			t.Errorf("owners after the refused delete: got %d, want 1", n)
		}
	})
}

// TestInsertManyAllOrNothing inserts more rows than one statement holds,
// the last of which violates a unique constraint: no row is inserted.
func TestInsertManyAllOrNothing(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		insertAll(t, r, &person{Name: "first", Email: "taken@example.com"})
		const n = 3000
		rows := make([]*person, n)
		for i := range rows {
			rows[i] = &person{Name: fmt.Sprint(i), Email: fmt.Sprintf("%d@example.com", i), Age: i}
		}
		rows[n-1].Email = "taken@example.com"
		err := r.InsertMany(ctx, rows)
		wantErr(t, "InsertMany with a duplicate last row", err, dialect.ErrUnique)
		if got := count(t, r); got != 1 {
			t.Errorf("rows after the failed InsertMany: got %d, want 1 (nothing inserted)", got)
		}

		// The same inside a transaction: the transaction goes on, without
		// the rows.
		tx, err := db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		rt := r.With(tx)
		insertAll(t, rt, &person{Name: "in tx", Email: "tx@example.com"})
		for _, row := range rows {
			row.ID = 0
		}
		wantErr(t, "InsertMany in a transaction", rt.InsertMany(ctx, rows), dialect.ErrUnique)
		if got := count(t, rt); got != 2 {
			t.Errorf("rows in the transaction after the failed InsertMany: got %d, want 2", got)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatalf("Commit after a failed InsertMany: %v", err)
		}
		if got := count(t, r); got != 2 {
			t.Errorf("rows after commit: got %d, want 2", got)
		}
	})
}

func TestInsertManyFillsKeys(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		const n = 5000
		rows := make([]*person, n)
		for i := range rows {
			rows[i] = &person{Name: fmt.Sprint(i), Email: fmt.Sprintf("%d@example.com", i), Age: i}
			if i%7 == 0 {
				rows[i].Nick = ptr(fmt.Sprint("nick", i))
			}
		}
		if err := r.InsertMany(ctx, rows); err != nil {
			t.Fatal(err)
		}
		if got := count(t, r); got != n {
			t.Errorf("rows after InsertMany: got %d, want %d", got, n)
		}
		// Every key is filled, distinct, and names the row it was given to.
		stored, err := r.All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		byID := make(map[int64]*person, n)
		for _, p := range stored {
			byID[p.ID] = p
		}
		seen := make(map[int64]bool, n)
		for i, p := range rows {
			if p.ID == 0 {
				t.Fatalf("row %d: key not filled", i)
			}
			if seen[p.ID] {
				t.Fatalf("row %d: key %d given twice", i, p.ID)
			}
			seen[p.ID] = true
			s, ok := byID[p.ID]
			if !ok || s.Name != p.Name || s.Age != i || !sameStringPtr(s.Nick, p.Nick) {
				t.Fatalf("row %d: key %d holds %+v, want %+v", i, p.ID, s, p)
			}
		}
		if err := r.InsertMany(ctx, nil); err != nil {
			t.Errorf("InsertMany of no rows: %v", err)
		}
	})
}

func sameStringPtr(a, b *string) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}
