package dialect_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
)

func TestQuoteIdent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"plain", "artist", `"artist"`},
		{"empty", "", `""`},
		{"space", "track title", `"track title"`},
		{"quote", `a"b`, `"a""b"`},
		{"only quotes", `""`, `""""""`},
		{"injection", `x"; DROP TABLE t; --`, `"x""; DROP TABLE t; --"`},
		{"unicode", "café", `"café"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := string(dialect.QuoteIdent(nil, tt.in)); got != tt.want {
				t.Errorf("QuoteIdent(nil, %q) = %s, want %s", tt.in, got, tt.want)
			}
			if got := dialect.Quote(tt.in); got != tt.want {
				t.Errorf("Quote(%q) = %s, want %s", tt.in, got, tt.want)
			}
			prefix := []byte("SELECT * FROM ")
			if got, want := string(dialect.QuoteIdent(prefix, tt.in)), "SELECT * FROM "+tt.want; got != want {
				t.Errorf("QuoteIdent(prefix, %q) = %s, want %s", tt.in, got, want)
			}
		})
	}
}

func TestCheckIdent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"plain", "artist", true},
		{"underscore digits", "track_2", true},
		{"space", "track title", true},
		{"unicode", "café", true},
		{"63 bytes", strings.Repeat("a", 63), true},
		{"63 bytes multibyte", strings.Repeat("é", 31) + "a", true},
		{"empty", "", false},
		{"64 bytes", strings.Repeat("a", 64), false},
		{"64 bytes multibyte", strings.Repeat("é", 32), false},
		{"invalid utf-8", "a\xffb", false},
		{"nul", "a\x00b", false},
		{"double quote", `a"b`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := dialect.CheckIdent(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckIdent(%q) = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "dialect: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestCheckText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"empty", "", true},
		{"ascii", "Queen", true},
		{"unicode", "Motörhead ✓", true},
		{"nul", "a\x00b", false},
		{"invalid utf-8", "a\xc3", false},
	}
	for _, tt := range tests {
		err := dialect.CheckText(tt.in)
		if tt.ok && err != nil {
			t.Errorf("%s: CheckText(%q) = %v, want nil", tt.name, tt.in, err)
		}
		if !tt.ok && !errors.Is(err, dialect.ErrInvalidText) {
			t.Errorf("%s: CheckText(%q) = %v, want ErrInvalidText", tt.name, tt.in, err)
		}
	}
}

func TestAppendDollar(t *testing.T) {
	t.Parallel()
	b := dialect.AppendDollar([]byte("a = "), 1)
	b = dialect.AppendDollar(append(b, ", b = "...), 65535)
	if got, want := string(b), "a = $1, b = $65535"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFormatTimeRoundTrip(t *testing.T) {
	t.Parallel()
	tokyo := time.FixedZone("JST", 9*3600)
	newYork := time.FixedZone("EST", -5*3600)
	tests := []struct {
		name string
		in   time.Time
		text string
	}{
		{"utc", time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC), "2024-02-29 13:14:15.123456"},
		{"east of utc", time.Date(2024, 3, 1, 0, 30, 0, 0, tokyo), "2024-02-29 15:30:00"},
		{"west of utc", time.Date(2023, 12, 31, 22, 0, 0, 5000, newYork), "2024-01-01 03:00:00.000005"},
		{"trailing zeros trimmed", time.Date(2024, 1, 1, 0, 0, 0, 500000000, time.UTC), "2024-01-01 00:00:00.5"},
		{"truncated not rounded", time.Date(2024, 1, 1, 0, 0, 0, 999999999, time.UTC), "2024-01-01 00:00:00.999999"},
		{"below precision", time.Date(2024, 1, 1, 0, 0, 0, 999, time.UTC), "2024-01-01 00:00:00"},
		{"year one", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), "0001-01-01 00:00:00"},
		{"year 9999", time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC), "9999-12-31 23:59:59.999999"},
	}
	for _, tt := range tests {
		got := dialect.FormatTime(tt.in)
		if got != tt.text {
			t.Errorf("%s: FormatTime(%v) = %q, want %q", tt.name, tt.in, got, tt.text)
		}
		back, err := dialect.ParseTime(got)
		if err != nil {
			t.Errorf("%s: ParseTime(%q): %v", tt.name, got, err)
			continue
		}
		want := tt.in.Truncate(dialect.TimePrecision)
		if !back.Equal(want) {
			t.Errorf("%s: ParseTime(FormatTime(%v)) = %v, want %v", tt.name, tt.in, back, want)
		}
		if back.Location() != time.UTC {
			t.Errorf("%s: ParseTime returned location %v, want UTC", tt.name, back.Location())
		}
	}
}

