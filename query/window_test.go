package query_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/postgres"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/internal/golden"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/query"
)

// Windows reused by the cases below.
var (
	byArtistPlays = query.PartitionBy(Tracks.ArtistID).OrderBy(Tracks.Plays.Desc(), Tracks.ID.Asc())
	playsBucket   = query.Div(Tracks.Plays, query.Val[int64](1000))
)

// windowCases are the statement shapes of window functions: rankings and
// aggregates over windows, in the select list and ORDER BY.
var windowCases = []renderCase{
	{"window_rankings", stmt(query.Select4(Tracks.Title, query.RowNumber().Over(byArtistPlays),
		query.Rank().Over(query.PartitionBy(Tracks.ArtistID).OrderBy(Tracks.Plays.Desc())),
		query.DenseRank().Over(query.OrderBy(Tracks.Seconds.Asc()))).OrderBy(Tracks.ID.Asc()))},
	// OVER () spans every row.
	{"window_empty", stmt(query.Select3(Tracks.ID, query.Sum(Tracks.Plays).Over(query.Window{}),
		query.Count().Over(query.Window{})))},
	{"window_aggregates", stmt(query.Select4(Tracks.ID,
		query.Sum(Tracks.Plays).Over(query.PartitionBy(Tracks.ArtistID).OrderBy(Tracks.ID.Asc())),
		query.Count().Over(query.PartitionBy(Tracks.ArtistID, Tracks.LabelCode)),
		query.Max(Tracks.Rating).Over(query.PartitionBy(Tracks.ArtistID))).
		Where(Tracks.Plays.Gt(0)).OrderBy(Tracks.ID.Asc()))},
	{"window_min_avg_countof", stmt(query.Select3(query.Min(Tracks.Plays).Over(query.PartitionBy(Tracks.ArtistID)),
		query.Avg(Tracks.Likes).Over(query.PartitionBy(Tracks.ArtistID)),
		query.CountOf(Tracks.LabelCode).Over(query.OrderBy(Tracks.ID.Asc()))))},
	// A NUMERIC sum over a window is rounded (SQLite) around the OVER.
	{"window_numeric_sum", stmt(query.Select3(Prices.Qty, query.Sum(Prices.Cents).Over(query.OrderBy(Prices.Qty.Asc())),
		query.AvgDecimal(Prices.Cents).Over(query.Window{})))},
	// Bound values inside the window; ordering by the windowed value,
	// which binds them too, is written by its position.
	{"window_bound_values", stmt(query.Select2(playsBucket,
		query.RowNumber().Over(query.PartitionBy(playsBucket).OrderBy(query.Times(Tracks.Likes, query.Val[int64](2)).Desc()))).
		OrderBy(query.RowNumber().Over(query.PartitionBy(playsBucket).OrderBy(query.Times(Tracks.Likes, query.Val[int64](2)).Desc())).Asc(),
			playsBucket.Desc()))},
	// A ranking of groups by an aggregate.
	{"window_over_groups", stmt(query.Select3(Tracks.ArtistID, query.Sum(Tracks.Plays),
		query.Rank().Over(query.OrderBy(query.Sum(Tracks.Plays).Desc()))).GroupBy(Tracks.ArtistID).
		OrderBy(query.Rank().Over(query.OrderBy(query.Sum(Tracks.Plays).Desc())).Asc()))},
	// Arithmetic on windowed values: a share of the total.
	{"window_arith", stmt(query.Select2(Tracks.ID,
		query.Div(query.Times(Tracks.Plays, query.Val[int64](100)), query.Sum(Tracks.Plays).Over(query.Window{})))),
	},
	{"window_joined", stmt(&query.Select{From: Tracks.Table,
		Columns: []query.Expr{Artists.Name, Tracks.Title,
			query.RowNumber().Over(query.PartitionBy(Artists.ID).OrderBy(Tracks.Title.Asc()))},
		Joined:  []query.JoinClause{{Table: Artists.Table, On: query.Equal(Tracks.ArtistID, Artists.ID)}},
		OrderBy: []query.Ordering{Artists.Name.Asc(), Tracks.Title.Asc()}})},
	// A window function in a subquery inside a condition is allowed.
	{"window_in_subquery", stmt(rowsOf(Tracks.Table,
		Tracks.ID.InQuery(query.Select1(Tracks.ID).OrderBy(query.RowNumber().Over(byArtistPlays).Asc()).Limit(2))))},
	{"window_select_into", stmt(query.SelectInto(func(r *rankRow, s *query.Fields[rankRow]) {
		query.Field(s, &r.Title, Tracks.Title)
		query.Field(s, &r.Row, query.RowNumber().Over(byArtistPlays))
		query.Field(s, &r.Plays, query.Sum(Tracks.Plays).Over(query.PartitionBy(Tracks.ArtistID)))
	}).OrderBy(Tracks.ID.Asc()))},
}

// rankRow is a row of a ranking read with SelectInto.
type rankRow struct {
	Title string
	Row   int64
	Plays int64
}

// TestWindowRender renders every window case for every dialect and
// compares it with its golden file, as TestRender does.
func TestWindowRender(t *testing.T) {
	names := schemaNames()
	seen := map[string]bool{}
	for _, c := range windowCases {
		if seen[c.name] {
			t.Errorf("two cases named %q", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			for _, d := range dialects {
				sql, args, err := query.Render(d, c.stmt(repos{}))
				if err != nil {
					t.Errorf("%s: Render: %v", d.Name(), err)
					continue
				}
				if bare := bareIdents(sql, names); len(bare) > 0 {
					t.Errorf("%s: identifiers %q are not quoted in\n%s", d.Name(), bare, sql)
				}
				golden.Check(t, c.name, d.Name(), goldenFile(sql, args))
			}
		})
	}
}

