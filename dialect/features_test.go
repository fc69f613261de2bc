package dialect_test

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

// Core code trusts a dialect's Features instead of its name, so each flag
// is checked against what the database really does.
func TestFeaturesMatchDatabase(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		f := db.Dialect().Features()
		works := func(sql string, args ...any) bool {
			t.Helper()
			rows, err := db.Query(ctx, sql, args...)
			if err != nil {
				return false
			}
			for rows.Next() {
			}
			return rows.Close() == nil
		}
		mustExec(t, db, "CREATE TABLE feat (id INTEGER PRIMARY KEY, name TEXT)")
		mustExec(t, db, "INSERT INTO feat (id, name) VALUES (1, 'a'), (2, NULL), (3, 'c')")

		t.Run("Returning", func(t *testing.T) {
			ok := works("INSERT INTO feat (id, name) VALUES (10, 'r') RETURNING id")
			if ok != f.Returning {
				t.Errorf("RETURNING works: %v, Features.Returning: %v", ok, f.Returning)
			}
		})
		t.Run("Upsert", func(t *testing.T) {
			ok := works("INSERT INTO feat (id, name) VALUES (1, 'upserted') ON CONFLICT (id) DO UPDATE SET name = excluded.name")
			if ok != (f.Upsert == dialect.UpsertOnConflict) {
				t.Errorf("ON CONFLICT works: %v, Features.Upsert: %v", ok, f.Upsert)
			}
			if ok && testdb.Scalar[string](t, db, "SELECT name FROM feat WHERE id = 1") != "upserted" {
				t.Error("ON CONFLICT DO UPDATE did not update")
			}
		})
		t.Run("MaxParams", func(t *testing.T) {
			in := func(n int) (string, []any) {
				var b strings.Builder
				args := make([]any, n)
				b.WriteString("SELECT 1 WHERE 1 IN (")
				for i := range n {
					if i > 0 {
						b.WriteString(", ")
					}
					b.WriteString(ph(db, i+1))
					args[i] = int64(i)
				}
				b.WriteString(")")
				return b.String(), args
			}
			if f.MaxParams <= 0 {
				t.Fatalf("MaxParams = %d", f.MaxParams)
			}
			if sql, args := in(f.MaxParams); !works(sql, args...) {
				t.Errorf("a statement with MaxParams = %d parameters fails", f.MaxParams)
			}
			if sql, args := in(f.MaxParams + 1); works(sql, args...) {
				t.Errorf("a statement with MaxParams+1 = %d parameters works; MaxParams is too low", f.MaxParams+1)
			}
		})
		t.Run("ArrayParams", func(t *testing.T) {
			ok := works("SELECT id FROM feat WHERE id = ANY("+ph(db, 1)+")", []int64{1, 3})
			if ok != f.ArrayParams {
				t.Errorf("= ANY(array) works: %v, Features.ArrayParams: %v", ok, f.ArrayParams)
			}
		})
		t.Run("JSONArrayParams", func(t *testing.T) {
			ok := works("SELECT id FROM feat WHERE id IN (SELECT +value FROM json_each("+ph(db, 1)+"))", "[1,3]") &&
				works("SELECT id FROM feat WHERE CAST(name AS BLOB) IN (SELECT unhex(value) FROM json_each("+ph(db, 1)+"))", `["61"]`)
			if ok != f.JSONArrayParams {
				t.Errorf("json_each and unhex work: %v, Features.JSONArrayParams: %v", ok, f.JSONArrayParams)
			}
		})
		t.Run("ILike", func(t *testing.T) {
			ok := works("SELECT id FROM feat WHERE name ILIKE 'A'")
			if ok != f.ILike {
				t.Errorf("ILIKE works: %v, Features.ILike: %v", ok, f.ILike)
			}
		})
		t.Run("LIKE is case-sensitive", func(t *testing.T) {
			// Not a flag: genrepo makes LIKE case-sensitive on every dialect
			// (SQLite with PRAGMA case_sensitive_like).
			if got := testdb.Scalar[int64](t, db, "SELECT CASE WHEN 'abc' LIKE 'ABC' THEN 1 ELSE 0 END"); got != 0 {
				t.Error("'abc' LIKE 'ABC' is true; LIKE must be case-sensitive")
			}
			if got := testdb.Scalar[int64](t, db, "SELECT CASE WHEN 'abc' LIKE 'a_c' THEN 1 ELSE 0 END"); got != 1 {
				t.Error("'abc' LIKE 'a_c' is false")
			}
		})
		t.Run("NullsOrder", func(t *testing.T) {
			ok := works("SELECT id FROM feat ORDER BY name NULLS FIRST")
			if ok != f.NullsOrder {
				t.Errorf("NULLS FIRST works: %v, Features.NullsOrder: %v", ok, f.NullsOrder)
			}
		})
		t.Run("OffsetNeedsLimit", func(t *testing.T) {
			alone := works("SELECT id FROM feat ORDER BY id OFFSET 1")
			if alone == f.OffsetNeedsLimit {
				t.Errorf("OFFSET without LIMIT works: %v, Features.OffsetNeedsLimit: %v", alone, f.OffsetNeedsLimit)
			}
			if f.OffsetNeedsLimit && !works("SELECT id FROM feat ORDER BY id LIMIT -1 OFFSET 1") {
				t.Error("LIMIT -1 OFFSET n fails")
			}
		})
		t.Run("ValuesCasts", func(t *testing.T) {
			// An integer column filled from a VALUES list read as a table:
			// PostgreSQL reads its parameters as text unless they are cast.
			mustExec(t, db, "CREATE TABLE feat_num (id INTEGER PRIMARY KEY, n INTEGER)")
			ok := works("INSERT INTO feat_num (id, n) SELECT column1, column2 FROM (VALUES ("+ph(db, 1)+", "+
				ph(db, 2)+", 0)) AS v ORDER BY column3 RETURNING id", int64(1), int64(2))
			if ok == f.ValuesCasts {
				t.Errorf("INSERT … SELECT … FROM (VALUES …) without casts works: %v, Features.ValuesCasts: %v", ok, f.ValuesCasts)
			}
		})
		t.Run("StrictText", func(t *testing.T) {
			_, err := db.Exec(ctx, "INSERT INTO feat (id, name) VALUES (20, "+ph(db, 1)+")", "a\x00b")
			if refused := err != nil; refused != f.StrictText {
				t.Errorf("text with a NUL refused: %v (%v), Features.StrictText: %v", refused, err, f.StrictText)
			}
		})
		t.Run("ByteTextMatch", func(t *testing.T) {
			if f.StrictText {
				// Text holds no NUL byte nor invalid UTF-8, so LIKE sees
				// every byte of every value.
				if f.ByteTextMatch {
					t.Error("Features.ByteTextMatch is set on a dialect with StrictText")
				}
				return
			}
			like := "SELECT CASE WHEN " + ph(db, 1) + " LIKE " + ph(db, 2) + " THEN 1 ELSE 0 END"
			exact := testdb.Scalar[int64](t, db, like, "a\x00b", "%b") == 1
			if exact == f.ByteTextMatch {
				t.Errorf("LIKE sees past a NUL byte: %v, Features.ByteTextMatch: %v", exact, f.ByteTextMatch)
			}
			if f.ByteTextMatch {
				instr := "SELECT instr(CAST(" + ph(db, 1) + " AS BLOB), CAST(" + ph(db, 2) + " AS BLOB))"
				if got := testdb.Scalar[int64](t, db, instr, "a\x00b", "b"); got != 3 {
					t.Errorf("instr over BLOBs finds b in a NUL b at %d, want 3", got)
				}
			}
		})
		t.Run("AutoKeyInline", func(t *testing.T) {
			for _, k := range []dialect.Kind{dialect.Int16, dialect.Int32, dialect.Int64} {
				typ := db.Dialect().ColumnType(dialect.Type{Kind: k}, true)
				if inline := strings.Contains(strings.ToUpper(typ), "PRIMARY KEY"); inline != f.AutoKeyInline {
					t.Errorf("generated key type %q, Features.AutoKeyInline: %v", typ, f.AutoKeyInline)
				}
				ddl := "CREATE TABLE auto_" + k.String() + " (id " + typ
				if !f.AutoKeyInline {
					ddl += " PRIMARY KEY"
				}
				mustExec(t, db, ddl+", name TEXT)")
				mustExec(t, db, "INSERT INTO auto_"+k.String()+" (name) VALUES ('x'), ('y')")
				if got := testdb.Scalar[int64](t, db, "SELECT max(id) FROM auto_"+k.String()); got != 2 {
					t.Errorf("%v: generated keys reach %d after two rows, want 2", k, got)
				}
			}
		})
	})
}

