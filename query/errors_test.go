package query_test

import (
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/postgres"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/query"
)

// TestRenderErrors checks statements that must not render: Render returns
// an error and no SQL.
func TestRenderErrors(t *testing.T) {
	cases := []struct {
		name string
		d    dialect.Dialect // nil: every dialect
		stmt query.Statement
		is   error  // matched with errors.Is when set
		msg  string // a substring of the message
	}{
		{name: "raw_too_few_args",
			stmt: rowsOf(Tracks.Table, query.Where[Track](query.Raw(`"plays" > ? AND "likes" > ?`, 1))),
			msg:  "has 2 placeholders but 1 arguments"},
		{name: "raw_too_many_args",
			stmt: rowsOf(Tracks.Table, query.Where[Track](query.Raw(`"plays" > ?`, 1, 2))),
			msg:  "has 1 placeholders but 2 arguments"},
		{name: "raw_escaped_mark_is_no_placeholder",
			stmt: rowsOf(Tracks.Table, query.Where[Track](query.Raw(`"title" = '??'`, "x"))),
			msg:  "has 0 placeholders but 1 arguments"},
		{name: "raw_value_wrong_count",
			stmt: query.Select2(Tracks.Title, query.RawValue[int64](`"plays" * ?`)),
			msg:  "has 1 placeholders but 0 arguments"},
		{name: "raw_in_update_wrong_count",
			stmt: &query.Update{Table: Tracks.Table,
				Set:   []query.Assignment{Tracks.Plays.SetExpr(query.RawValue[int64](`"plays" + ?`)).Assignment},
				Where: []query.Condition{query.AllRows[Track]()}},
			msg: "has 1 placeholders but 0 arguments"},

		{name: "nul_in_eq", d: postgres.Dialect(),
			stmt: rowsOf(Artists.Table, Artists.Name.Eq("Qu\x00een")),
			is:   dialect.ErrInvalidText, msg: "artist.name"},
		{name: "invalid_utf8_in_eq", d: postgres.Dialect(),
			stmt: rowsOf(Artists.Table, Artists.Name.Eq("Qu\xffeen")),
			is:   dialect.ErrInvalidText},
		{name: "nul_in_nullable_eq", d: postgres.Dialect(),
			stmt: rowsOf(Artists.Table, Artists.Country.Eq(ptr("U\x00K"))),
			is:   dialect.ErrInvalidText},
		{name: "nul_in_in_list", d: postgres.Dialect(),
			stmt: rowsOf(Artists.Table, Artists.Name.In("ABBA", "Qu\x00een")),
			is:   dialect.ErrInvalidText},
		{name: "nul_in_like", d: postgres.Dialect(),
			stmt: rowsOf(Artists.Table, Artists.Name.Like("Q\x00%")),
			is:   dialect.ErrInvalidText},
		{name: "nul_in_contains", d: postgres.Dialect(),
			stmt: rowsOf(Tracks.Table, Tracks.Title.Contains("\x00")),
			is:   dialect.ErrInvalidText},
		{name: "nul_in_has_prefix", d: postgres.Dialect(),
			stmt: rowsOf(Tracks.Table, Tracks.Title.HasPrefix("a\x00")),
			is:   dialect.ErrInvalidText, msg: "track.title"},
		{name: "invalid_utf8_in_has_suffix", d: postgres.Dialect(),
			stmt: rowsOf(Tracks.Table, Tracks.Title.HasSuffix("\xff")),
			is:   dialect.ErrInvalidText, msg: "track.title"},
		{name: "invalid_utf8_in_contains_ignoring_case", d: postgres.Dialect(),
			stmt: rowsOf(Tracks.Table, query.Contains[Track](Tracks.Title, "\xc3", query.CaseInsensitive)),
			is:   dialect.ErrInvalidText, msg: "track.title"},
		// SQLite's LIKE stops reading a pattern at a NUL byte, so such a
		// pattern is refused rather than matched as its first part.
		{name: "nul_in_like_pattern_sqlite", d: sqlite.Dialect(),
			stmt: rowsOf(Artists.Table, Artists.Name.Like("Q\x00%")),
			is:   dialect.ErrInvalidText, msg: "pattern for artist.name holds a NUL byte"},
		{name: "nul_in_ilike_pattern_sqlite", d: sqlite.Dialect(),
			stmt: rowsOf(Artists.Table, Artists.Country.ILike("%\x00")),
			is:   dialect.ErrInvalidText, msg: "pattern for artist.country holds a NUL byte"},
		{name: "nul_in_like_pattern_in_exists_sqlite", d: sqlite.Dialect(),
			stmt: rowsOf(Artists.Table, query.Exists[Artist](query.ExistsQuery{From: Tracks.Table, Outer: Artists.Table,
				Where: []query.Expr{Tracks.Title.Like("\x00")}})),
			is: dialect.ErrInvalidText, msg: "pattern for track.title"},
		{name: "nul_in_between", d: postgres.Dialect(),
			stmt: rowsOf(Artists.Table, Artists.Name.Between("A", "\x00")),
			is:   dialect.ErrInvalidText},
		{name: "nul_in_set", d: postgres.Dialect(),
			stmt: &query.Update{Table: Tracks.Table, Set: []query.Assignment{Tracks.Title.Set("a\x00b").Assignment},
				Where: []query.Condition{byArtist}},
			is: dialect.ErrInvalidText},
		{name: "nul_in_subquery", d: postgres.Dialect(),
			stmt: rowsOf(Artists.Table, Artists.ID.InQuery(query.Select1(Tracks.ArtistID).Where(Tracks.Title.Eq("\x00")))),
			is:   dialect.ErrInvalidText},

		// A statement reads one table: a column of another, wherever it
		// appears, is refused rather than read from the wrong table.
		{name: "two_tables_unjoined",
			stmt: query.Select2(Artists.Name, Tracks.Title),
			msg:  `a selected expression reads table "track", which the statement on "artist" does not join`},
		{name: "from_other_table",
			stmt: query.Select1(Artists.Name).From(Tracks.Table),
			msg:  `a selected expression reads table "artist", which the statement on "track" does not join`},
		{name: "aggregate_of_other_table",
			stmt: query.Select2(Artists.Name, query.Sum(Tracks.Plays)),
			msg:  `a selected expression reads table "track"`},
		{name: "condition_on_other_table",
			stmt: query.Select1(Artists.Name).Where(Tracks.Plays.Gt(1)),
			msg:  `a condition reads table "track", which the statement on "artist" does not join`},
		{name: "where_fragment_of_other_table",
			stmt: rowsOf(Artists.Table, query.Where[Artist](Tracks.Title.Eq("x"))),
			msg:  `a condition reads table "track"`},
		{name: "column_compared_with_other_table",
			stmt: rowsOf(Tracks.Table, Tracks.Title.EqCol(Artists.Name)),
			msg:  `a condition reads table "artist", which the statement on "track" does not join`},
		{name: "nested_condition_on_other_table",
			stmt: query.Select1(Artists.Name).Where(query.Or(Artists.ID.Eq(1), query.Not(query.Where[Artist](Tracks.ID.IsNull())))),
			msg:  `a condition reads table "track"`},
		{name: "group_by_other_table",
			stmt: query.Select1(query.Count()).From(Artists.Table).GroupBy(Tracks.ArtistID),
			msg:  `GROUP BY reads table "track"`},
		{name: "having_on_other_table",
			stmt: query.Select1(Artists.Name).GroupBy(Artists.Name).Having(query.Max(Tracks.Plays).Gt(sql.Null[int64]{})),
			msg:  `HAVING reads table "track"`},
		{name: "order_by_other_table",
			stmt: query.Select1(Artists.Name).OrderBy(Tracks.Title.Asc()),
			msg:  `ORDER BY reads table "track", which the statement on "artist" does not join`},
		{name: "update_condition_on_other_table",
			stmt: &query.Update{Table: Tracks.Table, Set: []query.Assignment{Tracks.Plays.Set(0).Assignment},
				Where: []query.Condition{Artists.ID.Eq(1)}},
			msg: `a condition reads table "artist", which the statement on "track" does not join`},
		{name: "update_assigns_other_table",
			stmt: &query.Update{Table: Tracks.Table, Set: []query.Assignment{Tracks.Title.SetExpr(Artists.Name).Assignment},
				Where: []query.Condition{byArtist}},
			msg: `an assigned value reads table "artist"`},
		{name: "delete_condition_on_other_table",
			stmt: &query.Delete{From: Tracks.Table, Where: []query.Condition{Artists.Name.Like("Q%")}},
			msg:  `a condition reads table "artist", which the statement on "track" does not join`},
		{name: "no_table",
			stmt: query.Select1(query.Count()),
			msg:  "select names no table"},
		{name: "no_columns",
			stmt: &query.Select{From: Tracks.Table},
			msg:  "has no columns"},
		{name: "negative_limit",
			stmt: query.Select1(Tracks.ID).Limit(-1),
			msg:  "negative limit"},
		{name: "negative_offset",
			stmt: query.Select1(Tracks.ID).Offset(-5),
			msg:  "negative limit 0 or offset -5"},
		{name: "insert_values_mismatch",
			stmt: &query.Insert{Into: Artists.Table, Columns: []string{"name", "country"}, Values: []any{"a", "b", "c"}},
			msg:  "3 values for 2 columns"},
		{name: "insert_values_without_columns",
			stmt: &query.Insert{Into: Artists.Table, Values: []any{"a"}},
			msg:  "1 values for 0 columns"},
		{name: "insert_ordered_upsert",
			stmt: &query.Insert{Into: Labels.Table, Columns: []string{"code"}, Values: []any{"x"}, Ordered: true,
				OnConflict: []string{"code"}},
			msg: "an ordered insert cannot be an upsert"},
		{name: "update_without_set",
			stmt: &query.Update{Table: Tracks.Table, Where: []query.Condition{byArtist}},
			msg:  "sets no column"},

		// A dialect without the optional capabilities refuses the
		// statements that need them.
		{name: "no_returning", d: plain,
			stmt: &query.Insert{Into: Artists.Table, Columns: []string{"name"}, Values: []any{"a"}, Returning: []string{"id"}},
			is:   dialect.ErrUnsupported, msg: "RETURNING"},
		{name: "no_returning_delete", d: plain,
			stmt: &query.Delete{From: Tracks.Table, Where: []query.Condition{byArtist}, Returning: []string{"id"}},
			is:   dialect.ErrUnsupported},
		{name: "no_upsert", d: plain,
			stmt: &query.Insert{Into: Labels.Table, Columns: []string{"code"}, Values: []any{"x"}, OnConflict: []string{"code"}},
			is:   dialect.ErrUnsupported, msg: "upsert into label"},
		{name: "no_nulls_order", d: plain,
			stmt: query.Select1(Tracks.ID).OrderBy(Tracks.Rating.Asc().NullsFirst()),
			is:   dialect.ErrUnsupported, msg: "NULLS FIRST/LAST"},
		{name: "in_over_max_params", d: plain,
			stmt: rowsOf(Tracks.Table, Tracks.ID.In(sequence(1000)...)),
			msg:  "IN list for track.id: 1000 values exceed the dialect's 999 parameters"},
		{name: "insert_over_max_params", d: plain,
			stmt: &query.Insert{Into: Labels.Table, Columns: []string{"code", "name"}, Values: make([]any, 1000)},
			msg:  "binds 1000 parameters, over the dialect's 999"},
		{name: "long_in_unconvertible", d: sqlite.Dialect(),
			stmt: query.Select1(Tracks.ID).Where(query.In[Track](query.RawValue[[]int](`"tags"`), make([][]int, 501))),
			msg:  "IN list for expression: unsupported type []int"},
		{name: "long_in_over_max_params", d: sqlite.Dialect(),
			stmt: query.Select1(Tracks.ID).Where(query.In[Track](query.RawValue[any](`"tags"`), stamps(32767))),
			msg:  "IN list for expression: 32767 values of time.Time have no exact JSON form, and one parameter each exceeds the dialect's 32766 parameters"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := dialects
			if c.d != nil {
				ds = []dialect.Dialect{c.d}
			}
			for _, d := range ds {
				sql, args, err := query.Render(d, c.stmt)
				if err == nil {
					t.Errorf("%s: Render = %q, %v; want an error", d.Name(), sql, args)
					continue
				}
				if sql != "" || args != nil {
					t.Errorf("%s: Render returned SQL %q and %d args beside its error", d.Name(), sql, len(args))
				}
				if c.is != nil && !errors.Is(err, c.is) {
					t.Errorf("%s: error %q does not match %v", d.Name(), err, c.is)
				}
				if !strings.Contains(err.Error(), c.msg) {
					t.Errorf("%s: error %q does not contain %q", d.Name(), err, c.msg)
				}
				if !strings.HasPrefix(err.Error(), "query: ") {
					t.Errorf("%s: error %q is not prefixed by the package", d.Name(), err)
				}
			}
		})
	}
}

