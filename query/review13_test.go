package query_test

import (
	"strings"
	"testing"

	"github.com/genrepo/genrepo/query"
)

// TestReview13SameNameSources: a column of an aliased table, derived
// table or CTE is read only from that very source, or one written alike:
// another one that goes by the same name in the statement (a derived
// table of another query, a CTE with another bound value, an alias of
// another table) fails the statement, where its columns were silently
// read from the wrong rows before.
func TestReview13SameNameSources(t *testing.T) {
	t.Parallel()
	type o1 struct{}
	pa60 := query.Derived(playsPerArtist(60), "pa")
	pa0 := query.Derived(playsPerArtist(0), "pa")
	big1000, big5 := bigArtists(1000), bigArtists(5)
	onTracks := query.As[o1](Tracks.Table, "o")
	onArtists := query.As[o1](Artists.Table, "o")
	refused := []struct {
		name string
		stmt query.Statement
	}{
		{"derived", query.Select1(query.SubCol(pa0, func(r *artistPlays) *int64 { return &r.Plays })).From(pa60)},
		{"derived_joined", query.Select2(Artists.Name, query.SubCol(pa0, func(r *artistPlays) *int64 { return &r.Plays })).
			JoinOn(pa60, query.SubCol(pa60, func(r *artistPlays) *int64 { return &r.Artist }).EqCol(Artists.ID))},
		{"cte", query.Select1(query.SubCol(big5, func(r *query.Row2[int64, int64]) *int64 { return &r.V1 })).From(big1000)},
		{"alias", query.Select1(query.ColOf(onArtists, Artists.Name)).From(onTracks)},
	}
	for _, d := range dialects {
		for _, c := range refused {
			_, _, err := query.Render(d, c.stmt)
			if err == nil || !strings.Contains(err.Error(), `reads another table or subquery by the name`) {
				t.Errorf("%s %s: got %v, want the same-name error", d.Name(), c.name, err)
			}
		}
		// Sources made twice alike are the same source.
		same := []struct {
			name      string
			got, want query.Statement
		}{
			{"derived", query.Select1(query.SubCol(query.Derived(playsPerArtist(60), "pa"), func(r *artistPlays) *int64 { return &r.Plays })).From(pa60),
				query.Select1(query.SubCol(pa60, func(r *artistPlays) *int64 { return &r.Plays }))},
			{"cte", query.Select1(query.SubCol(bigArtists(1000), func(r *query.Row2[int64, int64]) *int64 { return &r.V1 })).From(big1000),
				query.Select1(query.SubCol(big1000, func(r *query.Row2[int64, int64]) *int64 { return &r.V1 }))},
			{"recursive", query.Select1(query.SubCol(orgUnder(1), func(r *orgNode) *int64 { return &r.ID })).From(orgUnder(1)),
				query.Select1(query.SubCol(orgUnder(1), func(r *orgNode) *int64 { return &r.ID }))},
			{"alias", query.Select1(query.ColOf(query.As[o1](Tracks.Table, "o"), Tracks.Title)).From(onTracks),
				query.Select1(query.ColOf(onTracks, Tracks.Title))},
		}
		for _, c := range same {
			got, gargs, err := query.Render(d, c.got)
			want, wargs, werr := query.Render(d, c.want)
			if err != nil || werr != nil || got != want || len(gargs) != len(wargs) {
				t.Errorf("%s %s: got %q %v %v, want %q %v %v", d.Name(), c.name, got, gargs, err, want, wargs, werr)
			}
		}
	}
}
