// Package diff writes the next migration from a program's genrepo model:
// the core of `genrepo migrate diff`, Alembic's autogenerate for genrepo.
//
// Run finds the model (ModelSQL), compares it with the database (Plan) and
// writes the up and down files of the next version into the migrations
// directory (Write), in the form package migrate loads:
//
//	0002_add_reviews.up.sql     the statements from the database to the model
//	0002_add_reviews.down.sql   the statements back
//
// When the model and the database agree it writes nothing, and Result's
// Up is empty. Before anything else Run checks that the database has
// applied every migration of the directory as it is (UpToDate), as
// Alembic's autogenerate does: it refuses, naming them, pending, changed
// and missing migrations, since a diff from such a database would repeat
// or undo them.
//
// # Finding the model
//
// The model is named by its package's import path and, after a dot, the
// name of an exported *model.Model variable: example.com/app/store or
// example.com/app/store.Schema (Model when no name is given). ModelSQL
// writes a temporary main package into a directory of its own inside the
// program's Go module (named genrepodiff…, removed afterwards), which
// imports the package and prints the model's CreateSQL for the
// database's dialect, and runs it with `go run` from the module's root.
// So the model is built as the program builds it: with the module's
// go.mod, go.sum, replace directives and vendor directory, whichever
// version of genrepo it requires, from the module cache or vendored. The
// package may be the module's own or one of its dependencies'. The go
// command must be on PATH; the module's go.sum must already hold what the
// model's package needs (a module that builds has it); nothing in the
// module is changed.
//
// # Comparing
//
// The desired schema is the model's DDL run in a scratch database: an
// in-memory SQLite database, or on PostgreSQL a schema of its own created
// on the same server inside a transaction that is rolled back, so nothing
// of it stays (the user needs CREATE on the database). Both it and the
// target database are read with Atlas's inspectors (ariga.io/atlas
// v1.3.0, through package gen), leaving out the migration version table
// on both sides (a model may map it), and Atlas's differ and planner of the
// dialect give the statements: up from the database to the model, down
// from the model back to the database. They cover tables, columns (type,
// nullability, default), primary keys, indexes, unique constraints and
// foreign keys with their ON DELETE. Tables are written unqualified, so a
// migration applies to whichever schema the runner's connection uses; a
// model whose tables name a schema (mapped.InSchema) is refused, naming
// the first such table, before anything is read or written. So is a
// name holding the dialect's quote character (PostgreSQL's double quote,
// SQLite's backquote), which Atlas's planner writes unescaped.
//
// # Drops and renames
//
// Atlas's differ knows no renames: a renamed table or column comes out as
// a drop of the old one and an add of the new one, and its data would be
// lost. Run never hides that: each table or column the up file drops is a
// warning, and a table (or a table's columns) dropped and added in one
// diff gets one more warning saying it may be a rename, to be edited by
// hand into ALTER TABLE … RENAME. A column whose type changes is warned
// about too: its values are converted, and one the new type cannot hold
// is rounded (PostgreSQL rounds 2.5 into a bigint), cut or refused.
// The down file is warned about when it makes a column NOT NULL again (up
// made it nullable): it fails while a row holds NULL there, unless an
// UPDATE that fills them is added to it. Warnings go to Options.Warnings (the
// command prints them on standard error) and are in Result.Warnings.
//
// # SQLite
//
// SQLite alters little in place: making a column nullable, changing its
// type or default, or changing a table's foreign keys rebuilds the table
// (Atlas creates new_T with the new definition and copies the rows). The
// runner's transaction keeps foreign keys enforced (PRAGMA foreign_keys
// cannot change inside one), so the up file instead begins with PRAGMA
// defer_foreign_keys = ON, drops T, creates T anew and copies the rows
// back from new_T, which lets the commit find every reference restored.
// Dropping T still runs the ON DELETE actions of foreign keys referencing
// it: rows of a table referencing T with ON DELETE CASCADE (or SET NULL)
// would be deleted (or cleared). Dropping T also drops its triggers,
// which the inspection leaves out. Plan refuses such a change, in either
// direction, naming the foreign keys or the triggers, and writes
// nothing: write that migration by hand (migrate new), or reach the model
// in smaller steps (adding a column or an index alters the table in
// place). Declared sizes and precisions (VARCHAR(80), NUMERIC(10,2)) are
// kept in rebuilt tables, but SQLite compares types by affinity, so a
// change of size alone is no difference.
package diff
