package uow_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// Tests of a third adversarial review: the plan of a flush (Unit.Plan
// must change nothing, and a refused flush must leave the unit as it was)
// and the Back pointers a flush sets on the children it adopts.

// review3 runs body on every dialect with the golden tables (clubs,
// players, awards, skills and their links, accounts) and the staff table
// created and seeded as the golden units seed them: club 1 (Reds) with
// players 1 (Ann, award 1, skills 1 and 2) and 2 (Bo), club 2 (Blues)
// with player 3 (Cy), skills 1 to 3, account 1 (at version 2: updated
// once).
func review3(t *testing.T, body func(t *testing.T, db dialect.DB, rec *recorder)) {
	t.Helper()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		if err := testModel.CreateAll(ctx, db, clubs.Table, players.Table, awards.Table, skills.Table, playerSkills.Table,
			accounts.Table, staffs.Table); err != nil {
			t.Fatalf("CreateAll: %v", err)
		}
		seed(t, db, clubs.Table, &club{Name: "Reds", City: "Leeds"}, &club{Name: "Blues", City: "Hull"})
		seed(t, db, players.Table, &player{ClubID: 1, Name: "Ann", Number: 9}, &player{ClubID: 1, Name: "Bo", Number: 4},
			&player{ClubID: 2, Name: "Cy", Number: 7})
		seed(t, db, awards.Table, &award{PlayerID: 1, Title: "MVP"})
		seed(t, db, skills.Table, &skill{Name: "pass"}, &skill{Name: "shoot"}, &skill{Name: "tackle"})
		seed(t, db, playerSkills.Table, &playerSkill{PlayerID: 1, SkillID: 1}, &playerSkill{PlayerID: 1, SkillID: 2})
		acc := &account{Owner: "Ann", Balance: 100}
		seed(t, db, accounts.Table, acc)
		acc.Balance = 90
		if err := repo.New(db, accounts.Table).Update(ctx, acc); err != nil {
			t.Fatalf("update account: %v", err)
		}
		rec.reset()
		body(t, db, rec)
	})
}

