package repo_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// cents is an exact amount in hundredths of an integer kind, so that
// query.Sum takes it. Like decimal, it goes to the database as decimal
// text and refuses to be read from a float.
type cents int64

// Value implements driver.Valuer.
func (c cents) Value() (driver.Value, error) { return decimal{int64(c)}.String(), nil }

// Scan implements sql.Scanner.
func (c *cents) Scan(src any) error {
	var d decimal
	if err := d.Scan(src); err != nil {
		return err
	}
	*c = cents(d.cents)
	return nil
}

// invoice has decimal columns of several Go types: a struct type, an
// integer type, a nullable one, a string and a float.
type invoice struct {
	ID      int64
	Country string
	Total   decimal
	Paid    cents
	Tip     *decimal
	Amount  string
	Rate    float64
}

type invoiceTable struct {
	*mapped.Table[invoice]
	ID      mapped.Column[invoice, int64]
	Country mapped.TextColumn[invoice, string]
	Total   mapped.Column[invoice, decimal]
	Paid    mapped.Column[invoice, cents]
	Tip     mapped.Column[invoice, *decimal]
	Amount  mapped.Column[invoice, string]
	Rate    mapped.Column[invoice, float64]
}

var invoices = mapped.Define("invoice", func(t *mapped.Table[invoice], i *invoice) invoiceTable {
	money := mapped.Type(mapped.Numeric(10, 2))
	return invoiceTable{
		Table:   t,
		ID:      mapped.PrimaryKey(t, &i.ID, mapped.Manual()),
		Country: mapped.Text(t, &i.Country),
		Total:   mapped.Col(t, &i.Total, money),
		Paid:    mapped.Col(t, &i.Paid, money),
		Tip:     mapped.Col(t, &i.Tip, money),
		Amount:  mapped.Col(t, &i.Amount, mapped.Type(mapped.Numeric(12, 3))),
		Rate:    mapped.Col(t, &i.Rate, mapped.Type(mapped.Numeric(10, 4))),
	}
})

// invoiceRows are the rows of both tables, as SQL literals: REAL numbers
// on SQLite, as the Chinook script writes them, numeric on PostgreSQL.
var invoiceRows = []struct {
	id                        int64
	country                   string
	total, tip, amount, rate  string
	wantTotal, wantTip, wantA string
}{
	{1, "BR", "0.99", "NULL", "1.25", "0.1", "0.99", "", "1.250"},
	{2, "BR", "9.00", "1.5", "10.5", "0.25", "9.00", "1.50", "10.500"},
	{3, "US", "10.00", "NULL", "2", "1", "10.00", "", "2.000"},
	{4, "US", "13.86", "0.1", "0.001", "0.3", "13.86", "0.10", "0.001"},
	{5, "DE", "1.98", "NULL", "-3.5", "2.5", "1.98", "", "-3.500"},
	{6, "DE", "8.91", "2", "100", "0.0001", "8.91", "2.00", "100.000"},
	{7, "FR", "-5.50", "NULL", "0", "-1", "-5.50", "", "0"},
	{8, "FR", "0.10", "0", "9.999", "0.2", "0.10", "0.00", "9.999"},
}

// TestNumeric compares, orders and aggregates decimal columns on a table
// genrepo created and on one created and filled by hand, as another
// program would; every answer must be PostgreSQL's.
func TestNumeric(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		t.Run("created by genrepo", func(t *testing.T) {
			create(t, db, invoices.Table)
			r := repo.New(db, invoices.Table)
			for _, row := range invoiceRows {
				total, _ := parseDecimal(row.total)
				in := &invoice{ID: row.id, Country: row.country, Total: total, Paid: cents(total.cents),
					Amount: row.amount}
				if row.tip != "NULL" {
					tip, _ := parseDecimal(row.tip)
					in.Tip = &tip
				}
				if _, err := fmt.Sscan(row.rate, &in.Rate); err != nil {
					t.Fatal(err)
				}
				if err := r.Insert(ctx, in); err != nil {
					t.Fatalf("Insert %d: %v", row.id, err)
				}
			}
			checkInvoices(t, db)
		})
		t.Run("created by hand", func(t *testing.T) {
			// A database of its own: PostgreSQL's cached statements
			// would not survive the table's new column types.
			db := testdb.Open(t, db.Dialect().Name())
			mustExecIn(t, db, `CREATE TABLE invoice (id INTEGER PRIMARY KEY, country VARCHAR(2) NOT NULL,
				total NUMERIC(10,2) NOT NULL, paid NUMERIC(10,2) NOT NULL, tip NUMERIC(10,2),
				amount NUMERIC(12,3) NOT NULL, rate NUMERIC(10,4) NOT NULL)`)
			for _, row := range invoiceRows {
				mustExecIn(t, db, fmt.Sprintf("INSERT INTO invoice VALUES (%d, '%s', %s, %s, %s, %s, %s)",
					row.id, row.country, row.total, row.total, row.tip, row.amount, row.rate))
			}
			checkInvoices(t, db)
		})
	})
}