func ptr[V any](v V) *V { return &v }

func sequence(n int) []int64 {
	vs := make([]int64, n)
	for i := range vs {
		vs[i] = int64(i + 1)
	}
	return vs
}

// TestTextMatchBindsBytes checks that on SQLite the literal text
// operators bind a needle holding NUL bytes or invalid UTF-8 unchanged,
// with its length in bytes.
func TestTextMatchBindsBytes(t *testing.T) {
	s := "a\x00\xff"
	cases := []struct {
		name string
		cond query.Cond[Track]
		args []any
	}{
		{"Contains", Tracks.Title.Contains(s), []any{s}},
		{"HasPrefix", Tracks.Title.HasPrefix(s), []any{int64(3), s}},
		{"HasSuffix", Tracks.Title.HasSuffix(s), []any{int64(3), int64(3), s}},
	}
	for _, c := range cases {
		_, args, err := query.Render(sqlite.Dialect(), query.Select1(Tracks.ID).Where(c.cond))
		if err != nil || !slices.Equal(args, c.args) {
			t.Errorf("%s: args %#v, %v; want %#v", c.name, args, err, c.args)
		}
	}
}

// TestStrictTextOnlyOnPostgres checks that the text PostgreSQL refuses
// renders on SQLite, which stores any bytes, and is bound unchanged.
func TestStrictTextOnlyOnPostgres(t *testing.T) {
	for _, s := range []string{"Qu\x00een", "Qu\xffeen"} {
		sql, args, err := query.Render(sqlite.Dialect(), rowsOf(Artists.Table, Artists.Name.Eq(s)))
		if err != nil {
			t.Fatalf("sqlite: Render(%q): %v", s, err)
		}
		if want := `SELECT "id", "name", "country" FROM "artist" WHERE "name" = ?`; sql != want {
			t.Errorf("sqlite: SQL = %s, want %s", sql, want)
		}
		if len(args) != 1 || args[0] != s {
			t.Errorf("sqlite: args = %#v, want [%q]", args, s)
		}
	}
}

