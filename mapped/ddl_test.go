package mapped_test

import (
	"context"
	"database/sql"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/golden"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

// The schema whose DDL is checked: every column kind, every option, keys
// generated or not (integer, string, composite, manual), foreign keys with
// each ON DELETE action including one to the table itself, and names that
// are SQL keywords.

type Genre struct {
	ID   int16
	Name string
}

type GenreTable struct {
	*mapped.Table[Genre]
	ID mapped.Column[Genre, int16]
}

var Genres = mapped.Define("genre", func(t *mapped.Table[Genre], g *Genre) GenreTable {
	id := mapped.PrimaryKey(t, &g.ID)
	mapped.Text(t, &g.Name, mapped.Size(40), mapped.Unique())
	return GenreTable{t, id}
})

type Label struct {
	Code    string
	Name    string
	Country string
}

type LabelTable struct {
	*mapped.Table[Label]
	Code mapped.Column[Label, string]
}

var Labels = mapped.Define("label", func(t *mapped.Table[Label], l *Label) LabelTable {
	code := mapped.PrimaryKey(t, &l.Code, mapped.Size(8))
	mapped.Text(t, &l.Name, mapped.Default("it's new"))
	mapped.Text(t, &l.Country, mapped.Size(2), mapped.Default("UK"))
	return LabelTable{t, code}
})

type Person struct {
	ID        int64
	ManagerID *int64
	Email     string
	Nick      sql.Null[string]
	Token     string
	Age       uint8
}

var People = mapped.Define("person", func(t *mapped.Table[Person], p *Person) *mapped.Table[Person] {
	id := mapped.PrimaryKey(t, &p.ID)
	mapped.NullableForeignKey(t, &p.ManagerID, id, mapped.OnDelete(mapped.SetNull))
	mapped.Text(t, &p.Email, mapped.Unique(), mapped.Index()) // unique: no second index
	mapped.Text(t, &p.Nick, mapped.Index())
	mapped.Col(t, &p.Token, mapped.Type(dialect.Type{Kind: dialect.Custom, Name: "uuid"}))
	mapped.Col(t, &p.Age)
	return t
})

type Album struct {
	ID        int32
	LabelCode string
	GenreID   int16
	Title     string
	Year      int16
	Disc      uint8
	Tracks    uint16
	Price     string
	Released  time.Time
	Deleted   *time.Time
	Live      bool
	Rating    float32
	Score     float64
	Cover     []byte
	Meta      map[string]any
}

type AlbumTable struct {
	*mapped.Table[Album]
	ID mapped.Column[Album, int32]
}

var Albums = mapped.Define("album", func(t *mapped.Table[Album], a *Album) AlbumTable {
	id := mapped.PrimaryKey(t, &a.ID)
	label := mapped.ForeignKey(t, &a.LabelCode, Labels.Code, mapped.OnDelete(mapped.Restrict))
	mapped.ForeignKey(t, &a.GenreID, Genres.ID, mapped.OnDelete(mapped.SetDefault), mapped.Default(1))
	title := mapped.Text(t, &a.Title, mapped.Size(200))
	mapped.Col(t, &a.Year, mapped.Index())
	mapped.Col(t, &a.Disc, mapped.Default(uint8(1)))
	mapped.Col(t, &a.Tracks)
	mapped.Col(t, &a.Price, mapped.Type(mapped.Numeric(10, 2)))
	mapped.Col(t, &a.Released, mapped.DefaultNow())
	mapped.Col(t, &a.Deleted)
	mapped.Col(t, &a.Live, mapped.Default(false))
	mapped.Col(t, &a.Rating, mapped.Default(float32(2.5)))
	mapped.Col(t, &a.Score, mapped.Default(-0.25))
	mapped.Col(t, &a.Cover)
	mapped.JSON(t, &a.Meta)
	mapped.UniqueTogether(t, label, title)
	return AlbumTable{t, id}
})

type Award struct {
	Year     int16
	Category string
	AlbumID  int32
}

var Awards = mapped.Define("award", func(t *mapped.Table[Award], a *Award) *mapped.Table[Award] {
	mapped.PrimaryKey(t, &a.Year)
	mapped.PrimaryKey(t, &a.Category)
	mapped.ForeignKey(t, &a.AlbumID, Albums.ID, mapped.OnDelete(mapped.Cascade))
	return t
})

// Order's names are SQL keywords; its key is supplied by the caller.
type Order struct {
	Group  int64
	From   string
	Select *string
}

var Orders = mapped.Define("order", func(t *mapped.Table[Order], o *Order) *mapped.Table[Order] {
	mapped.PrimaryKey(t, &o.Group, mapped.Manual())
	mapped.Text(t, &o.From, mapped.Index())
	mapped.Text(t, &o.Select)
	return t
})

// all lists the tables with every referencing table before the tables it
// references, so that the statements show the sorting.
var all = []mapped.Schema{Awards, Albums.Table, People, Genres.Table, Labels.Table, Orders}

func TestDDL(t *testing.T) {
	cases := []struct {
		name string
		ddl  func(d dialect.Dialect) ([]string, error)
	}{
		{"create_all", func(d dialect.Dialect) ([]string, error) { return mapped.CreateSQL(d, all...) }},
		// A table alone: the tables it references need not be listed.
		{"create_album", func(d dialect.Dialect) ([]string, error) { return mapped.CreateSQL(d, Albums.Table) }},
		{"create_int16_key", func(d dialect.Dialect) ([]string, error) { return mapped.CreateSQL(d, Genres.Table) }},
		// DROP does not depend on the dialect; it is checked for each all
		// the same, as the statements that run on it.
		{"drop_all", func(dialect.Dialect) ([]string, error) { return mapped.DropSQL(all...) }},
	}
	names := schemaNames(all)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, d := range dialects {
				stmts, err := c.ddl(d)
				if err != nil {
					t.Fatalf("%s: %v", d.Name(), err)
				}
				for _, s := range stmts {
					if bare := bareIdents(s, names); len(bare) > 0 {
						t.Errorf("%s: identifiers %q are not quoted in\n%s", d.Name(), bare, s)
					}
				}
				golden.Check(t, c.name, d.Name(), ddlFile(stmts))
			}
		})
	}
}

