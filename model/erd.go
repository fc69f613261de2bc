package model

import (
	"fmt"
	"html"
	"strconv"
	"strings"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
)

// Mermaid returns the model as a Mermaid entity-relationship diagram
// (erDiagram): each table with its columns, their portable types and
// their keys (PK, FK, UK), and a line for each foreign key, from the
// referenced table to the referencing one: one to zero-or-more children
// ("||--o{"), zero-or-one to them for a nullable key ("|o--o{"), and to
// at most one for a unique key ("||--o|"), labelled with the key column
// and the delete rule the model gives it (CASCADE, SET NULL, RESTRICT).
// Tables appear in the model's order; a schema-qualified table is named
// schema.table.
func (m *Model) Mermaid() string {
	var b strings.Builder
	b.WriteString("erDiagram\n")
	for _, t := range m.tables {
		in := t.Info()
		fmt.Fprintf(&b, "    %s {\n", erdName(t))
		for _, c := range in.Columns {
			fmt.Fprintf(&b, "        %s %s%s\n", erdType(c.Type), c.Name, erdKeys(c))
		}
		b.WriteString("    }\n")
	}
	for _, e := range m.erdEdges() {
		left, right := "||", "o{"
		if e.nullable {
			left = "|o"
		}
		if e.single {
			right = "o|"
		}
		fmt.Fprintf(&b, "    %s %s--%s %s : %q\n", erdName(e.parent), left, right, erdName(e.child), e.label)
	}
	return b.String()
}

// erdEdge is one foreign key of a diagram.
type erdEdge struct {
	parent, child mapped.Schema
	column        int    // the key column's index in the child's columns
	nullable      bool   // the key is nullable: zero or one parent
	single        bool   // the key is unique: at most one child
	label         string // the key column, and the delete rule the model gives it
}

// erdEdges returns the model's foreign keys, in the order of its tables
// and their columns.
func (m *Model) erdEdges() []erdEdge {
	var edges []erdEdge
	for _, t := range m.tables {
		in := t.Info()
		for i, c := range in.Columns {
			if c.References == nil {
				continue
			}
			label := c.Name
			if a := m.OnDelete(c); a != mapped.NoAction {
				label += ", on delete " + strings.ToLower(a.SQL())
			}
			edges = append(edges, erdEdge{
				parent: c.References.Table, child: t, column: i,
				nullable: c.Nullable,
				single:   c.Unique || (c.PrimaryKey && len(in.PrimaryKey) == 1),
				label:    label,
			})
		}
	}
	return edges
}

// DOT returns the model as a Graphviz digraph: each table a node listing
// its columns, their portable types and keys (PK, FK, UK), and an edge
// for each foreign key, from the key column of the referencing table to
// the table it references, drawn in crow's-foot notation (many, or at
// most one for a unique key, at the child's end; exactly one, or zero or
// one for a nullable key, at the parent's) and labelled as in Mermaid.
// Names are quoted and escaped, so any table or column name is safe.
// Render it with dot -Tsvg.
func (m *Model) DOT() string {
	var b strings.Builder
	b.WriteString("digraph model {\n    rankdir=LR;\n    node [shape=plaintext];\n")
	ids := make(map[*mapped.Info]string, len(m.tables))
	for i, t := range m.tables {
		id := fmt.Sprintf("t%d", i)
		ids[t.Info()] = id
		fmt.Fprintf(&b, "    %s [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\">", id)
		fmt.Fprintf(&b, "<tr><td bgcolor=\"lightgrey\"><b>%s</b></td></tr>", html.EscapeString(erdName(t)))
		for j, c := range t.Info().Columns {
			fmt.Fprintf(&b, "<tr><td port=\"c%d\" align=\"left\">%s %s%s</td></tr>",
				j, html.EscapeString(c.Name), html.EscapeString(erdType(c.Type)), html.EscapeString(erdKeys(c)))
		}
		b.WriteString("</table>>];\n")
	}
	for _, e := range m.erdEdges() {
		tail, head := "crowodot", "teetee"
		if e.single {
			tail = "teeodot"
		}
		if e.nullable {
			head = "teeodot"
		}
		fmt.Fprintf(&b, "    %s:c%d -> %s [dir=both, arrowtail=%s, arrowhead=%s, label=%s];\n",
			ids[e.child.Info()], e.column, ids[e.parent.Info()], tail, head, strconv.Quote(e.label))
	}
	b.WriteString("}\n")
	return b.String()
}

// erdName is a table's name in a diagram.
func erdName(t mapped.Schema) string {
	if s := t.Info().Schema; s != "" {
		return s + "." + t.Info().Name
	}
	return t.Info().Name
}

// erdType is a column's type in a diagram: its kind, with its size or
// precision, or the custom type's name (spaces and parentheses, which a
// Mermaid attribute type cannot hold, turned into '_').
func erdType(t dialect.Type) string {
	s := t.Kind.String()
	switch {
	case t.Kind == dialect.Custom:
		s = t.Name
	case t.Size > 0:
		s = fmt.Sprintf("%s_%d", s, t.Size)
	case t.Precision > 0:
		s = fmt.Sprintf("%s_%d_%d", s, t.Precision, t.Scale)
	}
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '(' || r == ')' || r == ',' {
			return '_'
		}
		return r
	}, s)
}

// erdKeys is a column's key markers in a diagram.
func erdKeys(c *mapped.ColumnInfo) string {
	var keys []string
	if c.PrimaryKey {
		keys = append(keys, "PK")
	}
	if c.References != nil {
		keys = append(keys, "FK")
	}
	if c.Unique {
		keys = append(keys, "UK")
	}
	if len(keys) == 0 {
		return ""
	}
	return " " + strings.Join(keys, ", ")
}
