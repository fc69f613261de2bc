package repo_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// stamp has a time written by genrepo or by hand, one the database fills
// with mapped.DefaultNow and one it fills with CURRENT_TIMESTAMP.
type stamp struct {
	ID      int64
	Name    string
	At      *time.Time
	Now     *time.Time
	Current *time.Time
}

type stampTable struct {
	*mapped.Table[stamp]
	ID      mapped.Column[stamp, int64]
	Name    mapped.TextColumn[stamp, string]
	At      mapped.Column[stamp, *time.Time]
	Now     mapped.Column[stamp, *time.Time]
	Current mapped.Column[stamp, *time.Time]
}

var stamps = mapped.Define("stamp", func(t *mapped.Table[stamp], s *stamp) stampTable {
	return stampTable{
		Table:   t,
		ID:      mapped.PrimaryKey(t, &s.ID),
		Name:    mapped.Text(t, &s.Name),
		At:      mapped.Col(t, &s.At),
		Now:     mapped.Col(t, &s.Now, mapped.DefaultNow()),
		Current: mapped.Col(t, &s.Current, mapped.DefaultSQL("CURRENT_TIMESTAMP")),
	}
})

// writeStamp inserts a row whose at column another program wrote: on
// SQLite the text as given, on PostgreSQL the same instant as a
// timestamptz literal.
func writeStamp(t testing.TB, db dialect.DB, name, text string, at time.Time) {
	t.Helper()
	ph := func(n int) string { return string(db.Dialect().AppendPlaceholder(nil, n)) }
	var arg any = text
	sql := "INSERT INTO stamp (name, at) VALUES (" + ph(1) + ", " + ph(2) + ")"
	if !db.Dialect().Features().TimeAsText {
		arg = at.Format(time.RFC3339Nano)
		sql = "INSERT INTO stamp (name, at) VALUES (" + ph(1) + ", CAST(" + ph(2) + " AS timestamptz))"
	}
	if _, err := db.Exec(context.Background(), sql, name, arg); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func stampNames(rows []*stamp) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Name
	}
	return out
}

