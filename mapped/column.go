package mapped

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"
	"unicode"
	"unsafe"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
	"github.com/genrepo/genrepo/query"
)

// Field is one column of a Table[T] with its value type erased: what
// repositories use to bind and scan whole rows. Its functions read and
// write the row's field directly, with no reflection.
type Field[T any] struct {
	table  *Table[T]
	info   *ColumnInfo
	goType reflect.Type // the field's Go type
	offset uintptr
	size   uintptr
	manual bool

	bind   func(f *dialect.Features, row *T) (any, error)
	dest   func(f *dialect.Features, row *T) any
	isZero func(row *T) bool
	key    func(f *dialect.Features, v any) (any, error)
	value  func(row *T) any
	clear  func(row *T)

	copy func(dst, src *T)
	// holds reports whether the field's value in row is arg, a driver
	// argument bound from it before (see Holds); nil where that is not
	// known without binding.
	holds func(row *T, arg any) bool
	// zeroTime reports whether the field, a time.Time defaulting to the
	// current time, holds the zero time; nil for other columns.
	zeroTime func(row *T) bool

	// intOf reads an integer column's field as an int64; nil for other
	// columns.
	intOf func(row *T) (int64, bool)
	// setInt writes an integer column's field from an int64; nil for
	// other columns.
	setInt func(row *T, n int64) bool

	// getVersion and setVersion read and write a version column's field
	// as an int64; nil for other columns. versionType names its Go type.
	getVersion  func(row *T) int64
	setVersion  func(row *T, n int64) bool
	versionType string
}

// IntOf returns the value of an integer column (of any integer Go type) in
// row as an int64, and false for a column of another type or a value
// beyond int64's range.
func (c *Field[T]) IntOf(row *T) (int64, bool) {
	if c.intOf == nil {
		return 0, false
	}
	return c.intOf(row)
}

// SetInt sets an integer column's field (of any integer Go type) in row to
// n, and reports false, changing nothing, for a column of another type or
// a number the field's type cannot hold.
func (c *Field[T]) SetInt(row *T, n int64) bool {
	if c.setInt == nil {
		return false
	}
	return c.setInt(row, n)
}

// Info describes the column.
func (c *Field[T]) Info() *ColumnInfo { return c.info }

// Name is the column's unquoted name.
func (c *Field[T]) Name() string { return c.info.Name }

// Table is the column's table.
func (c *Field[T]) Table() *Table[T] { return c.table }

// Field returns c itself, so that a *Field and every Column satisfy the
// same interface.
func (c *Field[T]) Field() *Field[T] { return c }

// Bind returns the driver argument for the column's value in row, checked
// and converted for the dialect.
func (c *Field[T]) Bind(f *dialect.Features, row *T) (any, error) {
	v, err := c.bind(f, row)
	if err != nil {
		return nil, errs.Errorf("mapped: %s.%s: %w", c.table.info.Name, c.info.Name, err)
	}
	return v, nil
}

// Dest returns the scan destination that stores the column's value in
// row's field.
func (c *Field[T]) Dest(f *dialect.Features, row *T) any { return c.dest(f, row) }

// Value returns a copy of the field's value in row, boxed; for comparing
// snapshots and for messages, not for the per-row path.
func (c *Field[T]) Value(row *T) any { return c.value(row) }

// Holds reports, without binding and so without allocating, whether the
// field's value in row is arg, a driver argument that Bind returned for the
// column before: then binding it again would return arg. It knows only for
// a column of a string, integer or boolean type bound by its type's own
// codec, whose argument is the field's value itself; elsewhere it reports
// false, which says nothing: bind the value and compare.
func (c *Field[T]) Holds(row *T, arg any) bool { return c.holds != nil && c.holds(row, arg) }

// Clear sets the field in row to its type's zero value.
func (c *Field[T]) Clear(row *T) { c.clear(row) }

