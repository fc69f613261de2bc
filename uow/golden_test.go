package uow_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/golden"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// TestMain checks, after the tests, that every golden file is still used.
func TestMain(m *testing.M) { golden.Main(m) }

// The golden scenarios below record what a unit of work sends, from its
// BEGIN to its COMMIT, with the statements' arguments, on every dialect,
// and compare it with testdata/golden/<case>.<dialect>.sql (go test
// -update rewrites them). Their tables are their own, with relations that
// testModel follows for every unit on a handle bound to it: a club's
// players (deleted with it, and when taken out of its collection), a
// player's awards (deleted with the player), a player's skills
// (many-to-many), and a versioned account.

type club struct {
	ID      int64
	Name    string
	City    string
	Players []*player
}

type player struct {
	ID     int64
	ClubID int64
	Name   string
	Number int
	Awards []*award
	Skills []*skill
}

type award struct {
	ID       int64
	PlayerID int64
	Title    string
}

type skill struct {
	ID   int64
	Name string
}

type playerSkill struct {
	PlayerID int64
	SkillID  int64
}

type account struct {
	ID      int64
	Owner   string
	Balance int64
	Version int64
}

type clubTable struct {
	*mapped.Table[club]
	ID   mapped.Column[club, int64]
	Name mapped.TextColumn[club, string]
	City mapped.TextColumn[club, string]
}

type playerTable struct {
	*mapped.Table[player]
	ID     mapped.Column[player, int64]
	ClubID mapped.Column[player, int64]
	Name   mapped.TextColumn[player, string]
	Number mapped.Column[player, int]
}

type awardTable struct {
	*mapped.Table[award]
	ID       mapped.Column[award, int64]
	PlayerID mapped.Column[award, int64]
	Title    mapped.TextColumn[award, string]
}

type skillTable struct {
	*mapped.Table[skill]
	ID   mapped.Column[skill, int64]
	Name mapped.TextColumn[skill, string]
}

type playerSkillTable struct {
	*mapped.Table[playerSkill]
	PlayerID mapped.Column[playerSkill, int64]
	SkillID  mapped.Column[playerSkill, int64]
}

type accountTable struct {
	*mapped.Table[account]
	ID      mapped.Column[account, int64]
	Owner   mapped.TextColumn[account, string]
	Balance mapped.Column[account, int64]
	Version mapped.Column[account, int64]
}

var (
	clubs = mapped.Define("club", func(t *mapped.Table[club], c *club) clubTable {
		return clubTable{Table: t, ID: mapped.PrimaryKey(t, &c.ID),
			Name: mapped.Text(t, &c.Name, mapped.Unique()), City: mapped.Text(t, &c.City)}
	})
	players = mapped.Define("player", func(t *mapped.Table[player], p *player) playerTable {
		return playerTable{Table: t, ID: mapped.PrimaryKey(t, &p.ID),
			ClubID: mapped.ForeignKey(t, &p.ClubID, clubs.ID),
			Name:   mapped.Text(t, &p.Name), Number: mapped.Col(t, &p.Number)}
	})
	awards = mapped.Define("award", func(t *mapped.Table[award], a *award) awardTable {
		return awardTable{Table: t, ID: mapped.PrimaryKey(t, &a.ID),
			PlayerID: mapped.ForeignKey(t, &a.PlayerID, players.ID), Title: mapped.Text(t, &a.Title)}
	})
	skills = mapped.Define("skill", func(t *mapped.Table[skill], s *skill) skillTable {
		return skillTable{Table: t, ID: mapped.PrimaryKey(t, &s.ID), Name: mapped.Text(t, &s.Name, mapped.Unique())}
	})
	playerSkills = mapped.Define("player_skill", func(t *mapped.Table[playerSkill], l *playerSkill) playerSkillTable {
		return playerSkillTable{Table: t,
			PlayerID: mapped.ForeignKey(t, &l.PlayerID, players.ID, mapped.InPrimaryKey()),
			SkillID:  mapped.ForeignKey(t, &l.SkillID, skills.ID, mapped.InPrimaryKey())}
	})
	accounts = mapped.Define("account", func(t *mapped.Table[account], a *account) accountTable {
		return accountTable{Table: t, ID: mapped.PrimaryKey(t, &a.ID), Owner: mapped.Text(t, &a.Owner),
			Balance: mapped.Col(t, &a.Balance), Version: mapped.Col(t, &a.Version, mapped.Version())}
	})

	// testModel follows these three, deletes a club's players with it
	// (and a player taken out of its club's collection), a player's
	// awards and skill links with the player.
	clubPlayers    = relation.HasMany(players.ClubID, func(c *club) *[]*player { return &c.Players })
	playerAwards   = relation.HasMany(awards.PlayerID, func(p *player) *[]*award { return &p.Awards })
	playerSkillSet = relation.ManyToManyThrough(playerSkills.PlayerID, playerSkills.SkillID, func(p *player) *[]*skill { return &p.Skills })
)