// writeLog returns the INSERT, UPDATE and DELETE statements recorded since
// reset, with their arguments and errors, one a line.
func writeLog(rec *recorder) string {
	var b strings.Builder
	for _, w := range rec.writes() {
		fmt.Fprintf(&b, "%s %v", w.SQL, w.Args)
		if w.Err != nil {
			fmt.Fprintf(&b, " → %v", w.Err)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestReview3PlanKeepsKeyReuse: a loaded account is deleted and a new one
// added with its key, which a flush turns into an UPDATE of the stored row
// (Table.replace). Plan runs that replacement too, in planFlush's first
// loop, and drops what takes it back: after Plan the new row has been
// given the stored row's version (a field of a row changed by Plan), and
// Get of the key, repo.ErrNotFound for a row deleted in the unit, returns
// the new row as if it were loaded. Plan must change nothing.
func TestReview3PlanKeepsKeyReuse(t *testing.T) {
	t.Parallel()
	review3(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		u := begin(t, db)
		old, err := uow.Get(ctx, u, accounts.Table, int64(1))
		if err != nil {
			t.Fatal(err)
		}
		if old.Version == 0 {
			t.Fatalf("the account's version is 0: the test needs a version to copy")
		}
		if err := uow.Delete(u, accounts.Table, old); err != nil {
			t.Fatal(err)
		}
		fresh := &account{ID: old.ID, Owner: "Bo", Balance: 5}
		if err := uow.Add(u, accounts.Table, fresh); err != nil {
			t.Fatal(err)
		}
		before := *fresh
		text, err := u.Plan()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, "UPDATE account 1") {
			t.Errorf("plan:\n%s\nwant an UPDATE of account 1", text)
		}
		if !reflect.DeepEqual(*fresh, before) {
			t.Errorf("Plan changed the new row: %+v, was %+v", *fresh, before)
		}
		if got, err := uow.Get(ctx, u, accounts.Table, int64(1)); !errors.Is(err, repo.ErrNotFound) {
			t.Errorf("Get of the deleted key after Plan: %p (the new row is %p), %v; want repo.ErrNotFound as before Plan",
				got, fresh, err)
		}
	})
}

// TestReview3RefusedFlushKeepsKeyReuse: the same replacement of a deleted
// account by a new row with its key, in a unit whose flush is refused
// before sending anything (two new staff rows referencing each other).
// Flush says the unit stays usable and planFlush that the unit is as it
// was; but the replacement stays: the new row has the stored row's
// version and Get of the deleted key returns it.
func TestReview3RefusedFlushKeepsKeyReuse(t *testing.T) {
	t.Parallel()
	review3(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		u := begin(t, db)
		old, err := uow.Get(ctx, u, accounts.Table, int64(1))
		if err != nil {
			t.Fatal(err)
		}
		if err := uow.Delete(u, accounts.Table, old); err != nil {
			t.Fatal(err)
		}
		fresh := &account{ID: old.ID, Owner: "Bo", Balance: 5}
		if err := uow.Add(u, accounts.Table, fresh); err != nil {
			t.Fatal(err)
		}
		a, b := &staff{Name: "a"}, &staff{Name: "b"}
		a.Boss, b.Boss = b, a
		if err := uow.Add(u, staffs.Table, a); err != nil {
			t.Fatal(err)
		}
		before := *fresh
		if err := u.Flush(ctx); err == nil || !strings.Contains(err.Error(), "cycle") {
			t.Fatalf("Flush: %v, want the cycle refused", err)
		}
		if !reflect.DeepEqual(*fresh, before) {
			t.Errorf("the refused flush changed the new row: %+v, was %+v", *fresh, before)
		}
		if _, err := uow.Get(ctx, u, accounts.Table, int64(1)); !errors.Is(err, repo.ErrNotFound) {
			t.Errorf("Get of the deleted key after the refused flush: %v; want repo.ErrNotFound as before", err)
		}
	})
}

// reachedReplacement is a unit on the golden rows in which player 2 (Bo)
// is deleted and a new row with key 2 is put in the Reds' loaded
// collection instead: the flush would turn it into an UPDATE of player 2
// (replaceReached). It returns the Reds and the new row.
func reachedReplacement(t *testing.T, ctx context.Context, u *uow.Unit, db dialect.DB) (*club, *player) {
	t.Helper()
	found, err := uow.Find(ctx, u, repo.New(db, clubs.Table).Load(clubPlayers.OrderBy(players.ID.Asc())).Where(clubs.ID.Eq(1)))
	if err != nil || len(found) != 1 || len(found[0].Players) != 2 {
		t.Fatalf("Find: %v", err)
	}
	reds := found[0]
	bo := reds.Players[1]
	if err := uow.Delete(u, players.Table, bo); err != nil {
		t.Fatal(err)
	}
	bob := &player{ID: bo.ID, Name: "Bob", Number: 5}
	reds.Players = []*player{reds.Players[0], bob}
	return reds, bob
}

// TestReview3PlanAddsReachedReplacement: Plan makes the plan of the
// flush, in which the new player 2 of the Reds' collection replaces the
// deleted one. What Plan takes back afterwards (replace's undo, run after
// the unscheduling of what discover reached) puts the new row in the
// table's rows to insert, as if it had been given to Add, though only the
// collection held it. So when the new row is taken out of the collection
// after Plan, the flush still writes it (an UPDATE of player 2 to the new
// row's values, with club_id 0) instead of deleting player 2, which the
// same unit without Plan does.
func TestReview3PlanAddsReachedReplacement(t *testing.T) {
	t.Parallel()
	review3(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		run := func(plan bool) string {
			u := begin(t, db)
			defer func() { _ = u.Rollback(ctx) }()
			reds, bob := reachedReplacement(t, ctx, u, db)
			if plan {
				text, err := u.Plan()
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(text, "UPDATE player 2") {
					t.Errorf("plan:\n%s\nwant an UPDATE of player 2", text)
				}
			}
			reds.Players = reds.Players[:1]
			_ = bob
			rec.reset()
			_ = u.Flush(ctx)
			return writeLog(rec)
		}
		without, with := run(false), run(true)
		if with != without {
			t.Errorf("flush after Plan sent:\n%s\nthe same flush without Plan:\n%s", with, without)
		}
	})
}

