package model

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
)

// Model is one program's schema: its tables and what its relations do
// when rows are deleted, collections are saved and units of work write
// object graphs. It is built once by New, validated there, and immutable
// afterwards, so it is safe for concurrent use; several models over the
// same tables may coexist, each bound to its own handle (Bind).
type Model struct {
	tables   []mapped.Schema
	byName   map[string]mapped.Schema
	deletes  map[*mapped.Info][]deleteRule // by the table whose rows are deleted
	onDelete map[*mapped.ColumnInfo]mapped.Action
	orphans  map[*mapped.ColumnInfo]bool
	links    map[*mapped.Info]bool       // association tables whose rows Links deletes
	readers  map[*mapped.Info]reader     // of every table with delete rules
	follows  map[*mapped.Info][]Follower // by either side's table
}

// A table is known by its *mapped.Info, one per Define: the table itself
// and a struct embedding it are the same table.

// A Part is one piece of a model handed to New: its tables (Tables), a
// cascade (OnDelete), a many-to-many relation's association rows (Links),
// the deletion of orphans (DeleteOrphans), or a relation a unit of work
// follows (package uow's Follow, FollowParent, FollowOne and
// FollowManyToMany).
type Part interface {
	add(b *builder) error
}

// partFunc is a Part as a function.
type partFunc func(b *builder) error

func (f partFunc) add(b *builder) error { return f(b) }

// builder is the model under construction, with what validation needs.
type builder struct {
	m        *Model
	declared map[any]string // what each relation rule is, by what makes it one
}

// New builds a model from its parts, validating them as a whole: every
// table a relation or foreign key names is one of the model's tables, no
// two tables share a name, foreign keys form no cycle (CreateAll could
// not order them), a cascade agrees with its foreign key's declared ON
// DELETE, SetNull is asked only of a nullable key, and no rule is declared
// twice. The error names every problem found.
func New(parts ...Part) (*Model, error) {
	b := &builder{
		m: &Model{byName: map[string]mapped.Schema{}, deletes: map[*mapped.Info][]deleteRule{},
			onDelete: map[*mapped.ColumnInfo]mapped.Action{}, orphans: map[*mapped.ColumnInfo]bool{}, links: map[*mapped.Info]bool{},
			readers: map[*mapped.Info]reader{}, follows: map[*mapped.Info][]Follower{}},
		declared: map[any]string{},
	}
	var problems []error
	// Tables first, so that rules can be checked against them whatever
	// the order of the parts.
	for _, p := range parts {
		if t, ok := p.(tablesPart); ok {
			problems = append(problems, b.addTables(t)...)
		}
	}
	problems = append(problems, b.checkReferences()...)
	if _, err := mapped.Sort(b.m.tables); err != nil {
		problems = append(problems, err)
	}
	for _, p := range parts {
		switch p.(type) {
		case nil:
			problems = append(problems, errors.New("nil part"))
		case tablesPart:
		default:
			if err := p.add(b); err != nil {
				// A Group's problems count one by one.
				if j, ok := err.(interface{ Unwrap() []error }); ok {
					problems = append(problems, j.Unwrap()...)
				} else {
					problems = append(problems, err)
				}
			}
		}
	}
	b.m.orderRules()
	if len(problems) > 0 {
		msgs := make([]string, len(problems))
		for i, p := range problems {
			msgs[i] = strings.TrimPrefix(strings.TrimPrefix(p.Error(), "model: "), "mapped: ")
		}
		return nil, &invalid{msg: "model: " + strings.Join(msgs, "; "), errs: problems}
	}
	return b.m, nil
}

// Group makes one part of several, for a package that offers a common
// set of rules under one name (uow.Owns).
func Group(parts ...Part) Part {
	return partFunc(func(b *builder) error {
		var problems []error
		for _, p := range parts {
			switch p.(type) {
			case nil:
				problems = append(problems, errors.New("nil part"))
			case tablesPart:
				problems = append(problems, errors.New("Tables inside Group: give the tables to New"))
			default:
				if err := p.add(b); err != nil {
					problems = append(problems, err)
				}
			}
		}
		return errors.Join(problems...)
	})
}

