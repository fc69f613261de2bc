package repo_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/integration"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// TestLongIn checks In and NotIn with lists around and beyond every
// dialect's limits: SQLite writes up to 500 values inline and longer
// lists as one JSON parameter, and binds at most 32766 parameters;
// PostgreSQL binds the list as one array and allows 65535 parameters.
func TestLongIn(t *testing.T) {
	t.Parallel()
	integration.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		const stored = 1000
		rows := make([]*person, stored)
		for i := range rows {
			rows[i] = &person{Name: fmt.Sprint(i), Email: fmt.Sprintf("%d@example.com", i), Age: i}
		}
		if err := r.InsertMany(ctx, rows); err != nil {
			t.Fatal(err)
		}
		// Lists of even numbers: a list of n values holds the ages
		// 0, 2, …, 2n-2, of which min(n, stored/2) are stored. 500 and
		// 501 straddle SQLite's switch to a JSON parameter; 70000 is over
		// both dialects' parameter limits.
		for _, n := range []int{1, 500, 501, 70000} {
			ages := make([]int, n)
			emails := make([]string, n)
			for i := range ages {
				ages[i] = 2 * i
				emails[i] = fmt.Sprintf("%d@example.com", 2*i)
			}
			wantIn := int64(min(n, stored/2))
			got, err := r.Where(people.Email.In(emails...)).Count(ctx)
			if err != nil || got != wantIn {
				t.Errorf("In of %d strings: got %d, %v; want %d", n, got, err, wantIn)
			}
			got, err = r.Where(people.Email.NotIn(emails...)).Count(ctx)
			if err != nil || got != stored-wantIn {
				t.Errorf("NotIn of %d strings: got %d, %v; want %d", n, got, err, stored-wantIn)
			}
			if n == 70000 {
				continue // the rows of a list of 70000 ints are checked below
			}
			got, err = r.Where(people.Age.In(ages...)).Count(ctx)
			if err != nil || got != wantIn {
				t.Errorf("In of %d ints: got %d, %v; want %d", n, got, err, wantIn)
			}
			got, err = r.Where(people.Age.NotIn(ages...)).Count(ctx)
			if err != nil || got != stored-wantIn {
				t.Errorf("NotIn of %d ints: got %d, %v; want %d", n, got, err, stored-wantIn)
			}
		}

		// The rows themselves, not only their number, are the right ones.
		ages := make([]int, 70000)
		for i := range ages {
			ages[i] = 3*i + 1 // 1, 4, 7, …
		}
		in, err := r.Where(people.Age.In(ages...)).OrderBy(people.Age.Asc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range in {
			if p.Age != 3*i+1 {
				t.Fatalf("In of 70000: row %d has age %d, want %d", i, p.Age, 3*i+1)
			}
		}
		if len(in) != 333 {
			t.Errorf("In of 70000: got %d rows, want 333", len(in))
		}
		notIn, err := r.Where(people.Age.NotIn(ages...)).OrderBy(people.Age.Asc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(notIn) != stored-333 {
			t.Errorf("NotIn of 70000: got %d rows, want %d", len(notIn), stored-333)
		}
		for _, p := range notIn {
			if p.Age%3 == 1 {
				t.Fatalf("NotIn of 70000 returned age %d, which is in the list", p.Age)
			}
		}

		// Long lists work in bulk statements too.
		n, err := r.UpdateWhere(ctx, people.Age.In(ages...), people.Name.Set("third"))
		if err != nil || n != 333 {
			t.Errorf("UpdateWhere with In of 70000: got %d, %v; want 333", n, err)
		}
		n, err = r.DeleteWhere(ctx, people.Age.NotIn(ages...))
		if err != nil || n != stored-333 {
			t.Errorf("DeleteWhere with NotIn of 70000: got %d, %v; want %d", n, err, stored-333)
		}
		if got, err := r.Where(people.Name.Eq("third")).Count(ctx); err != nil || got != 333 || count(t, r) != 333 {
			t.Errorf("rows left: got %d named third (%v), %d in all; want 333 of each", got, err, count(t, r))
		}
	})
}

type post struct {
	ID       int64
	AuthorID int64
	Title    string
}

type postTable struct {
	*mapped.Table[post]
	ID       mapped.Column[post, int64]
	AuthorID mapped.Column[post, int64]
	Title    mapped.TextColumn[post, string]
}

var posts = mapped.Define("post", func(t *mapped.Table[post], p *post) postTable {
	return postTable{
		Table:    t,
		ID:       mapped.PrimaryKey(t, "id", &p.ID),
		AuthorID: mapped.ForeignKey(t, "author_id", &p.AuthorID, people.ID),
		Title:    mapped.Text(t, "title", &p.Title),
	}
})

func TestInQuery(t *testing.T) {
	t.Parallel()
	integration.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newCast(t, db) // Alice 1, bob 2, Carol 3, dave 4, Eve 5, Frank 6
		create(t, db, posts.Table)
		pr := repo.New(db, posts.Table)
		insertAll(t, pr,
			&post{AuthorID: 1, Title: "Go generics"},
			&post{AuthorID: 3, Title: "Go modules"},
			&post{AuthorID: 3, Title: "SQL joins"},
			&post{AuthorID: 5, Title: "Cryptography"},
		)
		goAuthors := query.Select1(posts.AuthorID).Where(posts.Title.HasPrefix("Go"))
		cases := []struct {
			name string
			cond query.Cond[person]
			want []string
		}{
			{"InQuery", people.ID.InQuery(goAuthors), []string{"Alice", "Carol"}},
			{"NotInQuery", people.ID.NotInQuery(goAuthors), []string{"bob", "dave", "Eve", "Frank"}},
			{"InQuery of every author", people.ID.InQuery(query.Select1(posts.AuthorID)), []string{"Alice", "Carol", "Eve"}},
			{"InQuery matching nothing", people.ID.InQuery(query.Select1(posts.AuthorID).Where(posts.Title.Eq("none"))), nil},
			{"InQuery beside another condition", people.ID.InQuery(goAuthors).And(people.Age.Gt(30)), []string{"Carol"}},
			{"InQuery on the same table", people.Age.InQuery(query.Select1(people.Age).Where(people.Name.Eq("bob"))),
				[]string{"bob", "dave"}},
			{"InQuery with Distinct and Limit", people.ID.InQuery(
				query.Select1(posts.AuthorID).Distinct().OrderBy(posts.AuthorID.Desc()).Limit(1)), []string{"Eve"}},
		}
		for _, tc := range cases {
			rows, err := r.Where(tc.cond).OrderBy(people.ID.Asc()).All(ctx)
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
				continue
			}
			if got := namesOf(rows); !slices.Equal(got, tc.want) {
				t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
			}
		}
		n, err := r.DeleteWhere(ctx, people.ID.NotInQuery(query.Select1(posts.AuthorID)))
		if err != nil || n != 3 {
			t.Errorf("DeleteWhere of people without posts: got %d, %v; want 3", n, err)
		}
	})
}
