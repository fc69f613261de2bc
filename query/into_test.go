package query_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// artistStats is a report row of seven typed fields, wider than Select4.
type artistStats struct {
	ArtistID int64
	Tracks   int64
	Plays    int64
	Longest  sql.Null[int32]
	First    sql.Null[time.Time]
	Rating   sql.Null[float64]
	Rated    int64
}

// statsInto is the report as SelectInto writes it.
func statsInto() *query.Projection[artistStats] {
	return query.SelectInto(func(r *artistStats, s *query.Fields[artistStats]) {
		query.Field(s, &r.ArtistID, Tracks.ArtistID)
		query.Field(s, &r.Tracks, query.Count())
		query.Field(s, &r.Plays, query.Sum(Tracks.Plays))
		query.Field(s, &r.Longest, query.Max(Tracks.Seconds))
		query.Field(s, &r.First, query.Min(Tracks.Released))
		query.Field(s, &r.Rating, query.Avg(Tracks.Seconds))
		query.Field(s, &r.Rated, query.CountOf(Tracks.Rating))
	}).GroupBy(Tracks.ArtistID).OrderBy(Tracks.ArtistID.Asc())
}

// TestSelectInto reads a seven-field report into a struct and checks each
// field against the same aggregates read one by one with Select1, on both
// dialects; One, First, Iter and a subquery work as for Select1 … Select4.
func TestSelectInto(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		createSchema(t, db)
		artists, tracks := repo.New(db, Artists.Table), repo.New(db, Tracks.Table)
		a, b := &Artist{Name: "A"}, &Artist{Name: "B"}
		for _, x := range []*Artist{a, b} {
			if err := artists.Insert(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		day := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
		for i, tr := range []*Track{
			{ArtistID: a.ID, Title: "a1", Seconds: 100, Plays: 3, Released: day, Rating: sql.Null[float64]{V: 4, Valid: true}},
			{ArtistID: a.ID, Title: "a2", Seconds: 250, Plays: 5, Released: day.AddDate(1, 0, 0)},
			{ArtistID: b.ID, Title: "b1", Seconds: 99, Plays: 7, Released: day.AddDate(-1, 0, 0)},
		} {
			if err := tracks.Insert(ctx, tr); err != nil {
				t.Fatalf("track %d: %v", i, err)
			}
		}
		got, err := statsInto().All(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		want := []artistStats{
			{a.ID, 2, 8, sql.Null[int32]{V: 250, Valid: true}, sql.Null[time.Time]{V: day, Valid: true}, sql.Null[float64]{V: 175, Valid: true}, 1},
			{b.ID, 1, 7, sql.Null[int32]{V: 99, Valid: true}, sql.Null[time.Time]{V: day.AddDate(-1, 0, 0), Valid: true}, sql.Null[float64]{V: 99, Valid: true}, 0},
		}
		if len(got) != len(want) {
			t.Fatalf("got %d rows, want %d: %+v", len(got), len(want), got)
		}
		for i := range want {
			g, w := got[i], want[i]
			if g.First.Valid {
				g.First.V = g.First.V.UTC()
			}
			if g != w {
				t.Errorf("row %d:\n got %+v\nwant %+v", i, g, w)
			}
		}
		// Each field agrees with the same aggregate read alone.
		one, err := statsInto().Where(Tracks.ArtistID.Eq(a.ID)).One(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		longest, err := query.Select1(query.Max(Tracks.Seconds)).Where(Tracks.ArtistID.Eq(a.ID)).One(ctx, db)
		if err != nil || longest != one.Longest {
			t.Errorf("One: Longest %v, Select1 says %v (%v)", one.Longest, longest, err)
		}
		first, err := statsInto().Where(Tracks.ArtistID.Eq(b.ID)).First(ctx, db)
		if err != nil || first.ArtistID != b.ID || first.Tracks != 1 {
			t.Errorf("First: %+v, %v", first, err)
		}
		n := 0
		for r, err := range statsInto().Iter(ctx, db) {
			if err != nil {
				t.Fatal(err)
			}
			if r.Tracks == 0 {
				t.Errorf("Iter: row %+v", r)
			}
			n++
		}
		if n != 2 {
			t.Errorf("Iter gave %d rows", n)
		}
		// A projection built wrong fails when it runs, sending nothing.
		bad := query.SelectInto(func(r *artistStats, s *query.Fields[artistStats]) {
			query.Field(s, &r.Plays, Tracks.Plays)
			query.Field(s, &r.Plays, Tracks.Likes)
		})
		if _, err := bad.All(ctx, db); err == nil || !strings.Contains(err.Error(), "field Plays is bound twice") {
			t.Errorf("All of a projection binding Plays twice: %v", err)
		}
	})
}

type nested struct {
	Name  string
	Inner struct {
		A, B int64
	}
	Other int64
}

// TestSelectIntoRefuses: a mistake in bind is an error naming the field
// when the projection runs or renders, never a panic and never a scan into
// the wrong field.
func TestSelectIntoRefuses(t *testing.T) {
	var outside int64
	cases := []struct {
		name string
		p    *query.Projection[nested]
		want string
	}{
		{"nil bind", query.SelectInto[nested](nil), "query: select into query_test.nested: no bind function"},
		{"nothing bound", query.SelectInto(func(*nested, *query.Fields[nested]) {}), "bind binds no field"},
		{"outside the row", query.SelectInto(func(r *nested, s *query.Fields[nested]) {
			query.Field(s, &r.Name, Artists.Name)
			query.Field(s, &outside, Artists.ID)
		}), "field 2 is not a field of the row"},
		{"bound twice", query.SelectInto(func(r *nested, s *query.Fields[nested]) {
			query.Field(s, &r.Other, Artists.ID)
			query.Field(s, &r.Other, Artists.ID)
		}), "field Other is bound twice"},
		{"nested field inside a bound struct", query.SelectInto(func(r *nested, s *query.Fields[nested]) {
			query.Field(s, &r.Inner.B, Artists.ID)
			query.Field(s, &r.Inner, query.RawValue[struct{ A, B int64 }]("1"))
		}), "field Inner is bound twice"},
		{"nil expression", query.SelectInto(func(r *nested, s *query.Fields[nested]) {
			query.Field(s, &r.Inner.A, nil)
		}), "field Inner.A is bound to a nil expression"},
	}
	for _, c := range cases {
		_, _, err := query.Render(sqlite.Dialect(), c.p)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
		}
	}
}
