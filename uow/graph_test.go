package uow_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// The object graph of these tests: a band has records, a record has
// songs, and a staff member may have a boss (a self-reference).

type band struct {
	ID      int64
	Name    string
	Records []*record
	Bio     *bio
}

type bio struct {
	ID     int64
	BandID int64
	Text   string
}

type bioTable struct {
	*mapped.Table[bio]
	ID     mapped.Column[bio, int64]
	BandID mapped.Column[bio, int64]
	Text   mapped.TextColumn[bio, string]
}

var bios = mapped.Define("bio", func(t *mapped.Table[bio], b *bio) bioTable {
	return bioTable{Table: t, ID: mapped.PrimaryKey(t, &b.ID),
		BandID: mapped.ForeignKey(t, &b.BandID, bands.ID, mapped.Unique()), Text: mapped.Text(t, &b.Text)}
})

var bandBio = relation.HasOne(bios.BandID, func(b *band) **bio { return &b.Bio })

type record struct {
	ID     int64
	BandID int64
	Title  string
	Band   *band
	Tunes  []*tune
}

type tune struct {
	ID       int64
	RecordID int64
	Title    string
	Record   *record
}

type staff struct {
	ID      int64
	Name    string
	BossID  *int64
	Boss    *staff
	Reports []*staff
}

type bandTable struct {
	*mapped.Table[band]
	ID   mapped.Column[band, int64]
	Name mapped.TextColumn[band, string]
}

type recordTable struct {
	*mapped.Table[record]
	ID     mapped.Column[record, int64]
	BandID mapped.Column[record, int64]
	Title  mapped.TextColumn[record, string]
}

type tuneTable struct {
	*mapped.Table[tune]
	ID       mapped.Column[tune, int64]
	RecordID mapped.Column[tune, int64]
	Title    mapped.TextColumn[tune, string]
}

type staffTable struct {
	*mapped.Table[staff]
	ID     mapped.Column[staff, int64]
	Name   mapped.TextColumn[staff, string]
	BossID mapped.NullableColumn[staff, int64]
}

var bands = mapped.Define("band", func(t *mapped.Table[band], b *band) bandTable {
	return bandTable{Table: t, ID: mapped.PrimaryKey(t, &b.ID), Name: mapped.Text(t, &b.Name, mapped.Unique())}
})

var records = mapped.Define("record", func(t *mapped.Table[record], r *record) recordTable {
	return recordTable{Table: t, ID: mapped.PrimaryKey(t, &r.ID),
		BandID: mapped.ForeignKey(t, &r.BandID, bands.ID), Title: mapped.Text(t, &r.Title)}
})

var tunes = mapped.Define("tune", func(t *mapped.Table[tune], s *tune) tuneTable {
	return tuneTable{Table: t, ID: mapped.PrimaryKey(t, &s.ID),
		RecordID: mapped.ForeignKey(t, &s.RecordID, records.ID), Title: mapped.Text(t, &s.Title)}
})

var staffs = mapped.Define("staff", func(t *mapped.Table[staff], s *staff) staffTable {
	st := staffTable{Table: t, ID: mapped.PrimaryKey(t, &s.ID), Name: mapped.Text(t, &s.Name, mapped.Unique())}
	st.BossID = mapped.NullableForeignKey(t, &s.BossID, st.ID)
	return st
})

// A badge belongs to one staff member.
type badge struct {
	ID      int64
	StaffID int64
	Staff   *staff
}

type badgeTable struct {
	*mapped.Table[badge]
	ID      mapped.Column[badge, int64]
	StaffID mapped.Column[badge, int64]
}

var badges = mapped.Define("badge", func(t *mapped.Table[badge], b *badge) badgeTable {
	return badgeTable{Table: t, ID: mapped.PrimaryKey(t, &b.ID),
		StaffID: mapped.ForeignKey(t, &b.StaffID, staffs.ID)}
})

var badgeStaff = relation.BelongsTo(badges.StaffID, func(b *badge) **staff { return &b.Staff })

