package model_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

type shelf struct {
	ID    int64
	Name  string
	Boxes []*box
}

type shelfTable struct {
	*mapped.Table[shelf]
	ID   mapped.Column[shelf, int64]
	Name mapped.Column[shelf, string]
}

var shelves = mapped.Define("mdl_shelf", func(t *mapped.Table[shelf], s *shelf) shelfTable {
	return shelfTable{Table: t, ID: mapped.PrimaryKey(t, &s.ID), Name: mapped.Col(t, &s.Name)}
})

type box struct {
	ID      int64
	ShelfID int64
	Label   string
}

type boxTable struct {
	*mapped.Table[box]
	ID      mapped.Column[box, int64]
	ShelfID mapped.Column[box, int64]
	Label   mapped.Column[box, string]
}

var boxes = mapped.Define("mdl_box", func(t *mapped.Table[box], b *box) boxTable {
	return boxTable{Table: t, ID: mapped.PrimaryKey(t, &b.ID),
		ShelfID: mapped.ForeignKey(t, &b.ShelfID, shelves.ID),
		Label:   mapped.Col(t, &b.Label)}
})

var shelfBoxes = relation.HasMany(boxes.ShelfID, func(s *shelf) *[]*box { return &s.Boxes })

// TestNewRefuses checks that New reports each invalid model, naming what is
// wrong, and every problem at once.
func TestNewRefuses(t *testing.T) {
	type other struct{ ID int64 }
	type otherTable struct {
		*mapped.Table[other]
		ID mapped.Column[other, int64]
	}
	sameName := mapped.Define("mdl_shelf", func(t *mapped.Table[other], o *other) otherTable {
		return otherTable{Table: t, ID: mapped.PrimaryKey(t, &o.ID)}
	})
	for _, c := range []struct {
		name  string
		parts []model.Part
		want  []string
	}{
		{"reference outside the model", []model.Part{model.Tables(boxes)},
			[]string{"mdl_box.shelf_id references mdl_shelf, which is not one of the model's tables"}},
		{"two tables with one name", []model.Part{model.Tables(shelves, sameName)},
			[]string{`two tables named "mdl_shelf"`}},
		{"rule over a table outside the model", []model.Part{model.Tables(shelves), model.OnDelete(shelfBoxes, mapped.Cascade)},
			[]string{"table mdl_box is not one of the model's tables"}},
		{"SET NULL on a NOT NULL key", []model.Part{model.Tables(shelves, boxes), model.OnDelete(shelfBoxes, mapped.SetNull)},
			[]string{"SET NULL needs a nullable foreign key; shelf_id is NOT NULL"}},
		{"not a cascade", []model.Part{model.Tables(shelves, boxes), model.OnDelete(shelfBoxes, mapped.NoAction)},
			[]string{"NO ACTION is not a cascade"}},
		{"cascade declared twice", []model.Part{model.Tables(shelves, boxes),
			model.OnDelete(shelfBoxes, mapped.Cascade), model.OnDelete(shelfBoxes, mapped.Restrict)},
			[]string{"declared twice"}},
		{"orphans declared twice", []model.Part{model.Tables(shelves, boxes),
			model.DeleteOrphans(shelfBoxes), model.DeleteOrphans(shelfBoxes)},
			[]string{"the orphans of mdl_shelf → mdl_box over mdl_box.shelf_id is declared twice"}},
		{"every problem at once", []model.Part{model.Tables(shelves, boxes, sameName), model.OnDelete(shelfBoxes, mapped.SetNull),
			model.DeleteOrphans(shelfBoxes), model.DeleteOrphans(shelfBoxes)},
			[]string{`two tables named "mdl_shelf"`, "SET NULL needs", "declared twice"}},
		{"nil part", []model.Part{nil}, []string{"nil part"}},
		{"nil table", []model.Part{model.Tables(nil)}, []string{"nil table"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, err := model.New(c.parts...)
			if err == nil {
				t.Fatalf("New: got a model, want an error mentioning %q", c.want)
			}
			if m != nil {
				t.Errorf("New: got a model with the error %v", err)
			}
			if !strings.HasPrefix(err.Error(), "model: ") {
				t.Errorf("error %q does not start with %q", err, "model: ")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			defer func() {
				if recover() == nil {
					t.Errorf("MustNew did not panic")
				}
			}()
			model.MustNew(c.parts...)
		})
	}
}

// TestDeclaredOnDelete checks that a cascade must agree with the ON DELETE
// its foreign key column declares, and that the model leaves the column's
// declaration as it was.
func TestDeclaredOnDelete(t *testing.T) {
	type pot struct{ ID int64 }
	type potTable struct {
		*mapped.Table[pot]
		ID mapped.Column[pot, int64]
	}
	type lid struct{ ID, PotID int64 }
	type lidTable struct {
		*mapped.Table[lid]
		ID    mapped.Column[lid, int64]
		PotID mapped.Column[lid, int64]
	}
	pots := mapped.Define("mdl_pot", func(t *mapped.Table[pot], p *pot) potTable {
		return potTable{Table: t, ID: mapped.PrimaryKey(t, &p.ID)}
	})
	lids := mapped.Define("mdl_lid", func(t *mapped.Table[lid], l *lid) lidTable {
		return lidTable{Table: t, ID: mapped.PrimaryKey(t, &l.ID),
			PotID: mapped.ForeignKey(t, &l.PotID, pots.ID, mapped.OnDelete(mapped.Restrict))}
	})
	potLids := relation.HasMany(lids.PotID, func(*pot) *[]*lid { return new([]*lid) })
	_, err := model.New(model.Tables(pots, lids), model.OnDelete(potLids, mapped.Cascade))
	if err == nil || !strings.Contains(err.Error(), "CASCADE disagrees with the foreign key's ON DELETE RESTRICT") {
		t.Errorf("disagreeing cascade: got %v", err)
	}
	m, err := model.New(model.Tables(pots, lids), model.OnDelete(potLids, mapped.Restrict))
	if err != nil {
		t.Fatalf("agreeing cascade: %v", err)
	}
	if got := m.OnDelete(lids.PotID.Field().Info()); got != mapped.Restrict {
		t.Errorf("OnDelete: got %s, want RESTRICT", got.SQL())
	}
}

// TestModelsLeaveTablesAlone checks that building models changes neither
// the tables' DDL nor what a model that does not declare a rule writes:
// two models over the same tables write different ON DELETE clauses, and
// plain DDL writes none.
func TestModelsLeaveTablesAlone(t *testing.T) {
	cascading := model.MustNew(model.Tables(shelves, boxes), model.OnDelete(shelfBoxes, mapped.Cascade))
	restricting := model.MustNew(model.Tables(shelves, boxes), model.OnDelete(shelfBoxes, mapped.Restrict))
	plain := model.MustNew(model.Tables(shelves, boxes))
	d := testdb.SQLite(t).Dialect()
	ddl := func(m *model.Model) string {
		t.Helper()
		if m == nil {
			stmts, err := mapped.CreateSQL(d, shelves, boxes)
			if err != nil {
				t.Fatal(err)
			}
			return strings.Join(stmts, ";\n")
		}
		stmts, err := m.CreateSQL(d)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(stmts, ";\n")
	}
	for _, c := range []struct {
		name string
		m    *model.Model
		want string
	}{
		{"cascading", cascading, "ON DELETE CASCADE"},
		{"restricting", restricting, "ON DELETE RESTRICT"},
		{"plain model", plain, ""},
		{"no model", nil, ""},
	} {
		got := ddl(c.m)
		if c.want == "" {
			if strings.Contains(got, "ON DELETE") {
				t.Errorf("%s: DDL has an ON DELETE clause:\n%s", c.name, got)
			}
		} else if !strings.Contains(got, c.want) {
			t.Errorf("%s: DDL lacks %s:\n%s", c.name, c.want, got)
		}
	}
	if _, err := cascading.CreateSQL(d, shelves, mapped.Schema(nil)); err == nil {
		t.Errorf("CreateSQL of a nil table: no error")
	}
	type stray struct{ ID int64 }
	type strayTable struct {
		*mapped.Table[stray]
		ID mapped.Column[stray, int64]
	}
	strays := mapped.Define("mdl_stray", func(t *mapped.Table[stray], s *stray) strayTable {
		return strayTable{Table: t, ID: mapped.PrimaryKey(t, &s.ID)}
	})
	if _, err := cascading.CreateSQL(d, strays); err == nil || !strings.Contains(err.Error(), "mdl_stray is not one of the model's tables") {
		t.Errorf("CreateSQL of a table outside the model: got %v", err)
	}
}

// TestBindCarriesTheModel checks that a bound handle, and the connections,
// transactions and savepoints begun from it, carry the model, and that a
// plain handle carries none.
func TestBindCarriesTheModel(t *testing.T) {
	m := model.MustNew(model.Tables(shelves, boxes), model.OnDelete(shelfBoxes, mapped.Cascade))
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		if model.Of(raw) != nil {
			t.Fatalf("a plain handle carries a model")
		}
		db := m.Bind(raw)
		if model.Of(db) != m {
			t.Fatalf("Bind: the handle does not carry the model")
		}
		tx, err := db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		if model.Of(tx) != m {
			t.Errorf("a transaction begun from a bound handle does not carry the model")
		}
		sp, err := tx.Savepoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if model.Of(sp) != m {
			t.Errorf("a savepoint does not carry the model")
		}
		if err := sp.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
		if err := tx.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Release()
		if model.Of(conn) != m {
			t.Errorf("a connection taken from a bound handle does not carry the model")
		}
		ctx2, err2 := conn.Begin(ctx, dialect.TxOptions{})
		if err2 != nil {
			t.Fatal(err2)
		}
		if model.Of(ctx2) != m {
			t.Errorf("a transaction begun on a bound connection does not carry the model")
		}
		if err := ctx2.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// TestCascadeOnlyWhereBound deletes a shelf with boxes through a bound and
// a plain handle: the bound one deletes the boxes with it, the plain one
// leaves the foreign key to refuse the delete, and nothing changes.
func TestCascadeOnlyWhereBound(t *testing.T) {
	m := model.MustNew(model.Tables(shelves, boxes), model.OnDelete(shelfBoxes, mapped.Cascade))
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		// Plain DDL, without ON DELETE: only the model's cascade deletes.
		if err := mapped.CreateAll(ctx, raw, shelves, boxes); err != nil {
			t.Fatal(err)
		}
		db := m.Bind(raw)
		s := &shelf{Name: "top"}
		if err := repo.New(db, shelves.Table).Insert(ctx, s); err != nil {
			t.Fatal(err)
		}
		if err := repo.New(db, boxes.Table).InsertMany(ctx, []*box{{ShelfID: s.ID, Label: "a"}, {ShelfID: s.ID, Label: "b"}}); err != nil {
			t.Fatal(err)
		}
		err := repo.New(raw, shelves.Table).Delete(ctx, s)
		var ce *dialect.ConstraintError
		if !errors.As(err, &ce) {
			t.Fatalf("delete on a plain handle: got %v, want the foreign key's refusal", err)
		}
		if n := testdb.Scalar[int64](t, raw, `SELECT count(*) FROM mdl_box`); n != 2 {
			t.Fatalf("boxes after the refused delete: %d, want 2", n)
		}
		if err := repo.New(db, shelves.Table).Delete(ctx, s); err != nil {
			t.Fatalf("delete on a bound handle: %v", err)
		}
		if n := testdb.Scalar[int64](t, raw, `SELECT count(*) FROM mdl_box`); n != 0 {
			t.Errorf("boxes after the cascade: %d, want 0", n)
		}
	})
}

