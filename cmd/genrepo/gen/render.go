package gen

import (
	"bytes"
	"fmt"
	"go/format"
	"slices"
	"strconv"
	"strings"

	"github.com/genrepo/genrepo/mapped"
)

// headerMark ends the first line of the file Generate writes, after
// "// Package NAME".
const headerMark = "maps the tables of a database to Go, as genrepo gen read them:"

// Wrote reports whether src, a file's contents, is one Generate wrote: its
// first line is the header Generate writes (whatever was edited below
// it). genrepo gen overwrites no other file unless told to.
func Wrote(src []byte) bool {
	line, _, _ := bytes.Cut(src, []byte("\n"))
	name, ok := bytes.CutPrefix(line, []byte("// Package "))
	if !ok {
		return false
	}
	name, ok = bytes.CutSuffix(bytes.TrimRight(name, "\r"), []byte(" "+headerMark))
	return ok && len(name) > 0 && !bytes.ContainsAny(name, " \t")
}

// render writes the plan as a gofmt-ed Go file.
func (p *plan) render() ([]byte, error) {
	var b bytes.Buffer
	// The header names no dialect: tables whose types map alike give the
	// same file on both, which serves both.
	fmt.Fprintf(&b, "// Package %s %s\n", p.pkg, headerMark)
	b.WriteString("// a struct per row, a typed table, the relations of the foreign keys and the\n")
	b.WriteString("// Model holding them all. It is a starting point: rename, trim and document\n")
	b.WriteString("// it as your own code.\n")
	fmt.Fprintf(&b, "package %s\n\nimport (\n", p.pkg)
	imports := make([]string, 0, len(p.imports))
	for imp, ok := range p.imports {
		if ok {
			imports = append(imports, imp)
		}
	}
	// The standard library first, then genrepo, as goimports groups them.
	slices.SortFunc(imports, func(x, y string) int {
		if sx, sy := !strings.Contains(x, "."), !strings.Contains(y, "."); sx != sy {
			if sx {
				return -1
			}
			return 1
		}
		return strings.Compare(x, y)
	})
	for i, imp := range imports {
		if i > 0 && strings.Contains(imp, ".") && !strings.Contains(imports[i-1], ".") {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "\t%q\n", imp)
	}
	b.WriteString(")\n")
	for _, s := range p.skipped {
		fmt.Fprintf(&b, "\n// Not mapped: %s.\n", s)
	}
	for _, t := range p.tables {
		p.renderTable(&b, t)
	}
	if len(p.rels) > 0 {
		b.WriteString("\n// The relations of the foreign keys.\nvar (\n")
		for _, r := range p.rels {
			fmt.Fprintf(&b, "\t// %s\n\t%s = %s\n", r.doc, r.name, r.expr)
		}
		b.WriteString(")\n")
	}
	fmt.Fprintf(&b, "\n// Model is every table, with the cascades of the foreign keys' ON DELETE.\nvar Model = model.MustNew(\n\tmodel.Tables(")
	for i, t := range p.tables {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(t.tvar + ".Table")
	}
	b.WriteString("),\n")
	for _, part := range p.parts {
		fmt.Fprintf(&b, "\t%s,\n", part)
	}
	b.WriteString(")\n")
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("gen: format: %w\n%s", err, b.Bytes())
	}
	return out, nil
}

