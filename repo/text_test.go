package repo_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// note holds text of any byte content in a NOT NULL column and in the two
// nullable forms, for the text operators.
type note struct {
	ID   int64
	Body string
	Opt  *string
	Null sql.Null[string]
}

type noteTable struct {
	*mapped.Table[note]
	ID   mapped.Column[note, int64]
	Body mapped.TextColumn[note, string]
	Opt  mapped.TextColumn[note, *string]
	Null mapped.TextColumn[note, sql.Null[string]]
}

var notes = mapped.Define("note", func(t *mapped.Table[note], n *note) noteTable {
	return noteTable{Table: t,
		ID:   mapped.PrimaryKey(t, &n.ID),
		Body: mapped.Text(t, &n.Body),
		Opt:  mapped.Text(t, &n.Opt),
		Null: mapped.Text(t, &n.Null, mapped.Name("null_body")),
	}
})

// textOp is one of the literal text operators, as genrepo writes it and
// as Go's strings package defines it.
type textOp struct {
	name string
	cond func(c mapped.TextColumn[note, string], s string) query.Cond[note]
	opt  func(c mapped.TextColumn[note, *string], s string) query.Cond[note]
	null func(c mapped.TextColumn[note, sql.Null[string]], s string) query.Cond[note]
	is   func(v, s string) bool
}

var textOps = []textOp{
	{"Contains", mapped.TextColumn[note, string].Contains, mapped.TextColumn[note, *string].Contains,
		mapped.TextColumn[note, sql.Null[string]].Contains, strings.Contains},
	{"HasPrefix", mapped.TextColumn[note, string].HasPrefix, mapped.TextColumn[note, *string].HasPrefix,
		mapped.TextColumn[note, sql.Null[string]].HasPrefix, strings.HasPrefix},
	{"HasSuffix", mapped.TextColumn[note, string].HasSuffix, mapped.TextColumn[note, *string].HasSuffix,
		mapped.TextColumn[note, sql.Null[string]].HasSuffix, strings.HasSuffix},
}