// IsZero reports whether the field holds its type's zero value. It is
// available for key columns, whose value types are comparable, and reports
// false for any other column.
func (c *Field[T]) IsZero(row *T) bool { return c.isZero != nil && c.isZero(row) }

// VersionOf returns the value of a version column (see Version) in row,
// or 0 for a column that is not one.
func (c *Field[T]) VersionOf(row *T) int64 {
	if c.getVersion == nil {
		return 0
	}
	return c.getVersion(row)
}

// SetVersion stores n in a version column's field of row. It reports false,
// changing nothing, for a column that is not one or when n does not fit
// the field's type.
func (c *Field[T]) SetVersion(row *T, n int64) bool {
	return c.setVersion != nil && c.setVersion(row, n)
}

// NextVersion returns the version that an update of row gives it, one
// more than its version column's value, or an error naming the column when
// the field's type cannot hold it (an int16 version at 32767, say): the row
// must then not be updated, or the stored version would overflow.
func (c *Field[T]) NextVersion(row *T) (int64, error) {
	n := c.VersionOf(row)
	probe := new(T)
	if n == math.MaxInt64 || !c.SetVersion(probe, n+1) {
		return 0, fmt.Errorf("mapped: %s.%s: version %d is the largest value its %s holds; the row cannot be updated again",
			c.table.info.Name, c.info.Name, n, c.versionType)
	}
	return n + 1, nil
}

// LeftToDefault reports whether an INSERT of row leaves the column out, for
// the database to fill it with its default, given arg, the column's bound
// value in row: the column has a default and arg is NULL (a nil pointer,
// an invalid sql.Null), or the column defaults to the current time
// (DefaultNow) and its time.Time field holds the zero time.
func (c *Field[T]) LeftToDefault(row *T, arg any) bool {
	if !c.info.HasDefault() {
		return false
	}
	if c.zeroTime != nil {
		return c.zeroTime(row)
	}
	return query.BindsNull(arg)
}

// Copy sets the column's field in dst to its value in src.
func (c *Field[T]) Copy(dst, src *T) { c.copy(dst, src) }

// KeyArg converts a key value given as any (as to Repo.Get) to the
// column's driver argument: a value of the column's type, an integer of
// any type (named or not) that the column's integer type holds without
// loss, or a value of the column's underlying type (a string for a named
// string key). Anything else, or an integer that does not fit, is an error
// naming the column and what was wrong.
func (c *Field[T]) KeyArg(f *dialect.Features, v any) (any, error) {
	arg, err := c.key(f, v)
	if err != nil {
		return nil, errs.Errorf("mapped: %s.%s: %w", c.table.info.Name, c.info.Name, err)
	}
	return arg, nil
}

// holdsOf returns what tells whether a field's value is a driver argument
// that codec bound from it, without binding: for V of a string, integer or
// boolean kind bound by CodecFor[V]'s codec when that keeps no state, which
// binds a value as itself (or refuses it); nil for any other. The argument
// must be of type V and hold the same bits: a string's bytes, an integer's
// or a boolean's memory.
func holdsOf[V any](codec query.Codec[V]) func(p *V, arg any) bool {
	t := reflect.TypeOf(codec)
	if t == nil || t != reflect.TypeOf(query.CodecFor[V]()) || t.Size() != 0 {
		return nil
	}
	var zero V
	switch k := reflect.TypeFor[V]().Kind(); {
	case k == reflect.String:
		return func(p *V, arg any) bool {
			b, ok := arg.(V)
			return ok && *(*string)(unsafe.Pointer(p)) == *(*string)(unsafe.Pointer(&b))
		}
	case k != reflect.Bool && (k < reflect.Int || k > reflect.Uint64 || k == reflect.Uint):
		return nil
	}
	switch unsafe.Sizeof(zero) {
	case 1:
		return func(p *V, arg any) bool { b, ok := arg.(V); return ok && sameBits[uint8](p, &b) }
	case 2:
		return func(p *V, arg any) bool { b, ok := arg.(V); return ok && sameBits[uint16](p, &b) }
	case 4:
		return func(p *V, arg any) bool { b, ok := arg.(V); return ok && sameBits[uint32](p, &b) }
	case 8:
		return func(p *V, arg any) bool { b, ok := arg.(V); return ok && sameBits[uint64](p, &b) }
	}
	return nil
}

