package query_test

import (
	"context"
	"database/sql"
	"reflect"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/query"
)

// TestWindowAnswers checks window functions on both dialects against
// hand-written SQL and against the answers worked out by hand from
// exprTracks (plays 1500, 11, 2900, -7; artists 1, 1, 2, 2).
func TestWindowAnswers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		seedExprs(t, db)
		byID := Tracks.ID.Asc()
		agree(t, db, "row_number", query.Select1(query.RowNumber().Over(byArtistPlays)).OrderBy(byID),
			`SELECT ROW_NUMBER() OVER (PARTITION BY artist_id ORDER BY plays DESC, id) FROM track ORDER BY id`,
			[]int64{1, 2, 1, 2})
		agree(t, db, "rank with ties", query.Select1(query.Rank().Over(query.OrderBy(Tracks.ArtistID.Asc()))).OrderBy(byID),
			`SELECT RANK() OVER (ORDER BY artist_id) FROM track ORDER BY id`, []int64{1, 1, 3, 3})
		agree(t, db, "dense_rank with ties", query.Select1(query.DenseRank().Over(query.OrderBy(Tracks.ArtistID.Desc()))).OrderBy(byID),
			`SELECT DENSE_RANK() OVER (ORDER BY artist_id DESC) FROM track ORDER BY id`, []int64{2, 2, 1, 1})
		agree(t, db, "running sum", query.Select1(query.Sum(Tracks.Plays).Over(query.PartitionBy(Tracks.ArtistID).OrderBy(byID))).OrderBy(byID),
			`SELECT SUM(plays) OVER (PARTITION BY artist_id ORDER BY id) FROM track ORDER BY id`,
			[]int64{1500, 1511, 2900, 2893})
		agree(t, db, "sum over ()", query.Select1(query.Sum(Tracks.Plays).Over(query.Window{})).OrderBy(byID),
			`SELECT SUM(plays) OVER () FROM track ORDER BY id`, []int64{4404, 4404, 4404, 4404})
		agree(t, db, "count over a nullable partition", query.Select1(query.Count().Over(query.PartitionBy(Tracks.LabelCode))).OrderBy(byID),
			`SELECT COUNT(*) OVER (PARTITION BY label_code) FROM track ORDER BY id`, []int64{1, 2, 1, 2})
		agree(t, db, "count of a column, running", query.Select1(query.CountOf(Tracks.LabelCode).Over(query.OrderBy(byID))).OrderBy(byID),
			`SELECT COUNT(label_code) OVER (ORDER BY id) FROM track ORDER BY id`, []int64{1, 1, 2, 2})
		agree(t, db, "max over a partition", query.Select1(query.Max(Tracks.Plays).Over(query.PartitionBy(Tracks.ArtistID))).OrderBy(byID),
			`SELECT MAX(plays) OVER (PARTITION BY artist_id) FROM track ORDER BY id`,
			[]sql.Null[int64]{{V: 1500, Valid: true}, {V: 1500, Valid: true}, {V: 2900, Valid: true}, {V: 2900, Valid: true}})
		agree(t, db, "avg over a partition", query.Select1(query.Avg(Tracks.Likes).Over(query.PartitionBy(Tracks.ArtistID))).OrderBy(byID),
			`SELECT AVG(likes) OVER (PARTITION BY artist_id) FROM track ORDER BY id`,
			[]sql.Null[float64]{{V: 36.5, Valid: true}, {V: 36.5, Valid: true}, {V: 1, Valid: true}, {V: 1, Valid: true}})
		agree(t, db, "arithmetic on a window sum", query.Select1(query.Minus(query.Sum(Tracks.Plays).Over(query.Window{}), Tracks.Plays)).OrderBy(byID),
			`SELECT SUM(plays) OVER () - plays FROM track ORDER BY id`, []int64{2904, 4393, 1504, 4411})
		// Bound values in PARTITION BY and ORDER BY: buckets of plays
		// 1, 0, 2, 0; within bucket 0 track 2 (3 likes) before 4 (2).
		bucketRow := query.RowNumber().Over(query.PartitionBy(playsBucket).OrderBy(query.Times(Tracks.Likes, query.Val[int64](2)).Desc()))
		agree(t, db, "bound values in the window", query.Select1(bucketRow).OrderBy(byID),
			`SELECT ROW_NUMBER() OVER (PARTITION BY plays / 1000 ORDER BY likes * 2 DESC) FROM track ORDER BY id`,
			[]int64{1, 1, 1, 2})
		agree(t, db, "ordered by a window binding values", query.Select1(Tracks.ID).OrderBy(bucketRow.Desc(), byID),
			`SELECT id FROM track ORDER BY ROW_NUMBER() OVER (PARTITION BY plays / 1000 ORDER BY likes * 2 DESC) DESC, id`,
			[]int64{4, 1, 2, 3})
		// Selected too, it is ordered by its position.
		pairs, err := query.Select2(Tracks.ID, bucketRow).OrderBy(bucketRow.Desc(), byID).All(context.Background(), db)
		if want := []query.Row2[int64, int64]{{V1: 4, V2: 2}, {V1: 1, V2: 1}, {V1: 2, V2: 1}, {V1: 3, V2: 1}}; err != nil || !reflect.DeepEqual(pairs, want) {
			t.Errorf("ordered by a selected window binding values: got %v, %v; want %v", pairs, err, want)
		}
		agree(t, db, "rank of groups", query.Select1(query.Rank().Over(query.OrderBy(query.Sum(Tracks.Plays).Desc()))).
			GroupBy(Tracks.ArtistID).OrderBy(Tracks.ArtistID.Asc()),
			`SELECT RANK() OVER (ORDER BY SUM(plays) DESC) FROM track GROUP BY artist_id ORDER BY artist_id`, []int64{2, 1})
		// A NUMERIC running sum, exact on both (rounded to the scale on
		// SQLite, where 0.20 + 0.99 + 0.10 is a float); the hand-written
		// SQL counts cents as integers to compare.
		sums, err := query.Select1(query.Sum(Prices.Cents).Over(query.OrderBy(Prices.Qty.Asc()))).OrderBy(Prices.Qty.Asc()).All(context.Background(), db)
		byHand := sqlColumn[int64](t, db, `SELECT CAST(ROUND(SUM(cents) OVER (ORDER BY qty) * 100) AS INTEGER) FROM price ORDER BY qty`)
		if want := []Cents{20, 119, 129, 229}; err != nil || !reflect.DeepEqual(sums, want) || len(byHand) != len(want) {
			t.Errorf("numeric running sum: got %v, %v; want %v (by hand %v)", sums, err, want, byHand)
		} else {
			for i, c := range byHand {
				if Cents(c) != sums[i] {
					t.Errorf("numeric running sum: %v, hand-written SQL %v", sums, byHand)
				}
			}
		}
		checkWindowRows(t, db)
	})
}