// TestReview3RefusedFlushAddsReachedReplacement: the same as
// TestReview3PlanAddsReachedReplacement, where the flush refused before
// sending anything (a cycle among new staff rows) takes the place of
// Plan: it leaves the row that only the collection held scheduled for
// insertion.
func TestReview3RefusedFlushAddsReachedReplacement(t *testing.T) {
	t.Parallel()
	review3(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		run := func(refused bool) string {
			u := begin(t, db)
			defer func() { _ = u.Rollback(ctx) }()
			reds, _ := reachedReplacement(t, ctx, u, db)
			if refused {
				a, b := &staff{Name: "a"}, &staff{Name: "b"}
				a.Boss, b.Boss = b, a
				if err := uow.Add(u, staffs.Table, a); err != nil {
					t.Fatal(err)
				}
				if err := u.Flush(ctx); err == nil || !strings.Contains(err.Error(), "cycle") {
					t.Fatalf("Flush: %v, want the cycle refused", err)
				}
				b.Boss = nil
			}
			reds.Players = reds.Players[:1]
			rec.reset()
			_ = u.Flush(ctx)
			var out []string
			for _, line := range strings.Split(writeLog(rec), "\n") {
				if table(line) != "staff" {
					out = append(out, line)
				}
			}
			return strings.Join(out, "\n")
		}
		without, with := run(false), run(true)
		if with != without {
			t.Errorf("flush after a refused flush sent (staff left out):\n%s\nthe same flush without the refusal:\n%s", with, without)
		}
	})
}

// backModel is r2's artists and tracks, owned through a relation whose
// Back pointer a flush sets.
var backModel = model.MustNew(model.Tables(r2Artists, r2Tracks), uow.Owns(r2ArtistTracks))

// backUnit runs body on every dialect in a unit on artists a and b, with
// track "song" of a, loaded with their collections.
func backUnit(t *testing.T, body func(t *testing.T, db dialect.DB, u *uow.Unit, a, b *r2Artist)) {
	t.Helper()
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		db := backModel.Bind(raw)
		if err := backModel.CreateAll(ctx, db); err != nil {
			t.Fatal(err)
		}
		if err := repo.New(db, r2Artists.Table).InsertMany(ctx, []*r2Artist{{Name: "a"}, {Name: "b"}}); err != nil {
			t.Fatal(err)
		}
		if err := repo.New(db, r2Tracks.Table).Insert(ctx, &r2Track{ArtistID: 1, Name: "song"}); err != nil {
			t.Fatal(err)
		}
		u := begin(t, db)
		as, err := uow.Find(ctx, u, repo.New(db, r2Artists.Table).OrderBy(r2Artists.ID.Asc()).Load(r2ArtistTracks))
		if err != nil || len(as) != 2 || len(as[0].Tracks) != 1 {
			t.Fatalf("Find: %v", err)
		}
		body(t, db, u, as[0], as[1])
	})
}

