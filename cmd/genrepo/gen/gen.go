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
	// current schema. SQLite ignores it.
	Schema string
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
	src, warnings, err := Code(s, dialect, opts.Package)
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
// and what it could not map, which the source also says in comments.
func Code(s *schema.Schema, dialect, pkg string) ([]byte, []string, error) {
	if dialect != Postgres && dialect != SQLite {
		return nil, nil, fmt.Errorf("gen: unknown dialect %q", dialect)
	}
	p := newPlan(s, dialect, pkg)
	if len(p.tables) == 0 {
		return nil, p.warnings, fmt.Errorf("gen: no table to map")
	}
	src, err := p.render()
	return src, p.warnings, err
}