// stamps returns n times as a driver.Valuer might hand them over: values
// that SQLite's driver formats by itself, which one JSON parameter cannot
// carry.
func stamps(n int) []any {
	vs := make([]any, n)
	for i := range vs {
		vs[i] = time.Unix(int64(i), 0)
	}
	return vs
}

// TestLongIn renders IN lists far longer than any parameter limit: one
// array parameter on PostgreSQL; on SQLite one placeholder for a single
// value and one JSON parameter for any longer list, so that the text does
// not change with the list's length.
func TestLongIn(t *testing.T) {
	vs := sequence(70000)
	cases := []struct {
		name     string
		d        dialect.Dialect
		not      bool
		n        int // values in the list
		wantSQL  string
		wantArgs int
	}{
		{"postgres_in", postgres.Dialect(), false, 70000, `SELECT "id" FROM "track" WHERE "id" = ANY($1)`, 1},
		{"postgres_not_in", postgres.Dialect(), true, 70000, `SELECT "id" FROM "track" WHERE "id" <> ALL($1)`, 1},
		{"sqlite_in", sqlite.Dialect(), false, 70000,
			`SELECT "id" FROM "track" WHERE "id" IN (SELECT +value FROM json_each(?))`, 1},
		{"sqlite_not_in", sqlite.Dialect(), true, 70000,
			`SELECT "id" FROM "track" WHERE "id" NOT IN (SELECT +value FROM json_each(?))`, 1},
		{"sqlite_501", sqlite.Dialect(), false, 501,
			`SELECT "id" FROM "track" WHERE "id" IN (SELECT +value FROM json_each(?))`, 1},
		{"sqlite_500", sqlite.Dialect(), false, 500, `SELECT "id" FROM "track" WHERE "id" IN (?` + strings.Repeat(", ?", 499) + `)`, 500},
		{"sqlite_1", sqlite.Dialect(), false, 1, `SELECT "id" FROM "track" WHERE "id" IN (?)`, 1},
		{"sqlite_not_in_1", sqlite.Dialect(), true, 1, `SELECT "id" FROM "track" WHERE "id" NOT IN (?)`, 1},
		{"plain_999", plain, false, 999, `SELECT "id" FROM "track" WHERE "id" IN (?` + strings.Repeat(", ?", 998) + `)`, 999},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := vs[:c.n]
			cond := Tracks.ID.In(want...)
			if c.not {
				cond = Tracks.ID.NotIn(want...)
			}
			sql, args, err := query.Render(c.d, query.Select1(Tracks.ID).Where(cond))
			if err != nil {
				t.Fatal(err)
			}
			if sql != c.wantSQL {
				t.Errorf("SQL = %.300s, want %.300s", sql, c.wantSQL)
			}
			if len(args) != c.wantArgs {
				t.Fatalf("%d args, want %d", len(args), c.wantArgs)
			}
			var got []int64
			switch a := args[0].(type) {
			case int64:
				for _, v := range args {
					got = append(got, v.(int64))
				}
			case []any:
				for _, v := range a {
					got = append(got, v.(int64))
				}
			case string:
				if err := json.Unmarshal([]byte(a), &got); err != nil {
					t.Fatalf("JSON parameter: %v", err)
				}
			default:
				t.Fatalf("first arg is a %T", a)
			}
			if !slices.Equal(got, want) {
				t.Errorf("the parameters hold %d values, not the %d given in order", len(got), len(want))
			}
		})
	}
}

