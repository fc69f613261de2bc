package query_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// TestGoldenSQLRuns runs every golden statement on a real database of its
// dialect, with the schema created by mapped.CreateAll: the server must
// accept its syntax, its names and its bound arguments. Each statement
// runs in a transaction rolled back afterwards; a constraint violation
// (an insert of a track whose artist does not exist, say) counts as
// accepted, as the server got as far as checking the data.
func TestGoldenSQLRuns(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		createSchema(t, db)
		r := repos{artists: repo.New(db, Artists.Table), tracks: repo.New(db, Tracks.Table),
			charts: repo.New(db, Charts.Table)}
		for _, group := range [][]renderCase{selectCases, writeCases, exprCases, aliasCases, derivedCases} {
			for _, c := range group {
				sql, args, err := query.Render(db.Dialect(), c.stmt(r))
				if err != nil {
					t.Errorf("%s: Render: %v", c.name, err)
					continue
				}
				if err := runRolledBack(ctx, db, sql, args); err != nil {
					var ce *dialect.ConstraintError
					if !errors.As(err, &ce) {
						t.Errorf("%s: %v\n%s", c.name, err, sql)
					}
				}
			}
		}
	})
}

func createSchema(t testing.TB, db dialect.DB) {
	t.Helper()
	err := mapped.CreateAll(context.Background(), db, Artists.Table, Labels.Table, Tracks.Table, Charts.Table, Groups.Table, Sales.Table, Prices.Table, Staffs.Table)
	if err != nil {
		t.Fatal(err)
	}
}

// runRolledBack runs a statement, reading any rows it returns, in a
// transaction it then rolls back.
func runRolledBack(ctx context.Context, db dialect.DB, sql string, args []any) error {
	tx, err := db.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	return rows.Close()
}

// TestConditionsMatch checks on real databases what the rendering tests
// check as text: the rows each condition selects, in particular where the
// SQL differs between dialects or takes care (NULL comparisons, grouping
// of raw fragments, long IN lists, patterns with wildcards).
func TestConditionsMatch(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		createSchema(t, db)
		artists := repo.New(db, Artists.Table)
		for _, a := range []*Artist{{Name: "Queen", Country: &uk}, {Name: "ABBA"}, {Name: "50%_off"}, {Name: `back\slash`}} {
			if err := artists.Insert(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		long := sequence(70000)
		cases := []struct {
			name string
			cond query.Cond[Artist]
			want []string
		}{
			{"eq_nil", Artists.Country.Eq(nil), []string{"50%_off", "ABBA", `back\slash`}},
			{"ne_nil", Artists.Country.Ne(nil), []string{"Queen"}},
			{"eq", Artists.Country.Eq(&uk), []string{"Queen"}},
			{"not_all_rows", query.Not(query.AllRows[Artist]()), nil},
			{"or_all_rows", query.Or(Artists.ID.Eq(1), query.AllRows[Artist]()), []string{"50%_off", "ABBA", "Queen", `back\slash`}},
			{"raw_or_beside_and", query.And(
				query.Where[Artist](query.Raw(`"name" = ? OR "name" = ?`, "ABBA", "Queen")),
				Artists.Country.IsNull()), []string{"ABBA"}},
			{"in_long", Artists.ID.In(long...), []string{"50%_off", "ABBA", "Queen", `back\slash`}},
			{"not_in_long", Artists.ID.NotIn(long[1:]...), []string{"Queen"}},
			{"in_empty", Artists.ID.In(), nil},
			{"not_in_empty", Artists.ID.NotIn(), []string{"50%_off", "ABBA", "Queen", `back\slash`}},
			{"like_case_sensitive", Artists.Name.Like("q%"), nil},
			{"ilike", Artists.Name.ILike("q%"), []string{"Queen"}},
			{"contains_percent", Artists.Name.Contains("%_"), []string{"50%_off"}},
			{"contains_underscore_literal", Artists.Name.Contains("0_"), nil},
			{"contains_backslash", Artists.Name.Contains(`k\s`), []string{`back\slash`}},
			{"has_prefix_wildcard_literal", Artists.Name.HasPrefix("_"), nil},
			{"has_suffix", Artists.Name.HasSuffix("BA"), []string{"ABBA"}},
			{"like_underscore_any", Artists.Name.Like("50%_o%"), []string{"50%_off"}},
			{"like_backslash_escapes", Artists.Name.Like(`50\%%`), []string{"50%_off"}},
			{"like_escaped_wildcard_literal", Artists.Name.Like(`5\_%`), nil},
			{"like_escape_like", Artists.Name.Like(query.EscapeLike(`back\`) + "%"), []string{`back\slash`}},
		}
		for _, c := range cases {
			names, err := query.Select1(Artists.Name).Where(c.cond).All(ctx, db)
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			slices.Sort(names) // in Go, as collations differ
			if !slices.Equal(names, c.want) {
				t.Errorf("%s: got %q, want %q", c.name, names, c.want)
			}
		}
	})
}