// goldenUnits is a database with the golden models' tables and rows: club
// 1 (Reds) with players 1 (Ann, an award, skills 1 and 2) and 2 (Bo), club
// 2 (Blues) with player 3 (Cy), skills 1 to 3, account 1.
type goldenUnits struct {
	t   *testing.T
	db  dialect.DB // recorded
	rec *golden.Recorder
}

func newGoldenUnits(t *testing.T, db dialect.DB) *goldenUnits {
	t.Helper()
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
	seed(t, db, accounts.Table, &account{Owner: "Ann", Balance: 100})
	// Bind the recording wrapper, so that the units begun on it follow
	// and cascade: a wrapper of a bound handle carries no model. (Binding
	// db under it instead would also make SQLite's wrapper a
	// dialect.Batcher, since a bound handle is always one, and record its
	// statements as batches.)
	rdb, rec := golden.Record(db)
	return &goldenUnits{t: t, db: testModel.Bind(rdb), rec: rec}
}

// errRolledBack is returned by a case that rolled its unit back itself.
var errRolledBack = errors.New("rolled back")

// unit runs one case: fn works in a unit begun on the recorded database,
// which is committed when fn returns nil (rolled back on another error,
// failing the test, unless it is errRolledBack), and everything sent from BEGIN to COMMIT is compared with the
// golden file of name.
func (g *goldenUnits) unit(name string, fn func(ctx context.Context, u *uow.Unit) error) {
	g.t.Helper()
	ctx := context.Background()
	g.rec.Reset()
	u, err := uow.Begin(ctx, g.db)
	if err != nil {
		g.t.Fatalf("%s: Begin: %v", name, err)
	}
	switch err := fn(ctx, u); {
	case errors.Is(err, errRolledBack):
	case err != nil:
		g.t.Errorf("%s: %v", name, err)
		_ = u.Rollback(ctx)
	default:
		g.plan(name, u)
		if err := u.Commit(ctx); err != nil {
			g.t.Errorf("%s: Commit: %v", name, err)
		}
	}
	g.rec.Check(g.t, name, g.db.Dialect().Name())
}

// plan compares the plan of u's next flush, when it sends anything, with
// testdata/golden/<name>.plan, the same on every dialect; a case whose
// flush sends nothing has no such file.
func (g *goldenUnits) plan(name string, u *uow.Unit) {
	g.t.Helper()
	text, err := u.Plan()
	if err != nil {
		g.t.Errorf("%s: Plan: %v", name, err)
		return
	}
	if text != "" {
		golden.CheckFile(g.t, name+".plan", text)
	}
}

func goldenUnitCases(t *testing.T, cases func(g *goldenUnits)) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		cases(newGoldenUnits(t, db))
	})
}

