package query

import (
	"errors"
	"slices"
	"strings"
)

// Window is the window of a window function: the rows that share its
// partition with the current row, in its order. It is written OVER
// (PARTITION BY … ORDER BY …); the zero Window, with neither, is OVER ()
// and spans every row the query reads. A Window is an immutable value:
// its methods return a new one.
//
//	byGenre := query.PartitionBy(Tracks.GenreID).OrderBy(Tracks.Plays.Desc())
//	query.RowNumber().Over(byGenre)         // 1, 2, 3… within each genre, most played first
//	query.Sum(Tracks.Plays).Over(byGenre)   // a running total within each genre
//
// With an ORDER BY, an aggregate over the window reads the rows from the
// partition's first to the current one and its peers (rows equal in the
// order): SQL's default frame, RANGE BETWEEN UNBOUNDED PRECEDING AND
// CURRENT ROW, on both dialects. Without one it reads the whole partition.
//
// Expressions that bind values may partition and order a window. In a
// grouped query, though, PostgreSQL matches a window's expression with a
// GROUP BY one only when both are written alike, and a value is bound as
// a parameter of its own each time it is written: a window ordered by
// Div(Plays, Val(1000)) in a query grouped by that same expression is
// refused by PostgreSQL (SQLite takes it). There, order the window by an
// aggregate or by an expression without bound values.
type Window struct {
	partition []Expr
	order     []Ordering
}

// PartitionBy returns the window partitioned by es: rows with equal
// values of all of es share a partition. Any expressions may be given,
// computed ones with bound values included.
func PartitionBy(es ...Expr) Window { return Window{}.PartitionBy(es...) }

// OrderBy returns the window of every row in the order os gives: the
// window of a ranking over the whole result.
func OrderBy(os ...Ordering) Window { return Window{}.OrderBy(os...) }

// PartitionBy returns w partitioned by es as well, after its own
// partitioning expressions.
func (w Window) PartitionBy(es ...Expr) Window {
	w.partition = append(append([]Expr(nil), w.partition...), es...)
	return w
}

// OrderBy returns w ordered by os as well, after its own terms, most
// significant first. Terms of any row type are taken (an aggregate's
// Desc() in a grouped query, say).
func (w Window) OrderBy(os ...Ordering) Window {
	w.order = append(append([]Ordering(nil), w.order...), os...)
	return w
}

// appendOver writes OVER (…) for w, refusing window functions inside it,
// which SQL does not nest.
func (w Window) appendOver(b *Builder) {
	defer b.restoreWindows(b.barWindows("a window's PARTITION BY or ORDER BY"))
	b.WriteString(" OVER (")
	if len(w.partition) > 0 {
		b.WriteString("PARTITION BY ")
		for i, e := range w.partition {
			if i > 0 {
				b.WriteString(", ")
			}
			if e == nil {
				b.Fail(errorf("a nil expression in a window's PARTITION BY"))
				return
			}
			e.AppendSQL(b)
		}
	}
	if len(w.order) > 0 {
		if len(w.partition) > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("ORDER BY ")
		for i, o := range w.order {
			if i > 0 {
				b.WriteString(", ")
			}
			if o == nil {
				b.Fail(errorf("a nil ordering in a window's ORDER BY"))
				return
			}
			o.AppendSQL(b)
		}
	}
	b.WriteByte(')')
}

func (w Window) sources(add func(Source)) {
	for _, e := range w.partition {
		walkSources(e, add)
	}
	for _, o := range w.order {
		walkSources(o, add)
	}
}

// Windowed is the row type of conditions and orderings on the values of
// window functions. Such a value exists only once the query's rows are
// read, grouped and filtered, so it may be selected and ordered by, but a
// condition on it cannot restrict the same query: a Cond[Windowed] placed
// in Where or Having fails the statement. Filter on a window function's
// value in an enclosing query that reads this one as a table.
type Windowed struct{}

// Ranking is a ranking window function before its window is given:
// RowNumber, Rank or DenseRank. Over gives it one.
type Ranking struct {
	fn string
}

// RowNumber numbers the rows of each partition 1, 2, 3… in the window's
// order: ROW_NUMBER(). Rows equal in that order are numbered in an order
// the database chooses; add a unique column to the window's ORDER BY for
// numbers that do not change from one run to the next.
func RowNumber() Ranking { return Ranking{fn: "ROW_NUMBER"} }

// Rank is the rank of each row in its partition, in the window's order,
// with gaps after ties: 1, 1, 3: RANK().
func Rank() Ranking { return Ranking{fn: "RANK"} }

// DenseRank is the rank of each row in its partition without gaps after
// ties: 1, 1, 2: DENSE_RANK().
func DenseRank() Ranking { return Ranking{fn: "DENSE_RANK"} }