// TestTimesWrittenByOthers reads, compares and orders times that genrepo
// did not write: in the forms SQLite's CURRENT_TIMESTAMP, strftime and
// other programs use on SQLite (timestamptz values on PostgreSQL), beside
// times genrepo wrote. The answers must be the same on both dialects.
func TestTimesWrittenByOthers(t *testing.T) {
	t.Parallel()
	day := func(h, m, s, ns int) time.Time { return time.Date(2024, 3, 1, h, m, s, ns, time.UTC) }
	// Forms that SQLite and most writers share, compared and ordered.
	shared := []struct {
		name, text string
		at         time.Time
	}{
		{"seconds", "2024-03-01 10:00:00", day(10, 0, 0, 0)},                 // CURRENT_TIMESTAMP, datetime()
		{"millis", "2024-03-01 11:30:00.123", day(11, 30, 0, 123e6)},         // strftime('%Y-%m-%d %H:%M:%f')
		{"micros", "2024-03-01 12:00:00.123456", day(12, 0, 0, 123456e3)},    // Python's str(datetime)
		{"fraction", "2024-03-01 09:59:59.999999", day(9, 59, 59, 999999e3)}, // just before "seconds"
		{"tenth", "2024-03-01 10:00:00.1", day(10, 0, 0, 100e6)},             // just after it
		{"last year", "2023-12-31 23:59:59", time.Date(2023, 12, 31, 23, 59, 59, 0, time.UTC)},
	}
	// Forms read back correctly, though SQLite compares them as text: a
	// "T" or an offset sorts after every time of the same day in the
	// shared form, and a date alone or a time without seconds is unequal
	// to the same instant with seconds.
	readOnly := []struct {
		name, text string
		at         time.Time
	}{
		{"no seconds", "2024-03-01 12:30", day(12, 30, 0, 0)},
		{"date", "2024-03-02", time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)}, // date()
		{"iso utc", "2024-04-01T13:00:00Z", time.Date(2024, 4, 1, 13, 0, 0, 0, time.UTC)},
		{"iso offset", "2024-04-01T14:00:00.5+02:00", time.Date(2024, 4, 1, 12, 0, 0, 500e6, time.UTC)},
		{"sqlite offset", "2024-04-01 14:00:00.123456789-07:00", time.Date(2024, 4, 1, 21, 0, 0, 123456e3, time.UTC)},
		{"go string", "2024-04-01 14:00:00.25 +0100 CET", time.Date(2024, 4, 1, 13, 0, 0, 250e6, time.UTC)},
		{"go string monotonic", "2024-04-01 14:00:00 +0000 UTC m=+0.001", time.Date(2024, 4, 1, 14, 0, 0, 0, time.UTC)},
	}
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, stamps.Table)
		r := repo.New(db, stamps.Table)
		for _, s := range shared {
			writeStamp(t, db, s.name, s.text, s.at)
		}
		for _, s := range readOnly {
			writeStamp(t, db, s.name, s.text, s.at)
		}
		// Rows genrepo writes, between those.
		insertAll(t, r,
			&stamp{Name: "genrepo 10:00", At: ptr(day(10, 0, 0, 0))},
			&stamp{Name: "genrepo 11:30:00.5", At: ptr(day(11, 30, 0, 500e6))},
			&stamp{Name: "genrepo 12:00:00.1234567", At: ptr(day(12, 0, 0, 123456700))})

		all, err := r.OrderBy(stamps.ID.Asc()).All(ctx)
		if err != nil {
			t.Fatalf("All: %v", err)
		}
		want := map[string]time.Time{}
		for _, s := range append(shared, readOnly...) {
			want[s.name] = s.at
		}
		for _, row := range all {
			w, ok := want[row.Name]
			if !ok {
				continue
			}
			if row.At == nil || !row.At.Equal(w) || row.At.Location() != time.UTC {
				t.Errorf("%s: read back %v, want %v in UTC", row.Name, row.At, w)
			}
		}

		var others []string
		for _, s := range readOnly {
			others = append(others, s.name)
		}
		only := stamps.Name.NotIn(others...)
		find := func(what string, c query.Cond[stamp]) []string {
			t.Helper()
			rows, err := r.Where(only, c).OrderBy(stamps.At.Asc(), stamps.ID.Asc()).All(ctx)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			return stampNames(rows)
		}
		checks := []struct {
			what string
			cond query.Cond[stamp]
			want []string
		}{
			{"order", query.Cond[stamp]{}, []string{"last year", "fraction", "seconds", "genrepo 10:00", "tenth",
				"millis", "genrepo 11:30:00.5", "micros", "genrepo 12:00:00.1234567"}},
			{"at = 10:00", stamps.At.Eq(ptr(day(10, 0, 0, 0))), []string{"seconds", "genrepo 10:00"}},
			{"at = 11:30:00.123", stamps.At.Eq(ptr(day(11, 30, 0, 123e6))), []string{"millis"}},
			{"at = 12:00:00.123456", stamps.At.Eq(ptr(day(12, 0, 0, 123456e3))), []string{"micros", "genrepo 12:00:00.1234567"}},
			{"at >= 10:00", stamps.At.Ge(ptr(day(10, 0, 0, 0))), []string{"seconds", "genrepo 10:00", "tenth",
				"millis", "genrepo 11:30:00.5", "micros", "genrepo 12:00:00.1234567"}},
			{"at > 10:00", stamps.At.Gt(ptr(day(10, 0, 0, 0))), []string{"tenth",
				"millis", "genrepo 11:30:00.5", "micros", "genrepo 12:00:00.1234567"}},
			{"at < 10:00", stamps.At.Lt(ptr(day(10, 0, 0, 0))), []string{"last year", "fraction"}},
			{"at between 10:00:00.000001 and 12:30", stamps.At.Between(ptr(day(10, 0, 0, 1000)), ptr(day(12, 30, 0, 0))),
				[]string{"tenth", "millis", "genrepo 11:30:00.5", "micros", "genrepo 12:00:00.1234567"}},
			{"at in", stamps.At.In(ptr(day(10, 0, 0, 100e6)), ptr(day(11, 30, 0, 123e6))), []string{"tenth", "millis"}},
		}
		for _, c := range checks {
			if got := find(c.what, c.cond); !slices.Equal(got, c.want) {
				t.Errorf("%s: got %q, want %q", c.what, got, c.want)
			}
		}
		bounds, err := query.Select2(query.Min(stamps.At), query.Max(stamps.At)).Where(only).All(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := time.Date(2023, 12, 31, 23, 59, 59, 0, time.UTC), day(12, 0, 0, 123456e3)
		if len(bounds) != 1 || !bounds[0].V1.V.Equal(lo) || !bounds[0].V2.V.Equal(hi) {
			t.Errorf("Min, Max of at: got %+v, want %v and %v", bounds, lo, hi)
		}
	})
}

