package relation

import (
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
)

// ToOne is a relation from a row of T to at most one row of R: a
// ManyToOne (T's foreign key references R's key) or a OneToOne (R's
// unique foreign key references T's key). Joining R's table to a
// statement reading T's through it keeps every row of T once, which is
// what repo.Join relies on. OneToMany and ManyToMany do not implement it,
// so a join that would repeat rows of T does not compile. Only this
// package's relations implement it.
type ToOne[T, R any] interface {
	query.Relationship
	// toOne returns the tables the relation links, T's and R's.
	toOne() (*mapped.Table[T], *mapped.Table[R])
}

func (r *ManyToOne[C, P]) toOne() (*mapped.Table[C], *mapped.Table[P]) {
	return r.ops.childTable(), r.ops.parentTable()
}

func (r *OneToOne[P, C]) toOne() (*mapped.Table[P], *mapped.Table[C]) {
	return r.ops.parentTable(), r.ops.childTable()
}

var (
	_ ToOne[int, string] = (*ManyToOne[int, string])(nil)
	_ ToOne[int, string] = (*OneToOne[int, string])(nil)
)
