package migrate_test

import (
	"context"
	"errors"
	"fmt"
	"testing/fstest"

	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/migrate"
)

// A service migrates its database at start-up. Here the files are an
// fstest.MapFS; a program embeds its directory of migrations with
// //go:embed and passes the embed.FS the same way.
func Example() {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, sqlite.Memory)
	if err != nil {
		panic(err)
	}
	defer db.Close()

	files := fstest.MapFS{
		"migrations/0001_create_artist.up.sql": {Data: []byte(`
			CREATE TABLE artist (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
			INSERT INTO artist (name) VALUES ('Queen'); -- a first row`)},
		"migrations/0001_create_artist.down.sql": {Data: []byte("DROP TABLE artist;")},
		"migrations/0002_artist_country.up.sql": {Data: []byte(`
			ALTER TABLE artist ADD COLUMN country TEXT;
			UPDATE artist SET country = 'GB';`)},
		"migrations/0002_artist_country.down.sql": {Data: []byte("ALTER TABLE artist DROP COLUMN country;")},
		"migrations/0003_album.up.sql": {Data: []byte(
			"CREATE TABLE album (id INTEGER PRIMARY KEY, artist_id INTEGER NOT NULL REFERENCES artist (id));")},
	}
	r, err := migrate.New(db, files, "migrations", migrate.Options{})
	if err != nil {
		panic(err)
	}

	applied, err := r.Up(ctx, 2) // up to version 2
	fmt.Println("applied:", applied, err)
	reverted, err := r.Down(ctx, 1) // the last one
	fmt.Println("reverted:", reverted, err)
	applied, err = r.Up(ctx, 0) // every pending one
	fmt.Println("applied:", applied, err)

	_, err = r.Down(ctx, 1)
	fmt.Println(errors.Is(err, migrate.ErrIrreversible), err)

	status, err := r.Status(ctx)
	if err != nil {
		panic(err)
	}
	for _, s := range status {
		fmt.Println(s)
	}
	// Output:
	// applied: [0001_create_artist 0002_artist_country] <nil>
	// reverted: [0002_artist_country] <nil>
	// applied: [0002_artist_country 0003_album] <nil>
	// true migrate: down: 0003_album.up.sql: no down file, so it cannot be reverted (want 0003_album.down.sql)
	// 0001_create_artist applied
	// 0002_artist_country applied
	// 0003_album applied
}