// MustNew is New for a model declared in a package-level variable: it
// panics with New's error, when the program starts.
func MustNew(parts ...Part) *Model {
	m, err := New(parts...)
	if err != nil {
		panic(err)
	}
	return m
}

// tablesPart is the part Tables returns.
type tablesPart []mapped.Schema

func (t tablesPart) add(*builder) error { return nil }

// Tables adds tables to the model. A table may be given more than once.
func Tables(tables ...mapped.Schema) Part { return tablesPart(tables) }

func (b *builder) addTables(tables tablesPart) []error {
	var problems []error
	for _, t := range tables {
		if t == nil {
			problems = append(problems, errors.New("nil table"))
			continue
		}
		switch prev, ok := b.m.byName[mapped.FullName(t)]; {
		case ok && prev.Info() == t.Info():
		case ok:
			problems = append(problems, fmt.Errorf("two tables named %q", mapped.FullName(t)))
		default:
			b.m.byName[mapped.FullName(t)] = t
			b.m.tables = append(b.m.tables, t)
		}
	}
	return problems
}

// checkReferences refuses a foreign key to a table outside the model.
func (b *builder) checkReferences() []error {
	var problems []error
	for _, t := range b.m.tables {
		for _, c := range t.Info().Columns {
			if ref := c.References; ref != nil && !b.m.holds(ref.Table) {
				problems = append(problems, fmt.Errorf("%s.%s references %s, which is not one of the model's tables",
					t.TableName(), c.Name, ref.Table.TableName()))
			}
		}
	}
	return problems
}

// has reports whether t is one of the model's tables, and if not an error
// naming what needs it.
func (b *builder) has(what string, ts ...mapped.Schema) error {
	for _, t := range ts {
		if !b.m.holds(t) {
			return fmt.Errorf("%s: table %s is not one of the model's tables", what, t.TableName())
		}
	}
	return nil
}

// holds reports whether t is one of the model's tables.
func (m *Model) holds(t mapped.Schema) bool {
	prev, ok := m.byName[mapped.FullName(t)]
	return ok && prev.Info() == t.Info()
}

// invalid is New's error: every problem found, each matching errors.Is
// and errors.As through Unwrap.
type invalid struct {
	msg  string
	errs []error
}

func (e *invalid) Error() string   { return e.msg }
func (e *invalid) Unwrap() []error { return e.errs }

// declare records a rule by what makes it one, refusing a second rule of
// the same kind over the same thing.
func (b *builder) declare(key any, what string) error {
	if prev, ok := b.declared[key]; ok {
		return fmt.Errorf("%s is declared twice (as %s)", what, prev)
	}
	b.declared[key] = what
	return nil
}

// Tables returns the model's tables, in the order given to New.
func (m *Model) Tables() []mapped.Schema { return slices.Clone(m.tables) }

// Table returns the model's table named name (qualified by its schema,
// "schema.name", when it has one), and false when it has none.
func (m *Model) Table(name string) (mapped.Schema, bool) {
	t, ok := m.byName[name]
	return t, ok
}

// OnDelete returns the ON DELETE action of the foreign key column c as the
// model makes it: the cascade declared on its relation (OnDelete), else the
// column's own (mapped.OnDelete). On a nil model it is the column's own.
func (m *Model) OnDelete(c *mapped.ColumnInfo) mapped.Action {
	if m != nil {
		if a, ok := m.onDelete[c]; ok {
			return a
		}
	}
	if c.References == nil {
		return mapped.NoAction
	}
	return c.References.OnDelete
}

