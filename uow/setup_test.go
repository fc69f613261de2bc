package uow_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// testModel is the package's schema: the tables of the tests' object
// graphs, what deleting their rows does, and the relations units follow.
// Tests bind their database to it (each does), so that their units follow
// the relations and their deletes cascade; it also creates those tables,
// with each foreign key's ON DELETE as its cascades make it.
var testModel = model.MustNew(
	model.Tables(
		bands.Table, records.Table, tunes.Table, staffs.Table, bios.Table, badges.Table, // graph_test.go
		rvFolders.Table, rvFiles.Table, rvNodes.Table, // edge_test.go
		rv2Members.Table, rv2Items.Table, rv2Countries.Table, rv2Events.Table, rv2Depts.Table, rv2Staffs.Table, // keys_test.go
		clubs.Table, players.Table, awards.Table, skills.Table, playerSkills.Table, accounts.Table, // golden_test.go
		films.Table, actors.Table, credits.Table, // pairs_test.go
		albums.Table, songs.Table, // cascade_test.go
	),

	// graph_test.go
	model.OnDelete(bandRecords, mapped.Cascade),
	model.OnDelete(recordTunes, mapped.Cascade),
	model.DeleteOrphans(recordTunes),
	model.OnDelete(staffTeam, mapped.SetNull),
	uow.FollowOne(bandBio),
	uow.FollowParent(badgeStaff),
	uow.Follow(bandRecords),
	uow.Follow(recordTunes),
	uow.FollowParent(tuneRecord),
	uow.FollowParent(staffBoss),
	uow.Follow(staffTeam),

	// edge_test.go
	model.OnDelete(rvFolderFiles, mapped.Cascade),
	model.DeleteOrphans(rvFolderFiles),
	model.OnDelete(rvNodeKids, mapped.SetNull),
	uow.Follow(rvFolderFiles),
	uow.Follow(rvNodeKids),

	// keys_test.go
	model.OnDelete(rv2DeptStaff, mapped.Cascade),
	uow.Follow(rv2DeptStaff),

	// golden_test.go: a deleted player's awards go before its skill links,
	// as the golden files record.
	model.OnDelete(clubPlayers, mapped.Cascade),
	model.DeleteOrphans(clubPlayers),
	model.OnDelete(playerAwards, mapped.Cascade),
	model.Links(playerSkillSet),
	uow.Follow(clubPlayers),
	uow.Follow(playerAwards),
	uow.FollowManyToMany(playerSkillSet),

	// pairs_test.go
	model.Links(filmCast),
	uow.FollowManyToMany(filmCast),

	// cascade_test.go
	model.OnDelete(albumSongs, mapped.Cascade),
)

type label struct {
	ID   int64
	Name string
}

type labelTable struct {
	*mapped.Table[label]
	ID   mapped.Column[label, int64]
	Name mapped.TextColumn[label, string]
}

var labels = mapped.Define("label", func(t *mapped.Table[label], l *label) labelTable {
	return labelTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, &l.ID),
		Name:  mapped.Text(t, &l.Name),
	}
})

type artist struct {
	ID     int64
	Name   string
	Rating int
	Active bool
	Photo  []byte
	Born   time.Time
	Plays  *int64
}

type artistTable struct {
	*mapped.Table[artist]
	ID     mapped.Column[artist, int64]
	Name   mapped.TextColumn[artist, string]
	Rating mapped.Column[artist, int]
	Active mapped.Column[artist, bool]
	Photo  mapped.Column[artist, []byte]
	Born   mapped.Column[artist, time.Time]
	Plays  mapped.Column[artist, *int64]
}

var artists = mapped.Define("artist", func(t *mapped.Table[artist], a *artist) artistTable {
	return artistTable{
		Table:  t,
		ID:     mapped.PrimaryKey(t, &a.ID),
		Name:   mapped.Text(t, &a.Name, mapped.Unique()),
		Rating: mapped.Col(t, &a.Rating),
		Active: mapped.Col(t, &a.Active),
		Photo:  mapped.Col(t, &a.Photo),
		Born:   mapped.Col(t, &a.Born),
		Plays:  mapped.Col(t, &a.Plays),
	}
})

type track struct {
	ID       int64
	ArtistID int64
	Title    string
}

type trackTable struct {
	*mapped.Table[track]
	ID       mapped.Column[track, int64]
	ArtistID mapped.Column[track, int64]
	Title    mapped.TextColumn[track, string]
}

