package mapped_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

type kMovie struct {
	ID    int64
	Title string
}

type kActor struct {
	ID   int64
	Name string
}

// kCast links movies and actors; its key is the pair of foreign keys.
type kCast struct {
	MovieID int64
	ActorID int64
	Role    string
}

type kEvent struct {
	ID   int64
	Name string
	At   *time.Time
}

var (
	kMovies = mapped.Define("k_movie", func(t *mapped.Table[kMovie], m *kMovie) mapped.Column[kMovie, int64] {
		mapped.Text(t, &m.Title)
		return mapped.PrimaryKey(t, &m.ID)
	})
	kActors = mapped.Define("k_actor", func(t *mapped.Table[kActor], a *kActor) mapped.Column[kActor, int64] {
		mapped.Text(t, &a.Name)
		return mapped.PrimaryKey(t, &a.ID)
	})
	kCasts = mapped.Define("k_cast", func(t *mapped.Table[kCast], c *kCast) *mapped.Table[kCast] {
		mapped.ForeignKey(t, &c.MovieID, kMovies, mapped.InPrimaryKey(), mapped.OnDelete(mapped.Cascade))
		mapped.ForeignKey(t, &c.ActorID, kActors, mapped.InPrimaryKey(), mapped.OnDelete(mapped.Cascade))
		mapped.Text(t, &c.Role)
		return t
	})
	kEvents = mapped.Define("k_event", func(t *mapped.Table[kEvent], e *kEvent) struct {
		*mapped.Table[kEvent]
		At mapped.Column[kEvent, *time.Time]
	} {
		mapped.PrimaryKey(t, &e.ID)
		mapped.Text(t, &e.Name)
		return struct {
			*mapped.Table[kEvent]
			At mapped.Column[kEvent, *time.Time]
		}{t, mapped.Col(t, &e.At, mapped.DefaultNow())}
	})
)

func movieTable() *mapped.Table[kMovie] { return kMovies.Field().Table() }
func actorTable() *mapped.Table[kActor] { return kActors.Field().Table() }

func TestForeignKeysAsCompositeKey(t *testing.T) {
	if kCasts.Auto() != nil {
		t.Fatalf("a key of foreign keys must not be generated")
	}
	if got := mapped.ColumnNames(kCasts.PrimaryKey()); got != "movie_id, actor_id" {
		t.Fatalf("key = %s, want movie_id, actor_id", got)
	}
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		if err := mapped.CreateAll(ctx, db, kCasts, movieTable(), actorTable()); err != nil {
			t.Fatal(err)
		}
		m, a := &kMovie{Title: "Heat"}, &kActor{Name: "Pacino"}
		if err := repo.New(db, movieTable()).Insert(ctx, m); err != nil {
			t.Fatal(err)
		}
		if err := repo.New(db, actorTable()).Insert(ctx, a); err != nil {
			t.Fatal(err)
		}
		casts := repo.New(db, kCasts)
		link := &kCast{MovieID: m.ID, ActorID: a.ID, Role: "Hanna"}
		if err := casts.Insert(ctx, link); err != nil {
			t.Fatal(err)
		}
		if err := casts.Insert(ctx, &kCast{MovieID: m.ID, ActorID: a.ID}); !errors.Is(err, dialect.ErrUnique) {
			t.Errorf("second link with the same key: err = %v, want ErrUnique", err)
		}
		got, err := casts.Get(ctx, m.ID, a.ID)
		if err != nil || got.Role != "Hanna" {
			t.Fatalf("Get by composite key = %+v, %v", got, err)
		}
		if err := casts.Insert(ctx, &kCast{MovieID: m.ID, ActorID: a.ID + 100}); !errors.Is(err, dialect.ErrForeignKey) {
			t.Errorf("link to a missing actor: err = %v, want ErrForeignKey", err)
		}
		if err := casts.Delete(ctx, &kCast{MovieID: m.ID}); !errors.Is(err, repo.ErrNoKey) {
			t.Errorf("delete with half a key: err = %v, want ErrNoKey", err)
		}
	})
}

