package repo_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/golden"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

// The join scenarios: artists have albums, an album has tracks and at
// most one sleeve, and a track may belong to no album (a single).

type Artist struct {
	ID   int64
	Name string
}

type Album struct {
	ID       int64
	ArtistID int64
	Title    string
	Artist   *Artist
	Sleeve   *Sleeve
}

type Track struct {
	ID      int64
	AlbumID *int64
	Name    string
	Ms      int
	Album   *Album
}

type Sleeve struct {
	ID      int64
	AlbumID int64
	Color   string
}

type ArtistTable struct {
	*mapped.Table[Artist]
	ID   mapped.Column[Artist, int64]
	Name mapped.TextColumn[Artist, string]
}

type AlbumTable struct {
	*mapped.Table[Album]
	ID       mapped.Column[Album, int64]
	ArtistID mapped.Column[Album, int64]
	Title    mapped.TextColumn[Album, string]
}

type TrackTable struct {
	*mapped.Table[Track]
	ID      mapped.Column[Track, int64]
	AlbumID mapped.NullableColumn[Track, int64]
	Name    mapped.TextColumn[Track, string]
	Ms      mapped.Column[Track, int]
}

type SleeveTable struct {
	*mapped.Table[Sleeve]
	ID      mapped.Column[Sleeve, int64]
	AlbumID mapped.Column[Sleeve, int64]
	Color   mapped.TextColumn[Sleeve, string]
}

var (
	Artists = mapped.Define("artist", func(t *mapped.Table[Artist], a *Artist) ArtistTable {
		return ArtistTable{Table: t, ID: mapped.PrimaryKey(t, &a.ID), Name: mapped.Text(t, &a.Name)}
	})
	Albums = mapped.Define("album", func(t *mapped.Table[Album], a *Album) AlbumTable {
		return AlbumTable{Table: t, ID: mapped.PrimaryKey(t, &a.ID),
			ArtistID: mapped.ForeignKey(t, &a.ArtistID, Artists.ID), Title: mapped.Text(t, &a.Title)}
	})
	Tracks = mapped.Define("track", func(t *mapped.Table[Track], tr *Track) TrackTable {
		return TrackTable{Table: t, ID: mapped.PrimaryKey(t, &tr.ID),
			AlbumID: mapped.NullableForeignKey(t, &tr.AlbumID, Albums.ID),
			Name:    mapped.Text(t, &tr.Name), Ms: mapped.Col(t, &tr.Ms)}
	})
	Sleeves = mapped.Define("sleeve", func(t *mapped.Table[Sleeve], s *Sleeve) SleeveTable {
		return SleeveTable{Table: t, ID: mapped.PrimaryKey(t, &s.ID),
			AlbumID: mapped.ForeignKey(t, &s.AlbumID, Albums.ID, mapped.Unique()), Color: mapped.Text(t, &s.Color)}
	})
	TrackAlbum  = relation.BelongsToNullable(Tracks.AlbumID, func(t *Track) **Album { return &t.Album })
	AlbumArtist = relation.BelongsTo(Albums.ArtistID, func(a *Album) **Artist { return &a.Artist })
	AlbumSleeve = relation.HasOne(Sleeves.AlbumID, func(a *Album) **Sleeve { return &a.Sleeve })
)

// joinDB holds the join scenarios' tables and rows: Queen's albums Opera
// (Bohemian, Prophet; a red sleeve) and Jazz (Mustapha; no sleeve),
// Abba's Arrival (Dancing; a blue sleeve), and the single Lone in no
// album.
type joinDB struct {
	db     dialect.DB
	tracks *repo.Repo[Track]
	albums *repo.Repo[Album]
	queen  *Artist
}

func newJoinDB(t *testing.T, db dialect.DB) *joinDB {
	t.Helper()
	create(t, db, Artists.Table, Albums.Table, Tracks.Table, Sleeves.Table)
	artists, albums, tracks := repo.New(db, Artists.Table), repo.New(db, Albums.Table), repo.New(db, Tracks.Table)
	queen, abba := &Artist{Name: "Queen"}, &Artist{Name: "Abba"}
	insertAll(t, artists, queen, abba)
	opera, jazz := &Album{ArtistID: queen.ID, Title: "Opera"}, &Album{ArtistID: queen.ID, Title: "Jazz"}
	arrival := &Album{ArtistID: abba.ID, Title: "Arrival"}
	insertAll(t, albums, opera, jazz, arrival)
	insertAll(t, tracks, &Track{AlbumID: &opera.ID, Name: "Bohemian", Ms: 354},
		&Track{AlbumID: &opera.ID, Name: "Prophet", Ms: 500}, &Track{AlbumID: &jazz.ID, Name: "Mustapha", Ms: 180},
		&Track{AlbumID: &arrival.ID, Name: "Dancing", Ms: 230}, &Track{Name: "Lone", Ms: 100})
	insertAll(t, repo.New(db, Sleeves.Table), &Sleeve{AlbumID: opera.ID, Color: "red"}, &Sleeve{AlbumID: arrival.ID, Color: "blue"})
	return &joinDB{db: db, tracks: tracks, albums: albums, queen: queen}
}