// TestLongInTimes checks that the values of a long IN list on SQLite are
// written as their column stores them: timestamps as UTC text.
func TestLongInTimes(t *testing.T) {
	times := make([]time.Time, 600)
	for i := range times {
		times[i] = when.Add(time.Duration(i) * time.Hour)
	}
	_, args, err := query.Render(sqlite.Dialect(), query.Select1(Tracks.ID).Where(Tracks.Released.In(times...)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := json.Unmarshal([]byte(args[0].(string)), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(times) || got[0] != "2024-03-01 11:30:00.123456" || got[599] != dialect.FormatTime(times[599]) {
		t.Errorf("JSON parameter holds %d values, first %q, last %q", len(got), got[0], got[len(got)-1])
	}
}

// TestQuoteIdent checks identifier quoting: always double quotes, a
// double quote inside doubled.
func TestQuoteIdent(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "artist", `"artist"`},
		{"keyword", "order", `"order"`},
		{"upper_case_kept", "Artist", `"Artist"`},
		{"space", "play list", `"play list"`},
		{"quote", `a"b`, `"a""b"`},
		{"two_quotes", `a""b`, `"a""""b"`},
		{"only_quote", `"`, `""""`},
		{"injection", `x"; DROP TABLE "artist`, `"x""; DROP TABLE ""artist"`},
		{"single_quote", `it's`, `"it's"`},
		{"unicode", "café", `"café"`},
		{"empty", "", `""`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := string(dialect.QuoteIdent(nil, c.in)); got != c.want {
				t.Errorf("QuoteIdent(%q) = %s, want %s", c.in, got, c.want)
			}
			if got := string(dialect.QuoteIdent([]byte("x."), c.in)); got != "x."+c.want {
				t.Errorf("QuoteIdent appends: got %s, want x.%s", got, c.want)
			}
			if got := dialect.Quote(c.in); got != c.want {
				t.Errorf("Quote(%q) = %s, want %s", c.in, got, c.want)
			}
		})
	}
}

