package uow_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// Tables whose keys are not generated integers: a membership keyed by a pair of columns
// with extra columns; an item whose integer key is caller-supplied; a
// country keyed by a text code; an event keyed by a time; and a
// department keyed by a text code whose staff (with generated keys) are
// followed.

type rv2Member struct {
	GroupID int64
	User    string
	Role    string
	Score   int
}

type rv2MemberTable struct {
	*mapped.Table[rv2Member]
	GroupID mapped.Column[rv2Member, int64]
	User    mapped.Column[rv2Member, string]
	Role    mapped.TextColumn[rv2Member, string]
	Score   mapped.Column[rv2Member, int]
}

var rv2Members = mapped.Define("rv2_member", func(t *mapped.Table[rv2Member], m *rv2Member) rv2MemberTable {
	return rv2MemberTable{
		Table:   t,
		GroupID: mapped.PrimaryKey(t, &m.GroupID),
		User:    mapped.PrimaryKey(t, &m.User, mapped.Name("user_name")),
		Role:    mapped.Text(t, &m.Role),
		Score:   mapped.Col(t, &m.Score),
	}
})

type rv2Item struct {
	ID   int64
	Name string
}

type rv2ItemTable struct {
	*mapped.Table[rv2Item]
	ID   mapped.Column[rv2Item, int64]
	Name mapped.TextColumn[rv2Item, string]
}

var rv2Items = mapped.Define("rv2_item", func(t *mapped.Table[rv2Item], it *rv2Item) rv2ItemTable {
	return rv2ItemTable{Table: t, ID: mapped.PrimaryKey(t, &it.ID, mapped.Manual()), Name: mapped.Text(t, &it.Name)}
})

type rv2Country struct {
	Code string
	Name string
}

type rv2CountryTable struct {
	*mapped.Table[rv2Country]
	Code mapped.Column[rv2Country, string]
	Name mapped.TextColumn[rv2Country, string]
}

var rv2Countries = mapped.Define("rv2_country", func(t *mapped.Table[rv2Country], c *rv2Country) rv2CountryTable {
	return rv2CountryTable{Table: t, Code: mapped.PrimaryKey(t, &c.Code), Name: mapped.Text(t, &c.Name)}
})

type rv2Event struct {
	At   time.Time
	Name string
}

type rv2EventTable struct {
	*mapped.Table[rv2Event]
	At   mapped.Column[rv2Event, time.Time]
	Name mapped.TextColumn[rv2Event, string]
}

var rv2Events = mapped.Define("rv2_event", func(t *mapped.Table[rv2Event], e *rv2Event) rv2EventTable {
	return rv2EventTable{Table: t, At: mapped.PrimaryKey(t, &e.At), Name: mapped.Text(t, &e.Name)}
})

type rv2Dept struct {
	Code  string
	Name  string
	Staff []*rv2Staff
}

type rv2Staff struct {
	ID       int64
	DeptCode string
	Name     string
}

type rv2DeptTable struct {
	*mapped.Table[rv2Dept]
	Code mapped.Column[rv2Dept, string]
	Name mapped.TextColumn[rv2Dept, string]
}

type rv2StaffTable struct {
	*mapped.Table[rv2Staff]
	ID       mapped.Column[rv2Staff, int64]
	DeptCode mapped.Column[rv2Staff, string]
	Name     mapped.TextColumn[rv2Staff, string]
}

var rv2Depts = mapped.Define("rv2_dept", func(t *mapped.Table[rv2Dept], d *rv2Dept) rv2DeptTable {
	return rv2DeptTable{Table: t, Code: mapped.PrimaryKey(t, &d.Code), Name: mapped.Text(t, &d.Name)}
})

var rv2Staffs = mapped.Define("rv2_staff", func(t *mapped.Table[rv2Staff], s *rv2Staff) rv2StaffTable {
	return rv2StaffTable{Table: t, ID: mapped.PrimaryKey(t, &s.ID),
		DeptCode: mapped.ForeignKey(t, &s.DeptCode, rv2Depts.Code), Name: mapped.Text(t, &s.Name)}
})

