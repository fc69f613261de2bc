package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

// chinookData is every row of Chinook 1.4.5 (see data/README.md): for each
// table, its column names and one JSON array per row.
//
//go:embed data/chinook.json
var chinookData []byte

// dataTable is one table of data/chinook.json.
type dataTable struct {
	Columns []string          `json:"columns"`
	Rows    []json.RawMessage `json:"rows"`
}

// loadStep decodes one table's rows and inserts them.
type loadStep func(ctx context.Context, ex dialect.Executor, data map[string]dataTable) error

// steps lists the tables in the order they are loaded, referenced tables
// first, each with the fields its data columns go to.
var steps = []loadStep{
	rowsOf(Genres.Table, genreFields),
	rowsOf(MediaTypes.Table, mediaTypeFields),
	rowsOf(Artists.Table, artistFields),
	rowsOf(Albums.Table, albumFields),
	rowsOf(Tracks.Table, trackFields),
	rowsOf(Employees.Table, employeeFields),
	rowsOf(Customers.Table, customerFields),
	rowsOf(Invoices.Table, invoiceFields),
	rowsOf(InvoiceLines.Table, invoiceLineFields),
	rowsOf(Playlists.Table, playlistFields),
	rowsOf(PlaylistEntries.Table, playlistTrackFields),
}

// The fields of each table's rows, in the order of its columns (and of
// the data's).

func genreFields(g *Genre) []any         { return []any{&g.ID, &g.Name} }
func mediaTypeFields(m *MediaType) []any { return []any{&m.ID, &m.Name} }
func artistFields(a *Artist) []any       { return []any{&a.ID, &a.Name} }
func albumFields(a *Album) []any         { return []any{&a.ID, &a.Title, &a.ArtistID} }
func playlistFields(p *Playlist) []any   { return []any{&p.ID, &p.Name} }

func playlistTrackFields(pt *PlaylistTrack) []any { return []any{&pt.PlaylistID, &pt.TrackID} }

func trackFields(t *Track) []any {
	return []any{&t.ID, &t.Name, &t.AlbumID, &t.MediaTypeID, &t.GenreID, &t.Composer,
		&t.Milliseconds, &t.Bytes, &t.UnitPrice}
}

func employeeFields(e *Employee) []any {
	return []any{&e.ID, &e.LastName, &e.FirstName, &e.Title, &e.ReportsTo, &e.BirthDate,
		&e.HireDate, &e.Address, &e.City, &e.State, &e.Country, &e.PostalCode, &e.Phone,
		&e.Fax, &e.Email}
}

func customerFields(c *Customer) []any {
	return []any{&c.ID, &c.FirstName, &c.LastName, &c.Company, &c.Address, &c.City,
		&c.State, &c.Country, &c.PostalCode, &c.Phone, &c.Fax, &c.Email, &c.SupportRepID}
}

func invoiceFields(i *Invoice) []any {
	return []any{&i.ID, &i.CustomerID, &i.InvoiceDate, &i.BillingAddress, &i.BillingCity,
		&i.BillingState, &i.BillingCountry, &i.BillingPostalCode, &i.Total}
}

func invoiceLineFields(l *InvoiceLine) []any {
	return []any{&l.ID, &l.InvoiceID, &l.TrackID, &l.UnitPrice, &l.Quantity}
}

// load inserts every Chinook row, keeping the original keys, in one
// transaction: a table at a time, with InsertMany's multi-row INSERTs.
func load(ctx context.Context, db dialect.DB) error {
	data, err := decodeData()
	if err != nil {
		return err
	}
	return dialect.InTx(ctx, db, func(tx dialect.Executor) error {
		for _, step := range steps {
			if err := step(ctx, tx, data); err != nil {
				return err
			}
		}
		return nil
	})
}

// decodeData splits the embedded data into its tables.
func decodeData() (map[string]dataTable, error) {
	var data map[string]dataTable
	if err := json.Unmarshal(chinookData, &data); err != nil {
		return nil, fmt.Errorf("chinook data: %w", err)
	}
	return data, nil
}

// rowsOf is the step loading table t: its rows decoded with fields, then
// inserted.
func rowsOf[T any](t *mapped.Table[T], fields func(*T) []any) loadStep {
	return func(ctx context.Context, ex dialect.Executor, data map[string]dataTable) error {
		rows, err := decodeTable(data, t, fields)
		if err != nil {
			return err
		}
		return repo.New(ex, t).InsertMany(ctx, rows)
	}
}

// decodeTable returns the rows of table t, found in the data under t's
// name without the "chinook_" prefix. fields returns pointers to the
// fields of a row, in the order of t's columns, which must be the data's
// columns.
func decodeTable[T any](data map[string]dataTable, t *mapped.Table[T], fields func(*T) []any) ([]*T, error) {
	name := strings.TrimPrefix(t.TableName(), "chinook_")
	d, ok := data[name]
	if !ok {
		return nil, fmt.Errorf("chinook data: no table %q", name)
	}
	var cols []string
	for _, f := range t.Fields() {
		cols = append(cols, f.Name())
	}
	if !slices.Equal(cols, d.Columns) {
		return nil, fmt.Errorf("chinook data: %s has columns %v, the mapping %v", name, d.Columns, cols)
	}
	rows := make([]*T, len(d.Rows))
	for i, raw := range d.Rows {
		rows[i] = new(T)
		if err := decodeRow(raw, fields(rows[i])); err != nil {
			return nil, fmt.Errorf("chinook data: %s row %d: %w", name, i+1, err)
		}
	}
	return rows, nil
}

// decodeRow decodes a JSON array into dest, one pointer per element. A
// JSON null is accepted only by a pointer field (a nullable column).
func decodeRow(raw json.RawMessage, dest []any) error {
	var cells []json.RawMessage
	if err := json.Unmarshal(raw, &cells); err != nil {
		return err
	}
	if len(cells) != len(dest) {
		return fmt.Errorf("%d values for %d columns", len(cells), len(dest))
	}
	for i, cell := range cells {
		if bytes.Equal(cell, []byte("null")) && reflect.TypeOf(dest[i]).Elem().Kind() != reflect.Pointer {
			return fmt.Errorf("column %d: null for a NOT NULL column", i+1)
		}
		if err := json.Unmarshal(cell, dest[i]); err != nil {
			return fmt.Errorf("column %d: %w", i+1, err)
		}
	}
	return nil
}