// Text order must be time order whatever zone the times were in, since
// SQLite compares the stored text.
func TestFormatTimeSortsAsTime(t *testing.T) {
	t.Parallel()
	base := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	zones := []*time.Location{time.UTC, time.FixedZone("A", 14*3600),
		time.FixedZone("B", -12*3600), time.FixedZone("C", 5*3600+45*60)}
	var times []time.Time
	for i, step := range []time.Duration{0, time.Microsecond, 10 * time.Microsecond,
		time.Millisecond, 100 * time.Millisecond, 120 * time.Millisecond, 999999 * time.Microsecond,
		time.Second, 1500 * time.Millisecond, 59 * time.Minute, 11 * time.Hour, 13 * time.Hour,
		24 * time.Hour, 400 * 24 * time.Hour} {
		for j, z := range zones {
			times = append(times, base.Add(step).In(z), base.Add(-step).In(zones[(i+j)%len(zones)]))
		}
	}
	texts := make([]string, len(times))
	for i, tm := range times {
		texts[i] = dialect.FormatTime(tm)
	}
	byTime := slices.Clone(times)
	slices.SortStableFunc(byTime, func(a, b time.Time) int { return a.Compare(b) })
	slices.Sort(texts)
	for i := range texts {
		got, err := dialect.ParseTime(texts[i])
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(byTime[i]) {
			t.Fatalf("text order differs from time order at %d: text %s, time %v", i, texts[i], byTime[i])
		}
		if i > 0 && texts[i] == texts[i-1] && !byTime[i].Equal(byTime[i-1]) {
			t.Fatalf("distinct times %v and %v format alike", byTime[i-1], byTime[i])
		}
	}
}

func TestParseTime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2024-01-02 03:04:05", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)},
		{"2024-01-02 03:04:05.250", time.Date(2024, 1, 2, 3, 4, 5, 250e6, time.UTC)},
		{"2024-01-02T03:04:05", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)},
		{"2024-01-02", time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)},
		{"2024-01-02T03:04:05+02:00", time.Date(2024, 1, 2, 1, 4, 5, 0, time.UTC)},
		{"2024-01-02 03:04:05+02:00", time.Date(2024, 1, 2, 1, 4, 5, 0, time.UTC)},
		{"2024-01-02T03:04:05.000000001Z", time.Date(2024, 1, 2, 3, 4, 5, 1, time.UTC)},
		// genrepo's own form, fraction trimmed.
		{"2024-01-02 03:04:05.5", time.Date(2024, 1, 2, 3, 4, 5, 500e6, time.UTC)},
		{"2024-01-02 03:04:05.123456", time.Date(2024, 1, 2, 3, 4, 5, 123456e3, time.UTC)},
		// SQLite's time values without seconds, with Z.
		{"2024-01-02 03:04", time.Date(2024, 1, 2, 3, 4, 0, 0, time.UTC)},
		{"2024-01-02T03:04", time.Date(2024, 1, 2, 3, 4, 0, 0, time.UTC)},
		{"2024-01-02 03:04Z", time.Date(2024, 1, 2, 3, 4, 0, 0, time.UTC)},
		{"2024-01-02 03:04:05Z", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)},
		{"2024-01-02 03:04:05.123-05:30", time.Date(2024, 1, 2, 8, 34, 5, 123e6, time.UTC)},
		// modernc.org/sqlite's forms for a bound time.Time: its "sqlite"
		// format, and time.Time.String (its default), monotonic reading and
		// all.
		{"2024-01-02 03:04:05.123456789-07:00", time.Date(2024, 1, 2, 10, 4, 5, 123456789, time.UTC)},
		{"2024-01-02 03:04:05.5 +0100 CET", time.Date(2024, 1, 2, 2, 4, 5, 500e6, time.UTC)},
		{"2024-01-02 03:04:05 +0000 UTC", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)},
		{"2024-01-02 03:04:05 -0330 -0330", time.Date(2024, 1, 2, 6, 34, 5, 0, time.UTC)},
		{"2024-01-02 03:04:05.25 +0000 UTC m=+0.000012345", time.Date(2024, 1, 2, 3, 4, 5, 250e6, time.UTC)},
		{"2024-01-02 03:04:05+0200", time.Date(2024, 1, 2, 1, 4, 5, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, err := dialect.ParseTime(tt.in)
		if err != nil {
			t.Errorf("ParseTime(%q): %v", tt.in, err)
			continue
		}
		if !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "2024-13-01", "2024-01-02 25:00:00", "1704164645",
		"10000-01-01 00:00:00", "2024-01-02 03:04:05 +0100 CET trailing", "2024-01-02x03:04:05"} {
		if got, err := dialect.ParseTime(bad); err == nil {
			t.Errorf("ParseTime(%q) = %v, want an error", bad, got)
		} else if !strings.Contains(err.Error(), bad) {
			t.Errorf("ParseTime(%q) error %q does not quote the input", bad, err)
		}
	}
}

