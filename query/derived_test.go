package query_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/postgres"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// artistPlays is a row of plays per artist, read as a derived table.
type artistPlays struct {
	Artist int64
	Plays  int64
	Tracks int64
}

// playsPerArtist sums the plays of each artist's tracks of more than min
// seconds.
func playsPerArtist(min int32) *query.Projection[artistPlays] {
	return query.SelectInto(func(r *artistPlays, s *query.Fields[artistPlays]) {
		query.Field(s, &r.Artist, Tracks.ArtistID)
		query.Field(s, &r.Plays, query.Sum(Tracks.Plays))
		query.Field(s, &r.Tracks, query.Count())
	}).Where(Tracks.Seconds.Gt(min)).GroupBy(Tracks.ArtistID)
}

var (
	perArtist    = query.Derived(playsPerArtist(60), "per_artist")
	perArtistID  = query.SubCol(perArtist, func(r *artistPlays) *int64 { return &r.Artist })
	perArtistSum = query.SubCol(perArtist, func(r *artistPlays) *int64 { return &r.Plays })
	pairs        = query.Derived(query.Select2(Tracks.ArtistID, Tracks.Plays).Where(Tracks.Plays.Gt(10)), "pairs")
	pairsPlays   = query.SubCol(pairs, func(r *query.Row2[int64, int64]) *int64 { return &r.V2 })
	titles       = query.Derived(query.Select1(Tracks.Title).Where(Tracks.Likes.Gt(1)), "titles")
	titlesTitle  = query.SubCol(titles, func(r *string) *string { return r })
)

// orgNode is a row of the org chart: a member and their depth under the
// head the chart starts from.
type orgNode struct {
	ID    int64
	Name  string
	Depth int64
}

// orgUnder is every member under the member head, head included at depth
// 0, as a recursive CTE.
func orgUnder(head int64) *query.Sub[orgNode] {
	return query.Recursive("org", query.SelectInto(func(r *orgNode, s *query.Fields[orgNode]) {
		query.Field(s, &r.ID, Staffs.ID)
		query.Field(s, &r.Name, Staffs.Name)
		query.Field(s, &r.Depth, query.Val[int64](0))
	}).Where(Staffs.ID.Eq(head)), func(org *query.Sub[orgNode]) *query.Projection[orgNode] {
		return query.SelectInto(func(r *orgNode, s *query.Fields[orgNode]) {
			query.Field(s, &r.ID, Staffs.ID)
			query.Field(s, &r.Name, Staffs.Name)
			query.Field(s, &r.Depth, query.Plus(query.SubCol(org, func(r *orgNode) *int64 { return &r.Depth }), query.Val[int64](1)))
		}).JoinOn(org, Staffs.ManagerID.EqCol(query.Ptr(query.SubCol(org, func(r *orgNode) *int64 { return &r.ID }))))
	})
}

// orgRows selects the whole org chart under head, by depth and id.
func orgRows(head int64) *query.Projection[orgNode] {
	org := orgUnder(head)
	id := query.SubCol(org, func(r *orgNode) *int64 { return &r.ID })
	depth := query.SubCol(org, func(r *orgNode) *int64 { return &r.Depth })
	return query.SelectInto(func(r *orgNode, s *query.Fields[orgNode]) {
		query.Field(s, &r.ID, id)
		query.Field(s, &r.Name, query.SubCol(org, func(r *orgNode) *string { return &r.Name }))
		query.Field(s, &r.Depth, depth)
	}).OrderBy(depth.Asc(), id.Asc())
}

// bigArtists is a CTE of the artists with more than n plays in all.
func bigArtists(n int64) *query.Sub[query.Row2[int64, int64]] {
	return query.CTE("big", query.Select2(Tracks.ArtistID, query.Sum(Tracks.Plays)).
		GroupBy(Tracks.ArtistID).Having(query.Sum(Tracks.Plays).Gt(n)))
}

func bigArtist() query.Term[query.Row2[int64, int64], int64] {
	return query.SubCol(bigArtists(1000), func(r *query.Row2[int64, int64]) *int64 { return &r.V1 })
}