var tracks = mapped.Define("track", func(t *mapped.Table[track], tr *track) trackTable {
	return trackTable{
		Table:    t,
		ID:       mapped.PrimaryKey(t, &tr.ID),
		ArtistID: mapped.ForeignKey(t, &tr.ArtistID, artists.ID),
		Title:    mapped.Text(t, &tr.Title),
	}
})

var born = time.Date(1980, 5, 17, 12, 0, 0, 0, time.UTC)

// recorder keeps the statements a database ran, for counting them and
// reading their text.
type recorder struct {
	mu     sync.Mutex
	events []dialect.Event
}

func (r *recorder) hook(_ context.Context, e dialect.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e.Op != dialect.OpBatch {
		r.events = append(r.events, e)
		return
	}
	// A batch holds its statements' text joined by ";\n": record each
	// statement as sent on its own, with the batch's error.
	for _, sql := range strings.Split(e.SQL, ";\n") {
		op := dialect.OpExec
		if strings.Contains(sql, " RETURNING ") || strings.HasPrefix(sql, "SELECT ") {
			op = dialect.OpQuery
		}
		r.events = append(r.events, dialect.Event{Op: op, SQL: sql, Args: e.Args, Err: e.Err})
	}
}

func (r *recorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = nil
}

// statements returns the text of the queries and execs run since reset.
func (r *recorder) statements() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		if e.Op == dialect.OpQuery || e.Op == dialect.OpExec {
			out = append(out, e.SQL)
		}
	}
	return out
}

// writes returns the INSERT, UPDATE and DELETE statements run since reset,
// with their errors.
func (r *recorder) writes() []dialect.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []dialect.Event
	for _, e := range r.events {
		for _, kw := range []string{"INSERT ", "UPDATE ", "DELETE "} {
			if strings.HasPrefix(e.SQL, kw) {
				out = append(out, e)
			}
		}
	}
	return out
}

// each runs body on every dialect, with a fresh database holding the
// tables above, whose statements rec records, bound to testModel.
func each(t *testing.T, body func(t *testing.T, db dialect.DB, rec *recorder)) {
	t.Helper()
	for _, name := range testdb.Dialects {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			db := testModel.Bind(testdb.Open(t, name, dialect.WithHook(rec.hook)))
			if err := mapped.CreateAll(context.Background(), db, labels.Table, artists.Table, tracks.Table); err != nil {
				t.Fatalf("CreateAll: %v", err)
			}
			rec.reset()
			body(t, db, rec)
		})
	}
}

// seed inserts rows through a repository on db, failing the test on error.
func seed[T any](t testing.TB, db dialect.DB, tb *mapped.Table[T], rows ...*T) {
	t.Helper()
	if err := repo.New(db, tb).InsertMany(context.Background(), rows); err != nil {
		t.Fatalf("seed %s: %v", tb.TableName(), err)
	}
}

// stored reads the committed row of tb with key id.
func stored[T any](t testing.TB, db dialect.DB, tb *mapped.Table[T], id int64) *T {
	t.Helper()
	row, err := repo.New(db, tb).Get(context.Background(), id)
	if err != nil {
		t.Fatalf("Get %s %d: %v", tb.TableName(), id, err)
	}
	return row
}

// count returns the number of committed rows of tb.
func count[T any](t testing.TB, db dialect.DB, tb *mapped.Table[T]) int64 {
	t.Helper()
	n, err := repo.New(db, tb).Count(context.Background())
	if err != nil {
		t.Fatalf("Count %s: %v", tb.TableName(), err)
	}
	return n
}

// begin starts a unit on db, failing the test on error, and rolls it back
// at the end of the test unless it was finished.
func begin(t testing.TB, db dialect.DB) *uow.Unit {
	t.Helper()
	u, err := uow.Begin(context.Background(), db)
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	t.Cleanup(func() { _ = u.Rollback(context.Background()) })
	return u
}

// table returns the table a statement writes or reads first, for checking
// the order of statements.
func table(sql string) string {
	for _, kw := range []string{"INSERT INTO ", "DELETE FROM ", "UPDATE ", "FROM "} {
		if _, rest, ok := strings.Cut(sql, kw); ok {
			name, _, _ := strings.Cut(rest, " ")
			return strings.Trim(name, `"`)
		}
	}
	return ""
}

// writeOps returns the INSERT, UPDATE and DELETE statements recorded since
// reset as "OP table", comma-separated, in order.
func writeOps(rec *recorder) string {
	var ops []string
	for _, w := range rec.writes() {
		ops = append(ops, strings.Fields(w.SQL)[0]+" "+table(w.SQL))
	}
	return strings.Join(ops, ",")
}
