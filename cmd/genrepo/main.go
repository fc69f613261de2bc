// Command genrepo reflects a database into genrepo mappings, and writes
// and applies versioned migrations of a genrepo model.
//
//	genrepo gen --dsn URL [--schema S [--unqualified]] [--tables a,b] --package P --out DIR [--force]
//	genrepo migrate new NAME [--dir migrations]
//	genrepo migrate diff NAME --dsn URL --model PKGPATH[.VarName] [--dir migrations] [--table genrepo_migrations]
//	genrepo migrate up --dsn URL [--to V] [--dir migrations] [--table genrepo_migrations]
//	genrepo migrate down [N] --dsn URL [--dir migrations] [--table genrepo_migrations]
//	genrepo migrate status --dsn URL [--dir migrations] [--table genrepo_migrations]
//	genrepo erd --model PKGPATH[.VarName] [--format mermaid|dot] [--out FILE]
//
// A database URL is postgres://… (or postgresql://…) or sqlite:PATH.
//
// gen reads the tables of the database with Atlas's inspectors and writes
// DIR/schema.go: a struct per table, its typed table, the relations of its
// foreign keys and a Model value. What cannot be mapped is written as a
// comment and warned about on standard error. See package gen for the
// choices it makes. A DIR/schema.go that gen did not write (its first
// line is not gen's header) is not overwritten unless --force is given.
//
// migrate new writes the next version's pair of files, NNNN_NAME.up.sql
// and NNNN_NAME.down.sql, holding only a comment, for SQL written by
// hand. NAME is lower-case letters, digits and '_'. up refuses the pair
// until SQL is written in the up file, and down refuses to revert the
// migration until SQL is written in the down file (delete the down file
// of a migration that cannot be reverted).
//
// migrate diff writes the next version's files from the model: the
// statements that bring the database, as it is, to the schema of the
// *model.Model variable VarName (default Model) of the package PKGPATH,
// and the statements back. Run it from inside the program's Go module:
// it builds and runs a temporary main package there that prints the
// model's DDL (see package diff). A dropped table or column, and what may
// be a rename (a rename comes out as a drop and an add, losing the data),
// are warned about on standard error: read the files before applying
// them. When the model and the database agree it writes nothing and says
// so. On SQLite the database file must exist (an empty file is an empty
// database); diff only reads it. On PostgreSQL diff creates a scratch
// schema on the same server for the model's tables, inside a transaction
// it rolls back. diff refuses a database that has not applied every
// migration of the directory (pending, changed or missing ones), naming
// them: apply them first.
//
// Each migrate subcommand refuses a flag it does not take (down takes no
// --to: N counts migrations), a --dir that does not exist, and, for down
// and status, a SQLite file that does not exist; only up begins a new
// SQLite database.
//
// migrate up applies the pending migrations, all of them or up to version
// V, and prints each one applied. migrate down reverts the last N applied
// (default 1), the latest first, and prints each one reverted. migrate
// status prints every migration with its state (pending, applied,
// changed, missing) and when it was applied. Each migration runs in a
// transaction of its own, under a lock, recorded in the version table
// (see package migrate).
//
// erd prints the model's entity-relationship diagram in Mermaid's
// erDiagram form (model.Model.Mermaid) or, with --format dot, as a
// Graphviz digraph (model.Model.DOT), or writes it to FILE; like
// migrate diff, it reads the model through a temporary main package built
// inside the program's module.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/genrepo/genrepo/cmd/genrepo/diff"
	"github.com/genrepo/genrepo/cmd/genrepo/gen"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "genrepo:", err)
		os.Exit(2)
	}
}

const genUsage = "usage: genrepo gen --dsn URL [--schema S [--unqualified]] [--tables a,b] --package P --out DIR [--force]"

const usage = genUsage + `
       genrepo migrate new NAME [--dir migrations]
       genrepo migrate diff NAME --dsn URL --model PKGPATH[.VarName] [--dir migrations] [--table T]
       genrepo migrate up --dsn URL [--to V] [--dir migrations] [--table T]
       genrepo migrate down [N] --dsn URL [--dir migrations] [--table T]
       genrepo migrate status --dsn URL [--dir migrations] [--table T]
       genrepo erd --model PKGPATH[.VarName] [--format mermaid|dot] [--out FILE]`

// run runs the command line args, writing what it did to stdout and
// warnings to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "migrate" {
		return runMigrate(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "erd" {
		return runERD(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "gen" {
		return errors.New(usage)
	}
	return runGen(ctx, args, stderr)
}

// runERD runs genrepo erd.
func runERD(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("erd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	mdl := fs.String("model", "", "PKGPATH[.VarName] of the program's *model.Model (default variable Model)")
	out := fs.String("out", "", "file to write the diagram into (default: standard output)")
	format := fs.String("format", "mermaid", "diagram format: mermaid or dot (Graphviz)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *mdl == "" || fs.NArg() > 0 {
		return errors.New("usage: genrepo erd --model PKGPATH[.VarName] [--format mermaid|dot] [--out FILE]")
	}
	text, err := diff.ModelDiagram(ctx, "", *mdl, *format)
	if err != nil {
		return err
	}
	if *out != "" {
		return os.WriteFile(*out, []byte(text), 0o644)
	}
	_, err = io.WriteString(stdout, text)
	return err
}

// runGen runs genrepo gen.
func runGen(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("dsn", "", "database URL: postgres://… or sqlite:PATH")
	sch := fs.String("schema", "", "PostgreSQL schema, whose tables are mapped into it (default: the connection's current schema)")
	unqualified := fs.Bool("unqualified", false, "map the tables of --schema into the connection's current schema (no InSchema)")
	tables := fs.String("tables", "", "comma-separated tables to map (default: all)")
	pkg := fs.String("package", "", "package name of the generated file")
	out := fs.String("out", "", "directory to write the generated file into")
	force := fs.Bool("force", false, "overwrite the file even when genrepo gen did not write it")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *dsn == "" || *pkg == "" || *out == "" || fs.NArg() > 0 {
		return errors.New(genUsage)
	}
	opts := gen.Options{DSN: *dsn, Schema: *sch, Unqualified: *unqualified, Package: *pkg, Warnings: stderr}
	if *tables != "" {
		opts.Tables = strings.Split(*tables, ",")
	}
	files, err := gen.Generate(ctx, opts)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for name := range files {
		if err := checkOverwrite(filepath.Join(*out, name), *force); err != nil {
			return err
		}
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(*out, name), src, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// checkOverwrite refuses to let gen write over path, unless force is
// set, when it holds a file gen did not write (gen.Wrote): hand-written
// code of the same name would be lost.
func checkOverwrite(path string, force bool) error {
	old, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("gen: %w", err)
	case force || gen.Wrote(old):
		return nil
	}
	return fmt.Errorf("gen: %s exists and genrepo gen did not write it (its first line is not gen's header): not overwritten; --force overwrites it", path)
}
