package mapped_test

import (
	"testing"
	"time"

	"github.com/genrepo/genrepo/mapped"
)

// holdsRow has a column of each kind Holds answers for, and of kinds it
// leaves to binding.
type holdsRow struct {
	ID      int64
	Name    string
	Small   int32
	Tiny    int8
	Flag    bool
	Email   holdsEmail // a named string, bound as its underlying string
	Score   float64
	Big     uint64
	At      time.Time
	Blob    []byte
	Nick    *string
	Payload map[string]int // JSON
}

type holdsEmail string

var holdsTable = mapped.Define("holds", func(t *mapped.Table[holdsRow], r *holdsRow) *mapped.Table[holdsRow] {
	mapped.PrimaryKey(t, &r.ID)
	mapped.Col(t, &r.Name)
	mapped.Col(t, &r.Small)
	mapped.Col(t, &r.Tiny)
	mapped.Col(t, &r.Flag)
	mapped.Col(t, &r.Email)
	mapped.Col(t, &r.Score)
	mapped.Col(t, &r.Big)
	mapped.Col(t, &r.At)
	mapped.Col(t, &r.Blob)
	mapped.Col(t, &r.Nick)
	mapped.JSON(t, &r.Payload)
	return t
})

// TestFieldHolds checks that Holds reports a value bound before as held
// exactly for string, integer and boolean columns on their own codecs, and
// never for a changed value or an argument of another type; elsewhere it
// says nothing (false), whatever the value.
func TestFieldHolds(t *testing.T) {
	nick := "ada"
	row := &holdsRow{ID: 1000, Name: "Ada", Small: -7, Tiny: 3, Flag: true, Email: "a@b.c", Score: 1.5,
		Big: 9, At: time.Unix(1, 0), Blob: []byte("x"), Nick: &nick, Payload: map[string]int{"a": 1}}
	changed := func(r *holdsRow) {
		r.ID++
		r.Name += "!"
		r.Small--
		r.Tiny++
		r.Flag = !r.Flag
	}
	answers := map[string]bool{"id": true, "name": true, "small": true, "tiny": true, "flag": true}
	for _, d := range dialects {
		f := d.Features()
		for _, fd := range holdsTable.Fields() {
			name := fd.Name()
			arg, err := fd.Bind(f, row)
			if err != nil {
				t.Fatalf("%s: bind %s: %v", d.Name(), name, err)
			}
			if got, want := fd.Holds(row, arg), answers[name]; got != want {
				t.Errorf("%s: %s: Holds(row, its own argument) = %v, want %v", d.Name(), name, got, want)
			}
			if fd.Holds(row, struct{}{}) || fd.Holds(row, nil) {
				t.Errorf("%s: %s: Holds reports an argument of another type, or nil, as held", d.Name(), name)
			}
			other := *row
			changed(&other)
			if fd.Holds(&other, arg) {
				t.Errorf("%s: %s: Holds reports a changed value as held", d.Name(), name)
			}
		}
	}
	// An argument of the column's type that a different row binds is not
	// held; the same value from another row is.
	name := holdsTable.Fields()[1]
	twin := *row
	a, _ := name.Bind(dialects[0].Features(), &twin)
	if !name.Holds(row, a) {
		t.Error("name: Holds(row, the argument of an equal value) = false, want true")
	}
}
