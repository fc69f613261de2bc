package gen

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/genrepo/genrepo/dialect"
)

const pkgDialect = "github.com/genrepo/genrepo/dialect"

// plan is what Generate writes, worked out from an inspected schema before
// any text is written.
type plan struct {
	dialect  string
	pkg      string
	tables   []*table
	byName   map[string]*table
	names    namer      // package-level identifiers
	rels     []relation // relation variables, in order
	parts    []string   // the model's parts beside its tables
	imports  map[string]bool
	warnings []string
	skipped  []string // tables not mapped, and why
	inSchema string   // the schema the tables are placed in, or ""
}

// table is one mapped table.
type table struct {
	src                 *schema.Table
	name                string
	strct, ttype, tvar  string
	recv                string
	cols                []*column
	byName              map[string]*column
	uniques             [][]*column
	notes               []string
	fields              namer // the struct's field names
	relFields           []relField
	selfRef             bool
	singleKey, compound bool
}

// column is one mapped column.
type column struct {
	name, field string
	typ         goType
	nullable    bool
	pk, auto    bool
	unique      bool
	index       bool
	def         string // the Default or DefaultSQL option, or ""
	// shadowed is the database's DEFAULT of a NOT NULL column whose field
	// cannot hold NULL, so Insert always writes the field: mapped applies
	// a default only to a NULL value. The struct notes it on the field.
	shadowed string
	fk       *fkey
}

// fkey is a single-column foreign key genrepo declares.
type fkey struct {
	parent   *table
	ref      *column
	onDelete string // mapped's name of the action, "" for NO ACTION
}

// relField is a struct field a relation fills.
type relField struct{ name, typ string }

// relation is a package-level relation variable.
type relation struct{ name, doc, expr string }

// warn records a warning, which is also written as a comment: white space
// (a CHECK's expression over several lines, say) is made single spaces.
func (p *plan) warn(format string, args ...any) string {
	msg := strings.Join(strings.Fields(fmt.Sprintf(format, args...)), " ")
	p.warnings = append(p.warnings, msg)
	return msg
}

// newPlan works out the mapping of s's tables.
func newPlan(s *schema.Schema, dialect, pkg string) *plan {
	p := &plan{dialect: dialect, pkg: pkg, byName: map[string]*table{}, names: namer{"Model": true},
		imports: map[string]bool{"github.com/genrepo/genrepo/mapped": true, "github.com/genrepo/genrepo/model": true}}
	// Tables in their names' order, as PostgreSQL's inspector gives them
	// and SQLite's does not (it gives the order of creation), so that the
	// same tables give the same code on both.
	tables := slices.SortedFunc(slices.Values(s.Tables), func(a, b *schema.Table) int {
		return strings.Compare(a.Name, b.Name)
	})
	for _, st := range tables {
		if t := p.addTable(st); t != nil {
			p.tables = append(p.tables, t)
			p.byName[t.name] = t
		}
	}
	for _, t := range p.tables {
		p.foreignKeys(t)
	}
	p.breakCycles()
	for _, t := range p.tables {
		p.indexes(t)
	}
	for _, t := range p.tables {
		p.relations(t)
	}
	for _, t := range p.tables {
		for _, c := range t.cols {
			for _, imp := range c.typ.imports {
				p.imports[imp] = true
			}
		}
	}
	return p
}