func TestGoldenUnitRead(t *testing.T) {
	t.Parallel()
	goldenUnitCases(t, func(g *goldenUnits) {
		// Get of a row already loaded sends nothing.
		g.unit("uow_get", func(ctx context.Context, u *uow.Unit) error {
			if _, err := uow.Get(ctx, u, clubs.Table, int64(1)); err != nil {
				return err
			}
			_, err := uow.Get(ctx, u, clubs.Table, int64(1))
			return err
		})
		g.unit("uow_find", func(ctx context.Context, u *uow.Unit) error {
			_, err := uow.Find(ctx, u, repo.New(g.db, players.Table).Where(players.ClubID.Eq(1)).OrderBy(players.ID.Asc()))
			return err
		})
		g.unit("uow_find_load", func(ctx context.Context, u *uow.Unit) error {
			_, err := uow.Find(ctx, u, repo.New(g.db, clubs.Table).Load(clubPlayers.Then(playerSkillSet)).OrderBy(clubs.ID.Asc()))
			return err
		})
	})
}

func TestGoldenUnitWrite(t *testing.T) {
	t.Parallel()
	goldenUnitCases(t, func(g *goldenUnits) {
		// A new club, its new players and their new award: three rounds
		// of INSERTs, each waiting for the keys of the one before.
		g.unit("uow_insert_rounds", func(ctx context.Context, u *uow.Unit) error {
			return uow.Add(u, clubs.Table, &club{Name: "Greens", City: "York", Players: []*player{
				{Name: "Di", Number: 1, Awards: []*award{{Title: "Rookie"}}},
				{Name: "Ed", Number: 2},
			}})
		})
		// Only the columns that changed are written.
		g.unit("uow_update_changed", func(ctx context.Context, u *uow.Unit) error {
			ann, err := uow.Get(ctx, u, players.Table, int64(1))
			if err != nil {
				return err
			}
			bo, err := uow.Get(ctx, u, players.Table, int64(2))
			if err != nil {
				return err
			}
			ann.Number = 10
			bo.Name, bo.Number = "Bob", 5
			return nil
		})
		// Inserts, updates and deletes of one flush.
		g.unit("uow_mixed", func(ctx context.Context, u *uow.Unit) error {
			reds, err := uow.Get(ctx, u, clubs.Table, int64(1))
			if err != nil {
				return err
			}
			mvp, err := uow.Get(ctx, u, awards.Table, int64(1))
			if err != nil {
				return err
			}
			reds.City = "Leeds United"
			if err := uow.Add(u, players.Table, &player{ClubID: reds.ID, Name: "Fi", Number: 3}); err != nil {
				return err
			}
			return uow.Delete(u, awards.Table, mvp)
		})
		g.unit("uow_nested", func(ctx context.Context, u *uow.Unit) error {
			if err := uow.Add(u, clubs.Table, &club{Name: "Whites", City: "Bath"}); err != nil {
				return err
			}
			err := u.Nested(ctx, func(u *uow.Unit) error {
				return uow.Add(u, clubs.Table, &club{Name: "Golds", City: "Ely"})
			})
			if err != nil {
				return err
			}
			// A nested unit whose flush fails goes back to its savepoint.
			err = u.Nested(ctx, func(u *uow.Unit) error {
				return uow.Add(u, clubs.Table, &club{Name: "Reds", City: "again"})
			})
			if !errors.Is(err, dialect.ErrUnique) {
				return fmt.Errorf("nested unit adding a duplicate: got %v, want ErrUnique", err)
			}
			return nil
		})
	})
}

