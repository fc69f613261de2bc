package model_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

// ---- siblings linked through a table one of them reaches ----

// An order's lines go with it, and a line's notes with the line; an
// order's attachments go with it too, and each names one note (NOT NULL,
// and deleting a note does nothing to its attachments).

type soOrder struct{ ID int64 }

type soOrderTable struct {
	*mapped.Table[soOrder]
	ID mapped.Column[soOrder, int64]
}

type soLine struct {
	ID      int64
	OrderID int64
}

type soLineTable struct {
	*mapped.Table[soLine]
	ID      mapped.Column[soLine, int64]
	OrderID mapped.Column[soLine, int64]
}

type soNote struct {
	ID     int64
	LineID int64
}

type soNoteTable struct {
	*mapped.Table[soNote]
	ID     mapped.Column[soNote, int64]
	LineID mapped.Column[soNote, int64]
}

type soAttachment struct {
	ID      int64
	OrderID int64
	NoteID  int64
}

type soAttachmentTable struct {
	*mapped.Table[soAttachment]
	ID      mapped.Column[soAttachment, int64]
	OrderID mapped.Column[soAttachment, int64]
	NoteID  mapped.Column[soAttachment, int64]
}

var soOrders = mapped.Define("so_order", func(t *mapped.Table[soOrder], o *soOrder) soOrderTable {
	return soOrderTable{ID: mapped.PrimaryKey(t, &o.ID)}
})

var soLines = mapped.Define("so_line", func(t *mapped.Table[soLine], l *soLine) soLineTable {
	return soLineTable{ID: mapped.PrimaryKey(t, &l.ID), OrderID: mapped.ForeignKey(t, &l.OrderID, soOrders.ID)}
})

var soNotes = mapped.Define("so_note", func(t *mapped.Table[soNote], n *soNote) soNoteTable {
	return soNoteTable{ID: mapped.PrimaryKey(t, &n.ID), LineID: mapped.ForeignKey(t, &n.LineID, soLines.ID)}
})

var soAttachments = mapped.Define("so_attachment", func(t *mapped.Table[soAttachment], a *soAttachment) soAttachmentTable {
	return soAttachmentTable{ID: mapped.PrimaryKey(t, &a.ID),
		OrderID: mapped.ForeignKey(t, &a.OrderID, soOrders.ID),
		NoteID:  mapped.ForeignKey(t, &a.NoteID, soNotes.ID)}
})

var (
	soOrderLines       = relation.HasMany(soLines.OrderID, func(*soOrder) *[]*soLine { return new([]*soLine) })
	soLineNotes        = relation.HasMany(soNotes.LineID, func(*soLine) *[]*soNote { return new([]*soNote) })
	soOrderAttachments = relation.HasMany(soAttachments.OrderID, func(*soOrder) *[]*soAttachment { return new([]*soAttachment) })
)

// TestCascadeOrderThroughReachedTables deletes orders whose attachments
// reference the notes of their lines, through a handle bound to the model,
// its rules declared in either order: the attachments must go before the
// lines' cascade deletes the notes they reference, though neither the
// attachments nor the lines reference each other. Before, the rules were
// ordered by direct references between the tables of one parent only, and
// the lines' cascade, declared first, ran into the attachments' foreign
// key. The database's own cascades (the plain handle, tables created by
// the model) delete such an order too. Another order and its rows stay.
func TestCascadeOrderThroughReachedTables(t *testing.T) {
	tables := model.Tables(soOrders, soLines, soNotes, soAttachments)
	lines, notes, attachments := model.OnDelete(soOrderLines, mapped.Cascade), model.OnDelete(soLineNotes, mapped.Cascade),
		model.OnDelete(soOrderAttachments, mapped.Cascade)
	for _, c := range []struct {
		name string
		m    *model.Model
	}{
		{"lines declared first", model.MustNew(tables, lines, notes, attachments)},
		{"attachments declared first", model.MustNew(tables, attachments, notes, lines)},
	} {
		t.Run(c.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, raw dialect.DB) {
				ctx := context.Background()
				db := c.m.Bind(raw)
				for _, ddl := range []string{"model", "mapped"} {
					for _, handle := range []string{"plain", "bound"} {
						if ddl == "mapped" && handle == "plain" {
							continue
						}
						for _, where := range []bool{false, true} {
							what := fmt.Sprintf("%s DDL, %s handle, DeleteWhere %v", ddl, handle, where)
							if err := c.m.DropAll(ctx, raw); err != nil {
								t.Fatal(err)
							}
							if ddl == "model" {
								err := c.m.CreateAll(ctx, raw)
								if err != nil {
									t.Fatal(err)
								}
							} else if err := mapped.CreateAll(ctx, raw, soOrders, soLines, soNotes, soAttachments); err != nil {
								t.Fatal(err)
							}
							ex := dialect.Executor(db)
							if handle == "plain" {
								ex = raw
							}
							doomed, kept := soSeed(t, ctx, raw), soSeed(t, ctx, raw)
							var err error
							if where {
								_, err = repo.New(ex, soOrders.Table).DeleteWhere(ctx, soOrders.ID.Eq(doomed.ID))
							} else {
								err = repo.New(ex, soOrders.Table).Delete(ctx, doomed)
							}
							if err != nil {
								t.Errorf("%s: delete: %v", what, err)
								continue
							}
							for _, n := range []struct {
								table string
								got   int64
								want  int64
							}{
								{"so_order", soCount(t, ctx, raw, soOrders.Table), 1},
								{"so_line", soCount(t, ctx, raw, soLines.Table), 2},
								{"so_note", soCount(t, ctx, raw, soNotes.Table), 4},
								{"so_attachment", soCount(t, ctx, raw, soAttachments.Table), 4},
								{"so_line of the order kept", soCountWhere(t, ctx, raw, soLines.Table, soLines.OrderID.Eq(kept.ID)), 2},
							} {
								if n.got != n.want {
									t.Errorf("%s: %s: %d rows, want %d", what, n.table, n.got, n.want)
								}
							}
						}
					}
				}
			})
		})
	}
}

// soSeed inserts an order with two lines, two notes on each line and an
// attachment naming each note.
func soSeed(t *testing.T, ctx context.Context, ex dialect.Executor) *soOrder {
	t.Helper()
	o := &soOrder{}
	if err := repo.New(ex, soOrders.Table).Insert(ctx, o); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		l := &soLine{OrderID: o.ID}
		if err := repo.New(ex, soLines.Table).Insert(ctx, l); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			n := &soNote{LineID: l.ID}
			if err := repo.New(ex, soNotes.Table).Insert(ctx, n); err != nil {
				t.Fatal(err)
			}
			if err := repo.New(ex, soAttachments.Table).Insert(ctx, &soAttachment{OrderID: o.ID, NoteID: n.ID}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return o
}

func soCount[T any](t *testing.T, ctx context.Context, ex dialect.Executor, table *mapped.Table[T]) int64 {
	t.Helper()
	return soCountWhere(t, ctx, ex, table, query.AllRows[T]())
}

func soCountWhere[T any](t *testing.T, ctx context.Context, ex dialect.Executor, table *mapped.Table[T], cond query.Cond[T]) int64 {
	t.Helper()
	n, err := repo.New(ex, table).Where(cond).Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