// TestDefaultTimes checks that the times the database writes by itself,
// through mapped.DefaultNow and through DEFAULT CURRENT_TIMESTAMP, compare
// and sort with each other and with the times genrepo writes.
func TestDefaultTimes(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, stamps.Table)
		r := repo.New(db, stamps.Table)
		before := time.Now().Add(-time.Minute)
		dflt := &stamp{Name: "defaults"}
		insertAll(t, r, dflt)
		if dflt.Now == nil || dflt.Current == nil {
			t.Fatalf("defaults not read back: now %v, current %v", dflt.Now, dflt.Current)
		}
		if d := dflt.Now.Sub(*dflt.Current); d < 0 || d >= time.Second {
			t.Errorf("DefaultNow %v and CURRENT_TIMESTAMP %v differ by %v", dflt.Now, dflt.Current, d)
		}
		// The now column also holds a CURRENT_TIMESTAMP written by hand
		// (as another program would) and times genrepo writes.
		mustExecIn(t, db, "INSERT INTO stamp (name, now) VALUES ('current in now', CURRENT_TIMESTAMP)")
		insertAll(t, r,
			&stamp{Name: "an hour before", Now: ptr(dflt.Now.Add(-time.Hour))},
			&stamp{Name: "an hour after", Now: ptr(dflt.Now.Add(time.Hour))},
			&stamp{Name: "a second after", Now: ptr(dflt.Current.Add(time.Second))})

		rows, err := r.OrderBy(stamps.Now.Asc(), stamps.ID.Asc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		byTime := slices.Clone(rows)
		slices.SortStableFunc(byTime, func(a, b *stamp) int { return a.Now.Compare(*b.Now) })
		if got, want := stampNames(rows), stampNames(byTime); !slices.Equal(got, want) {
			t.Errorf("ORDER BY now: got %q, want the order of the times read back, %q", got, want)
		}
		for _, c := range []struct {
			what string
			cond query.Cond[stamp]
			want int64
		}{
			{"current >= a minute before", stamps.Current.Ge(&before), 5},
			{"current <= a minute later", stamps.Current.Le(ptr(time.Now().Add(time.Minute))), 5},
			{"now >= a minute before", stamps.Now.Ge(&before), 4},
			{"now = the default read back", stamps.Now.Eq(dflt.Now), 1},
			{"defaults: current = itself", query.And(stamps.Name.Eq("defaults"), stamps.Current.Eq(dflt.Current)), 1},
			{"defaults: now < current", query.And(stamps.Name.Eq("defaults"), stamps.Now.LtCol(stamps.Current)), 0},
			{"defaults: now >= current", query.And(stamps.Name.Eq("defaults"), stamps.Now.LtCol(stamps.Current).Not()), 1},
		} {
			n, err := r.Where(c.cond).Count(ctx)
			if err != nil || n != c.want {
				t.Errorf("%s: got %d, %v; want %d", c.what, n, err, c.want)
			}
		}
	})
}

