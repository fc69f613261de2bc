package main

import (
	"context"
	"database/sql"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// The questions, each one function returning typed answers; run prints
// them and the test asks each again in hand-written SQL.

// lineTotal is an invoice line's unit_price * quantity, typed as the
// price: a Money times an int32 is a Money. On PostgreSQL the product and
// its sum are exact decimals; on SQLite, whose NUMERIC holds floats, the
// sum is rounded to the price's two decimals, as PostgreSQL's would be.
var lineTotal = query.TimesInt(InvoiceLines.UnitPrice, InvoiceLines.Quantity)

// topArtists returns the n artists whose tracks sold for the most, with
// their sales: a typed projection joining artist → album → track →
// invoice line through the relations, grouped by artist.
func topArtists(ctx context.Context, ex dialect.Executor, n int64) ([]query.Row2[string, Money], error) {
	sales := query.Sum(lineTotal)
	return query.Select2(Artists.Name, sales).
		Join(AlbumArtist).Join(TrackAlbum).Join(LineTrack).
		GroupBy(Artists.ID, Artists.Name).
		OrderBy(sales.Desc(), Artists.Name.Asc()).
		Limit(n).
		All(ctx, ex)
}

// reportsTree returns the employee of that name with the people who
// report to them loaded three levels deep: a self-referential one-to-many
// loaded with one statement per level, each report's Manager set too.
func reportsTree(ctx context.Context, ex dialect.Executor, first, last string) (*Employee, error) {
	reports := EmployeeReports.OrderBy(Employees.ID.Asc())
	return repo.New(ex, Employees.Table).
		Where(Employees.FirstName.Eq(first), Employees.LastName.Eq(last)).
		Load(reports.Then(reports.Then(reports))).
		One(ctx)
}

// playlistTracks returns the playlist of that name with its tracks in
// name order (many-to-many through chinook_playlist_track), and each
// track's album and artist (two many-to-one levels).
func playlistTracks(ctx context.Context, ex dialect.Executor, name string) (*Playlist, error) {
	return repo.New(ex, Playlists.Table).
		Where(Playlists.Name.Eq(name)).
		Load(PlaylistTracks.OrderBy(Tracks.Name.Asc(), Tracks.ID.Asc()).
			Then(TrackAlbum.Then(AlbumArtist))).
		One(ctx)
}

// artistAlbums returns the artist of that name with their albums by
// title, each with its tracks in album order: nested one-to-many loads.
func artistAlbums(ctx context.Context, ex dialect.Executor, name string) (*Artist, error) {
	return repo.New(ex, Artists.Table).
		Where(Artists.Name.Eq(name)).
		Load(ArtistAlbums.OrderBy(Albums.Title.Asc()).
			Then(AlbumTracks.OrderBy(Tracks.ID.Asc()))).
		One(ctx)
}

// supportReps returns the employees who support at least one customer
// (an EXISTS through the relation), each with their customers by name.
func supportReps(ctx context.Context, ex dialect.Executor) ([]*Employee, error) {
	return repo.New(ex, Employees.Table).
		Where(RepCustomers.Any()).
		OrderBy(Employees.ID.Asc()).
		Load(RepCustomers.OrderBy(Customers.LastName.Asc(), Customers.FirstName.Asc())).
		All(ctx)
}

// customersIn returns the customers of a country by name, each with their
// support representative (a nullable many-to-one).
func customersIn(ctx context.Context, ex dialect.Executor, country string) ([]*Customer, error) {
	return repo.New(ex, Customers.Table).
		Where(Customers.Country.Eq(&country)).
		OrderBy(Customers.LastName.Asc(), Customers.FirstName.Asc()).
		Load(CustomerRep).
		All(ctx)
}

// topGenres returns the n genres with the most tracks, with their counts:
// a join through the relation, GROUP BY and COUNT(*).
func topGenres(ctx context.Context, ex dialect.Executor, n int64) ([]query.Row2[string, int64], error) {
	tracks := query.Count()
	return query.Select2(Genres.Name, tracks).
		Join(TrackGenre).
		GroupBy(Genres.ID, Genres.Name).
		OrderBy(tracks.Desc(), Genres.Name.Asc()).
		Limit(n).
		All(ctx, ex)
}

// invoiceYear is the year of an invoice's date, in UTC.
var invoiceYear = query.Year(Invoices.InvoiceDate)

// salesPerYear returns the invoice totals per year: GROUP BY a date part.
func salesPerYear(ctx context.Context, ex dialect.Executor) ([]query.Row2[int64, Money], error) {
	return query.Select2(invoiceYear, query.Sum(Invoices.Total)).
		GroupBy(invoiceYear).
		OrderBy(invoiceYear.Asc()).
		All(ctx, ex)
}

// countryYears returns the countries and years whose invoices came to more
// than least, largest first: GROUP BY two expressions, with HAVING.
func countryYears(ctx context.Context, ex dialect.Executor, least Money) ([]query.Row3[string, int64, Money], error) {
	country := query.Deref(Invoices.BillingCountry) // every invoice has one
	sales := query.Sum(Invoices.Total)
	return query.Select3(country, invoiceYear, sales).
		GroupBy(country, invoiceYear).
		Having(sales.Gt(least)).
		OrderBy(sales.Desc(), country.Asc(), invoiceYear.Asc()).
		All(ctx, ex)
}

// manager names the employees table read a second time, as the managers
// of the employees of the first: the alias's conditions are Cond[manager].
type manager struct{}

// managers is chinook_employee under the name "manager", for self-joins.
var managers = query.As[manager](Employees.Table, "manager")

// fullName is an employee's first and last names, "Andrew Adams".
var fullName = query.Concat(Employees.FirstName, query.Val(" "), Employees.LastName)

// directReports returns the employees who report to the top manager, the
// one who reports to nobody, with that manager's name, by last and first
// name: one statement joining chinook_employee with itself through the
// alias, not the relation loader.
func directReports(ctx context.Context, ex dialect.Executor) ([]query.Row2[string, string], error) {
	mgrName := query.Concat(query.ColOf(managers, Employees.FirstName), query.Val(" "),
		query.ColOf(managers, Employees.LastName))
	return query.Select2(fullName, mgrName).
		From(Employees.Table).
		JoinOn(managers, Employees.ReportsTo.EqCol(query.Ptr(query.ColOf(managers, Employees.ID)))).
		Where(query.ColOf(managers, Employees.ReportsTo).IsNull()).
		OrderBy(Employees.LastName.Asc(), Employees.FirstName.Asc(), Employees.ID.Asc()).
		All(ctx, ex)
}

// customerRow is a line of the customer report: who the customer is,
// who looks after them, and what they bought.
type customerRow struct {
	Name     string
	Country  *string
	Rep      sql.Null[string] // the support representative, NULL for none
	Invoices int64
	Spent    Money
	First    time.Time // the first invoice's date
	Last     time.Time // the last invoice's date
}

// customerReport returns a report row of seven typed fields per customer
// who has bought anything, biggest spenders first: the customer joined
// with their invoices by a written condition and, by the relation, with
// their support representative (a LEFT JOIN, as a customer may have
// none), grouped per customer and selected into customerRow.
func customerReport(ctx context.Context, ex dialect.Executor) ([]customerRow, error) {
	spent := query.Sum(Invoices.Total)
	name := query.Concat(Customers.FirstName, query.Val(" "), Customers.LastName)
	return query.SelectInto(func(r *customerRow, s *query.Fields[customerRow]) {
		query.Field(s, &r.Name, name)
		query.Field(s, &r.Country, Customers.Country)
		query.Field(s, &r.Rep, query.Nullable(fullName))
		query.Field(s, &r.Invoices, query.Count())
		query.Field(s, &r.Spent, spent)
		query.Field(s, &r.First, query.NullValue(query.Min(Invoices.InvoiceDate)))
		query.Field(s, &r.Last, query.NullValue(query.Max(Invoices.InvoiceDate)))
	}).
		From(Customers.Table).
		JoinOn(Invoices.Table, Invoices.CustomerID.EqCol(Customers.ID)).
		LeftJoin(CustomerRep).
		GroupBy(Customers.ID, Customers.FirstName, Customers.LastName, Customers.Country,
			Employees.FirstName, Employees.LastName).
		OrderBy(spent.Desc(), Customers.LastName.Asc(), Customers.FirstName.Asc(), Customers.ID.Asc()).
		All(ctx, ex)
}

// bigAlbums returns how many albums have more than least tracks, in one
// statement: the count of the rows of a grouped projection.
func bigAlbums(ctx context.Context, ex dialect.Executor, least int64) (int64, error) {
	return query.CountRows(query.Select1(Tracks.AlbumID).
		Where(Tracks.AlbumID.IsNotNull()).
		GroupBy(Tracks.AlbumID).
		Having(query.Count().Gt(least))).
		One(ctx, ex)
}

// genreTrack is a track among the best sellers of its genre: its place
// (1 for the best), its name and its sales.
type genreTrack struct {
	Genre string
	Place int64
	Track string
	Sales Money
}

// topTracksByGenre returns the n best-selling tracks of each genre, by
// genre name then place; tracks selling as much are placed by name, then
// key. Each track's sales are ranked within its genre by a window
// function in a grouped query, which the outer query reads as a table and
// keeps the first n places of.
func topTracksByGenre(ctx context.Context, ex dialect.Executor, n int64) ([]genreTrack, error) {
	sales := query.Sum(lineTotal)
	byGenre := query.PartitionBy(Genres.ID).OrderBy(sales.Desc(), Tracks.Name.Asc(), Tracks.ID.Asc())
	ranked := query.Derived(query.SelectInto(func(r *genreTrack, s *query.Fields[genreTrack]) {
		query.Field(s, &r.Genre, Genres.Name)
		query.Field(s, &r.Place, query.RowNumber().Over(byGenre))
		query.Field(s, &r.Track, Tracks.Name)
		query.Field(s, &r.Sales, sales)
	}).From(InvoiceLines.Table).Join(LineTrack).Join(TrackGenre).
		GroupBy(Genres.ID, Genres.Name, Tracks.ID, Tracks.Name), "ranked")

	genre := query.SubCol(ranked, func(r *genreTrack) *string { return &r.Genre })
	place := query.SubCol(ranked, func(r *genreTrack) *int64 { return &r.Place })
	return query.SelectInto(func(r *genreTrack, s *query.Fields[genreTrack]) {
		query.Field(s, &r.Genre, genre)
		query.Field(s, &r.Place, place)
		query.Field(s, &r.Track, query.SubCol(ranked, func(r *genreTrack) *string { return &r.Track }))
		query.Field(s, &r.Sales, query.SubCol(ranked, func(r *genreTrack) *Money { return &r.Sales }))
	}).Where(place.Le(n)).
		OrderBy(genre.Asc(), place.Asc()).
		All(ctx, ex)
}

// orgNode is an employee in an org chart: their key and name, their
// manager's key (NULL for the one who reports to nobody) and how many
// levels below the chart's root they are.
type orgNode struct {
	ID        int64
	Name      string
	ReportsTo *int64
	Depth     int64
}

// chartLink is a step of the org chart's recursive walk: an employee and
// their depth below the root.
type chartLink struct {
	ID    int64
	Depth int64
}

// orgChart returns the employee of that name and everyone under them, at
// any depth, by depth then last and first name: a recursive common table
// expression walks down the reports_to links from the root.
func orgChart(ctx context.Context, ex dialect.Executor, first, last string) ([]orgNode, error) {
	tree := query.Recursive("tree",
		query.SelectInto(func(r *chartLink, s *query.Fields[chartLink]) {
			query.Field(s, &r.ID, Employees.ID)
			query.Field(s, &r.Depth, query.Val[int64](0))
		}).Where(Employees.FirstName.Eq(first), Employees.LastName.Eq(last)),
		func(self *query.Sub[chartLink]) *query.Projection[chartLink] {
			above := query.SubCol(self, func(r *chartLink) *int64 { return &r.ID })
			depth := query.SubCol(self, func(r *chartLink) *int64 { return &r.Depth })
			return query.SelectInto(func(r *chartLink, s *query.Fields[chartLink]) {
				query.Field(s, &r.ID, Employees.ID)
				query.Field(s, &r.Depth, query.Plus(depth, query.Val[int64](1)))
			}).From(Employees.Table).JoinOn(self, Employees.ReportsTo.EqCol(query.Ptr(above)))
		})
	id := query.SubCol(tree, func(r *chartLink) *int64 { return &r.ID })
	depth := query.SubCol(tree, func(r *chartLink) *int64 { return &r.Depth })
	return query.SelectInto(func(r *orgNode, s *query.Fields[orgNode]) {
		query.Field(s, &r.ID, Employees.ID)
		query.Field(s, &r.Name, fullName)
		query.Field(s, &r.ReportsTo, Employees.ReportsTo.Column)
		query.Field(s, &r.Depth, depth)
	}).From(tree).JoinOn(Employees.Table, Employees.ID.EqCol(id)).
		OrderBy(depth.Asc(), Employees.LastName.Asc(), Employees.FirstName.Asc(), Employees.ID.Asc()).
		All(ctx, ex)
}
