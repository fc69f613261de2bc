package relation_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

type rvMovie struct {
	ID     int64
	Title  string
	Actors []*rvActor
}

type rvActor struct {
	ID     int64
	Name   string
	Movies []*rvMovie
}

type rvCast struct {
	MovieID int64
	ActorID int64
}

var (
	rvMovies = mapped.Define("rv_movie", func(t *mapped.Table[rvMovie], m *rvMovie) mapped.Column[rvMovie, int64] {
		mapped.Text(t, &m.Title)
		return mapped.PrimaryKey(t, &m.ID)
	})
	rvActors = mapped.Define("rv_actor", func(t *mapped.Table[rvActor], a *rvActor) mapped.Column[rvActor, int64] {
		mapped.Text(t, &a.Name)
		return mapped.PrimaryKey(t, &a.ID)
	})
	rvCastMovie, rvCastActor = func() (mapped.Column[rvCast, int64], mapped.Column[rvCast, int64]) {
		var m, a mapped.Column[rvCast, int64]
		mapped.Define("rv_cast", func(t *mapped.Table[rvCast], c *rvCast) int {
			m = mapped.ForeignKey(t, &c.MovieID, rvMovies, mapped.InPrimaryKey())
			a = mapped.ForeignKey(t, &c.ActorID, rvActors, mapped.InPrimaryKey())
			return 0
		})
		return m, a
	}()
	rvMovieCast  = relation.ManyToManyThrough(rvCastMovie, rvCastActor, func(m *rvMovie) *[]*rvActor { return &m.Actors })
	rvActorFilms = rvMovieCast.Reverse(func(a *rvActor) *[]*rvMovie { return &a.Movies })
)

// TestReverse loads a many-to-many relation from its other side and checks
// that deleting a row removes its association rows with one statement.
func TestReverse(t *testing.T) {
	for _, name := range testdb.Dialects {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var deletes atomic.Int64
			db := testdb.Open(t, name, dialect.WithHook(func(_ context.Context, e dialect.Event) {
				if strings.HasPrefix(e.SQL, `DELETE FROM "rv_cast"`) {
					deletes.Add(1)
				}
			}))
			db = testModel.Bind(db) // deleting an actor deletes their association rows
			ctx := context.Background()
			cast := rvCastMovie.Field().Table()
			if err := mapped.CreateAll(ctx, db, rvMovies.Field().Table(), rvActors.Field().Table(), cast); err != nil {
				t.Fatal(err)
			}
			heat, ronin := &rvMovie{Title: "Heat"}, &rvMovie{Title: "Ronin"}
			deniro := &rvActor{Name: "De Niro"}
			if err := repo.New(db, rvMovies.Field().Table()).InsertMany(ctx, []*rvMovie{heat, ronin}); err != nil {
				t.Fatal(err)
			}
			actors := repo.New(db, rvActors.Field().Table())
			if err := actors.Insert(ctx, deniro); err != nil {
				t.Fatal(err)
			}
			if err := repo.Link(ctx, db, rvActorFilms, deniro, heat, ronin); err != nil {
				t.Fatal(err)
			}
			films, err := rvActorFilms.OrderBy(rvMoviesTitle()).Fetch(ctx, db, deniro)
			if err != nil || len(films) != 2 || films[0].Title != "Heat" {
				t.Fatalf("films of De Niro = %v, %v", films, err)
			}
			cast2, err := rvMovieCast.Fetch(ctx, db, ronin)
			if err != nil || len(cast2) != 1 || cast2[0].Name != "De Niro" {
				t.Fatalf("cast of Ronin = %v, %v", cast2, err)
			}
			if err := actors.Delete(ctx, deniro); err != nil {
				t.Fatal(err)
			}
			if n := deletes.Load(); n != 1 {
				t.Errorf("association deletes = %d, want 1", n)
			}
			if n, err := repo.New(db, cast).Count(ctx); err != nil || n != 0 {
				t.Errorf("association rows left = %d, %v; want 0", n, err)
			}
		})
	}
}

func rvMoviesTitle() query.Order[rvMovie] {
	return query.Asc[rvMovie](rvMovies.Field().Table().Field("title"))
}
