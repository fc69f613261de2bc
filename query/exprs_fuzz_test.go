package query_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/query"
)

// exprShapes builds one statement of each new expression builder, binding
// the given values wherever a builder takes a value.
func exprShapes(s string, n int64, x float64) []query.Statement {
	at := time.Unix(n%(1<<35), 0).UTC()
	return []query.Statement{
		query.Select2(query.Plus(Tracks.Plays, query.Val(n)), query.Times(Tracks.Plays, query.Val(n)).Minus(n).Div(n)).
			Where(query.Mod(Tracks.Plays, query.Val(n)).Eq(n), query.Neg(Tracks.Likes).Lt(n)).
			OrderBy(query.Plus(Tracks.Plays, query.Val(n)).Desc()),
		query.Select2(query.Div(Tracks.Plays, query.Val(n)), query.Count()).GroupBy(query.Div(Tracks.Plays, query.Val(n))).
			Having(query.Times(query.Sum(Tracks.Plays), query.Val(n)).Gt(n)),
		query.Select3(query.Coalesce(query.Deref(Tracks.LabelCode), query.Val(s)), query.Concat(Tracks.Title, query.Val(s)),
			query.Lower(Tracks.Title)).Where(query.Deref(Tracks.LabelCode).Ne(s), Tracks.Title.Upper().Eq(s),
			query.Cast[string](Tracks.Plays, dialect.Type{Kind: dialect.String}).Eq(s)),
		query.Select3(query.When(Tracks.Plays.Gt(n), s).Else(s), query.When(Tracks.Title.Eq(s), x).ElseNull(),
			query.Greatest(Tracks.Plays, query.Val(n), Tracks.Likes)).
			Where(query.Least(Tracks.Seconds, query.Val(int32(n))).Gt(int32(n))),
		query.Select2(query.Year(Tracks.Released), query.TruncMonth(Tracks.Released)).
			Where(query.Year(Tracks.Released).Eq(n), query.TruncDay(Tracks.Released).Lt(at), Tracks.Released.LtCol(query.Now())),
		query.Select1(Prices.Cents.Plus(Cents(n)).Times(Cents(n))).Where(Prices.Qty.Minus(int32(n)).Gt(int32(n))),
		query.Select1(query.Sum(query.TimesInt(Prices.Cents, query.Val(n)))).Having(query.Sum(query.TimesInt(Prices.Cents, Prices.Qty)).Gt(Cents(n))),
		&query.Update{Table: Tracks.Table, Set: []query.Assignment{
			Tracks.Plays.SetExpr(query.Plus(Tracks.Plays, query.Val(n))).Assignment,
			Tracks.Title.SetExpr(query.Concat(Tracks.Title, query.Val(s))).Assignment,
		}, Where: []query.Condition{query.Div(Tracks.Plays, query.Val(n)).Gt(n)}},
		query.Select1(Tracks.ID).Where(Tracks.LabelCode.InQuery(query.Select1(query.Ptr(Labels.Code)).Where(Labels.Name.Lower().Eq(s)))),
		query.Select2(Tracks.Title, query.ColOf(other, Tracks.Title)).
			JoinOn(other, sameArtist.And(query.ColOf(other, Tracks.Plays).Gt(n), query.ColOf(other, Tracks.Title).Ne(s))).
			LeftJoinOn(w1, query.ColOf(w1, Charts.TrackID).EqCol(Tracks.ID).And(query.ColOf(w1, Charts.Week).Eq(int32(n)))).
			Where(query.Lower(query.ColOf(other, Tracks.Title)).Eq(s)),
		derivedShape(s, n),
		query.CountRows(query.Select1(Tracks.ArtistID).Where(Tracks.Title.Ne(s)).GroupBy(Tracks.ArtistID).Having(query.Count().Gt(n))),
		cteShape(s, n),
	}
}

// derivedShape reads a derived table binding s and n inside it, and n
// outside.
func derivedShape(s string, n int64) query.Statement {
	d := query.Derived(query.Select2(Tracks.ArtistID, query.Sum(Tracks.Plays)).
		Where(Tracks.Title.Ne(s)).GroupBy(Tracks.ArtistID).Having(query.Sum(Tracks.Plays).Gt(n)), "d")
	sum := query.SubCol(d, func(r *query.Row2[int64, int64]) *int64 { return &r.V2 })
	return query.Select2(Artists.Name, sum).
		JoinOn(d, query.SubCol(d, func(r *query.Row2[int64, int64]) *int64 { return &r.V1 }).EqCol(Artists.ID)).
		Where(sum.Lt(n), Artists.Name.Ne(s))
}

// cteShape reads a recursive CTE binding s and n in its base, its step
// and the statement reading it.
func cteShape(s string, n int64) query.Statement {
	org := query.Recursive("org", query.Select2(Staffs.ID, query.Val(n)).Where(Staffs.Name.Eq(s)),
		func(org *query.Sub[query.Row2[int64, int64]]) *query.Projection[query.Row2[int64, int64]] {
			depth := query.SubCol(org, func(r *query.Row2[int64, int64]) *int64 { return &r.V2 })
			return query.Select2(Staffs.ID, query.Plus(depth, query.Val(n))).
				JoinOn(org, Staffs.ManagerID.EqCol(query.Ptr(query.SubCol(org, func(r *query.Row2[int64, int64]) *int64 { return &r.V1 })))).
				Where(Staffs.Name.Ne(s), depth.Lt(n))
		})
	depth := query.SubCol(org, func(r *query.Row2[int64, int64]) *int64 { return &r.V2 })
	return query.Select1(depth).Where(depth.Gt(n))
}