// sameBits reports whether the values at p and q, of a type as large as
// B and without padding, hold the same bits.
func sameBits[B uint8 | uint16 | uint32 | uint64, V any](p, q *V) bool {
	return *(*B)(unsafe.Pointer(p)) == *(*B)(unsafe.Pointer(q))
}

// Column is a typed column of a Table[T] holding values of type V. Its
// methods build conditions on T, orderings and assignments, with values of
// type V only: Artists.Name.Eq(42) does not compile. A Column is a small
// immutable value, safe to copy and to share.
type Column[T, V any] struct {
	// A single pointer, so that a Column stored in an interface (an Expr,
	// a Value[V]) costs no allocation per condition built.
	*column[T, V]
}

// column is what a Column holds, made once when it is declared.
type column[T, V any] struct {
	f     *Field[T]
	codec query.Codec[V]
}

// field returns the column's Field, nil for the zero Column.
func (c Column[T, V]) field() *Field[T] {
	if c.column == nil {
		return nil
	}
	return c.f
}

func newColumn[T, V any](t *Table[T], row *T, field *V, codec query.Codec[V], opts []Option, ref *ColumnInfo) Column[T, V] {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	name := o.name
	if name == "" && field != nil {
		name = columnName(reflect.TypeFor[T](), uintptr(unsafe.Pointer(field))-uintptr(unsafe.Pointer(row)), reflect.TypeFor[V]())
	}
	info := &ColumnInfo{Name: name}
	f := &Field[T]{info: info, goType: reflect.TypeFor[V]()}
	typ, nullable, err := typeOf[V]()
	switch {
	case o.typ != nil:
		typ, err = *o.typ, nil
	case ref != nil:
		// A foreign key takes the referenced column's SQL type, which
		// may have been given with Type (a decimal, a UUID).
		typ, err = ref.Type, nil
	}
	if err != nil {
		t.fail(errs.Errorf("column %q: %w", name, err))
	}
	typ.Size = max(typ.Size, o.size)
	if typ.Kind == dialect.Numeric {
		// Binds and reads decimals as numbers where NUMERIC holds them
		// so (SQLite); codec itself elsewhere.
		codec = query.NumericCodec(codec, typ)
	}
	info.Type, info.Nullable = typ, nullable
	info.Unique, info.Index, info.Default, info.DefaultNow = o.unique, o.index, o.def, o.now
	f.manual = o.manual
	c := Column[T, V]{&column[T, V]{f: f, codec: codec}}
	if !t.add(unsafe.Pointer(row), unsafe.Pointer(field), unsafe.Sizeof(*field), f) {
		return c
	}
	f.bind = func(fe *dialect.Features, r *T) (any, error) { return codec.Bind(fe, *c.Ptr(r)) }
	f.dest = func(fe *dialect.Features, r *T) any { return codec.Dest(fe, c.Ptr(r)) }
	f.value = func(r *T) any { return *c.Ptr(r) }
	f.clear = func(r *T) { var zero V; *c.Ptr(r) = zero }
	f.copy = func(dst, src *T) { *c.Ptr(dst) = *c.Ptr(src) }
	if holds := holdsOf(codec); holds != nil {
		f.holds = func(r *T, arg any) bool { return holds(c.Ptr(r), arg) }
	}
	if acc, ok := intAccessOf[V](); ok {
		f.intOf = func(r *T) (int64, bool) { return acc.get(c.Ptr(r)) }
		f.setInt = func(r *T, n int64) bool { return acc.set(c.Ptr(r), n) }
	}
	if o.version {
		versioned(t, c, o)
	}
	if o.now {
		if _, ok := any(field).(*time.Time); ok {
			f.zeroTime = func(r *T) bool { return any(c.Ptr(r)).(*time.Time).IsZero() }
		}
	}
	f.key = func(fe *dialect.Features, v any) (any, error) {
		x, err := convertKey[V](v)
		if err != nil {
			return nil, err
		}
		return codec.Bind(fe, x)
	}
	return c
}