// TestBindKeepsWhatTheHandleOffers checks that a bound handle, and what is
// begun from it, sends statement batches in one round trip exactly when
// the plain one does: PostgreSQL's do, SQLite's do not.
func TestBindKeepsWhatTheHandleOffers(t *testing.T) {
	m := model.MustNew(model.Tables(shelves, boxes))
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		db := m.Bind(raw)
		_, plain := raw.(dialect.Batcher)
		if _, bound := db.(dialect.Batcher); bound != plain {
			t.Errorf("handle: Batcher %v, plain %v", bound, plain)
		}
		rawTx, err := raw.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		_, plainTx := rawTx.(dialect.Batcher)
		_ = rawTx.Rollback(ctx)
		tx, err := db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		if _, bound := tx.(dialect.Batcher); bound != plainTx {
			t.Errorf("transaction: Batcher %v, plain %v", bound, plainTx)
		}
		sp, err := tx.Savepoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, bound := sp.(dialect.Batcher); bound != plainTx {
			t.Errorf("savepoint: Batcher %v, plain %v", bound, plainTx)
		}
		if plainTx {
			var ran int
			err := dialect.SendBatch(ctx, sp, []dialect.Statement{
				{SQL: "SELECT 1", Rows: func(dialect.Rows) error { ran++; return nil }},
				{SQL: "SELECT 2", Rows: func(dialect.Rows) error { ran++; return nil }},
			})
			if err != nil || ran != 2 {
				t.Errorf("batch on a bound savepoint: %d run, %v", ran, err)
			}
		}
	})
}

