package migrate

import (
	"errors"
	"fmt"
	"strings"
)

// The errors a Runner returns, wrapped in one that names the operation and
// the file, for errors.Is.
var (
	// ErrChanged is returned by Up when the up file of an applied
	// migration no longer has the checksum recorded when it was applied.
	// Up then applies nothing. Revert the migration with Down (which
	// allows it), or restore the file.
	ErrChanged = errors.New("migrate: changed since it was applied")
	// ErrMissing is returned by Up when the version table holds a version
	// that no file has (the database is ahead of the program, or a file
	// was deleted), and by Down when it would have to revert one. Nothing
	// is applied or reverted.
	ErrMissing = errors.New("migrate: applied, but no file has this version")
	// ErrIrreversible is returned by Down when a migration it would
	// revert has no down file. Nothing is reverted.
	ErrIrreversible = errors.New("migrate: no down file, so it cannot be reverted")
	// ErrEmptyDown is returned by Down when a migration it would revert
	// has a down file holding no SQL (only comments and white space, as
	// NewFiles writes it): running it would revert nothing and report
	// success. Nothing is reverted. Write the SQL that reverts the
	// migration, or delete the down file to mark it irreversible.
	ErrEmptyDown = errors.New("migrate: no SQL in the down file; write what reverts it, or delete the file if it cannot be reverted")
	// ErrPragma is returned by Up and Down when a SQLite migration they
	// would run sets a PRAGMA of the connection (case_sensitive_like,
	// foreign_keys, busy_timeout…), which would stay set on the pool's
	// connection after the migration: nothing is applied or reverted.
	// PRAGMAs that read or check (PRAGMA foreign_keys;, foreign_key_check),
	// that set the database file's own numbers (user_version,
	// application_id) or that last one transaction (defer_foreign_keys)
	// are run. Set connection settings in the program, where it opens the
	// database.
	ErrPragma = errors.New("migrate: a PRAGMA setting the connection outlives the migration; set it where the program opens the database")
	// ErrOutOfOrder is returned by Up when a pending migration has a lower
	// version than one already applied (two branches each added one, say).
	// Nothing is applied; renumber the pending migration above the
	// applied ones.
	ErrOutOfOrder = errors.New("migrate: pending, but a later version is already applied")
)

// errorf is fmt.Errorf with the message tidied so that it names its
// package once: segments that are only "migrate", "dialect", "postgres"
// or "sqlite" are dropped after the first, as in "migrate: up:
// 0002_x.up.sql: changed since it was applied" rather than "migrate: up:
// 0002_x.up.sql: migrate: changed since it was applied". errors.Is and
// errors.As see the whole chain.
func errorf(format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &tidyError{msg: tidy(err.Error()), err: err}
}

type tidyError struct {
	msg string
	err error
}

func (e *tidyError) Error() string { return e.msg }
func (e *tidyError) Unwrap() error { return e.err }

// tidy drops, from the second segment of msg on, the segments that name
// only a package.
func tidy(msg string) string {
	segments := strings.Split(msg, ": ")
	out := segments[:1]
	for _, s := range segments[1:] {
		switch s {
		case "migrate", "dialect", "postgres", "sqlite":
			continue
		}
		out = append(out, s)
	}
	return strings.Join(out, ": ")
}