// TestReview3BackNamesOtherParent: the loaded track of a, still in a's
// collection, is pointed at b through its Back pointer, which Follow says
// counts as b's claim. a's collection claims it too, through the same
// foreign key; the unit refuses a child claimed by two parents, but here
// the flush moves the track to b silently, leaving it in a's collection.
func TestReview3BackNamesOtherParent(t *testing.T) {
	t.Parallel()
	backUnit(t, func(t *testing.T, db dialect.DB, u *uow.Unit, a, b *r2Artist) {
		ctx := context.Background()
		song := a.Tracks[0]
		song.Artist = b
		err := u.Flush(ctx)
		if err == nil || !strings.Contains(err.Error(), "claimed by two") {
			t.Errorf("Flush of a track in a's collection whose Back names b: %v (artist_id %d, a is %d, b is %d, a's collection holds it: %v); want it refused as claimed by two artists",
				err, song.ArtistID, a.ID, b.ID, len(a.Tracks) == 1 && a.Tracks[0] == song)
		}
	})
}

// TestReview3ChildInTwoLoadedCollections: the loaded track of a is put in
// b's loaded collection too, without being taken out of a's. Two parents
// hold it through one foreign key, which the unit says it refuses; the
// flush moves it to b and points its Back at b, while a's collection
// still holds it.
func TestReview3ChildInTwoLoadedCollections(t *testing.T) {
	t.Parallel()
	backUnit(t, func(t *testing.T, db dialect.DB, u *uow.Unit, a, b *r2Artist) {
		ctx := context.Background()
		song := a.Tracks[0]
		b.Tracks = append(b.Tracks, song)
		err := u.Flush(ctx)
		if err == nil || !strings.Contains(err.Error(), "claimed by two") {
			t.Errorf("Flush of a track in the collections of a and b: %v (artist_id %d, Back names %q); want it refused as claimed by two artists",
				err, song.ArtistID, song.Artist.Name)
		}
	})
}

// planCase is a unit's work for TestReview3PlanChangesNothing: it returns
// the rows whose fields Plan must leave as they are.
type planCase struct {
	name string
	work func(t *testing.T, ctx context.Context, u *uow.Unit, db dialect.DB) []any
	// refused is the text of the error Flush (and Plan) refuse it with.
	refused string
}

// fieldsOf copies the structs rows point to.
func fieldsOf(rows []any) []any {
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = reflect.ValueOf(r).Elem().Interface()
	}
	return out
}

