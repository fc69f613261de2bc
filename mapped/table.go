package mapped

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unsafe"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
)

// Table maps rows of the table Name to values of the struct type T. It is
// built once by Define, usually into a package-level variable, and is
// immutable and safe for concurrent use afterwards.
type Table[T any] struct {
	info   *Info
	row    *T // the template row handed to Define's build function
	fields []*Field[T]
	pk     []*Field[T]
	auto   *Field[T]
	ver    *Field[T] // the version column, or nil
	size   uintptr
	errs   []error
	frozen bool
	memo   sync.Map // Memo's values, by key
}

// Dests fills dest, one element per column in declaration order, with the
// scan destinations of row's fields.
func (t *Table[T]) Dests(f *dialect.Features, row *T, dest []any) {
	for i, c := range t.fields {
		dest[i] = c.dest(f, row)
	}
}

// MaxColumns is the most columns a table may map; repositories track a
// row's columns in one 64-bit mask.
const MaxColumns = 64

// Schema is any mapped table, whatever its row type: what CreateAll,
// DropAll and foreign keys need.
type Schema interface {
	// TableName is the table's unquoted name.
	TableName() string
	// Info describes the table's columns and constraints.
	Info() *Info
}

// Info is the row-type-free description of a table, for DDL and
// relations.
type Info struct {
	// Name is the table's unquoted name, as given to Define and checked
	// by dialect.CheckIdent.
	Name string
	// Schema is the table's schema (Table.InSchema), or "" for the
	// database's default.
	Schema string
	// Columns lists every column in declaration order, the order of a
	// row's scan destinations; ColumnInfo.Pos indexes it. Callers must
	// not modify it.
	Columns []*ColumnInfo
	// PrimaryKey lists the key columns in declaration order.
	PrimaryKey []*ColumnInfo
	// Uniques lists multi-column unique constraints.
	Uniques [][]string
}

