package model

import (
	"fmt"
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
	for _, t := range m.tables {
		for _, c := range t.Info().Columns {
			ref := c.References
			if ref == nil {
				continue
			}
			left, right := "||", "o{"
			if c.Nullable {
				left = "|o"
			}
			if c.Unique || (c.PrimaryKey && len(t.Info().PrimaryKey) == 1) {
				right = "o|"
			}
			label := c.Name
			if a := m.OnDelete(c); a != mapped.NoAction {
				label += ", on delete " + strings.ToLower(a.SQL())
			}
			fmt.Fprintf(&b, "    %s %s--%s %s : %q\n", erdName(ref.Table), left, right, erdName(t), label)
		}
	}
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