// testModel follows it and deletes a department's staff with it.
var rv2DeptStaff = relation.HasMany(rv2Staffs.DeptCode,
	func(d *rv2Dept) *[]*rv2Staff { return &d.Staff })

// eachKeyed runs body on every dialect with these tables created.
func eachKeyed(t *testing.T, body func(t *testing.T, db dialect.DB, rec *recorder)) {
	t.Helper()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		if err := testModel.CreateAll(context.Background(), db, rv2Members.Table, rv2Items.Table, rv2Countries.Table,
			rv2Events.Table, rv2Depts.Table, rv2Staffs.Table); err != nil {
			t.Fatal(err)
		}
		rec.reset()
		body(t, db, rec)
	})
}

func rv2Flush(t *testing.T, u *uow.Unit) {
	t.Helper()
	if err := u.Flush(context.Background()); err != nil {
		t.Fatalf("Flush: %v", err)
	}
}

// A composite key: Get by both values, Find of the same rows gives the
// same pointers, a change of a non-key column updates that column only,
// a no-op flush sends nothing, and Delete and Add write their rows.
func TestKeysComposite(t *testing.T) {
	t.Parallel()
	eachKeyed(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		seed(t, db, rv2Members.Table, &rv2Member{1, "ann", "owner", 5}, &rv2Member{1, "bob", "guest", 1},
			&rv2Member{2, "ann", "guest", 2})
		u := begin(t, db)
		rec.reset()
		ann1, err := uow.Get(ctx, u, rv2Members.Table, int64(1), "ann")
		if err != nil || ann1.Role != "owner" {
			t.Fatalf("Get(1, ann) = %+v, %v; want owner", ann1, err)
		}
		ann2, err := uow.Get(ctx, u, rv2Members.Table, 2, "ann") // an untyped int for the int64 column
		if err != nil || ann2 == ann1 || ann2.Role != "guest" {
			t.Fatalf("Get(2, ann) = %+v, %v; want another row, guest", ann2, err)
		}
		rec.reset()
		if again, err := uow.Get(ctx, u, rv2Members.Table, int32(1), "ann"); err != nil || again != ann1 {
			t.Errorf("second Get(1, ann) = %p, %v; want %p", again, err, ann1)
		}
		if got := rec.statements(); len(got) != 0 {
			t.Errorf("second Get ran %q, want nothing", got)
		}
		all, err := uow.Find(ctx, u, repo.New(db, rv2Members.Table).OrderBy(rv2Members.GroupID.Asc(), rv2Members.User.Asc()))
		if err != nil || len(all) != 3 {
			t.Fatalf("Find = %d rows, %v; want 3", len(all), err)
		}
		if all[0] != ann1 || all[2] != ann2 {
			t.Errorf("Find = %p, %p, %p; want %p first and %p last", all[0], all[1], all[2], ann1, ann2)
		}
		bob := all[1]

		ann1.Role = "admin"
		rec.reset()
		rv2Flush(t, u)
		w := rec.writes()
		if len(w) != 1 || !strings.HasPrefix(w[0].SQL, "UPDATE ") || !strings.Contains(w[0].SQL, "role") ||
			strings.Contains(w[0].SQL, "score") {
			t.Errorf("flush of a role change wrote %v, want one UPDATE of role only", writeOps(rec))
		} else if sql := w[0].SQL; !strings.Contains(sql, "group_id") || !strings.Contains(sql, "user_name") {
			t.Errorf("UPDATE %q does not match both key columns", sql)
		}

		rec.reset()
		rv2Flush(t, u)
		if got := rec.statements(); len(got) != 0 {
			t.Errorf("no-op flush ran %q, want nothing", got)
		}

		if err := uow.Delete(u, rv2Members.Table, bob); err != nil {
			t.Fatal(err)
		}
		carl := &rv2Member{1, "carl", "guest", 0}
		if err := uow.Add(u, rv2Members.Table, carl); err != nil {
			t.Fatal(err)
		}
		if err := uow.Add(u, rv2Members.Table, &rv2Member{3, "ann", "owner", 9}); err != nil {
			t.Fatal(err)
		}
		rec.reset()
		rv2Flush(t, u)
		if got := writeOps(rec); got != "INSERT rv2_member,DELETE rv2_member" {
			t.Errorf("flush wrote %s, want one INSERT and one DELETE", got)
		}
		if _, err := uow.Get(ctx, u, rv2Members.Table, 1, "bob"); !errors.Is(err, repo.ErrNotFound) {
			t.Errorf("Get of the deleted row: %v, want ErrNotFound", err)
		}
		rec.reset()
		if got, err := uow.Get(ctx, u, rv2Members.Table, 1, "carl"); err != nil || got != carl {
			t.Errorf("Get of the added row = %p, %v; want %p", got, err, carl)
		}
		if got := rec.statements(); len(got) != 0 {
			t.Errorf("Get of the added row ran %q, want nothing", got)
		}
		rv2Flush(t, u)
		if err := u.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		rows, err := repo.New(db, rv2Members.Table).OrderBy(rv2Members.GroupID.Asc(), rv2Members.User.Asc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []rv2Member{{1, "ann", "admin", 5}, {1, "carl", "guest", 0}, {2, "ann", "guest", 2}, {3, "ann", "owner", 9}}
		if len(rows) != len(want) {
			t.Fatalf("stored %d rows, want %d", len(rows), len(want))
		}
		for i, r := range rows {
			if *r != want[i] {
				t.Errorf("stored row %d = %+v, want %+v", i, *r, want[i])
			}
		}
	})
}

