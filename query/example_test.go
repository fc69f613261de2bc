package query_test

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/genrepo/genrepo/dialect/connect"
	"github.com/genrepo/genrepo/dialect/postgres"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

type exSong struct {
	ID     int64
	Title  string
	Band   string
	Rating int32
}

type exSongTable struct {
	*mapped.Table[exSong]
	ID     mapped.Column[exSong, int64]
	Title  mapped.TextColumn[exSong, string]
	Band   mapped.TextColumn[exSong, string]
	Rating mapped.Column[exSong, int32]
}

var exSongs = mapped.Define("song", func(t *mapped.Table[exSong], s *exSong) exSongTable {
	return exSongTable{Table: t,
		ID:     mapped.PrimaryKey(t, &s.ID),
		Title:  mapped.Text(t, &s.Title),
		Band:   mapped.Text(t, &s.Band),
		Rating: mapped.Col(t, &s.Rating),
	}
})

// ExampleRender shows one statement written for each dialect: Contains is
// LIKE on PostgreSQL and a comparison of bytes on SQLite, whose LIKE stops
// at a NUL byte; the LIMIT is a literal on PostgreSQL, so that the server
// reuses its plan, and bound on SQLite.
func ExampleRender() {
	q := query.Select1(exSongs.Title).
		Where(query.Or(exSongs.Rating.Ge(4), exSongs.Title.Contains("50%"))).
		OrderBy(exSongs.Title.Asc()).
		Limit(5)
	pg, args, _ := query.Render(postgres.Dialect(), q)
	fmt.Println(pg)
	fmt.Println(args)
	lite, args, _ := query.Render(sqlite.Dialect(), q)
	fmt.Println(lite)
	fmt.Println(args)
	// Output:
	// SELECT "title" FROM "song" WHERE "rating" >= $1 OR "title" LIKE $2 ESCAPE '\' ORDER BY "title" LIMIT 5
	// [4 %50\%%]
	// SELECT "title" FROM "song" WHERE "rating" >= ? OR instr(CAST("title" AS BLOB), CAST(? AS BLOB)) > 0 ORDER BY "title" LIMIT ?
	// [4 50% 5]
}

// ExampleSelect2 groups rows and reads typed pairs back.
func ExampleSelect2() {
	ctx := context.Background()
	db, _ := connect.Open(ctx, "sqlite::memory:")
	defer db.Close()
	_ = mapped.CreateAll(ctx, db, exSongs.Table)
	_ = repo.New(db, exSongs.Table).InsertMany(ctx, []*exSong{
		{Title: "Wait", Band: "M83", Rating: 5},
		{Title: "Midnight City", Band: "M83", Rating: 4},
		{Title: "Innuendo", Band: "Queen", Rating: 5},
	})

	rows, err := query.Select2(exSongs.Band, query.Count()).
		GroupBy(exSongs.Band).
		Having(query.Count().Gt(1)).
		All(ctx, db)
	fmt.Println(rows, err)

	best, err := query.Select1(query.Max(exSongs.Rating)).One(ctx, db)
	fmt.Println(best.V, best.Valid, err)
	// Output:
	// [{M83 2}] <nil>
	// 5 true <nil>
}

// ExampleInQuery filters with a subquery.
func ExampleInQuery() {
	top := query.Select1(exSongs.ID).Where(exSongs.Rating.Eq(5))
	cond := exSongs.ID.InQuery(top)
	fmt.Println(query.Debug(query.Select1(exSongs.Title).Where(cond)))
	// Output:
	// SELECT "title" FROM "song" WHERE "id" IN (SELECT "id" FROM "song" WHERE "rating" = $1)
}

// ExamplePlus computes with columns: a rating out of 10 per band, its
// average, and an UPDATE that raises every rating by one.
func ExamplePlus() {
	ctx := context.Background()
	db, _ := connect.Open(ctx, "sqlite::memory:")
	defer db.Close()
	_ = mapped.CreateAll(ctx, db, exSongs.Table)
	songs := repo.New(db, exSongs.Table)
	_ = songs.InsertMany(ctx, []*exSong{
		{Title: "Wait", Band: "M83", Rating: 4},
		{Title: "Midnight City", Band: "M83", Rating: 3},
		{Title: "Innuendo", Band: "Queen", Rating: 5},
	})

	n, err := songs.UpdateWhere(ctx, exSongs.Rating.Lt(5),
		exSongs.Rating.SetExpr(query.Plus(exSongs.Rating, query.Val[int32](1))))
	fmt.Println(n, err)

	outOf10 := query.Times(exSongs.Rating, query.Val[int32](2))
	band := exSongs.Band.Upper()
	rows, err := query.Select2(band, query.Sum(outOf10)).
		GroupBy(band).
		OrderBy(band.Asc()).
		All(ctx, db)
	fmt.Println(rows, err)
	// Output:
	// 2 <nil>
	// [{M83 18} {QUEEN 10}] <nil>
}

