package dialect_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

// constraintCase is one violation and the ConstraintError each dialect
// builds from it. Table, Column and Constraint are what that dialect's
// driver reports.
type constraintCase struct {
	name     string
	sql      string
	args     []any
	kind     dialect.ConstraintKind
	sentinel error
	want     map[string]dialect.ConstraintError // by dialect name
}

func TestConstraintErrors(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		for _, ddl := range []string{
			`CREATE TABLE band (
				id INTEGER PRIMARY KEY,
				name VARCHAR(40) NOT NULL,
				CONSTRAINT band_name_key UNIQUE (name))`,
			`CREATE TABLE song (
				id INTEGER PRIMARY KEY,
				band_id INTEGER NOT NULL,
				length INTEGER,
				disc INTEGER, side INTEGER,
				CONSTRAINT song_band_fkey FOREIGN KEY (band_id) REFERENCES band (id),
				CONSTRAINT song_length_positive CHECK (length > 0),
				CONSTRAINT song_disc_side_key UNIQUE (disc, side))`,
			`CREATE TABLE note (body TEXT CHECK (length(body) < 5))`,
		} {
			mustExec(t, db, ddl)
		}
		p1, p2, p3 := ph(db, 1), ph(db, 2), ph(db, 3)
		mustExec(t, db, "INSERT INTO band (id, name) VALUES (1, 'Queen')")
		mustExec(t, db, "INSERT INTO song (id, band_id, length, disc, side) VALUES (1, 1, 354, 1, 1)")

		cases := []constraintCase{
			{name: "unique", kind: dialect.Unique, sentinel: dialect.ErrUnique,
				sql: "INSERT INTO band (id, name) VALUES (" + p1 + ", " + p2 + ")", args: []any{2, "Queen"},
				want: map[string]dialect.ConstraintError{
					"postgres": {Table: "band", Constraint: "band_name_key"},
					"sqlite":   {Table: "band", Column: "name"},
				}},
			{name: "unique on two columns", kind: dialect.Unique, sentinel: dialect.ErrUnique,
				sql:  "INSERT INTO song (id, band_id, length, disc, side) VALUES (2, 1, 10, " + p1 + ", " + p2 + ")",
				args: []any{1, 1},
				want: map[string]dialect.ConstraintError{
					"postgres": {Table: "song", Constraint: "song_disc_side_key"},
					"sqlite":   {Table: "song", Column: "disc, side"},
				}},
			{name: "primary key", kind: dialect.Unique, sentinel: dialect.ErrUnique,
				sql: "INSERT INTO band (id, name) VALUES (" + p1 + ", " + p2 + ")", args: []any{1, "Muse"},
				want: map[string]dialect.ConstraintError{
					"postgres": {Table: "band", Constraint: "band_pkey"},
					"sqlite":   {Table: "band", Column: "id"},
				}},
			{name: "not null", kind: dialect.NotNull, sentinel: dialect.ErrNotNull,
				sql: "INSERT INTO band (id, name) VALUES (" + p1 + ", " + p2 + ")", args: []any{3, nil},
				want: map[string]dialect.ConstraintError{
					"postgres": {Table: "band", Column: "name"},
					"sqlite":   {Table: "band", Column: "name"},
				}},
			{name: "foreign key on insert", kind: dialect.ForeignKey, sentinel: dialect.ErrForeignKey,
				sql: "INSERT INTO song (id, band_id, length) VALUES (" + p1 + ", " + p2 + ", " + p3 + ")", args: []any{3, 99, 10},
				want: map[string]dialect.ConstraintError{
					"postgres": {Table: "song", Constraint: "song_band_fkey"},
					"sqlite":   {},
				}},
			{name: "foreign key on delete", kind: dialect.ForeignKey, sentinel: dialect.ErrForeignKey,
				sql: "DELETE FROM band WHERE id = " + p1, args: []any{1},
				want: map[string]dialect.ConstraintError{
					// PostgreSQL names the referencing table.
					"postgres": {Table: "song", Constraint: "song_band_fkey"},
					"sqlite":   {},
				}},
			{name: "named check", kind: dialect.Check, sentinel: dialect.ErrCheck,
				sql: "UPDATE song SET length = " + p1 + " WHERE id = 1", args: []any{-1},
				want: map[string]dialect.ConstraintError{
					"postgres": {Table: "song", Constraint: "song_length_positive"},
					"sqlite":   {Constraint: "song_length_positive"},
				}},
			{name: "unnamed check", kind: dialect.Check, sentinel: dialect.ErrCheck,
				sql: "INSERT INTO note (body) VALUES (" + p1 + ")", args: []any{"too long"},
				want: map[string]dialect.ConstraintError{
					"postgres": {Table: "note", Constraint: "note_body_check"},
					// SQLite names an unnamed CHECK by its expression.
					"sqlite": {Constraint: "length(body) < 5"},
				}},
		}
		name := db.Dialect().Name()
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := db.Exec(ctx, c.sql, c.args...)
				checkConstraintError(t, name, err, c)
				// The same violation inside a transaction, and reported
				// through Query rather than Exec.
				err = dialect.InTx(ctx, db, func(tx dialect.Executor) error {
					rows, err := tx.Query(ctx, c.sql, c.args...)
					if err != nil {
						return err
					}
					for rows.Next() {
					}
					return rows.Close()
				})
				checkConstraintError(t, name, err, c)
			})
		}
		// Nothing was written by the failed statements.
		if got := testdb.Scalar[int64](t, db, "SELECT count(*) FROM song"); got != 1 {
			t.Errorf("%d songs, want 1", got)
		}
		if got := names(t, db, "band"); len(got) != 1 {
			t.Errorf("bands %q, want only Queen", got)
		}
	})
}

