package main

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

const wantOutput = `Chinook loaded: 275 artists, 347 albums, 3503 tracks, 18 playlists, 59 customers, 412 invoices (2240 lines)

Top 5 artists by sales:
  1. Iron Maiden     $138.60
  2. U2              $105.93
  3. Metallica        $90.09
  4. Led Zeppelin     $86.13
  5. Lost             $81.59

Andrew Adams and the people who report to him:
  Andrew Adams, General Manager
    Nancy Edwards, Sales Manager (reports to Andrew)
      Jane Peacock, Sales Support Agent (reports to Nancy)
      Margaret Park, Sales Support Agent (reports to Nancy)
      Steve Johnson, Sales Support Agent (reports to Nancy)
    Michael Mitchell, IT Manager (reports to Andrew)
      Robert King, IT Staff (reports to Michael)
      Laura Callahan, IT Staff (reports to Michael)

Playlist "Grunge", the first 5 of its 15 tracks by name:
  Alive                        Pearl Jam
  Black Hole Sun               Soundgarden
  Come As You Are              Nirvana
  Daughter                     Pearl Jam
  Drain You                    Nirvana

Albums of Black Sabbath:
  Black Sabbath (7 tracks)
    Black Sabbath                             6:22
    The Wizard                                4:25
    Behind The Wall Of Sleep                  3:38
    N.I.B.                                    6:09
    Evil Woman                                3:25
    Sleeping Village                         10:45
    Warning                                   3:32
  Black Sabbath Vol. 4 (Remaster) (10 tracks)
    Wheels Of Confusion / The Straightener    8:15
    Tomorrow's Dream                          3:12
    Changes                                   4:46
    FX                                        1:43
    Supernaut                                 4:46
    Snowblind                                 5:32
    Cornucopia                                3:55
    Laguna Sunrise                            2:53
    St. Vitus Dance                           2:30
    Under The Sun/Every Day Comes and Goes    5:50

Support representatives and their customers:
  Jane Peacock: 21 customers, first Roberto Almeida
  Margaret Park: 20 customers, first Camille Bernard
  Steve Johnson: 18 customers, first Julia Barnett

Customers in Brazil and who supports them:
  Roberto Almeida        Jane Peacock
  Luís Gonçalves         Jane Peacock
  Eduardo Martins        Margaret Park
  Fernanda Ramos         Margaret Park
  Alexandre Rocha        Steve Johnson

The genre with the most tracks is Rock (1297 tracks); then Latin (579), Metal (374)

Sales per year:
  2021   $449.46
  2022   $481.45
  2023   $469.58
  2024   $477.53
  2025   $450.58

Countries and years with sales above $90.00:
  USA      2024  $127.98
  USA      2021  $103.95
  USA      2023  $103.01
  USA      2022  $102.98

Direct reports of the top manager (a self-join):
  Nancy Edwards      reports to Andrew Adams
  Michael Mitchell   reports to Andrew Adams

The 5 biggest spenders of 59 customers:
  Helena Holý          Czech Republic  Steve Johnson   7 invoices  $49.62  2021-07-11 to 2025-11-13
  Richard Cunningham   USA             Margaret Park   7 invoices  $47.62  2021-11-07 to 2025-04-05
  Luis Rojas           Chile           Steve Johnson   7 invoices  $46.62  2021-04-04 to 2024-10-14
  Ladislav Kovács      Hungary         Jane Peacock    7 invoices  $45.62  2022-01-08 to 2025-07-20
  Hugh O'Reilly        Ireland         Jane Peacock    7 invoices  $45.62  2021-02-03 to 2025-11-04

Albums with more than 20 tracks: 17

The 3 best-selling tracks of each genre (72 rows), the first genres:
  Alternative        1. All Night Thing                 $0.99
  Alternative        2. Billie Jean                     $0.99
  Alternative        3. Call Me a Dog                   $0.99
  Alternative & Punk 1. A Melhor Forma                  $1.98
  Alternative & Punk 2. Ando Meio Desligado             $1.98
  Alternative & Punk 3. Babylon                         $1.98
  Blues              1. Lay Down Sally                  $1.98
  Blues              2. Lonely Stranger                 $1.98
  Blues              3. Midnight From The Inside Out    $1.98

Nancy Edwards's org chart (a recursive query):
  Nancy Edwards
    Steve Johnson
    Margaret Park
    Jane Peacock
`

