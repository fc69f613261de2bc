package repo_test

import (
	"context"
	"errors"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	// Imported under another name: the package's fuzz tests have a type
	// named model.
	genmodel "github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/repo"
)

// testModel holds the rules the package's relations need: deleting a
// writer deletes its books, and a child taken out of a saved collection
// (a writer's books, a bin's parts, a day's readings) is deleted rather
// than released. Tests that rely on them bind their handle to it.
var testModel = genmodel.MustNew(
	genmodel.Tables(writers.Table, books.Table, drafts.Table, tags.Table,
		bins.Table, parts.Table, days.Table, readings.Table),
	genmodel.OnDelete(writerBooks, mapped.Cascade),
	genmodel.DeleteOrphans(writerBooks),
	genmodel.DeleteOrphans(binParts),
	genmodel.DeleteOrphans(dayReadings),
)

// person is the model most scenarios use: a generated key, text columns
// (one unique), an int and a nullable string.
type person struct {
	ID    int64
	Name  string
	Email string
	Age   int
	Nick  *string
}

type personTable struct {
	*mapped.Table[person]
	ID    mapped.Column[person, int64]
	Name  mapped.TextColumn[person, string]
	Email mapped.TextColumn[person, string]
	Age   mapped.Column[person, int]
	Nick  mapped.TextColumn[person, *string]
}

var people = mapped.Define("person", func(t *mapped.Table[person], p *person) personTable {
	return personTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, &p.ID),
		Name:  mapped.Text(t, &p.Name),
		Email: mapped.Text(t, &p.Email, mapped.Unique()),
		Age:   mapped.Col(t, &p.Age),
		Nick:  mapped.Text(t, &p.Nick),
	}
})

// create creates tables in db, failing the test on error.
func create(t testing.TB, db dialect.DB, tables ...mapped.Schema) {
	t.Helper()
	if err := mapped.CreateAll(context.Background(), db, tables...); err != nil {
		t.Fatalf("CreateAll: %v", err)
	}
}

// newPeople creates the person table in db and returns its repository.
func newPeople(t testing.TB, db dialect.DB) *repo.Repo[person] {
	t.Helper()
	create(t, db, people.Table)
	return repo.New(db, people.Table)
}

// insertAll inserts rows one by one, failing the test on error.
func insertAll[T any](t testing.TB, r *repo.Repo[T], rows ...*T) {
	t.Helper()
	for i, row := range rows {
		if err := r.Insert(context.Background(), row); err != nil {
			t.Fatalf("Insert row %d: %v", i, err)
		}
	}
}

// count returns the number of rows in r's table.
func count[T any](t testing.TB, r *repo.Repo[T]) int64 {
	t.Helper()
	n, err := r.Count(context.Background())
	if err != nil {
		t.Fatalf("Count: %v", err)
	}
	return n
}

// wantErr fails the test unless err matches target with errors.Is.
func wantErr(t testing.TB, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: got error %v, want one matching %v", what, err, target)
	}
}

func ptr[V any](v V) *V { return &v }

// namesOf returns the names of rows, in order.
func namesOf(rows []*person) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Name
	}
	return out
}