// derivedCases are the statement shapes of derived tables, CTEs and
// counts of projections.
var derivedCases = []renderCase{
	// Values inside the subquery (60) and outside (100, 1): $n numbered
	// in the order of the text.
	{"derived_from", stmt(query.Select2(perArtistID, perArtistSum).
		Where(perArtistSum.Gt(100)).OrderBy(perArtistSum.Desc()).Limit(1))},
	{"derived_join", stmt(query.Select2(Artists.Name, perArtistSum).
		JoinOn(perArtist, perArtistID.EqCol(Artists.ID)).Where(Artists.Name.Ne("x")))},
	{"derived_row2", stmt(query.Select1(pairsPlays).Where(pairsPlays.Lt(5000)))},
	{"derived_select1", stmt(query.Select1(titlesTitle).OrderBy(titlesTitle.Asc()))},
	{"count_rows_grouped", stmt(query.CountRows(query.Select1(Tracks.ArtistID).GroupBy(Tracks.ArtistID).
		Having(query.Count().Gt(1))))},
	{"cte_from", stmt(func() query.Statement {
		big := bigArtists(1000)
		return query.Select1(query.SubCol(big, func(r *query.Row2[int64, int64]) *int64 { return &r.V1 })).
			Where(query.SubCol(big, func(r *query.Row2[int64, int64]) *int64 { return &r.V2 }).Lt(1 << 40))
	}())},
	{"cte_join", stmt(func() query.Statement {
		big := bigArtists(1000)
		id := query.SubCol(big, func(r *query.Row2[int64, int64]) *int64 { return &r.V1 })
		return query.Select1(Artists.Name).JoinOn(big, id.EqCol(Artists.ID)).Where(Artists.ID.Gt(0))
	}())},
	{"cte_recursive", stmt(orgRows(1))},
	{"cte_in_query", stmt(query.Select1(Artists.Name).Where(Artists.ID.InQuery(query.Select1(bigArtist()))))},
}

// TestDerivedErrors: a misused subquery fails the statement, naming what
// is wrong, before anything is sent.
func TestDerivedErrors(t *testing.T) {
	t.Parallel()
	pg := postgres.Dialect()
	notSelected := query.Derived(query.Select2(Tracks.ArtistID, Tracks.Plays), "d")
	byField := query.Derived(playsPerArtist(0), "d")
	cases := []struct {
		name string
		stmt query.Statement
		want string
	}{
		{"field_not_selected", query.Select1(query.SubCol(query.Derived(query.SelectInto(func(r *artistPlays, s *query.Fields[artistPlays]) {
			query.Field(s, &r.Artist, Tracks.ArtistID)
		}), "d"), func(r *artistPlays) *int64 { return &r.Plays })), `subquery d: field Plays of query_test.artistPlays is not a selected one`},
		{"selector_outside_row", query.Select1(query.SubCol(notSelected, func(*query.Row2[int64, int64]) *int64 { return new(int64) })),
			`the selector returns no field`},
		{"derived_not_read", query.Select1(Tracks.Title).Where(perArtistSum.Gt(1)),
			`a condition reads table "per_artist", which the statement on "track" does not join`},
		{"derived_selected_not_read", query.Select2(Tracks.Title, query.SubCol(byField, func(r *artistPlays) *int64 { return &r.Tracks })),
			`reads table "d", which the statement on "track" does not join`},
		{"derived_without_name", query.Select1(query.SubCol(query.Derived(playsPerArtist(0), ""), func(r *artistPlays) *int64 { return &r.Plays })),
			`derived table of query_test.artistPlays has no name`},
		{"derived_of_nil", query.Select1(query.SubCol(query.Derived[int64](nil, "n"), func(r *int64) *int64 { return r })),
			`derived table "n" of a nil projection`},
		{"count_of_failed", query.CountRows(query.SelectInto[artistPlays](nil)), `no bind function`},
		{"recursive_without_step", query.Select1(query.SubCol(query.Recursive[int64]("r", query.Select1(Staffs.ID), nil), func(r *int64) *int64 { return r })),
			`recursive common table expression "r" has no step`},
		{"recursive_other_fields", orgStepOtherFields(), `the step selects other fields of query_test.orgNode than the base`},
	}
	for _, c := range cases {
		_, _, err := query.Render(pg, c.stmt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error with %q", c.name, err, c.want)
		}
	}
}

// orgStepOtherFields is a recursive CTE whose step binds its fields in
// another order than its base.
func orgStepOtherFields() query.Statement {
	org := query.Recursive("org", query.SelectInto(func(r *orgNode, s *query.Fields[orgNode]) {
		query.Field(s, &r.ID, Staffs.ID)
		query.Field(s, &r.Depth, query.Val[int64](0))
	}), func(org *query.Sub[orgNode]) *query.Projection[orgNode] {
		return query.SelectInto(func(r *orgNode, s *query.Fields[orgNode]) {
			query.Field(s, &r.Depth, query.Val[int64](0))
			query.Field(s, &r.ID, Staffs.ID)
		}).JoinOn(org, Staffs.ManagerID.EqCol(query.Ptr(query.SubCol(org, func(r *orgNode) *int64 { return &r.ID }))))
	})
	return query.Select1(query.SubCol(org, func(r *orgNode) *int64 { return &r.ID }))
}

// seedStaff fills the staff table: 1 heads 2 and 3, 2 heads 4, 4 heads
// 5; 6 heads 7 apart.
func seedStaff(t *testing.T, db dialect.DB) {
	t.Helper()
	one, two, four, six := int64(1), int64(2), int64(4), int64(6)
	if err := repo.New(db, Staffs.Table).InsertMany(context.Background(), []*Staff{
		{ID: 1, Name: "Ada"}, {ID: 2, Name: "Bo", ManagerID: &one}, {ID: 3, Name: "Cy", ManagerID: &one},
		{ID: 4, Name: "Di", ManagerID: &two}, {ID: 5, Name: "Ed", ManagerID: &four}, {ID: 6, Name: "Flo"},
		{ID: 7, Name: "Gus", ManagerID: &six}}); err != nil {
		t.Fatal(err)
	}
}

