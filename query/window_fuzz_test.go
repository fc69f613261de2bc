package query_test

import (
	"math"
	"testing"

	"github.com/genrepo/genrepo/query"
)

// windowShapes builds one statement of each window shape, binding the
// given values inside the windows' PARTITION BY and ORDER BY, in the
// aggregates over them and beside them.
func windowShapes(s string, n int64) []query.Statement {
	bucket := query.Div(Tracks.Plays, query.Val(n))
	w := query.PartitionBy(bucket, query.Concat(Tracks.Title, query.Val(s))).
		OrderBy(query.Times(Tracks.Likes, query.Val(n)).Desc(), query.Lower(Tracks.Title).Asc())
	return []query.Statement{
		query.Select4(bucket, query.RowNumber().Over(w), query.Rank().Over(w), query.DenseRank().Over(w)).
			Where(Tracks.Title.Ne(s)).OrderBy(query.RowNumber().Over(w).Desc(), bucket.Asc()),
		query.Select3(query.Sum(query.Plus(Tracks.Plays, query.Val(n))).Over(w),
			query.Count().Over(query.PartitionBy(query.Coalesce(query.Deref(Tracks.LabelCode), query.Val(s)))),
			query.Coalesce(query.NullValue(query.Max(Tracks.Likes).Over(query.Window{})), query.Val(n))).
			Where(Tracks.Plays.Gt(n)),
		query.Select2(Tracks.ArtistID, query.Rank().Over(query.OrderBy(query.Sum(query.Times(Tracks.Plays, query.Val(n))).Desc()))).
			GroupBy(Tracks.ArtistID).Having(query.Count().Gt(n)),
		query.Select1(Tracks.ID).Where(Tracks.ID.InQuery(query.Select1(Tracks.ID).
			OrderBy(query.RowNumber().Over(query.PartitionBy(query.Concat(Tracks.Title, query.Val(s)))).Asc()).Limit(2))),
	}
}

// FuzzWindowValues checks that no value bound inside a window, or in an
// aggregate over one, reaches the SQL text: each statement renders, on
// every dialect, to the very text it has with other values, its values
// among the arguments; the statements then run on SQLite and PostgreSQL
// (rolled back), whose statement hook must see that same text, as
// FuzzExprValues does.
func FuzzWindowValues(f *testing.F) {
	f.Add("O'Brien", int64(7))
	f.Add("'); DROP TABLE track; --", int64(-1))
	f.Add("$1 ? ?? %s \x00", int64(math.MaxInt64))
	f.Add("\xff\xfe", int64(math.MinInt64))
	f.Add("x) OVER () --", int64(1000))
	v := newValueFuzzer(f)
	canon := windowShapes("canonical", 3)
	f.Fuzz(func(t *testing.T, s string, n int64) {
		if n == 0 {
			n = 1 // a zero divisor is refused by PostgreSQL when the statement runs
		}
		v.check(t, canon, windowShapes(s, n), s, n)
	})
}
