package uow_test

import (
	"context"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

type album struct {
	ID    int64
	Title string
	Songs []*song
}

type song struct {
	ID      int64
	AlbumID int64
	Title   string
}

type albumTable struct {
	*mapped.Table[album]
	ID    mapped.Column[album, int64]
	Title mapped.TextColumn[album, string]
}

type songTable struct {
	*mapped.Table[song]
	ID      mapped.Column[song, int64]
	AlbumID mapped.Column[song, int64]
	Title   mapped.TextColumn[song, string]
}

var albums = mapped.Define("album", func(t *mapped.Table[album], a *album) albumTable {
	return albumTable{Table: t, ID: mapped.PrimaryKey(t, &a.ID), Title: mapped.Text(t, &a.Title)}
})

var songs = mapped.Define("song", func(t *mapped.Table[song], s *song) songTable {
	return songTable{Table: t, ID: mapped.PrimaryKey(t, &s.ID),
		AlbumID: mapped.ForeignKey(t, &s.AlbumID, albums.ID), Title: mapped.Text(t, &s.Title)}
})

// testModel deletes an album's songs with it.
var albumSongs = relation.HasMany(songs.AlbumID, func(a *album) *[]*song { return &a.Songs })

// Deleting a row through a unit on a handle bound to a model applies the
// model's cascades (albumSongs).
func TestDeleteCascades(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		if err := testModel.CreateAll(ctx, db, albums.Table, songs.Table); err != nil {
			t.Fatal(err)
		}
		seed(t, db, albums.Table, &album{Title: "Gone"}, &album{Title: "Kept"})
		seed(t, db, songs.Table, &song{AlbumID: 1, Title: "a"}, &song{AlbumID: 1, Title: "b"}, &song{AlbumID: 2, Title: "c"})
		rec.reset()
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			a, err := uow.Get(ctx, u, albums.Table, 1)
			if err != nil {
				return err
			}
			return uow.Delete(u, albums.Table, a)
		})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		if na, ns := count(t, db, albums.Table), count(t, db, songs.Table); na != 1 || ns != 1 {
			t.Errorf("%d albums and %d songs left, want 1 and 1", na, ns)
		}
		// The relation's cascade ran the song delete, not only the
		// database's ON DELETE CASCADE.
		if got, want := statementTables(rec.statements(), "DELETE FROM "), []string{"song", "album"}; !slices.Equal(got, want) {
			t.Errorf("deletes from %q, want %q", got, want)
		}
	})
}

// gid is a 16-byte key that reaches the database as hex text through
// driver.Valuer, as UUID types do: the driver, not genrepo, converts it.
type gid [16]byte

// Value implements driver.Valuer.
func (g gid) Value() (driver.Value, error) { return hex.EncodeToString(g[:]), nil }

// Scan implements sql.Scanner.
func (g *gid) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("gid: cannot scan %T", src)
	}
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(g) {
		return fmt.Errorf("gid: cannot read %q", s)
	}
	copy(g[:], b)
	return nil
}

func newGID(kind byte, n int) gid {
	return gid{0: kind, 14: byte(n >> 8), 15: byte(n)}
}

// Fleets and their ships, keyed by gid; the database deletes a fleet's
// ships with it (ON DELETE CASCADE), no relation does.
type fleet struct {
	ID   gid
	Name string
}

type ship struct {
	ID      gid
	FleetID gid
	Name    string
}

type fleetTable struct {
	*mapped.Table[fleet]
	ID mapped.Column[fleet, gid]
}

type shipTable struct {
	*mapped.Table[ship]
	ID      mapped.Column[ship, gid]
	FleetID mapped.Column[ship, gid]
	Name    mapped.TextColumn[ship, string]
}

var gidType = mapped.Type(dialect.Type{Kind: dialect.String})

var fleets = mapped.Define("fleet", func(t *mapped.Table[fleet], f *fleet) fleetTable {
	mapped.Text(t, &f.Name)
	return fleetTable{Table: t, ID: mapped.PrimaryKey(t, &f.ID, gidType)}
})

var ships = mapped.Define("ship", func(t *mapped.Table[ship], s *ship) shipTable {
	return shipTable{Table: t,
		ID:      mapped.PrimaryKey(t, &s.ID, gidType),
		FleetID: mapped.ForeignKey(t, &s.FleetID, fleets.ID, gidType, mapped.OnDelete(mapped.Cascade)),
		Name:    mapped.Text(t, &s.Name),
	}
})

// A flush whose DELETE cascades in the database checks which of the
// unit's 600 held rows, keyed by a driver.Valuer, are left: the unit
// forgets the cascaded ones and keeps tracking the others, whose later
// changes are written.
func TestCascadeFlushKeepsHeldRows(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		if err := mapped.CreateAll(ctx, db, fleets.Table, ships.Table); err != nil {
			t.Fatal(err)
		}
		gone, kept := newGID(1, 0), newGID(1, 1)
		seed(t, db, fleets.Table, &fleet{ID: gone, Name: "gone"}, &fleet{ID: kept, Name: "kept"})
		var rows []*ship
		for i := range 600 {
			rows = append(rows, &ship{ID: newGID(2, i), FleetID: []gid{gone, kept}[i%2], Name: fmt.Sprint(i)})
		}
		seed(t, db, ships.Table, rows...)
		var sameRow bool // a Get after the flush returns the held row
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			held, err := uow.Find(ctx, u, repo.New(db, ships.Table).Query())
			if err != nil || len(held) != 600 {
				return fmt.Errorf("find: %d rows, %v", len(held), err)
			}
			f, err := uow.Get(ctx, u, fleets.Table, gone)
			if err != nil {
				return err
			}
			if err := uow.Delete(u, fleets.Table, f); err != nil {
				return err
			}
			if err := u.Flush(ctx); err != nil {
				return err
			}
			for _, s := range held {
				s.Name += " renamed"
			}
			if _, err := uow.Get(ctx, u, ships.Table, newGID(2, 0)); !errors.Is(err, repo.ErrNotFound) {
				return fmt.Errorf("get of a cascaded ship: %v, want repo.ErrNotFound", err)
			}
			s, err := uow.Get(ctx, u, ships.Table, newGID(2, 1))
			sameRow = err == nil && slices.Contains(held, s)
			return err
		})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		if !sameRow {
			t.Error("Get of a kept ship after the flush: not the row the unit held")
		}
		left, err := repo.New(db, ships.Table).All(ctx)
		if err != nil || len(left) != 300 {
			t.Fatalf("ships left: %d, %v; want 300", len(left), err)
		}
		for _, s := range left {
			if s.FleetID != kept || !strings.HasSuffix(s.Name, " renamed") {
				t.Fatalf("ship %q of fleet %x is left; want only the kept fleet's, renamed", s.Name, s.FleetID)
			}
		}
	})
}