// Changing one column of a composite key is refused like a single key.
func TestKeysCompositeChangeRefused(t *testing.T) {
	t.Parallel()
	eachKeyed(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		seed(t, db, rv2Members.Table, &rv2Member{1, "ann", "owner", 5})
		u := begin(t, db)
		m, err := uow.Get(ctx, u, rv2Members.Table, 1, "ann")
		if err != nil {
			t.Fatal(err)
		}
		m.User = "anne"
		rec.reset()
		err = u.Flush(ctx)
		if err == nil || !strings.Contains(err.Error(), "key column user_name") {
			t.Errorf("Flush after a key change = %v, want an error naming user_name", err)
		}
		if got := rec.statements(); len(got) != 0 {
			t.Errorf("Flush ran %q, want nothing", got)
		}
	})
}

// Rows with caller-supplied integer keys: added, flushed, then Get gives
// the same pointer without a statement; Delete and Add of the same row
// before a flush writes nothing; Delete, flush, Add, flush stores it again.
func TestKeysManual(t *testing.T) {
	t.Parallel()
	eachKeyed(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		u := begin(t, db)
		a, b := &rv2Item{ID: 10, Name: "a"}, &rv2Item{ID: 20, Name: "b"}
		for _, it := range []*rv2Item{a, b} {
			if err := uow.Add(u, rv2Items.Table, it); err != nil {
				t.Fatal(err)
			}
		}
		rv2Flush(t, u)
		if got := writeOps(rec); got != "INSERT rv2_item" {
			t.Errorf("flush wrote %s, want one INSERT", got)
		}
		if a.ID != 10 || b.ID != 20 {
			t.Errorf("keys after the flush = %d, %d; want 10, 20", a.ID, b.ID)
		}
		rec.reset()
		if got, err := uow.Get(ctx, u, rv2Items.Table, 10); err != nil || got != a {
			t.Errorf("Get(10) = %p, %v; want the added row %p", got, err, a)
		}
		if got := rec.statements(); len(got) != 0 {
			t.Errorf("Get of an added row ran %q, want nothing", got)
		}
		all, err := uow.Find(ctx, u, repo.New(db, rv2Items.Table).OrderBy(rv2Items.ID.Asc()))
		if err != nil || len(all) != 2 || all[0] != a || all[1] != b {
			t.Errorf("Find = %v, %v; want the added rows", all, err)
		}

		// Delete and Add in one go cancel out.
		if err := uow.Delete(u, rv2Items.Table, a); err != nil {
			t.Fatal(err)
		}
		if err := uow.Add(u, rv2Items.Table, a); err != nil {
			t.Fatal(err)
		}
		rec.reset()
		rv2Flush(t, u)
		if got := rec.statements(); len(got) != 0 {
			t.Errorf("flush after Delete and Add of one row ran %q, want nothing", got)
		}

		// Deleted and flushed, then added again.
		if err := uow.Delete(u, rv2Items.Table, b); err != nil {
			t.Fatal(err)
		}
		rv2Flush(t, u)
		if _, err := uow.Get(ctx, u, rv2Items.Table, 20); !errors.Is(err, repo.ErrNotFound) {
			t.Errorf("Get of the deleted row: %v, want ErrNotFound", err)
		}
		b.Name = "b2"
		if err := uow.Add(u, rv2Items.Table, b); err != nil {
			t.Fatal(err)
		}
		rec.reset()
		rv2Flush(t, u)
		if got := writeOps(rec); got != "INSERT rv2_item" {
			t.Errorf("flush of the re-added row wrote %s, want one INSERT", got)
		}
		if got, err := uow.Get(ctx, u, rv2Items.Table, 20); err != nil || got != b || b.ID != 20 {
			t.Errorf("Get(20) = %p, %v (id %d); want the re-added row %p with id 20", got, err, b.ID, b)
		}
		if err := u.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, rv2Items.Table); n != 2 {
			t.Errorf("stored %d items, want 2", n)
		}
		if s := stored(t, db, rv2Items.Table, 20); s.Name != "b2" {
			t.Errorf("stored item 20 = %+v, want b2", s)
		}
	})
}

