package mapped_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/mapped"
)

type badRow struct {
	ID    int64
	Name  string
	Other string
	Ch    chan int
	V1    int32
	V2    int64
}

// TestDefineRejects checks that each mistake in a mapping panics at
// definition with a message naming the table and the problem.
func TestDefineRejects(t *testing.T) {
	var outside string
	cases := []struct {
		name  string
		table string
		build func(t *mapped.Table[badRow], r *badRow)
		want  string
	}{
		{"no primary key", "t1", func(t *mapped.Table[badRow], r *badRow) {
			mapped.Text(t, &r.Name)
		}, "no primary key"},
		{"duplicate column", "t2", func(t *mapped.Table[badRow], r *badRow) {
			mapped.PrimaryKey(t, &r.ID)
			mapped.Text(t, &r.Name)
			mapped.Text(t, &r.Other, mapped.Name("name"))
		}, `column "name" declared twice`},
		{"two version columns", "tv1", func(t *mapped.Table[badRow], r *badRow) {
			mapped.PrimaryKey(t, &r.ID)
			mapped.Col(t, &r.V1, mapped.Version())
			mapped.Col(t, &r.V2, mapped.Version())
		}, `column "v2": a second version column ("v1" is one)`},
		{"text version column", "tv2", func(t *mapped.Table[badRow], r *badRow) {
			mapped.PrimaryKey(t, &r.ID)
			mapped.Text(t, &r.Name, mapped.Version())
		}, `column "name": a version column must be a non-null integer`},
		{"version key", "tv3", func(t *mapped.Table[badRow], r *badRow) {
			mapped.PrimaryKey(t, &r.ID, mapped.Version())
		}, `version column cannot be part of the key`},
		{"same field twice", "t3", func(t *mapped.Table[badRow], r *badRow) {
			mapped.PrimaryKey(t, &r.ID)
			mapped.Text(t, &r.Name, mapped.Name("a"))
			mapped.Text(t, &r.Name, mapped.Name("b"))
		}, `map the same field`},
		{"pointer outside the row", "t4", func(t *mapped.Table[badRow], r *badRow) {
			mapped.PrimaryKey(t, &r.ID)
			mapped.Text(t, &outside, mapped.Name("x"))
		}, "not to a field of the template row"},
		{"type not inferable", "t5", func(t *mapped.Table[badRow], r *badRow) {
			mapped.PrimaryKey(t, &r.ID)
			mapped.Col(t, &r.Ch)
		}, "cannot infer the SQL type"},
		{"bad column name", "t6", func(t *mapped.Table[badRow], r *badRow) {
			mapped.PrimaryKey(t, &r.ID)
			mapped.Text(t, &r.Name, mapped.Name(`na"me`))
		}, "double quote"},
		{"empty table name", "", func(t *mapped.Table[badRow], r *badRow) {
			mapped.PrimaryKey(t, &r.ID)
		}, "empty identifier"},
		{"dotted table name", "data.product_stocks", func(t *mapped.Table[badRow], r *badRow) {
			mapped.PrimaryKey(t, &r.ID)
		}, `a dot in a table name ("data.product_stocks")`},
		{"set null on a not-null column", "t8", func(t *mapped.Table[badRow], r *badRow) {
			id := mapped.PrimaryKey(t, &r.ID)
			mapped.ForeignKey(t, &r.ID, id, mapped.OnDelete(mapped.SetNull), mapped.Name("parent"))
		}, "SET NULL needs a nullable column"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msg := panicOf(func() {
				mapped.Define(c.table, func(tb *mapped.Table[badRow], r *badRow) int {
					c.build(tb, r)
					return 0
				})
			})
			if !strings.Contains(msg, c.want) {
				t.Errorf("panic = %q, want it to contain %q", msg, c.want)
			}
			if !strings.Contains(msg, fmt.Sprintf("table %q", c.table)) {
				t.Errorf("panic = %q, want it to name table %q", msg, c.table)
			}
		})
	}
}

func panicOf(f func()) (msg string) {
	defer func() {
		if p := recover(); p != nil {
			msg = fmt.Sprint(p)
		}
	}()
	f()
	return "no panic"
}

func TestCompositeKeyIsNotGenerated(t *testing.T) {
	type link struct{ A, B int64 }
	links := mapped.Define("link", func(t *mapped.Table[link], l *link) *mapped.Table[link] {
		mapped.PrimaryKey(t, &l.A)
		mapped.PrimaryKey(t, &l.B)
		return t
	})
	if links.Auto() != nil {
		t.Errorf("composite key: Auto() = %v, want nil", links.Auto().Name())
	}
	if got := len(links.PrimaryKey()); got != 2 {
		t.Errorf("key columns = %d, want 2", got)
	}
}

func TestSortPutsReferencedTablesFirst(t *testing.T) {
	type node struct {
		ID    int64
		Other int64
	}
	a := mapped.Define("cyc_a", func(t *mapped.Table[node], n *node) mapped.Column[node, int64] {
		return mapped.PrimaryKey(t, &n.ID)
	})
	b := mapped.Define("cyc_b", func(t *mapped.Table[node], n *node) mapped.Column[node, int64] {
		id := mapped.PrimaryKey(t, &n.ID)
		mapped.ForeignKey(t, &n.Other, a, mapped.Name("a_id"))
		return id
	})
	// A self-reference is not a cycle.
	self := mapped.Define("cyc_self", func(t *mapped.Table[node], n *node) *mapped.Table[node] {
		id := mapped.PrimaryKey(t, &n.ID)
		mapped.ForeignKey(t, &n.Other, id, mapped.Name("parent_id"))
		return t
	})
	if _, err := mapped.Sort([]mapped.Schema{self, b.Field().Table(), a.Field().Table()}); err != nil {
		t.Fatalf("Sort: %v", err)
	}
	order, _ := mapped.Sort([]mapped.Schema{b.Field().Table(), a.Field().Table()})
	if order[0].TableName() != "cyc_a" {
		t.Errorf("first table = %s, want cyc_a (referenced before referencing)", order[0].TableName())
	}
}