func checkInvoices(t *testing.T, db dialect.DB) {
	t.Helper()
	ctx := context.Background()
	r := repo.New(db, invoices.Table)
	all, err := r.OrderBy(invoices.ID.Asc()).All(ctx)
	if err != nil {
		t.Fatalf("All: %v", err)
	}
	if len(all) != len(invoiceRows) {
		t.Fatalf("%d rows, want %d", len(all), len(invoiceRows))
	}
	for i, got := range all {
		want := invoiceRows[i]
		tip := ""
		if got.Tip != nil {
			tip = got.Tip.String()
		}
		if got.Total.String() != want.wantTotal || (decimal{int64(got.Paid)}).String() != want.wantTotal ||
			tip != want.wantTip || got.Amount != want.wantA {
			t.Errorf("row %d: total %s, paid %d, tip %q, amount %q; want %s, %s, %q, %q", want.id, got.Total,
				got.Paid, tip, got.Amount, want.wantTotal, want.wantTotal, want.wantTip, want.wantA)
		}
		var rate float64
		_, _ = fmt.Sscan(want.rate, &rate)
		if got.Rate != rate {
			t.Errorf("row %d: rate %v, want %v", want.id, got.Rate, rate)
		}
	}
	checkInvoiceQueries(t, r)
	checkInvoiceAggregates(t, db)
}

// dec reads a decimal the test writes as a literal.
func dec(s string) decimal {
	x, err := parseDecimal(s)
	if err != nil {
		panic(err)
	}
	return x
}

// checkInvoiceQueries checks conditions and orderings on decimal columns.
func checkInvoiceQueries(t *testing.T, r *repo.Repo[invoice]) {
	t.Helper()
	ctx := context.Background()
	d := dec
	ids := func(what string, c query.Cond[invoice], order ...query.Order[invoice]) []int64 {
		t.Helper()
		rows, err := r.Where(c).OrderBy(append(order, invoices.ID.Asc())...).All(ctx)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		out := make([]int64, len(rows))
		for i, row := range rows {
			out[i] = row.ID
		}
		return out
	}
	for _, c := range []struct {
		what  string
		cond  query.Cond[invoice]
		order []query.Order[invoice]
		want  []int64
	}{
		{"total > 9.00", invoices.Total.Gt(d("9.00")), nil, []int64{3, 4}},
		{"total >= 9", invoices.Total.Ge(d("9")), nil, []int64{2, 3, 4}},
		{"total < 1.00", invoices.Total.Lt(d("1.00")), nil, []int64{1, 7, 8}},
		{"total = 0.99", invoices.Total.Eq(d("0.99")), nil, []int64{1}},
		{"total = 9", invoices.Total.Eq(d("9")), nil, []int64{2}},
		{"total <> 9", invoices.Total.Ne(d("9")), nil, []int64{1, 3, 4, 5, 6, 7, 8}},
		{"total between 0.99 and 9.00", invoices.Total.Between(d("0.99"), d("9.00")), nil, []int64{1, 2, 5, 6}},
		{"total in (0.10, 13.86, 7)", invoices.Total.In(d("0.10"), d("13.86"), d("7")), nil, []int64{4, 8}},
		{"paid > 10.00", invoices.Paid.Gt(1000), nil, []int64{4}},
		{"tip >= 1.5", invoices.Tip.Ge(ptr(d("1.5"))), nil, []int64{2, 6}},
		{"tip = 0", invoices.Tip.Eq(ptr(d("0"))), nil, []int64{8}},
		{"amount > 2", invoices.Amount.Gt("2"), nil, []int64{2, 6, 8}},
		{"amount = 2.000", invoices.Amount.Eq("2.000"), nil, []int64{3}},
		{"rate < 0.25", invoices.Rate.Lt(0.25), nil, []int64{1, 6, 7, 8}},
		{"order by total", query.Cond[invoice]{}, []query.Order[invoice]{invoices.Total.Asc()},
			[]int64{7, 8, 1, 5, 6, 2, 3, 4}},
		{"order by amount desc", query.Cond[invoice]{}, []query.Order[invoice]{invoices.Amount.Desc()},
			[]int64{6, 2, 8, 3, 1, 4, 7, 5}},
	} {
		if got := ids(c.what, c.cond, c.order...); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.what, got, c.want)
		}
	}
}

