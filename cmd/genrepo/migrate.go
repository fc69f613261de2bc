package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/genrepo/genrepo/cmd/genrepo/diff"
	"github.com/genrepo/genrepo/dialect/connect"
	"github.com/genrepo/genrepo/migrate"
)

// migrateFlags are the flags of the migrate subcommands.
type migrateFlags struct {
	fs                     *flag.FlagSet
	dsn, dir, table, model *string
	to                     *int64
	args                   []string // the arguments that are not flags
}

// parseMigrate parses the flags of migrate sub, which may come before,
// between or after its arguments.
func parseMigrate(sub string, args []string, stderr io.Writer) (*migrateFlags, error) {
	fs := flag.NewFlagSet("migrate "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := &migrateFlags{
		fs:    fs,
		dsn:   fs.String("dsn", "", "database URL: postgres://… or sqlite:PATH"),
		dir:   fs.String("dir", "migrations", "directory of the migration files"),
		table: fs.String("table", "", "version table (default "+migrate.DefaultTable+")"),
		model: fs.String("model", "", "the model: PKGPATH[.VarName] (diff)"),
		to:    fs.Int64("to", 0, "apply up to this version (up; default all)"),
	}
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return f, nil
		}
		f.args = append(f.args, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// migrateTakes are the flags each migrate subcommand takes.
var migrateTakes = map[string][]string{
	"new":    {"dir"},
	"diff":   {"dsn", "dir", "table", "model"},
	"up":     {"dsn", "dir", "table", "to"},
	"down":   {"dsn", "dir", "table"},
	"status": {"dsn", "dir", "table"},
}

// only refuses a flag given to sub that sub does not take: it would be
// ignored, and "migrate down --to 1" reverts one migration, not down to
// version 1.
func (f *migrateFlags) only(sub string) error {
	takes, ok := migrateTakes[sub]
	if !ok {
		return errors.New(usage)
	}
	var err error
	f.fs.Visit(func(fl *flag.Flag) {
		if err == nil && !slices.Contains(takes, fl.Name) {
			err = fmt.Errorf("migrate %s: --%s does not apply to it (it takes --%s)", sub, fl.Name, strings.Join(takes, ", --"))
		}
	})
	return err
}

// runMigrate runs genrepo migrate.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	sub := args[0]
	f, err := parseMigrate(sub, args[1:], stderr)
	if err != nil {
		return err
	}
	if err := f.only(sub); err != nil {
		return err
	}
	switch sub {
	case "new":
		return migrateNew(f, stdout)
	case "diff":
		return migrateDiff(ctx, f, stdout, stderr)
	case "up", "down", "status":
		return runRunner(ctx, sub, f, stdout)
	}
	return errors.New(usage)
}

func migrateNew(f *migrateFlags, stdout io.Writer) error {
	if len(f.args) != 1 {
		return errors.New(usage)
	}
	up, down, err := migrate.NewFiles(*f.dir, f.args[0])
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "wrote %s\nwrote %s\n", up, down)
	return err
}

func migrateDiff(ctx context.Context, f *migrateFlags, stdout, stderr io.Writer) error {
	if len(f.args) != 1 || *f.dsn == "" || *f.model == "" {
		return errors.New(usage)
	}
	res, err := diff.Run(ctx, diff.Options{
		DSN: *f.dsn, Model: *f.model, Dir: *f.dir, Name: f.args[0], Table: *f.table, Warnings: stderr,
	})
	if err != nil {
		return err
	}
	if res.UpFile == "" {
		_, err = fmt.Fprintln(stdout, "no changes: the database matches the model; no files written")
		return err
	}
	_, err = fmt.Fprintf(stdout, "wrote %s (%d statements)\nwrote %s (%d statements)\n",
		res.UpFile, len(res.Up), res.DownFile, len(res.Down))
	return err
}

// runRunner runs migrate up, down or status through a migrate.Runner.
func runRunner(ctx context.Context, sub string, f *migrateFlags, stdout io.Writer) error {
	n := 1
	switch {
	case *f.dsn == "":
		return errors.New(usage)
	case sub == "down" && len(f.args) == 1:
		var err error
		if n, err = strconv.Atoi(f.args[0]); err != nil || n < 1 {
			return fmt.Errorf("migrate down: N is %q; want a positive number", f.args[0])
		}
	case len(f.args) > 0:
		return errors.New(usage)
	}
	// Refused before the database is opened, which creates a SQLite file.
	if info, err := os.Stat(*f.dir); err != nil || !info.IsDir() {
		return fmt.Errorf("migrate %s: --dir %s: no such directory of migrations", sub, *f.dir)
	}
	if path, ok := sqliteFile(*f.dsn); ok && sub != "up" {
		// Only up may begin a new database.
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("migrate %s: --dsn: no SQLite database %s: %w", sub, path, err)
		}
	}
	db, err := connect.Open(ctx, *f.dsn)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	r, err := migrate.New(db, os.DirFS(*f.dir), ".", migrate.Options{Table: *f.table})
	if err != nil {
		return err
	}
	var done []migrate.Migration
	switch sub {
	case "up":
		done, err = r.Up(ctx, *f.to)
	case "down":
		done, err = r.Down(ctx, n)
	default:
		return printStatus(ctx, r, stdout)
	}
	// What was done before an error was done: print it all the same.
	verb := map[string]string{"up": "applied", "down": "reverted"}[sub]
	for _, m := range done {
		if _, werr := fmt.Fprintln(stdout, verb, m); werr != nil && err == nil {
			err = werr
		}
	}
	if len(done) == 0 && err == nil {
		_, err = fmt.Fprintf(stdout, "nothing to %s\n", map[string]string{"up": "apply", "down": "revert"}[sub])
	}
	return err
}

// sqliteFile returns the file a sqlite: URL names, as connect.Open reads
// it, and false for any other URL and for an in-memory database.
func sqliteFile(dsn string) (string, bool) {
	scheme, rest, ok := strings.Cut(dsn, ":")
	if !ok || !strings.EqualFold(scheme, "sqlite") && !strings.EqualFold(scheme, "sqlite3") {
		return "", false
	}
	path := strings.TrimPrefix(rest, "//")
	return path, path != "" && path != ":memory:"
}

// printStatus prints the status table: version, name, state and when
// applied.
func printStatus(ctx context.Context, r *migrate.Runner, stdout io.Writer) error {
	st, err := r.Status(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "VERSION\tNAME\tSTATE\tAPPLIED AT")
	for _, s := range st {
		at := ""
		if !s.AppliedAt.IsZero() {
			at = s.AppliedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", s.Version, strings.TrimSpace(s.Name), s.State, at)
	}
	if len(st) == 0 {
		fmt.Fprintln(w, "(no migrations)")
	}
	return w.Flush()
}
