// Command chinook loads the Chinook sample database (a digital music
// store: artists, albums, tracks, playlists, customers, invoices and the
// employees who look after them) into tables mapped with genrepo, then
// answers a few questions with eager loading and typed projections.
//
//	go run ./examples/chinook                      # in-memory SQLite
//	go run ./examples/chinook -dsn sqlite:chinook.db
//	go run ./examples/chinook -dsn postgres://postgres@127.0.0.1:5432/test
//
// The tables are dropped and created again at the start, so the program
// can be run as often as wanted.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/examples/internal/cli"
	"github.com/genrepo/genrepo/repo"
)

func main() { cli.Main(run) }

// run creates the schema, loads the data and prints the answers to out.
func run(ctx context.Context, db dialect.DB, out io.Writer) error {
	db = Model.Bind(db)
	if err := Model.DropAll(ctx, db); err != nil {
		return err
	}
	if err := Model.CreateAll(ctx, db); err != nil {
		return err
	}
	if err := load(ctx, db); err != nil {
		return err
	}
	p := cli.Printer{W: out}
	for _, q := range []func(context.Context, dialect.DB, cli.Printer) error{
		printCounts, printTopArtists, printReports, printPlaylist, printAlbums,
		printSupportReps, printCustomersIn, printTopGenres, printSalesPerYear, printCountryYears,
		printDirectReports, printCustomerReport, printBigAlbums, printTopTracksByGenre, printOrgChart,
	} {
		if err := q(ctx, db, p); err != nil {
			return err
		}
	}
	return nil
}

func printCounts(ctx context.Context, db dialect.DB, p cli.Printer) error {
	var err error
	count := func(n int64, e error) int64 {
		if err == nil {
			err = e
		}
		return n
	}
	p.Printf("Chinook loaded: %d artists, %d albums, %d tracks, %d playlists, %d customers, %d invoices (%d lines)\n",
		count(repo.New(db, Artists.Table).Count(ctx)),
		count(repo.New(db, Albums.Table).Count(ctx)),
		count(repo.New(db, Tracks.Table).Count(ctx)),
		count(repo.New(db, Playlists.Table).Count(ctx)),
		count(repo.New(db, Customers.Table).Count(ctx)),
		count(repo.New(db, Invoices.Table).Count(ctx)),
		count(repo.New(db, InvoiceLines.Table).Count(ctx)))
	return err
}

func printTopArtists(ctx context.Context, db dialect.DB, p cli.Printer) error {
	rows, err := topArtists(ctx, db, 5)
	if err != nil {
		return err
	}
	p.Println("\nTop 5 artists by sales:")
	for i, r := range rows {
		p.Printf("  %d. %-14s %8s\n", i+1, r.V1, "$"+r.V2.String())
	}
	return nil
}

