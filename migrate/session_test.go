package migrate_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/genrepo/genrepo/dialect"
)

// TestSessionSettingsRestored (PostgreSQL: the runner migrates on one
// connection of the program's pool, pinned for the advisory lock, and
// hands it back): what a migration sets for the session — a lock timeout,
// the search path, a role — is put back as it was before the run, a
// setting the program made on that session included, so the pool's next
// user does not inherit it.
func TestSessionSettingsRestored(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	u, err := url.Parse(freshDSN(t, "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("pool_max_conns", "1") // the pool's only connection is the one the runner pins
	u.RawQuery = q.Encode()
	db := openDSN(t, u.String())
	// The role a migration takes is the session user's own (any other
	// would need privileges on the test's schema): the role setting
	// changes all the same, from none to that name.
	role := scalar[string](t, db, "SELECT quote_ident(session_user)")
	if _, err := db.Exec(ctx, "SET statement_timeout = '9s'"); err != nil {
		t.Fatal(err)
	}
	before := settings(t, db)
	r := newRunner(t, db, dir(
		"0001_settings.up.sql", "SET lock_timeout = '2s'; SET statement_timeout = '7s'; SET search_path = pg_catalog; SET ROLE "+role+";",
		"0001_settings.down.sql", "SET lock_timeout = '3s'; RESET statement_timeout;",
	))
	if _, err := r.Up(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if got := settings(t, db); got != before {
		t.Errorf("after Up, the pool's connection has\n%s\nbefore it had\n%s", got, before)
	}
	if _, err := r.Down(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if got := settings(t, db); got != before {
		t.Errorf("after Down, the pool's connection has\n%s\nbefore it had\n%s", got, before)
	}
}

// settings describes the session of db's one connection.
func settings(t *testing.T, db dialect.DB) string {
	t.Helper()
	return scalar[string](t, db, "SELECT concat_ws(' | ', current_user, current_setting('role'), current_setting('lock_timeout'), current_setting('statement_timeout'), current_setting('search_path'))")
}
