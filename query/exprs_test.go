package query_test

import (
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/postgres"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
)

// Expressions reused by the cases below.
var (
	playsPerLike = query.Div(Tracks.Plays, query.Val[int64](1000))
	releasedYear = query.Year(Tracks.Released)
	lineTotal    = query.TimesInt(Prices.Cents, Prices.Qty)
)

// exprCases are the statement shapes of computed expressions: arithmetic,
// functions and nullable bridging, in every clause that takes them.
var exprCases = []renderCase{
	// Arithmetic, in the select list, in conditions and in ORDER BY.
	{"expr_arith_select", stmt(query.Select2(Tracks.Title, query.Plus(Tracks.Plays, Tracks.Likes)).
		Where(query.Minus(Tracks.Plays, Tracks.Likes).Gt(100), query.Times(Tracks.Seconds, query.Val[int32](1000)).LtCol(Tracks.Seconds)).
		OrderBy(query.Plus(Tracks.Plays, Tracks.Likes).Desc()))},
	{"expr_arith_chain", stmt(query.Select1(query.Times(Tracks.Plays, query.Val[int64](2)).Plus(1).Minus(3).Div(4).Neg()).
		Where(query.Mod(Tracks.Plays, query.Val[int64](7)).Eq(0), query.Neg(Tracks.Likes).Lt(-5)))},
	{"expr_number_column", stmt(query.Select2(Prices.Qty.Plus(1), Prices.Cents.Times(3)).
		Where(Prices.Qty.Minus(2).Div(3).Ge(1), Prices.Cents.Neg().Lt(0)))},
	// A grouped expression binding a parameter is grouped and ordered by
	// its position in the select list, which PostgreSQL needs.
	{"expr_group_by_param", stmt(query.Select2(playsPerLike, query.Count()).
		GroupBy(playsPerLike).OrderBy(playsPerLike.Desc(), query.Count().Asc()))},
	{"expr_group_by_no_param", stmt(query.Select2(releasedYear, query.Sum(Tracks.Plays)).
		GroupBy(releasedYear).Having(query.Times(query.Sum(Tracks.Plays), query.Val[int64](2)).Gt(10)).
		OrderBy(releasedYear.Asc()))},
	// NUMERIC arithmetic: a product's scale is the sum of the scales, a
	// quotient's is free and divides as floats on SQLite.
	{"expr_numeric", stmt(query.Select2(query.Times(Prices.Cents, Prices.Cents),
		query.Div(Prices.Cents, query.Val[Cents](300))).Where(Prices.Cents.Plus(100).Gt(250)))},
	{"expr_numeric_sum", stmt(query.Select1(query.Sum(lineTotal)).Having(query.Sum(lineTotal).Gt(250)))},
	{"expr_sum_avg_decimal", stmt(query.Select3(query.SumDecimal(Prices.Amount), query.AvgDecimal(Prices.Amount),
		query.AvgDecimal(Prices.Cents)).Where(Prices.Qty.Gt(0)))},
	{"update_set_arith", stmt(&query.Update{Table: Tracks.Table,
		Set: []query.Assignment{
			Tracks.Plays.SetExpr(query.Plus(Tracks.Plays, query.Val[int64](100))).Assignment,
			Tracks.Likes.SetExpr(query.Greatest(Tracks.Likes, Tracks.Plays)).Assignment,
		},
		Where: []query.Condition{query.Div(Tracks.Plays, query.Val[int64](2)).Gt(10)}})},

	// Functions.
	{"expr_text_functions", stmt(query.Select4(Artists.Name.Lower(), query.Upper(Artists.Country),
		query.Length(Artists.Name.Trim()), query.Concat(Artists.Name, query.Val(" ("), Artists.Name, query.Val(")"))).
		Where(Artists.Name.Lower().Eq("queen"), Artists.Name.Length().Gt(3)).
		OrderBy(Artists.Name.Upper().Asc()))},
	{"expr_coalesce_bridge", stmt(query.Select3(query.Coalesce(query.Deref(Tracks.LabelCode), query.Val("none")),
		query.Coalesce(query.NullValue(Tracks.Rating), query.Val(0.0)), query.Coalesce(Tracks.LabelCode, Tracks.LabelCode)).
		Where(query.Deref(Tracks.LabelCode).Ne("EMI")))},
	{"expr_cast", stmt(query.Select2(query.Cast[float64](Tracks.Seconds, dialect.Type{Kind: dialect.Float64}),
		query.Cast[Cents](Tracks.Plays, mapped.Numeric(12, 2))).
		Where(query.Cast[string](Tracks.Plays, dialect.Type{Kind: dialect.String}).Eq("7")))},
	{"expr_dates", stmt(query.Select4(releasedYear, query.Month(Tracks.Released), query.Day(Tracks.Released),
		query.TruncMonth(Tracks.Released)).
		Where(releasedYear.Eq(2024), query.TruncDay(Tracks.Released).Lt(when), query.TruncYear(Tracks.Released).Ge(when)))},
	{"expr_now", stmt(rowsOf(Tracks.Table, Tracks.Released.LtCol(query.Now())))},
	{"expr_greatest_least", stmt(query.Select2(query.Greatest(Tracks.Plays, Tracks.Likes, query.Val[int64](10)),
		query.Least(Tracks.Rating, query.Val(sql.Null[float64]{V: 1, Valid: true}))))},
	{"expr_case", stmt(query.Select3(
		query.When(Tracks.Seconds.Lt(60), "short").When(Tracks.Seconds.Lt(300), "song").Else("long"),
		query.When(Tracks.Rating.IsNull(), int64(0)).WhenExpr(popular, Tracks.Likes).ElseExpr(Tracks.Plays),
		query.When(Tracks.Title.HasPrefix("Live"), 1.5).ElseNull()).
		Where(query.When(Tracks.Plays.Gt(10), true).Else(false).Eq(true)))},

	// A repository's query, ordered and filtered by expressions.
	{"repo_query_expr", func(r repos) query.Statement {
		return r.tracks.Where(query.Times(Tracks.Seconds, query.Val[int32](1000)).Gt(180000), releasedYear.Ge(2020)).
			OrderBy(query.Minus(Tracks.Plays, Tracks.Likes).Desc(), Tracks.Title.Lower().Asc()).Limit(3).Select()
	}},

	// Nullable bridging: a nullable key against the NOT NULL key it
	// references, either way, and in IN subqueries.
	{"expr_bridge_in_query", stmt(rowsOf(Tracks.Table,
		Tracks.LabelCode.InQuery(query.Select1(query.Ptr(Labels.Code)).Where(Labels.Name.HasPrefix("E"))),
		query.Deref(Tracks.LabelCode).InQuery(query.Select1(Labels.Code))))},
	{"expr_bridge_reverse", stmt(rowsOf(Labels.Table,
		Labels.Code.InQuery(query.Select1(query.Deref(Tracks.LabelCode)).Where(popular)),
		Labels.Name.Ne("")))},
}

