package uow_test

import (
	"strings"
	"testing"

	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/uow"
)

// Tables of their own, for models that follow their relations.
type twShelf struct {
	ID    int64
	Books []*twBook
	Other []*twBook
	Tags  []*twTag
}

type twBook struct {
	ID      int64
	ShelfID int64
	Shelf   *twShelf
}

type twTag struct {
	ID      int64
	Shelves []*twShelf
}

type twShelfTag struct {
	ShelfID int64
	TagID   int64
}

var (
	twShelves = mapped.Define("tw_shelf", func(t *mapped.Table[twShelf], s *twShelf) mapped.Column[twShelf, int64] {
		return mapped.PrimaryKey(t, &s.ID)
	})
	twBooks = mapped.Define("tw_book", func(t *mapped.Table[twBook], b *twBook) mapped.Column[twBook, int64] {
		mapped.PrimaryKey(t, &b.ID)
		return mapped.ForeignKey(t, &b.ShelfID, twShelves)
	})
	twTags = mapped.Define("tw_tag", func(t *mapped.Table[twTag], g *twTag) mapped.Column[twTag, int64] {
		return mapped.PrimaryKey(t, &g.ID)
	})
	twLinks = mapped.Define("tw_shelf_tag", func(t *mapped.Table[twShelfTag], l *twShelfTag) [2]mapped.Column[twShelfTag, int64] {
		return [2]mapped.Column[twShelfTag, int64]{
			mapped.ForeignKey(t, &l.ShelfID, twShelves, mapped.InPrimaryKey()),
			mapped.ForeignKey(t, &l.TagID, twTags, mapped.InPrimaryKey()),
		}
	})
)

// A relation followed twice in one model — the same declaration, a
// second declaration over the same foreign key from the same side, a
// many-to-many relation and its Reverse — is refused by model.New, naming
// it; the other side of a foreign key may be followed too.
func TestFollowTwiceRefused(t *testing.T) {
	books := relation.HasMany(twBooks, func(s *twShelf) *[]*twBook { return &s.Books })
	tags := relation.ManyToManyThrough(twLinks[0], twLinks[1], func(s *twShelf) *[]*twTag { return &s.Tags })
	parts := func(more ...model.Part) []model.Part {
		return append([]model.Part{
			model.Tables(books.Parent(), books.Child(), tags.Child(), tags.Through()),
			uow.Follow(books),
			uow.FollowParent(relation.BelongsTo(twBooks, func(b *twBook) **twShelf { return &b.Shelf })),
			uow.FollowManyToMany(tags),
		}, more...)
	}
	if _, err := model.New(parts()...); err != nil {
		t.Fatalf("a model following both sides of a foreign key and a many-to-many relation: %v", err)
	}
	cases := []struct {
		name string
		part model.Part
		want string
	}{
		{"the same relation", uow.Follow(books),
			"the one-to-many relation tw_shelf → tw_book over tw_book.shelf_id followed is declared twice"},
		{"another declaration over the same key",
			uow.Follow(relation.HasMany(twBooks, func(s *twShelf) *[]*twBook { return &s.Other })),
			"tw_book.shelf_id followed is declared twice"},
		{"the many-to-one side again",
			uow.FollowParent(relation.BelongsTo(twBooks, func(b *twBook) **twShelf { return &b.Shelf })),
			"the many-to-one relation tw_shelf → tw_book over tw_book.shelf_id followed is declared twice"},
		{"a many-to-many relation's Reverse",
			uow.FollowManyToMany(tags.Reverse(func(g *twTag) *[]*twShelf { return &g.Shelves })),
			"the many-to-many relation tw_tag ↔ tw_shelf through tw_shelf_tag followed is declared twice"},
	}
	for _, c := range cases {
		m, err := model.New(parts(c.part)...)
		if err == nil || m != nil {
			t.Errorf("%s: model.New = %v, %v; want no model and an error", c.name, m, err)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "model: ") || !strings.Contains(msg, c.want) {
			t.Errorf("%s: error %q, want it to say %q", c.name, msg, c.want)
		}
	}
}
