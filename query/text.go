package query

import (
	"strings"

	"github.com/genrepo/genrepo/dialect"
)

// LikeMode selects the pattern operator of Like.
type LikeMode uint8

// The pattern operators.
const (
	// CaseSensitive is LIKE as PostgreSQL defines it: case matters. genrepo
	// turns on SQLite's case_sensitive_like so both dialects agree.
	CaseSensitive LikeMode = iota
	// CaseInsensitive is ILIKE on PostgreSQL, where the database's locale
	// folds letters, and lower(x) LIKE lower(p) elsewhere. On SQLite only
	// the ASCII letters A to Z fold (to a to z); for Contains, HasPrefix
	// and HasSuffix every other byte then compares exactly, NUL bytes and
	// invalid UTF-8 included.
	CaseInsensitive
)

// like is e LIKE pattern ESCAPE '\', or its case-insensitive form.
type like struct {
	e       Expr
	pattern string
	mode    LikeMode
}

func (l like) AppendSQL(b *Builder) {
	if b.f.ByteTextMatch && strings.IndexByte(l.pattern, 0) >= 0 {
		b.Fail(errorf("pattern for %s holds a NUL byte, where LIKE stops reading it: %w",
			nameOf(l.e), dialect.ErrInvalidText))
		return
	}
	p := param[string]{v: l.pattern, codec: stringCodec{}, of: l.e}
	switch {
	case l.mode == CaseInsensitive && b.f.ILike:
		l.e.AppendSQL(b)
		b.WriteString(" ILIKE ")
		p.AppendSQL(b)
	case l.mode == CaseInsensitive:
		b.WriteString("lower(")
		l.e.AppendSQL(b)
		b.WriteString(") LIKE lower(")
		p.AppendSQL(b)
		b.WriteByte(')')
	default:
		l.e.AppendSQL(b)
		b.WriteString(" LIKE ")
		p.AppendSQL(b)
	}
	// PostgreSQL escapes with \ by default and SQLite not at all: saying
	// it makes a pattern mean the same on both.
	b.WriteString(` ESCAPE '\'`)
}

// Like is true where l matches the LIKE pattern, in which % matches any
// run of characters, _ any one character, and \ makes the next character
// match itself (ESCAPE '\' on every dialect; see EscapeLike). A NULL value
// matches neither the pattern nor its negation.
//
// On SQLite (dialect.Features.ByteTextMatch), LIKE reads a stored value
// only up to its first NUL byte, so "a\x00b" matches "a" and not "%b";
// a pattern holding a NUL byte is refused with dialect.ErrInvalidText
// when the statement is built. Contains, HasPrefix and HasSuffix compare
// every byte.
func Like[T, V any](l Value[V], pattern string, mode LikeMode) Cond[T] {
	return Cond[T]{e: like{e: l, pattern: pattern, mode: mode}}
}

// matchKind says where a literal text operator looks for its string.
type matchKind uint8

const (
	matchContains matchKind = iota
	matchPrefix
	matchSuffix
)

// textMatch is Contains, HasPrefix or HasSuffix: e holds s literally,
// anywhere, at its start or at its end.
type textMatch struct {
	e    Expr
	s    string
	kind matchKind
	mode LikeMode
}

// Contains is true where l contains s, as strings.Contains says: %, _ and
// \ in s match only themselves. An empty s matches every value but NULL; a
// NULL value matches neither the condition nor its negation.
//
// Where LIKE sees every byte (PostgreSQL, whose text holds neither NUL
// bytes nor invalid UTF-8), it is LIKE with s escaped. On SQLite
// (dialect.Features.ByteTextMatch) it compares bytes, NUL and invalid
// UTF-8 included: instr(CAST(l AS BLOB), CAST(s AS BLOB)) > 0.
func Contains[T, V any](l Value[V], s string, mode LikeMode) Cond[T] {
	return Cond[T]{e: textMatch{e: l, s: s, kind: matchContains, mode: mode}}
}