// TestWindowGoldenRuns runs every window case on a real database of each
// dialect, as TestGoldenSQLRuns does.
func TestWindowGoldenRuns(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		createSchema(t, db)
		for _, c := range windowCases {
			sql, args, err := query.Render(db.Dialect(), c.stmt(repos{}))
			if err != nil {
				t.Errorf("%s: Render: %v", c.name, err)
				continue
			}
			if err := runRolledBack(ctx, db, sql, args); err != nil {
				t.Errorf("%s: %v\n%s", c.name, err, sql)
			}
		}
	})
}

// TestWindowErrors: a window function where SQL allows none (WHERE,
// GROUP BY, HAVING, a join's ON, UPDATE's SET, inside an aggregate or
// another window) fails the statement before it is sent, naming the
// clause; so do DISTINCT over a window and the zero Ranking.
func TestWindowErrors(t *testing.T) {
	t.Parallel()
	rowNum := query.RowNumber().Over(byArtistPlays)
	total := query.Sum(Tracks.Plays).Over(query.Window{})
	bucketRank := query.RowNumber().Over(query.OrderBy(playsBucket.Asc()))
	cases := []struct {
		name string
		stmt query.Statement
		want string
	}{
		{"where", query.Select1(Tracks.ID).Where(rowNum.Le(3)), "ROW_NUMBER OVER (…) in WHERE"},
		{"where_nested", query.Select1(Tracks.ID).Where(Tracks.ID.Eq(1), query.Or(rowNum.Eq(9), query.Plus(total, Tracks.Plays).Gt(5))),
			"OVER (…) in WHERE"},
		{"having", query.Select1(Tracks.ArtistID).GroupBy(Tracks.ArtistID).Having(query.Rank().Over(query.Window{}).Eq(1)),
			"RANK OVER (…) in HAVING"},
		{"group_by", query.Select2(rowNum, query.Count()).GroupBy(rowNum), "ROW_NUMBER OVER (…) in GROUP BY"},
		// Selected and binding values, it would be grouped by position.
		{"group_by_position", query.Select2(bucketRank, query.Count()).GroupBy(bucketRank), "ROW_NUMBER OVER (…) in GROUP BY"},
		{"join_on", &query.Select{Columns: []query.Expr{Tracks.ID}, From: Tracks.Table,
			Joined: []query.JoinClause{{Table: Artists.Table, On: query.Equal(Artists.ID, rowNum)}}},
			"in a join's ON"},
		{"update_set", &query.Update{Table: Tracks.Table,
			Set: []query.Assignment{Tracks.Plays.SetExpr(query.Sum(Tracks.Plays).Over(query.Window{})).Assignment}},
			"in UPDATE's SET"},
		{"delete_where", &query.Delete{From: Tracks.Table, Where: []query.Condition{rowNum.Gt(1)}}, "in WHERE"},
		{"aggregate_of_window", query.Select1(query.Sum(rowNum)), "in an aggregate's argument"},
		{"window_in_window", query.Select1(query.Rank().Over(query.OrderBy(rowNum.Desc()))),
			"in a window's PARTITION BY or ORDER BY"},
		{"window_in_partition", query.Select1(query.Sum(Tracks.Plays).Over(query.PartitionBy(total))),
			"in a window's PARTITION BY or ORDER BY"},
		{"distinct", query.Select1(query.CountDistinct(Tracks.ArtistID).Over(query.Window{})).From(Tracks.Table),
			"COUNT(DISTINCT …) OVER (…)"},
		{"zero_ranking", query.Select1(query.Ranking{}.Over(query.Window{})).From(Tracks.Table), "the zero Ranking"},
		{"nil_partition", query.Select1(query.RowNumber().Over(query.PartitionBy(nil))).From(Tracks.Table),
			"a nil expression in a window's PARTITION BY"},
		{"other_table", query.Select1(Tracks.ID).OrderBy(query.RowNumber().Over(query.PartitionBy(Artists.ID)).Asc()),
			`reads table "artist"`},
	}
	for _, d := range []dialect.Dialect{postgres.Dialect(), sqlite.Dialect()} {
		for _, c := range cases {
			_, _, err := query.Render(d, c.stmt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s, %s: got %v, want an error with %q", d.Name(), c.name, err, c.want)
			}
		}
	}
	_, _, err := query.Render(sqlite.Dialect(), query.Select1(Tracks.ID).Where(rowNum.Le(3)))
	if err == nil || !strings.Contains(err.Error(), "allowed only in the select list and ORDER BY") {
		t.Errorf("the error does not say where window functions go: %v", err)
	}
}

// TestWindowRefusedBeforeSending checks that a window function in a
// repository's condition never reaches the database: the error is
// genrepo's, not the server's.
func TestWindowRefusedBeforeSending(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		createSchema(t, db)
		_, err := query.Select1(Tracks.ID).Where(query.RowNumber().Over(byArtistPlays).Le(1)).All(context.Background(), db)
		var de *dialect.ConstraintError
		if err == nil || !strings.Contains(err.Error(), "query: ROW_NUMBER OVER (…) in WHERE") || errors.As(err, &de) {
			t.Errorf("got %v", err)
		}
	})
}
