package bench

import (
	"strconv"
	"strings"
)

// The limits of ReadSlice, Query and Eager as SQL text: a hand-written
// query writes its fixed LIMIT as a literal, which lets PostgreSQL reuse
// the plan it cached for the prepared statement.
var (
	sliceLimit   = strconv.Itoa(SliceRows)
	queryLimit   = strconv.Itoa(QueryLimit)
	authorsLimit = strconv.Itoa(SeedAuthors)
)

// sqlText is the hand-written SQL of the raw peers on one database.
type sqlText struct {
	dollar    bool   // $n placeholders (PostgreSQL) rather than ?
	insert    string // SQLite: no RETURNING, the key comes from LastInsertId
	update    string
	read      string
	readSlice string
	query     string
	authors   string
	books     string // PostgreSQL: author_id = ANY($1); SQLite: the prefix of an IN list

	// The statements of Unit.
	unitAuthors string // PostgreSQL: id = ANY($1); SQLite: the prefix of an IN list
	renameAuth  string
	deleteBook  string
}

const itemCols = "id, name, title, fax, web, age, active, counter"

var postgresSQL = sqlText{
	dollar:    true,
	insert:    "INSERT INTO item (name, title, fax, web, age, active, counter) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
	update:    "UPDATE item SET name = $1, title = $2, fax = $3, web = $4, age = $5, active = $6, counter = $7 WHERE id = $8",
	read:      "SELECT " + itemCols + " FROM item WHERE id = $1",
	readSlice: "SELECT " + itemCols + " FROM item WHERE id > $1 LIMIT " + sliceLimit,
	query:     "SELECT " + itemCols + " FROM item WHERE age >= $1 AND active = $2 ORDER BY counter DESC LIMIT " + queryLimit,
	authors:   "SELECT id, name FROM author ORDER BY id LIMIT " + authorsLimit,
	books:     "SELECT id, author_id, title, pages FROM book WHERE author_id = ANY($1)",

	unitAuthors: "SELECT id, name FROM author WHERE id = ANY($1)",
	renameAuth:  "UPDATE author SET name = $1 WHERE id = $2",
	deleteBook:  "DELETE FROM book WHERE id = $1",
}

var sqliteSQL = sqlText{
	insert:    "INSERT INTO item (name, title, fax, web, age, active, counter) VALUES (?, ?, ?, ?, ?, ?, ?)",
	update:    "UPDATE item SET name = ?, title = ?, fax = ?, web = ?, age = ?, active = ?, counter = ? WHERE id = ?",
	read:      "SELECT " + itemCols + " FROM item WHERE id = ?",
	readSlice: "SELECT " + itemCols + " FROM item WHERE id > ? LIMIT " + sliceLimit,
	query:     "SELECT " + itemCols + " FROM item WHERE age >= ? AND active = ? ORDER BY counter DESC LIMIT " + queryLimit,
	authors:   "SELECT id, name FROM author ORDER BY id LIMIT " + authorsLimit,
	books:     "SELECT id, author_id, title, pages FROM book WHERE author_id IN (",

	unitAuthors: "SELECT id, name FROM author WHERE id IN (",
	renameAuth:  "UPDATE author SET name = ? WHERE id = ?",
	deleteBook:  "DELETE FROM book WHERE id = ?",
}

// insertMulti returns the INSERT of n items, RETURNING their keys.
func (s *sqlText) insertMulti(n int) string {
	return s.insertValues("INSERT INTO item (name, title, fax, web, age, active, counter) VALUES ", 7, n)
}

// insertBooks returns the INSERT of n books, RETURNING their keys.
func (s *sqlText) insertBooks(n int) string {
	return s.insertValues("INSERT INTO book (author_id, title, pages) VALUES ", 3, n)
}

// insertValues returns prefix followed by n rows of cols placeholders and
// RETURNING id.
func (s *sqlText) insertValues(prefix string, cols, n int) string {
	var b strings.Builder
	b.WriteString(prefix)
	p := 0
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range cols {
			if j > 0 {
				b.WriteString(", ")
			}
			p++
			s.placeholder(&b, p)
		}
		b.WriteByte(')')
	}
	b.WriteString(" RETURNING id")
	return b.String()
}

// booksIn returns SQLite's select of the books of n authors.
func (s *sqlText) booksIn(n int) string { return s.in(s.books, n) }

// unitAuthorsIn returns SQLite's select of n authors by key.
func (s *sqlText) unitAuthorsIn(n int) string { return s.in(s.unitAuthors, n) }

// in completes prefix, which ends in "IN (", with n placeholders.
func (s *sqlText) in(prefix string, n int) string {
	var b strings.Builder
	b.WriteString(prefix)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		s.placeholder(&b, i+1)
	}
	b.WriteByte(')')
	return b.String()
}

func (s *sqlText) placeholder(b *strings.Builder, n int) {
	if s.dollar {
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(n))
		return
	}
	b.WriteByte('?')
}

// bookArgs appends the arguments of bk's columns but the key.
func bookArgs(args []any, bk *Book) []any {
	return append(args, bk.AuthorID, bk.Title, bk.Pages)
}

// itemArgs appends the arguments of it's columns but the key.
func itemArgs(args []any, it *Item) []any {
	return append(args, it.Name, it.Title, it.Fax, it.Web, it.Age, it.Active, it.Counter)
}