// addTable maps st's columns and key, or returns nil (with a warning)
// when genrepo cannot map the table.
func (p *plan) addTable(st *schema.Table) *table {
	if why := nameProblem(st.Name); why != "" {
		p.skipped = append(p.skipped, p.warn("table %s is not mapped: %s", st.Name, why))
		return nil
	}
	if strings.Contains(st.Name, ".") {
		p.skipped = append(p.skipped, p.warn("table %s is not mapped: genrepo refuses a dot in a table name", st.Name))
		return nil
	}
	if st.PrimaryKey == nil || len(st.PrimaryKey.Parts) == 0 {
		p.skipped = append(p.skipped, p.warn("table %s is not mapped: it has no primary key, which genrepo needs", st.Name))
		return nil
	}
	strct := p.names.take(singular(camel(st.Name)))
	t := &table{src: st, name: st.Name, strct: strct, byName: map[string]*column{}, fields: namer{"Table": true}}
	t.ttype = p.names.take(strct+"Table", "s")
	t.tvar = p.names.take(plural(strct), "Table")
	t.recv = receiver(strct)
	keys := map[string]bool{}
	for _, part := range st.PrimaryKey.Parts {
		if part.C == nil {
			p.skipped = append(p.skipped, p.warn("table %s is not mapped: its primary key holds an expression", st.Name))
			return nil
		}
		keys[part.C.Name] = true
	}
	t.singleKey, t.compound = len(keys) == 1, len(keys) > 1
	if order := keyOrder(st); order != "" {
		t.notes = append(t.notes, p.warn("table %s: %s", st.Name, order))
	}
	for _, a := range st.Attrs {
		if c, ok := a.(*schema.Check); ok {
			t.notes = append(t.notes, p.warn("table %s: check constraint %s CHECK (%s) is not mapped: genrepo declares no CHECK", st.Name, c.Name, c.Expr))
		}
	}
	for _, sc := range st.Columns {
		c, note := p.column(t, sc, keys[sc.Name])
		if note != "" {
			if keys[sc.Name] {
				p.skipped = append(p.skipped, p.warn("table %s is not mapped: its key %s", st.Name, note))
				return nil
			}
			t.notes = append(t.notes, p.warn("table %s: column %s", st.Name, note))
			continue
		}
		t.cols = append(t.cols, c)
		t.byName[c.name] = c
	}
	return t
}

// nameProblem says why genrepo refuses name (mapped.Define would panic at
// start-up), or "" when it takes it.
func nameProblem(name string) string {
	if err := dialect.CheckIdent(name); err != nil {
		return "genrepo refuses the name: " + strings.TrimPrefix(err.Error(), "dialect: ")
	}
	return ""
}

// keyOrder says how st's primary key differs in order from its columns,
// in which genrepo declares a key, or "" when it does not.
func keyOrder(st *schema.Table) string {
	var key, cols []string
	for _, part := range st.PrimaryKey.Parts {
		key = append(key, part.C.Name)
	}
	for _, c := range st.Columns {
		if slices.Contains(key, c.Name) {
			cols = append(cols, c.Name)
		}
	}
	if slices.Equal(key, cols) {
		return ""
	}
	return fmt.Sprintf("primary key (%s) is declared in the order of its columns (%s), which leads its index with another column",
		strings.Join(key, ", "), strings.Join(cols, ", "))
}

// column maps one column, or says why it cannot.
func (p *plan) column(t *table, sc *schema.Column, pk bool) (*column, string) {
	if why := nameProblem(sc.Name); why != "" {
		return nil, fmt.Sprintf("%s is not mapped: %s", sc.Name, why)
	}
	if sqlxHas(sc.Attrs, &schema.GeneratedExpr{}) {
		return nil, fmt.Sprintf("%s is not mapped: it is generated by the database (GENERATED ALWAYS AS), which genrepo would write", sc.Name)
	}
	typ, err := mapType(p.dialect, sc)
	if err != nil {
		return nil, fmt.Sprintf("%s is not mapped: %v", sc.Name, err)
	}
	c := &column{name: sc.Name, typ: typ, pk: pk, nullable: sc.Type.Null && !pk}
	c.field = t.fields.take(camel(sc.Name))
	c.auto = typ.auto || sqlxHas(sc.Attrs, &postgres.Identity{}) || sqlxHas(sc.Attrs, &sqlite.AutoIncrement{})
	if c.auto && !(pk && t.singleKey && typ.integer) {
		t.notes = append(t.notes, p.warn("table %s: column %s is generated by a sequence; genrepo maps it as a plain column", t.name, sc.Name))
		c.auto = false
	}
	if !c.auto {
		c.def = defaultOption(sc.Default, typ)
		if c.def != "" && !c.nullable && typ.ctor != "JSON" {
			c.shadowed = defaultText(sc.Default)
		}
	}
	return c, ""
}

