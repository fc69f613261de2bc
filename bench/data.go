package bench

import (
	"errors"
	"fmt"
	"strconv"
)

// The fixed sizes of the data sets.
const (
	SeedItems      = 1000   // rows of item for the reads and the update
	MultiRows      = 100    // rows of one InsertMulti
	SliceRows      = 100    // rows of one ReadSlice
	QueryMinAge    = 30     // the filter of Query: age >= 30 AND active
	QueryLimit     = 10     // rows of one Query
	SeedAuthors    = 100    // authors of the eager-loading benchmark
	BooksPerAuthor = 10     // books of each author
	StreamRows     = 100000 // rows of item for the scale and streaming series
)

// ScaleRows are the sizes of the ReadSlice scale series.
var ScaleRows = []int{10, 100, 1000, 10000}

// NewItem returns the i-th item of the seed, without a key.
func NewItem(i int) *Item {
	return &Item{
		Name:    "name-" + strconv.Itoa(i),
		Title:   "a title of some length for item " + strconv.Itoa(i),
		Fax:     "+1-555-0100",
		Web:     "https://example.com/items/" + strconv.Itoa(i),
		Age:     int64(10 + i%60),
		Active:  i%2 == 0,
		Counter: int64(i * 7919 % 1000),
	}
}

// CheckItem reports whether it is the seed's row with key id.
func CheckItem(it *Item, id int64) error {
	if it == nil {
		return errors.New("nil item")
	}
	want := NewItem(int(id - 1))
	want.ID = id
	if it.ID != want.ID || it.Name != want.Name || it.Title != want.Title || it.Fax != want.Fax ||
		it.Web != want.Web || it.Age != want.Age || it.Active != want.Active || it.Counter != want.Counter {
		return fmt.Errorf("got %+v, want %+v", *it, *want)
	}
	return nil
}

// CheckQuery reports whether items is the answer of Query on the seed.
func CheckQuery(items []*Item) error {
	if len(items) != QueryLimit {
		return fmt.Errorf("query returned %d rows, want %d", len(items), QueryLimit)
	}
	for i, it := range items {
		if err := CheckItem(it, it.ID); err != nil {
			return err
		}
		if it.Age < QueryMinAge || !it.Active {
			return fmt.Errorf("query returned %+v, outside the filter", *it)
		}
		if i > 0 && it.Counter > items[i-1].Counter {
			return fmt.Errorf("query rows not ordered by counter descending")
		}
	}
	return nil
}

// CheckAuthors reports whether authors are the seed's, each with its books.
func CheckAuthors(authors []*Author) error {
	if len(authors) != SeedAuthors {
		return fmt.Errorf("%d authors, want %d", len(authors), SeedAuthors)
	}
	for i, a := range authors {
		if a.ID != int64(i+1) || a.Name != "author-"+strconv.Itoa(i) {
			return fmt.Errorf("author %d is %+v", i, *a)
		}
		if len(a.Books) != BooksPerAuthor {
			return fmt.Errorf("author %d has %d books, want %d", a.ID, len(a.Books), BooksPerAuthor)
		}
		for _, bk := range a.Books {
			if bk.AuthorID != a.ID || bk.Title == "" || bk.Pages == 0 {
				return fmt.Errorf("author %d has book %+v", a.ID, *bk)
			}
		}
	}
	return nil
}

// The sizes of the unit-of-work benchmark.
const (
	UnitLoads   = 10 // authors one Unit loads by key
	UnitInserts = 10 // books one Unit adds, one for each author it loaded
)

// UnitWork is the input of one Unit: a business transaction over the
// library (SeedLibrary) that loads UnitLoads authors by key, renames those
// of them with an even key (half of them: the keys are consecutive), adds
// a book for each, and deletes a book added earlier.
type UnitWork struct {
	Keys   []int64 // the authors to load, UnitLoads consecutive keys
	Name   string  // the new name of the loaded authors with an even key
	Books  []*Book // UnitInserts new books, whose keys Unit fills in
	Delete int64   // the key of a book to delete
}

// NewUnitWork returns the work of the n-th Unit, which deletes the book
// with key del: it loads the authors of the n-th block of UnitLoads keys
// (round-robin over the SeedAuthors), and gives the authors it renames a
// name that differs from the one the previous visit of the block gave them.
func NewUnitWork(n int, del int64) *UnitWork {
	w := &UnitWork{Keys: make([]int64, UnitLoads), Books: make([]*Book, UnitInserts)}
	for i := range w.Books {
		w.Books[i] = new(Book)
	}
	w.Reset(n, del)
	return w
}

// unitBookTitles are the titles of a Unit's books, made once.
var unitBookTitles = func() []string {
	t := make([]string, UnitInserts)
	for i := range t {
		t[i] = "unit book " + strconv.Itoa(i)
	}
	return t
}()

// Reset makes w the work of the n-th Unit, which deletes the book with key
// del, reusing w's slices and books (so that the loop allocates nothing of
// its own).
func (w *UnitWork) Reset(n int, del int64) {
	const blocks = SeedAuthors / UnitLoads
	first := int64(n%blocks*UnitLoads + 1)
	for i := range w.Keys {
		w.Keys[i] = first + int64(i)
	}
	// A block is visited every blocks Units; alternating between two names
	// from visit to visit makes every rename a change.
	w.Name = "renamed author A"
	if n/blocks%2 == 1 {
		w.Name = "renamed author B"
	}
	for i, bk := range w.Books {
		*bk = Book{AuthorID: w.Keys[i%UnitLoads], Title: unitBookTitles[i], Pages: int64(500 + i)}
	}
	w.Delete = del
}
