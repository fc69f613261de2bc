package query

import (
	"reflect"
	"strconv"
	"unsafe"
)

// Sub is a projection read as a table: a derived table, (SELECT …) AS
// "name", made by Derived, or a common table expression, WITH "name" AS
// (SELECT …), made by CTE or Recursive. Statements read it in From or
// join it with JoinOn and LeftJoinOn like a table; SubCol gives its
// columns, whose conditions are Cond[R], on its rows.
//
// The subquery's select list is named "c1", "c2", … in order, the names
// SubCol's columns use. A Sub is not modified once made and may be shared.
type Sub[R any] struct {
	p    *Projection[R]
	name string
	cte  bool
	// step is a recursive CTE's recursive part, read after UNION ALL.
	step *Projection[R]
	err  error
}

// Derived returns projection p read as a table named name, a subquery in
// FROM:
//
//	type sales struct {
//		Artist  int64
//		Revenue float64
//	}
//	per := query.Derived(query.SelectInto(func(r *sales, s *query.Fields[sales]) {
//		query.Field(s, &r.Artist, Tracks.ArtistID)
//		query.Field(s, &r.Revenue, query.Sum(Tracks.Price))
//	}).GroupBy(Tracks.ArtistID), "per_artist")
//	revenue := query.SubCol(per, func(r *sales) *float64 { return &r.Revenue })
//	q := query.Select1(revenue).Where(revenue.Gt(100)).OrderBy(revenue.Desc())
//
// is SELECT "c2" FROM (SELECT "artist_id" AS "c1", SUM("price") AS "c2"
// FROM "track" GROUP BY "artist_id") AS "per_artist" WHERE "c2" > $1 ….
// The subquery's bound values are bound where it is written, in order
// with the rest of the statement's. A nil p or an empty name fails the
// statements that read it.
func Derived[R any](p *Projection[R], name string) *Sub[R] {
	return newSub(p, name, "derived table")
}

func newSub[R any](p *Projection[R], name, what string) *Sub[R] {
	s := &Sub[R]{p: p, name: name}
	switch {
	case name == "":
		s.err = errorf("%s of %s has no name", what, typeName[R]())
	case p == nil:
		s.err = errorf("%s %q of a nil projection", what, name)
	case p.err != nil:
		s.err = p.err
	}
	return s
}

// TableName is the name the statement knows the subquery by.
func (s *Sub[R]) TableName() string { return s.name }

// String returns the name and the subquery, for reading.
func (s *Sub[R]) String() string {
	if s.p == nil {
		return s.name + " AS <nil>"
	}
	return s.name + " AS (" + s.p.String() + ")"
}

// appendFrom writes the derived table, or a CTE's name, where a statement
// names the tables it reads.
func (s *Sub[R]) appendFrom(b *Builder) {
	if s.err != nil {
		b.Fail(s.err)
		return
	}
	if s.cte {
		b.Ident(s.name)
		return
	}
	st := s.p.stmt
	st.as = columnNames(len(st.Columns))
	b.WriteByte('(')
	st.AppendSQL(b)
	b.WriteString(") AS ")
	b.Ident(s.name)
}

// sameAs reports whether o is s, or a subquery of the same kind and name
// whose statements are written alike, with the same values.
func (s *Sub[R]) sameAs(o Source) bool {
	t, ok := o.(*Sub[R])
	if !ok || t == nil {
		return false
	}
	if s == t {
		return true
	}
	if s.err != nil || t.err != nil || s.name != t.name || s.cte != t.cte || (s.step == nil) != (t.step == nil) {
		return false
	}
	st, sa := s.definition()
	tt, ta := t.definition()
	return st == tt && reflect.DeepEqual(sa, ta)
}

// definition renders the subquery's statements apart, for sameAs.
func (s *Sub[R]) definition() (string, []any) {
	b := NewBuilder(debugDialect{})
	s.p.stmt.AppendSQL(b)
	if s.step != nil {
		b.with = append(b.with, s) // the step reads s, defined here
		b.WriteString(" UNION ALL ")
		s.step.stmt.AppendSQL(b)
	}
	if b.err != nil {
		return "", nil
	}
	return b.SQL(), b.args
}

// columnNames returns "c1" … "cn".
func columnNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "c" + strconv.Itoa(i+1)
	}
	return out
}

// SubCol returns the column of s that holds the field of R that field
// returns, given a row: the select-list item the projection scans into
// that field (SelectInto's bound field, V1 … V4 of Select2 … Select4, or
// the whole value of Select1):
//
//	query.SubCol(per, func(r *sales) *float64 { return &r.Revenue })
//	query.SubCol(counts, func(r *query.Row2[int64, int64]) *int64 { return &r.V2 })
//
// The field's type is the column's, V, so a selector of another type does
// not compile where a Value of the expected type is wanted. A field no
// item is scanned into fails the statements that read the column, naming
// the field. Its conditions are Cond[R]: they are refused at render by a
// statement that does not read s.
func SubCol[R, V any](s *Sub[R], field func(r *R) *V) Term[R, V] {
	c := subColumn{}
	codec := CodecFor[V]()
	switch {
	case s == nil:
		c.err = errorf("column of a nil subquery")
	case s.err != nil:
		c.err = s.err
	case field == nil:
		c.err = errorf("subquery %s: no field selector", s.name)
	default:
		i, err := findField(s, field)
		if err != nil {
			c.err = err
			break
		}
		c.name = "c" + strconv.Itoa(i+1)
		if v, ok := s.p.stmt.Columns[i].(Value[V]); ok {
			codec = v.Codec()
		}
	}
	if s != nil {
		c.src = s
	}
	return term[R](Expr(c), codec)
}

// findField returns the position in s's select list of the item scanned
// into the field field selects.
func findField[R, V any](s *Sub[R], field func(r *R) *V) (int, error) {
	tmpl := new(R)
	base := uintptr(unsafe.Pointer(tmpl))
	p := field(tmpl)
	addr, size := uintptr(unsafe.Pointer(p)), unsafe.Sizeof(*new(V))
	if p == nil || addr < base || addr+size > base+unsafe.Sizeof(*tmpl) {
		return 0, errorf("subquery %s: the selector returns no field of %s", s.name, typeName[R]())
	}
	off := addr - base
	for i, sp := range s.p.spans {
		if sp[0] == off && sp[1] == off+size {
			return i, nil
		}
	}
	return 0, errorf("subquery %s: field %s of %s is not a selected one", s.name, fieldAt[R](off, size), typeName[R]())
}

// subColumn is a column of a derived table or CTE.
type subColumn struct {
	src  Source
	name string
	err  error
}

func (c subColumn) AppendSQL(b *Builder) {
	if c.err != nil {
		b.Fail(c.err)
		return
	}
	AppendColumn(b, c.src.TableName(), c.name)
}

// Source is the subquery, so that a statement reading the column must
// read it.
func (c subColumn) Source() Source { return c.src }

// ColumnName is the column's unquoted name, "c1" … "cn".
func (c subColumn) ColumnName() string { return c.name }

// CountRows returns the number of rows p yields, in one statement:
// SELECT COUNT(*) FROM (p) AS "counted". For a grouped p, that is the
// number of groups:
//
//	query.CountRows(query.Select1(Tracks.AlbumID).GroupBy(Tracks.AlbumID).
//		Having(query.Count().Gt(20))) // albums of more than 20 tracks
func CountRows[R any](p *Projection[R]) *Projection[int64] {
	return Select1(Count()).From(Derived(p, "counted"))
}
