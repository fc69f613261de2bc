package repo_test

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/integration"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// score is a named float type.
type score float32

// reading has a float column of every form genrepo maps.
type reading struct {
	ID    int64
	F64   float64
	F32   float32
	Score score
	P64   *float64
	PS    *score
	N64   sql.Null[float64]
	N32   sql.Null[float32]
	NF    sql.NullFloat64
}

type readingTable struct {
	*mapped.Table[reading]
	ID    mapped.Column[reading, int64]
	F64   mapped.Column[reading, float64]
	F32   mapped.Column[reading, float32]
	Score mapped.Column[reading, score]
	P64   mapped.Column[reading, *float64]
	PS    mapped.Column[reading, *score]
	N64   mapped.Column[reading, sql.Null[float64]]
	N32   mapped.Column[reading, sql.Null[float32]]
	NF    mapped.Column[reading, sql.NullFloat64]
}

var readings = mapped.Define("reading", func(t *mapped.Table[reading], r *reading) readingTable {
	return readingTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, "id", &r.ID),
		F64:   mapped.Col(t, "f64", &r.F64),
		F32:   mapped.Col(t, "f32", &r.F32),
		Score: mapped.Col(t, "score", &r.Score),
		P64:   mapped.Col(t, "p64", &r.P64),
		PS:    mapped.Col(t, "ps", &r.PS),
		N64:   mapped.Col(t, "n64", &r.N64),
		N32:   mapped.Col(t, "n32", &r.N32),
		NF:    mapped.Col(t, "nf", &r.NF),
	}
})

// TestNaN writes a NaN into each float column in turn. SQLite would store
// NULL (or fail a NOT NULL column with a misleading ErrNotNull), so genrepo
// refuses it there, naming the column, and writes nothing; PostgreSQL
// stores NaN, which reads back as NaN and equals itself in a condition.
func TestNaN(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	cases := []struct {
		col   string
		set   func(r *reading)
		isNaN func(r *reading) bool
		cond  query.Cond[reading]
	}{
		{"f64", func(r *reading) { r.F64 = nan }, func(r *reading) bool { return math.IsNaN(r.F64) }, readings.F64.Eq(nan)},
		{"f32", func(r *reading) { r.F32 = float32(nan) }, func(r *reading) bool { return r.F32 != r.F32 },
			readings.F32.Eq(float32(nan))},
		{"score", func(r *reading) { r.Score = score(nan) }, func(r *reading) bool { return r.Score != r.Score },
			readings.Score.Eq(score(nan))},
		{"p64", func(r *reading) { r.P64 = &nan }, func(r *reading) bool { return r.P64 != nil && math.IsNaN(*r.P64) },
			readings.P64.Eq(&nan)},
		{"ps", func(r *reading) { r.PS = ptr(score(nan)) }, func(r *reading) bool { return r.PS != nil && *r.PS != *r.PS },
			readings.PS.Eq(ptr(score(nan)))},
		{"n64", func(r *reading) { r.N64 = sql.Null[float64]{V: nan, Valid: true} },
			func(r *reading) bool { return r.N64.Valid && math.IsNaN(r.N64.V) },
			readings.N64.Eq(sql.Null[float64]{V: nan, Valid: true})},
		{"n32", func(r *reading) { r.N32 = sql.Null[float32]{V: float32(nan), Valid: true} },
			func(r *reading) bool { return r.N32.Valid && r.N32.V != r.N32.V },
			readings.N32.Eq(sql.Null[float32]{V: float32(nan), Valid: true})},
		{"nf", func(r *reading) { r.NF = sql.NullFloat64{Float64: nan, Valid: true} },
			func(r *reading) bool { return r.NF.Valid && math.IsNaN(r.NF.Float64) },
			readings.NF.Eq(sql.NullFloat64{Float64: nan, Valid: true})},
	}
	integration.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, readings.Table)
		r := repo.New(db, readings.Table)
		refused := db.Dialect().Features().NaNAsNull
		insertAll(t, r, &reading{F64: 1}) // a row that is not NaN anywhere
		for _, c := range cases {
			row := &reading{}
			c.set(row)
			err := r.Insert(ctx, row)
			if refused {
				if !errors.Is(err, dialect.ErrNotStorable) || errors.Is(err, dialect.ErrNotNull) ||
					!strings.Contains(err.Error(), "reading."+c.col) || !strings.Contains(err.Error(), "NaN") {
					t.Errorf("%s: Insert: got %v, want dialect.ErrNotStorable naming reading.%s and NaN", c.col, err, c.col)
				}
				bad := &reading{}
				c.set(bad)
				if err := r.InsertMany(ctx, []*reading{{}, bad}); !errors.Is(err, dialect.ErrNotStorable) {
					t.Errorf("%s: InsertMany: got %v, want dialect.ErrNotStorable", c.col, err)
				}
				if _, err := r.Where(c.cond).Count(ctx); !errors.Is(err, dialect.ErrNotStorable) {
					t.Errorf("%s: Where = NaN: got %v, want dialect.ErrNotStorable", c.col, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: Insert: %v", c.col, err)
				continue
			}
			got, err := r.Get(ctx, row.ID)
			if err != nil || !c.isNaN(got) {
				t.Errorf("%s: read back %+v, %v; want NaN", c.col, got, err)
			}
			if n, err := r.Where(c.cond).Count(ctx); err != nil || n != 1 {
				t.Errorf("%s: Where = NaN: %d, %v; want 1", c.col, n, err)
			}
		}
		want := int64(1)
		if !refused {
			want += int64(len(cases))
		}
		if n := count(t, r); n != want {
			t.Errorf("%d rows, want %d", n, want)
		}
	})
}