func checkConstraintError(t *testing.T, dialectName string, err error, c constraintCase) {
	t.Helper()
	var ce *dialect.ConstraintError
	if !errors.As(err, &ce) {
		t.Fatalf("got %v (%T), want a *dialect.ConstraintError", err, err)
	}
	if ce.Kind != c.kind {
		t.Errorf("Kind = %v, want %v", ce.Kind, c.kind)
	}
	for _, s := range []error{dialect.ErrUnique, dialect.ErrForeignKey, dialect.ErrNotNull, dialect.ErrCheck} {
		if got, want := errors.Is(err, s), s == c.sentinel; got != want {
			t.Errorf("errors.Is(err, %v) = %v, want %v", s, got, want)
		}
	}
	want := c.want[dialectName]
	if ce.Table != want.Table || ce.Column != want.Column || ce.Constraint != want.Constraint {
		t.Errorf("table, column, constraint = %q, %q, %q; want %q, %q, %q",
			ce.Table, ce.Column, ce.Constraint, want.Table, want.Column, want.Constraint)
	}
	if want.Constraint != "" && !strings.Contains(err.Error(), want.Constraint) {
		t.Errorf("message %q does not name the constraint %q", err, want.Constraint)
	}
	switch dialectName {
	case "postgres":
		var pe *pgconn.PgError
		if !errors.As(err, &pe) {
			t.Fatalf("errors.As(err, *pgconn.PgError) failed for %v", err)
		}
		if !strings.HasPrefix(pe.Code, "23") {
			t.Errorf("SQLSTATE %s, want class 23", pe.Code)
		}
	case "sqlite":
		var se *sqlite.Error
		if !errors.As(err, &se) {
			t.Fatalf("errors.As(err, *sqlite.Error) failed for %v", err)
		}
		if se.Code()&0xff != 19 { // SQLITE_CONSTRAINT
			t.Errorf("SQLite code %d, want an extended SQLITE_CONSTRAINT code", se.Code())
		}
	}
}

// Errors that are not constraint violations come back unchanged and match
// no sentinel.
func TestOtherErrorsUntranslated(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		for _, sql := range []string{"SELECT * FROM no_such_table", "SELEC 1"} {
			_, err := db.Exec(ctx, sql)
			if err == nil {
				t.Fatalf("%s: no error", sql)
			}
			var ce *dialect.ConstraintError
			if errors.As(err, &ce) {
				t.Errorf("%s: reported as a constraint violation: %v", sql, err)
			}
			for _, s := range []error{dialect.ErrUnique, dialect.ErrForeignKey, dialect.ErrNotNull, dialect.ErrCheck} {
				if errors.Is(err, s) {
					t.Errorf("%s: matches %v", sql, s)
				}
			}
			if _, err := db.Query(ctx, sql); err == nil {
				t.Errorf("Query(%s): no error", sql)
			}
		}
		if got := db.Dialect().TranslateError(nil); got != nil {
			t.Errorf("TranslateError(nil) = %v", got)
		}
		plain := errors.New("plain")
		if got := db.Dialect().TranslateError(plain); got != plain {
			t.Errorf("TranslateError(plain) = %v, want it unchanged", got)
		}
	})
}