// Every portable column type is accepted in DDL by its dialect.
func TestColumnTypes(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		types := []dialect.Type{
			{Kind: dialect.Bool}, {Kind: dialect.Int16}, {Kind: dialect.Int32}, {Kind: dialect.Int64},
			{Kind: dialect.Float32}, {Kind: dialect.Float64}, {Kind: dialect.String},
			{Kind: dialect.String, Size: 30}, {Kind: dialect.Bytes}, {Kind: dialect.Time},
			{Kind: dialect.JSON}, {Kind: dialect.Numeric}, {Kind: dialect.Numeric, Precision: 10, Scale: 2},
			{Kind: dialect.Custom, Name: "integer"},
		}
		var cols []string
		for i, typ := range types {
			ct := db.Dialect().ColumnType(typ, false)
			if ct == "" {
				t.Errorf("ColumnType(%+v) is empty", typ)
				continue
			}
			cols = append(cols, "c"+string(rune('a'+i))+" "+ct)
		}
		mustExec(t, db, "CREATE TABLE typed ("+strings.Join(cols, ", ")+")")
	})
}

// Names that need quoting, quoted by Quote, work as table and column names
// on every dialect.
func TestQuotedIdentifiers(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		for _, name := range []string{`order`, `Mixed Case`, `with "quotes"`, `semi; colon`, `café`} {
			if err := dialect.CheckIdent(name); err != nil && !strings.Contains(name, `"`) {
				t.Fatalf("CheckIdent(%q): %v", name, err)
			}
			table, col := dialect.Quote("t "+name), dialect.Quote(name)
			mustExec(t, db, "CREATE TABLE "+table+" ("+col+" TEXT)")
			mustExec(t, db, "INSERT INTO "+table+" ("+col+") VALUES ("+ph(db, 1)+")", name)
			if got := testdb.Scalar[string](t, db, "SELECT "+col+" FROM "+table); got != name {
				t.Errorf("%s: read back %q", name, got)
			}
		}
	})
}

