package query_test

import (
	"context"
	"database/sql"
	"reflect"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// exprTracks are the rows the expression tests read: plays negative and
// odd, a NULL label and rating, times near midnight and the turn of a
// year in a zone other than UTC.
var exprTracks = []*Track{
	{ArtistID: 1, LabelCode: &emi, Title: "Bohemian", Seconds: 354, Plays: 1500, Likes: 70,
		Released: time.Date(2024, 3, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600)), Rating: sql.Null[float64]{V: 4.5, Valid: true}},
	{ArtistID: 1, Title: "Live X", Seconds: 59, Plays: 11, Likes: 3,
		Released: time.Date(2023, 12, 31, 23, 59, 59, 500000000, time.UTC)},
	{ArtistID: 2, LabelCode: &indy, Title: " Waterloo ", Seconds: 165, Plays: 2900, Likes: 0,
		Released: time.Date(2024, 1, 15, 12, 0, 0, 0, time.UTC), Rating: sql.Null[float64]{V: 3, Valid: true}},
	{ArtistID: 2, Title: "Négatif", Seconds: 200, Plays: -7, Likes: 2,
		Released: time.Date(2025, 7, 4, 8, 0, 0, 0, time.UTC)},
}

var emi = "EMI"

// seedExprs stores the artists, labels, tracks and prices the tests read.
func seedExprs(t *testing.T, db dialect.DB) {
	t.Helper()
	ctx := context.Background()
	createSchema(t, db)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(repo.New(db, Artists.Table).InsertMany(ctx, []*Artist{{Name: "Queen", Country: &uk}, {Name: "ABBA"}}))
	must(repo.New(db, Labels.Table).InsertMany(ctx, []*Label{{Code: "EMI", Name: "EMI Records"}, {Code: "INDY", Name: "Independent"}, {Code: "NONE", Name: "Unused"}}))
	tracks := make([]*Track, len(exprTracks))
	for i, tr := range exprTracks {
		c := *tr
		tracks[i] = &c
	}
	must(repo.New(db, Tracks.Table).InsertMany(ctx, tracks))
	must(repo.New(db, Prices.Table).InsertMany(ctx, []*Price{
		{Amount: "0.10", Qty: 3, Cents: 10}, {Amount: "0.20", Qty: 1, Cents: 20},
		{Amount: "0.99", Qty: 2, Cents: 99}, {Amount: "1.00", Qty: 7, Cents: 100}}))
}