func TestForeignKeyTakesReferencedType(t *testing.T) {
	type code struct{ Code string }
	type ref struct {
		ID   int64
		Code string
	}
	codes := mapped.Define("k_code", func(t *mapped.Table[code], c *code) mapped.Column[code, string] {
		return mapped.PrimaryKey(t, &c.Code, mapped.Size(8))
	})
	refs := mapped.Define("k_ref", func(t *mapped.Table[ref], r *ref) *mapped.Table[ref] {
		mapped.PrimaryKey(t, &r.ID)
		mapped.ForeignKey(t, &r.Code, codes)
		return t
	})
	if got := refs.Field("code").Info().Type; got.Kind != dialect.String || got.Size != 8 {
		t.Errorf("foreign key type = %+v, want the referenced string of size 8", got)
	}
}

func TestDefaultNow(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		if err := mapped.CreateAll(ctx, db, kEvents.Table); err != nil {
			t.Fatal(err)
		}
		events := repo.New(db, kEvents.Table)
		before := time.Now().Add(-time.Second)
		e := &kEvent{Name: "defaulted"}
		if err := events.Insert(ctx, e); err != nil {
			t.Fatal(err)
		}
		if e.At == nil || e.At.Before(before) || e.At.After(time.Now().Add(time.Second)) {
			t.Fatalf("At read back from the default = %v, want about now", e.At)
		}
		// A time given by the program and one filled by the default compare
		// and sort as times, whatever the dialect stores.
		earlier := e.At.Add(-time.Millisecond)
		if err := events.Insert(ctx, &kEvent{Name: "given", At: &earlier}); err != nil {
			t.Fatal(err)
		}
		rows, err := events.OrderBy(kEvents.At.Desc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range rows {
			names = append(names, r.Name)
		}
		if got := strings.Join(names, ","); got != "defaulted,given" {
			t.Errorf("order by time desc = %s, want defaulted,given", got)
		}
		n, err := events.Where(kEvents.At.Lt(e.At)).Count(ctx)
		if err != nil || n != 1 {
			t.Errorf("rows before the given time = %d, %v; want 1", n, err)
		}
	})
}

// A foreign key to a column declared with Type (a Valuer the mapping
// cannot infer) takes that column's type, as ForeignKey says, instead of
// panicking.
func TestForeignKeyToTypedColumn(t *testing.T) {
	type acct struct{ ID kUUID }
	type entry struct {
		ID     int64
		Acct   kUUID
		Parent *kUUID
	}
	uuid := dialect.Type{Kind: dialect.Custom, Name: "uuid"}
	accts := mapped.Define("k_acct", func(t *mapped.Table[acct], a *acct) mapped.Column[acct, kUUID] {
		return mapped.PrimaryKey(t, &a.ID, mapped.Type(uuid))
	})
	var entries *mapped.Table[entry]
	msg := panicOf(func() {
		entries = mapped.Define("k_entry", func(t *mapped.Table[entry], e *entry) *mapped.Table[entry] {
			mapped.PrimaryKey(t, &e.ID)
			mapped.ForeignKey(t, &e.Acct, accts)
			mapped.NullableForeignKey(t, &e.Parent, accts)
			return t
		})
	})
	if msg != "no panic" {
		t.Fatalf("Define panicked: %s", msg)
	}
	for _, col := range []string{"acct", "parent"} {
		if got := entries.Field(col).Info().Type; got != uuid {
			t.Errorf("%s: type %+v, want the referenced %+v", col, got, uuid)
		}
	}
	if entries.Field("parent").Info().Nullable != true || entries.Field("acct").Info().Nullable {
		t.Errorf("nullability: acct %v, parent %v; want false, true",
			entries.Field("acct").Info().Nullable, entries.Field("parent").Info().Nullable)
	}
}

// kUUID is a key type the mapping cannot infer: a driver.Valuer.
type kUUID [16]byte

func (u kUUID) Value() (driver.Value, error) { return u[:], nil }