// textSamples are stored values with the bytes LIKE and text functions
// treat specially: NUL, invalid UTF-8, LIKE's wildcards and escape,
// multibyte characters, the empty string.
var textSamples = []string{
	"", "a", "b", "ab", "ba", "a\x00b", "\x00", "\x00\x00", "ab\x00", "\x00ab",
	"\xff", "a\xffb", "\xc3\xa9", "caf\xc3\xa9", "\xa9", "\xc3", "\xc3\xa9\x00\xa9",
	"50% off", "a_b", "axb", `a\b`, `\`, "%", "_", "x\x00%", "日本語", "本",
	"A", "AB", "Ab\x00C", "aB\x00c",
}

// textNeedles are the values searched for.
var textNeedles = []string{
	"", "a", "b", "ab", "\x00", "a\x00", "\x00b", "a\x00b", "\x00\x00", "\xff", "\xa9", "\xc3",
	"\xc3\xa9", "é", "%", "_", `\`, "a_b", "a%", `\%`, "本", "日本語", "A", "b\x00c", "zzz",
	"ab\x00\x00", "caf\xc3\xa9 au lait",
}

// storable reports whether db can store s as text: PostgreSQL refuses NUL
// bytes and invalid UTF-8.
func storable(db dialect.DB, s string) bool {
	return !db.Dialect().Features().StrictText || dialect.CheckText(s) == nil
}

// seedNotes stores each of values that db can store, in Body and, every
// third row left NULL, in Opt and Null; it checks that a value db cannot
// store is refused with ErrInvalidText and leaves the table as it was.
func seedNotes(t testing.TB, db dialect.DB, r *repo.Repo[note], values []string) []*note {
	t.Helper()
	ctx := context.Background()
	var rows []*note
	for i, v := range values {
		n := &note{Body: v}
		if i%3 != 1 {
			n.Opt, n.Null = &v, sql.Null[string]{V: v, Valid: true}
		}
		if !storable(db, v) {
			before := count(t, r)
			wantErr(t, fmt.Sprintf("Insert of %q", v), r.Insert(ctx, n), dialect.ErrInvalidText)
			if after := count(t, r); after != before {
				t.Fatalf("Insert of %q: %d rows after a refused insert, want %d", v, after, before)
			}
			continue
		}
		insertAll(t, r, n)
		rows = append(rows, n)
	}
	return rows
}

// idsWhere returns the keys of the rows matching cond, in order.
func idsWhere(ctx context.Context, r *repo.Repo[note], cond query.Cond[note]) ([]int64, error) {
	rows, err := r.Where(cond).OrderBy(notes.ID.Asc()).All(ctx)
	ids := make([]int64, len(rows))
	for i, n := range rows {
		ids[i] = n.ID
	}
	return ids, err
}

// wantIDs returns the keys of the rows whose value (nil: NULL) match says
// yes to; a NULL value matches neither a condition nor its negation.
func wantIDs(rows []*note, value func(*note) *string, match func(string) bool) []int64 {
	ids := []int64{}
	for _, n := range rows {
		if v := value(n); v != nil && match(*v) {
			ids = append(ids, n.ID)
		}
	}
	return ids
}

// checkTextCond runs cond and its negation on r and compares the rows
// with Go's answer, or, where db cannot hold the needle s, checks that the
// query is refused with ErrInvalidText.
func checkTextCond(t testing.TB, db dialect.DB, r *repo.Repo[note], rows []*note, what, s string,
	cond query.Cond[note], value func(*note) *string, match func(v string) bool) {
	t.Helper()
	ctx := context.Background()
	for _, neg := range []bool{false, true} {
		c, label := cond, what
		if neg {
			c, label = query.Not(cond), "Not "+what
		}
		got, err := idsWhere(ctx, r, c)
		if !storable(db, s) {
			wantErr(t, label, err, dialect.ErrInvalidText)
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", label, err)
			continue
		}
		want := wantIDs(rows, value, func(v string) bool { return match(v) != neg })
		if !slices.Equal(got, want) {
			t.Errorf("%s: got rows %v, want %v (%s)", label, got, want, describe(rows, got, want))
		}
	}
}

// describe names the values of the rows one list has and the other lacks.
func describe(rows []*note, got, want []int64) string {
	var extra, missing []string
	for _, n := range rows {
		in, wanted := slices.Contains(got, n.ID), slices.Contains(want, n.ID)
		switch {
		case in && !wanted:
			extra = append(extra, fmt.Sprintf("%q", n.Body))
		case wanted && !in:
			missing = append(missing, fmt.Sprintf("%q", n.Body))
		}
	}
	return fmt.Sprintf("extra %v, missing %v", extra, missing)
}

func body(n *note) *string { return &n.Body }
func opt(n *note) *string  { return n.Opt }
func null(n *note) *string {
	if !n.Null.Valid {
		return nil
	}
	return &n.Null.V
}

// TestDeleteWhereContainsNUL: of five rows one holds a NUL byte; deleting
// the rows that contain NUL deletes exactly that one. PostgreSQL cannot
// store the row and refuses the condition, deleting nothing.
func TestDeleteWhereContainsNUL(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, notes.Table)
		r := repo.New(db, notes.Table)
		rows := seedNotes(t, db, r, []string{"first", "a\x00b", "third", "", "fifth"})
		n, err := r.DeleteWhere(ctx, notes.Body.Contains("\x00"))
		if !storable(db, "\x00") {
			wantErr(t, "DeleteWhere", err, dialect.ErrInvalidText)
			if got := count(t, r); got != 4 {
				t.Errorf("rows after a refused DeleteWhere: got %d, want 4", got)
			}
			return
		}
		if err != nil || n != 1 {
			t.Fatalf("DeleteWhere(Contains(NUL)): got %d, %v; want 1 row deleted", n, err)
		}
		left, err := r.OrderBy(notes.ID.Asc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range left {
			got = append(got, l.Body)
		}
		if want := []string{"first", "third", "", "fifth"}; !slices.Equal(got, want) {
			t.Errorf("rows left: got %q, want %q (of %d stored)", got, want, len(rows))
		}
	})
}

// TestTextOpsMatchGo checks Contains, HasPrefix and HasSuffix, and their
// negations, against strings.Contains, HasPrefix and HasSuffix for values
// and needles of every kind of byte content, on a NOT NULL column and on
// nullable ones (*string, sql.Null[string]), where NULL matches neither a
// condition nor its negation, as with LIKE.
func TestTextOpsMatchGo(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		create(t, db, notes.Table)
		r := repo.New(db, notes.Table)
		rows := seedNotes(t, db, r, textSamples)
		for _, op := range textOps {
			for _, s := range textNeedles {
				is := func(v string) bool { return op.is(v, s) }
				what := fmt.Sprintf("%s(%q)", op.name, s)
				checkTextCond(t, db, r, rows, "body "+what, s, op.cond(notes.Body, s), body, is)
				checkTextCond(t, db, r, rows, "opt "+what, s, op.opt(notes.Opt, s), opt, is)
				checkTextCond(t, db, r, rows, "null "+what, s, op.null(notes.Null, s), null, is)
			}
		}
	})
}

// TestTextOpsExamples spells out the cases that made these operators
// exact: a NUL byte is a byte like any other. It runs on SQLite only,
// the one dialect that stores NUL bytes.
func TestTextOpsExamples(t *testing.T) {
	cases := []struct {
		name string
		cond query.Cond[note]
		want []string
	}{
		{"Contains after a NUL", notes.Body.Contains("b"), []string{"a\x00b", "abc"}},
		{"Contains a NUL", notes.Body.Contains("\x00"), []string{"a\x00b", "\x00"}},
		{"Contains across a NUL", notes.Body.Contains("a\x00b"), []string{"a\x00b"}},
		{"HasPrefix a NUL", notes.Body.HasPrefix("\x00"), []string{"\x00"}},
		{"HasPrefix up to a NUL", notes.Body.HasPrefix("a\x00"), []string{"a\x00b"}},
		{"HasSuffix after a NUL", notes.Body.HasSuffix("\x00b"), []string{"a\x00b"}},
		{"HasSuffix b", notes.Body.HasSuffix("b"), []string{"a\x00b"}},
		{"HasPrefix a", notes.Body.HasPrefix("a"), []string{"a\x00b", "abc"}},
		{"empty needle: every value", notes.Body.Contains(""), []string{"a\x00b", "\x00", "", "abc", "\xff"}},
		{"empty suffix: every value", notes.Body.HasSuffix(""), []string{"a\x00b", "\x00", "", "abc", "\xff"}},
		{"an invalid byte", notes.Body.HasSuffix("\xff"), []string{"\xff"}},
		{"not a NUL", notes.Body.Contains("\x00").Not(), []string{"", "abc", "\xff"}},
		// Like is SQLite's LIKE, which reads a value up to its first NUL
		// byte, as Like's documentation says.
		{"Like stops at a NUL", notes.Body.Like("a"), []string{"a\x00b"}},
		{"Like sees nothing after a NUL", notes.Body.Like("%b"), nil},
	}
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		if db.Dialect().Features().StrictText {
			t.Skip("PostgreSQL cannot store these values; TestTextOpsMatchGo checks that they are refused")
		}
		ctx := context.Background()
		create(t, db, notes.Table)
		r := repo.New(db, notes.Table)
		seedNotes(t, db, r, []string{"a\x00b", "\x00", "", "abc", "\xff"})
		for _, tc := range cases {
			rows, err := r.Where(tc.cond).OrderBy(notes.ID.Asc()).All(ctx)
			var got []string
			for _, n := range rows {
				got = append(got, n.Body)
			}
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("%s: got %q, %v; want %q", tc.name, got, err, tc.want)
			}
		}
	})
}

// asciiLower folds ASCII letters only, as the case-insensitive operators do
// on SQLite.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// TestTextOpsIgnoringCase checks the case-insensitive Contains, HasPrefix
// and HasSuffix against Go's strings functions over ASCII-folded values.
// On SQLite that holds for every byte content (only ASCII letters fold,
// every other byte compares exactly, NUL included); PostgreSQL's ILIKE
// folds other letters too, so there only ASCII values are compared.
func TestTextOpsIgnoringCase(t *testing.T) {
	ops := []struct {
		name string
		cond func(query.Value[string], string, query.LikeMode) query.Cond[note]
		is   func(v, s string) bool
	}{
		{"Contains", query.Contains[note, string], strings.Contains},
		{"HasPrefix", query.HasPrefix[note, string], strings.HasPrefix},
		{"HasSuffix", query.HasSuffix[note, string], strings.HasSuffix},
	}
	ascii := func(s string) bool { return !strings.ContainsFunc(s, func(r rune) bool { return r >= 0x80 }) }
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		create(t, db, notes.Table)
		r := repo.New(db, notes.Table)
		values := textSamples
		if db.Dialect().Features().StrictText {
			values = slices.DeleteFunc(slices.Clone(values), func(v string) bool { return !ascii(v) })
		}
		rows := seedNotes(t, db, r, values)
		for _, op := range ops {
			for _, s := range append(slices.Clone(textNeedles), "AB", "aB\x00C", "Ab") {
				if db.Dialect().Features().StrictText && !ascii(s) && storable(db, s) {
					continue
				}
				is := func(v string) bool { return op.is(asciiLower(v), asciiLower(s)) }
				checkTextCond(t, db, r, rows, fmt.Sprintf("%s(%q, CaseInsensitive)", op.name, s), s,
					op.cond(notes.Body, s, query.CaseInsensitive), body, is)
			}
		}
	})
}

// TestTextOpsInSubqueries: the operators keep their meaning inside an IN
// subquery, in UpdateWhere and in a count.
func TestTextOpsInSubqueries(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		if db.Dialect().Features().StrictText {
			t.Skip("PostgreSQL cannot store a NUL byte; TestTextOpsMatchGo checks that it is refused")
		}
		ctx := context.Background()
		create(t, db, notes.Table)
		r := repo.New(db, notes.Table)
		seedNotes(t, db, r, []string{"a\x00b", "ab", "x\x00", "zz"})
		sub := query.Select1(notes.ID).Where(notes.Body.HasSuffix("b"))
		ids, err := idsWhere(ctx, r, notes.ID.InQuery(sub))
		if err != nil || !slices.Equal(ids, []int64{1, 2}) {
			t.Errorf("InQuery(HasSuffix(b)): got %v, %v; want [1 2]", ids, err)
		}
		n, err := r.Where(notes.Body.Contains("\x00")).Count(ctx)
		if err != nil || n != 2 {
			t.Errorf("Count(Contains(NUL)): got %d, %v; want 2", n, err)
		}
		n, err = r.UpdateWhere(ctx, notes.Body.HasPrefix("x\x00"), notes.Body.Set("x"))
		if err != nil || n != 1 {
			t.Errorf("UpdateWhere(HasPrefix(x NUL)): got %d, %v; want 1", n, err)
		}
	})
}

// FuzzTextOps stores rows of arbitrary bytes and checks Contains,
// HasPrefix and HasSuffix, and their negations, against Go's strings
// functions on every dialect, on a NOT NULL column and on a nullable one
// holding NULL in some rows. The needles are the fuzzed s and a slice of
// a, so that matches are common. On PostgreSQL a value or needle holding a
// NUL byte or invalid UTF-8 must be refused with dialect.ErrInvalidText,
// with nothing written. On SQLite the case-insensitive forms are checked
// too, against ASCII folding. Without a PostgreSQL server (and without
// GENREPO_REQUIRE_POSTGRES=1) the whole target is skipped, as the
// integration package skips PostgreSQL tests.
func FuzzTextOps(f *testing.F) {
	f.Add("a\x00b", "plain", "\x00", uint8(0), uint8(0))
	f.Add("a\x00b", "", "b", uint8(2), uint8(3))
	f.Add("caf\xc3\xa9", "\xff", "\xa9", uint8(4), uint8(5))
	f.Add("50% off", "a_b", "%", uint8(0), uint8(3))
	f.Add(`a\b`, `\\`, `\`, uint8(1), uint8(2))
	f.Add("", "", "", uint8(0), uint8(0))
	f.Add("日本語", "本", "本", uint8(3), uint8(6))
	f.Add("ABC\x00x", "abc", "Bc", uint8(0), uint8(5))
	type target struct {
		db dialect.DB
		r  *repo.Repo[note]
	}
	var targets []target
	for _, name := range testdb.Dialects {
		db := testdb.Open(f, name)
		create(f, db, notes.Table)
		targets = append(targets, target{db, repo.New(db, notes.Table)})
	}
	f.Fuzz(func(t *testing.T, a, b, s string, i, j uint8) {
		lo, hi := min(int(i), len(a)), min(int(j), len(a))
		needles := []string{s, a[min(lo, hi):max(lo, hi)]}
		values := []string{a, b, s + a, a + s, b + s + a}
		for _, tg := range targets {
			fuzzOne(t, tg.db, tg.r, values, needles)
		}
	})
}

// fuzzOne stores values and checks every operator with each of needles,
// in a transaction rolled back at the end, so that the table starts empty
// and no commit waits for the disk.
func fuzzOne(t *testing.T, db dialect.DB, r *repo.Repo[note], values, needles []string) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	r = r.With(tx)
	rows := storeFuzzed(t, db, r, values)
	for _, s := range needles {
		checkFuzzed(t, db, r, rows, s)
	}
}

// storeFuzzed stores values in r's empty table with one InsertMany,
// Opt and Null left NULL in every third row, as seedNotes does. On a
// dialect with StrictText it first checks that InsertMany refuses the
// whole batch, writing nothing, when any value cannot be stored, and then
// stores the others.
func storeFuzzed(t *testing.T, db dialect.DB, r *repo.Repo[note], values []string) []*note {
	t.Helper()
	ctx := context.Background()
	batch := func(keep func(string) bool) []*note {
		var rows []*note
		for i, v := range values {
			if !keep(v) {
				continue
			}
			n := &note{Body: v}
			if i%3 != 1 {
				n.Opt, n.Null = &v, sql.Null[string]{V: v, Valid: true}
			}
			rows = append(rows, n)
		}
		return rows
	}
	ok := func(v string) bool { return storable(db, v) }
	if !slices.ContainsFunc(values, func(v string) bool { return !ok(v) }) {
		rows := batch(ok)
		if err := r.InsertMany(ctx, rows); err != nil {
			t.Fatalf("InsertMany: %v", err)
		}
		return rows
	}
	all := batch(func(string) bool { return true })
	wantErr(t, "InsertMany of a batch holding invalid text", r.InsertMany(ctx, all), dialect.ErrInvalidText)
	if n := count(t, r); n != 0 {
		t.Fatalf("InsertMany refused: %d rows written, want 0", n)
	}
	rows := batch(ok)
	if len(rows) > 0 {
		if err := r.InsertMany(ctx, rows); err != nil {
			t.Fatalf("InsertMany: %v", err)
		}
	}
	return rows
}

// checkFuzzed checks every text operator with needle s against Go.
func checkFuzzed(t *testing.T, db dialect.DB, r *repo.Repo[note], rows []*note, s string) {
	t.Helper()
	for _, op := range textOps {
		is := func(v string) bool { return op.is(v, s) }
		what := fmt.Sprintf("%s(%q)", op.name, s)
		checkTextCond(t, db, r, rows, "body "+what, s, op.cond(notes.Body, s), body, is)
		checkTextCond(t, db, r, rows, "opt "+what, s, op.opt(notes.Opt, s), opt, is)
	}
	if db.Dialect().Features().StrictText {
		return // ILIKE folds letters by the server's locale, not as asciiLower does
	}
	ci := []func(query.Value[string], string, query.LikeMode) query.Cond[note]{
		query.Contains[note, string], query.HasPrefix[note, string], query.HasSuffix[note, string]}
	for k, op := range textOps {
		is := func(v string) bool { return op.is(asciiLower(v), asciiLower(s)) }
		checkTextCond(t, db, r, rows, fmt.Sprintf("%s(%q, CaseInsensitive)", op.name, s), s,
			ci[k](notes.Body, s, query.CaseInsensitive), body, is)
	}
}

// BenchmarkTextOps compares, on SQLite, the byte comparisons that
// Contains, HasPrefix and HasSuffix write there (instr and substr over
// BLOB casts) with the LIKE they used to be, counting the matches among
// 10,000 rows of 20 to 200 bytes of text.
func BenchmarkTextOps(b *testing.B) {
	ctx := context.Background()
	db := testdb.SQLite(b)
	create(b, db, notes.Table)
	r := repo.New(db, notes.Table)
	rng := rand.New(rand.NewPCG(1, 2))
	const letters = "abcdefghijklmnopqrstuvwxyz  ABCDEFGHIJKLMNOPQRSTUVWXYZ é%_"
	batch := make([]*note, 0, 10000)
	for range 10000 {
		text := make([]byte, 20+rng.IntN(181))
		for i := range text {
			text[i] = letters[rng.IntN(len(letters))]
		}
		batch = append(batch, &note{Body: string(text)})
	}
	if err := r.InsertMany(ctx, batch); err != nil {
		b.Fatal(err)
	}
	B, esc := notes.Body, query.EscapeLike
	ci := query.CaseInsensitive
	cases := []struct {
		name string
		cond query.Cond[note]
	}{
		{"Contains", B.Contains("xyz")},
		{"Contains/LIKE", B.Like("%" + esc("xyz") + "%")},
		{"HasPrefix", B.HasPrefix("ab")},
		{"HasPrefix/LIKE", B.Like(esc("ab") + "%")},
		{"HasSuffix", B.HasSuffix("ab")},
		{"HasSuffix/LIKE", B.Like("%" + esc("ab"))},
		{"ContainsIgnoringCase", query.Contains[note, string](B, "XyZ", ci)},
		{"ContainsIgnoringCase/LIKE", B.ILike("%" + esc("XyZ") + "%")},
		{"HasPrefixIgnoringCase", query.HasPrefix[note, string](B, "Ab", ci)},
		{"HasPrefixIgnoringCase/LIKE", B.ILike(esc("Ab") + "%")},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var n int64
			for b.Loop() {
				var err error
				if n, err = r.Where(c.cond).Count(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "matches")
		})
	}
}
