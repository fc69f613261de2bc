package repo_test

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// score is a named float type.
type score float32

// floatReading has a float column of every form genrepo maps.
type floatReading struct {
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

type floatReadingTable struct {
	*mapped.Table[floatReading]
	ID    mapped.Column[floatReading, int64]
	F64   mapped.Column[floatReading, float64]
	F32   mapped.Column[floatReading, float32]
	Score mapped.Column[floatReading, score]
	P64   mapped.Column[floatReading, *float64]
	PS    mapped.Column[floatReading, *score]
	N64   mapped.Column[floatReading, sql.Null[float64]]
	N32   mapped.Column[floatReading, sql.Null[float32]]
	NF    mapped.Column[floatReading, sql.NullFloat64]
}

var floatReadings = mapped.Define("float_reading", func(t *mapped.Table[floatReading], r *floatReading) floatReadingTable {
	return floatReadingTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, &r.ID),
		F64:   mapped.Col(t, &r.F64),
		F32:   mapped.Col(t, &r.F32),
		Score: mapped.Col(t, &r.Score),
		P64:   mapped.Col(t, &r.P64),
		PS:    mapped.Col(t, &r.PS),
		N64:   mapped.Col(t, &r.N64),
		N32:   mapped.Col(t, &r.N32),
		NF:    mapped.Col(t, &r.NF),
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
		set   func(r *floatReading)
		isNaN func(r *floatReading) bool
		cond  query.Cond[floatReading]
	}{
		{"f64", func(r *floatReading) { r.F64 = nan }, func(r *floatReading) bool { return math.IsNaN(r.F64) }, floatReadings.F64.Eq(nan)},
		{"f32", func(r *floatReading) { r.F32 = float32(nan) }, func(r *floatReading) bool { return r.F32 != r.F32 },
			floatReadings.F32.Eq(float32(nan))},
		{"score", func(r *floatReading) { r.Score = score(nan) }, func(r *floatReading) bool { return r.Score != r.Score },
			floatReadings.Score.Eq(score(nan))},
		{"p64", func(r *floatReading) { r.P64 = &nan }, func(r *floatReading) bool { return r.P64 != nil && math.IsNaN(*r.P64) },
			floatReadings.P64.Eq(&nan)},
		{"ps", func(r *floatReading) { r.PS = ptr(score(nan)) }, func(r *floatReading) bool { return r.PS != nil && *r.PS != *r.PS },
			floatReadings.PS.Eq(ptr(score(nan)))},
		{"n64", func(r *floatReading) { r.N64 = sql.Null[float64]{V: nan, Valid: true} },
			func(r *floatReading) bool { return r.N64.Valid && math.IsNaN(r.N64.V) },
			floatReadings.N64.Eq(sql.Null[float64]{V: nan, Valid: true})},
		{"n32", func(r *floatReading) { r.N32 = sql.Null[float32]{V: float32(nan), Valid: true} },
			func(r *floatReading) bool { return r.N32.Valid && r.N32.V != r.N32.V },
			floatReadings.N32.Eq(sql.Null[float32]{V: float32(nan), Valid: true})},
		{"nf", func(r *floatReading) { r.NF = sql.NullFloat64{Float64: nan, Valid: true} },
			func(r *floatReading) bool { return r.NF.Valid && math.IsNaN(r.NF.Float64) },
			floatReadings.NF.Eq(sql.NullFloat64{Float64: nan, Valid: true})},
	}
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, floatReadings.Table)
		r := repo.New(db, floatReadings.Table)
		refused := db.Dialect().Features().NaNAsNull
		insertAll(t, r, &floatReading{F64: 1}) // a row that is not NaN anywhere
		for _, c := range cases {
			row := &floatReading{}
			c.set(row)
			err := r.Insert(ctx, row)
			if refused {
				if !errors.Is(err, dialect.ErrNotStorable) || errors.Is(err, dialect.ErrNotNull) ||
					!strings.Contains(err.Error(), "float_reading."+c.col) || !strings.Contains(err.Error(), "NaN") {
					t.Errorf("%s: Insert: got %v, want dialect.ErrNotStorable naming float_reading.%s and NaN", c.col, err, c.col)
				}
				bad := &floatReading{}
				c.set(bad)
				if err := r.InsertMany(ctx, []*floatReading{{}, bad}); !errors.Is(err, dialect.ErrNotStorable) {
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
