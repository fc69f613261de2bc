package query_test

import (
	"context"
	"fmt"

	"github.com/genrepo/genrepo/dialect/connect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// ExampleRanking_Over ranks each band's songs by rating and sets each
// rating beside its band's total, with window functions: one value per
// row, typed like any other selected expression.
func ExampleRanking_Over() {
	ctx := context.Background()
	db, _ := connect.Open(ctx, "sqlite::memory:")
	defer db.Close()
	_ = mapped.CreateAll(ctx, db, exSongs.Table)
	_ = repo.New(db, exSongs.Table).InsertMany(ctx, []*exSong{
		{Title: "Wait", Band: "M83", Rating: 4},
		{Title: "Midnight City", Band: "M83", Rating: 5},
		{Title: "Outro", Band: "M83", Rating: 4},
		{Title: "Innuendo", Band: "Queen", Rating: 5},
	})

	byBand := query.PartitionBy(exSongs.Band).OrderBy(exSongs.Rating.Desc(), exSongs.Title.Asc())
	type ranked struct {
		Band      string
		Title     string
		Place     int64 // 1, 2, 3… within the band
		Rank      int64 // equal ratings share a rank
		BandTotal int32
	}
	q := query.SelectInto(func(r *ranked, s *query.Fields[ranked]) {
		query.Field(s, &r.Band, exSongs.Band)
		query.Field(s, &r.Title, exSongs.Title)
		query.Field(s, &r.Place, query.RowNumber().Over(byBand))
		query.Field(s, &r.Rank, query.Rank().Over(query.PartitionBy(exSongs.Band).OrderBy(exSongs.Rating.Desc())))
		query.Field(s, &r.BandTotal, query.Sum(exSongs.Rating).Over(query.PartitionBy(exSongs.Band)))
	}).OrderBy(exSongs.Band.Asc(), query.RowNumber().Over(byBand).Asc())

	rows, err := q.All(ctx, db)
	for _, r := range rows {
		fmt.Println(r.Band, r.Place, r.Rank, r.Title, r.BandTotal)
	}
	fmt.Println(err)
	// Output:
	// M83 1 1 Midnight City 13
	// M83 2 2 Outro 13
	// M83 3 2 Wait 13
	// Queen 1 1 Innuendo 5
	// <nil>
}
