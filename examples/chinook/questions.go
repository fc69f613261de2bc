package main

import (
	"context"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// The questions, each one function returning typed answers; run prints
// them and the test asks each again in hand-written SQL.

// lineTotal is an invoice line's unit_price * quantity. genrepo's typed
// expressions have no arithmetic, so this one piece is raw SQL, naming the
// mapped columns qualified by their table. On SQLite, whose NUMERIC holds
// floats, the product and its sum are computed in floating point; Money
// reads the sum back as exact cents (see Money.Scan).
var lineTotal = query.RawValue[Money](qualified(InvoiceLines.UnitPrice) + " * " + qualified(InvoiceLines.Quantity))

// qualified writes a column as "table"."column", for raw SQL.
func qualified(c query.Column) string {
	return dialect.Quote(c.Source().TableName()) + "." + dialect.Quote(c.ColumnName())
}

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