// checkInvoiceAggregates checks MIN, MAX and HAVING on decimal columns.
func checkInvoiceAggregates(t *testing.T, db dialect.DB) {
	t.Helper()
	ctx := context.Background()
	d := dec
	bounds, err := query.Select3(query.Min(invoices.Total), query.Max(invoices.Total), query.Max(invoices.Tip)).All(ctx, db)
	if err != nil {
		t.Fatalf("Min, Max: %v", err)
	}
	if len(bounds) != 1 || bounds[0].V1.V.String() != "-5.50" || bounds[0].V2.V.String() != "13.86" ||
		bounds[0].V3.V == nil || bounds[0].V3.V.String() != "2.00" {
		t.Errorf("Min(total), Max(total), Max(tip): got %+v, want -5.50, 13.86, 2.00", bounds)
	}

	sum := query.Sum(invoices.Paid)
	sums, err := query.Select2(invoices.Country, sum).GroupBy(invoices.Country).
		Having(sum.Gt(1000)).OrderBy(invoices.Country.Asc()).All(ctx, db)
	if err != nil {
		t.Fatalf("HAVING SUM(paid) > 10.00: %v", err)
	}
	if want := []query.Row2[string, cents]{{V1: "DE", V2: 1089}, {V1: "US", V2: 2386}}; !slices.Equal(sums, want) {
		t.Errorf("HAVING SUM(paid) > 10.00: got %v, want %v", sums, want)
	}
	top := query.Max(invoices.Total)
	maxes, err := query.Select2(invoices.Country, top).GroupBy(invoices.Country).
		Having(top.Ge(sql.Null[decimal]{V: d("9"), Valid: true})).OrderBy(invoices.Country.Asc()).All(ctx, db)
	if err != nil {
		t.Fatalf("HAVING MAX(total) >= 9: %v", err)
	}
	if len(maxes) != 2 || maxes[0].V1 != "BR" || maxes[0].V2.V.String() != "9.00" ||
		maxes[1].V1 != "US" || maxes[1].V2.V.String() != "13.86" {
		t.Errorf("HAVING MAX(total) >= 9: got %+v, want BR 9.00, US 13.86", maxes)
	}
}

// measure has a decimal of many digits, held as text.
type measure struct {
	ID    int64
	Value string
}

type measureTable struct {
	*mapped.Table[measure]
	ID    mapped.Column[measure, int64]
	Value mapped.Column[measure, string]
}

var measures = mapped.Define("measure", func(t *mapped.Table[measure], m *measure) measureTable {
	return measureTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, &m.ID),
		Value: mapped.Col(t, &m.Value, mapped.Type(mapped.Numeric(30, 9))),
	}
})

