package query

import (
	"strconv"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
)

// Insert is an INSERT of one or more rows. Values holds the driver
// arguments row after row, len(Columns) per row; they are bound, never
// written into the text. With OnConflict set it is an upsert: the listed
// columns are the conflict target, and Update names the columns to
// overwrite from the proposed row (none: DO NOTHING).
type Insert struct {
	// Into is the table written; it must not be nil.
	Into Source
	// Columns lists the unquoted names of the columns given, in the order
	// of each row's values. Empty inserts one row of DEFAULT VALUES, and
	// then Values must be empty too.
	Columns []string
	// Values holds driver arguments (what a Codec's Bind returns), bound
	// as they are. Its length must be a multiple of len(Columns), and it
	// may not bind more parameters than the dialect's MaxParams.
	Values []any
	// OnConflict lists the conflict target's columns, making the insert an
	// upsert; empty for a plain INSERT. It is an error on a dialect
	// without UpsertOnConflict.
	OnConflict []string
	// Update lists the columns an upsert overwrites from the proposed
	// row; empty means DO NOTHING. It is ignored without OnConflict.
	Update []string
	// Returning lists the columns read back from each inserted row, in
	// order; empty for none. It is an error on a dialect without
	// RETURNING.
	Returning []string
	// Ordered makes the rows go in in the order of Values, written as
	// INSERT … SELECT … FROM (VALUES …) ORDER BY their position, so that
	// keys a database generates in sequence (an identity column, SQLite's
	// AUTOINCREMENT) follow that order, and RETURNING rows can be matched
	// to the rows given by sorting them by key. It cannot be combined with
	// OnConflict. On a dialect with Features.ValuesCasts the VALUES list
	// starts with a row that gives each column the type of the table's
	// column, (SELECT "c" FROM "t" LIMIT 0), and is left out by position:
	// the values are then checked as a single-row INSERT checks them, where
	// a cast to the column's type would cut a string to a VARCHAR(n).
	Ordered bool
}

// AppendSQL appends the statement.
func (s *Insert) AppendSQL(b *Builder) {
	table := s.Into.TableName()
	n := len(s.Columns)
	if n == 0 && len(s.Values) > 0 || n > 0 && len(s.Values)%n != 0 {
		b.Fail(errorf("insert into %s: %d values for %d columns", table, len(s.Values), n))
		return
	}
	b.WriteString("INSERT INTO ")
	b.Table(s.Into)
	switch {
	case n == 0:
		b.WriteString(" DEFAULT VALUES")
	case s.Ordered:
		if !s.appendOrdered(b) {
			return
		}
	default:
		b.WriteString(" (")
		identList(b, s.Columns)
		b.WriteString(") VALUES ")
		s.appendValues(b, false)
	}
	if len(b.args) > b.f.MaxParams {
		b.Fail(errorf("insert into %s binds %d parameters, over the dialect's %d", table, len(b.args), b.f.MaxParams))
	}
	if len(s.OnConflict) > 0 {
		if b.f.Upsert != dialect.UpsertOnConflict {
			b.Fail(errs.Errorf("query: upsert into %s: %w", table, errUnsupported(b)))
			return
		}
		b.WriteString(" ON CONFLICT (")
		identList(b, s.OnConflict)
		b.WriteByte(')')
		if len(s.Update) == 0 {
			b.WriteString(" DO NOTHING")
		} else {
			b.WriteString(" DO UPDATE SET ")
			for i, c := range s.Update {
				if i > 0 {
					b.WriteString(", ")
				}
				b.Ident(c)
				b.WriteString(" = excluded.")
				b.Ident(c)
			}
		}
	}
	appendReturning(b, s.Returning)
}

// appendValues appends the rows of values, each in parentheses; with
// positions, each row ends with its position, counting from 0.
func (s *Insert) appendValues(b *Builder, positions bool) {
	n := len(s.Columns)
	for i, v := range s.Values {
		switch {
		case i == 0:
			b.WriteByte('(')
		case i%n == 0:
			if positions {
				b.WriteString(", " + strconv.Itoa(i/n-1))
			}
			b.WriteString("), (")
		default:
			b.WriteString(", ")
		}
		b.Bind(v)
	}
	if positions {
		b.WriteString(", " + strconv.Itoa(len(s.Values)/n-1))
	}
	b.WriteByte(')')
}

// appendTypingRow appends the first row of an ordered insert's VALUES on a
// dialect with Features.ValuesCasts: each column read from the table, so
// that the VALUES columns take the table's types without a length or a
// precision (PostgreSQL drops them when it unifies a VALUES column),
// and position -1, which appendOrdered leaves out.
func (s *Insert) appendTypingRow(b *Builder) {
	b.WriteByte('(')
	for _, c := range s.Columns {
		b.WriteString("(SELECT ")
		b.Ident(c)
		b.WriteString(" FROM ")
		b.Table(s.Into)
		b.WriteString(" LIMIT 0), ")
	}
	b.WriteString("-1), ")
}

// appendOrdered appends the columns and rows of an Ordered insert:
// ("a", "b") SELECT "column1", "column2" FROM (VALUES (…, 0), (…, 1)) AS
// "v" ORDER BY "column3", the columns SQLite and PostgreSQL both give a
// VALUES list; with Features.ValuesCasts the typing row comes first and
// WHERE "column3" >= 0 leaves it out. It reports false when the statement
// cannot be written.
func (s *Insert) appendOrdered(b *Builder) bool {
	n := len(s.Columns)
	if len(s.OnConflict) > 0 {
		b.Fail(errorf("insert into %s: an ordered insert cannot be an upsert", s.Into.TableName()))
		return false
	}
	b.WriteString(" (")
	identList(b, s.Columns)
	b.WriteString(") SELECT ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.Ident("column" + strconv.Itoa(i+1))
	}
	b.WriteString(" FROM (VALUES ")
	if b.f.ValuesCasts {
		s.appendTypingRow(b)
	}
	s.appendValues(b, true)
	b.WriteString(") AS ")
	b.Ident("v")
	if b.f.ValuesCasts {
		b.WriteString(" WHERE ")
		b.Ident("column" + strconv.Itoa(n+1))
		b.WriteString(" >= 0")
	}
	b.WriteString(" ORDER BY ")
	b.Ident("column" + strconv.Itoa(n+1))
	return true
}

