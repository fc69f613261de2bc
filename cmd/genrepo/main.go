// Command genrepo reflects a database into genrepo mappings:
//
//	genrepo gen --dsn URL [--schema S] [--tables a,b] --package P --out DIR
//
// reads the tables of the database URL names (postgres://… or
// sqlite:PATH) with Atlas's inspectors and writes DIR/schema.go: a struct
// per table, its typed table, the relations of its foreign keys and a
// Model value. What cannot be mapped is written as a comment and warned
// about on standard error. See package gen for the choices it makes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/genrepo/genrepo/cmd/genrepo/gen"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "genrepo:", err)
		os.Exit(2)
	}
}

const usage = "usage: genrepo gen --dsn URL [--schema S] [--tables a,b] --package P --out DIR"

// run runs the command line args, writing warnings to stderr.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "gen" {
		return errors.New(usage)
	}
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("dsn", "", "database URL: postgres://… or sqlite:PATH")
	sch := fs.String("schema", "", "PostgreSQL schema (default: the connection's current schema)")
	tables := fs.String("tables", "", "comma-separated tables to map (default: all)")
	pkg := fs.String("package", "", "package name of the generated file")
	out := fs.String("out", "", "directory to write the generated file into")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *dsn == "" || *pkg == "" || *out == "" || fs.NArg() > 0 {
		return errors.New(usage)
	}
	opts := gen.Options{DSN: *dsn, Schema: *sch, Package: *pkg, Warnings: stderr}
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
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(*out, name), src, 0o644); err != nil {
			return err
		}
	}
	return nil
}