// defaultText is the SQL of a column's DEFAULT, as the database gave it.
func defaultText(d schema.Expr) string {
	switch d := d.(type) {
	case *schema.Literal:
		return d.V
	case *schema.RawExpr:
		return strings.TrimSpace(d.X)
	}
	return ""
}

func sqlxHas[T schema.Attr](attrs []schema.Attr, _ T) bool {
	for _, a := range attrs {
		if _, ok := a.(T); ok {
			return true
		}
	}
	return false
}

// defaultOption writes a column's DEFAULT as mapped.Default of a Go
// literal, or mapped.DefaultSQL of the expression.
func defaultOption(d schema.Expr, typ goType) string {
	switch d := d.(type) {
	case *schema.Literal:
		v := d.V
		if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
			return "mapped.Default(" + strconv.Quote(strings.ReplaceAll(v[1:len(v)-1], "''", "'")) + ")"
		}
		if lv := strings.ToLower(v); lv == "true" || lv == "false" {
			return "mapped.Default(" + lv + ")"
		}
		if _, err := strconv.ParseFloat(v, 64); err == nil {
			return "mapped.Default(" + v + ")"
		}
		return "mapped.DefaultSQL(" + strconv.Quote(v) + ")"
	case *schema.RawExpr:
		x := strings.TrimSpace(d.X)
		for len(x) > 1 && x[0] == '(' && x[len(x)-1] == ')' && balanced(x[1:len(x)-1]) {
			x = strings.TrimSpace(x[1 : len(x)-1])
		}
		return "mapped.DefaultSQL(" + strconv.Quote(x) + ")"
	}
	return ""
}

// balanced reports whether s's parentheses pair up.
func balanced(s string) bool {
	n := 0
	for _, r := range s {
		switch r {
		case '(':
			n++
		case ')':
			n--
			if n < 0 {
				return false
			}
		}
	}
	return n == 0
}

// foreignKeys attaches t's single-column foreign keys to its columns.
func (p *plan) foreignKeys(t *table) {
	for _, fk := range t.src.ForeignKeys {
		what := fmt.Sprintf("table %s: foreign key %s (%s) → %s", t.name, fk.Symbol, colNames(fk.Columns), fk.RefTable.Name)
		parent := p.byName[fk.RefTable.Name]
		if other := schemaName(fk.RefTable); other != "" && other != schemaName(t.src) {
			// A table of that name in this schema is another table.
			what = fmt.Sprintf("table %s: foreign key %s (%s) → %s.%s", t.name, fk.Symbol, colNames(fk.Columns), other, fk.RefTable.Name)
			parent = nil
		}
		switch {
		case len(fk.Columns) != 1 || len(fk.RefColumns) != 1:
			t.notes = append(t.notes, p.warn("%s is not mapped: genrepo declares single-column foreign keys only", what))
		case parent == nil:
			t.notes = append(t.notes, p.warn("%s is not mapped: the referenced table is not generated", what))
		case t.byName[fk.Columns[0].Name] == nil || parent.byName[fk.RefColumns[0].Name] == nil:
			t.notes = append(t.notes, p.warn("%s is not mapped: one of its columns is not mapped", what))
		default:
			c, ref := t.byName[fk.Columns[0].Name], parent.byName[fk.RefColumns[0].Name]
			if why := p.refProblem(parent, c, ref); why != "" {
				t.notes = append(t.notes, p.warn("%s is not mapped: %s", what, why))
				continue
			}
			c.fk = &fkey{parent: parent, ref: ref, onDelete: actionName(fk.OnDelete)}
			t.selfRef = t.selfRef || parent == t
			if fk.OnUpdate != "" && fk.OnUpdate != schema.NoAction {
				t.notes = append(t.notes, p.warn("%s: its ON UPDATE %s is not mapped: genrepo declares ON DELETE only", what, fk.OnUpdate))
			}
		}
	}
}

// schemaName is the name of the schema t belongs to, "" when unknown.
func schemaName(t *schema.Table) string {
	if t == nil || t.Schema == nil {
		return ""
	}
	return t.Schema.Name
}

