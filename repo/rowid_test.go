package repo_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

// checkStored fails unless the stored row with p's key is p.
func checkStored(t *testing.T, r *repo.Repo[person], p *person) {
	t.Helper()
	got, err := r.Get(context.Background(), p.ID)
	if err != nil {
		t.Fatalf("get %d (%s): %v", p.ID, p.Name, err)
	}
	if got.Name != p.Name || got.Email != p.Email {
		t.Fatalf("row %d is %s, want %s", p.ID, got.Name, p.Name)
	}
}

// An inserted row's generated key is the key it was stored under, however
// it is read back (RETURNING, or on SQLite the rowid of the row made):
// after deletes, after keys given explicitly, and in a transaction.
func TestInsertKeyIsStoredKey(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		n := 0
		add := func(r *repo.Repo[person], id int64) *person {
			t.Helper()
			n++
			p := &person{ID: id, Name: fmt.Sprintf("p%d", n), Email: fmt.Sprintf("p%d@x", n)}
			if err := r.Insert(ctx, p); err != nil {
				t.Fatalf("insert %s: %v", p.Name, err)
			}
			if p.ID == 0 {
				t.Fatalf("insert %s filled in no key", p.Name)
			}
			checkStored(t, r, p)
			return p
		}
		a, b := add(r, 0), add(r, 0)
		if b.ID <= a.ID {
			t.Errorf("keys %d then %d, want rising", a.ID, b.ID)
		}
		// The newest row deleted: its key is not handed out again.
		if err := r.Delete(ctx, b); err != nil {
			t.Fatal(err)
		}
		if c := add(r, 0); c.ID == b.ID {
			t.Errorf("key %d of a deleted row handed out again", c.ID)
		}
		// A key given explicitly is kept; the next generated one is past it.
		if d := add(r, 1000); d.ID != 1000 {
			t.Errorf("explicit key 1000 became %d", d.ID)
		}
		if e := add(r, 0); e.ID <= 1000 {
			t.Errorf("key %d generated after the explicit key 1000", e.ID)
		}
		// In a transaction, and after its rollback.
		tx, err := db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		inTx := add(repo.New(tx, people.Table), 0)
		if err := tx.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Get(ctx, inTx.ID); !errors.Is(err, repo.ErrNotFound) {
			t.Errorf("row %d of a rolled-back transaction: %v, want not found", inTx.ID, err)
		}
		add(r, 0)
	})
}

// loose is mapped onto tables made by hand, whose generated key is not the
// rowid.
type loose struct {
	ID   int64
	Name string
}

type looseCols struct {
	*mapped.Table[loose]
	ID   mapped.Column[loose, int64]
	Name mapped.TextColumn[loose, string]
}

var looseTable = mapped.Define("loose", func(t *mapped.Table[loose], l *loose) looseCols {
	return looseCols{Table: t, ID: mapped.PrimaryKey(t, &l.ID), Name: mapped.Text(t, &l.Name)}
})

// On SQLite a generated key is read back as the rowid of the row made only
// where it is the rowid: a table made elsewhere whose integer key is not
// (WITHOUT ROWID, a BIGINT primary key, INTEGER PRIMARY KEY DESC) never
// has its rows' keys filled in with rowids, even when it replaces, under
// the same name, a table whose key was. SQLite only: PostgreSQL has no
// rowid.
func TestInsertRowIDOnlyForRowIDKeys(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		if db.Dialect().Name() != "sqlite" {
			t.Skip("the rowid is SQLite's")
		}
		ctx := context.Background()
		r := repo.New(db, looseTable.Table)
		exec := func(sql string) {
			t.Helper()
			if _, err := db.Exec(ctx, sql); err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
		// A rowid key first, so that its answer is kept.
		exec(`CREATE TABLE "loose" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL)`)
		l := &loose{Name: "a"}
		if err := r.Insert(ctx, l); err != nil || l.ID != 1 {
			t.Fatalf("insert into a rowid table: key %d, %v; want 1", l.ID, err)
		}
		for _, c := range []struct{ name, ddl string }{
			{"without rowid", `CREATE TABLE "loose" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL) WITHOUT ROWID`},
			{"bigint key", `CREATE TABLE "loose" ("id" BIGINT PRIMARY KEY, "name" TEXT NOT NULL)`},
			{"descending key", `CREATE TABLE "loose" ("id" INTEGER PRIMARY KEY DESC, "name" TEXT NOT NULL)`},
		} {
			exec(`DROP TABLE "loose"`)
			exec(c.ddl)
			exec(`INSERT INTO "loose" ("id", "name") VALUES (7, 'seven')`)
			l := &loose{Name: "b"}
			err := r.Insert(ctx, l)
			if err == nil {
				t.Errorf("%s: insert without a key succeeded with key %d; the key column has no value", c.name, l.ID)
			}
			if l.ID != 0 {
				t.Errorf("%s: insert filled in key %d, which no stored row has", c.name, l.ID)
			}
			t.Logf("%s: %v", c.name, err)
		}
	})
}