// What the portable types do that differs between dialects, as the package
// documentation and the dialects' Features state it.
func TestTypeDifferences(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		d := db.Dialect()
		f := d.Features()
		isSQLite := d.Name() == "sqlite"
		mustExec(t, db, "CREATE TABLE typed (id INTEGER PRIMARY KEY, short "+
			d.ColumnType(dialect.Type{Kind: dialect.String, Size: 3}, false)+", amount "+
			d.ColumnType(dialect.Type{Kind: dialect.Numeric, Precision: 30, Scale: 9}, false)+")")

		t.Run("Size is enforced on PostgreSQL only", func(t *testing.T) {
			_, err := db.Exec(ctx, "INSERT INTO typed (id, short) VALUES (1, "+ph(db, 1)+")", "abcd")
			if isSQLite && err != nil {
				t.Errorf("SQLite refused a string longer than its size: %v", err)
			}
			if !isSQLite && err == nil {
				t.Error("PostgreSQL stored a string longer than its size")
			}
		})
		t.Run("NumericDigits", func(t *testing.T) {
			read := func(id int) string {
				return testdb.Scalar[string](t, db, "SELECT CAST(amount AS TEXT) FROM typed WHERE id = "+strconv.Itoa(id))
			}
			if f.NumericDigits == 0 {
				const exact = "12345678901234567890.123456789"
				mustExec(t, db, "INSERT INTO typed (id, amount) VALUES (2, "+ph(db, 1)+")", exact)
				if got := read(2); got != exact {
					t.Errorf("read back %s, want %s", got, exact)
				}
				return
			}
			// A decimal of NumericDigits significant digits survives as a
			// number; 9.007199254740993, of one digit more, does not.
			kept := "123456789012.345"[:f.NumericDigits+1]
			x, _ := strconv.ParseFloat(kept, 64)
			mustExec(t, db, "INSERT INTO typed (id, amount) VALUES (2, "+ph(db, 1)+"), (5, "+ph(db, 2)+")", x, 9.007199254740993)
			if got := read(2); got != kept {
				t.Errorf("%d digits: read back %s, want %s", f.NumericDigits, got, kept)
			}
			if got := read(5); got == "9.007199254740993" {
				t.Errorf("%d digits: %s kept exactly; NumericDigits is too low", f.NumericDigits+1, got)
			}
		})
		t.Run("Numeric orders as numbers", func(t *testing.T) {
			// As written by any program: text on SQLite becomes a number
			// through the column's NUMERIC affinity.
			mustExec(t, db, "INSERT INTO typed (id, amount) VALUES (3, '9.00'), (4, '10.00')")
			got := testdb.Scalar[int64](t, db, "SELECT id FROM typed WHERE id IN (3, 4) ORDER BY amount LIMIT 1")
			if got != 3 {
				t.Errorf("first by amount is row %d, want 3 (9 < 10)", got)
			}
		})
		t.Run("NaNAsNull", func(t *testing.T) {
			mustExec(t, db, "CREATE TABLE floats (x "+d.ColumnType(dialect.Type{Kind: dialect.Float64}, false)+")")
			mustExec(t, db, "INSERT INTO floats (x) VALUES ("+ph(db, 1)+")", math.NaN())
			isNull := testdb.Scalar[bool](t, db, "SELECT x IS NULL FROM floats")
			if isNull != f.NaNAsNull {
				t.Errorf("NaN stored as NULL: %v, Features.NaNAsNull: %v", isNull, f.NaNAsNull)
			}
		})
	})
}

