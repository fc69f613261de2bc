package main

import (
	"time"

	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/relation"
)

// The Chinook tables, mapped from plain structs. Table names carry a
// "chinook_" prefix so that they never meet another example's tables in a
// shared database; column names are those of Chinook's PostgreSQL script.
// Columns are nullable where Chinook's schema says so, except the names of
// artists, genres, media types and playlists, which every row has.
//
// Slice and pointer fields that no column maps (Artist.Albums, Track.Album)
// hold related rows, filled by the relations declared at the end of the
// file. Each table's struct keeps the columns the questions use; the other
// columns are declared all the same, so that they are created, loaded and
// read, without a name of their own.

// Artist is a performer; Albums is filled by ArtistAlbums.
type Artist struct {
	ID     int64
	Name   string
	Albums []*Album
}

// Album belongs to an artist and holds tracks.
type Album struct {
	ID       int64
	Title    string
	ArtistID int64
	Artist   *Artist
	Tracks   []*Track
}

// Genre is a track's style of music.
type Genre struct {
	ID   int64
	Name string
}

// MediaType is a track's file format.
type MediaType struct {
	ID   int64
	Name string
}

// Track is a song or video for sale, at UnitPrice.
type Track struct {
	ID           int64
	Name         string
	AlbumID      *int64
	MediaTypeID  int64
	GenreID      *int64
	Composer     *string
	Milliseconds int32
	Bytes        *int64
	UnitPrice    Money
	Album        *Album
	Genre        *Genre
}

// Playlist is a named list of tracks, related through PlaylistTrack.
type Playlist struct {
	ID     int64
	Name   string
	Tracks []*Track
}

// PlaylistTrack is a row of the association table between playlists and
// tracks, keyed by the pair.
type PlaylistTrack struct {
	PlaylistID int64
	TrackID    int64
}

// Employee works for the store; ReportsTo is their manager's key, NULL
// for the general manager.
type Employee struct {
	ID         int64
	LastName   string
	FirstName  string
	Title      *string
	ReportsTo  *int64
	BirthDate  *time.Time
	HireDate   *time.Time
	Address    *string
	City       *string
	State      *string
	Country    *string
	PostalCode *string
	Phone      *string
	Fax        *string
	Email      *string
	Manager    *Employee
	Reports    []*Employee
	Customers  []*Customer
}

// Customer buys tracks, looked after by an employee (SupportRepID).
type Customer struct {
	ID           int64
	FirstName    string
	LastName     string
	Company      *string
	Address      *string
	City         *string
	State        *string
	Country      *string
	PostalCode   *string
	Phone        *string
	Fax          *string
	Email        string
	SupportRepID *int64
	SupportRep   *Employee
}

// Invoice is one purchase of a customer.
type Invoice struct {
	ID                int64
	CustomerID        int64
	InvoiceDate       time.Time
	BillingAddress    *string
	BillingCity       *string
	BillingState      *string
	BillingCountry    *string
	BillingPostalCode *string
	Total             Money
}

// InvoiceLine is one track bought on an invoice.
type InvoiceLine struct {
	ID        int64
	InvoiceID int64
	TrackID   int64
	UnitPrice Money
	Quantity  int32
	Track     *Track
}

// ArtistTable holds the typed columns of the chinook_artist table.
type ArtistTable struct {
	*mapped.Table[Artist]
	ID   mapped.Column[Artist, int64]
	Name mapped.TextColumn[Artist, string]
}

var Artists = mapped.Define("chinook_artist", func(t *mapped.Table[Artist], a *Artist) ArtistTable {
	return ArtistTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, &a.ID, mapped.Name("artist_id")),
		Name:  mapped.Text(t, &a.Name, mapped.Size(120)),
	}
})

// AlbumTable holds the typed columns of the chinook_album table.
type AlbumTable struct {
	*mapped.Table[Album]
	ID       mapped.Column[Album, int64]
	Title    mapped.TextColumn[Album, string]
	ArtistID mapped.Column[Album, int64]
}

var Albums = mapped.Define("chinook_album", func(t *mapped.Table[Album], a *Album) AlbumTable {
	return AlbumTable{
		Table:    t,
		ID:       mapped.PrimaryKey(t, &a.ID, mapped.Name("album_id")),
		Title:    mapped.Text(t, &a.Title, mapped.Size(160)),
		ArtistID: mapped.ForeignKey(t, &a.ArtistID, Artists.ID, mapped.Index()),
	}
})

