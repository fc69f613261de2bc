package query

import (
	"fmt"

	"github.com/genrepo/genrepo/dialect"
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
	b.Ident(table)
	if n == 0 {
		b.WriteString(" DEFAULT VALUES")
	} else {
		b.WriteString(" (")
		identList(b, s.Columns)
		b.WriteString(") VALUES ")
		for i, v := range s.Values {
			switch {
			case i == 0:
				b.WriteByte('(')
			case i%n == 0:
				b.WriteString("), (")
			default:
				b.WriteString(", ")
			}
			b.Bind(v)
		}
		b.WriteByte(')')
	}
	if len(b.args) > b.f.MaxParams {
		b.Fail(errorf("insert into %s binds %d parameters, over the dialect's %d", table, len(b.args), b.f.MaxParams))
	}
	if len(s.OnConflict) > 0 {
		if b.f.Upsert != dialect.UpsertOnConflict {
			b.Fail(fmt.Errorf("query: upsert into %s: %w", table, errUnsupported(b)))
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
	b.Ident(s.Table.TableName())
	b.WriteString(" SET ")
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
	b.Ident(s.From.TableName())
	AppendWhere(b, " WHERE ", s.Where)
	appendReturning(b, s.Returning)
}

func appendReturning(b *Builder, cols []string) {
	if len(cols) == 0 {
		return
	}
	if !b.f.Returning {
		b.Fail(fmt.Errorf("query: RETURNING: %w", errUnsupported(b)))
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