func printReports(ctx context.Context, db dialect.DB, p cli.Printer) error {
	boss, err := reportsTree(ctx, db, "Andrew", "Adams")
	if err != nil {
		return err
	}
	p.Println("\nAndrew Adams and the people who report to him:")
	var walk func(e *Employee, depth int) error
	walk = func(e *Employee, depth int) error {
		line := fmt.Sprintf("%*s%s %s, %s", 2+2*depth, "", e.FirstName, e.LastName, deref(e.Title))
		if e.Manager != nil {
			line += " (reports to " + e.Manager.FirstName + ")"
		}
		p.Println(line)
		reports, err := EmployeeReports.Get(e) // ErrNotLoaded below the levels loaded
		if err != nil {
			return err
		}
		for _, r := range reports {
			if err := walk(r, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(boss, 0)
}

func printPlaylist(ctx context.Context, db dialect.DB, p cli.Printer) error {
	pl, err := playlistTracks(ctx, db, "Grunge")
	if err != nil {
		return err
	}
	p.Printf("\nPlaylist %q, the first 5 of its %d tracks by name:\n", pl.Name, len(pl.Tracks))
	for _, t := range pl.Tracks[:min(5, len(pl.Tracks))] {
		artist := "?"
		if t.Album != nil && t.Album.Artist != nil {
			artist = t.Album.Artist.Name
		}
		p.Printf("  %-28s %s\n", t.Name, artist)
	}
	return nil
}

func printAlbums(ctx context.Context, db dialect.DB, p cli.Printer) error {
	a, err := artistAlbums(ctx, db, "Black Sabbath")
	if err != nil {
		return err
	}
	p.Printf("\nAlbums of %s:\n", a.Name)
	for _, al := range a.Albums {
		p.Printf("  %s (%d tracks)\n", al.Title, len(al.Tracks))
		for _, t := range al.Tracks {
			p.Printf("    %-40s %5s\n", t.Name, duration(t.Milliseconds))
		}
	}
	return nil
}

func printSupportReps(ctx context.Context, db dialect.DB, p cli.Printer) error {
	reps, err := supportReps(ctx, db)
	if err != nil {
		return err
	}
	p.Println("\nSupport representatives and their customers:")
	for _, e := range reps {
		p.Printf("  %s %s: %d customers, first %s %s\n", e.FirstName, e.LastName, len(e.Customers),
			e.Customers[0].FirstName, e.Customers[0].LastName)
	}
	return nil
}

func printCustomersIn(ctx context.Context, db dialect.DB, p cli.Printer) error {
	cs, err := customersIn(ctx, db, "Brazil")
	if err != nil {
		return err
	}
	p.Println("\nCustomers in Brazil and who supports them:")
	for _, c := range cs {
		rep, err := CustomerRep.Get(c) // nil for a customer without a representative
		if err != nil {
			return err
		}
		name := "nobody"
		if rep != nil {
			name = rep.FirstName + " " + rep.LastName
		}
		p.Printf("  %-22s %s\n", c.FirstName+" "+c.LastName, name)
	}
	return nil
}

func printTopGenres(ctx context.Context, db dialect.DB, p cli.Printer) error {
	rows, err := topGenres(ctx, db, 3)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return errors.New("no genre has tracks")
	}
	p.Printf("\nThe genre with the most tracks is %s (%d tracks); then", rows[0].V1, rows[0].V2)
	for i, r := range rows[1:] {
		if i > 0 {
			p.Printf(",")
		}
		p.Printf(" %s (%d)", r.V1, r.V2)
	}
	p.Println()
	return nil
}

// deref returns *s, or "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// duration formats milliseconds as m:ss.
func duration(ms int32) string {
	s := (ms + 500) / 1000
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

func printSalesPerYear(ctx context.Context, db dialect.DB, p cli.Printer) error {
	rows, err := salesPerYear(ctx, db)
	if err != nil {
		return err
	}
	p.Println("\nSales per year:")
	for _, r := range rows {
		p.Printf("  %d %9s\n", r.V1, "$"+r.V2.String())
	}
	return nil
}

func printCountryYears(ctx context.Context, db dialect.DB, p cli.Printer) error {
	rows, err := countryYears(ctx, db, 9000)
	if err != nil {
		return err
	}
	p.Println("\nCountries and years with sales above $90.00:")
	for _, r := range rows {
		p.Printf("  %-8s %d %8s\n", r.V1, r.V2, "$"+r.V3.String())
	}
	return nil
}

func printDirectReports(ctx context.Context, db dialect.DB, p cli.Printer) error {
	rows, err := directReports(ctx, db)
	if err != nil {
		return err
	}
	p.Println("\nDirect reports of the top manager (a self-join):")
	for _, r := range rows {
		p.Printf("  %-18s reports to %s\n", r.V1, r.V2)
	}
	return nil
}

func printCustomerReport(ctx context.Context, db dialect.DB, p cli.Printer) error {
	rows, err := customerReport(ctx, db)
	if err != nil {
		return err
	}
	p.Printf("\nThe 5 biggest spenders of %d customers:\n", len(rows))
	for _, r := range rows[:min(5, len(rows))] {
		rep := "nobody"
		if r.Rep.Valid {
			rep = r.Rep.V
		}
		p.Printf("  %-20s %-15s %-14s %2d invoices %7s  %s to %s\n", r.Name, deref(r.Country), rep,
			r.Invoices, "$"+r.Spent.String(), r.First.UTC().Format(time.DateOnly), r.Last.UTC().Format(time.DateOnly))
	}
	return nil
}

func printBigAlbums(ctx context.Context, db dialect.DB, p cli.Printer) error {
	n, err := bigAlbums(ctx, db, 20)
	if err != nil {
		return err
	}
	p.Printf("\nAlbums with more than 20 tracks: %d\n", n)
	return nil
}

func printTopTracksByGenre(ctx context.Context, db dialect.DB, p cli.Printer) error {
	rows, err := topTracksByGenre(ctx, db, 3)
	if err != nil {
		return err
	}
	p.Printf("\nThe 3 best-selling tracks of each genre (%d rows), the first genres:\n", len(rows))
	for _, r := range rows[:min(9, len(rows))] {
		p.Printf("  %-18s %d. %-30s %6s\n", r.Genre, r.Place, r.Track, "$"+r.Sales.String())
	}
	return nil
}

func printOrgChart(ctx context.Context, db dialect.DB, p cli.Printer) error {
	rows, err := orgChart(ctx, db, "Nancy", "Edwards")
	if err != nil {
		return err
	}
	p.Println("\nNancy Edwards's org chart (a recursive query):")
	for _, r := range rows {
		p.Printf("  %s%s\n", strings.Repeat("  ", int(r.Depth)), r.Name)
	}
	return nil
}