// TestDDLOrder checks that CREATE puts referenced tables first and DROP
// the reverse, whatever order the tables are given in.
func TestDDLOrder(t *testing.T) {
	want := []string{"label", "genre", "album", "award", "person", "order"}
	for _, d := range dialects {
		stmts, err := mapped.CreateSQL(d, all...)
		if err != nil {
			t.Fatal(err)
		}
		if got := tablesIn(stmts, "CREATE TABLE IF NOT EXISTS "); !slices.Equal(got, want) {
			t.Errorf("%s: CREATE order %q, want %q", d.Name(), got, want)
		}
	}
	stmts, err := mapped.DropSQL(all...)
	if err != nil {
		t.Fatal(err)
	}
	rev := slices.Clone(want)
	slices.Reverse(rev)
	if got := tablesIn(stmts, "DROP TABLE IF EXISTS "); !slices.Equal(got, rev) {
		t.Errorf("DROP order %q, want %q", got, rev)
	}
}

// TestDDLRuns runs the DDL on real databases: twice, as CREATE is
// idempotent, then a row into a table of each kind of generated key, then
// DROP, twice too.
func TestDDLRuns(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		for range 2 {
			if err := mapped.CreateAll(ctx, db, all...); err != nil {
				t.Fatal(err)
			}
		}
		// A smallint key is generated like any other integer key.
		g := &Genre{Name: "jazz"}
		if err := repo.New(db, Genres.Table).Insert(ctx, g); err != nil || g.ID != 1 {
			t.Errorf("insert genre: %v, id %d; want id 1", err, g.ID)
		}
		l := &Label{Code: "INDY"}
		if err := repo.New(db, Labels.Table).Insert(ctx, l); err != nil {
			t.Errorf("insert label: %v", err)
		}
		a := &Album{LabelCode: "INDY", GenreID: g.ID, Title: "Kind of Blue", Price: "9.99", Released: time.Now()}
		if err := repo.New(db, Albums.Table).Insert(ctx, a); err != nil || a.ID != 1 {
			t.Errorf("insert album: %v, id %d; want id 1", err, a.ID)
		}
		for range 2 {
			if err := mapped.DropAll(ctx, db, all...); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func tablesIn(stmts []string, prefix string) []string {
	var out []string
	for _, s := range stmts {
		if rest, ok := strings.CutPrefix(s, prefix); ok {
			name, _, _ := strings.Cut(strings.TrimPrefix(rest, `"`), `"`)
			out = append(out, name)
		}
	}
	return out
}

func TestDDLErrors(t *testing.T) {
	type row struct {
		ID   int64
		Name string
	}
	other := mapped.Define("album", func(t *mapped.Table[row], r *row) *mapped.Table[row] {
		mapped.PrimaryKey(t, &r.ID)
		return t
	})
	long := mapped.Define(strings.Repeat("t", 40), func(t *mapped.Table[row], r *row) *mapped.Table[row] {
		mapped.PrimaryKey(t, &r.ID)
		mapped.Text(t, &r.Name, mapped.Index(), mapped.Name(strings.Repeat("c", 25)))
		return t
	})
	cases := []struct {
		name   string
		tables []mapped.Schema
		want   string
	}{
		{"two_tables_one_name", []mapped.Schema{Albums.Table, other}, `two tables named "album"`},
		{"nil_table", []mapped.Schema{Albums.Table, nil}, "nil table"},
		{"index_name_too_long", []mapped.Schema{long}, "longer than 63 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, d := range dialects {
				_, err := mapped.CreateSQL(d, c.tables...)
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Errorf("%s: CreateSQL error = %v, want one containing %q", d.Name(), err, c.want)
				}
			}
			if c.name == "index_name_too_long" {
				return // DROP writes no index name
			}
			if _, err := mapped.DropSQL(c.tables...); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("DropSQL error = %v, want one containing %q", err, c.want)
			}
		})
	}
}

