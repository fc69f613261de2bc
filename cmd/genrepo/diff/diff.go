package diff

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/genrepo/genrepo/cmd/genrepo/gen"
	runner "github.com/genrepo/genrepo/migrate"
)

// Dialect names, as gen.Open returns them.
const (
	Postgres = gen.Postgres
	SQLite   = gen.SQLite
)

// Options configure Run.
type Options struct {
	// DSN names the database to compare with: postgres://… or
	// sqlite:PATH (an existing file; an empty one is an empty database).
	DSN string
	// Model is PKGPATH or PKGPATH.VarName, as ModelSQL takes it.
	Model string
	// ModuleDir is a directory of the program's Go module; "" is the
	// current directory.
	ModuleDir string
	// Dir is the migrations directory the files are written into.
	Dir string
	// Name is the new migration's name (lower-case letters, digits, '_').
	Name string
	// Table is the version table, left out of the comparison; ""
	// means migrate.DefaultTable.
	Table string
	// Warnings, when not nil, receives each warning on a line of its
	// own, as "genrepo migrate diff: warning: …".
	Warnings io.Writer
}

// Result is what Run found and wrote.
type Result struct {
	// Changes is what the up and down files do.
	Changes
	// UpFile and DownFile are the paths of the files written; both are
	// empty when the model and the database agree.
	UpFile, DownFile string
}

// Changes are the statements that bring a database to a model's schema
// and back.
type Changes struct {
	// Up brings the database to the model's schema, Down back to where it
	// was; both are empty when they agree. Each is one statement, without
	// a trailing semicolon, possibly preceded by a comment line.
	Up, Down []string
	// Warnings name what Up drops (a rename is a drop and an add) or
	// converts, and the columns Down makes NOT NULL again.
	Warnings []string
}

// Run reads the model's DDL with ModelSQL, compares it with the database
// through Plan, and writes the next migration's up and down files into
// opts.Dir, unless nothing differs.
func Run(ctx context.Context, opts Options) (*Result, error) {
	if opts.Name == "" || strings.Trim(opts.Name, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
		return nil, fmt.Errorf("diff: name %q: want lower-case letters, digits and '_'", opts.Name)
	}
	d, err := dialectOf(opts.DSN)
	if err != nil {
		return nil, err
	}
	if err := UpToDate(ctx, opts.DSN, opts.Dir, opts.Table); err != nil {
		return nil, err
	}
	ddl, err := ModelSQL(ctx, opts.ModuleDir, opts.Model, d)
	if err != nil {
		return nil, err
	}
	c, err := Plan(ctx, opts.DSN, ddl, opts.Table)
	if err != nil {
		return nil, err
	}
	if opts.Warnings != nil {
		for _, w := range c.Warnings {
			if _, err := fmt.Fprintln(opts.Warnings, "genrepo migrate diff: warning:", w); err != nil {
				return nil, fmt.Errorf("diff: %w", err)
			}
		}
	}
	res := &Result{Changes: *c}
	if len(c.Up) == 0 {
		return res, nil
	}
	res.UpFile, res.DownFile, err = Write(opts.Dir, opts.Name, "model "+opts.Model, c)
	return res, err
}

// dialectOf opens dsn through gen.Open, and closes it, to learn its
// dialect: a DSN of an unknown scheme fails here, before the model is
// built.
func dialectOf(dsn string) (string, error) {
	db, d, err := gen.Open(dsn)
	if err != nil {
		return "", fmt.Errorf("diff: %w", err)
	}
	return d, db.Close()
}

