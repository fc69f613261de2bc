package gen

import (
	"context"
	"fmt"
	"go/token"
	"io"

	"ariga.io/atlas/sql/schema"
)

// Options says what Generate reads and writes.
type Options struct {
	// DSN names the database: postgres://… or sqlite:PATH (see Open).
	DSN string
	// Schema is the PostgreSQL schema to read; "" is the connection's
	// current schema. SQLite ignores it. The tables of a named schema are
	// mapped into it (t.InSchema), so that the mapping reads and writes
	// them whatever the connection's search_path, unless Unqualified.
	Schema string
	// Unqualified maps the tables of Schema without InSchema, into the
	// connection's current schema: for a schema the program chooses at
	// run time through search_path (one schema per tenant, say).
	Unqualified bool
	// Tables, when not empty, limits the output to the named tables. A
	// foreign key to a table left out is not mapped (with a warning).
	Tables []string
	// Package is the generated file's package name.
	Package string
	// Warnings receives one line per thing that could not be mapped, each
	// also written as a comment into the output; nil discards them.
	Warnings io.Writer
}

// File is the name of the file Generate returns.
const File = "schema.go"

// Generate reads the tables of the database opts names and returns the Go
// file mapping them, by name (File). The database is only read.
func Generate(ctx context.Context, opts Options) (map[string][]byte, error) {
	if !token.IsIdentifier(opts.Package) || token.IsKeyword(opts.Package) {
		return nil, fmt.Errorf("gen: %q is not a package name", opts.Package)
	}
	db, dialect, err := Open(opts.DSN)
	if err != nil {
		return nil, err
	}
	defer func() { _ = db.Close() }()
	s, err := Inspect(ctx, db, dialect, opts.Schema, opts.Tables)
	if err != nil {
		return nil, err
	}
	inSchema := ""
	if dialect == Postgres && !opts.Unqualified {
		inSchema = opts.Schema
	}
	src, warnings, err := code(s, dialect, opts.Package, inSchema)
	if err != nil {
		return nil, err
	}
	if opts.Warnings != nil {
		for _, w := range warnings {
			if _, err := fmt.Fprintf(opts.Warnings, "genrepo gen: warning: %s\n", w); err != nil {
				return nil, fmt.Errorf("gen: write warning: %w", err)
			}
		}
	}
	return map[string][]byte{File: src}, nil
}

// Code writes the Go mapping of s, a schema inspected by Atlas on dialect
// (Postgres or SQLite), in package pkg. It returns the gofmt-ed source
// and what it could not map, which the source also says in comments. The
// tables are mapped unqualified, into the connection's current schema.
func Code(s *schema.Schema, dialect, pkg string) ([]byte, []string, error) {
	return code(s, dialect, pkg, "")
}

// code is Code with the tables placed in schema inSchema when it is not
// "".
func code(s *schema.Schema, dialect, pkg, inSchema string) ([]byte, []string, error) {
	if dialect != Postgres && dialect != SQLite {
		return nil, nil, fmt.Errorf("gen: unknown dialect %q", dialect)
	}
	p := newPlan(s, dialect, pkg)
	p.inSchema = inSchema
	if len(p.tables) == 0 {
		return nil, p.warnings, fmt.Errorf("gen: no table to map")
	}
	src, err := p.render()
	return src, p.warnings, err
}
