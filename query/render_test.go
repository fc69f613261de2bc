package query_test

import (
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/golden"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// renderCase is a statement rendered for every dialect and compared with
// testdata/golden/<name>.<dialect>.sql.
type renderCase struct {
	name string
	stmt func(repos) query.Statement
}

// repos are repositories on a render-only executor of one dialect.
type repos struct {
	artists *repo.Repo[Artist]
	tracks  *repo.Repo[Track]
	charts  *repo.Repo[ChartEntry]
}

// stmt wraps a statement that needs no repository.
func stmt(s query.Statement) func(repos) query.Statement {
	return func(repos) query.Statement { return s }
}

// Conditions reused by the cases on tracks.
var (
	shortTrack = Tracks.Seconds.Lt(180)
	popular    = Tracks.Plays.Gt(1000)
	liked      = Tracks.Likes.Ge(50)
	byArtist   = Tracks.ArtistID.Eq(7)
	rated      = Tracks.Rating.IsNotNull()
)

var selectCases = []renderCase{
	{"select_rows", stmt(rowsOf(Artists.Table))},

	// One comparison operator each, on columns of different types, so the
	// arguments show each value bound through its column's codec.
	{"where_eq", stmt(rowsOf(Artists.Table, Artists.Name.Eq("Queen")))},
	{"where_ne", stmt(rowsOf(Tracks.Table, Tracks.ArtistID.Ne(3)))},
	{"where_lt", stmt(rowsOf(Tracks.Table, Tracks.Seconds.Lt(180)))},
	{"where_le", stmt(rowsOf(Tracks.Table, Tracks.Released.Le(when)))},
	{"where_gt", stmt(rowsOf(Tracks.Table, Tracks.Rating.Gt(sql.Null[float64]{V: 4.5, Valid: true})))},
	{"where_ge", stmt(rowsOf(Tracks.Table, Tracks.Plays.Ge(1000)))},
	{"where_eq_nullable", stmt(rowsOf(Artists.Table, Artists.Country.Eq(&uk)))},
	{"where_eq_nil", stmt(rowsOf(Artists.Table, Artists.Country.Eq(nil)))},
	{"where_ne_nil", stmt(rowsOf(Tracks.Table, Tracks.LabelCode.Ne(nil)))},
	{"where_eq_invalid_null", stmt(rowsOf(Tracks.Table, Tracks.Rating.Eq(sql.Null[float64]{}), byArtist))},
	{"where_eq_nil_pointer", stmt(rowsOf(Tracks.Table,
		query.Compare[Track](query.RawValue[*int64](`"plays"`), query.Eq, nil)))},
	{"where_lt_nil", stmt(rowsOf(Tracks.Table, Tracks.LabelCode.Lt(nil)))},
	{"where_several", stmt(rowsOf(Tracks.Table, byArtist, popular, shortTrack))},

	{"where_between", stmt(rowsOf(Tracks.Table, Tracks.Seconds.Between(180, 240)))},
	{"where_between_time", stmt(rowsOf(Tracks.Table, Tracks.Released.Between(when, later)))},

	{"where_in", stmt(rowsOf(Tracks.Table, Tracks.ID.In(1, 2, 3)))},
	{"where_in_strings", stmt(rowsOf(Artists.Table, Artists.Name.In("Queen", "ABBA")))},
	{"where_in_times", stmt(rowsOf(Tracks.Table, Tracks.Released.In(when, later)))},
	{"where_in_one", stmt(rowsOf(Tracks.Table, Tracks.ID.In(9)))},
	{"where_not_in", stmt(rowsOf(Tracks.Table, Tracks.ArtistID.NotIn(4, 5)))},
	{"where_in_empty", stmt(rowsOf(Tracks.Table, Tracks.ID.In()))},
	{"where_not_in_empty", stmt(rowsOf(Tracks.Table, Tracks.ID.NotIn()))},
	{"where_in_empty_beside", stmt(rowsOf(Tracks.Table, Tracks.ID.In(), popular))},
	{"where_in_empty_or", stmt(rowsOf(Tracks.Table, query.Or(Tracks.ID.In(), popular)))},

	{"where_in_query", stmt(rowsOf(Artists.Table,
		Artists.Name.Ne("Unknown"),
		Artists.ID.InQuery(query.Select1(Tracks.ArtistID).Where(popular, Tracks.Title.HasPrefix("Live"))),
		Artists.ID.Lt(100)))},
	{"where_not_in_query", stmt(rowsOf(Artists.Table,
		Artists.ID.NotInQuery(query.Select1(Tracks.ArtistID).Distinct())))},
	{"where_in_query_nested", stmt(rowsOf(Artists.Table,
		Artists.ID.InQuery(query.Select1(Tracks.ArtistID).Where(
			Tracks.ID.InQuery(query.Select1(Charts.TrackID).Where(Charts.Position.Le(10))))),
	))},

	{"where_is_null", stmt(rowsOf(Artists.Table, Artists.Country.IsNull()))},
	{"where_is_not_null", stmt(rowsOf(Tracks.Table, rated))},

	// Logic: parentheses exactly where precedence needs them.
	{"where_and", stmt(rowsOf(Tracks.Table, query.And(byArtist, popular, shortTrack)))},
	{"where_and_flattened", stmt(rowsOf(Tracks.Table, query.And(query.And(byArtist, popular), shortTrack)))},
	{"where_or", stmt(rowsOf(Tracks.Table, query.Or(popular, liked)))},
	{"where_or_flattened", stmt(rowsOf(Tracks.Table, query.Or(popular, query.Or(liked, rated))))},
	{"where_or_beside_and", stmt(rowsOf(Tracks.Table, query.Or(popular, liked), byArtist))},
	{"where_and_of_ors", stmt(rowsOf(Tracks.Table, query.And(query.Or(popular, liked), query.Or(shortTrack, rated))))},
	{"where_or_of_ands", stmt(rowsOf(Tracks.Table, query.Or(query.And(popular, liked), query.And(shortTrack, rated))))},
	{"where_not", stmt(rowsOf(Tracks.Table, query.Not(query.And(popular, liked))))},
	{"where_not_or", stmt(rowsOf(Tracks.Table, query.Not(query.Or(popular, liked)), byArtist))},
	{"where_nested", stmt(rowsOf(Tracks.Table,
		query.Or(byArtist, query.And(popular, query.Not(query.Or(shortTrack, rated)))),
		liked))},
	{"where_methods", stmt(rowsOf(Tracks.Table, popular.And(liked.Or(rated)).Not()))},
	{"where_zero_skipped", stmt(rowsOf(Tracks.Table, query.Cond[Track]{}, query.And(query.Cond[Track]{}, popular)))},
	{"where_all_rows", stmt(rowsOf(Tracks.Table, query.AllRows[Track]()))},
	{"where_and_all_rows", stmt(rowsOf(Tracks.Table, query.And(query.AllRows[Track](), popular)))},
	{"where_or_all_rows", stmt(rowsOf(Tracks.Table, query.Or(popular, query.AllRows[Track]())))},
	{"where_not_all_rows", stmt(rowsOf(Tracks.Table, query.Not(query.AllRows[Track]())))},

	// Patterns: Like passes the pattern as given; where LIKE sees every
	// byte (PostgreSQL), Contains, HasPrefix and HasSuffix escape \, % and
	// _ and say ESCAPE '\'.
	{"where_like", stmt(rowsOf(Artists.Table, Artists.Name.Like("Qu_en%")))},
	{"where_ilike", stmt(rowsOf(Artists.Table, Artists.Name.ILike("queen%")))},
	{"where_like_nullable", stmt(rowsOf(Artists.Table, Artists.Country.Like("U%")))},
	{"where_contains", stmt(rowsOf(Tracks.Table, Tracks.Title.Contains(`50%_off\now`)))},
	{"where_has_prefix", stmt(rowsOf(Tracks.Table, Tracks.Title.HasPrefix("Intro_")))},
	{"where_has_suffix", stmt(rowsOf(Tracks.Table, Tracks.Title.HasSuffix("(Live) 100%")))},
	{"where_contains_ignoring_case", stmt(rowsOf(Tracks.Table,
		query.Contains[Track](Tracks.Title, "a_b", query.CaseInsensitive)))},
	// On SQLite (ByteTextMatch) Contains, HasPrefix and HasSuffix compare
	// bytes of BLOB casts: the lengths bound are len(s) in bytes.
	{"where_has_prefix_ignoring_case", stmt(rowsOf(Tracks.Table,
		query.HasPrefix[Track](Tracks.Title, "Intro_", query.CaseInsensitive)))},
	{"where_has_suffix_ignoring_case", stmt(rowsOf(Tracks.Table,
		query.HasSuffix[Track](Tracks.Title, "Café", query.CaseInsensitive)))},
	{"where_has_suffix_multibyte", stmt(rowsOf(Tracks.Table, Tracks.Title.HasSuffix("café")))},
	{"where_contains_empty", stmt(rowsOf(Tracks.Table, Tracks.Title.Contains("")))},
	{"where_contains_nullable", stmt(rowsOf(Artists.Table, Artists.Country.Contains("K")))},
	{"where_not_text_ops", stmt(rowsOf(Tracks.Table, query.Not(query.Or(Tracks.Title.Contains("x"),
		Tracks.Title.HasPrefix("y"))), Tracks.Title.HasSuffix("z").Not()))},
	{"where_exists_text_ops", stmt(rowsOf(Artists.Table, query.Exists[Artist](query.ExistsQuery{
		From: Tracks.Table, Outer: Artists.Table,
		Where: []query.Expr{query.Equal(Tracks.ArtistID, query.Qualified{Table: "artist", Name: "id"}),
			Tracks.Title.HasSuffix("mix"), Tracks.Title.Contains("%")}})))},
	{"where_exists_aliased_text_ops", stmt(rowsOf(Artists.Table, query.Exists[Artist](query.ExistsQuery{
		From: Artists.Table, Alias: "other", Outer: Artists.Table,
		Where: []query.Expr{query.Equal(Artists.ID, query.Qualified{Table: "artist", Name: "id"}),
			Artists.Name.HasPrefix("The ")}})))},

	// Column against column.
	{"where_eq_col", stmt(rowsOf(Tracks.Table, Tracks.Likes.EqCol(Tracks.Plays)))},
	{"where_cmp_cols", stmt(rowsOf(Tracks.Table,
		Tracks.Likes.NeCol(Tracks.Plays), Tracks.Likes.LtCol(Tracks.Plays), Tracks.Likes.GtCol(Tracks.Plays)))},

	// Raw fragments: placeholders numbered in sequence with the typed ones.
	{"where_raw", stmt(rowsOf(Tracks.Table,
		query.Where[Track](query.Raw(`length("title") > ?`, 10)), byArtist))},
	{"where_raw_question_mark", stmt(rowsOf(Tracks.Table,
		query.Where[Track](query.Raw(`"title" NOT LIKE '%??%' AND "plays" > ?`, 5))))},
	{"where_raw_or_beside_and", stmt(rowsOf(Tracks.Table,
		query.Where[Track](query.Raw(`"plays" > ? OR "likes" > ?`, 1, 2)), byArtist))},
	{"where_raw_or_in_and", stmt(rowsOf(Tracks.Table,
		query.And(byArtist, query.Where[Track](query.Raw(`"plays" > ? OR "likes" > ?`, 1, 2)))))},
	{"where_raw_value", stmt(rowsOf(Tracks.Table,
		query.Compare[Track](query.RawValue[int64](`length("title")`), query.Gt, 20)))},

	// Ordering, limits, distinct.
	{"order_by", stmt(&query.Select{Columns: []query.Expr{Tracks.Title}, From: Tracks.Table,
		OrderBy: []query.Ordering{Tracks.Plays.Desc(), Tracks.Title.Asc()}})},
	{"order_by_nulls", stmt(&query.Select{Columns: []query.Expr{Tracks.Title}, From: Tracks.Table,
		OrderBy: []query.Ordering{Tracks.Rating.Desc().NullsLast(), Tracks.Released.Asc().NullsFirst(), Tracks.ID.Asc()}})},
	{"order_by_raw", stmt(query.Select1(Tracks.Title).OrderBy(query.Desc[Track](query.RawValue[int64](`"plays" * ?`, 2))))},
	{"limit", stmt(&query.Select{Columns: []query.Expr{Tracks.ID}, Limit: 10})},
	{"limit_zero", stmt(&query.Select{Columns: []query.Expr{Tracks.ID}, HasLimit: true})},
	{"limit_offset", stmt(&query.Select{Columns: []query.Expr{Tracks.ID}, Limit: 10, Offset: 20,
		OrderBy: []query.Ordering{Tracks.ID.Asc()}})},
	{"offset_only", stmt(&query.Select{Columns: []query.Expr{Tracks.ID}, Offset: 20,
		OrderBy: []query.Ordering{Tracks.ID.Asc()}})},
	{"distinct", stmt(&query.Select{Distinct: true, Columns: []query.Expr{Tracks.ArtistID, Tracks.LabelCode}})},

	// Grouping and aggregates.
	{"group_by_count", stmt(query.Select2(Tracks.ArtistID, query.Count()).
		GroupBy(Tracks.ArtistID).Having(query.Count().Gt(2)).OrderBy(query.Count().Desc()))},
	{"group_by_having_or", stmt(query.Select3(Tracks.ArtistID, query.Sum(Tracks.Plays), query.Avg(Tracks.Seconds)).
		Where(rated).
		GroupBy(Tracks.ArtistID).
		Having(query.Or(query.Sum(Tracks.Plays).Ge(1000), query.Avg(Tracks.Seconds).Lt(sql.Null[float64]{V: 120, Valid: true})),
			query.Count().Ge(3)).
		OrderBy(query.Sum(Tracks.Plays).Desc(), Tracks.ArtistID.Asc()).
		Limit(5))},
	{"group_by_two", stmt(query.Select3(Tracks.ArtistID, Tracks.LabelCode, query.CountOf(Tracks.Rating)).
		GroupBy(Tracks.ArtistID, Tracks.LabelCode))},
	{"having_time", stmt(query.Select2(Tracks.ArtistID, query.Max(Tracks.Released)).
		GroupBy(Tracks.ArtistID).
		Having(query.Max(Tracks.Released).Gt(sql.Null[time.Time]{V: when, Valid: true})))},
	{"aggregates", stmt(query.Select4(query.CountOf(Tracks.Rating), query.CountDistinct(Tracks.ArtistID),
		query.Min(Tracks.Released), query.Max(Tracks.Title)).Where(Tracks.Plays.Gt(0)))},
	{"sum_numeric", stmt(query.Select1(query.Sum(Sales.Amount)).Having(query.Sum(Sales.Amount).Gt(0.3)))},
	{"aggregates_sum_avg", stmt(query.Select3(query.Sum(Tracks.Seconds), query.Avg(Tracks.Plays), query.Min(Tracks.Rating)))},
	{"count_from", stmt(query.Select1(query.Count()).From(Tracks.Table).Where(byArtist))},

	// Typed projections.
	{"select1", stmt(query.Select1(Artists.Name).Where(Artists.Country.IsNotNull()).OrderBy(Artists.Name.Asc()))},
	{"select1_distinct", stmt(query.Select1(Tracks.ArtistID).Distinct().OrderBy(Tracks.ArtistID.Asc()))},
	{"select2", stmt(query.Select2(Artists.ID, Artists.Name).Limit(5))},
	{"select3", stmt(query.Select3(Tracks.Title, Tracks.Seconds, Tracks.Released).Where(Tracks.Released.Ge(when)).Offset(3))},
	{"select4", stmt(query.Select4(Tracks.ID, Tracks.Title, Tracks.Rating, Tracks.LabelCode).
		OrderBy(Tracks.Rating.Desc().NullsLast()).Limit(10).Offset(10))},
	{"select2_raw_value", stmt(query.Select2(Tracks.Title, query.RawValue[int64](`"plays" * ?`, 2)).Where(popular))},
	{"select_into", stmt(query.SelectInto(func(r *artistStats, s *query.Fields[artistStats]) {
		query.Field(s, &r.ArtistID, Tracks.ArtistID)
		query.Field(s, &r.Tracks, query.Count())
		query.Field(s, &r.Plays, query.Sum(Tracks.Plays))
		query.Field(s, &r.Longest, query.Max(Tracks.Seconds))
		query.Field(s, &r.First, query.Min(Tracks.Released))
		query.Field(s, &r.Rating, query.Avg(Tracks.Seconds))
		query.Field(s, &r.Rated, query.CountOf(Tracks.Rating))
	}).Where(Tracks.Plays.Gt(0)).GroupBy(Tracks.ArtistID).Having(query.Count().Gt(1)).OrderBy(Tracks.ArtistID.Asc()))},
	{"keyword_identifiers", stmt(query.Select2(Groups.Order, Groups.Select).
		Where(Groups.Select.Eq("from"), Groups.Order.Gt(1)).OrderBy(Groups.Order.Desc()))},

	// What repositories run.
	{"repo_query", func(r repos) query.Statement {
		return r.artists.Where(Artists.Name.HasPrefix("Q"), Artists.Country.Eq(&uk)).
			OrderBy(Artists.Name.Desc()).Limit(10).Offset(5).Select()
	}},
	{"repo_query_distinct", func(r repos) query.Statement {
		return r.tracks.Where(query.Or(popular, liked)).Where(byArtist).Distinct().Offset(2).Select()
	}},
	{"repo_query_composite", func(r repos) query.Statement {
		return r.charts.Where(Charts.Week.Eq(12)).OrderBy(Charts.Position.Asc()).Select()
	}},
}

var writeCases = []renderCase{
	{"insert_one", stmt(&query.Insert{Into: Artists.Table, Columns: []string{"name", "country"},
		Values: []any{"Queen", "UK"}, Returning: []string{"id"}})},
	{"insert_many", stmt(&query.Insert{Into: Artists.Table, Columns: []string{"name", "country"},
		Values: []any{"Queen", "UK", "ABBA", "SE", "Unknown", nil}, Returning: []string{"id"}})},
	{"insert_ordered", stmt(&query.Insert{Into: Artists.Table, Columns: []string{"name", "country"},
		Values: []any{"Queen", "UK", "ABBA", "SE", "Unknown", nil}, Returning: []string{"id"}, Ordered: true})},
	{"insert_default_values", stmt(&query.Insert{Into: Artists.Table, Returning: []string{"id", "name"}})},
	{"insert_no_returning", stmt(&query.Insert{Into: Charts.Table, Columns: []string{"week", "position", "track_id"},
		Values: []any{int32(12), int16(1), int64(7)}})},
	{"upsert_update", stmt(&query.Insert{Into: Labels.Table, Columns: []string{"code", "name"},
		Values: []any{"INDY", "Independent"}, OnConflict: []string{"code"}, Update: []string{"name"},
		Returning: []string{"code", "name"}})},
	{"upsert_do_nothing", stmt(&query.Insert{Into: Labels.Table, Columns: []string{"code", "name"},
		Values: []any{"INDY", "Independent", "EMI", "EMI Records"}, OnConflict: []string{"code"}})},
	{"upsert_composite_key", stmt(&query.Insert{Into: Charts.Table, Columns: []string{"week", "position", "track_id"},
		Values: []any{int32(12), int16(1), int64(7)}, OnConflict: []string{"week", "position"},
		Update: []string{"track_id"}})},
	{"upsert_keywords", stmt(&query.Insert{Into: Groups.Table, Columns: []string{"id", "order", "select"},
		Values: []any{int64(1), int32(2), "x"}, OnConflict: []string{"id"}, Update: []string{"order", "select"}})},

	{"update_set", stmt(&query.Update{Table: Tracks.Table,
		Set:   []query.Assignment{Tracks.Plays.Set(0).Assignment, Tracks.Title.Set("Untitled").Assignment},
		Where: []query.Condition{byArtist}})},
	{"update_set_expr", stmt(&query.Update{Table: Tracks.Table,
		Set: []query.Assignment{
			Tracks.Likes.SetExpr(Tracks.Plays).Assignment,
			Tracks.Plays.SetExpr(query.RawValue[int64](`"plays" + ?`, 1)).Assignment,
		},
		Where:     []query.Condition{Tracks.ID.In(1, 2)},
		Returning: []string{"id", "plays"}})},
	{"update_codecs", stmt(&query.Update{Table: Tracks.Table,
		Set: []query.Assignment{
			Tracks.Released.Set(when).Assignment,
			Tracks.Rating.Set(sql.Null[float64]{}).Assignment,
			Tracks.LabelCode.Set(&indy).Assignment,
			Tracks.Tags.Set([]string{"rock", "live"}).Assignment,
		},
		Where: []query.Condition{Tracks.ID.Eq(1)}})},
	{"update_all_rows", stmt(&query.Update{Table: Tracks.Table,
		Set:   []query.Assignment{Tracks.LabelCode.Set(nil).Assignment},
		Where: []query.Condition{query.AllRows[Track]()}})},
	{"update_or_where", stmt(&query.Update{Table: Tracks.Table,
		Set:   []query.Assignment{Tracks.Likes.Set(0).Assignment},
		Where: []query.Condition{query.Or(popular, rated), byArtist}})},
	{"update_keywords", stmt(&query.Update{Table: Groups.Table,
		Set:   []query.Assignment{Groups.Order.Set(3).Assignment, Groups.Select.Set("where").Assignment},
		Where: []query.Condition{Groups.ID.Eq(1)}})},

	{"delete_where", stmt(&query.Delete{From: Tracks.Table, Where: []query.Condition{byArtist, shortTrack}})},
	{"delete_all_rows", stmt(&query.Delete{From: Tracks.Table, Where: []query.Condition{query.AllRows[Track]()}})},
	{"delete_returning", stmt(&query.Delete{From: Tracks.Table, Where: []query.Condition{Tracks.ID.In(4, 5)},
		Returning: []string{"id", "title"}})},
	{"delete_in_query", stmt(&query.Delete{From: Tracks.Table, Where: []query.Condition{
		Tracks.ArtistID.InQuery(query.Select1(Artists.ID).Where(Artists.Country.Eq(&uk))), popular}})},
	{"delete_composite_key", stmt(&query.Delete{From: Charts.Table, Where: []query.Condition{
		Charts.Week.Eq(12), Charts.Position.Eq(1)}})},
}

// TestRender renders every case for every dialect and compares it with
// its golden file; it also checks that no table or column name of the
// schema is written unquoted.
func TestRender(t *testing.T) {
	names := schemaNames()
	for _, group := range [][]renderCase{selectCases, writeCases, exprCases, aliasCases, derivedCases} {
		for _, c := range group {
			t.Run(c.name, func(t *testing.T) {
				for _, d := range dialects {
					ex := renderOnly{d}
					r := repos{artists: repo.New(ex, Artists.Table), tracks: repo.New(ex, Tracks.Table),
						charts: repo.New(ex, Charts.Table)}
					sql, args, err := query.Render(d, c.stmt(r))
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
}

// TestRenderNames checks that no two cases share a golden file.
func TestRenderNames(t *testing.T) {
	seen := map[string]bool{}
	for _, group := range [][]renderCase{selectCases, writeCases, exprCases, aliasCases, derivedCases} {
		for _, c := range group {
			if seen[c.name] {
				t.Errorf("two cases named %q", c.name)
			}
			seen[c.name] = true
		}
	}
}

// TestRenderReusesNothing renders every case, for every dialect, again
// and again in one order and then from several goroutines at once, with a
// failing statement between any two: Render reuses its Builders, and none
// may carry text, arguments, an error, aliases or a setting of one
// statement into the next. Each rendering must equal the case's first.
func TestRenderReusesNothing(t *testing.T) {
	type rendered struct {
		stmt query.Statement
		d    dialect.Dialect
		sql  string
		args string
	}
	var all []rendered
	for _, group := range [][]renderCase{selectCases, writeCases, exprCases, aliasCases, derivedCases} {
		for _, c := range group {
			for _, d := range dialects {
				ex := renderOnly{d}
				r := repos{artists: repo.New(ex, Artists.Table), tracks: repo.New(ex, Tracks.Table),
					charts: repo.New(ex, Charts.Table)}
				s := c.stmt(r)
				sql, args, err := query.Render(d, s)
				if err != nil {
					t.Fatalf("%s %s: Render: %v", c.name, d.Name(), err)
				}
				all = append(all, rendered{s, d, sql, fmt.Sprint(args)})
			}
		}
	}
	failing := rowsOf(Tracks.Table, query.Where[Track](query.Raw("? = ?", 1)))
	check := func(t *testing.T, round int, x rendered) {
		if _, _, err := query.Render(x.d, failing); err == nil {
			t.Errorf("round %d: a statement with a missing argument rendered", round)
		}
		sql, args, err := query.Render(x.d, x.stmt)
		if err != nil {
			t.Errorf("round %d, %s: Render: %v\n%s", round, x.d.Name(), err, x.sql)
			return
		}
		if sql != x.sql || fmt.Sprint(args) != x.args {
			t.Errorf("round %d, %s: rendered\n%s %s\nafter other statements, first\n%s %s", round, x.d.Name(), sql, args, x.sql, x.args)
		}
	}
	for round := range 2 {
		for i := range all {
			// Backwards on the second round, so each statement follows
			// another one than the first time.
			if round == 1 {
				i = len(all) - 1 - i
			}
			check(t, round, all[i])
		}
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range all {
				check(t, 2+g, all[(i*7+g)%len(all)])
			}
		})
	}
	wg.Wait()
}