// The graph's relations; testModel follows them all, deletes a band's
// records and a record's tunes with it (and a tune taken out of its
// record's collection), and sets the boss of a deleted staff member's
// reports to NULL.
var (
	bandRecords = relation.HasMany(records.BandID, func(b *band) *[]*record { return &b.Records }).
			Back(func(r *record) **band { return &r.Band })
	recordTunes = relation.HasMany(tunes.RecordID, func(r *record) *[]*tune { return &r.Tunes })
	tuneRecord  = relation.BelongsTo(tunes.RecordID, func(s *tune) **record { return &s.Record })
	staffBoss   = relation.BelongsToNullable(staffs.BossID, func(s *staff) **staff { return &s.Boss })
	staffTeam   = relation.HasManyNullable(staffs.BossID, func(s *staff) *[]*staff { return &s.Reports })
)

// graph runs body on every dialect with the graph's tables created.
func graph(t *testing.T, body func(t *testing.T, db dialect.DB, rec *recorder)) {
	t.Helper()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		if err := testModel.CreateAll(context.Background(), db, bands.Table, records.Table, tunes.Table, staffs.Table, bios.Table,
			badges.Table); err != nil {
			t.Fatal(err)
		}
		rec.reset()
		body(t, db, rec)
	})
}

// newBand returns a band with n records of m songs each, none stored.
func newBand(name string, n, m int) *band {
	b := &band{Name: name}
	for i := range n {
		r := &record{Title: fmt.Sprintf("%s record %d", name, i)}
		for j := range m {
			r.Tunes = append(r.Tunes, &tune{Title: fmt.Sprintf("%s tune %d.%d", name, i, j)})
		}
		b.Records = append(b.Records, r)
	}
	return b
}

// Adding a parent adds the children in its collections, and each child's
// foreign key gets the key its parent was given by the same flush.
func TestGraphInsert(t *testing.T) {
	t.Parallel()
	graph(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		b := newBand("Ghost", 2, 3)
		err := uow.Run(ctx, db, func(u *uow.Unit) error { return uow.Add(u, bands.Table, b) })
		if err != nil {
			t.Fatal(err)
		}
		if b.ID == 0 {
			t.Fatal("band has no key after the unit")
		}
		for _, r := range b.Records {
			if r.ID == 0 || r.BandID != b.ID {
				t.Errorf("record %+v: want a key and band_id %d", r, b.ID)
			}
			for _, s := range r.Tunes {
				if s.ID == 0 || s.RecordID != r.ID {
					t.Errorf("tune %+v: want a key and record_id %d", s, r.ID)
				}
			}
		}
		if n := count(t, db, tunes.Table); n != 6 {
			t.Errorf("%d songs stored, want 6", n)
		}
		// One multi-row INSERT per table, parents first.
		var order []string
		for _, w := range rec.writes() {
			order = append(order, table(w.SQL))
		}
		if got := strings.Join(order, ","); got != "band,record,tune" {
			t.Errorf("INSERTs into %s, want band,record,tune", got)
		}
		stored, err := repo.New(db, bands.Table).Load(bandRecords.Then(recordTunes)).Where(bands.ID.Eq(b.ID)).One(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(stored.Records) != 2 || len(stored.Records[0].Tunes) != 3 || len(stored.Records[1].Tunes) != 3 {
			t.Errorf("stored graph: %d records", len(stored.Records))
		}
	})
}

// A new child naming a loaded parent through its pointer gets the
// parent's key; a new parent reached from a new child is added first.
func TestGraphParentPointer(t *testing.T) {
	t.Parallel()
	graph(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		seed(t, db, bands.Table, &band{Name: "Low"})
		seed(t, db, records.Table, &record{BandID: 1, Title: "Things We Lost"})
		var fresh *tune
		var newRecord *record
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			r, err := uow.Get(ctx, u, records.Table, 1)
			if err != nil {
				return err
			}
			fresh = &tune{Title: "Closer", Record: r}
			if err := uow.Add(u, tunes.Table, fresh); err != nil {
				return err
			}
			// A tune of a record that is new too: the record, reached
			// through the pointer, is added, and its band is the
			// loaded one named by the record's Back pointer.
			b, err := uow.Get(ctx, u, bands.Table, 1)
			if err != nil {
				return err
			}
			newRecord = &record{Title: "Double Negative", Band: b}
			return uow.Add(u, tunes.Table, &tune{Title: "Quorum", Record: newRecord})
		})
		if err != nil {
			t.Fatal(err)
		}
		if fresh.RecordID != 1 {
			t.Errorf("tune's record_id %d, want 1", fresh.RecordID)
		}
		if newRecord.ID == 0 || newRecord.BandID != 1 {
			t.Errorf("new record %+v: want a key and band_id 1", newRecord)
		}
		if n := count(t, db, tunes.Table); n != 2 {
			t.Errorf("%d songs stored, want 2", n)
		}
	})
}