// queenByAlbum is Queen's tracks ordered by their album's title, then by
// their own name.
func (j *joinDB) queenByAlbum() *repo.Query[Track] {
	return repo.Join(j.tracks.Where(Tracks.Ms.Gt(0)), TrackAlbum).
		Where(Albums.ArtistID.Eq(j.queen.ID)).
		OrderBy(Albums.Title.Asc()).
		Query().OrderBy(Tracks.Name.Asc())
}

func names[T any](rows []*T, name func(*T) string) string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = name(r)
	}
	return strings.Join(out, ",")
}

func trackNames(rows []*Track) string { return names(rows, func(t *Track) string { return t.Name }) }

func TestJoinAnswers(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		j := newJoinDB(t, db)
		q := j.queenByAlbum()
		all := func(q *repo.Query[Track]) string {
			t.Helper()
			rows, err := q.All(ctx)
			if err != nil {
				t.Fatalf("All: %v", err)
			}
			return trackNames(rows)
		}
		count := func(q *repo.Query[Track]) int64 {
			t.Helper()
			n, err := q.Count(ctx)
			if err != nil {
				t.Fatalf("Count: %v", err)
			}
			return n
		}
		if got, want := all(q), "Mustapha,Bohemian,Prophet"; got != want {
			t.Errorf("All = %s, want %s", got, want)
		}
		// The same answer, written by hand.
		if n := testdb.Scalar[int64](t, db, `SELECT COUNT(*) FROM track JOIN album ON album.id = track.album_id WHERE album.artist_id = 1`); count(q) != n || n != 3 {
			t.Errorf("Count = %d, hand-written SQL says %d, want 3", count(q), n)
		}
		if got, want := all(q.Limit(2).Offset(1)), "Bohemian,Prophet"; got != want {
			t.Errorf("Limit(2).Offset(1) = %s, want %s", got, want)
		}
		if n := count(q.Limit(2).Offset(2)); n != 1 {
			t.Errorf("Limit(2).Offset(2).Count = %d, want 1", n)
		}
		first, err := q.First(ctx)
		if err != nil || first.Name != "Mustapha" {
			t.Errorf("First = %v, %v; want Mustapha", first, err)
		}
		var iterated []*Track
		for row, err := range q.Iter(ctx) {
			if err != nil {
				t.Fatalf("Iter: %v", err)
			}
			iterated = append(iterated, row)
		}
		if got, want := trackNames(iterated), "Mustapha,Bohemian,Prophet"; got != want {
			t.Errorf("Iter = %s, want %s", got, want)
		}
		for _, c := range []struct {
			artist int64
			want   bool
		}{{j.queen.ID, true}, {99, false}} {
			found, err := repo.Join(j.tracks.Query(), TrackAlbum).Where(Albums.ArtistID.Eq(c.artist)).Query().Exists(ctx)
			if err != nil || found != c.want {
				t.Errorf("Exists for artist %d = %v, %v; want %v", c.artist, found, err, c.want)
			}
		}
		// Loading runs on the joined query's rows.
		loaded, err := q.Load(TrackAlbum.Then(AlbumArtist)).All(ctx)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if got, want := names(loaded, func(t *Track) string { return t.Album.Title + "/" + t.Album.Artist.Name }),
			"Jazz/Queen,Opera/Queen,Opera/Queen"; got != want {
			t.Errorf("loaded = %s, want %s", got, want)
		}
	})
}

// An inner join leaves out the tracks with no album; a left join keeps
// them, with NULLs for the album's columns.
func TestJoinNullableForeignKey(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		j := newJoinDB(t, db)
		inner := repo.Join(j.tracks.Query(), TrackAlbum).OrderBy(Albums.Title.Asc()).Query().OrderBy(Tracks.Name.Asc())
		left := repo.LeftJoin(j.tracks.Query(), TrackAlbum).OrderBy(Albums.Title.Asc().NullsFirst()).Query().OrderBy(Tracks.Name.Asc())
		for _, c := range []struct {
			name  string
			q     *repo.Query[Track]
			want  string
			count int64
		}{
			{"inner", inner, "Dancing,Mustapha,Bohemian,Prophet", 4},
			{"left", left, "Lone,Dancing,Mustapha,Bohemian,Prophet", 5},
			{"left_nulls_last", repo.LeftJoin(j.tracks.Query(), TrackAlbum).OrderBy(Albums.Title.Desc().NullsLast()).Query().OrderBy(Tracks.Name.Asc()),
				"Bohemian,Prophet,Mustapha,Dancing,Lone", 5},
		} {
			rows, err := c.q.All(ctx)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if got := trackNames(rows); got != c.want {
				t.Errorf("%s = %s, want %s", c.name, got, c.want)
			}
			if n, err := c.q.Count(ctx); err != nil || n != c.count {
				t.Errorf("%s: Count = %d, %v; want %d", c.name, n, err, c.count)
			}
		}
	})
}

