package migrate

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// record is a row of the version table: a migration applied.
type record struct {
	version   int64
	name      string
	checksum  string
	appliedAt time.Time
}

// State is where a migration stands in a database.
type State uint8

// The states Status reports.
const (
	// Pending: a file has the migration and the database has not applied
	// it.
	Pending State = iota + 1
	// Applied: the database applied the migration, and its up file is
	// unchanged since.
	Applied
	// Changed: the database applied the migration, and its up file has
	// changed since (another checksum). Up refuses to run until it is
	// reverted or the file restored.
	Changed
	// Missing: the database applied the migration, and no file has its
	// version.
	Missing
)

// String returns the state's lower-case name.
func (s State) String() string {
	switch s {
	case Pending:
		return "pending"
	case Applied:
		return "applied"
	case Changed:
		return "changed"
	case Missing:
		return "missing"
	}
	return fmt.Sprintf("state(%d)", uint8(s))
}

// Status is one migration's state in a database.
type Status struct {
	// Version and Name are the migration's, from its file or, for a
	// Missing one, from the version table.
	Version int64
	Name    string
	// State says whether it is applied.
	State State
	// File is the up file's name; empty when Missing.
	File string
	// AppliedAt is when it was applied, in UTC; zero when Pending.
	AppliedAt time.Time
}

// String returns the migration and its state, "0002_add_index applied".
func (s Status) String() string {
	return label(s.File, s.Version, s.Name) + " " + s.State.String()
}

// status lists every migration of files and of the version table, in
// increasing order of version.
func status(migrations []Migration, applied []record) []Status {
	byVersion := recordsByVersion(applied)
	out := make([]Status, 0, len(migrations)+len(applied))
	for _, m := range migrations {
		s := Status{Version: m.Version, Name: m.Name, State: Pending, File: m.UpFile}
		if r, ok := byVersion[m.Version]; ok {
			s.State, s.AppliedAt = Applied, r.appliedAt
			if r.checksum != m.Checksum {
				s.State = Changed
			}
			delete(byVersion, m.Version)
		}
		out = append(out, s)
	}
	for _, r := range byVersion {
		out = append(out, Status{Version: r.version, Name: r.name, State: Missing, AppliedAt: r.appliedAt})
	}
	slices.SortFunc(out, func(a, b Status) int { return cmp.Compare(a.Version, b.Version) })
	return out
}

func recordsByVersion(applied []record) map[int64]record {
	m := make(map[int64]record, len(applied))
	for _, r := range applied {
		m[r.version] = r
	}
	return m
}

// planUp returns the migrations Up applies, in order: the pending ones
// up to version to (0: all). It refuses, applying nothing, when an
// applied migration's up file changed or is missing, or when a pending
// migration to apply is older than an applied one.
func planUp(migrations []Migration, applied []record, to int64) ([]Migration, error) {
	if to < 0 {
		return nil, fmt.Errorf("version %d: want a positive version, or 0 for all", to)
	}
	files := make(map[int64]Migration, len(migrations))
	for _, m := range migrations {
		files[m.Version] = m
	}
	var last int64
	for _, r := range applied {
		m, ok := files[r.version]
		if !ok {
			return nil, fmt.Errorf("%s: %w", label("", r.version, r.name), ErrMissing)
		}
		if m.Checksum != r.checksum {
			return nil, fmt.Errorf("%s: %w (checksum %.12s… recorded, %.12s… now)", m.UpFile, ErrChanged, r.checksum, m.Checksum)
		}
		last = max(last, r.version)
	}
	byVersion := recordsByVersion(applied)
	var plan []Migration
	for _, m := range migrations {
		if _, ok := byVersion[m.Version]; ok || to != 0 && m.Version > to {
			continue
		}
		if m.Version < last {
			return nil, fmt.Errorf("%s: %w (version %d)", m.UpFile, ErrOutOfOrder, last)
		}
		plan = append(plan, m)
	}
	return plan, nil
}

// planDown returns the migrations Down reverts, in order: the last n
// applied. It refuses, reverting nothing, when one of them has no down
// file, a down file with no SQL, or no file at all.
func planDown(migrations []Migration, applied []record, n int) ([]Migration, error) {
	if n < 1 {
		return nil, fmt.Errorf("%d migrations: want at least 1", n)
	}
	files := make(map[int64]Migration, len(migrations))
	for _, m := range migrations {
		files[m.Version] = m
	}
	recs := slices.Clone(applied)
	slices.SortFunc(recs, func(a, b record) int { return cmp.Compare(b.version, a.version) })
	var plan []Migration
	for _, r := range recs[:min(n, len(recs))] {
		m, ok := files[r.version]
		switch {
		case !ok:
			return nil, fmt.Errorf("%s: %w", label("", r.version, r.name), ErrMissing)
		case !m.Reversible():
			return nil, fmt.Errorf("%s: %w (want %s)", m.UpFile, ErrIrreversible, m.String()+downSuffix)
		case isBlank(m.Down):
			return nil, fmt.Errorf("%s: %w", m.DownFile, ErrEmptyDown)
		}
		plan = append(plan, m)
	}
	return plan, nil
}
