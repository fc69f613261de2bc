package query

import (
	"fmt"
	"reflect"
	"unsafe"

	"github.com/genrepo/genrepo/dialect"
)

// Fields binds the fields of a row struct R to the expressions selected
// into them: SelectInto hands one to its bind function, and Field binds
// each field. It is only used while bind runs.
type Fields[R any] struct {
	base  uintptr // the address of the template row bind is given
	cols  []Expr
	dests []func(f *dialect.Features, r unsafe.Pointer) any
	spans [][2]uintptr // the bytes of R each bound field covers
	err   error
}

// Field binds the field p points at, a field of the template row that
// SelectInto hands to its bind function, to the expression e: each row
// read scans e's value into that field. The field's type and the
// expression's are one type V, so a field bound to an expression of
// another type does not compile. Fields come out in the order they are
// bound. A pointer outside the template row, a field bound twice (or
// overlapping one bound before) and a nil expression make the projection
// fail when it runs, naming the field.
func Field[R, V any](s *Fields[R], p *V, e Value[V]) {
	if s == nil || s.err != nil {
		return
	}
	size := unsafe.Sizeof(*new(V))
	addr := uintptr(unsafe.Pointer(p))
	end := s.base + unsafe.Sizeof(*new(R))
	if p == nil || addr < s.base || addr+size > end || size == 0 {
		s.err = errorf("select into %s: field %d is not a field of the row bind is given", typeName[R](), len(s.cols)+1)
		return
	}
	off := addr - s.base
	for _, sp := range s.spans {
		if off < sp[1] && sp[0] < off+size {
			s.err = errorf("select into %s: field %s is bound twice", typeName[R](), fieldAt[R](off, size))
			return
		}
	}
	if e == nil {
		s.err = errorf("select into %s: field %s is bound to a nil expression", typeName[R](), fieldAt[R](off, size))
		return
	}
	c := e.Codec()
	s.cols = append(s.cols, e)
	s.spans = append(s.spans, [2]uintptr{off, off + size})
	s.dests = append(s.dests, func(f *dialect.Features, r unsafe.Pointer) any {
		return c.Dest(f, (*V)(unsafe.Add(r, off)))
	})
}

// SelectInto selects any number of expressions into a struct type of the
// program's own, each field bound to one expression by Field:
//
//	type sales struct {
//		Artist string
//		Tracks int64
//		Spent  float64
//	}
//	q := query.SelectInto(func(r *sales, s *query.Fields[sales]) {
//		query.Field(s, &r.Artist, Artists.Name)
//		query.Field(s, &r.Tracks, query.Count())
//		query.Field(s, &r.Spent, query.Sum(Tracks.Price))
//	}).Join(ArtistTracks).GroupBy(Artists.Name)
//
// bind runs once, here, on a template row; it never sees the rows read.
// Each row is then scanned straight into its fields, with no reflection.
// Select1 … Select4 remain the short form for a few values. A mistake in
// bind (see Field), or a bind that binds nothing, makes the projection
// fail when it runs, with an error naming the field.
func SelectInto[R any](bind func(r *R, s *Fields[R])) *Projection[R] {
	tmpl := new(R)
	s := &Fields[R]{base: uintptr(unsafe.Pointer(tmpl))}
	if bind == nil {
		s.err = errorf("select into %s: no bind function", typeName[R]())
	} else {
		bind(tmpl, s)
	}
	if s.err == nil && len(s.cols) == 0 {
		s.err = errorf("select into %s: bind binds no field", typeName[R]())
	}
	dests := s.dests
	return &Projection[R]{stmt: Select{Columns: s.cols}, err: s.err, spans: s.spans,
		dest: func(f *dialect.Features, r *R, d []any) {
			for i, dest := range dests {
				d[i] = dest(f, unsafe.Pointer(r))
			}
		}}
}

// typeName is R's name in errors.
func typeName[R any]() string { return reflect.TypeFor[R]().String() }

// fieldAt names the field of R of size bytes at byte offset off,
// following nested structs: Name, or Address.City. It runs only to word
// an error.
func fieldAt[R any](off, size uintptr) string {
	t := reflect.TypeFor[R]()
	name := ""
	for t.Kind() == reflect.Struct && (name == "" || t.Size() != size || off != 0) {
		found := false
		for i := range t.NumField() {
			sf := t.Field(i)
			if off >= sf.Offset && off < sf.Offset+sf.Type.Size() {
				if name != "" {
					name += "."
				}
				name += sf.Name
				off -= sf.Offset
				t, found = sf.Type, true
				break
			}
		}
		if !found {
			break
		}
	}
	if name == "" {
		return fmt.Sprintf("at byte %d", off)
	}
	return name
}