// TestDebug checks the form statements print in for reading: PostgreSQL's
// placeholders, and the error in angle brackets when one cannot be built.
func TestDebug(t *testing.T) {
	cases := []struct {
		name string
		stmt query.Statement
		want string
	}{
		{"select", query.Select1(Artists.Name).Where(Artists.ID.In(1, 2), Artists.Name.ILike("q%")),
			`SELECT "name" FROM "artist" WHERE "id" = ANY($1) AND "name" ILIKE $2 ESCAPE '\'`},
		{"insert", &query.Insert{Into: Labels.Table, Columns: []string{"code"}, Values: []any{"x"},
			OnConflict: []string{"code"}, Returning: []string{"code"}},
			`INSERT INTO "label" ("code") VALUES ($1) ON CONFLICT ("code") DO NOTHING RETURNING "code"`},
		{"error", query.Select2(Artists.Name, Tracks.Title),
			`<query: a selected expression reads table "track", which the statement on "artist" does not join>`},
		{"raw_error", query.Select1(Artists.Name).Where(query.Where[Artist](query.Raw("?"))),
			`<query: raw SQL "?" has 1 placeholders but 0 arguments>`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := query.Debug(c.stmt); got != c.want {
				t.Errorf("Debug = %s\nwant    %s", got, c.want)
			}
		})
	}
	p := query.Select1(Artists.Name).Where(Artists.Name.Eq("Queen"))
	if got, want := p.String(), `SELECT "name" FROM "artist" WHERE "name" = $1`; got != want {
		t.Errorf("Projection.String = %s, want %s", got, want)
	}
}