// versioned makes c its table's version column, reading and writing its
// field as an int64 whatever its integer type, or records why it cannot
// be.
func versioned[T, V any](t *Table[T], c Column[T, V], o options) {
	if !t.versioned(c.f, o) {
		return
	}
	acc, ok := intAccessOf[V]()
	if !ok {
		t.fail(fmt.Errorf("column %q: a version column must have a Go integer type, not %v", c.f.info.Name, reflect.TypeFor[V]()))
		return
	}
	c.f.getVersion = func(r *T) int64 { n, _ := acc.get(c.Ptr(r)); return n }
	c.f.setVersion = func(r *T, n int64) bool { return acc.set(c.Ptr(r), n) }
	c.f.versionType = reflect.TypeFor[V]().String()
}

// Ptr returns a pointer to the column's field in row.
func (c Column[T, V]) Ptr(row *T) *V {
	return (*V)(unsafe.Add(unsafe.Pointer(row), c.f.offset))
}

// Get returns the column's value in row.
func (c Column[T, V]) Get(row *T) V { return *c.Ptr(row) }

// Field returns the column with its value type erased.
func (c Column[T, V]) Field() *Field[T] { return c.field() }

// Codec returns how the column's values are bound and scanned.
func (c Column[T, V]) Codec() query.Codec[V] {
	if c.column == nil {
		return nil
	}
	return c.codec
}

// Source is the column's table.
func (c Column[T, V]) Source() query.Source { return c.f.table }

// ColumnName is the column's unquoted name.
func (c Column[T, V]) ColumnName() string { return c.f.info.Name }

// AppendSQL appends a reference to the column.
func (c Column[T, V]) AppendSQL(b *query.Builder) {
	query.AppendColumn(b, c.f.table.info.Name, c.f.info.Name)
}

// String returns "table.column".
func (c Column[T, V]) String() string { return c.f.table.info.Name + "." + c.f.info.Name }

// Eq is the condition column = v; a nil pointer or an invalid sql.Null v
// gives column IS NULL.
func (c Column[T, V]) Eq(v V) query.Cond[T] { return query.Compare[T](c, query.Eq, v) }

// Ne is the condition column <> v; a nil pointer or an invalid sql.Null v
// gives column IS NOT NULL.
func (c Column[T, V]) Ne(v V) query.Cond[T] { return query.Compare[T](c, query.Ne, v) }

// Lt is the condition column < v.
func (c Column[T, V]) Lt(v V) query.Cond[T] { return query.Compare[T](c, query.Lt, v) }

// Le is the condition column <= v.
func (c Column[T, V]) Le(v V) query.Cond[T] { return query.Compare[T](c, query.Le, v) }

// Gt is the condition column > v.
func (c Column[T, V]) Gt(v V) query.Cond[T] { return query.Compare[T](c, query.Gt, v) }

// Ge is the condition column >= v.
func (c Column[T, V]) Ge(v V) query.Cond[T] { return query.Compare[T](c, query.Ge, v) }

// Between is the condition lo <= column <= hi.
func (c Column[T, V]) Between(lo, hi V) query.Cond[T] { return query.Between[T](c, lo, hi) }

// In is the condition that the column equals one of vs; with no values it
// matches nothing. Any number of values is safe (see query.In).
func (c Column[T, V]) In(vs ...V) query.Cond[T] { return query.In[T](c, vs) }

