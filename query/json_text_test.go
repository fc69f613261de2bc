package query_test

import (
	"context"
	"errors"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

type jsonTextDoc struct {
	Title string
}

type jsonTextRow struct {
	ID  int64
	Doc jsonTextDoc
}

type jsonTextTable struct {
	*mapped.Table[jsonTextRow]
	ID  mapped.Column[jsonTextRow, int64]
	Doc mapped.Column[jsonTextRow, jsonTextDoc]
}

var jsonTextRows = mapped.Define("json_text", func(t *mapped.Table[jsonTextRow], r *jsonTextRow) jsonTextTable {
	return jsonTextTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, &r.ID),
		Doc:   mapped.JSON(t, &r.Doc),
	}
})

// A string holding invalid UTF-8 inside a JSON column must either come
// back byte for byte or be refused with dialect.ErrInvalidText (as a text
// column refuses it on PostgreSQL). encoding/json replaces each invalid
// byte with U+FFFD, so JSONCodec.Bind stores another string than the one
// given, silently, on both dialects.
func TestJSONInvalidUTF8(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		if err := mapped.CreateAll(ctx, db, jsonTextRows.Table); err != nil {
			t.Fatal(err)
		}
		r := repo.New(db, jsonTextRows.Table)
		const title = "caf\xe9" // Latin-1 é: not UTF-8
		row := &jsonTextRow{Doc: jsonTextDoc{Title: title}}
		err := r.Insert(ctx, row)
		if err != nil {
			if !errors.Is(err, dialect.ErrInvalidText) {
				t.Fatalf("Insert: got %v; want nil or dialect.ErrInvalidText", err)
			}
			return
		}
		got, err := r.Get(ctx, row.ID)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if got.Doc.Title != title {
			t.Errorf("JSON string stored without error reads back as %q; want %q (or the insert refused with ErrInvalidText)",
				got.Doc.Title, title)
		}
	})
}