// Plan compares the database dsn names with the schema the statements
// ddl create (a model's CreateSQL for the database's dialect) and returns
// the statements between them, as Atlas's differ and planner of the
// dialect give them.
//
// The desired schema is ddl run in a scratch database: an in-memory
// SQLite database, or on PostgreSQL a schema of its own on the same
// server, in a transaction rolled back afterwards; ddl that creates a
// schema is refused. Both sides are inspected with Atlas; the version
// table (table, or migrate.DefaultTable when "") is left out of both. A
// name holding the dialect's quote character is refused. Up is the plan
// from the database to the desired schema, Down the plan back. Table
// names are not qualified by a schema.
func Plan(ctx context.Context, dsn string, ddl []string, table string) (*Changes, error) {
	if table == "" {
		table = runner.DefaultTable
	}
	db, d, err := gen.Open(dsn)
	if err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}
	defer func() { _ = db.Close() }()
	current, err := gen.Inspect(ctx, db, d, "", nil)
	if err != nil {
		return nil, fmt.Errorf("diff: database: %w", err)
	}
	desired, err := scratch(ctx, db, d, ddl)
	if err != nil {
		return nil, err
	}
	desired.Name = current.Name
	for _, s := range []*schema.Schema{current, desired} {
		// The version table is the runner's, whichever side has it: a
		// model may map it (gen maps every table) to read it.
		s.Tables = slices.DeleteFunc(s.Tables, func(t *schema.Table) bool { return t.Name == table })
	}
	if err := checkNames(d, current, desired); err != nil {
		return nil, err
	}
	var drv migrate.Driver
	if d == Postgres {
		drv, err = postgres.Open(db)
	} else {
		drv, err = sqlite.Open(db)
	}
	if err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}
	upChanges, err := drv.SchemaDiff(current, desired)
	if err != nil {
		return nil, fmt.Errorf("diff: up: %w", err)
	}
	downChanges, err := drv.SchemaDiff(desired, current)
	if err != nil {
		return nil, fmt.Errorf("diff: down: %w", err)
	}
	if d == SQLite {
		declaredTypes(current, desired)
	}
	up, upRebuilt, err := plan(ctx, drv, "up", upChanges)
	if err != nil {
		return nil, err
	}
	down, downRebuilt, err := plan(ctx, drv, "down", downChanges)
	if err != nil {
		return nil, err
	}
	hazards := append(rebuildHazards(upRebuilt, current, "up"), rebuildHazards(downRebuilt, desired, "down")...)
	if d == SQLite {
		lost, err := triggerHazards(ctx, db, map[string][]string{"up": upRebuilt, "down": downRebuilt})
		if err != nil {
			return nil, err
		}
		hazards = append(hazards, lost...)
	}
	if len(hazards) > 0 {
		return nil, fmt.Errorf("diff: sqlite: %s; genrepo writes no migration that deletes or clears rows, or drops triggers: write this change by hand (genrepo migrate new), or change the model in smaller steps",
			strings.Join(hazards, "; "))
	}
	return &Changes{Up: up, Down: down, Warnings: append(warnings(upChanges), downWarnings(downChanges)...)}, nil
}

// declaredTypes makes every column of the schemas keep the type it was
// declared with when planned, where it has a size or precision: Atlas's
// SQLite planner writes a type's name alone (varchar for VARCHAR(80),
// numeric for NUMERIC(10,2)). It runs after
// the diffs, which compare SQLite types by affinity.
func declaredTypes(ss ...*schema.Schema) {
	for _, s := range ss {
		for _, t := range s.Tables {
			for _, c := range t.Columns {
				if c.Type != nil && strings.Contains(c.Type.Raw, "(") {
					c.Type.Type = &sqlite.UserDefinedType{T: c.Type.Raw}
				}
			}
		}
	}
}