// NotIn is the condition that the column equals none of vs.
func (c Column[T, V]) NotIn(vs ...V) query.Cond[T] { return query.NotIn[T](c, vs) }

// InQuery is the condition that the column is among the values a
// subquery yields, such as query.Select1(Tracks.ArtistID).Where(…).
func (c Column[T, V]) InQuery(sub query.Subquery[V]) query.Cond[T] {
	return query.InQuery[T](c, sub)
}

// NotInQuery is the condition that the column is not among the values a
// subquery yields.
func (c Column[T, V]) NotInQuery(sub query.Subquery[V]) query.Cond[T] {
	return query.NotInQuery[T](c, sub)
}

// IsNull is the condition that the column is NULL.
func (c Column[T, V]) IsNull() query.Cond[T] { return query.IsNull[T](c) }

// IsNotNull is the condition that the column is not NULL.
func (c Column[T, V]) IsNotNull() query.Cond[T] { return query.IsNotNull[T](c) }

// EqCol is the condition column = other, another expression of the same
// value type (usually a column of the same table).
func (c Column[T, V]) EqCol(other query.Value[V]) query.Cond[T] {
	return query.CompareWith[T](c, query.Eq, other)
}

// NeCol is the condition column <> other.
func (c Column[T, V]) NeCol(other query.Value[V]) query.Cond[T] {
	return query.CompareWith[T](c, query.Ne, other)
}

// LtCol is the condition column < other.
func (c Column[T, V]) LtCol(other query.Value[V]) query.Cond[T] {
	return query.CompareWith[T](c, query.Lt, other)
}

// GtCol is the condition column > other.
func (c Column[T, V]) GtCol(other query.Value[V]) query.Cond[T] {
	return query.CompareWith[T](c, query.Gt, other)
}

// Asc orders by the column, smallest first.
func (c Column[T, V]) Asc() query.Order[T] { return query.Asc[T](c) }

// Desc orders by the column, largest first.
func (c Column[T, V]) Desc() query.Order[T] { return query.Desc[T](c) }

// Set assigns v to the column in a bulk update.
func (c Column[T, V]) Set(v V) query.Assign[T] { return query.SetTo[T](c, c.f.info.Name, v) }

// SetExpr assigns an expression of the column's type, such as another
// column, in a bulk update.
func (c Column[T, V]) SetExpr(e query.Value[V]) query.Assign[T] {
	return query.SetExpr[T](c.f.info.Name, e)
}

// Textual is the constraint of text columns: strings, nullable strings and
// named string types.
type Textual = query.Textual

// TextColumn is a Column of text, with the string operators that other
// columns do not offer: Artists.ID.Like("x") does not compile.
type TextColumn[T any, V Textual] struct {
	Column[T, V] // the typed column, whose methods TextColumn also offers
}

// Like is the condition that the column matches pattern, in which %
// matches any run of characters, _ any one and \ escapes the next;
// case-sensitive on every dialect. A NULL value matches neither the
// condition nor its negation. On SQLite, LIKE reads a stored value only up
// to its first NUL byte ("a\x00b" matches "a"), and a pattern holding a
// NUL byte is refused with dialect.ErrInvalidText; Contains, HasPrefix and
// HasSuffix compare every byte.
func (c TextColumn[T, V]) Like(pattern string) query.Cond[T] {
	return query.Like[T](c.Column, pattern, query.CaseSensitive)
}

// ILike is Like ignoring case: ILIKE on PostgreSQL, ASCII letters only on
// SQLite, with Like's behaviour at a NUL byte.
func (c TextColumn[T, V]) ILike(pattern string) query.Cond[T] {
	return query.Like[T](c.Column, pattern, query.CaseInsensitive)
}

