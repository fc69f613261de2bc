package gen

import (
	"fmt"
	"strings"
)

// keyColumns returns t's primary-key columns in column order.
func (t *table) keyColumns() []*column {
	var out []*column
	for _, c := range t.cols {
		if c.pk {
			out = append(out, c)
		}
	}
	return out
}

// relations declares the relations of t's foreign keys: a table keyed by
// two foreign keys is an association table, whose keys make a
// many-to-many relation and its reverse; any other foreign key makes a
// many-to-one relation and its one-to-many inverse (one-to-one for a
// unique NOT NULL key).
func (p *plan) relations(t *table) {
	keys := t.keyColumns()
	link := len(keys) == 2 && keys[0].fk != nil && keys[1].fk != nil
	if link {
		p.manyToMany(t, keys[0], keys[1])
	}
	counts := map[*table]int{}
	for _, c := range t.cols {
		if c.fk != nil {
			counts[c.fk.parent]++
		}
	}
	for _, c := range t.cols {
		if c.fk == nil || link && c.pk {
			continue
		}
		p.oneToMany(t, c, counts[c.fk.parent] > 1)
	}
	p.imports["github.com/genrepo/genrepo/relation"] = p.imports["github.com/genrepo/genrepo/relation"] || len(p.rels) > 0
}

// manyToMany declares the relation between the tables link's keys a and b
// reference, from a's table and back.
func (p *plan) manyToMany(link *table, a, b *column) {
	ta, tb := a.fk.parent, b.fk.parent
	fa := ta.fields.take(plural(tb.strct))
	ta.relFields = append(ta.relFields, relField{fa, "[]*" + tb.strct})
	fb := tb.fields.take(plural(ta.strct))
	tb.relFields = append(tb.relFields, relField{fb, "[]*" + ta.strct})
	name := p.names.take(ta.strct+fa, "Rel")
	ra, rb := receiver(ta.strct), receiver(tb.strct)
	p.rels = append(p.rels, relation{name: name,
		doc: fmt.Sprintf("%s is many-to-many from %s to %s through %s.", name, ta.name, tb.name, link.name),
		expr: fmt.Sprintf("relation.ManyToManyThrough(%s.%s, %s.%s,\n\tfunc(%s *%s) *[]*%s { return &%s.%s })",
			link.tvar, a.field, link.tvar, b.field, ra, ta.strct, tb.strct, ra, fa)})
	rev := p.names.take(tb.strct+fb, "Rel")
	p.rels = append(p.rels, relation{name: rev,
		doc:  fmt.Sprintf("%s is %s seen from %s.", rev, name, tb.name),
		expr: fmt.Sprintf("%s.Reverse(func(%s *%s) *[]*%s { return &%s.%s })", name, rb, tb.strct, ta.strct, rb, fb)})
	if a.fk.onDelete == "Cascade" && b.fk.onDelete == "Cascade" {
		p.parts = append(p.parts, fmt.Sprintf("model.Links(%s)", name))
	}
}

// oneToMany declares the relations of child's foreign key c: BelongsTo
// from the child, HasMany (or HasOne) from the parent with its Back
// pointer. qualify prefixes the parent's field with the key's name, when
// the child references the parent more than once.
func (p *plan) oneToMany(child *table, c *column, qualify bool) {
	parent := c.fk.parent
	base := camel(trimID(c.name))
	up := base
	if child.fields[up] || up == "X" {
		up += parent.strct
	}
	up = child.fields.take(up)
	child.relFields = append(child.relFields, relField{up, "*" + parent.strct})
	one := !c.nullable && (c.unique || c.pk && child.singleKey)
	down := plural(child.strct)
	if one {
		down = child.strct
	}
	if qualify {
		down = base + down
	}
	down = parent.fields.take(down)
	rp, rc := receiver(parent.strct), receiver(child.strct)
	nullable := ""
	if c.nullable {
		nullable = "Nullable"
	}
	var inverse string
	if one {
		parent.relFields = append(parent.relFields, relField{down, "*" + child.strct})
		inverse = fmt.Sprintf("relation.HasOne(%s.%s, func(%s *%s) **%s { return &%s.%s })",
			child.tvar, c.field, rp, parent.strct, child.strct, rp, down)
	} else {
		parent.relFields = append(parent.relFields, relField{down, "[]*" + child.strct})
		inverse = fmt.Sprintf("relation.HasMany%s(%s.%s,\n\tfunc(%s *%s) *[]*%s { return &%s.%s })",
			nullable, child.tvar, c.field, rp, parent.strct, child.strct, rp, down)
	}
	inverse += fmt.Sprintf(".\n\tBack(func(%s *%s) **%s { return &%s.%s })", rc, child.strct, parent.strct, rc, up)
	inv := p.names.take(parent.strct+down, "Rel")
	kind := "one-to-many"
	if one {
		kind = "one-to-one"
	}
	p.rels = append(p.rels, relation{name: inv, expr: inverse,
		doc: fmt.Sprintf("%s is %s from %s to the %s rows whose %s references it.", inv, kind, parent.name, child.name, c.name)})
	belongs := p.names.take(child.strct+up, "Rel")
	p.rels = append(p.rels, relation{name: belongs,
		doc: fmt.Sprintf("%s is many-to-one from %s to the %s row its %s references.", belongs, child.name, parent.name, c.name),
		expr: fmt.Sprintf("relation.BelongsTo%s(%s.%s, func(%s *%s) **%s { return &%s.%s })",
			nullable, child.tvar, c.field, rc, child.strct, parent.strct, rc, up)})
	switch c.fk.onDelete {
	case "Cascade", "Restrict":
		p.parts = append(p.parts, fmt.Sprintf("model.OnDelete(%s, mapped.%s)", inv, c.fk.onDelete))
	case "SetNull":
		if c.nullable {
			p.parts = append(p.parts, fmt.Sprintf("model.OnDelete(%s, mapped.SetNull)", inv))
		}
	}
}

// trimID drops a key column's _id suffix: artist_id is artist.
func trimID(name string) string {
	l := strings.ToLower(name)
	switch {
	case strings.HasSuffix(l, "_id"):
		return name[:len(name)-3]
	case strings.HasSuffix(l, "id") && len(name) > 2 && name[len(name)-3] >= 'a' && name[len(name)-3] <= 'z' && name[len(name)-2] == 'I':
		return name[:len(name)-2] // ArtistId
	}
	return name
}