// TestExprErrors: expressions a dialect cannot compute as asked fail the
// statement, naming what is wrong, before anything is sent.
func TestExprErrors(t *testing.T) {
	t.Parallel()
	lite, pg := sqlite.Dialect(), postgres.Dialect()
	cases := []struct {
		name string
		d    dialect.Dialect
		stmt query.Statement
		want string
		is   error
	}{
		{"mod_of_numeric_on_sqlite", lite, query.Select1(query.Mod(Prices.Cents, query.Val[Cents](300))),
			"Mod of a NUMERIC value", dialect.ErrUnsupported},
		{"zero_term", pg, query.Select1(query.Term[Track, int64]{}).From(Tracks.Table), "the zero Term", nil},
		{"case_of_zero_cond", pg, query.Select1(query.When(query.Cond[Track]{}, 1).Else(2)).From(Tracks.Table), "zero condition", nil},
		{"sum_decimal_of_text", pg, query.Select1(query.SumDecimal(query.Cast[Dec](Prices.Qty, dialect.Type{Kind: dialect.String}))),
			"sumdecimal of expression: not a NUMERIC value", nil},
		{"avg_decimal_without_scale", lite, query.Select1(query.AvgDecimal(query.Cast[Dec](Prices.Qty, dialect.Type{Kind: dialect.Numeric}))),
			"a NUMERIC without a scale", nil},
		{"expression_of_another_table", pg, query.Select1(Artists.Name).Where(query.Plus(Tracks.ID, Tracks.ID).Gt(1)),
			`reads table "track"`, nil},
		{"assignment_of_another_table", pg, &query.Update{Table: Artists.Table,
			Set: []query.Assignment{Artists.ID.SetExpr(query.Plus(Tracks.ID, query.Val[int64](1))).Assignment}},
			`reads table "track"`, nil},
	}
	for _, c := range cases {
		_, _, err := query.Render(c.d, c.stmt)
		if err == nil || !strings.Contains(err.Error(), c.want) || c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("%s: got %v, want an error with %q", c.name, err, c.want)
		}
	}
	if _, _, err := query.Render(pg, query.Select1(query.Mod(Prices.Cents, query.Val[Cents](300)))); err != nil {
		t.Errorf("Mod of a NUMERIC value on PostgreSQL: %v", err)
	}
}