// Contains is the condition that the column contains s, answered as
// strings.Contains answers for any bytes (NUL and invalid UTF-8 included
// on SQLite, which stores them): %, _ and \ in s match only themselves,
// and the empty s matches every value. A NULL value matches neither the
// condition nor its negation. On PostgreSQL an s holding a NUL byte or
// invalid UTF-8 is refused with dialect.ErrInvalidText. See query.Contains
// for the SQL each dialect gets.
func (c TextColumn[T, V]) Contains(s string) query.Cond[T] {
	return query.Contains[T](c.Column, s, query.CaseSensitive)
}

// HasPrefix is the condition that the column starts with s, answered as
// strings.HasPrefix answers; see Contains.
func (c TextColumn[T, V]) HasPrefix(s string) query.Cond[T] {
	return query.HasPrefix[T](c.Column, s, query.CaseSensitive)
}

// HasSuffix is the condition that the column ends with s, answered as
// strings.HasSuffix answers; see Contains.
func (c TextColumn[T, V]) HasSuffix(s string) query.Cond[T] {
	return query.HasSuffix[T](c.Column, s, query.CaseSensitive)
}

// Lower is the column in lower case (see query.Lower).
func (c TextColumn[T, V]) Lower() query.Term[T, V] { return query.Lower(c.Column) }

// Upper is the column in upper case (see query.Upper).
func (c TextColumn[T, V]) Upper() query.Term[T, V] { return query.Upper(c.Column) }

// Trim is the column without leading and trailing spaces (see query.Trim).
func (c TextColumn[T, V]) Trim() query.Term[T, V] { return query.Trim(c.Column) }

// Length is the column's number of characters (see query.Length).
func (c TextColumn[T, V]) Length() query.Term[T, int64] { return query.Length(c.Column) }

// Col declares a column of t stored in field (a pointer into the template
// row Define passed to build), named the snake_case of the field's name
// (ArtistID is artist_id) unless Name gives another. Its SQL type follows from the
// field's Go type: bool, integers, floats, string, []byte, time.Time,
// pointers to each and sql.Null[V] (nullable), and any other type given
// mapped.Type (such as a decimal implementing sql.Scanner and
// driver.Valuer). A non-pointer field is NOT NULL.
func Col[T, V any](t *Table[T], field *V, opts ...Option) Column[T, V] {
	return newColumn(t, t.row, field, query.CodecFor[V](), opts, nil)
}

// Text declares a text column, whose Column offers Like, Contains and the
// other string operators.
func Text[T any, V Textual](t *Table[T], field *V, opts ...Option) TextColumn[T, V] {
	return TextColumn[T, V]{newColumn(t, t.row, field, query.CodecFor[V](), opts, nil)}
}

// JSON declares a column holding any Go value as JSON: jsonb on
// PostgreSQL, TEXT on SQLite.
func JSON[T, V any](t *Table[T], field *V, opts ...Option) Column[T, V] {
	opts = append([]Option{Type(dialect.Type{Kind: dialect.JSON})}, opts...)
	c := newColumn(t, t.row, field, query.Codec[V](query.JSONCodec[V]{}), opts, nil)
	c.f.info.Nullable = true
	return c
}

// PrimaryKey declares a primary-key column. A single integer key is
// generated by the database (an identity column on PostgreSQL, INTEGER
// PRIMARY KEY AUTOINCREMENT on SQLite) and filled in on insert, unless
// Manual is given; any other key (a UUID string, say) is supplied by the
// caller. Declaring several makes a composite key, never generated.
func PrimaryKey[T any, V comparable](t *Table[T], field *V, opts ...Option) Column[T, V] {
	c := newColumn(t, t.row, field, query.CodecFor[V](), opts, nil)
	markKey(t, c)
	return c
}

// markKey makes c part of t's primary key.
func markKey[T any, V comparable](t *Table[T], c Column[T, V]) {
	c.f.info.PrimaryKey = true
	c.f.info.Nullable = false
	c.f.isZero = func(r *T) bool { var zero V; return *c.Ptr(r) == zero }
	t.pk = append(t.pk, c.f)
}

