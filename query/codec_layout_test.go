package query

import (
	"database/sql"
	"reflect"
	"testing"
	"time"
)

// sameLayout reads one type's memory as another's: the pairs it is used
// with must have the same fields at the same offsets.
func TestSameLayoutPairs(t *testing.T) {
	for _, p := range [][2]reflect.Type{
		{reflect.TypeFor[sql.NullTime](), reflect.TypeFor[sql.Null[time.Time]]()},
		{reflect.TypeFor[sql.NullString](), reflect.TypeFor[sql.Null[string]]()},
	} {
		a, b := p[0], p[1]
		if a.Size() != b.Size() || a.NumField() != b.NumField() {
			t.Fatalf("%v and %v differ in size or fields", a, b)
		}
		for i := range a.NumField() {
			fa, fb := a.Field(i), b.Field(i)
			if fa.Type != fb.Type || fa.Offset != fb.Offset {
				t.Errorf("%v.%s and %v.%s differ", a, fa.Name, b, fb.Name)
			}
		}
	}
}
