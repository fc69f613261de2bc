package query

import (
	"fmt"
	"slices"
	"sync"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
)

// Builder accumulates the text and bound arguments of one statement for one
// dialect. Expressions append themselves to it; values always go through
// Bind, identifiers through Ident. The first error recorded with Fail
// sticks and is returned by Err. A Builder is not safe for concurrent use.
type Builder struct {
	d       dialect.Dialect
	f       *dialect.Features
	buf     []byte
	args    []any
	err     error
	qualify bool
	aliases []alias // innermost last
	outer   []alias // the names outer tables go by in the subqueries being written, innermost last
	// noWindow names the clause being written where window functions
	// are not allowed (WHERE, GROUP BY…); "" where they are.
	noWindow string
	with     []Source // the common table expressions defined around the text being written
}

// alias renames a table inside a subquery, for a table that also appears
// outside it (a self-referential relation).
type alias struct{ table, as string }

// PushAlias makes qualified references to table use as instead, until the
// matching PopAlias.
func (b *Builder) PushAlias(table, as string) { b.aliases = append(b.aliases, alias{table, as}) }

// PopAlias undoes the last PushAlias.
func (b *Builder) PopAlias() { b.aliases = b.aliases[:len(b.aliases)-1] }

// qualifier is the name that qualifies columns of table.
func (b *Builder) qualifier(table string) string {
	return lookup(b.aliases, table)
}

// lookup returns the innermost name of table in as, or table itself.
func lookup(as []alias, table string) string {
	for i := len(as) - 1; i >= 0; i-- {
		if as[i].table == table {
			return as[i].as
		}
	}
	return table
}

// freshAlias returns base, or base with a number appended when a
// subquery around the one being written already uses that alias, so that
// nested subqueries over one table keep their names apart.
func (b *Builder) freshAlias(base string) string {
	name := base
	for n := 2; b.aliasUsed(name); n++ {
		name = fmt.Sprintf("%s_%d", base, n)
	}
	return name
}

func (b *Builder) aliasUsed(name string) bool {
	for _, a := range b.aliases {
		if a.as == name {
			return true
		}
	}
	return false
}

// sketch renders e apart, with b's dialect, qualification and aliases,
// and returns its text and arguments, for comparing two expressions.
func (b *Builder) sketch(e Expr) (string, []any) {
	s := &Builder{d: b.d, f: b.f, qualify: b.qualify, aliases: slices.Clip(b.aliases), outer: slices.Clip(b.outer),
		noWindow: b.noWindow, with: slices.Clip(b.with)}
	e.AppendSQL(s)
	return string(s.buf), s.args
}

// NewBuilder returns an empty builder for d.
func NewBuilder(d dialect.Dialect) *Builder {
	return &Builder{d: d, f: d.Features(), buf: make([]byte, 0, 256)}
}

// Dialect is the dialect the statement is written for.
func (b *Builder) Dialect() dialect.Dialect { return b.d }

// Features are the dialect's capabilities.
func (b *Builder) Features() *dialect.Features { return b.f }

// WriteString appends SQL text. It must never carry a value or an
// unchecked identifier.
func (b *Builder) WriteString(s string) { b.buf = append(b.buf, s...) }

// WriteByte appends one byte of SQL text.
func (b *Builder) WriteByte(c byte) error {
	b.buf = append(b.buf, c)
	return nil
}

// Ident appends a quoted identifier.
func (b *Builder) Ident(name string) { b.buf = dialect.QuoteIdent(b.buf, name) }

// Table appends the name of the table s reads, quoted, qualified by its
// schema when it has one (a mapped table placed with InSchema). A schema
// on a dialect without schemas fails the statement, naming the table. An
// aliased table (As) is written "table" AS "alias".
func (b *Builder) Table(s Source) {
	if f, ok := s.(fromAppender); ok {
		f.appendFrom(b)
		return
	}
	if sc, ok := s.(interface{ SchemaName() string }); ok {
		if name := sc.SchemaName(); name != "" {
			if !b.d.Features().Schemas {
				b.Fail(fmt.Errorf("query: table %s.%s: %s has no schemas", name, s.TableName(), b.d.Name()))
			}
			b.Ident(name)
			b.buf = append(b.buf, '.')
		}
	}
	b.Ident(s.TableName())
}

// Bind appends a placeholder and records v as its argument.
func (b *Builder) Bind(v any) {
	if b.args == nil {
		b.args = make([]any, 0, 8) // at once room for most statements' arguments
	}
	b.args = append(b.args, v)
	b.buf = b.d.AppendPlaceholder(b.buf, len(b.args))
}

// Fail records err; the statement will not run.
func (b *Builder) Fail(err error) {
	if b.err == nil && err != nil {
		b.err = err
	}
}

// Qualified reports whether column references name their table, as they
// must when a statement reads more than one table.
func (b *Builder) Qualified() bool { return b.qualify }

// SetQualified sets whether column references name their table and
// returns the previous setting.
func (b *Builder) SetQualified(q bool) bool {
	prev := b.qualify
	b.qualify = q
	return prev
}

// SQL returns the statement text built so far.
func (b *Builder) SQL() string { return string(b.buf) }

// Args returns the bound arguments in placeholder order.
func (b *Builder) Args() []any { return b.args }

// Err returns the first error recorded.
func (b *Builder) Err() error { return b.err }

// Expr is any piece of SQL that can append itself to a Builder: a column,
// a bound value, a condition, an aggregate, a subquery.
type Expr interface {
	// AppendSQL appends the expression's text to b, values through Bind
	// and identifiers through Ident, and records a problem with b.Fail
	// instead of returning it. It runs each time a statement is
	// rendered, so it must not change the expression.
	AppendSQL(b *Builder)
}

// Statement is a whole statement that can be rendered for a dialect.
type Statement interface {
	Expr
}

// Render returns the SQL text and arguments of s for d, or the first error
// found while building it (an unsupported feature, a value the dialect
// refuses).
func Render(d dialect.Dialect, s Statement) (string, []any, error) {
	b := builders.Get().(*Builder)
	b.d, b.f = d, d.Features()
	s.AppendSQL(b)
	sql, args, err := b.SQL(), b.args, b.err
	b.recycle()
	if err != nil {
		return "", nil, err
	}
	return sql, args, nil
}

// builders holds spare Builders for Render, so that rendering a statement
// reuses the text buffer of an earlier one. It is the package's only
// state besides the pool of sourceChecks: scratch values, each used by one
// Render at a time and emptied before it goes back.
var builders = sync.Pool{New: func() any { return &Builder{buf: make([]byte, 0, 256)} }}

// maxKeptBuffer bounds the text buffer a Builder keeps for reuse, so that
// one huge statement does not pin its memory in the pool.
const maxKeptBuffer = 16 << 10

// recycle empties b, whose text has been copied out and whose arguments
// belong to the caller now, and puts it back in the pool.
func (b *Builder) recycle() {
	buf := b.buf[:0]
	if cap(buf) > maxKeptBuffer {
		buf = make([]byte, 0, 256)
	}
	*b = Builder{buf: buf}
	builders.Put(b)
}

func errorf(format string, args ...any) error {
	return errs.Errorf("query: "+format, args...)
}