// mustExecIn runs a statement written for both dialects alike.
func mustExecIn(t testing.TB, db dialect.DB, sql string, args ...any) {
	t.Helper()
	if _, err := db.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// TestTimeRange writes the earliest and latest times each dialect stores
// exactly, and checks that a time beyond either is refused before it is
// sent, naming the column, with nothing written. SQLite keeps years 0001
// to 9999 (its text form has four digits of year); PostgreSQL's
// timestamptz keeps 4714-11-24 BC to 294276-12-31, beyond which pgx would
// send another instant.
func TestTimeRange(t *testing.T) {
	t.Parallel()
	ranges := map[string][2]time.Time{
		"sqlite": {time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)},
		"postgres": {time.Date(-4713, 11, 24, 0, 0, 0, 0, time.UTC),
			time.Date(294276, 12, 31, 23, 59, 59, 999999999, time.UTC)},
	}
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, events.Table)
		r := repo.New(db, events.Table)
		lo, hi := ranges[db.Dialect().Name()][0], ranges[db.Dialect().Name()][1]
		east := time.FixedZone("UTC+05:00", 5*3600)
		inside := map[string]time.Time{
			"earliest":                 lo,
			"latest":                   hi,
			"latest in a zone east":    hi.In(east),
			"year 10000 at 02:00 +05":  time.Date(10000, 1, 1, 2, 0, 0, 0, east),
			"year 1 at 00:00 UTC":      time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
			"year 9999 last second":    time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
			"the zero time, in a zone": time.Time{}.In(time.UTC),
		}
		outside := map[string]time.Time{
			"a microsecond before the earliest": lo.Add(-time.Microsecond),
			"a microsecond after the latest":    hi.Truncate(time.Microsecond).Add(time.Microsecond),
			"Go's latest time":                  time.Unix(1<<63-1-62135596801, 999999999),
			"year 800000":                       time.Date(800000, 1, 1, 0, 0, 0, 0, time.UTC),
			"year -5000":                        time.Date(-5000, 1, 1, 0, 0, 0, 0, time.UTC),
		}
		for name, at := range map[string]time.Time{
			"year 10000": time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
			"year 0":     time.Date(0, 12, 31, 23, 59, 59, 0, time.UTC),
		} {
			if at.Before(lo) || at.After(hi) {
				outside[name] = at
			} else {
				inside[name] = at
			}
		}
		for name, at := range inside {
			e := &event{Name: name, At: at}
			if err := r.Insert(ctx, e); err != nil {
				t.Errorf("%s (%v): Insert: %v", name, at, err)
				continue
			}
			got, err := r.Get(ctx, e.ID)
			if err != nil {
				t.Errorf("%s: Get: %v", name, err)
				continue
			}
			if want := at.Truncate(dialect.TimePrecision); !got.At.Equal(want) {
				t.Errorf("%s: read back %v, want %v", name, got.At, want)
			}
			n, err := r.Where(events.At.Eq(at)).Count(ctx)
			if err != nil || n < 1 {
				t.Errorf("%s: Where at = itself: %d, %v", name, n, err)
			}
		}
		stored := count(t, r)
		for name, at := range outside {
			err := r.Insert(ctx, &event{Name: name, At: at})
			if !errors.Is(err, dialect.ErrNotStorable) || !strings.Contains(err.Error(), "event.at") {
				t.Errorf("%s (%v): Insert: got %v, want dialect.ErrNotStorable naming event.at", name, at, err)
			}
			err = r.InsertMany(ctx, []*event{{Name: "fine", At: lo}, {Name: name, At: at}})
			if !errors.Is(err, dialect.ErrNotStorable) {
				t.Errorf("%s: InsertMany: got %v, want dialect.ErrNotStorable", name, err)
			}
			_, err = r.Where(events.At.Lt(at)).Count(ctx)
			if !errors.Is(err, dialect.ErrNotStorable) || !strings.Contains(err.Error(), "event.at") {
				t.Errorf("%s: Where at < it: got %v, want dialect.ErrNotStorable naming event.at", name, err)
			}
		}
		if n := count(t, r); n != stored {
			t.Errorf("%d rows after the refused writes, want %d", n, stored)
		}
		// Every row still reads.
		if _, err := r.Query().All(ctx); err != nil {
			t.Errorf("All after the refused writes: %v", err)
		}
	})
}

