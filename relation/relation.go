package relation

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
)

// ErrNotLoaded is returned by Get when the relation was never loaded for
// that row, so that an unloaded collection is never mistaken for an empty
// one.
var ErrNotLoaded = errors.New("relation: not loaded")

// Loader loads related rows into a batch of rows of type P: a relation, a
// relation with ordering or a per-parent limit, or a relation followed by
// nested loaders (Then). Repositories run loaders after their query, one
// statement per relation level whatever the number of rows.
type Loader[P any] interface {
	// Load sets the relation's field in every non-nil row of rows,
	// replacing what it held: an empty, non-nil slice for a collection
	// with no related rows, nil for a missing single row. It then runs
	// the nested loaders on the rows it loaded. Nil rows are skipped, and
	// no statement runs when no row has a key to look up. On error some
	// rows may already be filled.
	Load(ctx context.Context, ex dialect.Executor, rows []*P) error
}

// key is one side's typed access to a key of type K in rows of T: a
// primary key, a foreign key or a nullable foreign key.
type key[T any, K comparable] struct {
	table    *mapped.Table[T]
	field    *mapped.Field[T]
	get      func(*T) (K, bool) // false: NULL; the key in canonical form
	set      func(*T, K)
	clear    func(*T) // nil when the column is NOT NULL
	nullable bool
}

func plainKey[T any, K comparable](c mapped.Column[T, K]) key[T, K] {
	get := func(r *T) (K, bool) { return *c.Ptr(r), true }
	if canon := canonical[K](); canon != nil {
		get = func(r *T) (K, bool) { return canon(*c.Ptr(r)), true }
	}
	return key[T, K]{
		table: c.Field().Table(), field: c.Field(), get: get,
		set: func(r *T, k K) { *c.Ptr(r) = k },
	}
}

func nullableKey[T any, K comparable](c mapped.Column[T, *K]) key[T, K] {
	canon := canonical[K]()
	return key[T, K]{
		table: c.Field().Table(), field: c.Field(), nullable: true,
		get: func(r *T) (K, bool) {
			if p := *c.Ptr(r); p != nil {
				if canon != nil {
					return canon(*p), true
				}
				return *p, true
			}
			var zero K
			return zero, false
		},
		set:   func(r *T, k K) { *c.Ptr(r) = &k },
		clear: func(r *T) { *c.Ptr(r) = nil },
	}
}

// canonical returns, for a key type whose Go values can differ where the
// stored values are equal, the function giving the one form that Go's ==
// (and so a map) compares as the database does, or nil for any other
// type. A time.Time is compared as its instant, in UTC, to the precision
// stored (dialect.TimePrecision), without a monotonic clock reading: a key
// written in another zone, or read from the database, is the same key.
func canonical[K comparable]() func(K) K {
	var zero K
	if _, ok := any(zero).(time.Time); !ok {
		return nil
	}
	return func(k K) K {
		t := any(k).(time.Time)
		return any(t.Truncate(dialect.TimePrecision).UTC()).(K)
	}
}

// in is the condition that the key is one of ks, written for the key's
// value type even when the column is nullable.
func (k key[T, K]) in(ks []K) query.Cond[T] {
	return query.In[T](valueOf[T, K]{k.field}, ks)
}

// eq is the condition that the key equals v.
func (k key[T, K]) eq(v K) query.Cond[T] {
	return query.Compare[T](valueOf[T, K]{k.field}, query.Eq, v)
}

// keys returns the distinct non-NULL keys of rows, in first-seen order.
func (k key[T, K]) keys(rows []*T) []K {
	seen := make(map[K]struct{}, len(rows))
	out := make([]K, 0, len(rows))
	for _, r := range rows {
		if r == nil {
			continue
		}
		v, ok := k.get(r)
		if !ok {
			continue
		}
		if _, dup := seen[v]; !dup {
			seen[v] = struct{}{}
			out = append(out, v)
		}
	}
	return out
}

// qualified is the column written with its table's name, for the outer
// side of a correlated subquery.
func (k key[T, K]) qualified() query.Qualified {
	return query.Qualified{Table: k.table.TableName(), Name: k.field.Name()}
}

// valueOf views a column as yielding values of type K: a nullable foreign
// key column compared with the plain keys it references.
type valueOf[T, K any] struct{ *mapped.Field[T] }

// Codec binds and scans the key type.
func (valueOf[T, K]) Codec() query.Codec[K] { return query.CodecFor[K]() }

// referencedKey is the key column a foreign key references, or a panic
// naming the declaration's mistake: a column that is not a foreign key,
// or one referencing the table of another struct type.
func referencedKey[P any, K comparable](key mapped.Column[P, K], err error) mapped.Column[P, K] {
	if err != nil {
		panic("relation: " + strings.TrimPrefix(err.Error(), "mapped: "))
	}
	return key
}