// ForeignKey declares a column referencing ref, a key column of another
// table (or of t itself) with the same value type: an int64 column cannot
// reference a string key. OnDelete sets the action on deleting the
// referenced row; InPrimaryKey makes the column part of t's primary key,
// as in an association table keyed by the pair of keys it links. Unless
// Type is given, the column takes the referenced column's SQL type.
func ForeignKey[T, P any, V comparable](t *Table[T], field *V, ref Column[P, V], opts ...Option) Column[T, V] {
	table, info := ref.declared()
	c := newColumn(t, t.row, field, query.CodecFor[V](), opts, info)
	if t.reference(c.f, table, info, opts).key {
		markKey(t, c)
	}
	return c
}

// NullableForeignKey declares a nullable column referencing ref: a nil
// pointer means no referenced row.
func NullableForeignKey[T, P any, V comparable](t *Table[T], field **V, ref Column[P, V], opts ...Option) NullableColumn[T, V] {
	table, info := ref.declared()
	c := newColumn(t, t.row, field, query.CodecFor[*V](), opts, info)
	t.reference(c.f, table, info, opts)
	return NullableColumn[T, V]{c}
}

// NullableColumn is a nullable foreign key column: a Column of *V whose
// relations (relation.HasManyNullable, BelongsToNullable) compare V keys.
// Being a type of its own, it cannot be handed where a NOT NULL key is
// wanted: the compiler refuses it.
type NullableColumn[T any, V comparable] struct {
	Column[T, *V]
}

// declared returns the column's table and description, or nils for the
// zero Column (one not declared yet, when tables are defined out of
// order).
func (c Column[T, V]) declared() (Schema, *ColumnInfo) {
	if c.field() == nil || c.f.table == nil {
		return nil, nil
	}
	return c.f.table, c.f.info
}

func (t *Table[T]) reference(f *Field[T], ref Schema, col *ColumnInfo, opts []Option) options {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if ref == nil || col == nil {
		t.fail(fmt.Errorf("column %q references a column that is not declared yet", f.info.Name))
		return o
	}
	if !col.PrimaryKey && !col.Unique {
		t.fail(fmt.Errorf("column %q references %s.%s, which is neither a primary key nor unique",
			f.info.Name, ref.TableName(), col.Name))
	}
	if o.onDelete == SetNull && !f.info.Nullable {
		t.fail(fmt.Errorf("column %q: ON DELETE SET NULL needs a nullable column", f.info.Name))
	}
	f.info.References = &Reference{Table: ref, Column: col.Name, OnDelete: o.onDelete}
	return o
}

// AppendSQL appends a reference to the column, so that a Field is a
// query.Column too.
func (c *Field[T]) AppendSQL(b *query.Builder) {
	query.AppendColumn(b, c.table.info.Name, c.info.Name)
}

// Source is the column's table.
func (c *Field[T]) Source() query.Source { return c.table }

// ColumnName is the column's unquoted name.
func (c *Field[T]) ColumnName() string { return c.info.Name }

// Bound views the column as yielding driver arguments, the values Bind
// returns, for conditions on values already bound, such as keys read
// from rows.
func (c *Field[T]) Bound() query.Value[any] { return boundField[T]{c} }

type boundField[T any] struct{ *Field[T] }

func (boundField[T]) Codec() query.Codec[any] { return query.CodecFor[any]() }

// AnyColumn is any column of a Table[T], whatever its value type: a
// Column, a TextColumn or a *Field. Repositories take it where a list of
// columns is wanted, as in Update(ctx, row, Artists.Name).
type AnyColumn[T any] interface {
	// Field returns the column's type-erased Field, never nil for a
	// column declared in Define; a *Field returns itself.
	Field() *Field[T]
}

