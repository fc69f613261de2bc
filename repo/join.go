package repo

import (
	"fmt"

	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
)

// Joined is a Query of rows of T that joins the table of P through a
// to-one relation, so that it can be filtered and ordered by P's columns:
// its Where takes conditions on P and its OrderBy orderings of P, while
// the Query it came from keeps taking T's. A condition on a table the
// query does not join does not compile, since no Joined of that row type
// exists. Make one with Join or LeftJoin and go back to the Query (to
// run it, or to add T's conditions, Load, Limit…) with Query.
//
//	repo.Join(tracks.Query(), TrackAlbum).
//		Where(Albums.ArtistID.Eq(1)).
//		OrderBy(Albums.Title.Asc()).
//		Query().OrderBy(Tracks.Name.Asc()).All(ctx)
//
// The relation is one from T to at most one row of P (relation.ToOne: a
// ManyToOne or a OneToOne), so each row of T comes back once, never
// repeated by the join; a OneToMany or ManyToMany does not compile there
// (filter through them with their Any, an EXISTS). A Joined, like a Query,
// is never modified by its methods.
type Joined[T, P any] struct{ q *Query[T] }

// Join returns q joined (an inner join) to P's table through rel: rows of
// T with no row of P (a NULL foreign key, or no child of a OneToOne) are
// left out, even with no condition on P. Use LeftJoin to keep them.
//
// A relation that q cannot join is reported when the query runs: a
// relation of a table with itself (read it through EXISTS: its Has), or
// P's table joined already.
func Join[T, P any](q *Query[T], rel relation.ToOne[T, P]) *Joined[T, P] {
	return &Joined[T, P]{q.join(rel, false)}
}

// LeftJoin returns q joined to P's table through rel with a left outer
// join: every row of T the query's conditions keep, with P's columns NULL
// where it has no row of P. A condition on P's columns then holds for no
// such row (as in SQL, where a comparison with NULL is not true), except
// IsNull; ordering by them puts those rows where the database puts NULLs
// (first on SQLite, last on PostgreSQL, for an ascending order) unless the
// ordering says (NullsFirst, NullsLast).
func LeftJoin[T, P any](q *Query[T], rel relation.ToOne[T, P]) *Joined[T, P] {
	return &Joined[T, P]{q.join(rel, true)}
}

// Where adds conditions on P's columns; all must hold, as well as the
// query's own.
func (j *Joined[T, P]) Where(conds ...query.Cond[P]) *Joined[T, P] {
	c := j.query().clone()
	for _, cond := range conds {
		c.where = append(c.where, cond)
	}
	return &Joined[T, P]{c}
}

// OrderBy adds ordering terms on P's columns, after the query's own terms
// (those added to the Query before, and those added to it after come
// after these).
func (j *Joined[T, P]) OrderBy(os ...query.Order[P]) *Joined[T, P] {
	c := j.query().clone()
	for _, o := range os {
		c.order = append(c.order, o)
	}
	c.joinedOrder = c.joinedOrder || len(os) > 0
	return &Joined[T, P]{c}
}

// Query returns the query with the join, its conditions and orderings,
// to extend with T's and run.
func (j *Joined[T, P]) Query() *Query[T] { return j.query() }

func (j *Joined[T, P]) query() *Query[T] {
	if j == nil || j.q == nil {
		return &Query[T]{}
	}
	return j.q
}

// join returns q with the join clauses of rel added, or with the error
// that rel cannot be joined, reported when the query runs.
func (q *Query[T]) join(rel query.Relationship, left bool) *Query[T] {
	c := q.clone()
	if c.err != nil {
		return c
	}
	if rel == nil {
		c.err = fmt.Errorf("nil relation to join")
		return c
	}
	if c.r.usable("join") != nil {
		return c // usable reports it when the query runs
	}
	have := map[string]bool{c.r.Table().TableName(): true}
	for _, j := range c.joined {
		have[j.Table.TableName()] = true
	}
	clauses, err := rel.JoinClauses(func(s query.Source) bool { return have[s.TableName()] })
	if err != nil {
		c.err = fmt.Errorf("join: %w", err)
		return c
	}
	for _, cl := range clauses {
		cl.Left = left
		c.joined = append(c.joined, cl)
	}
	return c
}
