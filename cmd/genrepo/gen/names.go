package gen

import (
	"go/token"
	"strconv"
	"strings"
	"unicode"
)

// initialisms are the words Go writes in capitals (Effective Go's
// convention, as golint knew it).
var initialisms = map[string]bool{
	"id": true, "url": true, "uri": true, "uuid": true, "api": true, "http": true, "json": true,
	"sql": true, "ip": true, "html": true, "xml": true, "ssn": true, "utc": true, "ttl": true,
}

// camel writes an SQL name as an exported Go identifier: the words between
// underscores (and other non-letters) capitalised, initialisms in capitals
// (artist_id is ArtistID), a leading digit or an empty name prefixed by X.
func camel(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var b strings.Builder
	for _, w := range words {
		lw := strings.ToLower(w)
		if initialisms[lw] {
			b.WriteString(strings.ToUpper(lw))
			continue
		}
		rs := []rune(w)
		if isUpperWord(rs) {
			rs = []rune(lw) // ARTIST_ID is ArtistID too
		}
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	s := b.String()
	if s == "" || !unicode.IsLetter([]rune(s)[0]) {
		s = "X" + s
	}
	return s
}

func isUpperWord(rs []rune) bool {
	for _, r := range rs {
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// singular makes the last word of a Go name singular where English does
// so plainly (Categories is Category, Boxes Box, Artists Artist) and
// leaves it as it is otherwise (Status, Analysis, News stay).
func singular(name string) string {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, "ies") && len(name) > 4:
		return name[:len(name)-3] + "y"
	case strings.HasSuffix(lower, "sses"), strings.HasSuffix(lower, "xes"),
		strings.HasSuffix(lower, "ches"), strings.HasSuffix(lower, "shes"):
		return name[:len(name)-2]
	case strings.HasSuffix(lower, "ss"), strings.HasSuffix(lower, "us"), strings.HasSuffix(lower, "is"),
		strings.HasSuffix(lower, "news"), len(name) < 3:
		return name
	case strings.HasSuffix(lower, "s"):
		return name[:len(name)-1]
	}
	return name
}

// plural makes the last word of a Go name plural: Category is Categories,
// Box Boxes, Status Statuses, Artist Artists.
func plural(name string) string {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, "y") && len(name) > 1 && !strings.ContainsRune("aeiou", rune(lower[len(lower)-2])):
		return name[:len(name)-1] + "ies"
	case strings.HasSuffix(lower, "s"), strings.HasSuffix(lower, "x"), strings.HasSuffix(lower, "ch"),
		strings.HasSuffix(lower, "sh"), strings.HasSuffix(lower, "z"):
		return name + "es"
	}
	return name + "s"
}

// namer hands out identifiers unique within a scope, in the order they
// are asked for: the first to ask gets the name, later ones a suffix.
type namer map[string]bool

// take returns name, or name with the first of suffixes (then a number)
// that makes it unused, and marks the result used.
func (n namer) take(name string, suffixes ...string) string {
	if !n[name] && token.IsIdentifier(name) {
		n[name] = true
		return name
	}
	for _, s := range suffixes {
		if !n[name+s] {
			n[name+s] = true
			return name + s
		}
	}
	for i := 2; ; i++ {
		c := name + strconv.Itoa(i)
		if !n[c] {
			n[c] = true
			return c
		}
	}
}

// receiver is the short name of a row parameter: the struct's first
// letter in lower case, never t (the table's parameter).
func receiver(structName string) string {
	r := strings.ToLower(structName[:1])
	if r == "t" || token.IsKeyword(r) || !token.IsIdentifier(r) {
		return "r"
	}
	return r
}