var (
	_ query.Column        = (*Field[int])(nil)
	_ query.Column        = Column[int, int]{}
	_ query.Value[string] = TextColumn[int, string]{}
	_ AnyColumn[int]      = TextColumn[int, string]{}
)

// Referenced returns the key column that the foreign key column fk
// references, typed as a column of P's table: what a relation needs, so
// that the referenced key is not named twice. It fails when fk is not a
// foreign key or references the table of another struct type.
func Referenced[P, T any, V comparable](fk Column[T, V]) (Column[P, V], error) {
	return referenced[P, T, V](fk.field())
}

// ReferencedNullable is Referenced for a nullable foreign key column.
func ReferencedNullable[P, T any, V comparable](fk NullableColumn[T, V]) (Column[P, V], error) {
	return referenced[P, T, V](fk.field())
}

func referenced[P, T any, V comparable](f *Field[T]) (Column[P, V], error) {
	if f == nil {
		return Column[P, V]{}, errors.New("mapped: the zero column is no foreign key")
	}
	ref := f.info.References
	if ref == nil {
		return Column[P, V]{}, fmt.Errorf("mapped: %s.%s is not a foreign key (declare it with mapped.ForeignKey)", f.table.TableName(), f.info.Name)
	}
	pt, ok := ref.Table.(*Table[P])
	if !ok {
		var zero P
		return Column[P, V]{}, fmt.Errorf("mapped: %s.%s references %s, whose rows are not %T", f.table.TableName(), f.info.Name, ref.Table.TableName(), zero)
	}
	for _, pf := range pt.fields {
		if pf.info.Name == ref.Column {
			if want := reflect.TypeFor[V](); pf.goType != want {
				return Column[P, V]{}, fmt.Errorf("mapped: %s.%s references %s.%s, a %s, not a %s",
					f.table.TableName(), f.info.Name, ref.Table.TableName(), ref.Column, pf.goType, want)
			}
			return Column[P, V]{&column[P, V]{f: pf, codec: query.CodecFor[V]()}}, nil
		}
	}
	return Column[P, V]{}, fmt.Errorf("mapped: %s.%s references %s.%s, which is not a column", f.table.TableName(), f.info.Name, ref.Table.TableName(), ref.Column)
}

// columnName is the snake_case name of the field of a struct of type st
// at offset off whose type is ft, a nested struct's field prefixed by the
// name of the field holding it (an embedded one is not): ArtistID gives
// artist_id, Billing.City billing_city. It is "" when there is no such
// field, which the column's declaration then reports.
func columnName(st reflect.Type, off uintptr, ft reflect.Type) string {
	if st.Kind() != reflect.Struct {
		return ""
	}
	for i := range st.NumField() {
		f := st.Field(i)
		if f.Offset == off && f.Type == ft {
			return snake(f.Name)
		}
		if f.Type.Kind() == reflect.Struct && off >= f.Offset && off < f.Offset+f.Type.Size() {
			if inner := columnName(f.Type, off-f.Offset, ft); inner != "" {
				if f.Anonymous {
					return inner
				}
				return snake(f.Name) + "_" + inner
			}
		}
	}
	return ""
}

// ColumnName is the name a column takes from its field's name unless
// the Name option says otherwise: the field's name in snake_case, where a
// word starts at an upper-case letter after a lower-case one or a digit,
// and at the last upper-case letter of a run followed by a lower-case one
// (HTTPServer is http_server, UnitPrice unit_price, ID id). A field of a
// nested struct is prefixed with the struct field's name and '_'; one of
// an embedded struct is not.
func ColumnName(field string) string { return snake(field) }

// snake writes a Go name in snake_case (see ColumnName).
func snake(name string) string {
	rs := []rune(name)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 {
				prev := rs[i-1]
				next := i+1 < len(rs) && unicode.IsLower(rs[i+1])
				if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && next) {
					b.WriteByte('_')
				}
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
