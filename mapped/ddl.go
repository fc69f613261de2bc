package mapped

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
)

// CreateAll creates the tables that do not exist yet, with their keys,
// constraints and indexes, referenced tables before the tables that
// reference them, in one transaction. It is idempotent: existing tables are
// left as they are (IF NOT EXISTS), even if their columns differ.
func CreateAll(ctx context.Context, ex dialect.Executor, tables ...Schema) error {
	stmts, err := CreateSQL(ex.Dialect(), tables...)
	if err != nil {
		return err
	}
	return Run(ctx, ex, stmts)
}

// DropAll drops the tables that exist, tables that reference others first,
// in one transaction. Rows are lost.
func DropAll(ctx context.Context, ex dialect.Executor, tables ...Schema) error {
	stmts, err := DropSQL(tables...)
	if err != nil {
		return err
	}
	return Run(ctx, ex, stmts)
}

// Run runs DDL statements in one transaction (a savepoint inside a
// caller's), naming the statement that failed.
func Run(ctx context.Context, ex dialect.Executor, stmts []string) error {
	return dialect.InTx(ctx, ex, func(tx dialect.Executor) error {
		for _, s := range stmts {
			if _, err := tx.Exec(ctx, s); err != nil {
				return errs.Errorf("mapped: %s: %w", s, err)
			}
		}
		return nil
	})
}

// CreateSQL returns the statements CreateAll runs, in order.
func CreateSQL(d dialect.Dialect, tables ...Schema) ([]string, error) {
	return CreateSQLWith(d, nil, tables...)
}

// CreateSQLWith is CreateSQL writing each foreign key's ON DELETE as
// onDelete gives it, rather than as the column declares it: a model's
// cascades (package model). A nil onDelete is the column's own.
func CreateSQLWith(d dialect.Dialect, onDelete func(*ColumnInfo) Action, tables ...Schema) ([]string, error) {
	if onDelete == nil {
		onDelete = func(c *ColumnInfo) Action { return c.References.OnDelete }
	}
	order, err := Sort(tables)
	if err != nil {
		return nil, err
	}
	out, err := createSchemas(d, order)
	if err != nil {
		return nil, err
	}
	for _, t := range order {
		out = append(out, createTable(d, t, onDelete))
		for _, c := range t.Info().Columns {
			if c.Index && !c.Unique && !leadsKey(t.Info(), c) {
				name := "ix_" + t.TableName() + "_" + c.Name
				if err := dialect.CheckIdent(name); err != nil {
					return nil, errs.Errorf("mapped: index of %s.%s: %w", t.TableName(), c.Name, err)
				}
				out = append(out, "CREATE INDEX IF NOT EXISTS "+dialect.Quote(name)+" ON "+
					QuotedName(t)+" ("+dialect.Quote(c.Name)+")")
			}
		}
	}
	return out, nil
}

// DropSQL returns the statements DropAll runs, in order.
func DropSQL(tables ...Schema) ([]string, error) {
	order, err := Sort(tables)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(order))
	for _, t := range slices.Backward(order) {
		out = append(out, "DROP TABLE IF EXISTS "+QuotedName(t))
	}
	return out, nil
}

// createSchemas returns the CREATE SCHEMA of each schema the tables name,
// refusing them on a dialect without schemas.
func createSchemas(d dialect.Dialect, tables []Schema) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, t := range tables {
		sc := t.Info().Schema
		if sc == "" || seen[sc] {
			continue
		}
		if !d.Features().Schemas {
			return nil, fmt.Errorf("mapped: table %s: %s has no schemas", FullName(t), d.Name())
		}
		seen[sc] = true
		out = append(out, "CREATE SCHEMA IF NOT EXISTS "+dialect.Quote(sc))
	}
	return out, nil
}