// Deleting a loaded row and adding a new row object with the same
// caller-supplied key in one unit replaces the row (SQLAlchemy turns the
// pair into an UPDATE, its "row switch").
func TestKeysDeleteAndAddSameKey(t *testing.T) {
	t.Parallel()
	eachKeyed(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		seed(t, db, rv2Items.Table, &rv2Item{ID: 10, Name: "old"})
		u := begin(t, db)
		old, err := uow.Get(ctx, u, rv2Items.Table, 10)
		if err != nil {
			t.Fatal(err)
		}
		if err := uow.Delete(u, rv2Items.Table, old); err != nil {
			t.Fatal(err)
		}
		repl := &rv2Item{ID: 10, Name: "new"}
		if err := uow.Add(u, rv2Items.Table, repl); err != nil {
			t.Fatal(err)
		}
		rec.reset()
		if err := u.Flush(ctx); err != nil {
			t.Fatalf("Flush of a delete and an add of the same key: %v (wrote %s)", err, writeOps(rec))
		}
		if got, err := uow.Get(ctx, u, rv2Items.Table, 10); err != nil || got != repl {
			t.Errorf("Get(10) = %p, %v; want the new row %p", got, err, repl)
		}
		if err := u.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if s := stored(t, db, rv2Items.Table, 10); s.Name != "new" {
			t.Errorf("stored item 10 = %+v, want new", s)
		}
	})
}