// sqlColumn runs hand-written SQL and returns its one column.
func sqlColumn[V any](t *testing.T, db dialect.DB, text string) []V {
	t.Helper()
	rows, err := db.Query(context.Background(), text)
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	defer rows.Close()
	var out []V
	for rows.Next() {
		var v V
		if err := rows.Scan(&v); err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		out = append(out, v)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// agree checks a typed answer against the hand-written SQL's and, when
// want is not nil, against the answer worked out in Go.
func agree[V any](t *testing.T, db dialect.DB, name string, p *query.Projection[V], text string, want []V) {
	t.Helper()
	got, err := p.All(context.Background(), db)
	if err != nil {
		t.Errorf("%s: %v\n%s", name, err, p)
		return
	}
	if byHand := sqlColumn[V](t, db, text); !reflect.DeepEqual(got, byHand) {
		t.Errorf("%s: genrepo answered %v, hand-written SQL %v", name, got, byHand)
	}
	if want != nil && !reflect.DeepEqual(got, want) {
		t.Errorf("%s: got %v, want %v", name, got, want)
	}
}

// TestArithmeticAnswers checks arithmetic in every clause on both
// dialects, against hand-written SQL and Go's operators.
func TestArithmeticAnswers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		seedExprs(t, db)
		byID := Tracks.ID.Asc()
		var sum, quo, rem []int64
		for _, tr := range exprTracks {
			sum = append(sum, tr.Plays+tr.Likes)
			quo = append(quo, tr.Plays/2)
			rem = append(rem, tr.Plays%2)
		}
		agree(t, db, "plus", query.Select1(query.Plus(Tracks.Plays, Tracks.Likes)).OrderBy(byID),
			`SELECT plays + likes FROM track ORDER BY id`, sum)
		agree(t, db, "div truncates toward zero", query.Select1(query.Div(Tracks.Plays, query.Val[int64](2))).OrderBy(byID),
			`SELECT plays / 2 FROM track ORDER BY id`, quo)
		agree(t, db, "mod takes the dividend's sign", query.Select1(query.Mod(Tracks.Plays, query.Val[int64](2))).OrderBy(byID),
			`SELECT plays % 2 FROM track ORDER BY id`, rem)
		agree(t, db, "chain", query.Select1(query.Times(Tracks.Plays, query.Val[int64](3)).Minus(1).Neg()).OrderBy(byID),
			`SELECT -(plays * 3 - 1) FROM track ORDER BY id`, nil)
		agree(t, db, "where", query.Select1(Tracks.ID).Where(query.Times(Tracks.Seconds, query.Val[int32](2)).Gt(350)).OrderBy(byID),
			`SELECT id FROM track WHERE seconds * 2 > 350 ORDER BY id`, []int64{1, 4})
		agree(t, db, "order by", query.Select1(Tracks.ID).OrderBy(query.Minus(Tracks.Likes, Tracks.Plays).Desc()),
			`SELECT id FROM track ORDER BY likes - plays DESC`, []int64{4, 2, 1, 3})
		bucket := query.Div(Tracks.Plays, query.Val[int64](1000))
		got, err := query.Select2(bucket, query.Count()).GroupBy(bucket).OrderBy(bucket.Desc()).All(context.Background(), db)
		if want := []query.Row2[int64, int64]{{V1: 2, V2: 1}, {V1: 1, V2: 1}, {V1: 0, V2: 2}}; err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("group by a selected parameter: got %v, %v; want %v", got, err, want)
		}
		agree(t, db, "having", query.Select1(Tracks.ArtistID).GroupBy(Tracks.ArtistID).
			Having(query.Minus(query.Sum(Tracks.Plays), query.Val[int64](2000)).Gt(0)),
			`SELECT artist_id FROM track GROUP BY artist_id HAVING SUM(plays) - 2000 > 0`, []int64{2})
	})
}

// TestArithmeticSet checks an UPDATE that sets a column from itself.
func TestArithmeticSet(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		seedExprs(t, db)
		tracks := repo.New(db, Tracks.Table)
		n, err := tracks.UpdateWhere(ctx, query.Div(Tracks.Plays, query.Val[int64](1000)).Ge(1),
			Tracks.Plays.SetExpr(query.Plus(Tracks.Plays, query.Val[int64](100))),
			Tracks.Likes.SetExpr(query.Greatest(Tracks.Likes, query.Val[int64](50))))
		if err != nil || n != 2 {
			t.Fatalf("UpdateWhere: %d, %v; want 2 rows", n, err)
		}
		agree(t, db, "set plays", query.Select1(Tracks.Plays).OrderBy(Tracks.ID.Asc()),
			`SELECT plays FROM track ORDER BY id`, []int64{1600, 11, 3000, -7})
		agree(t, db, "set likes", query.Select1(Tracks.Likes).OrderBy(Tracks.ID.Asc()),
			`SELECT likes FROM track ORDER BY id`, []int64{70, 3, 50, 2})
	})
}

