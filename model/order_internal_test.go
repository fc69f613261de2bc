package model

import (
	"slices"
	"testing"

	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/relation"
)

// A parent p whose rules reach chains of tables: p ← a1 ← a2 and
// p ← b1 ← b2 (each cascading to the next), c referencing p alone, and
// x2, y2 referencing a2 and b2 from beside them (their own chains
// p ← x1 ← x2 and p ← y1 ← y2).

type oRow struct {
	ID, P, A, B int64
}

type oTables struct {
	p, a1, a2, b1, b2, c *mapped.Table[oRow]
	// The foreign keys each table's relation to its parent is over.
	fks map[string]mapped.Column[oRow, int64]
}

// oDefine defines the tables, a2 referencing b1 when a2b1, b2 referencing
// a1 when b2a1, and c referencing a2 when ca2.
func oDefine(a2b1, b2a1, ca2 bool) oTables {
	ts := oTables{fks: map[string]mapped.Column[oRow, int64]{}}
	var pID, a1ID, a2ID, b1ID mapped.Column[oRow, int64]
	ts.p = mapped.Define("o_p", func(t *mapped.Table[oRow], r *oRow) *mapped.Table[oRow] {
		pID = mapped.PrimaryKey(t, &r.ID)
		return t
	})
	def := func(name string, parent mapped.Column[oRow, int64], other *mapped.Column[oRow, int64], id *mapped.Column[oRow, int64]) *mapped.Table[oRow] {
		return mapped.Define(name, func(t *mapped.Table[oRow], r *oRow) *mapped.Table[oRow] {
			k := mapped.PrimaryKey(t, &r.ID)
			if id != nil {
				*id = k
			}
			ts.fks[name] = mapped.ForeignKey(t, &r.P, parent)
			if other != nil {
				mapped.ForeignKey(t, &r.A, *other)
			}
			return t
		})
	}
	ts.a1 = def("o_a1", pID, nil, &a1ID)
	ts.b1 = def("o_b1", pID, nil, &b1ID)
	var a2Other, b2Other, cOther *mapped.Column[oRow, int64]
	if a2b1 {
		a2Other = &b1ID
	}
	ts.a2 = def("o_a2", a1ID, a2Other, &a2ID)
	if b2a1 {
		b2Other = &a1ID
	}
	ts.b2 = def("o_b2", b1ID, b2Other, nil)
	if ca2 {
		cOther = &a2ID
	}
	ts.c = def("o_c", pID, cOther, nil)
	return ts
}

func (ts oTables) rel(name string) *relation.OneToMany[oRow, oRow] {
	return relation.HasMany(ts.fks[name], func(*oRow) *[]*oRow { return new([]*oRow) })
}

// TestOrderRulesByReach checks the order of a parent's rules: a rule
// whose cascade reaches a table referencing one another rule's cascade
// reaches runs first, the declared order is kept otherwise, and among
// rules whose cascades reference each other both ways, which still run
// after the rules that must go before one of them.
func TestOrderRulesByReach(t *testing.T) {
	for _, c := range []struct {
		name            string
		a2b1, b2a1, ca2 bool
		declared, want  []string // the rules of o_p by child table
	}{
		{"independent", false, false, false, []string{"o_a1", "o_b1", "o_c"}, []string{"o_a1", "o_b1", "o_c"}},
		{"independent, declared the other way", false, false, false, []string{"o_c", "o_b1", "o_a1"}, []string{"o_c", "o_b1", "o_a1"}},
		// c references a2, which a1's cascade deletes: c first.
		{"c references what a1 reaches", false, false, true, []string{"o_a1", "o_b1", "o_c"}, []string{"o_b1", "o_c", "o_a1"}},
		// a2 (reached from a1) references b1: a1's cascade first.
		{"a1 reaches a table referencing b1", true, false, false, []string{"o_b1", "o_a1", "o_c"}, []string{"o_a1", "o_b1", "o_c"}},
		// and b2 (reached from b1) references a1: a cycle, declared order.
		{"each reaches a table referencing the other", true, true, false, []string{"o_b1", "o_a1", "o_c"}, []string{"o_b1", "o_a1", "o_c"}},
		{"each reaches a table referencing the other, declared the other way", true, true, false, []string{"o_a1", "o_b1", "o_c"}, []string{"o_a1", "o_b1", "o_c"}},
		// The cycle keeps its order, c still goes before a1 (and so
		// before b1, which a1 and b1's cycle puts with it).
		{"a cycle, and c referencing what a1 reaches", true, true, true, []string{"o_a1", "o_b1", "o_c"}, []string{"o_c", "o_a1", "o_b1"}},
		{"a cycle declared the other way, and c referencing what a1 reaches", true, true, true, []string{"o_b1", "o_c", "o_a1"}, []string{"o_c", "o_b1", "o_a1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ts := oDefine(c.a2b1, c.b2a1, c.ca2)
			parts := []Part{Tables(ts.p, ts.a1, ts.a2, ts.b1, ts.b2, ts.c),
				OnDelete(ts.rel("o_a2"), mapped.Cascade), OnDelete(ts.rel("o_b2"), mapped.Cascade)}
			for _, name := range c.declared {
				parts = append(parts, OnDelete(ts.rel(name), mapped.Cascade))
			}
			m, err := New(parts...)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range m.deletes[ts.p.Info()] {
				got = append(got, r.child.TableName())
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("rules of o_p: %v, want %v", got, c.want)
			}
		})
	}
}