// FuzzExprValues checks that no value handed to the expression builders
// ever reaches the SQL text: each statement renders, on every dialect, to
// the very text it has with other values, its values all among the
// arguments; a value the dialect cannot take is refused with
// dialect.ErrInvalidText or ErrNotStorable instead. The statements then
// run on SQLite and PostgreSQL (rolled back), whose statement hook must
// see that same text. Without a PostgreSQL server (and without
// GENREPO_REQUIRE_POSTGRES=1) the whole target is skipped.
func FuzzExprValues(f *testing.F) {
	f.Add("O'Brien", int64(7), 1.5)
	f.Add("'); DROP TABLE track; --", int64(-1), math.Copysign(0, -1))
	f.Add("$1 ? ?? %s \x00", int64(math.MaxInt64), math.Inf(1))
	f.Add("\xff\xfe", int64(math.MinInt64), math.NaN())
	f.Add("", int64(0), 0.0)
	f.Add("日本語", int64(1000), 1e300)
	v := newValueFuzzer(f)
	canon := exprShapes("canonical", 3, 0.25)
	f.Fuzz(func(t *testing.T, s string, n int64, x float64) {
		if n == 0 {
			n = 1 // a zero divisor is refused by PostgreSQL when the statement runs
		}
		v.check(t, canon, exprShapes(s, n, x), s, n)
	})
}

// valueFuzzer holds the databases a fuzz target of the builders runs its
// statements on, and the SQL texts their statement hook saw.
type valueFuzzer struct {
	dbs  []dialect.DB
	mu   sync.Mutex
	seen []string
}

// newValueFuzzer opens every dialect's database, with the schema created
// and a hook recording each statement's text.
func newValueFuzzer(f *testing.F) *valueFuzzer {
	v := &valueFuzzer{}
	hook := dialect.WithHook(func(_ context.Context, e dialect.Event) {
		v.mu.Lock()
		v.seen = append(v.seen, e.SQL)
		v.mu.Unlock()
	})
	for _, name := range testdb.Dialects {
		db := testdb.Open(f, name, hook)
		createSchema(f, db)
		v.dbs = append(v.dbs, db)
	}
	return v
}

// check renders each of shapes, built with the values s and n, on every
// dialect: its text must be that of the same shape with the canonical
// values (canon), hold neither value (beyond what the canonical text
// holds: a name), and bind them; it then runs, rolled
// back, and the hook must see that text. A value the dialect cannot take
// must be refused with ErrInvalidText or ErrNotStorable.
func (v *valueFuzzer) check(t *testing.T, canon, shapes []query.Statement, s string, n int64) {
	t.Helper()
	for i, st := range shapes {
		for _, db := range v.dbs {
			d := db.Dialect()
			want, _, err := query.Render(d, canon[i])
			if err != nil {
				t.Fatalf("statement %d, %s, canonical values: %v", i, d.Name(), err)
			}
			text, args, err := query.Render(d, st)
			if err != nil {
				if !errors.Is(err, dialect.ErrInvalidText) && !errors.Is(err, dialect.ErrNotStorable) {
					t.Errorf("statement %d, %s: %v", i, d.Name(), err)
				}
				continue
			}
			if text != want {
				t.Errorf("statement %d, %s: the text depends on the values:\n%s\nwant\n%s", i, d.Name(), text, want)
			}
			// A value found in the text is a leak unless the text holds it
			// anyway, as a name does ("trac" in "track").
			if len(s) >= 4 && strings.Contains(text, s) && !strings.Contains(want, s) {
				t.Errorf("statement %d, %s: %q in the text %s", i, d.Name(), s, text)
			}
			if !hasArg(args, s, n) {
				t.Errorf("statement %d, %s: neither %q nor %d among the arguments %v", i, d.Name(), s, n, args)
			}
			runHooked(t, db, &v.mu, &v.seen, text, args)
		}
	}
}

// hasArg reports whether args hold s or n, as the dialect binds them.
func hasArg(args []any, s string, n int64) bool {
	for _, a := range args {
		switch v := a.(type) {
		case string:
			if v == s || strings.Contains(v, fmt.Sprint(n/100)) {
				return true
			}
		case int64:
			if v == n || v == n/100 {
				return true
			}
		case int32:
			if v == int32(n) {
				return true
			}
		case float64:
			if v == float64(n) || v == float64(n)/100 {
				return true
			}
		}
	}
	return false
}

// runHooked runs the statement in a transaction rolled back, and checks
// that the hook saw exactly its text. A failure the database reports
// about the data (an overflow, text it cannot convert) is no concern
// here: the text is what is checked.
func runHooked(t *testing.T, db dialect.DB, mu *sync.Mutex, seen *[]string, text string, args []any) {
	t.Helper()
	mu.Lock()
	*seen = (*seen)[:0]
	mu.Unlock()
	_ = runRolledBack(context.Background(), db, text, args)
	mu.Lock()
	defer mu.Unlock()
	found := false
	for _, q := range *seen {
		if q == text {
			found = true
		}
	}
	if !found {
		t.Errorf("the hook did not see the statement %s among %q", text, *seen)
	}
}