// A key mapped as generated (mapped.PrimaryKey) on a table that declares it
// BIGINT PRIMARY KEY with no default is one the database does not fill in:
// SQLite would store the row with a NULL key (such a key is no rowid
// alias), PostgreSQL refuses it as NOT NULL. Every way of inserting a row
// with its key left zero is refused, naming the column, and writes
// nothing; a row with its key given, and a key with a default, are
// written as usual.
func TestInsertUnfilledKeyWritesNothing(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		exec := func(sql string) {
			t.Helper()
			if _, err := db.Exec(ctx, sql); err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
		exec(`CREATE TABLE "loose" ("id" BIGINT PRIMARY KEY, "name" TEXT NOT NULL)`)
		exec(`INSERT INTO "loose" ("id", "name") VALUES (7, 'seven')`)
		r := repo.New(db, looseTable.Table)
		count := func() int64 {
			t.Helper()
			return testdb.Scalar[int64](t, db, `SELECT count(*) FROM "loose"`)
		}
		for _, c := range []struct {
			name string
			run  func(rows ...*loose) error
			n    int
		}{
			{"insert", func(rows ...*loose) error { return r.Insert(ctx, rows[0]) }, 1},
			{"insert many, one row", func(rows ...*loose) error { return r.InsertMany(ctx, rows) }, 1},
			{"insert many, three rows", func(rows ...*loose) error { return r.InsertMany(ctx, rows) }, 3},
			{"upsert", func(rows ...*loose) error { return r.Upsert(ctx, rows[0]) }, 1},
			{"insert in a transaction", func(rows ...*loose) error {
				return dialect.InTx(ctx, db, func(tx dialect.Executor) error {
					return repo.New(tx, looseTable.Table).Insert(ctx, rows[0])
				})
			}, 1},
		} {
			rows := make([]*loose, c.n)
			for i := range rows {
				rows[i] = &loose{Name: fmt.Sprintf("%s %d", c.name, i)}
			}
			err := c.run(rows...)
			if err == nil {
				t.Errorf("%s: succeeded, with no value for the key", c.name)
			} else if !strings.Contains(err.Error(), `"id"`) && !strings.Contains(err.Error(), "id") {
				t.Errorf("%s: error %q does not name the key column", c.name, err)
			}
			t.Logf("%s: %v", c.name, err)
			if n := count(); n != 1 {
				t.Errorf("%s: table has %d rows after the refused insert, want 1", c.name, n)
				exec(`DELETE FROM "loose" WHERE "id" IS NULL`)
			}
			for i, l := range rows {
				if l.ID != 0 {
					t.Errorf("%s: row %d given key %d", c.name, i, l.ID)
				}
			}
		}
		// A key given is written.
		if err := r.Insert(ctx, &loose{ID: 8, Name: "eight"}); err != nil {
			t.Errorf("insert with its key given: %v", err)
		}
		// A key with a default is filled in from it.
		exec(`CREATE TABLE "dflt" ("id" BIGINT PRIMARY KEY DEFAULT 42, "name" TEXT NOT NULL)`)
		d := &loose{Name: "d"}
		if err := repo.New(db, dfltTable.Table).Insert(ctx, d); err != nil || d.ID != 42 {
			t.Errorf("insert into a table whose key has a default: key %d, %v; want 42", d.ID, err)
		}
	})
}

var dfltTable = mapped.Define("dflt", func(t *mapped.Table[loose], l *loose) looseCols {
	return looseCols{Table: t, ID: mapped.PrimaryKey(t, &l.ID), Name: mapped.Text(t, &l.Name)}
})