func createTable(d dialect.Dialect, t Schema, onDelete func(*ColumnInfo) Action) string {
	f := d.Features()
	in := t.Info()
	var b strings.Builder
	b.WriteString("CREATE TABLE IF NOT EXISTS ")
	b.WriteString(QuotedName(t))
	b.WriteString(" (\n")
	var parts []string
	inlineKey := false
	for _, c := range in.Columns {
		def := dialect.Quote(c.Name) + " " + d.ColumnType(c.Type, c.Auto)
		if c.Auto && f.AutoKeyInline {
			inlineKey = true
		} else if !c.Nullable {
			def += " NOT NULL"
		}
		if c.Unique && !(len(in.PrimaryKey) == 1 && leadsKey(in, c)) {
			def += " UNIQUE"
		}
		switch {
		case c.DefaultNow:
			def += " DEFAULT " + f.NowSQL
		case c.Default != "":
			def += " DEFAULT " + c.Default
		}
		parts = append(parts, def)
	}
	if !inlineKey && len(in.PrimaryKey) > 0 {
		parts = append(parts, "PRIMARY KEY ("+quoteList(names(in.PrimaryKey))+")")
	}
	for _, u := range in.Uniques {
		parts = append(parts, "UNIQUE ("+quoteList(u)+")")
	}
	for _, c := range in.Columns {
		if fk := c.References; fk != nil {
			s := "FOREIGN KEY (" + dialect.Quote(c.Name) + ") REFERENCES " + QuotedName(fk.Table) +
				" (" + dialect.Quote(fk.Column) + ")"
			if a := onDelete(c); a != NoAction {
				s += " ON DELETE " + a.SQL()
			}
			parts = append(parts, s)
		}
	}
	b.WriteString("  ")
	b.WriteString(strings.Join(parts, ",\n  "))
	b.WriteString("\n)")
	return b.String()
}

// leadsKey reports whether c is the first column of in's primary key, so
// that the key's own index already serves lookups by c alone. A later
// column of a composite key (actor_id in a movies_actors keyed by
// (movie_id, actor_id)) needs an index of its own, and is not unique by
// itself.
func leadsKey(in *Info, c *ColumnInfo) bool {
	return len(in.PrimaryKey) > 0 && in.PrimaryKey[0] == c
}

func names(cols []*ColumnInfo) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

func quoteList(ns []string) string {
	q := make([]string, len(ns))
	for i, n := range ns {
		q[i] = dialect.Quote(n)
	}
	return strings.Join(q, ", ")
}

// Sort orders tables so that every table comes after the tables its
// foreign keys reference (references to itself and to tables outside the
// list aside), keeping the given order where it is free. A cycle of
// references is an error naming its tables.
func Sort(tables []Schema) ([]Schema, error) {
	byName := make(map[string]Schema, len(tables))
	for _, t := range tables {
		if t == nil {
			return nil, fmt.Errorf("mapped: nil table")
		}
		if prev, ok := byName[FullName(t)]; ok && prev.Info() != t.Info() {
			return nil, fmt.Errorf("mapped: two tables named %q", FullName(t))
		}
		byName[FullName(t)] = t
	}
	const (
		unseen = iota
		visiting
		done
	)
	state := make(map[string]int, len(tables))
	var out []Schema
	var visit func(t Schema, path []string) error
	visit = func(t Schema, path []string) error {
		name := FullName(t)
		switch state[name] {
		case done:
			return nil
		case visiting:
			i := slices.Index(path, name)
			return fmt.Errorf("mapped: foreign keys form a cycle: %s", strings.Join(append(path[i:], name), " → "))
		}
		state[name] = visiting
		for _, c := range t.Info().Columns {
			if fk := c.References; fk != nil && FullName(fk.Table) != name {
				if dep, ok := byName[FullName(fk.Table)]; ok {
					if err := visit(dep, append(path, name)); err != nil {
						return err
					}
				}
			}
		}
		state[name] = done
		out = append(out, t)
		return nil
	}
	for _, t := range tables {
		if err := visit(t, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}