// TestGroup checks that a group of parts adds each, and that its problems
// are reported one by one, like those of parts given to New.
func TestGroup(t *testing.T) {
	m, err := model.New(model.Tables(shelves, boxes), model.Group(model.OnDelete(shelfBoxes, mapped.Cascade), model.DeleteOrphans(shelfBoxes)))
	if err != nil {
		t.Fatal(err)
	}
	if m.OnDelete(boxes.ShelfID.Field().Info()) != mapped.Cascade || !m.DeletesOrphans(boxes.ShelfID.Field().Info()) {
		t.Errorf("the group's rules are not the model's")
	}
	_, err = model.New(model.Tables(shelves, boxes),
		model.Group(model.OnDelete(shelfBoxes, mapped.SetNull), model.DeleteOrphans(shelfBoxes), model.DeleteOrphans(shelfBoxes), nil, model.Tables(shelves)))
	want := "model: the cascade of mdl_shelf → mdl_box over mdl_box.shelf_id: SET NULL needs a nullable foreign key; shelf_id is NOT NULL; " +
		"the orphans of mdl_shelf → mdl_box over mdl_box.shelf_id is declared twice (as the orphans of mdl_shelf → mdl_box over mdl_box.shelf_id); " +
		"nil part; Tables inside Group: give the tables to New"
	if err == nil || err.Error() != want {
		t.Errorf("group's problems:\n got %v\nwant %s", err, want)
	}
}
