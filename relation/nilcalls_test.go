package relation_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/genrepo/genrepo/repo"
)

// README: "A mistake at a call site (a nil repository, table, row or unit)
// is an error naming the call, never a panic". Relation calls that return
// an error panic instead on a nil row (Get) or a nil executor (Fetch,
// Load, Link, Set). No database is involved: every call fails before
// anything is sent, so the test runs without testdb.Each.
func TestNilCallSitesDoNotPanic(t *testing.T) {
	ctx := context.Background()
	a := &artist{ID: 1}
	al := &album{ID: 1, ArtistID: 1}
	p := &person{ID: 1}
	m := &movie{ID: 1}
	calls := []struct {
		name string
		call func() error
	}{
		{"OneToMany.Get(nil row)", func() error { _, err := artistAlbums.Get(nil); return err }},
		{"OneToOne.Get(nil row)", func() error { _, err := personPhone.Get(nil); return err }},
		{"ManyToOne.Get(nil row)", func() error { _, err := albumArtist.Get(nil); return err }},
		{"ManyToMany.Get(nil row)", func() error { _, err := movieCast.Get(nil); return err }},
		{"OneToMany.Fetch(nil executor)", func() error { _, err := artistAlbums.Fetch(ctx, nil, a); return err }},
		{"OneToMany.Load(nil executor)", func() error { return artistAlbums.Load(ctx, nil, []*artist{a}) }},
		{"OneToOne.Fetch(nil executor)", func() error { _, err := personPhone.Fetch(ctx, nil, p); return err }},
		{"ManyToOne.Fetch(nil executor)", func() error { _, err := albumArtist.Fetch(ctx, nil, al); return err }},
		{"ManyToOne.Set(nil executor)", func() error { return repo.SetParent(ctx, nil, albumArtist, al, a) }},
		{"ManyToMany.Fetch(nil executor)", func() error { _, err := movieCast.Fetch(ctx, nil, m); return err }},
		{"ManyToMany.Link(nil executor)", func() error { return repo.Link(ctx, nil, movieCast, m, &actor{ID: 1}) }},
	}
	for _, c := range calls {
		var err error
		panicked := func() (p any) {
			defer func() { p = recover() }()
			err = c.call()
			return nil
		}()
		switch {
		case panicked != nil:
			t.Errorf("%s panicked: %v; want an error naming the call", c.name, fmt.Sprint(panicked))
		case err == nil:
			t.Errorf("%s returned nil; want an error", c.name)
		}
	}
}
