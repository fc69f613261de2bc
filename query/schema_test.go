package query_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
)

// The schema the rendering tests query: artists, labels keyed by a string
// code, tracks referencing both, chart entries with a composite key, and a
// table whose names are SQL keywords.

type Artist struct {
	ID      int64
	Name    string
	Country *string
}

type ArtistTable struct {
	*mapped.Table[Artist]
	ID      mapped.Column[Artist, int64]
	Name    mapped.TextColumn[Artist, string]
	Country mapped.TextColumn[Artist, *string]
}

var Artists = mapped.Define("artist", func(t *mapped.Table[Artist], a *Artist) ArtistTable {
	return ArtistTable{
		Table:   t,
		ID:      mapped.PrimaryKey(t, &a.ID),
		Name:    mapped.Text(t, &a.Name, mapped.Size(100), mapped.Unique()),
		Country: mapped.Text(t, &a.Country),
	}
})

type Label struct {
	Code string
	Name string
}

type LabelTable struct {
	*mapped.Table[Label]
	Code mapped.Column[Label, string]
	Name mapped.TextColumn[Label, string]
}

var Labels = mapped.Define("label", func(t *mapped.Table[Label], l *Label) LabelTable {
	return LabelTable{
		Table: t,
		Code:  mapped.PrimaryKey(t, &l.Code),
		Name:  mapped.Text(t, &l.Name),
	}
})

type Track struct {
	ID        int64
	ArtistID  int64
	LabelCode *string
	Title     string
	Seconds   int32
	Plays     int64
	Likes     int64
	Released  time.Time
	Rating    sql.Null[float64]
	Tags      []string
}

type TrackTable struct {
	*mapped.Table[Track]
	ID        mapped.Column[Track, int64]
	ArtistID  mapped.Column[Track, int64]
	LabelCode mapped.NullableColumn[Track, string]
	Title     mapped.TextColumn[Track, string]
	Seconds   mapped.Column[Track, int32]
	Plays     mapped.Column[Track, int64]
	Likes     mapped.Column[Track, int64]
	Released  mapped.Column[Track, time.Time]
	Rating    mapped.Column[Track, sql.Null[float64]]
	Tags      mapped.Column[Track, []string]
}

var Tracks = mapped.Define("track", func(t *mapped.Table[Track], tr *Track) TrackTable {
	return TrackTable{
		Table:     t,
		ID:        mapped.PrimaryKey(t, &tr.ID),
		ArtistID:  mapped.ForeignKey(t, &tr.ArtistID, Artists.ID, mapped.OnDelete(mapped.Cascade)),
		LabelCode: mapped.NullableForeignKey(t, &tr.LabelCode, Labels.Code, mapped.OnDelete(mapped.SetNull)),
		Title:     mapped.Text(t, &tr.Title),
		Seconds:   mapped.Col(t, &tr.Seconds),
		Plays:     mapped.Col(t, &tr.Plays),
		Likes:     mapped.Col(t, &tr.Likes),
		Released:  mapped.Col(t, &tr.Released),
		Rating:    mapped.Col(t, &tr.Rating),
		Tags:      mapped.JSON(t, &tr.Tags),
	}
})

type ChartEntry struct {
	Week     int32
	Position int16
	TrackID  int64
}

type ChartTable struct {
	*mapped.Table[ChartEntry]
	Week     mapped.Column[ChartEntry, int32]
	Position mapped.Column[ChartEntry, int16]
	TrackID  mapped.Column[ChartEntry, int64]
}

var Charts = mapped.Define("chart_entry", func(t *mapped.Table[ChartEntry], c *ChartEntry) ChartTable {
	return ChartTable{
		Table:    t,
		Week:     mapped.PrimaryKey(t, &c.Week),
		Position: mapped.PrimaryKey(t, &c.Position),
		TrackID:  mapped.ForeignKey(t, &c.TrackID, Tracks.ID),
	}
})

// Group's table and columns are named after SQL keywords, which only
// quoting makes usable.
type Group struct {
	ID     int64
	Order  int32
	Select string
}

type GroupTable struct {
	*mapped.Table[Group]
	ID     mapped.Column[Group, int64]
	Order  mapped.Column[Group, int32]
	Select mapped.TextColumn[Group, string]
}

var Groups = mapped.Define("group", func(t *mapped.Table[Group], g *Group) GroupTable {
	return GroupTable{
		Table:  t,
		ID:     mapped.PrimaryKey(t, &g.ID),
		Order:  mapped.Col(t, &g.Order),
		Select: mapped.Text(t, &g.Select),
	}
})

// Sale has a decimal held as a float64.
type Sale struct {
	ID     int64
	Amount float64
}

type SaleTable struct {
	*mapped.Table[Sale]
	ID     mapped.Column[Sale, int64]
	Amount mapped.Column[Sale, float64]
}

var Sales = mapped.Define("sale", func(t *mapped.Table[Sale], s *Sale) SaleTable {
	return SaleTable{
		Table:  t,
		ID:     mapped.PrimaryKey(t, &s.ID),
		Amount: mapped.Col(t, &s.Amount, mapped.Type(mapped.Numeric(10, 2))),
	}
})

// Dec is a decimal type of its own, kept as its text: no Go number, so
// that only SumDecimal and AvgDecimal add it up.
type Dec string

// Value implements driver.Valuer.
func (d Dec) Value() (driver.Value, error) { return string(d), nil }

// Scan implements sql.Scanner.
func (d *Dec) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*d = Dec(v)
	case []byte:
		*d = Dec(v)
	default:
		return fmt.Errorf("dec: cannot scan %T", src)
	}
	return nil
}