func TestGoldenUnitGraph(t *testing.T) {
	t.Parallel()
	goldenUnitCases(t, func(g *goldenUnits) {
		// Ann loses skill 1, keeps 2, gains 3 and a new one.
		g.unit("uow_many_to_many", func(ctx context.Context, u *uow.Unit) error {
			found, err := uow.Find(ctx, u, repo.New(g.db, players.Table).Load(playerSkillSet.OrderBy(skills.ID.Asc())).
				Where(players.ID.Eq(1)))
			if err != nil {
				return err
			}
			tackle, err := uow.Get(ctx, u, skills.Table, int64(3))
			if err != nil {
				return err
			}
			ann := found[0]
			ann.Skills = []*skill{ann.Skills[1], tackle, {Name: "head"}}
			return nil
		})
		// Bo, taken out of the Reds' collection, is an orphan: deleted.
		g.unit("uow_orphan", func(ctx context.Context, u *uow.Unit) error {
			found, err := uow.Find(ctx, u, repo.New(g.db, clubs.Table).Load(clubPlayers.OrderBy(players.ID.Asc())).
				Where(clubs.ID.Eq(1)))
			if err != nil {
				return err
			}
			reds := found[0]
			reds.Players = reds.Players[:1]
			return nil
		})
		// Deleting the Blues deletes their players through the cascade;
		// then the unit reads back the keys of the players it holds.
		g.unit("uow_delete_cascade", func(ctx context.Context, u *uow.Unit) error {
			if _, err := uow.Find(ctx, u, repo.New(g.db, players.Table).OrderBy(players.ID.Asc())); err != nil {
				return err
			}
			blues, err := uow.Get(ctx, u, clubs.Table, int64(2))
			if err != nil {
				return err
			}
			return uow.Delete(u, clubs.Table, blues)
		})
		// Ann moves from the Reds' collection to that of a new club: its
		// INSERT, then one UPDATE of her club_id with its new key, and no
		// orphan, since another parent claims her.
		g.unit("uow_reparent", func(ctx context.Context, u *uow.Unit) error {
			found, err := uow.Find(ctx, u, repo.New(g.db, clubs.Table).Load(clubPlayers.OrderBy(players.ID.Asc())).
				Where(clubs.ID.Eq(1)))
			if err != nil {
				return err
			}
			reds := found[0]
			golds := &club{Name: "Golds", City: "Ely", Players: []*player{reds.Players[0]}}
			reds.Players = reds.Players[1:]
			return uow.Add(u, clubs.Table, golds)
		})
		// A chain of new staff, each the boss of the next, added from the
		// bottom: one INSERT round per level, parents first, each child's
		// boss_id from the round before.
		g.unit("uow_self_reference", func(ctx context.Context, u *uow.Unit) error {
			ceo := &staff{Name: "Ceo"}
			vp := &staff{Name: "Vp", Boss: ceo}
			dev := &staff{Name: "Dev", Boss: vp}
			return uow.Add(u, staffs.Table, dev)
		})
		// Skill 3 deleted and a new skill added with its key: one UPDATE of
		// the stored row to the new row's values, no DELETE and INSERT.
		g.unit("uow_key_reuse", func(ctx context.Context, u *uow.Unit) error {
			tackle, err := uow.Get(ctx, u, skills.Table, int64(3))
			if err != nil {
				return err
			}
			if err := uow.Delete(u, skills.Table, tackle); err != nil {
				return err
			}
			return uow.Add(u, skills.Table, &skill{ID: 3, Name: "dribble"})
		})
	})
}

func TestGoldenUnitVersion(t *testing.T) {
	t.Parallel()
	goldenUnitCases(t, func(g *goldenUnits) {
		g.unit("uow_optimistic_lock", func(ctx context.Context, u *uow.Unit) error {
			a, err := uow.Get(ctx, u, accounts.Table, int64(1))
			if err != nil {
				return err
			}
			a.Balance += 10
			return nil
		})
		// A row deleted by its key at version 1, stored at version 2 since
		// the update above: the DELETE matches nothing, and a SELECT of the
		// key tells a stale row from a gone one.
		g.unit("uow_optimistic_lock_stale", func(ctx context.Context, u *uow.Unit) error {
			if err := uow.Delete(u, accounts.Table, &account{ID: 1, Version: 1}); err != nil {
				return err
			}
			g.plan("uow_optimistic_lock_stale", u)
			if err := u.Flush(ctx); !errors.Is(err, repo.ErrStale) {
				return fmt.Errorf("flush: got %v, want ErrStale", err)
			}
			if err := u.Rollback(ctx); err != nil {
				return err
			}
			return errRolledBack
		})
	})
}