// A key change on a loaded row is refused with an error naming the
// column, and nothing is sent, even when the flush has new parents and
// children to insert in more than one round.
func TestKeysChangeWithInsertsSendsNothing(t *testing.T) {
	t.Parallel()
	eachKeyed(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		seed(t, db, rv2Items.Table, &rv2Item{ID: 10, Name: "a"})
		u := begin(t, db)
		it, err := uow.Get(ctx, u, rv2Items.Table, 10)
		if err != nil {
			t.Fatal(err)
		}
		if err := uow.Add(u, rv2Depts.Table, &rv2Dept{Code: "eng", Staff: []*rv2Staff{{Name: "x"}}}); err != nil {
			t.Fatal(err)
		}
		it.ID = 11
		rec.reset()
		err = u.Flush(ctx)
		if err == nil || !strings.Contains(err.Error(), "key column id") {
			t.Errorf("Flush after a key change = %v, want an error naming the key column", err)
		}
		if got := rec.statements(); len(got) != 0 {
			t.Errorf("Flush refused for a key change ran %q, want nothing", got)
		}
	})
}

// Text keys: rows added with their codes are found again as the same
// pointers, and rows loaded twice are one pointer.
func TestKeysString(t *testing.T) {
	t.Parallel()
	eachKeyed(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		seed(t, db, rv2Countries.Table, &rv2Country{"de", "Germany"})
		u := begin(t, db)
		fr := &rv2Country{"fr", "France"}
		if err := uow.Add(u, rv2Countries.Table, fr); err != nil {
			t.Fatal(err)
		}
		rv2Flush(t, u)
		de, err := uow.Get(ctx, u, rv2Countries.Table, "de")
		if err != nil {
			t.Fatal(err)
		}
		rec.reset()
		if got, err := uow.Get(ctx, u, rv2Countries.Table, "fr"); err != nil || got != fr {
			t.Errorf("Get(fr) = %p, %v; want the added row %p", got, err, fr)
		}
		if got, err := uow.Get(ctx, u, rv2Countries.Table, "de"); err != nil || got != de {
			t.Errorf("second Get(de) = %p, %v; want %p", got, err, de)
		}
		if got := rec.statements(); len(got) != 0 {
			t.Errorf("Gets of held rows ran %q, want nothing", got)
		}
		all, err := uow.Find(ctx, u, repo.New(db, rv2Countries.Table).OrderBy(rv2Countries.Code.Asc()))
		if err != nil || len(all) != 2 || all[0] != de || all[1] != fr {
			t.Errorf("Find = %v, %v; want %p, %p", all, err, de, fr)
		}
		fr.Name = "République française"
		rec.reset()
		rv2Flush(t, u)
		if got := writeOps(rec); got != "UPDATE rv2_country" {
			t.Errorf("flush wrote %s, want one UPDATE", got)
		}
		if err := u.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// Time keys: a row loaded twice, by Get and by Find, is one pointer, and
// a row added with a key in another time zone is the one Find returns.
func TestKeysTime(t *testing.T) {
	t.Parallel()
	eachKeyed(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		at := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
		seed(t, db, rv2Events.Table, &rv2Event{at, "launch"})
		u := begin(t, db)
		e, err := uow.Get(ctx, u, rv2Events.Table, at)
		if err != nil {
			t.Fatal(err)
		}
		rec.reset()
		if got, err := uow.Get(ctx, u, rv2Events.Table, at); err != nil || got != e {
			t.Errorf("second Get = %p, %v; want %p", got, err, e)
		}
		if got := rec.statements(); len(got) != 0 {
			t.Errorf("second Get ran %q, want nothing", got)
		}
		all, err := uow.Find(ctx, u, repo.New(db, rv2Events.Table).Query())
		if err != nil || len(all) != 1 || all[0] != e {
			t.Errorf("Find = %v, %v; want %p", all, err, e)
		}
		// The same instant in another zone is the same key.
		rec.reset()
		cet := time.FixedZone("CET", 3600)
		if got, err := uow.Get(ctx, u, rv2Events.Table, at.In(cet)); err != nil || got != e {
			t.Errorf("Get of the same instant in CET = %p, %v; want %p", got, err, e)
		}
		if got := rec.statements(); len(got) != 0 {
			t.Errorf("Get of the same instant in CET ran %q, want nothing", got)
		}
	})
}

// A row added with a time key in a zone other than UTC is the row that a
// later Find of it returns.
func TestKeysTimeAddedInZone(t *testing.T) {
	t.Parallel()
	eachKeyed(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		cet := time.FixedZone("CET", 3600)
		u := begin(t, db)
		added := &rv2Event{time.Date(2024, 3, 1, 13, 0, 0, 0, cet), "party"}
		if err := uow.Add(u, rv2Events.Table, added); err != nil {
			t.Fatal(err)
		}
		rv2Flush(t, u)
		all, err := uow.Find(ctx, u, repo.New(db, rv2Events.Table).Query())
		if err != nil || len(all) != 1 {
			t.Fatalf("Find = %d rows, %v; want 1", len(all), err)
		}
		if all[0] != added {
			t.Errorf("Find of the added row = %p, want the added row %p: two pointers for one key", all[0], added)
		}
		all[0].Name = "changed"
		rec.reset()
		rv2Flush(t, u)
		if got := writeOps(rec); got != "UPDATE rv2_event" {
			t.Errorf("flush wrote %s, want one UPDATE", got)
		}
	})
}