// Assignment is one SET term of an UPDATE.
type Assignment struct {
	// Column is the unquoted name of the column set, in the updated
	// table.
	Column string
	// Value is the new value: a bound value, another column of the same
	// table or any expression; it must not be nil, and may read only the
	// updated table.
	Value Expr
}

// Assign is an assignment to a column of table rows of type T, made by a
// column's Set method; its row type keeps it to updates of T.
type Assign[T any] struct {
	Assignment // the untyped term, as an Update's Set holds it
}

// SetTo assigns v, bound through col's codec, to col.
func SetTo[T, V any](col Value[V], name string, v V) Assign[T] {
	return Assign[T]{Assignment{Column: name, Value: Bound(col, v)}}
}

// SetExpr assigns an expression, such as another column or a Raw
// fragment, to the column named name.
func SetExpr[T any](name string, e Expr) Assign[T] {
	return Assign[T]{Assignment{Column: name, Value: e}}
}

// Update is an UPDATE of the rows matching Where.
type Update struct {
	// Table is the table updated; it must not be nil.
	Table Source
	// Set holds the assignments, written in order; empty is an error.
	Set []Assignment
	// Where holds conditions joined with AND, which may read only Table.
	// Nil conditions and those that restrict nothing (the zero Cond,
	// AllRows) are skipped; when none remain, every row is updated.
	Where []Condition
	// Returning lists the columns read back from each updated row, in
	// order; empty for none. It is an error on a dialect without
	// RETURNING.
	Returning []string
}

// AppendSQL appends the statement.
func (s *Update) AppendSQL(b *Builder) {
	if len(s.Set) == 0 {
		b.Fail(errorf("update of %s sets no column", s.Table.TableName()))
		return
	}
	if err := checkSources(s.Table, nil, "a condition", s.Where); err != nil {
		b.Fail(err)
		return
	}
	for _, a := range s.Set {
		if err := checkSources(s.Table, nil, "an assigned value", []Expr{a.Value}); err != nil {
			b.Fail(err)
			return
		}
	}
	prev := b.SetQualified(false)
	defer b.SetQualified(prev)
	b.WriteString("UPDATE ")
	b.Table(s.Table)
	b.WriteString(" SET ")
	defer b.restoreWindows(b.barWindows("UPDATE's SET"))
	for i, a := range s.Set {
		if i > 0 {
			b.WriteString(", ")
		}
		b.Ident(a.Column)
		b.WriteString(" = ")
		a.Value.AppendSQL(b)
	}
	AppendWhere(b, " WHERE ", s.Where)
	appendReturning(b, s.Returning)
}

// Delete is a DELETE of the rows matching Where.
type Delete struct {
	// From is the table deleted from; it must not be nil.
	From Source
	// Where holds conditions joined with AND, which may read only From.
	// Nil conditions and those that restrict nothing (the zero Cond,
	// AllRows) are skipped; when none remain, every row is deleted.
	Where []Condition
	// Returning lists the columns read back from each deleted row, in
	// order; empty for none. It is an error on a dialect without
	// RETURNING.
	Returning []string
}

// AppendSQL appends the statement.
func (s *Delete) AppendSQL(b *Builder) {
	if err := checkSources(s.From, nil, "a condition", s.Where); err != nil {
		b.Fail(err)
		return
	}
	prev := b.SetQualified(false)
	defer b.SetQualified(prev)
	b.WriteString("DELETE FROM ")
	b.Table(s.From)
	AppendWhere(b, " WHERE ", s.Where)
	appendReturning(b, s.Returning)
}

func appendReturning(b *Builder, cols []string) {
	if len(cols) == 0 {
		return
	}
	if !b.f.Returning {
		b.Fail(errs.Errorf("query: RETURNING: %w", errUnsupported(b)))
		return
	}
	b.WriteString(" RETURNING ")
	identList(b, cols)
}

func identList(b *Builder, names []string) {
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.Ident(n)
	}
}

// debugDialect renders statements for String: PostgreSQL's placeholders,
// every feature on.
type debugDialect struct{}

var debugFeatures = dialect.Features{Returning: true, Upsert: dialect.UpsertOnConflict,
	MaxParams: 65535, ArrayParams: true, ILike: true, NullsOrder: true}

func (debugDialect) Name() string                             { return "debug" }
func (debugDialect) AppendPlaceholder(b []byte, n int) []byte { return dialect.AppendDollar(b, n) }
func (debugDialect) ColumnType(t dialect.Type, _ bool) string { return t.Kind.String() }
func (debugDialect) Features() *dialect.Features              { return &debugFeatures }
func (debugDialect) TranslateError(err error) error           { return err }

// Debug renders s for reading and logging: PostgreSQL's $n placeholders,
// every feature available. Render gives a dialect's exact form. A statement
// that cannot be built renders as <the error>.
func Debug(s Statement) string {
	b := NewBuilder(debugDialect{})
	s.AppendSQL(b)
	if b.err != nil {
		return "<" + b.err.Error() + ">"
	}
	return b.SQL()
}