// plan returns the statements of Atlas's plan of the changes, and the
// tables it rebuilds (SQLite).
func plan(ctx context.Context, drv migrate.Driver, name string, changes []schema.Change) (stmts, rebuilt []string, err error) {
	if len(changes) == 0 {
		return nil, nil, nil
	}
	p, err := drv.PlanChanges(ctx, name, changes, func(o *migrate.PlanOptions) {
		o.SchemaQualifier = new(string)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("diff: %s: plan: %w", name, err)
	}
	for _, c := range p.Changes {
		cmd := c.Cmd
		comment := c.Comment
		switch {
		case cmd == "PRAGMA foreign_keys = off":
			// A no-op in the runner's transaction: defer the checks to the
			// commit instead, so a rebuilt table may be dropped while rows
			// reference it.
			cmd, comment = "PRAGMA defer_foreign_keys = ON", "check foreign keys when the migration commits: tables are rebuilt"
		case cmd == "PRAGMA foreign_keys = on":
			continue
		case strings.HasPrefix(cmd, "ALTER TABLE `new_"):
			if anew := rebuild(c, stmts); anew != nil {
				stmts = append(stmts, anew...)
				rebuilt = append(rebuilt, c.Source.(*schema.ModifyTable).T.Name)
				continue
			}
		}
		stmts = append(stmts, commented(comment, cmd))
	}
	return stmts, rebuilt, nil
}

// commented puts comment, capitalised, on a line before cmd.
func commented(comment, cmd string) string {
	if comment == "" {
		return cmd
	}
	return "-- " + strings.ToUpper(comment[:1]) + comment[1:] + "\n" + cmd
}

// rebuild replaces the last step of Atlas's rebuild of a SQLite table
// (create new_T, copy T's rows into it, drop T, rename new_T to T) when
// cmd is that rename: it creates T anew as new_T was created and copies
// the rows back. Renaming new_T would leave the foreign keys referencing T
// counted as violated by the drop (defer_foreign_keys counts rows, and a
// rename does not count them again), and the commit would fail;
// inserting the rows into T again counts them as restored. The columns
// are named in the copy: SQLite copies INSERT INTO T SELECT * FROM new_T
// without looking at foreign keys, and the count would stay. stmts are
// the statements before c. rebuild returns nil if c is another change.
func rebuild(c *migrate.Change, stmts []string) []string {
	m, ok := c.Source.(*schema.ModifyTable)
	if !ok {
		return nil
	}
	// The table's name, not words of the statement: a name may hold
	// spaces (checkNames has refused backquotes).
	from, to := "`new_"+m.T.Name+"`", "`"+m.T.Name+"`"
	if c.Cmd != "ALTER TABLE "+from+" RENAME TO "+to {
		return nil
	}
	cols := make([]string, len(m.T.Columns))
	for i, col := range m.T.Columns {
		cols[i] = "`" + strings.ReplaceAll(col.Name, "`", "``") + "`"
	}
	list := strings.Join(cols, ", ")
	create := "CREATE TABLE " + from + " "
	for i := len(stmts) - 1; i >= 0; i-- {
		_, body, ok := strings.Cut(stmts[i], create)
		if !ok {
			continue
		}
		return []string{
			commented(fmt.Sprintf("create %s table anew", to), "CREATE TABLE "+to+" "+body),
			commented(fmt.Sprintf("copy the rows back from %s", from), "INSERT INTO "+to+" ("+list+") SELECT "+list+" FROM "+from),
			commented(fmt.Sprintf("drop %s", from), "DROP TABLE "+from),
		}
	}
	return nil
}

// scratch runs ddl in a scratch database of the dialect and inspects it:
// an in-memory SQLite database, or on PostgreSQL a schema of its own in a
// transaction on target that is rolled back, so that nothing of it stays
// in the database, whatever happens. DDL that names a schema (a model's
// tables placed by mapped.InSchema) is refused: it would leave the
// scratch schema for the database's own.
func scratch(ctx context.Context, target *sql.DB, d string, ddl []string) (*schema.Schema, error) {
	for _, stmt := range ddl {
		if f := strings.Fields(stmt); len(f) >= 2 && strings.EqualFold(f[0], "CREATE") && strings.EqualFold(f[1], "SCHEMA") {
			return nil, fmt.Errorf("diff: model: %s: the model places tables in a schema of their own (mapped.InSchema), which migrate diff does not support", firstLine(stmt))
		}
	}
	var db gen.Querier
	name := ""
	if d == SQLite {
		mem, err := sql.Open("sqlite", "file:"+rand.Text()+"?mode=memory")
		if err != nil {
			return nil, fmt.Errorf("diff: scratch database: %w", err)
		}
		mem.SetMaxOpenConns(1)
		defer func() { _ = mem.Close() }()
		db = mem
	} else {
		tx, err := target.BeginTx(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("diff: scratch schema: %w", err)
		}
		// Even when ctx has ended: nothing of the scratch schema may stay.
		defer func() { _ = tx.Rollback() }()
		name = "genrepo_diff_" + strings.ToLower(rand.Text()[:16])
		if _, err := tx.ExecContext(ctx, "CREATE SCHEMA "+name+"; SET LOCAL search_path TO "+name); err != nil {
			return nil, fmt.Errorf("diff: scratch schema: %w", err)
		}
		db = tx
	}
	for _, stmt := range ddl {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("diff: scratch database: %s: %w", firstLine(stmt), err)
		}
	}
	s, err := gen.Inspect(ctx, db, d, name, nil)
	if err != nil {
		return nil, fmt.Errorf("diff: model: %w", err)
	}
	return s, nil
}