// Two joins in one query, one through a one-to-one relation: Queen's
// albums, those with a sleeve first by color.
func TestJoinTwoRelations(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		j := newJoinDB(t, db)
		byArtist := repo.Join(j.albums.Query(), AlbumArtist).Where(Artists.Name.Eq("Queen")).Query()
		q := repo.LeftJoin(byArtist, AlbumSleeve).OrderBy(Sleeves.Color.Asc().NullsLast()).Query()
		rows, err := q.Load(AlbumSleeve).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := names(rows, func(a *Album) string { return a.Title }), "Opera,Jazz"; got != want {
			t.Errorf("albums = %s, want %s", got, want)
		}
		if len(rows) == 2 && (rows[0].Sleeve == nil || rows[0].Sleeve.Color != "red" || rows[1].Sleeve != nil) {
			t.Errorf("sleeves loaded: %+v, %+v", rows[0].Sleeve, rows[1].Sleeve)
		}
		// Inner: only albums with a sleeve.
		n, err := repo.Join(j.albums.Query(), AlbumSleeve).Query().Count(ctx)
		if err != nil || n != 2 {
			t.Errorf("albums with a sleeve = %d, %v; want 2", n, err)
		}
	})
}

// A join that cannot be made is reported, naming what is wrong, by every
// way of running the query.
func TestJoinErrors(t *testing.T) {
	t.Parallel()
	db := testdb.SQLite(t)
	j := newJoinDB(t, db)
	ctx := context.Background()
	twice := repo.Join(repo.Join(j.albums.Query(), AlbumArtist).Query(), AlbumArtist).Query()
	distinct := repo.Join(j.tracks.Query(), TrackAlbum).OrderBy(Albums.Title.Asc()).Query().Distinct()
	for _, c := range []struct {
		name string
		err  func() error
		want string
	}{
		{"joined_twice", func() error { _, err := twice.All(ctx); return err }, "album and artist are both joined already"},
		{"joined_twice_count", func() error { _, err := twice.Count(ctx); return err }, "both joined already"},
		{"joined_twice_exists", func() error { _, err := twice.Exists(ctx); return err }, "both joined already"},
		{"nil_relation", func() error {
			_, err := repo.Join[Track, Album](j.tracks.Query(), nil).Query().First(ctx)
			return err
		}, "nil relation to join"},
		{"distinct_ordered_by_joined", func() error { _, err := distinct.All(ctx); return err }, "Distinct with an ordering by a joined table's column"},
		{"no_repository", func() error {
			_, err := repo.Join(&repo.Query[Track]{}, TrackAlbum).Query().All(ctx)
			return err
		}, "the query has no repository"},
	} {
		err := c.err()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if errors.Is(err, repo.ErrNotFound) {
			t.Errorf("%s: %v is ErrNotFound", c.name, err)
		}
	}
	// Iter reports it as its one element.
	for _, err := range twice.Iter(ctx) {
		if err == nil || !strings.Contains(err.Error(), "both joined already") {
			t.Errorf("Iter: %v", err)
		}
	}
}

// The statements of joined queries, on every dialect.
func TestGoldenJoin(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		j := newJoinDB(t, db)
		rdb, rec := golden.Record(db)
		tracks, albums := j.tracks.With(rdb), j.albums.With(rdb)
		run := func(name string, fn func(ctx context.Context) error) {
			t.Helper()
			rec.Reset()
			if err := fn(context.Background()); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			rec.Check(t, name, db.Dialect().Name())
		}
		queen := func() *repo.Query[Track] {
			return repo.Join(tracks.Where(Tracks.Ms.Gt(0)), TrackAlbum).Where(Albums.ArtistID.Eq(j.queen.ID)).
				OrderBy(Albums.Title.Asc()).Query().OrderBy(Tracks.Name.Asc())
		}
		run("join_all", func(ctx context.Context) error {
			_, err := queen().Limit(10).Offset(1).All(ctx)
			return err
		})
		run("join_count", func(ctx context.Context) error {
			if _, err := queen().Count(ctx); err != nil {
				return err
			}
			_, err := queen().Limit(2).Count(ctx)
			return err
		})
		run("join_exists", func(ctx context.Context) error {
			_, err := queen().Exists(ctx)
			return err
		})
		run("join_first_load", func(ctx context.Context) error {
			_, err := queen().Load(TrackAlbum).First(ctx)
			return err
		})
		run("join_left", func(ctx context.Context) error {
			_, err := repo.LeftJoin(tracks.Query(), TrackAlbum).OrderBy(Albums.Title.Asc().NullsFirst()).Query().All(ctx)
			return err
		})
		run("join_two", func(ctx context.Context) error {
			_, err := repo.LeftJoin(repo.Join(albums.Query(), AlbumArtist).Where(Artists.Name.Eq("Queen")).Query(), AlbumSleeve).
				OrderBy(Sleeves.Color.Asc()).Query().All(ctx)
			return err
		})
	})
}
