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

// TestReview13RecursiveParts: a recursive common table expression whose
// base or step has ORDER BY, LIMIT or OFFSET, or reads another common
// table expression, was written as SQL both databases refuse (the WITH of
// the other one after UNION ALL); it is refused before anything is sent.
func TestReview13RecursiveParts(t *testing.T) {
	t.Parallel()
	head := func(p *query.Projection[orgNode]) *query.Projection[orgNode] { return p }
	base := query.SelectInto(func(r *orgNode, s *query.Fields[orgNode]) {
		query.Field(s, &r.ID, Staffs.ID)
		query.Field(s, &r.Name, Staffs.Name)
		query.Field(s, &r.Depth, query.Val[int64](0))
	}).Where(Staffs.ID.Eq(1))
	step := func(extra func(*query.Projection[orgNode]) *query.Projection[orgNode]) func(org *query.Sub[orgNode]) *query.Projection[orgNode] {
		return func(org *query.Sub[orgNode]) *query.Projection[orgNode] {
			return extra(query.SelectInto(func(r *orgNode, s *query.Fields[orgNode]) {
				query.Field(s, &r.ID, Staffs.ID)
				query.Field(s, &r.Name, Staffs.Name)
				query.Field(s, &r.Depth, query.Plus(query.SubCol(org, func(r *orgNode) *int64 { return &r.Depth }), query.Val[int64](1)))
			}).JoinOn(org, Staffs.ManagerID.EqCol(query.Ptr(query.SubCol(org, func(r *orgNode) *int64 { return &r.ID })))))
		}
	}
	big := bigArtists(10)
	bigID := query.SubCol(big, func(r *query.Row2[int64, int64]) *int64 { return &r.V1 })
	cases := []struct {
		name string
		org  *query.Sub[orgNode]
		want string
	}{
		{"base_ordered", query.Recursive("org", base.OrderBy(Staffs.ID.Asc()), step(head)), "its base has ORDER BY, LIMIT or OFFSET"},
		{"base_limited", query.Recursive("org", base.Limit(1), step(head)), "its base has ORDER BY, LIMIT or OFFSET"},
		{"step_offset", query.Recursive("org", base, step(func(p *query.Projection[orgNode]) *query.Projection[orgNode] { return p.Offset(2) })),
			"its step has ORDER BY, LIMIT or OFFSET"},
		{"step_reads_cte", query.Recursive("org", base, step(func(p *query.Projection[orgNode]) *query.Projection[orgNode] {
			return p.JoinOn(big, bigID.EqCol(Staffs.ID))
		})), `its step reads the common table expression "big"`},
	}
	for _, c := range cases {
		for _, d := range dialects {
			_, _, err := query.Render(d, query.Select1(query.SubCol(c.org, func(r *orgNode) *int64 { return &r.ID })))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s, %s: got %v, want an error with %q", c.name, d.Name(), err, c.want)
			}
		}
	}
	// The well-formed one still renders.
	if _, _, err := query.Render(dialects[0], query.Select1(query.SubCol(orgUnder(1), func(r *orgNode) *int64 { return &r.ID }))); err != nil {
		t.Errorf("orgUnder: %v", err)
	}
}
