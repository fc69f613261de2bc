package query_test

import (
	"context"
	"database/sql"
	"reflect"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/postgres"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// Aliases of the test tables: another track of the same artist, and the
// chart entries of two weeks.
type (
	otherTrack struct{}
	weekOne    struct{}
	weekTwo    struct{}
)

var (
	other = query.As[otherTrack](Tracks.Table, "other")
	w1    = query.As[weekOne](Charts.Table, "w1")
	w2    = query.As[weekTwo](Charts.Table, "w2")
	// sameArtist pairs a track with each later track of its artist.
	sameArtist = query.ColOf(other, Tracks.ArtistID).EqCol(Tracks.ArtistID).
			And(query.ColOf(other, Tracks.ID).GtCol(Tracks.ID))
)

// aliasCases are the statement shapes of tables read through aliases and
// joins written with JoinOn.
var aliasCases = []renderCase{
	{"alias_self_join", stmt(query.Select2(Tracks.Title, query.ColOf(other, Tracks.Title)).
		JoinOn(other, sameArtist).
		Where(query.ColOf(other, Tracks.Plays).Gt(10)).
		OrderBy(Tracks.ID.Asc(), query.ColOf(other, Tracks.ID).Asc()))},
	{"alias_self_left_join", stmt(query.Select2(Tracks.Title, query.Nullable(query.ColOf(other, Tracks.Title))).
		LeftJoinOn(other, sameArtist).
		OrderBy(Tracks.ID.Asc()))},
	{"alias_table_twice", stmt(query.Select3(Tracks.Title, query.ColOf(w1, Charts.Position), query.ColOf(w2, Charts.Position)).
		JoinOn(w1, query.ColOf(w1, Charts.TrackID).EqCol(Tracks.ID).And(query.ColOf(w1, Charts.Week).Eq(1))).
		JoinOn(w2, query.ColOf(w2, Charts.TrackID).EqCol(Tracks.ID).And(query.ColOf(w2, Charts.Week).Eq(2))).
		Where(query.ColOf(w2, Charts.Position).LtCol(query.ColOf(w1, Charts.Position))))},
	{"alias_from", stmt(query.Select1(query.ColOf(other, Tracks.Title)).
		Where(query.Lower(query.ColOf(other, Tracks.Title)).Eq(" waterloo ")))},
	{"join_on_table", stmt(query.Select2(Artists.Name, Tracks.Title).
		JoinOn(Tracks.Table, Tracks.ArtistID.EqCol(Artists.ID)).
		Where(Tracks.Plays.Gt(100)))},
}

// TestAliasErrors: an alias misused fails the statement, naming it, before
// anything is sent.
func TestAliasErrors(t *testing.T) {
	t.Parallel()
	pg := postgres.Dialect()
	cases := []struct {
		name string
		stmt query.Statement
		want string
	}{
		{"column_of_another_table", query.Select1(query.ColOf(other, Artists.Name)),
			`alias other: column artist.name is not a column of track`},
		{"alias_named_as_its_table", query.Select1(query.ColOf(query.As[otherTrack](Tracks.Table, "track"), Tracks.Title)),
			`alias "track" of track is the table's own name`},
		{"alias_without_name", query.Select1(query.ColOf(query.As[otherTrack](Tracks.Table, ""), Tracks.Title)),
			`alias of track has no name`},
		{"alias_of_nil", query.Select1(query.ColOf(query.As[otherTrack](nil, "x"), Tracks.Title)),
			`alias "x" of a nil table`},
		{"alias_not_joined", query.Select2(Tracks.Title, query.ColOf(other, Tracks.Title)),
			`reads table "other", which the statement on "track" does not join`},
		{"table_read_and_joined", query.Select1(Tracks.Title).JoinOn(Tracks.Table, Tracks.ID.Eq(1)),
			`table "track" is both the table the statement reads and joined`},
		{"table_joined_twice", query.Select1(Artists.Name).JoinOn(Tracks.Table, Tracks.ArtistID.EqCol(Artists.ID)).
			JoinOn(Tracks.Table, Tracks.ID.Eq(1)), `table "track" is joined twice in the statement on "artist"`},
		{"alias_first_then_joined", query.Select1(query.ColOf(other, Tracks.ID)).JoinOn(other, sameArtist),
			`table "other" is both the table the statement reads and joined`},
		{"on_reads_table_not_joined", query.Select1(Tracks.Title).JoinOn(other, query.ColOf(w1, Charts.Week).Eq(1)),
			`a join's ON condition reads table "w1"`},
		{"on_without_condition", query.Select1(Tracks.Title).JoinOn(other, query.Cond[otherTrack]{}),
			`has no table or no ON condition`},
		{"join_of_nil_table", query.Select1(Tracks.Title).JoinOn(nil, sameArtist),
			`has no table or no ON condition`},
	}
	for _, c := range cases {
		_, _, err := query.Render(pg, c.stmt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error with %q", c.name, err, c.want)
		}
	}
	// The alias of an alias is refused too.
	twice := query.As[weekTwo](w1, "w3")
	if _, _, err := query.Render(sqlite.Dialect(), query.Select1(query.ColOf(twice, Charts.Week))); err == nil ||
		!strings.Contains(err.Error(), "not a table") {
		t.Errorf("alias of an alias: got %v", err)
	}
}

// TestAliasAnswers checks self-joins and a table joined twice against
// hand-written SQL on every database.
func TestAliasAnswers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		seedExprs(t, db)
		if err := repo.New(db, Charts.Table).InsertMany(ctx, []*ChartEntry{
			{1, 1, 3}, {1, 2, 1}, {1, 3, 2}, {2, 1, 1}, {2, 2, 3}, {2, 3, 4}}); err != nil {
			t.Fatal(err)
		}

		pairs, err := query.Select2(Tracks.Title, query.ColOf(other, Tracks.Title)).
			JoinOn(other, sameArtist).OrderBy(Tracks.ID.Asc()).All(ctx, db)
		want := []query.Row2[string, string]{{V1: "Bohemian", V2: "Live X"}, {V1: " Waterloo ", V2: "Négatif"}}
		if err != nil || !reflect.DeepEqual(pairs, want) {
			t.Errorf("self-join: got %q, %v; want %q", pairs, err, want)
		}
		agree(t, db, "self-join", query.Select1(query.ColOf(other, Tracks.ID)).From(Tracks.Table).JoinOn(other, sameArtist).
			OrderBy(query.ColOf(other, Tracks.ID).Asc()),
			`SELECT o.id FROM track t JOIN track o ON o.artist_id = t.artist_id AND o.id > t.id ORDER BY o.id`, []int64{2, 4})

		later, err := query.Select2(Tracks.ID, query.Nullable(query.ColOf(other, Tracks.ID))).
			LeftJoinOn(other, sameArtist).OrderBy(Tracks.ID.Asc()).All(ctx, db)
		wantLater := []query.Row2[int64, sql.Null[int64]]{
			{V1: 1, V2: sql.Null[int64]{V: 2, Valid: true}}, {V1: 2}, {V1: 3, V2: sql.Null[int64]{V: 4, Valid: true}}, {V1: 4}}
		if err != nil || !reflect.DeepEqual(later, wantLater) {
			t.Errorf("left self-join: got %v, %v; want %v", later, err, wantLater)
		}

		// Tracks that climbed from week one to week two.
		agree(t, db, "table twice", query.Select1(Tracks.ID).
			JoinOn(w1, query.ColOf(w1, Charts.TrackID).EqCol(Tracks.ID).And(query.ColOf(w1, Charts.Week).Eq(1))).
			JoinOn(w2, query.ColOf(w2, Charts.TrackID).EqCol(Tracks.ID).And(query.ColOf(w2, Charts.Week).Eq(2))).
			Where(query.ColOf(w2, Charts.Position).LtCol(query.ColOf(w1, Charts.Position))).OrderBy(Tracks.ID.Asc()),
			`SELECT t.id FROM track t JOIN chart_entry a ON a.track_id = t.id AND a.week = 1
			 JOIN chart_entry b ON b.track_id = t.id AND b.week = 2 WHERE b.position < a.position ORDER BY t.id`, []int64{1})

		agree(t, db, "alias alone", query.Select1(query.ColOf(other, Tracks.ID)).
			Where(query.ColOf(other, Tracks.Plays).Gt(1000)).OrderBy(query.ColOf(other, Tracks.ID).Desc()),
			`SELECT id FROM track WHERE plays > 1000 ORDER BY id DESC`, []int64{3, 1})
	})
}