// TestTimesInDatetimeColumns reads times from a table genrepo did not
// create, whose columns are declared DATETIME on SQLite (for which the
// driver hands over a time.Time where it can parse the text, a string
// where it cannot) and timestamptz on PostgreSQL, one of them defaulting
// to CURRENT_TIMESTAMP.
func TestTimesInDatetimeColumns(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		typ := "DATETIME"
		if !db.Dialect().Features().TimeAsText {
			typ = "timestamptz"
		}
		mustExecIn(t, db, "CREATE TABLE stamp (id INTEGER PRIMARY KEY, name TEXT NOT NULL, at "+typ+", now "+typ+
			", current "+typ+" DEFAULT CURRENT_TIMESTAMP)")
		day := func(h, m, s, ns int) time.Time { return time.Date(2024, 3, 1, h, m, s, ns, time.UTC) }
		texts := []struct {
			name, text string
			at         time.Time
		}{
			{"seconds", "2024-03-01 10:00:00", day(10, 0, 0, 0)},
			{"fraction", "2024-03-01 10:00:00.25", day(10, 0, 0, 250e6)},
			{"iso", "2024-03-01T11:00:00Z", day(11, 0, 0, 0)},
			{"offset", "2024-03-01 14:00:00+02:00", day(12, 0, 0, 0)},
			{"go string", "2024-03-01 13:00:00.5 +0100 CET", day(12, 0, 0, 500e6)},
			{"date", "2024-03-02", time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)},
		}
		ph := func(n int) string { return string(db.Dialect().AppendPlaceholder(nil, n)) }
		for i, tt := range texts {
			var arg any = tt.text
			if typ == "timestamptz" {
				arg = tt.at
			}
			mustExecIn(t, db, "INSERT INTO stamp (id, name, at) VALUES ("+ph(1)+", "+ph(2)+", "+ph(3)+")", i+1, tt.name, arg)
		}
		r := repo.New(db, stamps.Table)
		insertAll(t, r, &stamp{ID: 100, Name: "genrepo", At: ptr(day(10, 0, 0, 500e6))})
		rows, err := r.OrderBy(stamps.ID.Asc()).All(ctx)
		if err != nil {
			t.Fatalf("All: %v", err)
		}
		if len(rows) != len(texts)+1 {
			t.Fatalf("%d rows, want %d", len(rows), len(texts)+1)
		}
		for i, tt := range texts {
			if got := rows[i]; got.At == nil || !got.At.Equal(tt.at) || got.At.Location() != time.UTC ||
				got.Current == nil || time.Since(*got.Current) > time.Minute {
				t.Errorf("%s: read back at %v, current %v; want %v in UTC, and now", tt.name, got.At, got.Current, tt.at)
			}
		}
		if got := rows[len(texts)]; got.At == nil || !got.At.Equal(day(10, 0, 0, 500e6)) {
			t.Errorf("genrepo: read back %v", got.At)
		}
		n, err := r.Where(stamps.At.Between(ptr(day(10, 0, 0, 0)), ptr(day(10, 0, 0, 500e6)))).Count(ctx)
		if err != nil || n != 3 {
			t.Errorf("Where at between 10:00 and 10:00:00.5: %d, %v; want 3", n, err)
		}
		n, err = r.Where(stamps.Current.Ge(ptr(time.Now().Add(-time.Minute)))).Count(ctx)
		if err != nil || n != int64(len(rows)) {
			t.Errorf("Where current >= a minute ago: %d, %v; want %d", n, err, len(rows))
		}
	})
}
