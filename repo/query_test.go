package repo_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// castRows are six people inserted in this order, so their keys are 1…6.
func castRows() []*person {
	return []*person{
		{Name: "Alice", Email: "alice@example.com", Age: 30, Nick: ptr("ally")},
		{Name: "bob", Email: "bob@example.com", Age: 25},
		{Name: "Carol", Email: "carol@example.com", Age: 35, Nick: ptr("caz")},
		{Name: "dave", Email: "dave@example.com", Age: 25},
		{Name: "Eve", Email: "eve@example.com", Age: 40, Nick: ptr("evil")},
		{Name: "Frank", Email: "frank@example.com", Age: 30, Nick: ptr("frankie")},
	}
}

// newCast creates the person table holding castRows.
func newCast(t testing.TB, db dialect.DB) *repo.Repo[person] {
	t.Helper()
	r := newPeople(t, db)
	if err := r.InsertMany(context.Background(), castRows()); err != nil {
		t.Fatalf("InsertMany: %v", err)
	}
	return r
}

var everyone = []string{"Alice", "bob", "Carol", "dave", "Eve", "Frank"}

func TestWhere(t *testing.T) {
	t.Parallel()
	P := people
	cases := []struct {
		name  string
		conds []query.Cond[person]
		want  []string
	}{
		{"Eq", []query.Cond[person]{P.Age.Eq(25)}, []string{"bob", "dave"}},
		{"Ne", []query.Cond[person]{P.Age.Ne(30)}, []string{"bob", "Carol", "dave", "Eve"}},
		{"Lt", []query.Cond[person]{P.Age.Lt(30)}, []string{"bob", "dave"}},
		{"Le", []query.Cond[person]{P.Age.Le(30)}, []string{"Alice", "bob", "dave", "Frank"}},
		{"Gt", []query.Cond[person]{P.Age.Gt(35)}, []string{"Eve"}},
		{"Ge", []query.Cond[person]{P.Age.Ge(35)}, []string{"Carol", "Eve"}},
		{"Eq on text", []query.Cond[person]{P.Name.Eq("Carol")}, []string{"Carol"}},
		{"Eq is case-sensitive", []query.Cond[person]{P.Name.Eq("carol")}, nil},
		{"Lt on text", []query.Cond[person]{P.Name.Lt("C")}, []string{"Alice"}},
		{"Between", []query.Cond[person]{P.Age.Between(26, 35)}, []string{"Alice", "Carol", "Frank"}},
		{"Between is inclusive", []query.Cond[person]{P.Age.Between(25, 30)}, []string{"Alice", "bob", "dave", "Frank"}},
		{"Between empty range", []query.Cond[person]{P.Age.Between(35, 26)}, nil},
		{"In", []query.Cond[person]{P.Age.In(25, 40)}, []string{"bob", "dave", "Eve"}},
		{"In one value", []query.Cond[person]{P.Name.In("Eve")}, []string{"Eve"}},
		{"In empty matches nothing", []query.Cond[person]{P.Age.In()}, nil},
		{"NotIn", []query.Cond[person]{P.Age.NotIn(25, 40)}, []string{"Alice", "Carol", "Frank"}},
		{"NotIn empty matches all", []query.Cond[person]{P.Age.NotIn()}, everyone},
		{"IsNull", []query.Cond[person]{P.Nick.IsNull()}, []string{"bob", "dave"}},
		{"IsNotNull", []query.Cond[person]{P.Nick.IsNotNull()}, []string{"Alice", "Carol", "Eve", "Frank"}},
		{"Eq nil pointer is IS NULL", []query.Cond[person]{P.Nick.Eq(nil)}, []string{"bob", "dave"}},
		{"Ne nil pointer is IS NOT NULL", []query.Cond[person]{P.Nick.Ne(nil)}, []string{"Alice", "Carol", "Eve", "Frank"}},
		{"Eq on a pointer", []query.Cond[person]{P.Nick.Eq(ptr("caz"))}, []string{"Carol"}},
		{"Ne on a pointer skips NULL", []query.Cond[person]{P.Nick.Ne(ptr("caz"))}, []string{"Alice", "Eve", "Frank"}},
		{"And", []query.Cond[person]{P.Age.Eq(30).And(P.Name.Eq("Frank"))}, []string{"Frank"}},
		{"And function", []query.Cond[person]{query.And(P.Age.Ge(30), P.Age.Le(35), P.Nick.IsNotNull())},
			[]string{"Alice", "Carol", "Frank"}},
		{"several Where conditions are ANDed", []query.Cond[person]{P.Age.Ge(30), P.Age.Le(35)},
			[]string{"Alice", "Carol", "Frank"}},
		{"Or", []query.Cond[person]{P.Age.Eq(25).Or(P.Age.Eq(40))}, []string{"bob", "dave", "Eve"}},
		{"Or beside another condition", []query.Cond[person]{P.Age.Eq(25).Or(P.Age.Eq(40)), P.Name.Ne("Eve")},
			[]string{"bob", "dave"}},
		{"Or inside And", []query.Cond[person]{query.And(query.Or(P.Age.Eq(25), P.Age.Eq(40)), P.Name.Ne("dave"))},
			[]string{"bob", "Eve"}},
		{"And inside Or", []query.Cond[person]{query.Or(
			query.And(P.Age.Eq(30), P.Name.Eq("Alice")),
			query.And(P.Age.Eq(25), P.Name.Eq("dave")))},
			[]string{"Alice", "dave"}},
		{"Not", []query.Cond[person]{query.Not(P.Age.Eq(25))}, []string{"Alice", "Carol", "Eve", "Frank"}},
		{"Not of Or", []query.Cond[person]{P.Age.Eq(25).Or(P.Age.Eq(30)).Not()}, []string{"Carol", "Eve"}},
		{"Not of And", []query.Cond[person]{query.Not(query.And(P.Age.Eq(30), P.Nick.Eq(ptr("ally"))))},
			[]string{"bob", "Carol", "dave", "Eve", "Frank"}},
		{"Not Not", []query.Cond[person]{query.Not(query.Not(P.Age.Eq(40)))}, []string{"Eve"}},
		{"zero Cond restricts nothing", []query.Cond[person]{{}}, everyone},
		{"AllRows", []query.Cond[person]{query.AllRows[person]()}, everyone},
		{"Or with AllRows", []query.Cond[person]{P.Age.Eq(25).Or(query.AllRows[person]())}, everyone},
		{"And with AllRows", []query.Cond[person]{query.And(query.AllRows[person](), P.Age.Eq(40))}, []string{"Eve"}},
		{"EqCol", []query.Cond[person]{P.Name.EqCol(P.Name)}, everyone},
		{"NeCol", []query.Cond[person]{P.Email.NeCol(P.Name)}, everyone},
		{"Raw", []query.Cond[person]{query.Where[person](query.Raw(`"age" + ? = ?`, 5, 35))}, []string{"Alice", "Frank"}},
	}
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newCast(t, db)
		for _, tc := range cases {
			rows, err := r.Where(tc.conds...).OrderBy(people.ID.Asc()).All(ctx)
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
				continue
			}
			if got := namesOf(rows); !slices.Equal(got, tc.want) {
				t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
			}
			n, err := r.Where(tc.conds...).Count(ctx)
			if err != nil || n != int64(len(tc.want)) {
				t.Errorf("%s: Count got %d, %v; want %d", tc.name, n, err, len(tc.want))
			}
		}
	})
}

