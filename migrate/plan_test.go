package migrate

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// mig is a migration of version v named m<v>, reversible or not.
func mig(v int64, reversible bool) Migration {
	m := Migration{Version: v, Name: fmt.Sprintf("m%d", v), Up: "SELECT 1;", Checksum: fmt.Sprintf("sum%d", v)}
	m.UpFile = fmt.Sprintf("%04d_%s.up.sql", v, m.Name)
	if reversible {
		m.DownFile = fmt.Sprintf("%04d_%s.down.sql", v, m.Name)
		m.Down = "SELECT 1;"
	}
	return m
}

func rec(v int64) record {
	return record{version: v, name: fmt.Sprintf("m%d", v), checksum: fmt.Sprintf("sum%d", v), appliedAt: time.Unix(v, 0)}
}

func show(ms []Migration, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	var s []string
	for _, m := range ms {
		s = append(s, m.String())
	}
	return strings.Join(s, " ")
}

func TestPlanUp(t *testing.T) {
	t.Parallel()
	files := []Migration{mig(1, true), mig(2, true), mig(3, false), mig(5, true)}
	changed := rec(2)
	changed.checksum = "other"
	tests := []struct {
		name    string
		applied []record
		to      int64
		want    string
		target  error
	}{
		{"fresh, all", nil, 0, "0001_m1 0002_m2 0003_m3 0005_m5", nil},
		{"fresh, up to 2", nil, 2, "0001_m1 0002_m2", nil},
		{"up to 4, between versions", nil, 4, "0001_m1 0002_m2 0003_m3", nil},
		{"some applied", []record{rec(1), rec(2)}, 0, "0003_m3 0005_m5", nil},
		{"to below applied", []record{rec(1), rec(2)}, 1, "", nil},
		{"all applied", []record{rec(1), rec(2), rec(3), rec(5)}, 0, "", nil},
		{"changed", []record{rec(1), changed}, 0, "error: 0002_m2.up.sql: migrate: changed since it was applied (checksum other… recorded, sum2… now)", ErrChanged},
		{"missing", []record{rec(1), rec(4)}, 0, "error: 0004_m4: migrate: applied, but no file has this version", ErrMissing},
		{"out of order", []record{rec(1), rec(3)}, 0, "error: 0002_m2.up.sql: migrate: pending, but a later version is already applied (version 3)", ErrOutOfOrder},
		{"out of order, not asked for", []record{rec(1), rec(3)}, 1, "", nil},
		{"negative", nil, -1, "error: version -1: want a positive version, or 0 for all", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := planUp(files, tt.applied, tt.to)
			if got := show(plan, err); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if tt.target != nil && !errors.Is(err, tt.target) {
				t.Errorf("error %v does not match %v", err, tt.target)
			}
		})
	}
}

func TestPlanDown(t *testing.T) {
	t.Parallel()
	empty := mig(5, true)
	empty.Down = "-- 0005_m5: the SQL that reverts it.\n/* none */\n"
	files := []Migration{mig(1, true), mig(2, false), mig(3, true), mig(4, true), empty}
	tests := []struct {
		name    string
		applied []record
		n       int
		want    string
		target  error
	}{
		{"last one", []record{rec(1), rec(3), rec(4)}, 1, "0004_m4", nil},
		{"latest first", []record{rec(4), rec(1), rec(3)}, 2, "0004_m4 0003_m3", nil},
		{"more than applied", []record{rec(1)}, 5, "0001_m1", nil},
		{"nothing applied", nil, 1, "", nil},
		{"irreversible", []record{rec(1), rec(2), rec(3)}, 2, "error: 0002_m2.up.sql: migrate: no down file, so it cannot be reverted (want 0002_m2.down.sql)", ErrIrreversible},
		{"irreversible not reached", []record{rec(1), rec(2), rec(3)}, 1, "0003_m3", nil},
		{"empty down", []record{rec(3), rec(4), rec(5)}, 2, "error: 0005_m5.down.sql: migrate: no SQL in the down file; write what reverts it, or delete the file if it cannot be reverted", ErrEmptyDown},
		{"empty down not applied", []record{rec(3), rec(4)}, 2, "0004_m4 0003_m3", nil},
		{"missing", []record{rec(1), rec(7)}, 1, "error: 0007_m7: migrate: applied, but no file has this version", ErrMissing},
		{"zero", []record{rec(1)}, 0, "error: 0 migrations: want at least 1", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := planDown(files, tt.applied, tt.n)
			if got := show(plan, err); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if tt.target != nil && !errors.Is(err, tt.target) {
				t.Errorf("error %v does not match %v", err, tt.target)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	t.Parallel()
	files := []Migration{mig(1, true), mig(2, true), mig(4, true)}
	changed := rec(2)
	changed.checksum = "other"
	got := status(files, []record{rec(1), changed, rec(3)})
	var lines []string
	for _, s := range got {
		lines = append(lines, fmt.Sprintf("%s file=%q at=%d", s, s.File, s.AppliedAt.Unix()))
	}
	want := []string{
		`0001_m1 applied file="0001_m1.up.sql" at=1`,
		`0002_m2 changed file="0002_m2.up.sql" at=2`,
		`0003_m3 missing file="" at=3`,
		`0004_m4 pending file="0004_m4.up.sql" at=-62135596800`,
	}
	if g, w := strings.Join(lines, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("got\n%s\nwant\n%s", g, w)
	}
	if s := State(9).String(); s != "state(9)" {
		t.Errorf("State(9): %s", s)
	}
}

func TestIsBlank(t *testing.T) {
	t.Parallel()
	for sql, want := range map[string]bool{
		"":                               true,
		" \n\t":                          true,
		"-- only a comment":              true,
		"-- one\n-- two\n":               true,
		"/* block */":                    true,
		"/* nested /* block */ still */": true,
		"/* unterminated":                false,
		"/* nested /* block */ */ x":     false,
		"SELECT 1":                       false,
		"-- comment\nSELECT 1":           false,
		"/**/;":                          false,
	} {
		if got := isBlank(sql); got != want {
			t.Errorf("isBlank(%q) = %v, want %v", sql, got, want)
		}
	}
}

func TestTidy(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"migrate: up: 0002_x.up.sql: migrate: changed":         "migrate: up: 0002_x.up.sql: changed",
		"migrate: up: lock: postgres: acquire connection: x":   "migrate: up: lock: acquire connection: x",
		"migrate: down: f: sqlite: commit: dialect: retryable": "migrate: down: f: commit: retryable",
		"plain": "plain",
	} {
		if got := tidy(in); got != want {
			t.Errorf("tidy(%q) = %q, want %q", in, got, want)
		}
	}
}