// A followed relation whose parent has a text key set by the caller: the
// children are added with the parent, their foreign keys set from its
// code; a child appended to a loaded parent's collection is added too.
func TestKeysFollowTextParent(t *testing.T) {
	t.Parallel()
	eachKeyed(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		d := &rv2Dept{Code: "eng", Name: "Engineering", Staff: []*rv2Staff{{Name: "x"}, {Name: "y"}}}
		if err := uow.Run(ctx, db, func(u *uow.Unit) error { return uow.Add(u, rv2Depts.Table, d) }); err != nil {
			t.Fatal(err)
		}
		if got := writeOps(rec); got != "INSERT rv2_dept,INSERT rv2_staff" {
			t.Errorf("wrote %s, want the department then its staff", got)
		}
		for _, s := range d.Staff {
			if s.DeptCode != "eng" || s.ID == 0 {
				t.Errorf("staff %+v: want dept_code eng and a generated id", *s)
			}
		}
		stf, err := repo.New(db, rv2Staffs.Table).OrderBy(rv2Staffs.ID.Asc()).All(ctx)
		if err != nil || len(stf) != 2 || stf[0].DeptCode != "eng" || stf[1].DeptCode != "eng" {
			t.Fatalf("stored staff = %v, %v; want 2 in eng", stf, err)
		}

		u := begin(t, db)
		got, err := uow.Find(ctx, u, repo.New(db, rv2Depts.Table).Load(rv2DeptStaff).Where(rv2Depts.Code.Eq("eng")))
		if err != nil || len(got) != 1 || len(got[0].Staff) != 2 {
			t.Fatalf("Find = %v, %v; want eng with 2 staff", got, err)
		}
		z := &rv2Staff{Name: "z"}
		got[0].Staff = append(got[0].Staff, z)
		ops := &rv2Dept{Code: "ops", Staff: []*rv2Staff{{Name: "w"}}}
		if err := uow.Add(u, rv2Depts.Table, ops); err != nil {
			t.Fatal(err)
		}
		if err := u.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if z.DeptCode != "eng" || ops.Staff[0].DeptCode != "ops" {
			t.Errorf("new staff codes = %q, %q; want eng, ops", z.DeptCode, ops.Staff[0].DeptCode)
		}
		if s := stored(t, db, rv2Staffs.Table, z.ID); s.DeptCode != "eng" {
			t.Errorf("stored z = %+v, want in eng", s)
		}
		if s := stored(t, db, rv2Staffs.Table, ops.Staff[0].ID); s.DeptCode != "ops" {
			t.Errorf("stored w = %+v, want in ops", s)
		}
	})
}