// textRow holds strings with the characters LIKE treats specially.
type textRow struct {
	ID   int64
	Text string
}

type textTable struct {
	*mapped.Table[textRow]
	ID   mapped.Column[textRow, int64]
	Text mapped.TextColumn[textRow, string]
}

var texts = mapped.Define("text_row", func(t *mapped.Table[textRow], r *textRow) textTable {
	return textTable{t, mapped.PrimaryKey(t, &r.ID), mapped.Text(t, &r.Text)}
})

var textValues = []string{
	"100% pure",
	"100 percent",
	"a_b",
	"axb",
	`back\slash`,
	"backslash",
	"Hello World",
	"hello world",
	"HELLO",
}

func TestPatterns(t *testing.T) {
	t.Parallel()
	X := texts.Text
	cases := []struct {
		name string
		cond query.Cond[textRow]
		want []string
	}{
		{"Like prefix is case-sensitive", X.Like("hello%"), []string{"hello world"}},
		{"Like upper prefix", X.Like("H%"), []string{"Hello World", "HELLO"}},
		{"Like exact", X.Like("HELLO"), []string{"HELLO"}},
		{"Like exact other case", X.Like("hello"), nil},
		{"Like underscore is one character", X.Like("a_b"), []string{"a_b", "axb"}},
		{"Like percent is any run", X.Like("100%"), []string{"100% pure", "100 percent"}},
		{"Like with EscapeLike is literal", X.Like(query.EscapeLike("100%") + "%"), []string{"100% pure"}},
		{"Like with an escaped underscore", X.Like(query.EscapeLike("a_b")), []string{"a_b"}},
		{"Like with an escaped backslash", X.Like(query.EscapeLike(`back\`) + "%"), []string{`back\slash`}},
		{"ILike ignores case", X.ILike("hello%"), []string{"Hello World", "hello world", "HELLO"}},
		{"ILike suffix", X.ILike("%WORLD"), []string{"Hello World", "hello world"}},
		{"ILike wildcard", X.ILike("A_B"), []string{"a_b", "axb"}},
		{"Contains percent is literal", X.Contains("%"), []string{"100% pure"}},
		{"Contains with percent", X.Contains("100%"), []string{"100% pure"}},
		{"Contains underscore is literal", X.Contains("_"), []string{"a_b"}},
		{"Contains backslash is literal", X.Contains(`\`), []string{`back\slash`}},
		{"Contains around a backslash", X.Contains(`k\s`), []string{`back\slash`}},
		{"Contains backslash-percent", X.Contains(`\%`), nil},
		{"Contains is case-sensitive", X.Contains("o W"), []string{"Hello World"}},
		{"Contains empty matches all", X.Contains(""), textValues},
		{"HasPrefix percent", X.HasPrefix("100%"), []string{"100% pure"}},
		{"HasPrefix plain", X.HasPrefix("100"), []string{"100% pure", "100 percent"}},
		{"HasPrefix is case-sensitive", X.HasPrefix("Hello"), []string{"Hello World"}},
		{"HasPrefix backslash", X.HasPrefix(`back\`), []string{`back\slash`}},
		{"HasSuffix underscore", X.HasSuffix("_b"), []string{"a_b"}},
		{"HasSuffix is case-sensitive", X.HasSuffix("World"), []string{"Hello World"}},
		{"Not Contains", X.Contains("l").Not(), []string{"100% pure", "100 percent", "a_b", "axb", "HELLO"}},
	}
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, texts.Table)
		r := repo.New(db, texts.Table)
		for _, s := range textValues {
			insertAll(t, r, &textRow{Text: s})
		}
		for _, tc := range cases {
			rows, err := r.Where(tc.cond).OrderBy(texts.ID.Asc()).All(ctx)
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
				continue
			}
			var got []string
			for _, row := range rows {
				got = append(got, row.Text)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
			}
		}
	})
}

func TestOrderBy(t *testing.T) {
	t.Parallel()
	P := people
	cases := []struct {
		name  string
		order []query.Order[person]
		want  []string
	}{
		{"Asc then Asc", []query.Order[person]{P.Age.Asc(), P.Name.Asc()}, []string{"bob", "dave", "Alice", "Frank", "Carol", "Eve"}},
		{"Desc then Asc", []query.Order[person]{P.Age.Desc(), P.ID.Asc()}, []string{"Eve", "Carol", "Alice", "Frank", "bob", "dave"}},
		{"Desc then Desc", []query.Order[person]{P.Age.Desc(), P.ID.Desc()}, []string{"Eve", "Carol", "Frank", "Alice", "dave", "bob"}},
		{"key Desc", []query.Order[person]{P.ID.Desc()}, []string{"Frank", "Eve", "dave", "Carol", "bob", "Alice"}},
		{"Asc NullsFirst", []query.Order[person]{P.Nick.Asc().NullsFirst(), P.ID.Asc()},
			[]string{"bob", "dave", "Alice", "Carol", "Eve", "Frank"}},
		{"Asc NullsLast", []query.Order[person]{P.Nick.Asc().NullsLast(), P.ID.Asc()},
			[]string{"Alice", "Carol", "Eve", "Frank", "bob", "dave"}},
		{"Desc NullsFirst", []query.Order[person]{P.Nick.Desc().NullsFirst(), P.ID.Asc()},
			[]string{"bob", "dave", "Frank", "Eve", "Carol", "Alice"}},
		{"Desc NullsLast", []query.Order[person]{P.Nick.Desc().NullsLast(), P.ID.Asc()},
			[]string{"Frank", "Eve", "Carol", "Alice", "bob", "dave"}},
	}
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newCast(t, db)
		for _, tc := range cases {
			rows, err := r.OrderBy(tc.order...).All(ctx)
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
				continue
			}
			if got := namesOf(rows); !slices.Equal(got, tc.want) {
				t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
			}
		}
		// OrderBy called twice appends terms.
		rows, err := r.Query().OrderBy(P.Age.Asc()).OrderBy(P.ID.Desc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := namesOf(rows), []string{"dave", "bob", "Frank", "Alice", "Carol", "Eve"}; !slices.Equal(got, want) {
			t.Errorf("OrderBy twice: got %q, want %q", got, want)
		}
	})
}

func TestLimitOffset(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name          string
		limit, offset int64
		hasLimit      bool
		want          []string
	}{
		{"Limit", 2, 0, true, []string{"Alice", "bob"}},
		{"Limit over the rows", 10, 0, true, everyone},
		{"Limit 0", 0, 0, true, nil},
		{"Offset alone", 0, 4, false, []string{"Eve", "Frank"}},
		{"Limit and Offset", 2, 3, true, []string{"dave", "Eve"}},
		{"Offset past the end", 0, 6, false, nil},
		{"Limit and Offset past the end", 3, 5, true, []string{"Frank"}},
	}
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newCast(t, db)
		for _, tc := range cases {
			q := r.OrderBy(people.ID.Asc())
			if tc.hasLimit {
				q = q.Limit(tc.limit)
			}
			if tc.offset > 0 {
				q = q.Offset(tc.offset)
			}
			rows, err := q.All(ctx)
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
				continue
			}
			if got := namesOf(rows); !slices.Equal(got, tc.want) {
				t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
			}
			n, err := q.Count(ctx)
			if err != nil || n != int64(len(tc.want)) {
				t.Errorf("%s: Count got %d, %v; want %d", tc.name, n, err, len(tc.want))
			}
		}
		_, err := r.Query().Limit(-1).All(ctx)
		if err == nil {
			t.Errorf("Limit(-1): got no error, want one")
		}
	})
}

func TestDistinct(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newCast(t, db)
		// Whole rows carry their key, so each is distinct already.
		rows, err := r.Query().Distinct().OrderBy(people.ID.Asc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := namesOf(rows); !slices.Equal(got, everyone) {
			t.Errorf("Distinct rows: got %q, want %q", got, everyone)
		}
		if n, err := r.Where(people.Age.Le(30)).Distinct().Count(ctx); err != nil || n != 4 {
			t.Errorf("Distinct Count: got %d, %v; want 4", n, err)
		}
		// A projection of one column shows the duplicates go.
		ages, err := query.Select1(people.Age).Distinct().OrderBy(people.Age.Asc()).All(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int{25, 30, 35, 40}; !slices.Equal(ages, want) {
			t.Errorf("distinct ages: got %v, want %v", ages, want)
		}
		all, err := query.Select1(people.Age).All(ctx, db)
		if err != nil || len(all) != 6 {
			t.Errorf("ages without Distinct: got %v, %v; want 6 values", all, err)
		}
	})
}

func TestOneFirst(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newCast(t, db)

		got, err := r.Where(people.Name.Eq("Carol")).One(ctx)
		if err != nil || got.Email != "carol@example.com" {
			t.Errorf("One(name = Carol): got %v, %v; want Carol", got, err)
		}
		got, err = r.Where(people.Age.Eq(99)).One(ctx)
		wantErr(t, "One matching nothing", err, repo.ErrNotFound)
		if got != nil {
			t.Errorf("One matching nothing: got %+v, want nil", *got)
		}
		got, err = r.Where(people.Age.Eq(25)).One(ctx)
		wantErr(t, "One matching two rows", err, repo.ErrNotUnique)
		if got != nil {
			t.Errorf("One matching two rows: got %+v, want nil", *got)
		}
		wantErr(t, "One of every row", func() error { _, err := r.Query().One(ctx); return err }(), repo.ErrNotUnique)

		got, err = r.OrderBy(people.Age.Desc()).First(ctx)
		if err != nil || got.Name != "Eve" {
			t.Errorf("First by age desc: got %v, %v; want Eve", got, err)
		}
		got, err = r.Where(people.Age.Eq(25)).OrderBy(people.Name.Desc()).First(ctx)
		if err != nil || got.Name != "dave" {
			t.Errorf("First of age 25 by name desc: got %v, %v; want dave", got, err)
		}
		got, err = r.OrderBy(people.ID.Asc()).Offset(2).First(ctx)
		if err != nil || got.Name != "Carol" {
			t.Errorf("First after Offset(2): got %v, %v; want Carol", got, err)
		}
		_, err = r.Where(people.Age.Eq(99)).First(ctx)
		wantErr(t, "First matching nothing", err, repo.ErrNotFound)

		// The caller's limit holds: Limit(1) makes One find at most one
		// row, and Limit(0) none.
		got, err = r.OrderBy(people.Age.Desc()).Limit(1).One(ctx)
		if err != nil || got.Name != "Eve" {
			t.Errorf("Limit(1).One by age desc: got %v, %v; want Eve", got, err)
		}
		got, err = r.Where(people.Age.Eq(25)).OrderBy(people.Name.Asc()).Offset(1).Limit(1).One(ctx)
		if err != nil || got.Name != "dave" {
			t.Errorf("Offset(1).Limit(1).One of age 25: got %v, %v; want dave", got, err)
		}
		_, err = r.Query().Limit(0).One(ctx)
		wantErr(t, "Limit(0).One", err, repo.ErrNotFound)
		_, err = r.Query().Limit(0).First(ctx)
		wantErr(t, "Limit(0).First", err, repo.ErrNotFound)
		_, err = r.Query().Limit(3).One(ctx)
		wantErr(t, "Limit(3).One of six rows", err, repo.ErrNotUnique)

		// Projections: the same rules, and First.
		name, err := query.Select1(people.Name).OrderBy(people.Age.Desc()).Limit(1).One(ctx, db)
		if err != nil || name != "Eve" {
			t.Errorf("projection Limit(1).One: got %q, %v; want Eve", name, err)
		}
		_, err = query.Select1(people.Name).Limit(0).One(ctx, db)
		wantErr(t, "projection Limit(0).One", err, repo.ErrNotFound)
		_, err = query.Select1(people.Name).One(ctx, db)
		wantErr(t, "projection One of six rows", err, repo.ErrNotUnique)
		name, err = query.Select1(people.Name).Where(people.Age.Eq(25)).OrderBy(people.Name.Desc()).First(ctx, db)
		if err != nil || name != "dave" {
			t.Errorf("projection First: got %q, %v; want dave", name, err)
		}
		_, err = query.Select1(people.Name).Where(people.Age.Eq(99)).First(ctx, db)
		wantErr(t, "projection First matching nothing", err, repo.ErrNotFound)
		_, err = query.Select1(people.Name).Limit(0).First(ctx, db)
		wantErr(t, "projection Limit(0).First", err, repo.ErrNotFound)
	})
}

func TestCountExists(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		if n := count(t, r); n != 0 {
			t.Errorf("Count of an empty table: got %d, want 0", n)
		}
		if ok, err := r.Query().Exists(ctx); err != nil || ok {
			t.Errorf("Exists on an empty table: got %v, %v; want false", ok, err)
		}
		rows, err := r.All(ctx)
		if err != nil || len(rows) != 0 {
			t.Errorf("All of an empty table: got %d rows, %v; want none", len(rows), err)
		}
		if err := r.InsertMany(ctx, castRows()); err != nil {
			t.Fatal(err)
		}

		counts := []struct {
			name string
			q    *repo.Query[person]
			want int64
		}{
			{"every row", r.Query(), 6},
			{"Where", r.Where(people.Age.Eq(25)), 2},
			{"Where matching nothing", r.Where(people.Age.Eq(99)), 0},
			{"Limit under the count", r.Query().Limit(4), 4},
			{"Limit over the count", r.Query().Limit(10), 6},
			{"Where and Limit", r.Where(people.Age.Ge(30)).Limit(2), 2},
			{"Offset", r.Query().Offset(4), 2},
			{"OrderBy is ignored", r.OrderBy(people.Name.Desc()).Limit(3), 3},
		}
		for _, tc := range counts {
			n, err := tc.q.Count(ctx)
			if err != nil || n != tc.want {
				t.Errorf("Count %s: got %d, %v; want %d", tc.name, n, err, tc.want)
			}
		}

		exists := []struct {
			name string
			q    *repo.Query[person]
			want bool
		}{
			{"every row", r.Query(), true},
			{"Where", r.Where(people.Name.Eq("Eve")), true},
			{"Where matching nothing", r.Where(people.Name.Eq("Mallory")), false},
			{"Offset inside the rows", r.Query().Offset(5), true},
			{"Offset past the rows", r.Query().Offset(6), false},
		}
		for _, tc := range exists {
			ok, err := tc.q.Exists(ctx)
			if err != nil || ok != tc.want {
				t.Errorf("Exists %s: got %v, %v; want %v", tc.name, ok, err, tc.want)
			}
		}

		// Queries are values: extending one leaves it as it was.
		base := r.Where(people.Age.Eq(25))
		narrow := base.Where(people.Name.Eq("bob")).Limit(1)
		_ = base.OrderBy(people.Name.Desc()).Offset(1)
		if n, err := base.Count(ctx); err != nil || n != 2 {
			t.Errorf("base query after extending it: got %d, %v; want 2", n, err)
		}
		if n, err := narrow.Count(ctx); err != nil || n != 1 {
			t.Errorf("extended query: got %d, %v; want 1", n, err)
		}
	})
}

func TestIter(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		// The deadline only turns a leaked cursor holding the last pooled
		// connection into an error instead of a hang; nothing is timed.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		r := newPeople(t, db)
		const total = 300
		rows := make([]*person, total)
		for i := range rows {
			rows[i] = &person{Name: fmt.Sprintf("p%03d", i), Email: fmt.Sprintf("p%03d@example.com", i), Age: i}
		}
		if err := r.InsertMany(ctx, rows); err != nil {
			t.Fatal(err)
		}

		// Break early, more times than the pool has connections.
		for round := range 10 {
			var got []string
			for p, err := range r.OrderBy(people.Age.Asc()).Iter(ctx) {
				if err != nil {
					t.Fatalf("round %d: Iter: %v", round, err)
				}
				got = append(got, p.Name)
				if len(got) == 2 {
					break
				}
			}
			if want := []string{"p000", "p001"}; !slices.Equal(got, want) {
				t.Fatalf("round %d: rows before break: got %q, want %q", round, got, want)
			}
		}

		// The database is still usable: write, count, and read every row.
		insertAll(t, r, &person{Name: "after", Email: "after@example.com", Age: total})
		if n := count(t, r); n != total+1 {
			t.Errorf("Count after breaking out of Iter: got %d, want %d", n, total+1)
		}
		seen := 0
		for p, err := range r.OrderBy(people.Age.Asc()).Iter(ctx) {
			if err != nil {
				t.Fatalf("full Iter: %v", err)
			}
			if p.Age != seen {
				t.Fatalf("full Iter: row %d has age %d, want %d", seen, p.Age, seen)
			}
			seen++
		}
		if seen != total+1 {
			t.Errorf("full Iter: got %d rows, want %d", seen, total+1)
		}

		// Inside a transaction there is one connection: a cursor left open
		// by the break would make the next statement fail.
		tx, err := db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		rt := r.With(tx)
		for i := range 3 {
			n := 0
			for _, err := range rt.Query().Iter(ctx) {
				if err != nil {
					t.Fatalf("Iter in a transaction: %v", err)
				}
				if n++; n == 2 {
					break
				}
			}
			if err := rt.Insert(ctx, &person{Name: "tx", Email: fmt.Sprintf("tx%d@example.com", i), Age: -1}); err != nil {
				t.Fatalf("Insert after breaking out of Iter in a transaction: %v", err)
			}
		}
		if n, err := rt.Where(people.Name.Eq("tx")).Count(ctx); err != nil || n != 3 {
			t.Errorf("rows inserted in the transaction: got %d, %v; want 3", n, err)
		}

		// An empty result yields nothing.
		for p, err := range r.Where(people.Age.Lt(-100)).Iter(ctx) {
			t.Errorf("Iter over no rows yielded %v, %v", p, err)
		}
	})
}

// TestQueryBranchesStayApart extends one query in several ways: a Query
// keeps its first conditions and ordering inside itself, and no branch
// may see another's, nor change the query it came from.
func TestQueryBranchesStayApart(t *testing.T) {
	t.Parallel()
	P := people
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newCast(t, db)
		base := r.Where(P.Age.Le(30))
		young := base.Where(P.Age.Lt(30))
		thirty := base.Where(P.Age.Eq(30), P.Nick.IsNotNull())
		byName := base.OrderBy(P.Name.Desc())
		byNameYoung := byName.Where(P.Age.Eq(25)).OrderBy(P.ID.Asc())
		byID := base.OrderBy(P.ID.Desc())
		for _, tc := range []struct {
			name string
			q    *repo.Query[person]
			want []string
		}{
			{"base", base.OrderBy(P.ID.Asc()), []string{"Alice", "bob", "dave", "Frank"}},
			{"young", young.OrderBy(P.ID.Asc()), []string{"bob", "dave"}},
			{"thirty", thirty.OrderBy(P.ID.Asc()), []string{"Alice", "Frank"}},
			{"byName", byName, []string{"dave", "bob", "Frank", "Alice"}},
			{"byNameYoung", byNameYoung, []string{"dave", "bob"}},
			{"byID", byID, []string{"Frank", "dave", "bob", "Alice"}},
			{"base again", base.OrderBy(P.ID.Asc()), []string{"Alice", "bob", "dave", "Frank"}},
		} {
			rows, err := tc.q.All(ctx)
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
				continue
			}
			if got := namesOf(rows); !slices.Equal(got, tc.want) {
				t.Errorf("%s: got %q, want %q\n%s", tc.name, got, tc.want, tc.q)
			}
		}
	})
}
