package query

import (
	"database/sql"
	"reflect"
	"time"

	"github.com/genrepo/genrepo/dialect"
)

// Textual is the constraint of the string functions (Lower, Upper, Trim,
// Length, Concat): strings, nullable strings and named string types.
type Textual interface {
	~string | *string | sql.Null[string]
}

// Temporal is the constraint of the date functions (Year, Month, Day,
// TruncDay, TruncMonth, TruncYear): time.Time and its nullable forms.
type Temporal interface {
	time.Time | *time.Time | sql.Null[time.Time]
}

// call is a function call, name(args…), written as given.
type call struct {
	name string
	args []Expr
}

func (c call) AppendSQL(b *Builder) {
	b.WriteString(c.name)
	b.WriteByte('(')
	list(b, c.args)
	b.WriteByte(')')
}

func (c call) sources(add func(Source)) {
	for _, a := range c.args {
		walkSources(a, add)
	}
}

// operands returns a followed by rest, each value made by Val bound
// through a's codec.
func operands[V any](a Value[V], rest []Value[V]) []Expr {
	out := make([]Expr, 0, 1+len(rest))
	out = append(out, a)
	for _, r := range rest {
		if r == nil {
			out = append(out, nullArg{})
			continue
		}
		out = append(out, besides(a, r))
	}
	return out
}

// nullArg stands for a nil expression given to a function; it fails the
// statement.
type nullArg struct{}

func (nullArg) AppendSQL(b *Builder) { b.Fail(errorf("a nil expression given to a function")) }

// Coalesce is the first of a and rest that is not NULL, NULL when all
// are: COALESCE(a, …). With Deref or NullValue it reads a nullable column
// as a value with a default:
//
//	query.Coalesce(query.Deref(Tracks.Bytes), query.Val[int64](0)) // Term[Track, int64]
func Coalesce[T, V any](a Operand[T, V], rest ...Value[V]) Term[T, V] {
	return term[T](call{name: "COALESCE", args: operands(a, rest)}, a.Codec())
}

// Cast converts e to the SQL type to, read as To: CAST(e AS type), the
// type named as the dialect names a column's (mapped.Numeric(10, 2),
// dialect.Type{Kind: dialect.Float64}…). The conversion is the
// database's: a float cast to an integer is rounded on both dialects, text
// that is no number is an error on PostgreSQL and 0 on SQLite.
//
//	query.Cast[float64](Tracks.Seconds, dialect.Type{Kind: dialect.Float64})
func Cast[To, T, From any](e Operand[T, From], to dialect.Type) Term[T, To] {
	codec := CodecFor[To]()
	if to.Kind == dialect.Numeric {
		codec = NumericCodec(codec, to)
	}
	return term[T](cast{e: e, to: to}, codec)
}

type cast struct {
	e  Expr
	to dialect.Type
}

func (c cast) AppendSQL(b *Builder) {
	b.WriteString("CAST(")
	c.e.AppendSQL(b)
	b.WriteString(" AS " + b.d.ColumnType(c.to, false) + ")")
}

func (c cast) sources(add func(Source)) { walkSources(c.e, add) }

// Lower is a in lower case: lower(a). PostgreSQL folds letters as the
// database's locale does; SQLite folds only the ASCII letters A to Z.
func Lower[T any, V Textual](a Operand[T, V]) Term[T, V] {
	return term[T](call{name: "lower", args: []Expr{a}}, a.Codec())
}

// Upper is a in upper case: upper(a), folding as Lower says.
func Upper[T any, V Textual](a Operand[T, V]) Term[T, V] {
	return term[T](call{name: "upper", args: []Expr{a}}, a.Codec())
}

// Trim is a without leading and trailing spaces (U+0020 only, on both
// dialects): trim(a).
func Trim[T any, V Textual](a Operand[T, V]) Term[T, V] {
	return term[T](call{name: "trim", args: []Expr{a}}, a.Codec())
}

// Length is the number of characters of a (not bytes: "café" has 4):
// length(a). On SQLite a text value is read only up to its first NUL
// byte. A NULL a gives NULL, which reading into an int64 refuses.
func Length[T any, V Textual](a Operand[T, V]) Term[T, int64] {
	return term[T](call{name: "length", args: []Expr{a}}, CodecFor[int64]())
}

// Concat is a followed by each of rest: (a || b || …). Any NULL makes the
// whole NULL, on both dialects.
func Concat[T any, V Textual](a Operand[T, V], rest ...Value[V]) Term[T, V] {
	return term[T](concat(operands(a, rest)), a.Codec())
}

type concat []Expr

func (c concat) AppendSQL(b *Builder) {
	b.WriteByte('(')
	for i, e := range c {
		if i > 0 {
			b.WriteString(" || ")
		}
		e.AppendSQL(b)
	}
	b.WriteByte(')')
}

func (c concat) sources(add func(Source)) {
	for _, e := range c {
		walkSources(e, add)
	}
}

// datePart is a field of a timestamp, read in UTC, as an integer.
type datePart struct {
	e      Expr
	field  string // YEAR, MONTH, DAY
	format string // strftime's conversion for the field
}