// Over is the ranking computed over w, an int64 value that can be
// selected (Select1…Select4, Field), ordered by and computed with, but
// not used in a condition of the same query (see Windowed):
//
//	query.Select3(Genres.Name, Tracks.Title,
//		query.RowNumber().Over(query.PartitionBy(Genres.ID).OrderBy(Tracks.Plays.Desc())))
func (r Ranking) Over(w Window) Num[Windowed, int64] {
	return Num[Windowed, int64]{term[Windowed](windowCall{rank: r.fn, w: w}, CodecFor[int64]())}
}

// Over is the aggregate computed over w for each row rather than once per
// group, a value of the aggregate's own type: Sum(x).Over(w) is the sum of
// x over the row's window (a running total when w has an ORDER BY),
// Count().Over(PartitionBy(k)) the number of rows sharing the row's k,
// Sum(x).Over(query.Window{}) the total of every row. Sum stays 0 rather
// than NULL where the window has no value, as without a window. It can
// be selected, ordered by and computed with, but not used in a condition
// of the same query (see Windowed). A DISTINCT aggregate (CountDistinct)
// over a window is refused when the statement is built, as both dialects
// refuse it.
//
//	share := query.Div(query.Sum(Sales.Amount).Over(query.PartitionBy(Sales.Region)), query.Sum(Sales.Amount).Over(query.Window{}))
func (a Agg[V]) Over(w Window) Term[Windowed, V] {
	return term[Windowed](windowCall{agg: a, w: w}, a.Codec())
}

// windowAgg is an aggregate that can be written with OVER after its call.
type windowAgg interface {
	Expr
	appendOver(b *Builder, over func())
	isDistinct() bool
	funcName() string
}

func (a Agg[V]) isDistinct() bool { return a.distinct }
func (a Agg[V]) funcName() string { return a.fn }

// windowCall is a window function call: a ranking or an aggregate, then
// OVER and its window.
type windowCall struct {
	rank string    // ROW_NUMBER, RANK, DENSE_RANK; "" for an aggregate
	agg  windowAgg // the aggregate, when rank is ""
	w    Window
}

// errWindowPlace marks the failure of a window function written where SQL
// does not allow one.
var errWindowPlace = errors.New("window functions are computed after WHERE, GROUP BY and HAVING and are allowed only in the select list and ORDER BY")

func (c windowCall) name() string {
	if c.rank != "" {
		return c.rank
	}
	if c.agg != nil {
		return c.agg.funcName()
	}
	return "window function"
}

func (c windowCall) AppendSQL(b *Builder) {
	if b.noWindow != "" {
		b.Fail(errorf("%s OVER (…) in %s: %w; filter on it in a query that reads this one as a table",
			c.name(), b.noWindow, errWindowPlace))
		return
	}
	switch {
	case c.rank != "":
		b.WriteString(c.rank + "()")
		c.w.appendOver(b)
	case c.agg == nil:
		b.Fail(errorf("the zero Ranking is no window function: use RowNumber, Rank or DenseRank"))
	case c.agg.isDistinct():
		b.Fail(errorf("%s(DISTINCT …) OVER (…): %w", c.agg.funcName(), errWindowDistinct))
	default:
		c.agg.appendOver(b, func() { c.w.appendOver(b) })
	}
}

// errWindowDistinct is why a DISTINCT aggregate over a window is refused.
var errWindowDistinct = errors.New("DISTINCT is not allowed in an aggregate over a window (PostgreSQL and SQLite refuse it)")

func (c windowCall) sources(add func(Source)) {
	if c.agg != nil {
		walkSources(c.agg, add)
	}
	c.w.sources(add)
}

// barWindows makes window functions fail the statement while clause is
// written, and returns the bar it replaces, for restoreWindows once the
// clause is written:
//
//	defer b.restoreWindows(b.barWindows("GROUP BY"))
//
// A bar of "" lifts one in force, for a subquery inside a condition,
// whose select list may hold window functions of its own.
func (b *Builder) barWindows(clause string) (prev string) {
	prev = b.noWindow
	b.noWindow = strings.TrimSpace(clause)
	return prev
}

// restoreWindows puts back the bar barWindows replaced.
func (b *Builder) restoreWindows(prev string) { b.noWindow = prev }

// windowedTerm reports whether e writes a window function: a GROUP BY
// term written by its position in the select list is checked with it, as
// its own text, which would fail, is not written.
func windowedTerm(b *Builder, e Expr) bool {
	s := &Builder{d: b.d, f: b.f, qualify: b.qualify, aliases: slices.Clip(b.aliases), outer: slices.Clip(b.outer), noWindow: "GROUP BY"}
	e.AppendSQL(s)
	return errors.Is(s.err, errWindowPlace)
}