// TestDivisionByZero: PostgreSQL refuses it; SQLite yields NULL, which is
// refused when read into a non-nullable value, and read as NULL into a
// nullable one.
func TestDivisionByZero(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		seedExprs(t, db)
		_, err := query.Select1(query.Div(Tracks.Plays, query.Val[int64](0))).All(ctx, db)
		if err == nil {
			t.Error("a division by zero read into an int64: no error")
		}
		_, err = query.Select1(query.Div(Prices.Cents, query.Val[Cents](0))).All(ctx, db)
		if err == nil {
			t.Error("a NUMERIC division by zero read into Cents: no error")
		}
		// A quotient with more decimals than Cents holds is refused, not
		// rounded, on both dialects.
		_, err = query.Select1(query.Div(Prices.Cents, query.Val[Cents](300))).Where(Prices.Cents.Eq(10)).All(ctx, db)
		if err == nil {
			t.Error("0.10 / 3.00 read into Cents: no error")
		}
	})
}

// TestNumericArithmetic checks NUMERIC arithmetic, sums and means: exact
// on PostgreSQL, and the same decimals read back on SQLite.
func TestNumericArithmetic(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		seedExprs(t, db)
		revenue, err := query.Select1(query.Sum(query.TimesInt(Prices.Cents, Prices.Qty))).One(ctx, db)
		// Cents as integers, so that the hand-written sum is exact on SQLite.
		byHand := sqlColumn[int64](t, db, `SELECT SUM(CAST(ROUND(cents * 100) AS INTEGER) * qty) FROM price`)
		if err != nil || int64(revenue) != byHand[0] || revenue != 948 {
			t.Errorf("revenue: got %v, %v; hand-written SQL %v; want 948", revenue, err, byHand)
		}
		squares, err := query.Select1(query.Times(Prices.Cents, Prices.Cents)).Where(Prices.ID.In(1, 2)).
			OrderBy(Prices.ID.Asc()).All(ctx, db)
		if want := []Cents{1, 4}; err != nil || !reflect.DeepEqual(squares, want) {
			t.Errorf("0.10², 0.20²: got %v, %v; want %v", squares, err, want)
		}
		sum, err := query.Select1(query.SumDecimal(Prices.Amount)).One(ctx, db)
		if err != nil || sum != "2.29" {
			t.Errorf("SumDecimal: got %q, %v; want 2.29", sum, err)
		}
		mean, err := query.Select2(query.AvgDecimal(Prices.Amount), query.AvgDecimal(Prices.Cents)).One(ctx, db)
		want := query.Row2[sql.Null[Dec], sql.Null[Cents]]{V1: sql.Null[Dec]{V: "0.57", Valid: true}, V2: sql.Null[Cents]{V: 57, Valid: true}}
		if err != nil || mean != want {
			t.Errorf("AvgDecimal: got %v, %v; want %v", mean, err, want)
		}
		none, err := query.Select1(query.AvgDecimal(Prices.Amount)).Where(Prices.Qty.Gt(100)).One(ctx, db)
		if err != nil || none.Valid {
			t.Errorf("AvgDecimal of no rows: got %v, %v; want NULL", none, err)
		}
		_, err = query.Select1(query.SumDecimal(query.Cast[Dec](Prices.Qty, dialect.Type{Kind: dialect.String}))).One(ctx, db)
		if err == nil {
			t.Error("SumDecimal of text: no error")
		}
	})
}