// checkWindowRows checks windowed values read beside other columns, with
// Select2 and SelectInto.
func checkWindowRows(t *testing.T, db dialect.DB) {
	t.Helper()
	ctx := context.Background()
	got, err := query.Select2(Tracks.ID, query.RowNumber().Over(byArtistPlays)).
		OrderBy(query.RowNumber().Over(byArtistPlays).Asc(), Tracks.ID.Asc()).All(ctx, db)
	want := []query.Row2[int64, int64]{{V1: 1, V2: 1}, {V1: 3, V2: 1}, {V1: 2, V2: 2}, {V1: 4, V2: 2}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Select2 ordered by a ranking: got %v, %v; want %v", got, err, want)
	}
	rows, err := query.SelectInto(func(r *rankRow, s *query.Fields[rankRow]) {
		query.Field(s, &r.Title, Tracks.Title)
		query.Field(s, &r.Row, query.RowNumber().Over(byArtistPlays))
		query.Field(s, &r.Plays, query.Sum(Tracks.Plays).Over(query.PartitionBy(Tracks.ArtistID)))
	}).OrderBy(Tracks.ID.Asc()).All(ctx, db)
	wantRows := []rankRow{{"Bohemian", 1, 1511}, {"Live X", 2, 1511}, {" Waterloo ", 1, 2893}, {"Négatif", 2, 2893}}
	if err != nil || !reflect.DeepEqual(rows, wantRows) {
		t.Errorf("SelectInto of windowed values: got %v, %v; want %v", rows, err, wantRows)
	}
}