// schemaNames lists every table and column name of tables.
func schemaNames(tables []mapped.Schema) []string {
	var names []string
	for _, s := range tables {
		names = append(names, s.TableName())
		for _, c := range s.Info().Columns {
			names = append(names, c.Name)
		}
	}
	return names
}

var (
	quotedIdent = regexp.MustCompile(`"(?:[^"]|"")*"`)
	stringLit   = regexp.MustCompile(`'(?:[^']|'')*'`)
	bareWord    = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
)

// bareIdents returns the words of sql, outside quoted identifiers and
// string literals, that are among names (compared case-sensitively, so
// that the keyword ORDER is not taken for the table "order").
func bareIdents(sql string, names []string) []string {
	s := quotedIdent.ReplaceAllString(sql, " ")
	s = stringLit.ReplaceAllString(s, " ")
	var out []string
	for _, w := range bareWord.FindAllString(s, -1) {
		if slices.Contains(names, w) && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// TestDDLCompositeKeyIndex checks that a column of a composite key gets
// the index and the uniqueness asked of it unless it leads the key, whose
// own index already serves it: movies_actors keyed by (movie_id, actor_id)
// needs an index on actor_id to find an actor's movies.
func TestDDLCompositeKeyIndex(t *testing.T) {
	type link struct {
		MovieID int64
		ActorID int64
	}
	type key struct{ ID int64 }
	movies := mapped.Define("ix_movie", func(t *mapped.Table[key], k *key) mapped.Column[key, int64] {
		return mapped.PrimaryKey(t, &k.ID)
	})
	actors := mapped.Define("ix_actor", func(t *mapped.Table[key], k *key) mapped.Column[key, int64] {
		return mapped.PrimaryKey(t, &k.ID, mapped.Unique(), mapped.Index())
	})
	links := mapped.Define("ix_link", func(t *mapped.Table[link], l *link) *mapped.Table[link] {
		mapped.ForeignKey(t, &l.MovieID, movies, mapped.InPrimaryKey(), mapped.Index())
		mapped.ForeignKey(t, &l.ActorID, actors, mapped.InPrimaryKey(), mapped.Index())
		return t
	})
	for _, d := range dialects {
		stmts, err := mapped.CreateSQL(d, links)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(stmts, ";\n")
		if want := `CREATE INDEX IF NOT EXISTS "ix_ix_link_actor_id" ON "ix_link" ("actor_id")`; !strings.Contains(got, want) {
			t.Errorf("%s: no index on the key's second column:\n%s", d.Name(), got)
		}
		if strings.Contains(got, `"ix_ix_link_movie_id"`) {
			t.Errorf("%s: an index on the column leading the key:\n%s", d.Name(), got)
		}
		stmts, err = mapped.CreateSQL(d, actors.Field().Table())
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(stmts, ";\n"); strings.Contains(got, "UNIQUE") || strings.Contains(got, "INDEX") {
			t.Errorf("%s: a sole key column declared Unique and Index got more than its key:\n%s", d.Name(), got)
		}
	}
}

type stamp struct {
	ID    int64
	Label *string
}

type stampTable struct {
	*mapped.Table[stamp]
	ID    mapped.Column[stamp, int64]
	Label mapped.Column[stamp, *string]
}

// The label defaults to an SQL expression the database evaluates.
var stamps = mapped.Define("stamp", func(t *mapped.Table[stamp], s *stamp) stampTable {
	return stampTable{Table: t, ID: mapped.PrimaryKey(t, &s.ID),
		Label: mapped.Col(t, &s.Label, mapped.DefaultSQL("lower('ABC' || 'D')"))}
})

// DefaultSQL is written into the DDL as given, and an insert that leaves
// the column NULL reads the database's value back.
func TestDefaultSQL(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		stmts, err := mapped.CreateSQL(db.Dialect(), stamps.Table)
		if err != nil || len(stmts) == 0 || !strings.Contains(stmts[0], "DEFAULT (lower('ABC' || 'D'))") {
			t.Fatalf("CreateSQL = %q, %v; want the DEFAULT written as given", stmts, err)
		}
		if err := mapped.CreateAll(ctx, db, stamps.Table); err != nil {
			t.Fatal(err)
		}
		s := &stamp{}
		if err := repo.New(db, stamps.Table).Insert(ctx, s); err != nil {
			t.Fatal(err)
		}
		if s.Label == nil || *s.Label != "abcd" {
			t.Errorf("label after insert = %v, want abcd from the default", s.Label)
		}
	})
}
