package uow_test

import (
	"context"
	"slices"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// A film and its cast: a many-to-many relation through the credit table.

type film struct {
	ID    int64
	Title string
	Cast  []*actor
}

type actor struct {
	ID   int64
	Name string
}

type credit struct {
	FilmID  int64
	ActorID int64
}

type filmTable struct {
	*mapped.Table[film]
	ID    mapped.Column[film, int64]
	Title mapped.TextColumn[film, string]
}

type actorTable struct {
	*mapped.Table[actor]
	ID   mapped.Column[actor, int64]
	Name mapped.TextColumn[actor, string]
}

type creditTable struct {
	*mapped.Table[credit]
	FilmID  mapped.Column[credit, int64]
	ActorID mapped.Column[credit, int64]
}

var films = mapped.Define("film", func(t *mapped.Table[film], f *film) filmTable {
	return filmTable{Table: t, ID: mapped.PrimaryKey(t, &f.ID), Title: mapped.Text(t, &f.Title)}
})

var actors = mapped.Define("actor", func(t *mapped.Table[actor], a *actor) actorTable {
	return actorTable{Table: t, ID: mapped.PrimaryKey(t, &a.ID), Name: mapped.Text(t, &a.Name, mapped.Unique())}
})

var credits = mapped.Define("credit", func(t *mapped.Table[credit], c *credit) creditTable {
	return creditTable{Table: t,
		FilmID:  mapped.ForeignKey(t, &c.FilmID, films.ID, mapped.InPrimaryKey()),
		ActorID: mapped.ForeignKey(t, &c.ActorID, actors.ID, mapped.InPrimaryKey())}
})

// testModel follows it, and deletes the credits of a deleted film or
// actor (Links).
var filmCast = relation.ManyToManyThrough(credits.FilmID, credits.ActorID,
	func(f *film) *[]*actor { return &f.Cast })

// castOf returns the names of film id's actors, as stored, sorted.
func castOf(t *testing.T, db dialect.DB, id int64) []string {
	t.Helper()
	f, err := repo.New(db, films.Table).Load(filmCast).Where(films.ID.Eq(id)).One(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range f.Cast {
		names = append(names, a.Name)
	}
	slices.Sort(names)
	return names
}

// Adding a film with its cast inserts the new actors and the credits once
// every key is known; changing a loaded cast writes only the credits that
// changed, and the actors taken out stay stored.
func TestFollowManyToMany(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		if err := testModel.CreateAll(ctx, db, films.Table, actors.Table, credits.Table); err != nil {
			t.Fatal(err)
		}
		seed(t, db, actors.Table, &actor{Name: "Keanu"})
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			keanu, err := uow.Get(ctx, u, actors.Table, 1)
			if err != nil {
				return err
			}
			return uow.Add(u, films.Table, &film{Title: "The Matrix", Cast: []*actor{keanu, {Name: "Carrie-Anne"}, {Name: "Laurence"}}})
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := castOf(t, db, 1); !slices.Equal(got, []string{"Carrie-Anne", "Keanu", "Laurence"}) {
			t.Fatalf("cast %v", got)
		}

		err = uow.Run(ctx, db, func(u *uow.Unit) error {
			got, err := uow.Find(ctx, u, repo.New(db, films.Table).Load(filmCast).Where(films.ID.Eq(1)))
			if err != nil {
				return err
			}
			m := got[0]
			m.Cast = slices.DeleteFunc(m.Cast, func(a *actor) bool { return a.Name == "Laurence" })
			m.Cast = append(m.Cast, &actor{Name: "Hugo"})
			rec.reset()
			return u.Flush(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		var ops []string
		for _, w := range rec.writes() {
			ops = append(ops, table(w.SQL))
		}
		if !slices.Equal(ops, []string{"actor", "credit", "credit"}) {
			t.Errorf("flush wrote to %v, want actor (Hugo), then credit twice (drop Laurence's, add Hugo's)", ops)
		}
		if got := castOf(t, db, 1); !slices.Equal(got, []string{"Carrie-Anne", "Hugo", "Keanu"}) {
			t.Errorf("cast %v, want Carrie-Anne, Hugo, Keanu", got)
		}
		if n := count(t, db, actors.Table); n != 4 {
			t.Errorf("%d actors stored, want 4 (Laurence stays)", n)
		}
	})
}

// A film loaded without its cast (Get: the collection is nil) and given
// one is added to: the pairs already stored are not written again, the new
// ones are, and none is taken away, since the unit never saw the stored
// cast. Appending to the unloaded collection is the common case.
func TestFollowManyToManyUnloaded(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		if err := testModel.CreateAll(ctx, db, films.Table, actors.Table, credits.Table); err != nil {
			t.Fatal(err)
		}
		if err := uow.Run(ctx, db, func(u *uow.Unit) error {
			return uow.Add(u, films.Table, &film{Title: "Speed", Cast: []*actor{{Name: "Keanu"}, {Name: "Dennis"}}})
		}); err != nil {
			t.Fatal(err)
		}
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			f, err := uow.Get(ctx, u, films.Table, 1)
			if err != nil {
				return err
			}
			keanu, err := uow.Get(ctx, u, actors.Table, 1)
			if err != nil {
				return err
			}
			f.Cast = append(f.Cast, keanu, &actor{Name: "Sandra"})
			rec.reset()
			return nil
		})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		var ops []string
		for _, w := range rec.writes() {
			ops = append(ops, table(w.SQL))
		}
		if !slices.Equal(ops, []string{"actor", "credit"}) {
			t.Errorf("flush wrote to %v, want actor (Sandra), then credit (Sandra's only)", ops)
		}
		if got := castOf(t, db, 1); !slices.Equal(got, []string{"Dennis", "Keanu", "Sandra"}) {
			t.Errorf("cast %v, want Dennis, Keanu, Sandra", got)
		}
	})
}