// GenreTable holds the typed columns of the chinook_genre table.
type GenreTable struct {
	*mapped.Table[Genre]
	ID   mapped.Column[Genre, int64]
	Name mapped.TextColumn[Genre, string]
}

var Genres = mapped.Define("chinook_genre", func(t *mapped.Table[Genre], g *Genre) GenreTable {
	return GenreTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, &g.ID, mapped.Name("genre_id")),
		Name:  mapped.Text(t, &g.Name, mapped.Size(120)),
	}
})

// MediaTypeTable holds the typed columns of the chinook_media_type table.
type MediaTypeTable struct {
	*mapped.Table[MediaType]
	ID   mapped.Column[MediaType, int64]
	Name mapped.TextColumn[MediaType, string]
}

var MediaTypes = mapped.Define("chinook_media_type", func(t *mapped.Table[MediaType], m *MediaType) MediaTypeTable {
	return MediaTypeTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, &m.ID, mapped.Name("media_type_id")),
		Name:  mapped.Text(t, &m.Name, mapped.Size(120)),
	}
})

// TrackTable holds the typed columns of the chinook_track table.
type TrackTable struct {
	*mapped.Table[Track]
	ID           mapped.Column[Track, int64]
	Name         mapped.TextColumn[Track, string]
	AlbumID      mapped.NullableColumn[Track, int64]
	MediaTypeID  mapped.Column[Track, int64]
	GenreID      mapped.NullableColumn[Track, int64]
	Composer     mapped.TextColumn[Track, *string]
	Milliseconds mapped.Column[Track, int32]
	Bytes        mapped.Column[Track, *int64]
	UnitPrice    mapped.Column[Track, Money]
}

var Tracks = mapped.Define("chinook_track", func(t *mapped.Table[Track], tr *Track) TrackTable {
	return TrackTable{
		Table:        t,
		ID:           mapped.PrimaryKey(t, &tr.ID, mapped.Name("track_id")),
		Name:         mapped.Text(t, &tr.Name, mapped.Size(200)),
		AlbumID:      mapped.NullableForeignKey(t, &tr.AlbumID, Albums.ID, mapped.Index()),
		MediaTypeID:  mapped.ForeignKey(t, &tr.MediaTypeID, MediaTypes.ID, mapped.Index()),
		GenreID:      mapped.NullableForeignKey(t, &tr.GenreID, Genres.ID, mapped.Index()),
		Composer:     mapped.Text(t, &tr.Composer, mapped.Size(220)),
		Milliseconds: mapped.Col(t, &tr.Milliseconds),
		Bytes:        mapped.Col(t, &tr.Bytes),
		UnitPrice:    mapped.Col(t, &tr.UnitPrice, mapped.Type(mapped.Numeric(10, 2))),
	}
})

// PlaylistTable holds the typed columns of the chinook_playlist table.
type PlaylistTable struct {
	*mapped.Table[Playlist]
	ID   mapped.Column[Playlist, int64]
	Name mapped.TextColumn[Playlist, string]
}

var Playlists = mapped.Define("chinook_playlist", func(t *mapped.Table[Playlist], p *Playlist) PlaylistTable {
	return PlaylistTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, &p.ID, mapped.Name("playlist_id")),
		Name:  mapped.Text(t, &p.Name, mapped.Size(120)),
	}
})

// PlaylistTrackTable holds the typed columns of the chinook_playlist_track table.
type PlaylistTrackTable struct {
	*mapped.Table[PlaylistTrack]
	PlaylistID mapped.Column[PlaylistTrack, int64]
	TrackID    mapped.Column[PlaylistTrack, int64]
}

// PlaylistEntries is the association table of playlists and tracks, one
// row per track in a playlist, keyed by the pair of foreign keys; track_id
// gets an index of its own, as the second column of the key.
var PlaylistEntries = mapped.Define("chinook_playlist_track", func(t *mapped.Table[PlaylistTrack], pt *PlaylistTrack) PlaylistTrackTable {
	return PlaylistTrackTable{
		Table:      t,
		PlaylistID: mapped.ForeignKey(t, &pt.PlaylistID, Playlists.ID, mapped.InPrimaryKey()),
		TrackID:    mapped.ForeignKey(t, &pt.TrackID, Tracks.ID, mapped.InPrimaryKey(), mapped.Index()),
	}
})