// checkNames refuses a name that holds the dialect's quote character
// (PostgreSQL's double quote, SQLite's backquote) on either side: Atlas's
// planner writes names between quotes without doubling one inside them,
// which gives broken SQL, or other SQL than meant.
func checkNames(d string, schemas ...*schema.Schema) error {
	quote := `"`
	if d == SQLite {
		quote = "`"
	}
	bad := func(what, name string) error {
		if !strings.Contains(name, quote) {
			return nil
		}
		return fmt.Errorf("diff: %s %q: a name holding %s is not supported (the planner writes it unescaped): rename it", what, name, quote)
	}
	for _, s := range schemas {
		for _, t := range s.Tables {
			errs := []error{bad("table", t.Name)}
			for _, c := range t.Columns {
				errs = append(errs, bad("column "+t.Name+".", c.Name))
			}
			for _, ix := range t.Indexes {
				errs = append(errs, bad("index", ix.Name))
			}
			for _, fk := range t.ForeignKeys {
				errs = append(errs, bad("foreign key", fk.Symbol))
			}
			if err := errors.Join(errs...); err != nil {
				return err
			}
		}
	}
	return nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// warnings names what the changes drop, and the drops that may be
// renames.
func warnings(changes []schema.Change) []string {
	var ws []string
	var dropped, added []string
	for _, c := range changes {
		switch c := c.(type) {
		case *schema.DropTable:
			dropped = append(dropped, c.T.Name)
			ws = append(ws, fmt.Sprintf("table %s is dropped, with its rows", c.T.Name))
		case *schema.AddTable:
			added = append(added, c.T.Name)
		case *schema.ModifyTable:
			ws = append(ws, modifyWarnings(c)...)
		}
	}
	if len(dropped) > 0 && len(added) > 0 {
		ws = append(ws, fmt.Sprintf("tables %s are dropped and %s added: a renamed table comes out as a drop and an add, losing its rows; edit the up file into ALTER TABLE … RENAME TO if it was renamed",
			strings.Join(dropped, ", "), strings.Join(added, ", ")))
	}
	return ws
}

// downWarnings names each column the down file makes NOT NULL again (up
// made it nullable): down fails while a row holds NULL there, unless the
// file is given an UPDATE that fills them first. What down drops is what
// up added, and is not warned about: reverting an addition drops it.
func downWarnings(changes []schema.Change) []string {
	var ws []string
	for _, c := range changes {
		m, ok := c.(*schema.ModifyTable)
		if !ok {
			continue
		}
		for _, mc := range m.Changes {
			if mc, ok := mc.(*schema.ModifyColumn); ok && mc.Change.Is(schema.ChangeNull) && mc.To.Type != nil && !mc.To.Type.Null {
				ws = append(ws, fmt.Sprintf("down makes column %s.%s NOT NULL again: it fails while a row holds NULL there; add an UPDATE that fills them to the down file if it must run", m.T.Name, mc.To.Name))
			}
		}
	}
	return ws
}

// modifyWarnings are the warnings of one modified table.
func modifyWarnings(m *schema.ModifyTable) []string {
	var ws []string
	var dropped, added []string
	for _, c := range m.Changes {
		switch c := c.(type) {
		case *schema.DropColumn:
			dropped = append(dropped, c.C.Name)
			ws = append(ws, fmt.Sprintf("column %s.%s is dropped, with its values", m.T.Name, c.C.Name))
		case *schema.AddColumn:
			added = append(added, c.C.Name)
		case *schema.ModifyColumn:
			if c.Change.Is(schema.ChangeType) {
				ws = append(ws, fmt.Sprintf("column %s.%s changes type from %s to %s: its values are converted, and one the new type cannot hold is rounded, cut or refused",
					m.T.Name, c.To.Name, typeText(c.From), typeText(c.To)))
			}
		}
	}
	if len(dropped) > 0 && len(added) > 0 {
		ws = append(ws, fmt.Sprintf("table %s: columns %s are dropped and %s added: a renamed column comes out as a drop and an add, losing its values; edit the up file into ALTER TABLE … RENAME COLUMN if it was renamed",
			m.T.Name, strings.Join(dropped, ", "), strings.Join(added, ", ")))
	}
	return ws
}

// typeText is a column's type as the database spells it, for warnings.
func typeText(c *schema.Column) string {
	if c.Type == nil {
		return "no type"
	}
	if c.Type.Raw != "" {
		return c.Type.Raw
	}
	return fmt.Sprintf("%T", c.Type.Type)
}

// rebuildHazards names each foreign key of referencing whose ON DELETE
// action would run on its rows when a migration rebuilds the table it
// references (SQLite, which alters little in place): dropping the old
// copy of a rebuilt table deletes its rows first, which runs CASCADE and
// SET NULL inside the migration's transaction, where foreign keys cannot
// be turned off.
func rebuildHazards(rebuilt []string, referencing *schema.Schema, dir string) []string {
	var out []string
	for _, name := range rebuilt {
		for _, t := range referencing.Tables {
			for _, fk := range t.ForeignKeys {
				if fk.RefTable != nil && fk.RefTable.Name == name && fk.OnDelete != "" && fk.OnDelete != schema.NoAction && fk.OnDelete != schema.Restrict {
					out = append(out, fmt.Sprintf("%s rebuilds table %s, and dropping its old copy runs %s's foreign key %s ON DELETE %s on the rows that reference it",
						dir, name, t.Name, fk.Symbol, fk.OnDelete))
				}
			}
		}
	}
	return out
}

// triggerHazards names each trigger of the SQLite database db on a table
// that a direction of the migration (up or down) rebuilds: dropping the
// old copy of the table drops its triggers, which the inspection leaves
// out (a model has none), so the new copy would go without them.
func triggerHazards(ctx context.Context, db *sql.DB, rebuilt map[string][]string) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("diff: triggers: %w", err)
	}
	defer func() { _ = rows.Close() }()
	on := map[string][]string{}
	for rows.Next() {
		var name, table string
		if err := rows.Scan(&name, &table); err != nil {
			return nil, fmt.Errorf("diff: triggers: %w", err)
		}
		on[strings.ToLower(table)] = append(on[strings.ToLower(table)], name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("diff: triggers: %w", err)
	}
	var out []string
	for _, dir := range []string{"up", "down"} {
		for _, table := range rebuilt[dir] {
			if names := on[strings.ToLower(table)]; len(names) > 0 {
				out = append(out, fmt.Sprintf("%s rebuilds table %s, and dropping its old copy drops its triggers %s, which the new copy would go without",
					dir, table, strings.Join(names, ", ")))
			}
		}
	}
	return out, nil
}

// Write writes the next migration's files into dir, as migrate.NewFiles
// names them, holding the changes' Up and Down statements, each ended by
// a semicolon, under a comment naming source. It returns the paths.
func Write(dir, name, source string, c *Changes) (up, down string, err error) {
	up, down, err = runner.NewFiles(dir, name)
	if err != nil {
		return "", "", fmt.Errorf("diff: %w", err)
	}
	header := "-- Generated by genrepo migrate diff from " + source + ".\n"
	if err := os.WriteFile(up, []byte(header+render(c.Up)), 0o644); err != nil {
		return "", "", fmt.Errorf("diff: %w", err)
	}
	if err := os.WriteFile(down, []byte(header+render(c.Down)), 0o644); err != nil {
		return "", "", fmt.Errorf("diff: %w", err)
	}
	return up, down, nil
}

// render joins statements, each ended by a semicolon and a blank line.
func render(stmts []string) string {
	var b strings.Builder
	for _, s := range stmts {
		b.WriteString("\n")
		b.WriteString(s)
		b.WriteString(";\n")
	}
	return b.String()
}