// Self-referential rows are inserted boss before report, in as many
// rounds as the chain is long; rows naming each other are refused before
// anything is written, with the table named.
func TestGraphSelfReference(t *testing.T) {
	t.Parallel()
	graph(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		ceo := &staff{Name: "ceo"}
		vp := &staff{Name: "vp", Boss: ceo}
		dev := &staff{Name: "dev", Boss: vp}
		intern := &staff{Name: "intern"}
		vp.Reports = []*staff{intern}
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			// Added children first, to show the order comes from the
			// references, not from the calls.
			if err := uow.Add(u, staffs.Table, dev); err != nil {
				return err
			}
			return uow.Add(u, staffs.Table, ceo)
		})
		if err != nil {
			t.Fatal(err)
		}
		if vp.BossID == nil || *vp.BossID != ceo.ID || dev.BossID == nil || *dev.BossID != vp.ID ||
			intern.BossID == nil || *intern.BossID != vp.ID || ceo.BossID != nil {
			t.Errorf("boss keys: ceo %v, vp %v, dev %v, intern %v", ceo.BossID, vp.BossID, dev.BossID, intern.BossID)
		}
		if n := len(rec.writes()); n != 3 {
			t.Errorf("%d INSERTs, want 3 (one per level of the chain)", n)
		}

		// A cycle, and a badge that waits for one of its rows: the error
		// names the table of the cycle, not the one merely waiting.
		a, b := &staff{Name: "a"}, &staff{Name: "b"}
		a.Boss, b.Boss = b, a
		u := begin(t, db)
		if err := uow.Add(u, badges.Table, &badge{Staff: a}); err != nil {
			t.Fatal(err)
		}
		rec.reset()
		err = u.Flush(ctx)
		if err == nil || !strings.Contains(err.Error(), "new rows of staff reference each other in a cycle") {
			t.Fatalf("Flush of a cycle: %v, want an error naming staff (only) and the cycle", err)
		}
		if errors.Is(err, uow.ErrFailed) {
			t.Errorf("a cycle found before sending anything failed the unit: %v", err)
		}
		if w := rec.writes(); len(w) != 0 {
			t.Errorf("a refused flush sent %d writes", len(w))
		}
		if n := count(t, db, staffs.Table); n != 4 {
			t.Errorf("%d staff stored, want 4", n)
		}
	})
}

// Rows loaded through a followed relation by Find are the unit's, one
// pointer per key; a child taken out of a collection whose orphans the
// model deletes (DeleteOrphans) is deleted, one appended is inserted with
// its parent's key.
func TestGraphLoadedCollections(t *testing.T) {
	t.Parallel()
	graph(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		b := newBand("Sigur Ros", 2, 2)
		if err := uow.Run(ctx, db, func(u *uow.Unit) error { return uow.Add(u, bands.Table, b) }); err != nil {
			t.Fatal(err)
		}
		removed := b.Records[0].Tunes[0]
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			r0, err := uow.Get(ctx, u, records.Table, b.Records[0].ID)
			if err != nil {
				return err
			}
			got, err := uow.Find(ctx, u, repo.New(db, bands.Table).Load(bandRecords.Then(recordTunes)).Where(bands.ID.Eq(b.ID)))
			if err != nil {
				return err
			}
			if len(got) != 1 || len(got[0].Records) != 2 {
				return fmt.Errorf("Find loaded %d bands", len(got))
			}
			if got[0].Records[0] != r0 {
				t.Errorf("the record Find loaded is not the one Get returned")
			}
			if r0.Tunes == nil || got[0].Records[0].Band != got[0] {
				t.Errorf("the unit's record did not receive the loaded songs and band")
			}
			s, err := uow.Get(ctx, u, tunes.Table, r0.Tunes[1].ID)
			if err != nil {
				return err
			}
			if s != r0.Tunes[1] {
				t.Errorf("Get after Find returned another pointer for tune %d", s.ID)
			}
			rec.reset()
			// Take the first tune out and add a new one.
			r0.Tunes = append(r0.Tunes[1:], &tune{Title: "Hoppipolla"})
			return u.Flush(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := repo.New(db, tunes.Table).Get(ctx, removed.ID); !errors.Is(err, repo.ErrNotFound) {
			t.Errorf("orphaned tune: %v, want it deleted", err)
		}
		var ops []string
		for _, w := range rec.writes() {
			ops = append(ops, strings.Fields(w.SQL)[0]+" "+table(w.SQL))
		}
		if got := strings.Join(ops, ","); got != "INSERT tune,DELETE tune" {
			t.Errorf("flush wrote %s, want INSERT tune,DELETE tune", got)
		}
		n, err := repo.New(db, tunes.Table).Where(tunes.RecordID.Eq(b.Records[0].ID)).Count(ctx)
		if err != nil || n != 2 {
			t.Errorf("record 1 has %d songs (%v), want 2", n, err)
		}
	})
}