// HasPrefix is true where l starts with s, as strings.HasPrefix says; see
// Contains for NULL, the empty string and how each dialect compares. On
// SQLite it compares the first len(s) bytes of l with s.
func HasPrefix[T, V any](l Value[V], s string, mode LikeMode) Cond[T] {
	return Cond[T]{e: textMatch{e: l, s: s, kind: matchPrefix, mode: mode}}
}

// HasSuffix is true where l ends with s, as strings.HasSuffix says; see
// Contains for NULL, the empty string and how each dialect compares. On
// SQLite it compares the last len(s) bytes of l with s.
func HasSuffix[T, V any](l Value[V], s string, mode LikeMode) Cond[T] {
	return Cond[T]{e: textMatch{e: l, s: s, kind: matchSuffix, mode: mode}}
}

// pattern is the LIKE pattern that matches what m does.
func (m textMatch) pattern() string {
	switch m.kind {
	case matchPrefix:
		return EscapeLike(m.s) + "%"
	case matchSuffix:
		return "%" + EscapeLike(m.s)
	}
	return "%" + EscapeLike(m.s) + "%"
}

// AppendSQL writes LIKE where the dialect's LIKE sees every byte, and
// otherwise a comparison of bytes, on BLOB casts so that SQLite counts
// and compares bytes rather than characters:
//
//	instr(H, N) > 0                     Contains
//	coalesce(substr(H, 1, n), H) = N    HasPrefix
//	coalesce(substr(H, -n, n), H) = N   HasSuffix
//
// H is CAST(l AS BLOB) and N is CAST(? AS BLOB), each inside lower()
// ignoring case (ASCII folding keeps every byte where it was, so n =
// len(s) still counts N's bytes). substr of the empty BLOB is NULL rather
// than the empty BLOB, hence the coalesce; a NULL l stays NULL throughout,
// so that NOT of the condition is NULL too, as with LIKE.
func (m textMatch) AppendSQL(b *Builder) {
	if !b.f.ByteTextMatch {
		like{e: m.e, pattern: m.pattern(), mode: m.mode}.AppendSQL(b)
		return
	}
	n := int64(len(m.s))
	switch m.kind {
	case matchContains:
		b.WriteString("instr(")
		m.haystack(b)
		b.WriteString(", ")
		m.needle(b)
		b.WriteString(") > 0")
		return
	case matchPrefix:
		b.WriteString("coalesce(substr(")
		m.haystack(b)
		b.WriteString(", 1, ")
		b.Bind(n)
	case matchSuffix:
		b.WriteString("coalesce(substr(")
		m.haystack(b)
		b.WriteString(", -")
		b.Bind(n)
		b.WriteString(", ")
		b.Bind(n)
	}
	b.WriteString("), ")
	m.haystack(b)
	b.WriteString(") = ")
	m.needle(b)
}

// haystack writes the searched value as a BLOB.
func (m textMatch) haystack(b *Builder) {
	b.WriteString("CAST(")
	m.fold(b, m.e)
	b.WriteString(" AS BLOB)")
}

// needle writes the searched-for string, bound, as a BLOB.
func (m textMatch) needle(b *Builder) {
	b.WriteString("CAST(")
	m.fold(b, param[string]{v: m.s, codec: stringCodec{}, of: m.e})
	b.WriteString(" AS BLOB)")
}

// fold writes e, inside lower() when case is ignored.
func (m textMatch) fold(b *Builder, e Expr) {
	if m.mode != CaseInsensitive {
		e.AppendSQL(b)
		return
	}
	b.WriteString("lower(")
	e.AppendSQL(b)
	b.WriteByte(')')
}

// EscapeLike escapes \, % and _ with a backslash, for a LIKE pattern with
// ESCAPE '\'.
func EscapeLike(s string) string {
	return likeEscaper.Replace(s)
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