// refProblem says why mapped cannot declare column c as referencing ref.
func (p *plan) refProblem(parent *table, c, ref *column) string {
	refUnique := (ref.pk && parent.singleKey) || slices.ContainsFunc(parent.src.Indexes, func(ix *schema.Index) bool {
		return ix.Unique && len(ix.Parts) == 1 && ix.Parts[0].C != nil && ix.Parts[0].C.Name == ref.name
	})
	switch {
	case c.fk != nil:
		return "the column has another foreign key"
	case !refUnique:
		return "the referenced column is neither the primary key nor unique"
	case ref.nullable:
		return "the referenced column is nullable"
	case c.typ.base != ref.typ.base:
		return fmt.Sprintf("the columns' Go types differ (%s, %s)", c.typ.base, ref.typ.base)
	case c.typ.ctor == "JSON":
		return "a JSON column cannot be a key"
	}
	return ""
}

func actionName(a schema.ReferenceOption) string {
	switch a {
	case schema.Cascade:
		return "Cascade"
	case schema.SetNull:
		return "SetNull"
	case schema.Restrict:
		return "Restrict"
	case schema.SetDefault:
		return "SetDefault"
	}
	return ""
}

func colNames(cs []*schema.Column) string {
	ns := make([]string, len(cs))
	for i, c := range cs {
		ns[i] = c.Name
	}
	return strings.Join(ns, ", ")
}

// breakCycles drops the foreign keys that close a cycle between tables
// (a table referencing itself aside): package-level tables cannot
// reference each other in a cycle, nor can a model's.
func (p *plan) breakCycles() {
	state := map[*table]int{} // 1 visiting, 2 done
	var visit func(t *table)
	visit = func(t *table) {
		state[t] = 1
		for _, c := range t.cols {
			if c.fk == nil || c.fk.parent == t {
				continue
			}
			switch state[c.fk.parent] {
			case 1:
				t.notes = append(t.notes, p.warn("table %s: the foreign key of column %s → %s is not mapped: it closes a cycle of foreign keys",
					t.name, c.name, c.fk.parent.name))
				c.fk = nil
			case 0:
				visit(c.fk.parent)
			}
		}
		state[t] = 2
	}
	for _, t := range p.tables {
		if state[t] == 0 {
			visit(t)
		}
	}
}

// indexes maps t's single-column unique and plain indexes to column
// options and its unique constraints over several columns to
// UniqueTogether; it notes every other index.
func (p *plan) indexes(t *table) {
	for _, ix := range t.src.Indexes {
		cols, ok := []*column{}, !sqlxHas(ix.Attrs, &postgres.IndexPredicate{}) && !sqlxHas(ix.Attrs, &sqlite.IndexPredicate{})
		for _, part := range ix.Parts {
			if part.C == nil || t.byName[part.C.Name] == nil || part.Desc {
				ok = false
				break
			}
			cols = append(cols, t.byName[part.C.Name])
		}
		switch {
		case !ok:
			t.notes = append(t.notes, p.warn("table %s: index %s is not mapped: genrepo declares indexes on whole mapped columns only", t.name, ix.Name))
		case ix.Unique && samePK(t, cols):
		case ix.Unique && len(cols) == 1:
			cols[0].unique = true
		case ix.Unique:
			t.uniques = append(t.uniques, cols)
		case len(cols) == 1 && nameProblem("ix_"+t.name+"_"+cols[0].name) != "":
			t.notes = append(t.notes, p.warn("table %s: index %s is not mapped: the name genrepo gives it, ix_%s_%s, is longer than 63 bytes",
				t.name, ix.Name, t.name, cols[0].name))
		case len(cols) == 1:
			cols[0].index = true
		default:
			t.notes = append(t.notes, p.warn("table %s: index %s is not mapped: genrepo declares single-column indexes only", t.name, ix.Name))
		}
	}
}

func samePK(t *table, cols []*column) bool {
	n := 0
	for _, c := range t.cols {
		if c.pk {
			n++
		}
	}
	return n == len(cols) && !slices.ContainsFunc(cols, func(c *column) bool { return !c.pk })
}