// Deleting a parent removes the rows its cascades delete from the unit,
// and clears the keys its SetNull cascades set to NULL.
func TestGraphCascadeIdentity(t *testing.T) {
	t.Parallel()
	graph(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		b := newBand("Mogwai", 1, 2)
		boss := &staff{Name: "boss", Reports: []*staff{{Name: "r1"}, {Name: "r2"}}}
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			if err := uow.Add(u, bands.Table, b); err != nil {
				return err
			}
			return uow.Add(u, staffs.Table, boss)
		})
		if err != nil {
			t.Fatal(err)
		}
		err = uow.Run(ctx, db, func(u *uow.Unit) error {
			s, err := uow.Get(ctx, u, tunes.Table, b.Records[0].Tunes[0].ID)
			if err != nil {
				return err
			}
			r1, err := uow.Get(ctx, u, staffs.Table, boss.Reports[0].ID)
			if err != nil {
				return err
			}
			bd, err := uow.Get(ctx, u, bands.Table, b.ID)
			if err != nil {
				return err
			}
			bs, err := uow.Get(ctx, u, staffs.Table, boss.ID)
			if err != nil {
				return err
			}
			if err := uow.Delete(u, bands.Table, bd); err != nil {
				return err
			}
			if err := uow.Delete(u, staffs.Table, bs); err != nil {
				return err
			}
			if err := u.Flush(ctx); err != nil {
				return err
			}
			if _, err := uow.Get(ctx, u, tunes.Table, s.ID); !errors.Is(err, repo.ErrNotFound) {
				t.Errorf("tune deleted by the cascade: Get gives %v, want ErrNotFound", err)
			}
			if r1.BossID != nil {
				t.Errorf("report's boss_id %v after its boss was deleted, want nil", *r1.BossID)
			}
			// Nothing is left to write: the report's cleared key is no
			// change.
			rec.reset()
			if err := u.Flush(ctx); err != nil {
				return err
			}
			if w := rec.writes(); len(w) != 0 {
				t.Errorf("second flush wrote %v", w)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, tunes.Table); n != 0 {
			t.Errorf("%d songs left", n)
		}
	})
}