// DeletesOrphans reports whether children that leave a collection of the
// one-to-many relation over the foreign key column fk are deleted
// (DeleteOrphans) rather than released. It is false on a nil model.
func (m *Model) DeletesOrphans(fk *mapped.ColumnInfo) bool {
	return m != nil && m.orphans[fk]
}

// DeletesLinks reports whether deleting rows through a handle bound to
// the model deletes rows of t as the association rows of a many-to-many
// relation (Links), whatever t's foreign keys declare. It is false on a
// nil model.
func (m *Model) DeletesLinks(t mapped.Schema) bool {
	return m != nil && t != nil && m.links[t.Info()]
}

// Followers returns the relations a unit of work follows that have t on
// either side, for package uow. It is empty on a nil model.
func (m *Model) Followers(t mapped.Schema) []Follower {
	if m == nil {
		return nil
	}
	return slices.Clip(m.follows[t.Info()])
}

// CreateSQL returns the statements CreateAll runs, in order, for the
// given tables or, when none is given, for all of the model's.
func (m *Model) CreateSQL(d dialect.Dialect, tables ...mapped.Schema) ([]string, error) {
	tables, err := m.subset(tables)
	if err != nil {
		return nil, err
	}
	return mapped.CreateSQLWith(d, m.OnDelete, tables...)
}

// CreateAll creates, in one transaction, the given tables or, when none
// is given, all of the model's, as mapped.CreateAll does (referenced tables
// first, existing ones left as they are), writing each foreign key's ON
// DELETE as the model's cascades make it, so that the database agrees with
// them. A table that is not the model's is refused.
func (m *Model) CreateAll(ctx context.Context, ex dialect.Executor, tables ...mapped.Schema) error {
	stmts, err := m.CreateSQL(ex.Dialect(), tables...)
	if err != nil {
		return err
	}
	return mapped.Run(ctx, ex, stmts)
}

// DropAll drops the given tables or, when none is given, all of the
// model's, as mapped.DropAll does: tables that reference others first.
func (m *Model) DropAll(ctx context.Context, ex dialect.Executor, tables ...mapped.Schema) error {
	tables, err := m.subset(tables)
	if err != nil {
		return err
	}
	return mapped.DropAll(ctx, ex, tables...)
}

// subset returns tables, refusing one that is not the model's, or all of
// the model's when tables is empty.
func (m *Model) subset(tables []mapped.Schema) ([]mapped.Schema, error) {
	if len(tables) == 0 {
		return m.tables, nil
	}
	for _, t := range tables {
		if t == nil {
			return nil, errors.New("model: nil table")
		}
		if !m.holds(t) {
			return nil, fmt.Errorf("model: table %s is not one of the model's tables", t.TableName())
		}
	}
	return tables, nil
}

// Follower is a relation that a unit of work follows, SQLAlchemy's
// save-update cascade. Package uow makes them (uow.Follow and its
// siblings); Follow adds one to a model.
type Follower interface {
	// Ends returns the tables on the relation's two sides.
	Ends() (parent, child mapped.Schema)
	// FollowKey returns what makes the followed relation one, equal for
	// two that would write the same (one foreign key seen from one side),
	// and its description.
	FollowKey() (key any, what string)
}

// Follow adds to the model a relation that units of work on a handle bound
// to it follow. Two followers that would write the same (one foreign key,
// or association table, seen from the same side) are refused.
func Follow(f Follower) Part {
	return partFunc(func(b *builder) error {
		if f == nil {
			return errors.New("nil follower")
		}
		key, what := f.FollowKey()
		p, c := f.Ends()
		if err := b.has(what, p, c); err != nil {
			return err
		}
		if err := b.declare(key, what+" followed"); err != nil {
			return err
		}
		b.m.follows[p.Info()] = append(b.m.follows[p.Info()], f)
		if c.Info() != p.Info() {
			b.m.follows[c.Info()] = append(b.m.follows[c.Info()], f)
		}
		return nil
	})
}