// ExampleSelectInto reads a report into a struct of the program's own:
// each field is bound to one expression, its type checked by the compiler.
func ExampleSelectInto() {
	ctx := context.Background()
	db, _ := connect.Open(ctx, "sqlite::memory:")
	defer db.Close()
	_ = mapped.CreateAll(ctx, db, exSongs.Table)
	_ = repo.New(db, exSongs.Table).InsertMany(ctx, []*exSong{
		{Title: "Wait", Band: "M83", Rating: 5},
		{Title: "Midnight City", Band: "M83", Rating: 4},
		{Title: "Innuendo", Band: "Queen", Rating: 5},
	})

	type bandReport struct {
		Band   string
		Songs  int64
		Best   sql.Null[int32]
		Worst  sql.Null[int32]
		Rating sql.Null[float64]
	}
	report := query.SelectInto(func(r *bandReport, s *query.Fields[bandReport]) {
		query.Field(s, &r.Band, exSongs.Band)
		query.Field(s, &r.Songs, query.Count())
		query.Field(s, &r.Best, query.Max(exSongs.Rating))
		query.Field(s, &r.Worst, query.Min(exSongs.Rating))
		query.Field(s, &r.Rating, query.Avg(exSongs.Rating))
	}).GroupBy(exSongs.Band).OrderBy(exSongs.Band.Asc())

	rows, err := report.All(ctx, db)
	for _, r := range rows {
		fmt.Println(r.Band, r.Songs, r.Best.V, r.Worst.V, r.Rating.V)
	}
	fmt.Println(err)
	// Output:
	// M83 2 5 4 4.5
	// Queen 1 5 5 5
	// <nil>
}

// ExampleAs reads one table twice, through an alias: each song beside the
// better-rated songs of its band. The alias's conditions are on its own
// row type (Cond[betterSong]), so they cannot be handed to a query of
// songs by mistake.
func ExampleAs() {
	type betterSong struct{}
	better := query.As[betterSong](exSongs.Table, "better")
	q := query.Select2(exSongs.Title, query.ColOf(better, exSongs.Title)).
		JoinOn(better, query.ColOf(better, exSongs.Band).EqCol(exSongs.Band).
			And(query.ColOf(better, exSongs.Rating).GtCol(exSongs.Rating))).
		OrderBy(exSongs.Title.Asc(), query.ColOf(better, exSongs.Title).Asc())
	fmt.Println(q)
	// Output:
	// SELECT "song"."title", "better"."title" FROM "song" JOIN "song" AS "better" ON "better"."band" = "song"."band" AND "better"."rating" > "song"."rating" ORDER BY "song"."title", "better"."title"
}

// ExampleDerived reads a grouped projection as a table: the bands whose
// songs average a rating of at least 4.5, and, with CountRows, how many
// bands have more than one song, each in one statement.
func ExampleDerived() {
	ctx := context.Background()
	db, _ := connect.Open(ctx, "sqlite::memory:")
	defer db.Close()
	_ = mapped.CreateAll(ctx, db, exSongs.Table)
	_ = repo.New(db, exSongs.Table).InsertMany(ctx, []*exSong{
		{Title: "Wait", Band: "M83", Rating: 5},
		{Title: "Midnight City", Band: "M83", Rating: 4},
		{Title: "Innuendo", Band: "Queen", Rating: 5},
	})

	type bandRating struct {
		Band  string
		Songs int64
		Best  sql.Null[int32]
	}
	bands := query.Derived(query.SelectInto(func(r *bandRating, s *query.Fields[bandRating]) {
		query.Field(s, &r.Band, exSongs.Band)
		query.Field(s, &r.Songs, query.Count())
		query.Field(s, &r.Best, query.Max(exSongs.Rating))
	}).GroupBy(exSongs.Band), "bands")
	band := query.SubCol(bands, func(r *bandRating) *string { return &r.Band })
	songs := query.SubCol(bands, func(r *bandRating) *int64 { return &r.Songs })

	q := query.Select1(band).Where(songs.Eq(1)).OrderBy(band.Asc())
	fmt.Println(q)
	names, err := q.All(ctx, db)
	fmt.Println(names, err)

	n, err := query.CountRows(query.Select1(exSongs.Band).GroupBy(exSongs.Band).Having(query.Count().Gt(1))).One(ctx, db)
	fmt.Println(n, err)
	// Output:
	// SELECT "c1" FROM (SELECT "band" AS "c1", COUNT(*) AS "c2", MAX("rating") AS "c3" FROM "song" GROUP BY "band") AS "bands" WHERE "c2" = $1 ORDER BY "c1"
	// [Queen] <nil>
	// 1 <nil>
}