// TestDerivedAnswers checks derived tables, CTEs, a recursive org chart
// and counts of grouped projections against hand-written SQL on every
// database.
func TestDerivedAnswers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		seedExprs(t, db)
		seedStaff(t, db)

		agree(t, db, "derived from", query.Select1(perArtistSum).Where(perArtistSum.Gt(100)).OrderBy(perArtistSum.Desc()),
			`SELECT s FROM (SELECT artist_id, SUM(plays) AS s FROM track WHERE seconds > 60 GROUP BY artist_id) AS d
			 WHERE s > 100 ORDER BY s DESC`, []int64{2893, 1500})
		agree(t, db, "derived join", query.Select1(Artists.Name).JoinOn(perArtist, perArtistID.EqCol(Artists.ID)).
			Where(perArtistSum.Lt(2000)),
			`SELECT a.name FROM artist a JOIN (SELECT artist_id, SUM(plays) AS s FROM track WHERE seconds > 60 GROUP BY artist_id) AS d
			 ON d.artist_id = a.id WHERE d.s < 2000`, []string{"Queen"})
		agree(t, db, "derived select1", query.Select1(titlesTitle).OrderBy(titlesTitle.Asc()),
			`SELECT title FROM track WHERE likes > 1 ORDER BY title`, nil)
		agree(t, db, "count of a grouped projection", query.CountRows(query.Select1(Tracks.ArtistID).GroupBy(Tracks.ArtistID).
			Having(query.Sum(Tracks.Plays).Gt(2000))),
			`SELECT COUNT(*) FROM (SELECT artist_id FROM track GROUP BY artist_id HAVING SUM(plays) > 2000) AS x`, []int64{1})
		agree(t, db, "count of a projection", query.CountRows(query.Select1(Tracks.ID).Where(Tracks.Plays.Gt(10))),
			`SELECT COUNT(*) FROM track WHERE plays > 10`, []int64{3})

		big := bigArtists(1000)
		bigID := query.SubCol(big, func(r *query.Row2[int64, int64]) *int64 { return &r.V1 })
		agree(t, db, "cte join", query.Select1(Artists.Name).JoinOn(big, bigID.EqCol(Artists.ID)).OrderBy(Artists.Name.Asc()),
			`WITH b AS (SELECT artist_id, SUM(plays) AS s FROM track GROUP BY artist_id HAVING SUM(plays) > 1000)
			 SELECT a.name FROM artist a JOIN b ON b.artist_id = a.id ORDER BY a.name`, []string{"ABBA", "Queen"})
		agree(t, db, "cte in a subquery", query.Select1(Artists.ID).Where(Artists.ID.InQuery(query.Select1(bigArtist()))).OrderBy(Artists.ID.Asc()),
			`SELECT id FROM artist WHERE id IN (SELECT artist_id FROM track GROUP BY artist_id HAVING SUM(plays) > 1000) ORDER BY id`, nil)

		// The org chart under Ada, with depth.
		want := []orgNode{{1, "Ada", 0}, {2, "Bo", 1}, {3, "Cy", 1}, {4, "Di", 2}, {5, "Ed", 3}}
		got, err := orgRows(1).All(ctx, db)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("org chart: got %v, %v; want %v", got, err, want)
		}
		const byHand = `WITH RECURSIVE o(id, depth) AS (SELECT id, 0 FROM staff WHERE id = 1
			UNION ALL SELECT s.id, o.depth + 1 FROM staff s JOIN o ON s.manager_id = o.id)`
		org := orgUnder(1)
		id := query.SubCol(org, func(r *orgNode) *int64 { return &r.ID })
		depth := query.SubCol(org, func(r *orgNode) *int64 { return &r.Depth })
		agree(t, db, "org chart ids", query.Select1(id).OrderBy(depth.Asc(), id.Asc()),
			byHand+` SELECT id FROM o ORDER BY depth, id`, []int64{1, 2, 3, 4, 5})
		agree(t, db, "org chart depths", query.Select1(depth).Where(depth.Gt(0)).OrderBy(depth.Asc(), id.Asc()),
			byHand+` SELECT depth FROM o WHERE depth > 0 ORDER BY depth, id`, []int64{1, 1, 2, 3})
		agree(t, db, "org chart under another head", query.CountRows(orgRows(6)),
			`WITH RECURSIVE o(id) AS (SELECT id FROM staff WHERE id = 6
			 UNION ALL SELECT s.id FROM staff s JOIN o ON s.manager_id = o.id) SELECT COUNT(*) FROM o`, []int64{2})
	})
}
