package relation_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// relationProgram declares relations correctly; {{stmt}} holds one more
// statement, correct in the control and a type mistake in every other
// case.
const relationProgram = `package main

import (
	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

type Artist struct {
	ID     int64
	Tracks []*Track
}

type Track struct {
	ID            int64
	ArtistID      int64
	MaybeArtistID *int64
	Title         string
	Artist        *Artist
}

type Label struct{ Code string }

type Movie struct {
	ID     int64
	Actors []*Actor
}

type Actor struct{ ID int64 }

type Cast struct{ MovieID, ActorID int64 }

type Note struct{ ActorID int64 }

var (
	ArtistID = mapped.Define("artist", func(t *mapped.Table[Artist], a *Artist) mapped.Column[Artist, int64] {
		return mapped.PrimaryKey(t, &a.ID)
	})
	LabelCode = mapped.Define("label", func(t *mapped.Table[Label], l *Label) mapped.Column[Label, string] {
		return mapped.PrimaryKey(t, &l.Code)
	})
	Tracks = mapped.Define("track", func(t *mapped.Table[Track], tr *Track) struct {
		ArtistID      mapped.Column[Track, int64]
		MaybeArtistID mapped.NullableColumn[Track, int64]
		Title         mapped.TextColumn[Track, string]
	} {
		mapped.PrimaryKey(t, &tr.ID)
		return struct {
			ArtistID      mapped.Column[Track, int64]
			MaybeArtistID mapped.NullableColumn[Track, int64]
			Title         mapped.TextColumn[Track, string]
		}{
			mapped.ForeignKey(t, &tr.ArtistID, ArtistID),
			mapped.NullableForeignKey(t, &tr.MaybeArtistID, ArtistID),
			mapped.Text(t, &tr.Title),
		}
	})
	MovieID = mapped.Define("movie", func(t *mapped.Table[Movie], m *Movie) mapped.Column[Movie, int64] {
		return mapped.PrimaryKey(t, &m.ID)
	})
	ActorID = mapped.Define("actor", func(t *mapped.Table[Actor], a *Actor) mapped.Column[Actor, int64] {
		return mapped.PrimaryKey(t, &a.ID)
	})
	CastKeys = mapped.Define("cast", func(t *mapped.Table[Cast], c *Cast) [2]mapped.Column[Cast, int64] {
		return [2]mapped.Column[Cast, int64]{
			mapped.ForeignKey(t, &c.MovieID, MovieID, mapped.InPrimaryKey()),
			mapped.ForeignKey(t, &c.ActorID, ActorID, mapped.InPrimaryKey()),
		}
	})
	NoteActor = mapped.Define("note", func(t *mapped.Table[Note], n *Note) mapped.Column[Note, int64] {
		return mapped.ForeignKey(t, &n.ActorID, ActorID, mapped.InPrimaryKey())
	})

	tracksField  = func(a *Artist) *[]*Track { return &a.Tracks }
	ArtistTracks = relation.HasMany(Tracks.ArtistID, tracksField)
	TrackArtist  = relation.BelongsTo(Tracks.ArtistID, func(t *Track) **Artist { return &t.Artist })
	MovieCast    = relation.ManyToManyThrough(CastKeys[0], CastKeys[1], func(m *Movie) *[]*Actor { return &m.Actors })
)

func main() {
	var db dialect.DB
	artists := repo.New(db, ArtistID.Field().Table())
	tracks := repo.New(db, Tracks.ArtistID.Field().Table())
	_, _, _ = artists, tracks, MovieCast
	_, _ = NoteActor, LabelCode
	{{stmt}}
}
`

// TestCompileErrors proves that relations keep DESIGN.md's first
// principle: a key of another type, a condition or a loader of another
// table are compile errors, at the line of the mistake.
func TestCompileErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go programs with the go command; skipped with -short")
	}
	gobin := goCommand(t)
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	// Inside the module, so that the programs import it; under testdata,
	// so that ./... never sees them.
	dir, err := os.MkdirTemp("testdata", "compilecheck-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		os.RemoveAll(dir)
		os.Remove("testdata") // only if empty
	})
	for _, c := range []struct {
		name, stmt, want string
	}{
		{"control", `_ = tracks.Where(TrackArtist.Has()).Load(TrackArtist); _ = artists.Where(ArtistTracks.Any()).Load(ArtistTracks.Then(TrackArtist))`, ""},
		{"children of another table", `_ = relation.HasMany(Tracks.ArtistID, func(*Artist) *[]*Label { return nil })`,
			`does not match inferred type func(*Artist) *[]*Track`},
		{"nullable key with HasMany", `_ = relation.HasMany(Tracks.MaybeArtistID, tracksField)`,
			`type mapped.NullableColumn[Track, int64] of Tracks.MaybeArtistID does not match inferred type mapped.Column[Track, int64]`},
		{"Has with a condition on the child", `_ = TrackArtist.Has(Tracks.Title.Eq("x"))`,
			`(value of struct type query.Cond[Track]) as query.Cond[Artist] value in argument to TrackArtist.Has`},
		{"Any used on the child table", `_ = tracks.Where(ArtistTracks.Any())`,
			`(value of struct type query.Cond[Artist]) as query.Cond[Track] value in argument to tracks.Where`},
		{"loader of another table", `_ = artists.Load(TrackArtist)`,
			`does not implement relation.Loader[Artist]`},
		{"nested loader of the wrong level", `_ = ArtistTracks.Then(ArtistTracks)`,
			`does not implement relation.Loader[Track]`},
		{"foreign keys of two association tables", `_ = relation.ManyToManyThrough(CastKeys[0], NoteActor, func(m *Movie) *[]*Actor { return &m.Actors })`,
			`type mapped.Column[Note, int64] of NoteActor does not match inferred type mapped.Column[Cast, KB]`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			src := strings.Replace(relationProgram, "{{stmt}}", c.stmt, 1)
			line := strings.Count(src[:strings.Index(src, c.stmt)], "\n") + 1
			pkg := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")) // names are import paths
			if err := os.Mkdir(pkg, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(pkg, "main.go"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := goBuild(gobin, pkg)
			if c.want == "" {
				if err != nil {
					t.Fatalf("the control does not build: %v\n%s", err, out)
				}
				return
			}
			if _, ok := err.(*exec.ExitError); !ok {
				t.Fatalf("go build: got %v, want a failed build\n%s", err, out)
			}
			if !strings.Contains(out, c.want) {
				t.Errorf("the compiler's message lacks %q:\n%s", c.want, out)
			}
			for _, m := range mainLine.FindAllStringSubmatch(out, -1) {
				if m[1] != strconv.Itoa(line) {
					t.Errorf("error at line %s, want only line %d:\n%s", m[1], line, out)
				}
			}
		})
	}
}

var mainLine = regexp.MustCompile(`main\.go:(\d+):\d+: `)

// goCommand is the go command of the toolchain running the test.
func goCommand(t *testing.T) string {
	t.Helper()
	if p := filepath.Join(os.Getenv("GOROOT"), "bin", "go"); fileExists(p) {
		return p
	}
	p, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	return p
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// goBuild builds the package in dir, discarding the binary, and returns
// the command's output.
func goBuild(gobin, dir string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, gobin, "build", "-o", os.DevNull, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}