// TestFunctionAnswers checks each function against hand-written SQL (and
// Go where the dialects' own functions differ) on both dialects.
func TestFunctionAnswers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		seedExprs(t, db)
		byID := Tracks.ID.Asc()
		agree(t, db, "lower", query.Select1(Tracks.Title.Lower()).OrderBy(byID),
			`SELECT lower(title) FROM track ORDER BY id`, nil)
		agree(t, db, "upper", query.Select1(query.Upper(Tracks.Title)).Where(Tracks.ID.Lt(4)).OrderBy(byID),
			`SELECT upper(title) FROM track WHERE id < 4 ORDER BY id`, []string{"BOHEMIAN", "LIVE X", " WATERLOO "})
		agree(t, db, "trim", query.Select1(Tracks.Title.Trim()).OrderBy(byID),
			`SELECT trim(title) FROM track ORDER BY id`, []string{"Bohemian", "Live X", "Waterloo", "Négatif"})
		agree(t, db, "length counts characters", query.Select1(Tracks.Title.Length()).OrderBy(byID),
			`SELECT length(title) FROM track ORDER BY id`, []int64{8, 6, 10, 7})
		agree(t, db, "concat", query.Select1(query.Concat(Tracks.Title, query.Val("/"), Tracks.Title)).Where(Tracks.ID.Eq(1)),
			`SELECT title || '/' || title FROM track WHERE id = 1`, []string{"Bohemian/Bohemian"})
		agree(t, db, "coalesce", query.Select1(query.Coalesce(query.Deref(Tracks.LabelCode), query.Val("none"))).OrderBy(byID),
			`SELECT COALESCE(label_code, 'none') FROM track ORDER BY id`, []string{"EMI", "none", "INDY", "none"})
		agree(t, db, "coalesce sql.Null", query.Select1(query.Coalesce(query.NullValue(Tracks.Rating), query.Val(-1.0))).OrderBy(byID),
			`SELECT COALESCE(rating, -1) FROM track ORDER BY id`, []float64{4.5, -1, 3, -1})
		agree(t, db, "cast", query.Select1(query.Cast[float64](Tracks.Seconds, dialect.Type{Kind: dialect.Float64})).OrderBy(byID),
			`SELECT CAST(seconds AS REAL) / 1 FROM track ORDER BY id`, []float64{354, 59, 165, 200})

		var years, months, days []int64
		var monthStarts []time.Time
		for _, tr := range exprTracks {
			u := tr.Released.UTC()
			years, months, days = append(years, int64(u.Year())), append(months, int64(u.Month())), append(days, int64(u.Day()))
			monthStarts = append(monthStarts, time.Date(u.Year(), u.Month(), 1, 0, 0, 0, 0, time.UTC))
		}
		checkAll(t, db, "year", query.Select1(query.Year(Tracks.Released)).OrderBy(byID), years)
		checkAll(t, db, "month", query.Select1(query.Month(Tracks.Released)).OrderBy(byID), months)
		checkAll(t, db, "day", query.Select1(query.Day(Tracks.Released)).OrderBy(byID), days)
		starts, err := query.Select1(query.TruncMonth(Tracks.Released)).OrderBy(byID).All(ctx, db)
		if err != nil || len(starts) != len(monthStarts) {
			t.Fatalf("TruncMonth: %v, %v", starts, err)
		}
		for i := range starts {
			if !starts[i].Equal(monthStarts[i]) {
				t.Errorf("TruncMonth row %d: got %v, want %v", i+1, starts[i], monthStarts[i])
			}
		}
		day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC) // track 1, 2024-02-29 23:30 UTC, is the day before
		checkAll(t, db, "trunc day", query.Select1(Tracks.ID).Where(query.TruncDay(Tracks.Released).Lt(day), query.TruncYear(Tracks.Released).Eq(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))).OrderBy(byID), []int64{1, 3})
		checkAll(t, db, "per year", query.Select2(query.Year(Tracks.Released), query.Count()).
			GroupBy(query.Year(Tracks.Released)).Having(query.Count().Ge(1)).OrderBy(query.Year(Tracks.Released).Asc()),
			[]query.Row2[int64, int64]{{V1: 2023, V2: 1}, {V1: 2024, V2: 2}, {V1: 2025, V2: 1}})
		checkAll(t, db, "now", query.Select1(query.Count()).From(Tracks.Table).Where(Tracks.Released.LtCol(query.Now())), []int64{4})

		four := sql.Null[float64]{V: 4, Valid: true}
		null := sql.Null[float64]{}
		checkAll(t, db, "greatest ignores NULL", query.Select1(query.Greatest(Tracks.Rating, query.Val(four))).OrderBy(byID),
			[]sql.Null[float64]{{V: 4.5, Valid: true}, four, four, four})
		checkAll(t, db, "least ignores NULL", query.Select1(query.Least(Tracks.Rating, query.Val(four), query.Val(null))).OrderBy(byID),
			[]sql.Null[float64]{four, four, {V: 3, Valid: true}, four})
		checkAll(t, db, "greatest of NULLs", query.Select1(query.Greatest(Tracks.Rating, query.Val(null))).Where(Tracks.ID.Eq(2)),
			[]sql.Null[float64]{null})
		agree(t, db, "case", query.Select1(query.When(Tracks.Seconds.Lt(60), "short").When(Tracks.Seconds.Lt(300), "song").Else("long")).OrderBy(byID),
			`SELECT CASE WHEN seconds < 60 THEN 'short' WHEN seconds < 300 THEN 'song' ELSE 'long' END FROM track ORDER BY id`,
			[]string{"long", "short", "song", "song"})
		checkAll(t, db, "case in sum", query.Select1(query.Sum(query.When(Tracks.Rating.IsNull(), int64(1)).Else(0))).From(Tracks.Table), []int64{2})
		checkAll(t, db, "case else null", query.Select1(query.When(Tracks.Plays.Gt(1000), Tracks.Plays.Get(exprTracks[0])).ElseNull()).OrderBy(byID),
			[]sql.Null[int64]{{V: 1500, Valid: true}, {}, {V: 1500, Valid: true}, {}})
	})
}