// TestReview3PlanChangesNothing: for each case, Plan leaves every row's
// fields as they were and a second Plan prints the same; the flush after
// it sends the statements the same flush sends without Plan; a case
// refused is refused by Plan with Flush's error. (These cases hold.)
func TestReview3PlanChangesNothing(t *testing.T) {
	t.Parallel()
	cases := []planCase{
		{name: "orphan deleted", work: func(t *testing.T, ctx context.Context, u *uow.Unit, db dialect.DB) []any {
			found, err := uow.Find(ctx, u, repo.New(db, clubs.Table).Load(clubPlayers.OrderBy(players.ID.Asc())).Where(clubs.ID.Eq(1)))
			if err != nil {
				t.Fatal(err)
			}
			reds := found[0]
			rows := []any{reds, reds.Players[0], reds.Players[1]}
			reds.Players = reds.Players[:1]
			return rows
		}},
		{name: "orphan released, pointer set to nil", work: func(t *testing.T, ctx context.Context, u *uow.Unit, db dialect.DB) []any {
			found, err := uow.Find(ctx, u, repo.New(db, staffs.Table).Load(staffTeam.OrderBy(staffs.ID.Asc())).Where(staffs.Name.Eq("boss")))
			if err != nil || len(found) != 1 || len(found[0].Reports) != 2 {
				t.Fatalf("Find boss: %v", err)
			}
			boss := found[0]
			r1, r2 := boss.Reports[0], boss.Reports[1]
			boss.Reports = boss.Reports[1:]
			low, err := uow.Find(ctx, u, repo.New(db, staffs.Table).Load(staffBoss).Where(staffs.Name.Eq("low")))
			if err != nil || len(low) != 1 || low[0].Boss != r2 {
				t.Fatalf("Find low: %v", err)
			}
			low[0].Boss = nil
			return []any{boss, r1, r2, low[0]}
		}},
		{name: "key reuse", work: func(t *testing.T, ctx context.Context, u *uow.Unit, db dialect.DB) []any {
			tackle, err := uow.Get(ctx, u, skills.Table, int64(3))
			if err != nil {
				t.Fatal(err)
			}
			if err := uow.Delete(u, skills.Table, tackle); err != nil {
				t.Fatal(err)
			}
			dribble := &skill{ID: 3, Name: "dribble"}
			if err := uow.Add(u, skills.Table, dribble); err != nil {
				t.Fatal(err)
			}
			return []any{tackle, dribble}
		}},
		{name: "many-to-many, collection not loaded", work: func(t *testing.T, ctx context.Context, u *uow.Unit, db dialect.DB) []any {
			ann, err := uow.Get(ctx, u, players.Table, int64(1))
			if err != nil {
				t.Fatal(err)
			}
			pass, err := uow.Get(ctx, u, skills.Table, int64(1))
			if err != nil {
				t.Fatal(err)
			}
			head := &skill{Name: "head"}
			ann.Skills = []*skill{pass, head}
			return []any{ann, pass, head}
		}},
		{name: "many-to-many, loaded", work: func(t *testing.T, ctx context.Context, u *uow.Unit, db dialect.DB) []any {
			found, err := uow.Find(ctx, u, repo.New(db, players.Table).Load(playerSkillSet.OrderBy(skills.ID.Asc())).Where(players.ID.Eq(1)))
			if err != nil {
				t.Fatal(err)
			}
			ann := found[0]
			head := &skill{Name: "head"}
			ann.Skills = []*skill{ann.Skills[1], head}
			return []any{ann, head}
		}},
		{name: "cascade", work: func(t *testing.T, ctx context.Context, u *uow.Unit, db dialect.DB) []any {
			all, err := uow.Find(ctx, u, repo.New(db, players.Table).OrderBy(players.ID.Asc()))
			if err != nil {
				t.Fatal(err)
			}
			blues, err := uow.Get(ctx, u, clubs.Table, int64(2))
			if err != nil {
				t.Fatal(err)
			}
			if err := uow.Delete(u, clubs.Table, blues); err != nil {
				t.Fatal(err)
			}
			all[0].Number = 99
			return []any{blues, all[0], all[2]}
		}},
		{name: "reparent to a new club, self-reference", work: func(t *testing.T, ctx context.Context, u *uow.Unit, db dialect.DB) []any {
			found, err := uow.Find(ctx, u, repo.New(db, clubs.Table).Load(clubPlayers.OrderBy(players.ID.Asc())).Where(clubs.ID.Eq(1)))
			if err != nil {
				t.Fatal(err)
			}
			reds := found[0]
			ann := reds.Players[0]
			golds := &club{Name: "Golds", City: "Ely", Players: []*player{ann}}
			reds.Players = reds.Players[1:]
			if err := uow.Add(u, clubs.Table, golds); err != nil {
				t.Fatal(err)
			}
			boss, err := uow.Find(ctx, u, repo.New(db, staffs.Table).Where(staffs.Name.Eq("boss")))
			if err != nil {
				t.Fatal(err)
			}
			mid := &staff{Name: "mid", Boss: boss[0]}
			leaf := &staff{Name: "leaf", Boss: mid}
			if err := uow.Add(u, staffs.Table, leaf); err != nil {
				t.Fatal(err)
			}
			return []any{reds, ann, golds, boss[0], mid, leaf}
		}},
		{name: "cycle", refused: "cycle", work: func(t *testing.T, ctx context.Context, u *uow.Unit, db dialect.DB) []any {
			ann, err := uow.Get(ctx, u, players.Table, int64(1))
			if err != nil {
				t.Fatal(err)
			}
			ann.Name = "Anna"
			a, b := &staff{Name: "a"}, &staff{Name: "b"}
			a.Boss, b.Boss = b, a
			if err := uow.Add(u, staffs.Table, a); err != nil {
				t.Fatal(err)
			}
			return []any{ann, a, b}
		}},
	}
	review3(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		low := &staff{Name: "low"}
		boss := &staff{Name: "boss", Reports: []*staff{{Name: "r1"}, {Name: "r2", Reports: []*staff{low}}}}
		if err := uow.Run(ctx, db, func(u *uow.Unit) error { return uow.Add(u, staffs.Table, boss) }); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			run := func(plan bool) (string, error) {
				u := begin(t, db)
				defer func() { _ = u.Rollback(ctx) }()
				rows := c.work(t, ctx, u, db)
				var perr error
				if plan {
					before := fieldsOf(rows)
					var first string
					first, perr = u.Plan()
					if after := fieldsOf(rows); !reflect.DeepEqual(before, after) {
						t.Errorf("%s: Plan changed rows:\n%+v\nwere\n%+v", c.name, after, before)
					}
					again, perr2 := u.Plan()
					if again != first || fmt.Sprint(perr) != fmt.Sprint(perr2) {
						t.Errorf("%s: second Plan %q (%v), first %q (%v)", c.name, again, perr2, first, perr)
					}
				}
				rec.reset()
				err := u.Flush(ctx)
				if plan && fmt.Sprint(perr) != fmt.Sprint(err) {
					t.Errorf("%s: Plan's error %v, Flush's %v", c.name, perr, err)
				}
				var sqls []string
				for _, w := range rec.writes() {
					sqls = append(sqls, w.SQL)
				}
				return strings.Join(sqls, "\n"), err
			}
			without, werr := run(false)
			with, err := run(true)
			switch {
			case c.refused != "":
				if werr == nil || err == nil || !strings.Contains(werr.Error(), c.refused) || werr.Error() != err.Error() {
					t.Errorf("%s: Flush %v; after Plan %v; want both refused alike", c.name, werr, err)
				}
			case werr != nil || err != nil:
				t.Errorf("%s: Flush %v; after Plan %v", c.name, werr, err)
			case with != without:
				t.Errorf("%s: flush after Plan sent\n%s\nwithout Plan\n%s", c.name, with, without)
			case with == "":
				t.Errorf("%s: the flush sent nothing", c.name)
			}
		}
	})
}