func (p *plan) renderTable(b *bytes.Buffer, t *table) {
	fmt.Fprintf(b, "\n// %s is a row of the %s table.\ntype %s struct {\n", t.strct, t.name, t.strct)
	for _, c := range t.cols {
		fmt.Fprintf(b, "\t%s %s", c.field, c.valueType())
		if c.shadowed != "" {
			fmt.Fprintf(b, " // NOT NULL DEFAULT %s: Insert writes the field as it is (its zero value if unset), never the default", oneLine(c.shadowed))
		}
		b.WriteString("\n")
	}
	for _, f := range t.relFields {
		fmt.Fprintf(b, "\t%s %s\n", f.name, f.typ)
	}
	for _, n := range t.notes {
		fmt.Fprintf(b, "\t// Not mapped: %s.\n", strings.TrimPrefix(n, "table "+t.name+": "))
	}
	fmt.Fprintf(b, "}\n\n// %s holds the typed columns of the %s table.\ntype %s struct {\n\t*mapped.Table[%s]\n",
		t.ttype, t.name, t.ttype, t.strct)
	for _, c := range t.cols {
		fmt.Fprintf(b, "\t%s %s\n", c.field, c.columnType(t.strct))
	}
	fmt.Fprintf(b, "}\n\n// %s maps the %s table.\nvar %s = mapped.Define(%q, func(t *mapped.Table[%s], %s *%s) %s {\n",
		t.tvar, t.name, t.tvar, t.name, t.strct, t.recv, t.strct, t.ttype)
	if p.inSchema != "" {
		fmt.Fprintf(b, "\tt.InSchema(%q)\n", p.inSchema)
	}
	if !t.selfRef && len(t.uniques) == 0 {
		fmt.Fprintf(b, "\treturn %s{\n\t\tTable: t,\n", t.ttype)
		for _, c := range t.cols {
			fmt.Fprintf(b, "\t\t%s: %s,\n", c.field, t.declare(c, ""))
		}
		b.WriteString("\t}\n})\n")
		return
	}
	local := t.recv + "t"
	fmt.Fprintf(b, "\t%s := %s{Table: t}\n", local, t.ttype)
	// A column the table's own foreign keys reference comes first, so
	// that it is declared when they are.
	cols := slices.Clone(t.cols)
	slices.SortStableFunc(cols, func(x, y *column) int { return t.selfTarget(y) - t.selfTarget(x) })
	for _, c := range cols {
		fmt.Fprintf(b, "\t%s.%s = %s\n", local, c.field, t.declare(c, local))
	}
	for _, u := range t.uniques {
		fmt.Fprintf(b, "\tmapped.UniqueTogether(t")
		for _, c := range u {
			fmt.Fprintf(b, ", %s.%s", local, c.field)
		}
		b.WriteString(")\n")
	}
	fmt.Fprintf(b, "\treturn %s\n})\n", local)
}

// selfTarget is 1 for a column that a foreign key of its own table
// references.
func (t *table) selfTarget(c *column) int {
	for _, o := range t.cols {
		if o.fk != nil && o.fk.parent == t && o.fk.ref == c {
			return 1
		}
	}
	return 0
}

// valueType is the Go type of the column's field.
func (c *column) valueType() string {
	if c.nullable && c.typ.ctor != "JSON" {
		return "*" + c.typ.base
	}
	return c.typ.base
}

// isText reports whether the column is declared by mapped.Text.
func (c *column) isText() bool { return !c.pk && c.fk == nil && c.typ.ctor == "Text" }

// columnType is the type of the column's field in its table's struct.
func (c *column) columnType(strct string) string {
	switch {
	case c.isText():
		return fmt.Sprintf("mapped.TextColumn[%s, %s]", strct, c.valueType())
	case c.fk != nil && c.nullable:
		return fmt.Sprintf("mapped.NullableColumn[%s, %s]", strct, c.typ.base)
	}
	return fmt.Sprintf("mapped.Column[%s, %s]", strct, c.valueType())
}

// declare is the call that declares column c; local names the table's
// struct under construction, for a reference to its own column.
func (t *table) declare(c *column, local string) string {
	args := []string{"t", "&" + t.recv + "." + c.field}
	ctor := c.typ.ctor
	if c.fk != nil {
		ctor = "ForeignKey"
		if c.nullable {
			ctor = "NullableForeignKey"
		}
		ref := c.fk.parent.tvar + "." + c.fk.ref.field
		if c.fk.parent == t {
			ref = local + "." + c.fk.ref.field
		}
		if c.fk.ref.isText() {
			ref += ".Column"
		}
		args = append(args, ref)
	} else if c.pk {
		ctor = "PrimaryKey"
	}
	if mapped.ColumnName(c.field) != c.name {
		args = append(args, "mapped.Name("+strconv.Quote(c.name)+")")
	}
	if c.fk == nil {
		args = append(args, c.typ.opts...)
	}
	if c.unique {
		args = append(args, "mapped.Unique()")
	}
	if c.index {
		args = append(args, "mapped.Index()")
	}
	if c.def != "" {
		args = append(args, c.def)
	}
	if c.fk != nil && c.fk.onDelete != "" {
		args = append(args, "mapped.OnDelete(mapped."+c.fk.onDelete+")")
	}
	if c.fk != nil && c.pk {
		args = append(args, "mapped.InPrimaryKey()")
	}
	if c.pk && t.singleKey && c.typ.integer && !c.auto {
		args = append(args, "mapped.Manual()")
	}
	return "mapped." + ctor + "(" + strings.Join(args, ", ") + ")"
}

// oneLine is s with each run of white space one space, for a comment.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