// A child taken out of a collection whose orphans the model does not
// delete (DeleteOrphans) is released (its key set to NULL), or refused
// before anything is written when the key is NOT NULL.
func TestGraphRelease(t *testing.T) {
	t.Parallel()
	graph(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		boss := &staff{Name: "boss", Reports: []*staff{{Name: "r1"}, {Name: "r2"}}}
		b := newBand("Slint", 2, 0)
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			if err := uow.Add(u, bands.Table, b); err != nil {
				return err
			}
			return uow.Add(u, staffs.Table, boss)
		})
		if err != nil {
			t.Fatal(err)
		}
		err = uow.Run(ctx, db, func(u *uow.Unit) error {
			got, err := uow.Find(ctx, u, repo.New(db, staffs.Table).Load(staffTeam).Where(staffs.ID.Eq(boss.ID)))
			if err != nil {
				return err
			}
			got[0].Reports = got[0].Reports[1:]
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if r1 := stored(t, db, staffs.Table, boss.Reports[0].ID); r1.BossID != nil {
			t.Errorf("released report keeps boss_id %d", *r1.BossID)
		}
		if r2 := stored(t, db, staffs.Table, boss.Reports[1].ID); r2.BossID == nil || *r2.BossID != boss.ID {
			t.Errorf("kept report's boss_id %v", r2.BossID)
		}

		// A loaded pointer to the parent set to nil releases the child too.
		err = uow.Run(ctx, db, func(u *uow.Unit) error {
			got, err := uow.Find(ctx, u, repo.New(db, staffs.Table).Load(staffBoss).Where(staffs.ID.Eq(boss.Reports[1].ID)))
			if err != nil {
				return err
			}
			if got[0].Boss == nil {
				return fmt.Errorf("boss not loaded")
			}
			got[0].Boss = nil
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if r2 := stored(t, db, staffs.Table, boss.Reports[1].ID); r2.BossID != nil {
			t.Errorf("report whose boss pointer was cleared keeps boss_id %d", *r2.BossID)
		}

		// One child in the new collections of two parents is refused.
		shared := &staff{Name: "shared"}
		u2 := begin(t, db)
		for _, name := range []string{"left", "right"} {
			if err := uow.Add(u2, staffs.Table, &staff{Name: name, Reports: []*staff{shared}}); err != nil {
				t.Fatal(err)
			}
		}
		if err := u2.Flush(ctx); err == nil || !strings.Contains(err.Error(), "claimed by two staff rows") {
			t.Errorf("Flush of a child in two collections: %v, want a refusal", err)
		}
		if err := u2.Rollback(ctx); err != nil {
			t.Fatal(err)
		}

		u := begin(t, db)
		got, err := uow.Find(ctx, u, repo.New(db, bands.Table).Load(bandRecords).Where(bands.ID.Eq(b.ID)))
		if err != nil {
			t.Fatal(err)
		}
		got[0].Records = got[0].Records[:1]
		err = u.Flush(ctx)
		if err == nil || !strings.Contains(err.Error(), "record.band_id is NOT NULL") {
			t.Fatalf("Flush: %v, want a refusal naming record.band_id", err)
		}
		if errors.Is(err, uow.ErrFailed) {
			t.Errorf("a refusal before sending anything failed the unit: %v", err)
		}
	})
}

// roundTrips counts a connection's round trips: each time the client
// writes after reading, it starts a new one.
type roundTrips struct {
	mu      sync.Mutex
	n       int
	reading map[*countingConn]bool
}

func (rt *roundTrips) count() int {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.n
}

// countingConn is a connection to PostgreSQL that counts its round trips.
type countingConn struct {
	net.Conn
	rt *roundTrips
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.rt.mu.Lock()
	if c.rt.reading[c] || c.rt.n == 0 {
		c.rt.n++
	}
	c.rt.reading[c] = false
	c.rt.mu.Unlock()
	return c.Conn.Write(p)
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.rt.mu.Lock()
	c.rt.reading[c] = true
	c.rt.mu.Unlock()
	return n, err
}

// countedPostgres returns a PostgreSQL pool of one connection, whose round
// trips rt counts, bound to testModel.
func countedPostgres(t *testing.T) (dialect.DB, *roundTrips) {
	rt := &roundTrips{reading: map[*countingConn]bool{}}
	db := testdb.PostgresConfig(t, func(cfg *pgxpool.Config) {
		dial := cfg.ConnConfig.DialFunc
		cfg.ConnConfig.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dial(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &countingConn{Conn: c, rt: rt}, nil
		}
		cfg.MaxConns = 1
	})
	return testModel.Bind(db), rt
}

// A flush whose writes need no key the flush itself fills in (new rows of
// stored parents, changed rows, deleted rows without cascades) sends them
// all in one round trip on PostgreSQL.
func TestFlushOneRoundTrip(t *testing.T) {
	t.Parallel()
	db, rt := countedPostgres(t)
	ctx := context.Background()
	if err := mapped.CreateAll(ctx, db, labels.Table, artists.Table, tracks.Table); err != nil {
		t.Fatal(err)
	}
	seed(t, db, artists.Table, &artist{Name: "Queen", Born: born}, &artist{Name: "Blur", Born: born})
	seed(t, db, tracks.Table, &track{ArtistID: 1, Title: "One"}, &track{ArtistID: 2, Title: "Two"})
	for run := range 2 { // the first run prepares the statements
		u, err := uow.Begin(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		queen, err := uow.Get(ctx, u, artists.Table, 1)
		if err != nil {
			t.Fatal(err)
		}
		blur, err := uow.Get(ctx, u, artists.Table, 2)
		if err != nil {
			t.Fatal(err)
		}
		two, err := uow.Get(ctx, u, tracks.Table, 2)
		if err != nil {
			t.Fatal(err)
		}
		queen.Rating++
		blur.Rating++
		for i := range 10 {
			if err := uow.Add(u, tracks.Table, &track{ArtistID: 1, Title: fmt.Sprint(i)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := uow.Delete(u, tracks.Table, two); err != nil {
			t.Fatal(err)
		}
		start := rt.count()
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if n := rt.count() - start; run == 1 && n != 1 {
			t.Errorf("flush of an INSERT, two UPDATEs and a DELETE took %d round trips, want 1", n)
		}
		if err := u.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// Flushing 1,000 new rows across 3 tables takes a number of round trips
// that depends on the tables, not on the rows: one per level of the graph
// on PostgreSQL, counted on the wire. (SQLite has no wire: its statement
// counts are checked by the other tests.) With 10,000 rows the songs need
// ten INSERTs, sent in one batch.
func TestGraphRoundTrips(t *testing.T) {
	t.Parallel()
	db, rt := countedPostgres(t)
	ctx := context.Background()
	if err := testModel.CreateAll(ctx, db, bands.Table, records.Table, tunes.Table); err != nil {
		t.Fatal(err)
	}
	flush := func(bandsN, recordsN, songsN int) int {
		u, err := uow.Begin(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer u.Rollback(ctx)
		for i := range bandsN {
			b := newBand(fmt.Sprintf("%d-%d", songsN, i), recordsN, songsN)
			if err := uow.Add(u, bands.Table, b); err != nil {
				t.Fatal(err)
			}
		}
		start := rt.count()
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		return rt.count() - start
	}
	// Warm the connection's statement cache with the shapes used below,
	// so that preparing them is not counted.
	flush(10, 9, 10)
	flush(2, 2, 2)
	flush(10, 10, 100)
	small := flush(2, 2, 2)    // 2 + 4 + 8 = 14 rows
	large := flush(10, 9, 10)  // 10 + 90 + 900 = 1,000 rows
	huge := flush(10, 10, 100) // 10 + 100 + 10,000 rows
	if small != 3 || large != 3 || huge != 3 {
		t.Errorf("flush took %d round trips for 14 rows, %d for 1,000 rows and %d for 10,110 rows; want 3 each (one per table level)",
			small, large, huge)
	}
}

// A one-to-one child is inserted with its parent, joins the identity map
// when loaded through the relation, and is deleted when taken away.
func TestGraphOneToOne(t *testing.T) {
	t.Parallel()
	graph(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		b := &band{Name: "Talk Talk", Bio: &bio{Text: "from London"}}
		if err := uow.Run(ctx, db, func(u *uow.Unit) error { return uow.Add(u, bands.Table, b) }); err != nil {
			t.Fatal(err)
		}
		if b.Bio.ID == 0 || b.Bio.BandID != b.ID {
			t.Fatalf("bio %+v: want a key and band_id %d", b.Bio, b.ID)
		}
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			got, err := uow.Find(ctx, u, repo.New(db, bands.Table).Load(bandBio).Where(bands.ID.Eq(b.ID)))
			if err != nil {
				return err
			}
			again, err := uow.Get(ctx, u, bios.Table, b.Bio.ID)
			if err != nil {
				return err
			}
			if got[0].Bio != again {
				t.Errorf("the bio loaded through the relation is not the unit's")
			}
			got[0].Bio = nil
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, bios.Table); n != 0 {
			t.Errorf("%d bios stored after the band's was taken away, want 0", n)
		}
	})
}

// A row deleted by a flush but still in a loaded collection is never
// stored again by a later flush following the collection.
func TestGraphDeletedNotReinserted(t *testing.T) {
	t.Parallel()
	graph(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		b := newBand("Can", 1, 2)
		if err := uow.Run(ctx, db, func(u *uow.Unit) error { return uow.Add(u, bands.Table, b) }); err != nil {
			t.Fatal(err)
		}
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			got, err := uow.Find(ctx, u, repo.New(db, records.Table).Load(recordTunes).Where(records.ID.Eq(b.Records[0].ID)))
			if err != nil {
				return err
			}
			if err := uow.Delete(u, tunes.Table, got[0].Tunes[0]); err != nil {
				return err
			}
			if err := u.Flush(ctx); err != nil {
				return err
			}
			got[0].Title = "Tago Mago" // the record changes; its collection still holds the deleted tune
			rec.reset()
			if err := u.Flush(ctx); err != nil {
				return err
			}
			for _, w := range rec.writes() {
				if table(w.SQL) == "tune" {
					t.Errorf("second flush wrote %s", w.SQL)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, tunes.Table); n != 1 {
			t.Errorf("%d tunes stored, want 1", n)
		}
	})
}

// Rolling back a unit takes back what its flushes filled in on the rows
// they inserted: the generated keys and the foreign keys set from them;
// a foreign key the caller set stays.
func TestGraphRollbackClearsAdoptedKeys(t *testing.T) {
	t.Parallel()
	graph(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		seed(t, db, bands.Table, &band{Name: "Wire"})
		b := newBand("Magma", 1, 1)
		given := &record{BandID: 1, Title: "Pink Flag"}
		u := begin(t, db)
		if err := uow.Add(u, bands.Table, b); err != nil {
			t.Fatal(err)
		}
		if err := uow.Add(u, records.Table, given); err != nil {
			t.Fatal(err)
		}
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		r, s := b.Records[0], b.Records[0].Tunes[0]
		if r.BandID == 0 || s.RecordID == 0 {
			t.Fatalf("flush set no foreign keys: record %+v, tune %+v", r, s)
		}
		if err := u.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
		if b.ID != 0 || r.ID != 0 || r.BandID != 0 || s.ID != 0 || s.RecordID != 0 {
			t.Errorf("after Rollback: band %d, record %d of band %d, tune %d of record %d; want all 0",
				b.ID, r.ID, r.BandID, s.ID, s.RecordID)
		}
		if given.ID != 0 || given.BandID != 1 {
			t.Errorf("after Rollback: the record given band 1 is %+v, want no key and band_id 1", given)
		}
	})
}

// A new row reached only through a collection, with the key of a row
// deleted in the same flush, replaces it as one added with Add does: the
// flush updates the stored row. A flush refused after that replacement (a
// cycle elsewhere) takes it back, and the next one makes it again.
func TestGraphReplaceReached(t *testing.T) {
	t.Parallel()
	graph(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		b := &band{Name: "B", Records: []*record{{Title: "one"}}}
		if err := uow.Run(ctx, db, func(u *uow.Unit) error { return uow.Add(u, bands.Table, b) }); err != nil {
			t.Fatal(err)
		}
		id := b.Records[0].ID
		u := begin(t, db)
		got, err := uow.Find(ctx, u, repo.New(db, bands.Table).Load(bandRecords).Where(bands.ID.Eq(b.ID)))
		if err != nil {
			t.Fatal(err)
		}
		if err := uow.Delete(u, records.Table, got[0].Records[0]); err != nil {
			t.Fatal(err)
		}
		got[0].Records = []*record{{ID: id, Title: "one again"}}

		x, y := &staff{Name: "x"}, &staff{Name: "y"}
		x.Boss, y.Boss = y, x
		if err := uow.Add(u, staffs.Table, x); err != nil {
			t.Fatal(err)
		}
		if err := u.Flush(ctx); err == nil || !strings.Contains(err.Error(), "cycle") {
			t.Fatalf("Flush with a cycle = %v, want it refused", err)
		}
		if r, err := uow.Get(ctx, u, records.Table, id); !errors.Is(err, repo.ErrNotFound) {
			t.Errorf("after the refused flush, Get of the deleted record = %+v, %v; want ErrNotFound", r, err)
		}
		y.Boss = nil
		rec.reset()
		if err := u.Commit(ctx); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		if ops := writeOps(rec); strings.Contains(ops, "INSERT record") || strings.Contains(ops, "DELETE record") {
			t.Errorf("writes %s, want the record updated in place", ops)
		}
		all, err := repo.New(db, records.Table).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 1 || all[0].ID != id || all[0].Title != "one again" || all[0].BandID != b.ID {
			t.Errorf("records %+v, want record %d of band %d retitled", all, id, b.ID)
		}
	})
}