// TestReview3RollbackRestoresBackNotKey: a's loaded track is moved to the
// collection of a new artist c and flushed: c's INSERT gives it a key,
// the track's UPDATE sets its artist_id to it, and its Back pointer is
// set to c. The review found Rollback putting the Back pointer back (a)
// but leaving the artist_id at c's key. Now a loaded row keeps both, as it
// keeps every change made to it (Rollback forgets rows; they are to be
// loaded again), so they agree; Nested, on the same failure, puts both
// back.
func TestReview3RollbackRestoresBackNotKey(t *testing.T) {
	t.Parallel()
	backUnit(t, func(t *testing.T, db dialect.DB, u *uow.Unit, a, b *r2Artist) {
		ctx := context.Background()
		song := a.Tracks[0]
		c := &r2Artist{Name: "c", Tracks: []*r2Track{song}}
		a.Tracks = a.Tracks[:0]
		if err := uow.Add(u, r2Artists.Table, c); err != nil {
			t.Fatal(err)
		}
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if song.Artist != c || song.ArtistID != c.ID || c.ID == 0 {
			t.Fatalf("after the flush: Back %v, artist_id %d, c's key %d", song.Artist, song.ArtistID, c.ID)
		}
		if err := u.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
		if song.Artist != c || song.ArtistID == a.ID {
			t.Errorf("after Rollback the loaded track's Back pointer is %v and its artist_id %d; want both still c's, as the flush left them",
				song.Artist, song.ArtistID)
		}
	})
}

