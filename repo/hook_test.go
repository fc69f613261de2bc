package repo_test

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

// opCounter counts the events a dialect.Hook sees. Each subtest puts its
// own counter in the context of the statements it runs, so the sqlite and
// postgres halves, which share one hook and run in parallel, keep their
// counts apart.
type opCounter struct {
	mu  sync.Mutex
	ops map[dialect.Op]int
}

type counterKey struct{}

func countingHook(ctx context.Context, e dialect.Event) {
	if c, ok := ctx.Value(counterKey{}).(*opCounter); ok {
		c.mu.Lock()
		c.ops[e.Op]++
		c.mu.Unlock()
	}
}

// counted runs fn with a context that counts its statements and returns
// the count of each kind of event.
func counted(t testing.TB, fn func(ctx context.Context) error) map[dialect.Op]int {
	t.Helper()
	c := &opCounter{ops: map[dialect.Op]int{}}
	if err := fn(context.WithValue(context.Background(), counterKey{}, c)); err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.ops)
}

func TestStatementCount(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		r := newPeople(t, db)
		batch := func(n, from int) []*person {
			rows := make([]*person, n)
			for i := range rows {
				rows[i] = &person{Name: fmt.Sprint(from + i), Email: fmt.Sprintf("%d@example.com", from+i)}
			}
			return rows
		}
		var id int64
		q := map[dialect.Op]int{dialect.OpQuery: 1}
		x := map[dialect.Op]int{dialect.OpExec: 1}
		// Three INSERTs of at most 1000 rows, in a transaction: sent
		// together in one round trip where the database takes batches.
		many := map[dialect.Op]int{dialect.OpBegin: 1, dialect.OpQuery: 3, dialect.OpCommit: 1}
		if _, ok := db.(dialect.Batcher); ok {
			many = map[dialect.Op]int{dialect.OpBegin: 1, dialect.OpBatch: 1, dialect.OpCommit: 1}
		}
		// One INSERT … RETURNING; on SQLite, whose key is the rowid, an
		// INSERT and the rowid of the row made, once the first insert has
		// asked whether the key is the rowid.
		// (The second insert's row is deleted again, for the counts of rows
		// below.)
		insertFirst := q
		secondInsert := map[dialect.Op]int{dialect.OpQuery: 1, dialect.OpExec: 1}
		if _, ok := db.(dialect.RowIDInserter); ok {
			insertFirst = map[dialect.Op]int{dialect.OpQuery: 1, dialect.OpExec: 1}
			secondInsert = map[dialect.Op]int{dialect.OpExec: 2}
		}
		cases := []struct {
			name string
			run  func(ctx context.Context) error
			want map[dialect.Op]int
		}{
			{"Insert", func(ctx context.Context) error {
				p := &person{Name: "one", Email: "one@example.com"}
				err := r.Insert(ctx, p)
				id = p.ID
				return err
			}, insertFirst},
			{"second Insert", func(ctx context.Context) error {
				p := &person{Name: "two", Email: "two@example.com"}
				if err := r.Insert(ctx, p); err != nil {
					return err
				}
				return r.Delete(ctx, p)
			}, secondInsert},
			{"InsertMany of 100 rows", func(ctx context.Context) error { return r.InsertMany(ctx, batch(100, 0)) }, q},
			{"InsertMany of 2500 rows", func(ctx context.Context) error {
				return r.InsertMany(ctx, batch(2500, 100))
			}, many},
			{"Get", func(ctx context.Context) error { _, err := r.Get(ctx, id); return err }, q},
			{"query All", func(ctx context.Context) error {
				rows, err := r.Where(people.Age.Eq(0)).OrderBy(people.ID.Asc()).All(ctx)
				if err == nil && len(rows) != 2601 {
					err = fmt.Errorf("All: got %d rows, want 2601", len(rows))
				}
				return err
			}, q},
			{"One", func(ctx context.Context) error { _, err := r.Where(people.ID.Eq(id)).One(ctx); return err }, q},
			{"Count", func(ctx context.Context) error { _, err := r.Count(ctx); return err }, q},
			{"Exists", func(ctx context.Context) error { _, err := r.Query().Exists(ctx); return err }, q},
			{"Update", func(ctx context.Context) error {
				return r.Update(ctx, &person{ID: id, Name: "uno", Email: "one@example.com"})
			}, x},
			{"Upsert", func(ctx context.Context) error {
				return r.Upsert(ctx, &person{Name: "ein", Email: "one@example.com"}, people.Email)
			}, q},
			{"UpdateWhere", func(ctx context.Context) error {
				_, err := r.UpdateWhere(ctx, people.Age.Eq(0), people.Age.Set(1))
				return err
			}, x},
			{"Delete", func(ctx context.Context) error { return r.Delete(ctx, &person{ID: id}) }, x},
			{"DeleteWhere", func(ctx context.Context) error {
				_, err := r.DeleteWhere(ctx, people.Age.In(make([]int, 70000)...))
				return err
			}, x},
		}
		for _, tc := range cases {
			got := counted(t, tc.run)
			if !maps.Equal(got, tc.want) {
				t.Errorf("%s: events %v, want %v", tc.name, got, tc.want)
			}
		}
	}, dialect.WithHook(countingHook))
}
