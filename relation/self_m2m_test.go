package relation_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

// A self-referential many-to-many relation: members follow members
// through follow, whose key is the pair (follower, followee).
type member struct {
	ID        int64
	Name      string
	Following []*member
	Followers []*member
}

type follow struct {
	FollowerID int64
	FolloweeID int64
}

type memberTable struct {
	*mapped.Table[member]
	ID   mapped.Column[member, int64]
	Name mapped.TextColumn[member, string]
}

type followTable struct {
	*mapped.Table[follow]
	FollowerID mapped.Column[follow, int64]
	FolloweeID mapped.Column[follow, int64]
}

var (
	members = mapped.Define("member", func(t *mapped.Table[member], m *member) memberTable {
		return memberTable{Table: t, ID: mapped.PrimaryKey(t, &m.ID), Name: mapped.Text(t, &m.Name)}
	})
	follows = mapped.Define("follow", func(t *mapped.Table[follow], f *follow) followTable {
		return followTable{Table: t,
			FollowerID: mapped.ForeignKey(t, &f.FollowerID, members.ID, mapped.InPrimaryKey()),
			FolloweeID: mapped.ForeignKey(t, &f.FolloweeID, members.ID, mapped.InPrimaryKey()),
		}
	})
	memberFollowing = relation.ManyToManyThrough(follows.FollowerID, follows.FolloweeID,
		func(m *member) *[]*member { return &m.Following })
	memberFollowers = memberFollowing.Reverse(func(m *member) *[]*member { return &m.Followers })
)

func memberName(m *member) string { return m.Name }

// TestSelfManyToMany loads a many-to-many relation of a table with
// itself, both ways and two levels deep, and filters by it.
func TestSelfManyToMany(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		if err := mapped.CreateAll(ctx, db, members.Table, follows.Table); err != nil {
			t.Fatal(err)
		}
		ann, bob, cy, dee := &member{Name: "Ann"}, &member{Name: "Bob"}, &member{Name: "Cy"}, &member{Name: "Dee"}
		insertMany(t, db, members.Table, []*member{ann, bob, cy, dee})
		// Ann follows Bob and Cy; Bob follows Ann; Cy follows Bob; Dee
		// follows nobody and nobody follows her.
		insertMany(t, db, follows.Table, []*follow{{ann.ID, bob.ID}, {ann.ID, cy.ID}, {bob.ID, ann.ID}, {cy.ID, bob.ID}})

		ms := repo.New(db, members.Table)
		all, err := ms.OrderBy(members.Name.Asc()).
			Load(memberFollowing.OrderBy(members.Name.Asc()).Then(memberFollowing.OrderBy(members.Name.Asc())),
				memberFollowers.OrderBy(members.Name.Asc())).
			All(ctx)
		must(t, "load", err)
		want := map[string][2][]string{
			"Ann": {{"Bob", "Cy"}, {"Bob"}},
			"Bob": {{"Ann"}, {"Ann", "Cy"}},
			"Cy":  {{"Bob"}, {"Ann"}},
			"Dee": {{}, {}},
		}
		for _, m := range all {
			wantNames(t, m.Name+" follows", names(m.Following, memberName), want[m.Name][0])
			wantNames(t, m.Name+"'s followers", names(m.Followers, memberName), want[m.Name][1])
		}
		// Two levels: whom Ann's followees follow.
		a := all[0]
		wantNames(t, "Bob (followed by Ann) follows", names(a.Following[0].Following, memberName), []string{"Ann"})
		wantNames(t, "Cy (followed by Ann) follows", names(a.Following[1].Following, memberName), []string{"Bob"})

		got, err := memberFollowers.Fetch(ctx, db, bob)
		must(t, "fetch", err)
		wantNames(t, "Bob's followers fetched", sortedNames(got), []string{"Ann", "Cy"})

		// Filtered by the relation: members followed by someone who
		// follows Cy.
		who, err := ms.Where(memberFollowers.Any(memberFollowing.Any(members.Name.Eq("Cy")))).
			OrderBy(members.Name.Asc()).All(ctx)
		must(t, "any", err)
		wantNames(t, "followed by a follower of Cy", names(who, memberName), []string{"Bob", "Cy"})
	})
}

func sortedNames(ms []*member) []string { return sorted(names(ms, memberName)) }