// EmployeeTable holds the typed columns of the chinook_employee table.
type EmployeeTable struct {
	*mapped.Table[Employee]
	ID        mapped.Column[Employee, int64]
	LastName  mapped.TextColumn[Employee, string]
	FirstName mapped.TextColumn[Employee, string]
	Title     mapped.TextColumn[Employee, *string]
	ReportsTo mapped.NullableColumn[Employee, int64]
}

var Employees = mapped.Define("chinook_employee", func(t *mapped.Table[Employee], e *Employee) EmployeeTable {
	id := mapped.PrimaryKey(t, &e.ID, mapped.Name("employee_id"))
	et := EmployeeTable{
		Table:     t,
		ID:        id,
		LastName:  mapped.Text(t, &e.LastName, mapped.Size(20)),
		FirstName: mapped.Text(t, &e.FirstName, mapped.Size(20)),
		Title:     mapped.Text(t, &e.Title, mapped.Size(30)),
		// Self-referential: a manager is another employee.
		ReportsTo: mapped.NullableForeignKey(t, &e.ReportsTo, id, mapped.Index()),
	}
	mapped.Col(t, &e.BirthDate)
	mapped.Col(t, &e.HireDate)
	mapped.Text(t, &e.Address, mapped.Size(70))
	mapped.Text(t, &e.City, mapped.Size(40))
	mapped.Text(t, &e.State, mapped.Size(40))
	mapped.Text(t, &e.Country, mapped.Size(40))
	mapped.Text(t, &e.PostalCode, mapped.Size(10))
	mapped.Text(t, &e.Phone, mapped.Size(24))
	mapped.Text(t, &e.Fax, mapped.Size(24))
	mapped.Text(t, &e.Email, mapped.Size(60))
	return et
})

// CustomerTable holds the typed columns of the chinook_customer table.
type CustomerTable struct {
	*mapped.Table[Customer]
	ID           mapped.Column[Customer, int64]
	FirstName    mapped.TextColumn[Customer, string]
	LastName     mapped.TextColumn[Customer, string]
	Country      mapped.TextColumn[Customer, *string]
	SupportRepID mapped.NullableColumn[Customer, int64]
}

var Customers = mapped.Define("chinook_customer", func(t *mapped.Table[Customer], c *Customer) CustomerTable {
	ct := CustomerTable{Table: t, ID: mapped.PrimaryKey(t, &c.ID, mapped.Name("customer_id"))}
	ct.FirstName = mapped.Text(t, &c.FirstName, mapped.Size(40))
	ct.LastName = mapped.Text(t, &c.LastName, mapped.Size(20))
	mapped.Text(t, &c.Company, mapped.Size(80))
	mapped.Text(t, &c.Address, mapped.Size(70))
	mapped.Text(t, &c.City, mapped.Size(40))
	mapped.Text(t, &c.State, mapped.Size(40))
	ct.Country = mapped.Text(t, &c.Country, mapped.Size(40))
	mapped.Text(t, &c.PostalCode, mapped.Size(10))
	mapped.Text(t, &c.Phone, mapped.Size(24))
	mapped.Text(t, &c.Fax, mapped.Size(24))
	mapped.Text(t, &c.Email, mapped.Size(60))
	ct.SupportRepID = mapped.NullableForeignKey(t, &c.SupportRepID, Employees.ID, mapped.Index())
	return ct
})

// InvoiceTable holds the typed columns of the chinook_invoice table.
type InvoiceTable struct {
	*mapped.Table[Invoice]
	ID             mapped.Column[Invoice, int64]
	CustomerID     mapped.Column[Invoice, int64]
	InvoiceDate    mapped.Column[Invoice, time.Time]
	BillingCountry mapped.TextColumn[Invoice, *string]
	Total          mapped.NumberColumn[Invoice, Money]
}

var Invoices = mapped.Define("chinook_invoice", func(t *mapped.Table[Invoice], i *Invoice) InvoiceTable {
	it := InvoiceTable{Table: t, ID: mapped.PrimaryKey(t, &i.ID, mapped.Name("invoice_id"))}
	it.CustomerID = mapped.ForeignKey(t, &i.CustomerID, Customers.ID, mapped.Index())
	it.InvoiceDate = mapped.Col(t, &i.InvoiceDate)
	mapped.Text(t, &i.BillingAddress, mapped.Size(70))
	mapped.Text(t, &i.BillingCity, mapped.Size(40))
	mapped.Text(t, &i.BillingState, mapped.Size(40))
	it.BillingCountry = mapped.Text(t, &i.BillingCountry, mapped.Size(40))
	mapped.Text(t, &i.BillingPostalCode, mapped.Size(10))
	it.Total = mapped.Number(t, &i.Total, mapped.Type(mapped.Numeric(10, 2)))
	return it
})

