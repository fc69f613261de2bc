// Package cli is what every example program starts with: the -dsn and
// -echo flags, opening the database, and running the example on it.
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/connect"
)

// Main parses the flags, opens the database they name (in-memory SQLite by
// default), and runs the example on it, writing to standard output; it
// exits with the error if anything fails.
func Main(run func(ctx context.Context, db dialect.DB, out io.Writer) error) {
	dsn := flag.String("dsn", "sqlite::memory:", "database URL: sqlite:PATH, sqlite::memory: or postgres://…")
	echo := flag.Bool("echo", false, "log every statement to standard error")
	flag.Parse()
	var opts []dialect.Option
	if *echo {
		opts = append(opts, dialect.WithLogger(slog.New(slog.NewTextHandler(os.Stderr,
			&slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	ctx := context.Background()
	db, err := connect.Open(ctx, *dsn, opts...)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := run(ctx, db, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// Printer writes with fmt-like calls to any writer, so that an example
// prints to standard output and its test to a buffer.
type Printer struct{ W io.Writer }

// Printf formats to the writer.
func (p Printer) Printf(format string, args ...any) { fmt.Fprintf(p.W, format, args...) }

// Println prints a line to the writer.
func (p Printer) Println(args ...any) { fmt.Fprintln(p.W, args...) }