// TestReview3DeleteOnlyPlanReadsBack: the plan of a flush that deletes a
// row no table references (an account) ends with "then: read back the
// loaded rows cascades may have deleted or changed", which the flush does
// not do: it sends the DELETE and nothing else. (uow_optimistic_lock_stale.plan
// records the same line.)
func TestReview3DeleteOnlyPlanReadsBack(t *testing.T) {
	t.Parallel()
	review3(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		u := begin(t, db)
		acc, err := uow.Get(ctx, u, accounts.Table, int64(1))
		if err != nil {
			t.Fatal(err)
		}
		if err := uow.Delete(u, accounts.Table, acc); err != nil {
			t.Fatal(err)
		}
		text, err := u.Plan()
		if err != nil {
			t.Fatal(err)
		}
		rec.reset()
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		sent := rec.statements()
		if strings.Contains(text, "then: read back") && len(sent) == 1 {
			t.Errorf("plan:\n%s\nsays the flush reads rows back; it sent only %q", text, sent)
		}
	})
}

// r3Emp is an employee, whose manager is an employee too: a
// self-referential one-to-many relation with a Back pointer.
type r3Emp struct {
	ID        int64
	Name      string
	ManagerID *int64
	Manager   *r3Emp
	Reports   []*r3Emp
}

type r3EmpTable struct {
	*mapped.Table[r3Emp]
	ID        mapped.Column[r3Emp, int64]
	Name      mapped.Column[r3Emp, string]
	ManagerID mapped.NullableColumn[r3Emp, int64]
}

var r3Emps = mapped.Define("r3_emp", func(t *mapped.Table[r3Emp], e *r3Emp) r3EmpTable {
	et := r3EmpTable{Table: t, ID: mapped.PrimaryKey(t, &e.ID), Name: mapped.Col(t, &e.Name)}
	et.ManagerID = mapped.NullableForeignKey(t, &e.ManagerID, et.ID)
	return et
})

var r3EmpReports = relation.HasManyNullable(r3Emps.ManagerID, func(e *r3Emp) *[]*r3Emp { return &e.Reports }).
	Back(func(e *r3Emp) **r3Emp { return &e.Manager })

var r3EmpModel = model.MustNew(model.Tables(r3Emps), uow.Follow(r3EmpReports))