func (d datePart) AppendSQL(b *Builder) {
	b.WriteString("CAST(")
	if b.f.TimeAsText {
		// Times are UTC text in dialect.TimeLayout, which strftime reads.
		b.WriteString("strftime('" + d.format + "', ")
		d.e.AppendSQL(b)
		b.WriteByte(')')
	} else {
		b.WriteString("EXTRACT(" + d.field + " FROM ")
		d.e.AppendSQL(b)
		b.WriteString(" AT TIME ZONE 'UTC')")
	}
	b.WriteString(" AS " + b.d.ColumnType(dialect.Type{Kind: dialect.Int64}, false) + ")")
}

func (d datePart) sources(add func(Source)) { walkSources(d.e, add) }

// Year is the year of a, in UTC, whatever the session's time zone.
// Temporal keeps it to times: Year of a string does not compile. A NULL a
// gives NULL, which reading into an int64 refuses.
func Year[T any, V Temporal](a Operand[T, V]) Term[T, int64] {
	return term[T](datePart{e: a, field: "YEAR", format: "%Y"}, CodecFor[int64]())
}

// Month is the month of a, 1 to 12, in UTC; see Year.
func Month[T any, V Temporal](a Operand[T, V]) Term[T, int64] {
	return term[T](datePart{e: a, field: "MONTH", format: "%m"}, CodecFor[int64]())
}

// Day is the day of the month of a, 1 to 31, in UTC; see Year.
func Day[T any, V Temporal](a Operand[T, V]) Term[T, int64] {
	return term[T](datePart{e: a, field: "DAY", format: "%d"}, CodecFor[int64]())
}

// trunc is a timestamp truncated to the start of its day, month or year.
type trunc struct {
	e      Expr
	unit   string // day, month, year
	format string // strftime's format of the truncated time
}

func (t trunc) AppendSQL(b *Builder) {
	if b.f.TimeAsText {
		b.WriteString("strftime('" + t.format + "', ")
		t.e.AppendSQL(b)
		b.WriteByte(')')
		return
	}
	b.WriteString("date_trunc('" + t.unit + "', ")
	t.e.AppendSQL(b)
	b.WriteString(", 'UTC')")
}

func (t trunc) sources(add func(Source)) { walkSources(t.e, add) }

// TruncDay is a truncated to midnight UTC of its day, a time of a's type:
// group by it for a count per day.
func TruncDay[T any, V Temporal](a Operand[T, V]) Term[T, V] {
	return term[T](trunc{e: a, unit: "day", format: "%Y-%m-%d 00:00:00"}, a.Codec())
}

// TruncMonth is a truncated to the first instant of its month, in UTC.
func TruncMonth[T any, V Temporal](a Operand[T, V]) Term[T, V] {
	return term[T](trunc{e: a, unit: "month", format: "%Y-%m-01 00:00:00"}, a.Codec())
}

// TruncYear is a truncated to the first instant of its year, in UTC.
func TruncYear[T any, V Temporal](a Operand[T, V]) Term[T, V] {
	return term[T](trunc{e: a, unit: "year", format: "%Y-01-01 00:00:00"}, a.Codec())
}

// Now is the current time as the database reads it: on PostgreSQL the
// start of the transaction (CURRENT_TIMESTAMP), on SQLite the moment the
// statement runs, to the millisecond.
func Now() Value[time.Time] { return now{} }

type now struct{}

func (now) AppendSQL(b *Builder)    { b.WriteString(b.f.NowSQL) }
func (now) Codec() Codec[time.Time] { return timeCodec{} }

// extreme is GREATEST or LEAST of its arguments, ignoring NULLs.
type extreme struct {
	least bool
	args  []Expr
}

// AppendSQL writes GREATEST(a, b, …) where the dialect has it, and
// otherwise (SQLite, dialect.Features.ScalarMinMax) max(…) of each
// argument coalesced with all the others, max(COALESCE(a, b), COALESCE(b,
// a)), so that NULLs are ignored as PostgreSQL ignores them: only when
// every argument is NULL is the answer NULL.
func (x extreme) AppendSQL(b *Builder) {
	if !b.f.ScalarMinMax {
		if x.least {
			b.WriteString("LEAST")
		} else {
			b.WriteString("GREATEST")
		}
		b.WriteByte('(')
		list(b, x.args)
		b.WriteByte(')')
		return
	}
	if x.least {
		b.WriteString("min(")
	} else {
		b.WriteString("max(")
	}
	for i, a := range x.args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("COALESCE(")
		a.AppendSQL(b)
		for j, o := range x.args {
			if j != i {
				b.WriteString(", ")
				o.AppendSQL(b)
			}
		}
		b.WriteByte(')')
	}
	b.WriteByte(')')
}

func (x extreme) sources(add func(Source)) {
	for _, a := range x.args {
		walkSources(a, add)
	}
}