// InvoiceLineTable holds the typed columns of the chinook_invoice_line table.
type InvoiceLineTable struct {
	*mapped.Table[InvoiceLine]
	ID        mapped.Column[InvoiceLine, int64]
	InvoiceID mapped.Column[InvoiceLine, int64]
	TrackID   mapped.Column[InvoiceLine, int64]
	UnitPrice mapped.NumberColumn[InvoiceLine, Money]
	Quantity  mapped.NumberColumn[InvoiceLine, int32]
}

var InvoiceLines = mapped.Define("chinook_invoice_line", func(t *mapped.Table[InvoiceLine], l *InvoiceLine) InvoiceLineTable {
	return InvoiceLineTable{
		Table:     t,
		ID:        mapped.PrimaryKey(t, &l.ID, mapped.Name("invoice_line_id")),
		InvoiceID: mapped.ForeignKey(t, &l.InvoiceID, Invoices.ID, mapped.Index()),
		TrackID:   mapped.ForeignKey(t, &l.TrackID, Tracks.ID, mapped.Index()),
		UnitPrice: mapped.Number(t, &l.UnitPrice, mapped.Type(mapped.Numeric(10, 2))),
		Quantity:  mapped.Number(t, &l.Quantity),
	}
})

// allTables lists every table, in the order the data file holds them
// (referenced tables first); Model.CreateAll and Model.DropAll sort them
// anyway.
var allTables = []mapped.Schema{
	Genres.Table, MediaTypes.Table, Artists.Table, Albums.Table, Tracks.Table,
	Employees.Table, Customers.Table, Invoices.Table, InvoiceLines.Table,
	Playlists.Table, PlaylistEntries.Table,
}

// The relations the questions use. Each names the struct field it fills.
var (
	ArtistAlbums = relation.HasMany(Albums.ArtistID,
		func(a *Artist) *[]*Album { return &a.Albums }).
		Back(func(al *Album) **Artist { return &al.Artist })
	AlbumArtist = relation.BelongsTo(Albums.ArtistID,
		func(al *Album) **Artist { return &al.Artist })
	AlbumTracks = relation.HasManyNullable(Tracks.AlbumID,
		func(al *Album) *[]*Track { return &al.Tracks }).
		Back(func(t *Track) **Album { return &t.Album })
	TrackAlbum = relation.BelongsToNullable(Tracks.AlbumID,
		func(t *Track) **Album { return &t.Album })
	TrackGenre = relation.BelongsToNullable(Tracks.GenreID,
		func(t *Track) **Genre { return &t.Genre })
	LineTrack = relation.BelongsTo(InvoiceLines.TrackID,
		func(l *InvoiceLine) **Track { return &l.Track })
	// PlaylistTracks is many-to-many through chinook_playlist_track.
	PlaylistTracks = relation.ManyToManyThrough(PlaylistEntries.PlaylistID,
		PlaylistEntries.TrackID, func(p *Playlist) *[]*Track { return &p.Tracks })
	// EmployeeReports is self-referential: the employees whose reports_to
	// is this one.
	EmployeeReports = relation.HasManyNullable(Employees.ReportsTo,
		func(e *Employee) *[]*Employee { return &e.Reports }).
		Back(func(e *Employee) **Employee { return &e.Manager })
	RepCustomers = relation.HasManyNullable(Customers.SupportRepID,
		func(e *Employee) *[]*Customer { return &e.Customers }).
		Back(func(c *Customer) **Employee { return &c.SupportRep })
	CustomerRep = relation.BelongsToNullable(Customers.SupportRepID,
		func(c *Customer) **Employee { return &c.SupportRep })
)

// Model is the Chinook schema: every table, and what the relations do on
// a handle bound to it. The questions only read, so the one rule is that
// deleting a playlist or a track deletes its rows of
// chinook_playlist_track (Links).
var Model = model.MustNew(
	model.Tables(allTables...),
	model.Links(PlaylistTracks),
)