// TestPlaceholders checks each dialect's placeholder form beyond nine
// parameters, where $10 must not read as $1 followed by 0.
func TestPlaceholders(t *testing.T) {
	s := query.Select1(Tracks.ID).Where(Tracks.ID.NotIn(sequence(12)...))
	for _, c := range []struct {
		d    dialect.Dialect
		want string
	}{
		{sqlite.Dialect(), `SELECT "id" FROM "track" WHERE "id" NOT IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) LIMIT ?`},
		{plain, `SELECT "id" FROM "track" WHERE "id" NOT IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) LIMIT ?`},
		{postgres.Dialect(), `SELECT "id" FROM "track" WHERE "id" <> ALL($1) LIMIT 1`},
	} {
		sql, _, err := query.Render(c.d, s.Limit(1))
		if err != nil {
			t.Fatal(err)
		}
		if sql != c.want {
			t.Errorf("%s: %s\nwant %s", c.d.Name(), sql, c.want)
		}
	}
	sql, args, err := query.Render(postgres.Dialect(), &query.Insert{Into: Labels.Table,
		Columns: []string{"code", "name"}, Values: make([]any, 12)})
	if err != nil {
		t.Fatal(err)
	}
	want := `INSERT INTO "label" ("code", "name") VALUES ($1, $2), ($3, $4), ($5, $6), ($7, $8), ($9, $10), ($11, $12)`
	if sql != want || len(args) != 12 {
		t.Errorf("postgres: %s (%d args)\nwant %s (12 args)", sql, len(args), want)
	}
}