// TestReview3SelfReferenceBack: employees and managers. New reports put in
// a loaded manager's collection (one with a new report of her own) get
// their Manager pointers, and a rollback takes them back (this holds).
// Then a and b swap: b, a's report, becomes a's manager, a's collection
// emptied. The flush sets a's manager_id and Manager to b and releases b
// (manager_id NULL), but b's Manager pointer still names a: a released
// child keeps the Back pointer to the parent it left, where
// back_populates clears it.
func TestReview3SelfReferenceBack(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		db := r3EmpModel.Bind(raw)
		if err := r3EmpModel.CreateAll(ctx, db); err != nil {
			t.Fatal(err)
		}
		a := &r3Emp{Name: "a", Reports: []*r3Emp{{Name: "b"}}}
		if err := uow.Run(ctx, db, func(u *uow.Unit) error { return uow.Add(u, r3Emps.Table, a) }); err != nil {
			t.Fatal(err)
		}
		load := func(u *uow.Unit) (*r3Emp, *r3Emp) {
			t.Helper()
			es, err := uow.Find(ctx, u, repo.New(db, r3Emps.Table).OrderBy(r3Emps.ID.Asc()).Load(r3EmpReports))
			if err != nil || len(es) != 2 || len(es[0].Reports) != 1 || es[0].Reports[0] != es[1] || es[1].Manager != es[0] {
				t.Fatalf("Find: %v", err)
			}
			return es[0], es[1]
		}

		u := begin(t, db)
		la, lb := load(u)
		c := &r3Emp{Name: "c"}
		d := &r3Emp{Name: "d", Reports: []*r3Emp{c}}
		lb.Reports = append(lb.Reports, d)
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if d.Manager != lb || c.Manager != d || *d.ManagerID != lb.ID || *c.ManagerID != d.ID {
			t.Errorf("new reports: d's Manager %v, c's %v", d.Manager, c.Manager)
		}
		if err := u.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
		if d.Manager != nil || c.Manager != nil || d.ID != 0 || c.ID != 0 || d.ManagerID != nil || c.ManagerID != nil {
			t.Errorf("after Rollback: d %+v, c %+v; want the flush's keys and pointers cleared", d, c)
		}
		_ = la

		u = begin(t, db)
		la, lb = load(u)
		la.Reports = []*r3Emp{}
		lb.Reports = append(lb.Reports, la)
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if la.Manager != lb || la.ManagerID == nil || *la.ManagerID != lb.ID {
			t.Errorf("a after the swap: manager_id %v, Manager %v; want b", la.ManagerID, la.Manager)
		}
		if lb.ManagerID != nil {
			t.Errorf("b after the swap: manager_id %d, want NULL", *lb.ManagerID)
		}
		if lb.Manager != nil {
			t.Errorf("b, released from a's collection (manager_id NULL), still has Manager %q: its Back pointer names the parent it left", lb.Manager.Name)
		}
		if err := u.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// TestReview3BackAfterNestedAndRetry: Back pointers set by flushes that
// are taken back. A loaded track moved to b inside a nested unit that
// fails gets its Back pointer and artist_id back, after a track moved
// twice by two flushes; and a new track given to Run's function from
// outside, flushed in an attempt that fails with a retryable error, is
// written by the next attempt with its Back pointer at that attempt's
// artist. (These hold.)
func TestReview3BackAfterNestedAndRetry(t *testing.T) {
	t.Parallel()
	backUnit(t, func(t *testing.T, db dialect.DB, u *uow.Unit, a, b *r2Artist) {
		ctx := context.Background()
		song := a.Tracks[0]
		a.Tracks, b.Tracks = a.Tracks[:0], append(b.Tracks, song)
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		refused := errors.New("refused")
		err := u.Nested(ctx, func(u *uow.Unit) error {
			b.Tracks, a.Tracks = b.Tracks[:0], append(a.Tracks, song)
			if err := u.Flush(ctx); err != nil {
				return err
			}
			if song.Artist != a || song.ArtistID != a.ID {
				t.Errorf("moved back to a inside Nested: Back %v, artist_id %d", song.Artist, song.ArtistID)
			}
			return refused
		})
		if !errors.Is(err, refused) {
			t.Fatalf("Nested: %v", err)
		}
		if song.Artist != b || song.ArtistID != b.ID {
			t.Errorf("after the failed Nested: Back %q, artist_id %d; want b (%d) as before it", song.Artist.Name, song.ArtistID, b.ID)
		}
		if err := u.Commit(ctx); err != nil {
			t.Fatal(err)
		}

		tr := &r2Track{Name: "retried"}
		attempts := 0
		var last *r2Artist
		err = uow.Run(ctx, db, func(u *uow.Unit) error {
			attempts++
			ua, err := uow.Get(ctx, u, r2Artists.Table, a.ID)
			if err != nil {
				return err
			}
			last = ua
			ua.Tracks = append(ua.Tracks, tr)
			if err := u.Flush(ctx); err != nil {
				return err
			}
			if attempts == 1 {
				return fmt.Errorf("conflict: %w", dialect.ErrRetryable)
			}
			return nil
		}, uow.Retry(2, 0))
		if err != nil || attempts != 2 {
			t.Fatalf("Run: %v after %d attempts", err, attempts)
		}
		if tr.Artist != last || tr.ArtistID != a.ID || tr.ID == 0 {
			t.Errorf("retried track: Back %p (last attempt's artist %p), artist_id %d, key %d", tr.Artist, last, tr.ArtistID, tr.ID)
		}
		if n := count(t, db, r2Tracks.Table); n != 2 {
			t.Errorf("%d tracks stored, want 2", n)
		}
	})
}