// Greatest is the largest of a and rest, ignoring NULLs (NULL when all
// are NULL), on both dialects: GREATEST on PostgreSQL, max() of
// coalesced arguments on SQLite (see the package documentation).
func Greatest[T, V any](a Operand[T, V], rest ...Value[V]) Term[T, V] {
	return term[T](extreme{args: operands(a, rest)}, a.Codec())
}

// Least is the smallest of a and rest, ignoring NULLs; see Greatest.
func Least[T, V any](a Operand[T, V], rest ...Value[V]) Term[T, V] {
	return term[T](extreme{least: true, args: operands(a, rest)}, a.Codec())
}

// Cases is a CASE expression being built: When adds a branch, Else or
// ElseNull ends it. Its results are values of V, each bound as Val binds
// it.
type Cases[T, V any] struct {
	whens []when
}

type when struct {
	cond Expr
	then Expr
}

// When starts a CASE expression: then where c holds.
//
//	query.When(Tracks.Milliseconds.Lt(60000), "short").
//		When(Tracks.Milliseconds.Lt(300000), "song").
//		Else("long") // Term[Track, string]
func When[T, V any](c Cond[T], then V) Cases[T, V] {
	return Cases[T, V]{}.When(c, then)
}

// When adds a branch: then where c holds and no earlier branch did.
func (c Cases[T, V]) When(cond Cond[T], then V) Cases[T, V] {
	return c.WhenExpr(cond, Val(then))
}

// WhenExpr adds a branch whose result is an expression.
func (c Cases[T, V]) WhenExpr(cond Cond[T], then Value[V]) Cases[T, V] {
	ws := append(append([]when(nil), c.whens...), when{cond: cond, then: then})
	return Cases[T, V]{whens: ws}
}

// Else ends the expression with the result where no branch holds.
func (c Cases[T, V]) Else(v V) Term[T, V] {
	return term[T](caseExpr{whens: c.whens, els: Val(v)}, CodecFor[V]())
}

// ElseExpr ends the expression with an expression for where no branch
// holds.
func (c Cases[T, V]) ElseExpr(v Value[V]) Term[T, V] {
	return term[T](caseExpr{whens: c.whens, els: v}, v.Codec())
}

// ElseNull ends the expression with NULL where no branch holds; it yields
// sql.Null[V].
func (c Cases[T, V]) ElseNull() Term[T, sql.Null[V]] {
	return term[T](caseExpr{whens: c.whens}, nullOf(CodecFor[V]()))
}

type caseExpr struct {
	whens []when
	els   Expr
}

func (c caseExpr) AppendSQL(b *Builder) {
	b.WriteString("CASE")
	for _, w := range c.whens {
		b.WriteString(" WHEN ")
		if cond, ok := w.cond.(Condition); ok && cond.empty() {
			b.Fail(errorf("a CASE branch with the zero condition"))
			return
		}
		w.cond.AppendSQL(b)
		b.WriteString(" THEN ")
		w.then.AppendSQL(b)
	}
	if c.els != nil {
		b.WriteString(" ELSE ")
		c.els.AppendSQL(b)
	}
	b.WriteString(" END")
}

func (c caseExpr) sources(add func(Source)) {
	for _, w := range c.whens {
		walkSources(w.cond, add)
		walkSources(w.then, add)
	}
	walkSources(c.els, add)
}

// kindOf returns the SQL type of V where it follows from V alone, as a
// column's does: booleans, integers, floats, strings, times and bytes, and
// pointers or sql.Null of them; false for any other type (a decimal
// implementing driver.Valuer).
func kindOf[V any]() (dialect.Type, bool) {
	t := reflect.TypeFor[V]()
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	} else if t.Kind() == reflect.Struct && t.PkgPath() == "database/sql" && t.NumField() == 2 {
		t = t.Field(0).Type
	}
	switch {
	case t == reflect.TypeFor[time.Time]():
		return dialect.Type{Kind: dialect.Time}, true
	case t.Implements(valuerType) || reflect.PointerTo(t).Implements(valuerType):
		return dialect.Type{}, false
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		return dialect.Type{Kind: dialect.Bytes}, true
	}
	return kindOfReflect(t.Kind())
}

// kindOfReflect returns the SQL type of a Go kind, as mapped infers a
// column's.
func kindOfReflect(k reflect.Kind) (dialect.Type, bool) {
	switch k {
	case reflect.Bool:
		return dialect.Type{Kind: dialect.Bool}, true
	case reflect.Int8, reflect.Int16, reflect.Uint8:
		return dialect.Type{Kind: dialect.Int16}, true
	case reflect.Int32, reflect.Uint16:
		return dialect.Type{Kind: dialect.Int32}, true
	case reflect.Int, reflect.Int64, reflect.Uint32, reflect.Uint, reflect.Uint64:
		return dialect.Type{Kind: dialect.Int64}, true
	case reflect.Float32:
		return dialect.Type{Kind: dialect.Float32}, true
	case reflect.Float64:
		return dialect.Type{Kind: dialect.Float64}, true
	case reflect.String:
		return dialect.Type{Kind: dialect.String}, true
	}
	return dialect.Type{}, false
}