// Column returns the column named name, or nil.
func (in *Info) Column(name string) *ColumnInfo {
	for _, c := range in.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// HasDefault reports whether the database fills the column when an
// INSERT leaves it out.
func (c *ColumnInfo) HasDefault() bool { return c.Default != "" || c.DefaultNow }

// ColumnInfo describes one column.
type ColumnInfo struct {
	// Name is the column's unquoted name, unique within its table.
	Name string
	// Type is the column's SQL type, which each dialect writes in its own
	// form: inferred from the field's Go type, set by the Type option, or
	// for a foreign key taken from the referenced column. Its Size
	// reflects the Size option.
	Type dialect.Type
	// Nullable is true when the column admits NULL, so that its DDL has
	// no NOT NULL: a pointer or sql.Null field, or a JSON column. It is
	// always false for key columns.
	Nullable bool
	// PrimaryKey is true for a column of the table's primary key, alone or
	// as part of a composite key; Info.PrimaryKey lists them in order.
	PrimaryKey bool
	// Auto is true for a key the database generates.
	Auto bool
	// Unique is true for a UNIQUE constraint on this column alone (set by
	// the Unique option); constraints over several columns are in
	// Info.Uniques.
	Unique bool
	// Index is true when the Index option asked for an index named
	// ix_TABLE_COLUMN. CreateSQL skips it when the column is Unique or
	// leads the primary key, whose own index already serves it.
	Index bool
	// Default is the column's DEFAULT as SQL, or "".
	Default string
	// DefaultNow is true when the column defaults to the current time, in
	// the dialect's form (Features.NowSQL).
	DefaultNow bool
	// Version is true for the table's version column (mapped.Version).
	Version bool
	// References is the foreign key, or nil.
	References *Reference
	// Index of the column in its table's Columns.
	Pos int
}

// Action is what a foreign key does when the row it references is deleted.
type Action uint8

// The ON DELETE actions.
const (
	NoAction Action = iota
	Restrict
	Cascade
	SetNull
	SetDefault
)

// SQL returns the action as SQL writes it.
func (a Action) SQL() string {
	return [...]string{"NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"}[a]
}

// Reference is a foreign key: a column's reference to a column of another
// (or the same) table.
type Reference struct {
	// Table is the referenced table, never nil; it may be the
	// referencing column's own table.
	Table Schema
	// Column is the unquoted name of the referenced column, a primary key
	// or unique column of Table.
	Column string
	// OnDelete is the action when the referenced row is deleted; the zero
	// NoAction writes no ON DELETE clause, leaving the database's default.
	OnDelete Action
}

// Define builds the mapping of T to the table name. build receives the
// table and a template row; each column constructor takes a pointer to a
// field of that row, which is how the column finds its field, and the
// field's type becomes the column's value type. Define returns what build
// returns, typically a struct embedding the table and holding its columns.
//
// Define panics, naming the table and every problem found, if the mapping
// is invalid (an empty or duplicate name, a table name with a dot, which
// would not name a table in a schema, a pointer that is not a field of
// the template row, a column type it cannot infer, no primary key): such a
// mistake is a programming error, found when the package initialises.
func Define[T, S any](name string, build func(t *Table[T], row *T) S) S {
	t := &Table[T]{info: &Info{Name: name}, row: new(T)}
	t.size = unsafe.Sizeof(*t.row)
	if err := dialect.CheckIdent(name); err != nil {
		t.fail(err)
	} else if strings.Contains(name, ".") {
		// Not a schema-qualified name: the dot would be part of the
		// table's name.
		t.fail(fmt.Errorf("a dot in a table name (%q) is refused: name the schema with t.InSchema inside Define", name))
	}
	s := build(t, t.row)
	fillTable(&s, t)
	t.finish()
	if len(t.errs) > 0 {
		panic(fmt.Sprintf("mapped: table %q: %v", name, errors.Join(t.errs...)))
	}
	return s
}

func (t *Table[T]) fail(err error) { t.errs = append(t.errs, err) }

// fillTable sets the field of *s that embeds *Table[T] to t when build
// left it nil, so that a build function need not write Table: t.
func fillTable[T, S any](s *S, t *Table[T]) {
	v := reflect.ValueOf(s).Elem()
	if v.Kind() != reflect.Struct {
		return
	}
	want := reflect.TypeOf(t)
	for i := range v.NumField() {
		if f := v.Type().Field(i); f.Anonymous && f.Type == want && f.IsExported() && v.Field(i).IsNil() {
			v.Field(i).Set(reflect.ValueOf(t))
		}
	}
}

// InSchema places the table in the named schema: PostgreSQL writes it
// "schema"."name" in every statement, and CreateAll creates the schema
// when it does not exist. SQLite refuses such a table with an error
// naming it, when a statement or DDL is rendered. Call it inside Define's
// build function; the name must pass dialect.CheckIdent.
func (t *Table[T]) InSchema(name string) {
	if t.frozen {
		panic(fmt.Sprintf("mapped: table %q: InSchema called after Define returned", t.info.Name))
	}
	if err := dialect.CheckIdent(name); err != nil {
		t.fail(errs.Errorf("schema: %w", err))
		return
	}
	t.info.Schema = name
}

// SchemaName is the table's schema (InSchema), or "" for the database's
// default.
func (t *Table[T]) SchemaName() string { return t.info.Schema }

// FullName is s's name qualified by its schema, "schema.name", or its name
// when it has no schema: how tables are told apart and named in messages
// where the schema matters.
func FullName(s Schema) string {
	if sc := s.Info().Schema; sc != "" {
		return sc + "." + s.TableName()
	}
	return s.TableName()
}

// QuotedName is s's name as SQL writes it, quoted and, when it has a
// schema, qualified by it.
func QuotedName(s Schema) string {
	if sc := s.Info().Schema; sc != "" {
		return dialect.Quote(sc) + "." + dialect.Quote(s.TableName())
	}
	return dialect.Quote(s.TableName())
}

func (t *Table[T]) finish() {
	t.frozen = true
	if len(t.fields) > MaxColumns {
		t.fail(fmt.Errorf("%d columns, over the limit of %d", len(t.fields), MaxColumns))
	}
	if len(t.pk) == 0 {
		t.fail(errors.New("no primary key: declare one with mapped.PrimaryKey"))
	}
	if len(t.pk) == 1 && !t.pk[0].manual && isInteger(t.pk[0].info.Type.Kind) {
		t.auto = t.pk[0]
		t.auto.info.Auto = true
	}
	if t.ver != nil && t.ver.info.PrimaryKey {
		t.fail(fmt.Errorf("column %q: a version column cannot be part of the key", t.ver.info.Name))
	}
	for _, f := range t.pk {
		t.info.PrimaryKey = append(t.info.PrimaryKey, f.info)
	}
}

func isInteger(k dialect.Kind) bool {
	return k == dialect.Int16 || k == dialect.Int32 || k == dialect.Int64
}

// TableName is the table's unquoted name.
func (t *Table[T]) TableName() string { return t.info.Name }

// Info describes the table's columns and constraints.
func (t *Table[T]) Info() *Info { return t.info }

// Memo returns the value stored under key with Remember, and false when
// there is none: for packages that derive something from the table alone
// and want it once per process, such as a repository's cache of statement
// text per dialect (uow shares one between its units). Values must be
// derived from the table and the key only, so that which of two racing
// Remember calls wins changes nothing: that is what makes the memo safe
// to share.
func (t *Table[T]) Memo(key any) (any, bool) { return t.memo.Load(key) }

// Remember stores v under key unless a value is stored there already, and
// returns the value stored.
func (t *Table[T]) Remember(key, v any) any {
	stored, _ := t.memo.LoadOrStore(key, v)
	return stored
}

// Fields returns the table's columns, type-erased, in declaration order.
// The slice must not be modified.
func (t *Table[T]) Fields() []*Field[T] { return t.fields }

// PrimaryKey returns the key columns in declaration order. The slice must
// not be modified.
func (t *Table[T]) PrimaryKey() []*Field[T] { return t.pk }

// Auto returns the key column the database generates, or nil when the
// caller supplies keys (a string key, a composite key, or a key declared
// with Manual).
func (t *Table[T]) Auto() *Field[T] { return t.auto }

// Version returns the table's version column (see the Version option), or
// nil when the table has none.
func (t *Table[T]) Version() *Field[T] { return t.ver }

// versioned makes f the table's version column, or records why it cannot
// be and reports false.
func (t *Table[T]) versioned(f *Field[T], o options) bool {
	switch {
	case t.ver != nil:
		t.fail(fmt.Errorf("column %q: a second version column (%q is one)", f.info.Name, t.ver.info.Name))
	case !isInteger(f.info.Type.Kind) || f.info.Nullable || o.key:
		t.fail(fmt.Errorf("column %q: a version column must be a non-null integer outside the key", f.info.Name))
	default:
		f.info.Version = true
		t.ver = f
		return true
	}
	return false
}

// Field returns the column named name, or nil.
func (t *Table[T]) Field(name string) *Field[T] {
	for _, f := range t.fields {
		if f.info.Name == name {
			return f
		}
	}
	return nil
}

// add registers a column whose field lies at ptr inside the template row.
func (t *Table[T]) add(row unsafe.Pointer, field unsafe.Pointer, size uintptr, f *Field[T]) bool {
	if t.frozen {
		panic(fmt.Sprintf("mapped: table %q: column %q added after Define returned", t.info.Name, f.info.Name))
	}
	name := f.info.Name
	off := uintptr(field) - uintptr(row)
	if name == "" && (uintptr(field) < uintptr(row) || off+size > t.size) {
		t.fail(errors.New("a column's pointer is not to a field of the template row"))
		return false
	}
	if err := dialect.CheckIdent(name); err != nil {
		t.fail(errs.Errorf("column: %w", err))
		return false
	}
	if uintptr(field) < uintptr(row) || off+size > t.size {
		t.fail(fmt.Errorf("column %q: the pointer is not to a field of the template row", name))
		return false
	}
	for _, g := range t.fields {
		switch {
		case g.info.Name == name:
			t.fail(fmt.Errorf("column %q declared twice", name))
			return false
		case g.offset == off && g.size == size:
			t.fail(fmt.Errorf("columns %q and %q map the same field", g.info.Name, name))
			return false
		}
	}
	f.table, f.offset, f.size = t, off, size
	f.info.Pos = len(t.fields)
	t.fields = append(t.fields, f)
	t.info.Columns = append(t.info.Columns, f.info)
	return true
}

// New returns a pointer to a new zero row.
func (t *Table[T]) New() *T { return new(T) }

// String returns the table's name.
func (t *Table[T]) String() string { return t.info.Name }

// UniqueTogether declares a unique constraint over several columns of t.
// Call it inside Define's build function.
func UniqueTogether[T any](t *Table[T], cols ...AnyColumn[T]) {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Field().info.Name
	}
	if len(names) < 2 {
		t.fail(errors.New("UniqueTogether needs at least two columns"))
		return
	}
	t.info.Uniques = append(t.info.Uniques, names)
}

// ColumnNames returns the names of fields, for messages.
func ColumnNames[T any](fields []*Field[T]) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.info.Name
	}
	return strings.Join(names, ", ")
}