// TestRun runs the program on every dialect, checks what it prints, then
// asks each question again in hand-written SQL on the same database and
// checks the typed answers against those.
func TestRun(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		var out strings.Builder
		if err := run(ctx, db, &out); err != nil {
			t.Fatal(err)
		}
		if got := out.String(); got != wantOutput {
			t.Errorf("output:\n%s\nwant:\n%s", got, wantOutput)
		}
		t.Run("top artists", func(t *testing.T) { checkTopArtists(t, db) })
		t.Run("reports", func(t *testing.T) { checkReports(t, db) })
		t.Run("playlist", func(t *testing.T) { checkPlaylist(t, db) })
		t.Run("albums", func(t *testing.T) { checkAlbums(t, db) })
		t.Run("support reps", func(t *testing.T) { checkSupportReps(t, db) })
		t.Run("customers in", func(t *testing.T) { checkCustomersIn(t, db) })
		t.Run("top genres", func(t *testing.T) { checkTopGenres(t, db) })
		t.Run("sales per year", func(t *testing.T) { checkSalesPerYear(t, db) })
		t.Run("country years", func(t *testing.T) { checkCountryYears(t, db) })
		t.Run("direct reports", func(t *testing.T) { checkDirectReports(t, db) })
		t.Run("customer report", func(t *testing.T) { checkCustomerReport(t, db) })
		t.Run("big albums", func(t *testing.T) { checkBigAlbums(t, db) })
		t.Run("top tracks by genre", func(t *testing.T) { checkTopTracksByGenre(t, db) })
		t.Run("org chart", func(t *testing.T) { checkOrgChart(t, db) })
		t.Run("every value kept", func(t *testing.T) { checkRoundTrip(t, db) })
	})
}

func checkTopArtists(t *testing.T, db dialect.DB) {
	ctx := context.Background()
	got, err := topArtists(ctx, db, 5)
	if err != nil {
		t.Fatal(err)
	}
	// Cents as integers, so that the sum is exact on SQLite too, where
	// NUMERIC is TEXT and arithmetic on it is done in floating point.
	want := sqlRows2[string, int64](t, db, `
		SELECT ar.name, SUM(CAST(ROUND(il.unit_price * 100) AS INTEGER) * il.quantity) AS cents
		FROM chinook_invoice_line il
		JOIN chinook_track t ON t.track_id = il.track_id
		JOIN chinook_album al ON al.album_id = t.album_id
		JOIN chinook_artist ar ON ar.artist_id = al.artist_id
		GROUP BY ar.artist_id, ar.name
		ORDER BY cents DESC, ar.name
		LIMIT 5`)
	var gotCents []query.Row2[string, int64]
	for _, r := range got {
		gotCents = append(gotCents, query.Row2[string, int64]{V1: r.V1, V2: int64(r.V2)})
	}
	same(t, gotCents, want)
}