// The time flags of Features, checked against the database: the form the
// current time is written in, and the range of times stored exactly.
func TestTimeFeatures(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		d := db.Dialect()
		f := d.Features()
		t.Run("NowSQL", func(t *testing.T) {
			// The default for the current time is in the form the dialect
			// stores times, as is the database's own CURRENT_TIMESTAMP.
			if !f.TimeAsText {
				var now, current time.Time
				rows, err := db.Query(context.Background(), "SELECT "+f.NowSQL+", CURRENT_TIMESTAMP")
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				if !rows.Next() || rows.Scan(&now, &current) != nil || !now.Equal(current) {
					t.Errorf("NowSQL %v, CURRENT_TIMESTAMP %v", now, current)
				}
				return
			}
			for _, expr := range []string{f.NowSQL, "CURRENT_TIMESTAMP", "datetime('now')"} {
				text := testdb.Scalar[string](t, db, "SELECT "+expr)
				at, err := dialect.ParseTime(text)
				if err != nil {
					t.Errorf("%s: %v", expr, err)
					continue
				}
				if stored := dialect.FormatTime(at); stored != text {
					t.Errorf("%s gives %q; genrepo stores that time as %q", expr, text, stored)
				}
				if d := time.Since(at); d < -time.Second || d > time.Minute {
					t.Errorf("%s gives %v, %v from now", expr, at, d)
				}
			}
		})
		t.Run("MinTime and MaxTime", func(t *testing.T) {
			lo, hi := f.MinTime, f.MaxTime
			if hi.IsZero() || !lo.Before(hi) {
				t.Fatalf("MinTime %v, MaxTime %v", lo, hi)
			}
			if f.TimeAsText {
				// The text form holds both, sorted; a microsecond after
				// the latest has no text that reads back as itself. (Year 0
				// has one, but not every reader agrees it is 1 BC.)
				if a, b := dialect.FormatTime(lo), dialect.FormatTime(hi); a >= b {
					t.Errorf("FormatTime(MinTime) %q >= FormatTime(MaxTime) %q", a, b)
				}
				for _, at := range []time.Time{lo, hi} {
					if back, err := dialect.ParseTime(dialect.FormatTime(at)); err != nil || !back.Equal(at) {
						t.Errorf("%v reads back as %v, %v", at, back, err)
					}
				}
				if back, err := dialect.ParseTime(dialect.FormatTime(hi.Add(time.Microsecond))); err == nil {
					t.Errorf("%v, after the range, reads back as %v", hi.Add(time.Microsecond), back)
				}
				return
			}
			mustExec(t, db, "CREATE TABLE times (at "+d.ColumnType(dialect.Type{Kind: dialect.Time}, false)+")")
			for _, at := range []time.Time{lo, hi} {
				mustExec(t, db, "DELETE FROM times")
				mustExec(t, db, "INSERT INTO times (at) VALUES ("+ph(db, 1)+")", at)
				if back := testdb.Scalar[time.Time](t, db, "SELECT at FROM times"); !back.Equal(at) {
					t.Errorf("%v reads back as %v", at, back)
				}
			}
			for _, at := range []time.Time{lo.Add(-time.Microsecond), hi.Add(time.Microsecond)} {
				if _, err := db.Exec(context.Background(), "INSERT INTO times (at) VALUES ("+ph(db, 1)+")", at); err == nil {
					t.Errorf("%v, outside the range, was stored", at)
				}
			}
		})
	})
}