// checkAll checks a typed answer against the one worked out in Go.
func checkAll[V any](t *testing.T, db dialect.DB, name string, p *query.Projection[V], want []V) {
	t.Helper()
	got, err := p.All(context.Background(), db)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("%s: got %v, %v; want %v\n%s", name, got, err, want, p)
	}
}

// TestNullableBridging compares a nullable foreign key with the NOT NULL
// key it references, both ways, in conditions and IN subqueries.
func TestNullableBridging(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		seedExprs(t, db)
		agree(t, db, "nullable in keys", query.Select1(Tracks.ID).
			Where(Tracks.LabelCode.InQuery(query.Select1(query.Ptr(Labels.Code)).Where(Labels.Name.HasPrefix("EMI")))).OrderBy(Tracks.ID.Asc()),
			`SELECT id FROM track WHERE label_code IN (SELECT code FROM label WHERE name LIKE 'EMI%') ORDER BY id`, []int64{1})
		agree(t, db, "deref in keys", query.Select1(Tracks.ID).
			Where(query.Deref(Tracks.LabelCode).InQuery(query.Select1(Labels.Code))).OrderBy(Tracks.ID.Asc()),
			`SELECT id FROM track WHERE label_code IN (SELECT code FROM label) ORDER BY id`, []int64{1, 3})
		agree(t, db, "keys in nullable", query.Select1(Labels.Code).
			Where(Labels.Code.InQuery(query.Select1(query.Deref(Tracks.LabelCode)))).OrderBy(Labels.Code.Asc()),
			`SELECT code FROM label WHERE code IN (SELECT label_code FROM track) ORDER BY code`, []string{"EMI", "INDY"})
		agree(t, db, "keys not in nullable, NULLs left out", query.Select1(Labels.Code).
			Where(Labels.Code.NotInQuery(query.Select1(query.Deref(Tracks.LabelCode)).Where(Tracks.LabelCode.IsNotNull()))),
			`SELECT code FROM label WHERE code NOT IN (SELECT label_code FROM track WHERE label_code IS NOT NULL)`, []string{"NONE"})
		agree(t, db, "deref compared with a value", query.Select1(Tracks.ID).Where(query.Deref(Tracks.LabelCode).Ne("EMI")),
			`SELECT id FROM track WHERE label_code <> 'EMI'`, []int64{3})
		_, err := query.Select1(query.Deref(Tracks.LabelCode)).All(context.Background(), db)
		if err == nil {
			t.Error("a NULL read through Deref into a string: no error")
		}
	})
}