func TestConstraintError(t *testing.T) {
	t.Parallel()
	driverErr := errors.New("driver says no")
	tests := []struct {
		err      *dialect.ConstraintError
		sentinel error
		msg      string
	}{
		{&dialect.ConstraintError{Kind: dialect.Unique, Table: "artist", Constraint: "artist_name_key", Err: driverErr},
			dialect.ErrUnique, `dialect: unique constraint "artist_name_key" violated on artist: driver says no`},
		{&dialect.ConstraintError{Kind: dialect.NotNull, Table: "artist", Column: "name", Err: driverErr},
			dialect.ErrNotNull, `dialect: not null constraint violated on artist.name: driver says no`},
		{&dialect.ConstraintError{Kind: dialect.ForeignKey, Err: driverErr},
			dialect.ErrForeignKey, `dialect: foreign key constraint violated: driver says no`},
		{&dialect.ConstraintError{Kind: dialect.Check, Constraint: "positive"},
			dialect.ErrCheck, `dialect: check constraint "positive" violated`},
	}
	sentinels := []error{dialect.ErrUnique, dialect.ErrForeignKey, dialect.ErrNotNull, dialect.ErrCheck}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.msg {
			t.Errorf("Error() = %q, want %q", got, tt.msg)
		}
		for _, s := range sentinels {
			if got, want := errors.Is(tt.err, s), s == tt.sentinel; got != want {
				t.Errorf("%v: errors.Is(err, %v) = %v, want %v", tt.err.Kind, s, got, want)
			}
		}
		if tt.err.Err != nil && !errors.Is(tt.err, driverErr) {
			t.Errorf("%v: the driver's error is not reachable through Unwrap", tt.err.Kind)
		}
		if errors.Is(tt.err, nil) {
			t.Errorf("%v: errors.Is(err, nil) = true", tt.err.Kind)
		}
	}
	unknown := &dialect.ConstraintError{}
	for _, s := range sentinels {
		if errors.Is(unknown, s) {
			t.Errorf("a ConstraintError of no kind matches %v", s)
		}
	}
}

func TestStrings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		got, want string
	}{
		{dialect.Unique.String(), "unique"},
		{dialect.ForeignKey.String(), "foreign key"},
		{dialect.NotNull.String(), "not null"},
		{dialect.Check.String(), "check"},
		{dialect.ConstraintKind(0).String(), "unknown"},
		{dialect.Default.String(), "DEFAULT"},
		{dialect.ReadUncommitted.String(), "READ UNCOMMITTED"},
		{dialect.ReadCommitted.String(), "READ COMMITTED"},
		{dialect.RepeatableRead.String(), "REPEATABLE READ"},
		{dialect.Serializable.String(), "SERIALIZABLE"},
		{dialect.OpQuery.String(), "query"},
		{dialect.OpExec.String(), "exec"},
		{dialect.OpBegin.String(), "begin"},
		{dialect.OpCommit.String(), "commit"},
		{dialect.OpRollback.String(), "rollback"},
		{dialect.Op(0).String(), "unknown"},
		{dialect.Bool.String(), "bool"},
		{dialect.Numeric.String(), "numeric"},
		{dialect.Custom.String(), "custom"},
		{dialect.Kind(200).String(), "kind(200)"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestSettings(t *testing.T) {
	t.Parallel()
	var zero dialect.Settings
	if !zero.Start().IsZero() {
		t.Error("Start without a hook read the clock")
	}
	zero.Observe(context.Background(), dialect.OpExec, "SELECT 1", 0, time.Time{}, nil) // must not panic

	var order []string
	s := dialect.Apply([]dialect.Option{
		dialect.WithHook(func(_ context.Context, e dialect.Event) { order = append(order, "first "+e.Op.String()) }),
		nil,
		dialect.WithHook(func(_ context.Context, e dialect.Event) { order = append(order, "second "+e.SQL) }),
	})
	start := s.Start()
	if start.IsZero() {
		t.Error("Start with a hook returned the zero time")
	}
	s.Observe(context.Background(), dialect.OpExec, "DELETE FROM t", 2, start, nil)
	if want := []string{"first exec", "second DELETE FROM t"}; !slices.Equal(order, want) {
		t.Errorf("hooks ran as %q, want %q", order, want)
	}
}