// Price has a decimal of a type of its own, a quantity and a price in
// cents held as an integer type.
type Price struct {
	ID     int64
	Amount Dec
	Qty    int32
	Cents  Cents
}

// Cents is an amount held as an integer type mapped to a NUMERIC column,
// as examples/chinook's Money: a Go number, so arithmetic applies.
type Cents int64

// Value implements driver.Valuer: the decimal text.
func (c Cents) Value() (driver.Value, error) {
	sign, n := "", uint64(c)
	if c < 0 {
		sign, n = "-", uint64(-(c+1))+1 // also for the smallest int64
	}
	return fmt.Sprintf("%s%d.%02d", sign, n/100, n%100), nil
}

// Scan implements sql.Scanner, from the decimal text a NUMERIC column
// reads back as.
func (c *Cents) Scan(src any) error {
	s, ok := src.(string)
	if !ok {
		return fmt.Errorf("cents: cannot scan %T", src)
	}
	whole, frac, _ := strings.Cut(s, ".")
	frac = (frac + "00")[:2]
	if len(strings.TrimRight(strings.TrimPrefix(s, whole+"."), "0")) > 2 {
		return fmt.Errorf("cents: %q has more than two decimals", s)
	}
	var w, f int64
	if _, err := fmt.Sscan(whole, &w); err != nil {
		return fmt.Errorf("cents: %q: %w", s, err)
	}
	if _, err := fmt.Sscan(frac, &f); err != nil {
		return fmt.Errorf("cents: %q: %w", s, err)
	}
	if strings.HasPrefix(whole, "-") {
		f = -f
	}
	*c = Cents(w*100 + f)
	return nil
}

type PriceTable struct {
	*mapped.Table[Price]
	ID     mapped.Column[Price, int64]
	Amount mapped.Column[Price, Dec]
	Qty    mapped.NumberColumn[Price, int32]
	Cents  mapped.NumberColumn[Price, Cents]
}

var Prices = mapped.Define("price", func(t *mapped.Table[Price], p *Price) PriceTable {
	return PriceTable{
		Table:  t,
		ID:     mapped.PrimaryKey(t, &p.ID),
		Amount: mapped.Col(t, &p.Amount, mapped.Type(mapped.Numeric(10, 2))),
		Qty:    mapped.Number(t, &p.Qty),
		Cents:  mapped.Number(t, &p.Cents, mapped.Type(mapped.Numeric(12, 2))),
	}
})

// Staff is a self-referencing table: each member's manager is another
// member, or none for the head (an org chart for recursive CTEs).
type Staff struct {
	ID        int64
	Name      string
	ManagerID *int64
}

type StaffTable struct {
	*mapped.Table[Staff]
	ID        mapped.Column[Staff, int64]
	Name      mapped.TextColumn[Staff, string]
	ManagerID mapped.Column[Staff, *int64]
}

var Staffs = mapped.Define("staff", func(t *mapped.Table[Staff], s *Staff) StaffTable {
	return StaffTable{
		Table:     t,
		ID:        mapped.PrimaryKey(t, &s.ID),
		Name:      mapped.Text(t, &s.Name),
		ManagerID: mapped.Col(t, &s.ManagerID),
	}
})

// schemaNames lists every table and column name of the schema.
func schemaNames() []string {
	var names []string
	for _, s := range []mapped.Schema{Artists.Table, Labels.Table, Tracks.Table, Charts.Table, Groups.Table, Sales.Table, Prices.Table, Staffs.Table} {
		names = append(names, s.TableName())
		for _, c := range s.Info().Columns {
			names = append(names, c.Name)
		}
	}
	return names
}

// rowsOf selects every column of t, as a repository does.
func rowsOf[T any](t *mapped.Table[T], conds ...query.Cond[T]) *query.Select {
	fields := t.Fields()
	cols := make([]query.Expr, len(fields))
	for i, f := range fields {
		cols[i] = f
	}
	s := &query.Select{Columns: cols, From: t}
	for _, c := range conds {
		s.Where = append(s.Where, c)
	}
	return s
}

// renderOnly is an executor that never runs anything: it gives a
// repository its dialect, so the statements the repository would run can
// be rendered.
type renderOnly struct{ d dialect.Dialect }

var errRenderOnly = errors.New("query_test: this executor only renders")

func (r renderOnly) Exec(context.Context, string, ...any) (int64, error) { return 0, errRenderOnly }
func (r renderOnly) Query(context.Context, string, ...any) (dialect.Rows, error) {
	return nil, errRenderOnly
}
func (r renderOnly) Dialect() dialect.Dialect { return r.d }

// limited is a dialect lacking capabilities, to check that statements
// needing them fail instead of rendering invalid SQL.
type limited struct {
	dialect.Dialect
	f dialect.Features
}

func (l limited) Name() string                { return "limited" }
func (l limited) Features() *dialect.Features { return &l.f }

// plain is a dialect with ? placeholders and none of the optional
// capabilities: no RETURNING, no upsert, no array or JSON parameters, no
// NULLS FIRST/LAST, and a small parameter limit.
var plain = limited{Dialect: sqlite.Dialect(), f: dialect.Features{MaxParams: 999}}

// Values used across the cases.
var (
	uk   = "UK"
	indy = "INDY"
	// when is in a zone other than UTC and has nanoseconds, to show each
	// dialect's conversion: PostgreSQL keeps the instant to the
	// microsecond, SQLite writes UTC text.
	when  = time.Date(2024, 3, 1, 12, 30, 0, 123456789, time.FixedZone("CET", 3600))
	later = time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC)
)