// TestNumericDigits checks what each dialect does with decimals of many
// digits. PostgreSQL keeps every digit its numeric(30,9) allows. SQLite
// keeps 15 significant digits (or a whole number that fits 64 bits):
// genrepo refuses a decimal of more, naming the column, rather than let
// SQLite round it, and writes nothing. Digits beyond the scale are rounded
// by PostgreSQL when stored, by genrepo when read back from SQLite, so the
// value read is the same on both.
func TestNumericDigits(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, measures.Table)
		r := repo.New(db, measures.Table)
		exact := db.Dialect().Features().NumericDigits == 0
		kept := []struct{ in, want string }{
			{"123456789012.345", "123456789012.345000000"},           // 15 digits
			{"-0.000000001", "-0.000000001"},                         // the scale's last digit
			{"9223372036854775807", "9223372036854775807.000000000"}, // a whole int64
			{"-9223372036854775808.000", "-9223372036854775808.000000000"},
			{"1e20", "100000000000000000000.000000000"},
			{"0", "0"}, // as pgx hands a numeric zero, whatever its scale
			{"-0.0", "0"},
			{"+12.5", "12.500000000"},
			{"1.0000000005", "1.000000001"}, // rounded half away from zero
			{"-1.0000000005", "-1.000000001"},
			{"0.0000000004", "0"},
			{"0.12345678901234567", "0.123456789"}, // 17 digits, 9 once rounded
		}
		// More digits than SQLite keeps, and what PostgreSQL reads back.
		many := []struct{ in, exact string }{
			{"12345678901234567890.123456789", "12345678901234567890.123456789"}, // 29 digits
			{"1234567890123456.7", "1234567890123456.700000000"},                 // 17
			{"9223372036854775808", "9223372036854775808.000000000"},             // just beyond int64
			{"123456789.0123456789", "123456789.012345679"},                      // 18 digits once rounded to the scale
		}
		for _, k := range kept {
			m := &measure{Value: k.in}
			if err := r.Insert(ctx, m); err != nil {
				t.Errorf("%s: Insert: %v", k.in, err)
				continue
			}
			got, err := r.Get(ctx, m.ID)
			if err != nil || got.Value != k.want {
				t.Errorf("%s: read back %q, %v; want %q", k.in, got.Value, err, k.want)
			}
			if n, err := r.Where(measures.Value.Eq(k.want)).Count(ctx); err != nil || n < 1 {
				t.Errorf("%s: Where value = %s: %d, %v", k.in, k.want, n, err)
			}
		}
		stored := count(t, r)
		for _, v := range many {
			m := &measure{Value: v.in}
			err := r.Insert(ctx, m)
			if exact {
				if err != nil {
					t.Errorf("%s: Insert: %v", v.in, err)
				} else if got, err := r.Get(ctx, m.ID); err != nil || got.Value != v.exact {
					t.Errorf("%s: read back %q, %v; want %q", v.in, got.Value, err, v.exact)
				}
				continue
			}
			if !errors.Is(err, dialect.ErrNotStorable) || !strings.Contains(err.Error(), "measure.value") ||
				!strings.Contains(err.Error(), "15 significant digits") {
				t.Errorf("%s: Insert: got %v, want dialect.ErrNotStorable naming measure.value and 15 digits", v.in, err)
			}
			if _, err := r.Where(measures.Value.Gt(v.in)).Count(ctx); !errors.Is(err, dialect.ErrNotStorable) {
				t.Errorf("%s: Where value > it: got %v, want dialect.ErrNotStorable", v.in, err)
			}
		}
		for _, bad := range []string{"abc", "", "1.2.3", "1e", "--1", "0x10"} {
			if err := r.Insert(ctx, &measure{Value: bad}); err == nil {
				t.Errorf("%q: Insert succeeded, want an error", bad)
			}
		}
		if !exact {
			if n := count(t, r); n != stored {
				t.Errorf("%d rows after the refused writes, want %d", n, stored)
			}
		}
	})
}

// share is a decimal held as a float64.
type share struct {
	ID    int64
	Group string
	Part  float64
}

type shareTable struct {
	*mapped.Table[share]
	ID    mapped.Column[share, int64]
	Group mapped.TextColumn[share, string]
	Part  mapped.Column[share, float64]
}

var shares = mapped.Define("share", func(t *mapped.Table[share], s *share) shareTable {
	return shareTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, &s.ID),
		Group: mapped.Text(t, &s.Group, mapped.Name("grp")),
		Part:  mapped.Col(t, &s.Part, mapped.Type(mapped.Numeric(10, 2))),
	}
})

// TestNumericSum checks that the sum of a decimal column is the exact
// decimal sum, as PostgreSQL's is, in a condition and read back: on
// SQLite 0.10 + 0.20 adds up as floats to 0.30000000000000004.
func TestNumericSum(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, shares.Table)
		rows := []*share{{Group: "a", Part: 0.1}, {Group: "a", Part: 0.2}, {Group: "b", Part: 0.3}, {Group: "c", Part: 0.31}}
		if err := repo.New(db, shares.Table).InsertMany(ctx, rows); err != nil {
			t.Fatal(err)
		}
		sum := query.Sum(shares.Part)
		for _, c := range []struct {
			name string
			cond query.Cond[query.Grouped]
			want []query.Row2[string, float64]
		}{
			{"SUM(part) = 0.3", sum.Eq(0.3), []query.Row2[string, float64]{{V1: "a", V2: 0.3}, {V1: "b", V2: 0.3}}},
			{"SUM(part) > 0.3", sum.Gt(0.3), []query.Row2[string, float64]{{V1: "c", V2: 0.31}}},
			{"SUM(part) <= 0.3", sum.Le(0.3), []query.Row2[string, float64]{{V1: "a", V2: 0.3}, {V1: "b", V2: 0.3}}},
		} {
			got, err := query.Select2(shares.Group, sum).GroupBy(shares.Group).Having(c.cond).
				OrderBy(shares.Group.Asc()).All(ctx, db)
			if err != nil {
				t.Fatalf("HAVING %s: %v", c.name, err)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("HAVING %s: got %v, want %v", c.name, got, c.want)
			}
		}
	})
}