func checkReports(t *testing.T, db dialect.DB) {
	boss, err := reportsTree(context.Background(), db, "Andrew", "Adams")
	if err != nil {
		t.Fatal(err)
	}
	type node struct {
		ID, Manager, Depth int64
		Name               string
	}
	var got []node
	var walk func(e *Employee, depth int64)
	walk = func(e *Employee, depth int64) {
		var m int64
		if e.Manager != nil {
			m = e.Manager.ID
		}
		got = append(got, node{e.ID, m, depth, e.FirstName + " " + e.LastName})
		if !slices.IsSortedFunc(e.Reports, func(a, b *Employee) int { return cmp.Compare(a.ID, b.ID) }) {
			t.Errorf("reports of %s not in id order", e.LastName)
		}
		for _, r := range e.Reports {
			walk(r, depth+1)
		}
	}
	walk(boss, 0)
	slices.SortFunc(got, func(a, b node) int { return cmp.Compare(a.ID, b.ID) })
	var want []node
	rows := runSQL(t, db, `
		WITH RECURSIVE tree (employee_id, reports_to, depth) AS (
			SELECT employee_id, reports_to, 0 FROM chinook_employee
			WHERE first_name = ? AND last_name = ?
			UNION ALL
			SELECT e.employee_id, e.reports_to, tree.depth + 1
			FROM chinook_employee e JOIN tree ON e.reports_to = tree.employee_id
		)
		SELECT e.employee_id, COALESCE(tree.reports_to, 0), tree.depth, e.first_name || ' ' || e.last_name
		FROM tree JOIN chinook_employee e ON e.employee_id = tree.employee_id
		ORDER BY e.employee_id`, "Andrew", "Adams")
	for rows.Next() {
		var n node
		scan(t, rows, &n.ID, &n.Manager, &n.Depth, &n.Name)
		want = append(want, n)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	same(t, got, want)
}

func checkPlaylist(t *testing.T, db dialect.DB) {
	pl, err := playlistTracks(context.Background(), db, "Grunge")
	if err != nil {
		t.Fatal(err)
	}
	var got []query.Row3[int64, string, string]
	for _, tr := range pl.Tracks {
		got = append(got, query.Row3[int64, string, string]{V1: tr.ID, V2: tr.Name, V3: tr.Album.Artist.Name})
	}
	want := sqlRows3[int64, string, string](t, db, `
		SELECT t.track_id, t.name, ar.name
		FROM chinook_playlist p
		JOIN chinook_playlist_track pt ON pt.playlist_id = p.playlist_id
		JOIN chinook_track t ON t.track_id = pt.track_id
		JOIN chinook_album al ON al.album_id = t.album_id
		JOIN chinook_artist ar ON ar.artist_id = al.artist_id
		WHERE p.name = ?
		ORDER BY t.name, t.track_id`, "Grunge")
	same(t, got, want)
}

func checkAlbums(t *testing.T, db dialect.DB) {
	a, err := artistAlbums(context.Background(), db, "Black Sabbath")
	if err != nil {
		t.Fatal(err)
	}
	var got []query.Row3[string, int64, string]
	for _, al := range a.Albums {
		for _, tr := range al.Tracks {
			got = append(got, query.Row3[string, int64, string]{V1: al.Title, V2: tr.ID, V3: tr.Name})
		}
	}
	want := sqlRows3[string, int64, string](t, db, `
		SELECT al.title, t.track_id, t.name
		FROM chinook_artist ar
		JOIN chinook_album al ON al.artist_id = ar.artist_id
		JOIN chinook_track t ON t.album_id = al.album_id
		WHERE ar.name = ?
		ORDER BY al.title, t.track_id`, "Black Sabbath")
	same(t, got, want)
}

func checkSupportReps(t *testing.T, db dialect.DB) {
	reps, err := supportReps(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	var got []query.Row2[int64, int64]
	for _, e := range reps {
		for _, c := range e.Customers {
			if c.SupportRep != e {
				t.Errorf("customer %d: SupportRep not set to its representative", c.ID)
			}
			got = append(got, query.Row2[int64, int64]{V1: e.ID, V2: c.ID})
		}
	}
	want := sqlRows2[int64, int64](t, db, `
		SELECT e.employee_id, c.customer_id
		FROM chinook_employee e
		JOIN chinook_customer c ON c.support_rep_id = e.employee_id
		ORDER BY e.employee_id, c.last_name, c.first_name`)
	same(t, got, want)
}

func checkCustomersIn(t *testing.T, db dialect.DB) {
	cs, err := customersIn(context.Background(), db, "Brazil")
	if err != nil {
		t.Fatal(err)
	}
	var got []query.Row2[int64, sql.Null[string]]
	for _, c := range cs {
		var rep sql.Null[string]
		if c.SupportRep != nil {
			rep = sql.Null[string]{V: c.SupportRep.FirstName + " " + c.SupportRep.LastName, Valid: true}
		}
		got = append(got, query.Row2[int64, sql.Null[string]]{V1: c.ID, V2: rep})
	}
	want := sqlRows2[int64, sql.Null[string]](t, db, `
		SELECT c.customer_id, e.first_name || ' ' || e.last_name
		FROM chinook_customer c
		LEFT JOIN chinook_employee e ON e.employee_id = c.support_rep_id
		WHERE c.country = ?
		ORDER BY c.last_name, c.first_name`, "Brazil")
	same(t, got, want)
}

func checkTopGenres(t *testing.T, db dialect.DB) {
	got, err := topGenres(context.Background(), db, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := sqlRows2[string, int64](t, db, `
		SELECT g.name, COUNT(*) AS n
		FROM chinook_genre g
		JOIN chinook_track t ON t.genre_id = g.genre_id
		GROUP BY g.genre_id, g.name
		ORDER BY n DESC, g.name
		LIMIT 3`)
	same(t, got, want)
}

// yearSQL is the year of an invoice's date in hand-written SQL: times
// are timestamptz on PostgreSQL, UTC text on SQLite.
func yearSQL(db dialect.DB) string {
	if db.Dialect().Name() == "postgres" {
		return "CAST(EXTRACT(YEAR FROM i.invoice_date AT TIME ZONE 'UTC') AS BIGINT)"
	}
	return "CAST(substr(i.invoice_date, 1, 4) AS INTEGER)"
}

func checkSalesPerYear(t *testing.T, db dialect.DB) {
	got, err := salesPerYear(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	want := sqlRows2[int64, int64](t, db, `
		SELECT `+yearSQL(db)+` AS y, SUM(CAST(ROUND(i.total * 100) AS INTEGER))
		FROM chinook_invoice i
		GROUP BY y
		ORDER BY y`)
	var gotCents []query.Row2[int64, int64]
	for _, r := range got {
		gotCents = append(gotCents, query.Row2[int64, int64]{V1: r.V1, V2: int64(r.V2)})
	}
	same(t, gotCents, want)
}

func checkCountryYears(t *testing.T, db dialect.DB) {
	got, err := countryYears(context.Background(), db, 9000)
	if err != nil {
		t.Fatal(err)
	}
	want := sqlRows3[string, int64, int64](t, db, `
		SELECT i.billing_country, `+yearSQL(db)+` AS y, SUM(CAST(ROUND(i.total * 100) AS INTEGER)) AS cents
		FROM chinook_invoice i
		GROUP BY i.billing_country, y
		HAVING SUM(CAST(ROUND(i.total * 100) AS INTEGER)) > 9000
		ORDER BY cents DESC, i.billing_country, y`)
	var gotCents []query.Row3[string, int64, int64]
	for _, r := range got {
		gotCents = append(gotCents, query.Row3[string, int64, int64]{V1: r.V1, V2: r.V2, V3: int64(r.V3)})
	}
	same(t, gotCents, want)
}

func checkDirectReports(t *testing.T, db dialect.DB) {
	got, err := directReports(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	want := sqlRows2[string, string](t, db, `
		SELECT e.first_name || ' ' || e.last_name, m.first_name || ' ' || m.last_name
		FROM chinook_employee e
		JOIN chinook_employee m ON m.employee_id = e.reports_to
		WHERE m.reports_to IS NULL
		ORDER BY e.last_name, e.first_name, e.employee_id`)
	same(t, got, want)
}

// dateSQL is a time in hand-written SQL as UTC text, "2006-01-02
// 15:04:05": times are timestamptz on PostgreSQL, UTC text on SQLite.
func dateSQL(db dialect.DB, e string) string {
	if db.Dialect().Name() == "postgres" {
		return "to_char(" + e + " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
	}
	return "strftime('%Y-%m-%d %H:%M:%S', " + e + ")"
}

func checkCustomerReport(t *testing.T, db dialect.DB) {
	got, err := customerReport(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	type line struct {
		Name, Country, Rep sql.Null[string]
		Invoices, Cents    int64
		First, Last        string
	}
	text := func(s string) sql.Null[string] { return sql.Null[string]{V: s, Valid: true} }
	var gotLines []line
	for _, r := range got {
		l := line{Name: text(r.Name), Rep: r.Rep, Invoices: r.Invoices, Cents: int64(r.Spent),
			First: r.First.UTC().Format(time.DateTime), Last: r.Last.UTC().Format(time.DateTime)}
		if r.Country != nil {
			l.Country = text(*r.Country)
		}
		gotLines = append(gotLines, l)
	}
	want := sqlRowsOf(t, db, func(l *line) []any {
		return []any{&l.Name, &l.Country, &l.Rep, &l.Invoices, &l.Cents, &l.First, &l.Last}
	}, `
		SELECT c.first_name || ' ' || c.last_name, c.country, e.first_name || ' ' || e.last_name,
			COUNT(*), SUM(CAST(ROUND(i.total * 100) AS INTEGER)) AS cents,
			`+dateSQL(db, "MIN(i.invoice_date)")+`, `+dateSQL(db, "MAX(i.invoice_date)")+`
		FROM chinook_customer c
		JOIN chinook_invoice i ON i.customer_id = c.customer_id
		LEFT JOIN chinook_employee e ON e.employee_id = c.support_rep_id
		GROUP BY c.customer_id, c.first_name, c.last_name, c.country, e.first_name, e.last_name
		ORDER BY cents DESC, c.last_name, c.first_name, c.customer_id`)
	same(t, gotLines, want)
}

func checkBigAlbums(t *testing.T, db dialect.DB) {
	for _, least := range []int64{20, 0, 30} {
		got, err := bigAlbums(context.Background(), db, least)
		if err != nil {
			t.Fatal(err)
		}
		if want := wantBigAlbums(t, db, least); got != want || got == 0 {
			t.Errorf("albums with more than %d tracks: genrepo answered %d, hand-written SQL %d", least, got, want)
		}
	}
}

func checkTopTracksByGenre(t *testing.T, db dialect.DB) {
	for _, n := range []int64{3, 1} {
		got, err := topTracksByGenre(context.Background(), db, n)
		if err != nil {
			t.Fatal(err)
		}
		same(t, got, wantTopTracksByGenre(t, db, n))
	}
}

func checkOrgChart(t *testing.T, db dialect.DB) {
	for _, who := range [][2]string{{"Andrew", "Adams"}, {"Nancy", "Edwards"}, {"Jane", "Peacock"}} {
		got, err := orgChart(context.Background(), db, who[0], who[1])
		if err != nil {
			t.Fatal(err)
		}
		same(t, got, wantOrgChart(t, db, who[0], who[1]))
	}
}

// wantBigAlbums is the number of albums with more than least tracks.
func wantBigAlbums(t *testing.T, db dialect.DB, least int64) int64 {
	t.Helper()
	n := sqlRowsOf(t, db, func(v *int64) []any { return []any{v} }, `
		SELECT COUNT(*) FROM (
			SELECT t.album_id FROM chinook_track t
			WHERE t.album_id IS NOT NULL
			GROUP BY t.album_id
			HAVING COUNT(*) > ?
		) AS big`, least)
	return n[0]
}

// wantTopTracksByGenre is the n best-selling tracks of each genre, by
// genre name then place; tracks selling as much are placed by name (then
// key, as two tracks may share a name).
func wantTopTracksByGenre(t *testing.T, db dialect.DB, n int64) []genreTrack {
	t.Helper()
	return sqlRowsOf(t, db, func(r *genreTrack) []any { return []any{&r.Genre, &r.Place, &r.Track, (*int64)(&r.Sales)} }, `
		WITH sales AS (
			SELECT g.genre_id, g.name AS genre, t.track_id, t.name AS track,
				SUM(CAST(ROUND(il.unit_price * 100) AS INTEGER) * il.quantity) AS cents
			FROM chinook_invoice_line il
			JOIN chinook_track t ON t.track_id = il.track_id
			JOIN chinook_genre g ON g.genre_id = t.genre_id
			GROUP BY g.genre_id, g.name, t.track_id, t.name
		), ranked AS (
			SELECT genre, track, cents,
				ROW_NUMBER() OVER (PARTITION BY genre_id ORDER BY cents DESC, track, track_id) AS place
			FROM sales
		)
		SELECT genre, place, track, cents FROM ranked
		WHERE place <= ?
		ORDER BY genre, place`, n)
}

// wantOrgChart is the employee of that name and everyone under them, at
// any depth, by depth then last and first name.
func wantOrgChart(t *testing.T, db dialect.DB, first, last string) []orgNode {
	t.Helper()
	return sqlRowsOf(t, db, func(r *orgNode) []any { return []any{&r.ID, &r.Name, &r.ReportsTo, &r.Depth} }, `
		WITH RECURSIVE tree (employee_id, depth) AS (
			SELECT employee_id, 0 FROM chinook_employee
			WHERE first_name = ? AND last_name = ?
			UNION ALL
			SELECT e.employee_id, tree.depth + 1
			FROM chinook_employee e JOIN tree ON e.reports_to = tree.employee_id
		)
		SELECT e.employee_id, e.first_name || ' ' || e.last_name, e.reports_to, tree.depth
		FROM tree JOIN chinook_employee e ON e.employee_id = tree.employee_id
		ORDER BY tree.depth, e.last_name, e.first_name, e.employee_id`, first, last)
}

// checkRoundTrip reads every table back and compares each row, field by
// field, with the data file: prices keep every digit, times their
// instant, NULLs stay NULL, on both dialects.
func checkRoundTrip(t *testing.T, db dialect.DB) {
	data, err := decodeData()
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, db, data, Genres.Table, genreFields, nil, Genres.ID.Asc())
	roundTrip(t, db, data, MediaTypes.Table, mediaTypeFields, nil, MediaTypes.ID.Asc())
	roundTrip(t, db, data, Artists.Table, artistFields, nil, Artists.ID.Asc())
	roundTrip(t, db, data, Albums.Table, albumFields, nil, Albums.ID.Asc())
	roundTrip(t, db, data, Tracks.Table, trackFields, nil, Tracks.ID.Asc())
	roundTrip(t, db, data, Employees.Table, employeeFields, nil, Employees.ID.Asc())
	roundTrip(t, db, data, Customers.Table, customerFields, nil, Customers.ID.Asc())
	roundTrip(t, db, data, Invoices.Table, invoiceFields, nil, Invoices.ID.Asc())
	roundTrip(t, db, data, InvoiceLines.Table, invoiceLineFields, nil, InvoiceLines.ID.Asc())
	roundTrip(t, db, data, Playlists.Table, playlistFields, nil, Playlists.ID.Asc())
	// The data lists a playlist's tracks in no particular order.
	byKey := func(a, b *PlaylistTrack) int {
		return cmp.Or(cmp.Compare(a.PlaylistID, b.PlaylistID), cmp.Compare(a.TrackID, b.TrackID))
	}
	roundTrip(t, db, data, PlaylistEntries.Table, playlistTrackFields, byKey,
		PlaylistEntries.PlaylistID.Asc(), PlaylistEntries.TrackID.Asc())

	// Every price, summed in cents by the database from what it stores.
	var wantCents int64
	for _, raw := range data["invoice_line"].Rows {
		l := new(InvoiceLine)
		if err := decodeRow(raw, invoiceLineFields(l)); err != nil {
			t.Fatal(err)
		}
		wantCents += int64(l.UnitPrice) * int64(l.Quantity)
	}
	total := sqlRows2[int64, int64](t, db, `
		SELECT COUNT(*), SUM(CAST(ROUND(unit_price * 100) AS INTEGER) * quantity) FROM chinook_invoice_line`)
	if total[0].V2 != wantCents {
		t.Errorf("sales in cents: database %d, data %d", total[0].V2, wantCents)
	}
}

// roundTrip compares the rows of table, read in the given order, with
// the data's, sorted with sortWant unless it is nil.
func roundTrip[T any](t *testing.T, db dialect.DB, data map[string]dataTable, table *mapped.Table[T],
	fields func(*T) []any, sortWant func(a, b *T) int, order ...query.Order[T]) {
	t.Helper()
	want, err := decodeTable(data, table, fields)
	if err != nil {
		t.Fatal(err)
	}
	if sortWant != nil {
		slices.SortFunc(want, sortWant)
	}
	got, err := repo.New(db, table).OrderBy(order...).All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows read back, %d in the data", table, len(got), len(want))
	}
	for i := range got {
		g, w := fields(got[i]), fields(want[i])
		for j := range g {
			if !equalField(g[j], w[j]) {
				t.Errorf("%s row %d column %s: read back %v, data %v", table, i+1,
					table.Fields()[j].Name(), show(g[j]), show(w[j]))
			}
		}
	}
}

// equalField compares two pointers to fields: times by instant, the rest
// by value.
func equalField(a, b any) bool {
	switch x := a.(type) {
	case *time.Time:
		return x.Equal(*b.(*time.Time))
	case **time.Time:
		y := b.(**time.Time)
		if *x == nil || *y == nil {
			return *x == nil && *y == nil
		}
		return (*x).Equal(**y)
	}
	return reflect.DeepEqual(a, b)
}

// show returns what a pointer to a field holds, following a second
// pointer.
func show(p any) string {
	v := reflect.ValueOf(p).Elem()
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return "NULL"
		}
		v = v.Elem()
	}
	return fmt.Sprintf("%v", v.Interface())
}

// runSQL runs hand-written SQL, with ? placeholders written in the
// dialect's form, and returns its rows, closed when the test ends.
func runSQL(t *testing.T, db dialect.DB, text string, args ...any) dialect.Rows {
	t.Helper()
	var b strings.Builder
	n := 0
	for _, r := range text {
		if r == '?' {
			n++
			b.Write(db.Dialect().AppendPlaceholder(nil, n))
			continue
		}
		b.WriteRune(r)
	}
	rows, err := db.Query(context.Background(), b.String(), args...)
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	t.Cleanup(func() { _ = rows.Close() })
	return rows
}

func scan(t *testing.T, rows dialect.Rows, dest ...any) {
	t.Helper()
	if err := rows.Scan(dest...); err != nil {
		t.Fatal(err)
	}
}

func sqlRows2[A, B any](t *testing.T, db dialect.DB, text string, args ...any) []query.Row2[A, B] {
	t.Helper()
	var out []query.Row2[A, B]
	rows := runSQL(t, db, text, args...)
	for rows.Next() {
		var r query.Row2[A, B]
		scan(t, rows, &r.V1, &r.V2)
		out = append(out, r)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

func sqlRows3[A, B, C any](t *testing.T, db dialect.DB, text string, args ...any) []query.Row3[A, B, C] {
	t.Helper()
	var out []query.Row3[A, B, C]
	rows := runSQL(t, db, text, args...)
	for rows.Next() {
		var r query.Row3[A, B, C]
		scan(t, rows, &r.V1, &r.V2, &r.V3)
		out = append(out, r)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// sqlRowsOf runs hand-written SQL and scans each row into an R, through
// the pointers fields returns.
func sqlRowsOf[R any](t *testing.T, db dialect.DB, fields func(*R) []any, text string, args ...any) []R {
	t.Helper()
	var out []R
	rows := runSQL(t, db, text, args...)
	for rows.Next() {
		var r R
		scan(t, rows, fields(&r)...)
		out = append(out, r)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// same reports a difference between the typed answer and the SQL one.
func same[E any](t *testing.T, got, want []E) {
	t.Helper()
	if len(want) == 0 {
		t.Fatal("the SQL answer is empty")
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("genrepo answered\n%v\nhand-written SQL answered\n%v", got, want)
	}
}
