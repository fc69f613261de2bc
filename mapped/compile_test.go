package mapped_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// compileProgram is a program using the library correctly. Each {{slot}}
// holds one statement; a compile-fail case swaps one statement for a
// mistake, so that the mistake is the only difference from a program that
// builds.
const compileProgram = `package main

import (
	"context"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

type Artist struct {
	ID     int64
	Name   string
	Tracks []*Track
}

type ArtistTable struct {
	*mapped.Table[Artist]
	ID   mapped.Column[Artist, int64]
	Name mapped.TextColumn[Artist, string]
}

var Artists = mapped.Define("artist", func(t *mapped.Table[Artist], a *Artist) ArtistTable {
	return ArtistTable{Table: t, ID: mapped.PrimaryKey(t, &a.ID), Name: mapped.Text(t, &a.Name)}
})

type Label struct {
	Code string
}

type LabelTable struct {
	*mapped.Table[Label]
	Code mapped.Column[Label, string]
}

var StringKeyTable = mapped.Define("label", func(t *mapped.Table[Label], l *Label) LabelTable {
	return LabelTable{Table: t, Code: mapped.PrimaryKey(t, &l.Code)}
})

type Track struct {
	ID       int64
	ArtistID int64
	Title    string
	Seconds  int32
	Released time.Time
	Artist   *Artist
}

type TrackTable struct {
	*mapped.Table[Track]
	ID       mapped.Column[Track, int64]
	ArtistID mapped.Column[Track, int64]
	Title    mapped.TextColumn[Track, string]
	Seconds  mapped.NumberColumn[Track, int32]
	Released mapped.Column[Track, time.Time]
}

var Tracks = mapped.Define("track", func(t *mapped.Table[Track], tr *Track) TrackTable {
	return TrackTable{
		Table:    t,
		ID:       mapped.PrimaryKey(t, &tr.ID),
		ArtistID: {{fk}},
		Title:    mapped.Text(t, &tr.Title),
		Seconds:  mapped.Number(t, &tr.Seconds),
		Released: mapped.Col(t, &tr.Released),
	}
})

var (
	TrackArtist  = relation.BelongsTo(Tracks.ArtistID, func(t *Track) **Artist { return &t.Artist })
	ArtistTracks = relation.HasMany(Tracks.ArtistID, func(a *Artist) *[]*Track { return &a.Tracks })
)

// otherArtist names an alias of the artist table.
type otherArtist struct{}

func main() {
	ctx := context.Background()
	var db dialect.DB
	artistRepo := repo.New(db, Artists.Table)
	trackRepo := repo.New(db, Tracks.Table)
	if db == nil {
		return // compiled, never run
	}
	{{eq}}
	{{where}}
	{{like}}
	{{sum}}
	{{order}}
	{{update}}
	{{set}}
	{{in}}
	{{and}}
	{{eqcol}}
	{{subquery}}
	{{into}}
	{{arith}}
	{{arithcol}}
	{{arithmix}}
	{{year}}
	{{lower}}
	{{bridge}}
	{{setexpr}}
	{{exprcond}}
	{{alias}}
	{{window}}
	{{windowcond}}
	{{subcol}}
	{{subcond}}
	{{join}}
	{{joinmany}}
}
`

// goodStatements fill the slots of compileProgram with correct code.
var goodStatements = map[string]string{
	"fk":       `mapped.ForeignKey(t, &tr.ArtistID, Artists.ID)`,
	"eq":       `_ = Artists.Name.Eq("Queen")`,
	"where":    `_ = artistRepo.Where(Artists.Name.Eq("x"))`,
	"like":     `_ = Artists.Name.Like("x")`,
	"sum":      `_ = query.Sum(Artists.ID)`,
	"order":    `_ = artistRepo.OrderBy(Artists.Name.Asc())`,
	"update":   `_, _ = artistRepo.UpdateWhere(ctx, Artists.ID.Eq(1), Artists.Name.Set("y"))`,
	"set":      `_ = Tracks.Title.Set("t")`,
	"in":       `_ = Artists.ID.In(1, 2)`,
	"and":      `_ = query.And(Artists.ID.Eq(1), Artists.Name.Eq("x"))`,
	"eqcol":    `_ = Tracks.ArtistID.EqCol(Tracks.ID)`,
	"subquery": `_ = Artists.ID.InQuery(query.Select1(Tracks.ArtistID))`,
	"into":     `_ = query.SelectInto(func(r *Artist, s *query.Fields[Artist]) { query.Field(s, &r.Name, Artists.Name) })`,
	"arith":    `_ = query.Plus(Tracks.ArtistID, Tracks.ID)`,
	"arithcol": `_ = Tracks.Seconds.Plus(1)`,
	"arithmix": `_ = query.TimesInt(Tracks.ArtistID, Tracks.Seconds)`,
	"year":     `_ = query.Year(Tracks.Released)`,
	"lower":    `_ = query.Lower(Tracks.Title)`,
	"bridge":   `_ = Tracks.ArtistID.InQuery(query.Select1(query.Deref(query.Cast[*int64](Artists.ID, dialect.Type{Kind: dialect.Int64}))))`,
	"setexpr":  `_, _ = artistRepo.UpdateWhere(ctx, Artists.ID.Eq(1), Artists.ID.SetExpr(query.Plus(Artists.ID, query.Val[int64](1))))`,
	"exprcond": `_ = artistRepo.Where(query.Plus(Artists.ID, Artists.ID).Gt(2))`,
	"alias":    `_ = artistRepo.Where(Artists.Name.InQuery(query.Select1(query.ColOf(query.As[otherArtist](Artists.Table, "other"), Artists.Name))))`,
	"window": `_ = query.SelectInto(func(r *Artist, s *query.Fields[Artist]) {
		query.Field(s, &r.ID, query.RowNumber().Over(query.PartitionBy(Artists.Name).OrderBy(Artists.ID.Asc())))
	})`,
	"windowcond": `_ = query.Select1(Artists.ID).OrderBy(query.Sum(Artists.ID).Over(query.Window{}).Desc())`,
	"subcol":     `var _ query.Value[int64] = query.SubCol(query.Derived(query.Select2(Artists.ID, Artists.Name), "d"), func(r *query.Row2[int64, string]) *int64 { return &r.V1 })`,
	"subcond":    `_ = artistRepo.Where(Artists.ID.Gt(0))`,
	"join":       `_ = repo.Join(trackRepo.Query(), TrackArtist).Where(Artists.Name.Eq("x")).OrderBy(Artists.Name.Asc()).Query().Where(Tracks.Title.Eq("y"))`,
	"joinmany":   `_ = artistRepo.Where(ArtistTracks.Any(Tracks.Title.Eq("y")))`,
}

// TestCompileErrors proves the promise of DESIGN.md's first principle:
// mistakes of type are compile errors. It builds small programs with the
// go command; each but the control must fail, with the expected message,
// at the line of the mistake.
func TestCompileErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go programs with the go command; skipped with -short")
	}
	gobin := goTool(t)
	// The programs live inside the module, so that they import it; under
	// testdata, so that ./... patterns never see them.
	dir, err := os.MkdirTemp("testdata", "compilecheck-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })

	cases := []struct {
		name string
		slot string // the slot whose statement is replaced; "" for the control
		bad  string
		want string // a substring of the compiler's message
	}{
		{name: "control_compiles"},
		{"wrong_value_type", "eq", `_ = Artists.Name.Eq(42)`,
			`cannot use 42 (untyped int constant) as string value in argument to Artists.Name.Eq`},
		{"condition_of_another_table", "where", `_ = artistRepo.Where(Tracks.Title.Eq("x"))`,
			`(value of struct type query.Cond[Track]) as query.Cond[Artist] value in argument to artistRepo.Where`},
		{"string_operator_on_int_column", "like", `_ = Artists.ID.Like("x")`,
			`Artists.ID.Like undefined (type mapped.Column[Artist, int64] has no field or method Like)`},
		{"foreign_key_type_mismatch", "fk", `mapped.ForeignKey(t, &tr.ArtistID, StringKeyTable.Code)`,
			`type mapped.Column[Label, string] of StringKeyTable.Code does not match inferred type mapped.Column[Label, int64]`},
		{"sum_of_string", "sum", `_ = query.Sum(Artists.Name)`,
			`string does not satisfy query.Number`},
		{"order_of_another_table", "order", `_ = artistRepo.OrderBy(Tracks.Title.Asc())`,
			`(value of struct type query.Order[Track]) as query.Order[Artist] value in argument to artistRepo.OrderBy`},
		{"assignment_of_another_table", "update", `_, _ = artistRepo.UpdateWhere(ctx, Artists.ID.Eq(1), Tracks.Title.Set("y"))`,
			`(value of struct type query.Assign[Track]) as query.Assign[Artist] value in argument to artistRepo.UpdateWhere`},
		{"assignment_of_wrong_type", "set", `_ = Tracks.Title.Set(3)`,
			`cannot use 3 (untyped int constant) as string value in argument to Tracks.Title.Set`},
		{"in_list_of_wrong_type", "in", `_ = Artists.ID.In(1, "2")`,
			`cannot use "2" (untyped string constant) as int64 value in argument to Artists.ID.In`},
		{"and_across_tables", "and", `_ = query.And(Artists.ID.Eq(1), Tracks.Title.Eq("x"))`,
			`does not match inferred type query.Cond[Artist]`},
		{"column_compared_with_other_type", "eqcol", `_ = Tracks.ArtistID.EqCol(Tracks.Title)`,
			`cannot use Tracks.Title (variable of struct type mapped.TextColumn[Track, string]) as query.Value[int64] value`},
		{"subquery_of_other_type", "subquery", `_ = Artists.ID.InQuery(query.Select1(Tracks.Title))`,
			`as query.Subquery[int64] value in argument to Artists.ID.InQuery`},
		{"field_bound_to_other_type", "into", `_ = query.SelectInto(func(r *Artist, s *query.Fields[Artist]) { query.Field(s, &r.Name, Artists.ID) })`,
			`type mapped.Column[Artist, int64] of Artists.ID does not match inferred type query.Value[string] for query.Value[V]`},
		{"arithmetic_on_string_column", "arith", `_ = query.Plus(Tracks.Title, Tracks.Title)`,
			`string does not satisfy query.Number`},
		{"arithmetic_method_on_string_column", "arithcol", `_ = Tracks.Title.Plus(1)`,
			`Tracks.Title.Plus undefined (type mapped.TextColumn[Track, string] has no field or method Plus)`},
		{"arithmetic_of_mixed_types", "arith", `_ = query.Plus(Tracks.ArtistID, Tracks.Seconds)`,
			`type mapped.NumberColumn[Track, int32] of Tracks.Seconds does not match inferred type query.Value[int64] for query.Value[V]`},
		{"times_int_of_a_float", "arithmix", `_ = query.TimesInt(Tracks.ArtistID, query.Val(1.5))`,
			`float64 does not satisfy query.Integer`},
		{"year_of_non_time", "year", `_ = query.Year(Tracks.Title)`,
			`string does not satisfy query.Temporal`},
		{"lower_of_non_text", "lower", `_ = query.Lower(Tracks.Released)`,
			`time.Time does not satisfy query.Textual`},
		{"nullable_compared_without_bridge", "bridge", `_ = Tracks.ArtistID.InQuery(query.Select1(query.Cast[*int64](Artists.ID, dialect.Type{Kind: dialect.Int64})))`,
			`as query.Subquery[int64] value in argument to Tracks.ArtistID.InQuery`},
		{"expression_assigned_to_other_type", "setexpr", `_, _ = artistRepo.UpdateWhere(ctx, Artists.ID.Eq(1), Artists.ID.SetExpr(query.Lower(Artists.Name)))`,
			`as query.Value[int64] value in argument to Artists.ID.SetExpr`},
		{"ranking_into_a_string_field", "window", `_ = query.SelectInto(func(r *Artist, s *query.Fields[Artist]) { query.Field(s, &r.Name, query.RowNumber().Over(query.Window{})) })`,
			`does not match inferred type query.Value[string] for query.Value[V]`},
		{"ranking_without_window", "window", `_ = query.Select1(query.RowNumber())`,
			`type query.Ranking of query.RowNumber() does not match query.Value[A] (cannot infer A)`},
		{"over_on_a_column", "window", `_ = Artists.ID.Over(query.Window{})`,
			`Artists.ID.Over undefined`},
		{"windowed_condition_in_a_repository", "windowcond", `_ = artistRepo.Where(query.RowNumber().Over(query.Window{}).Le(3))`,
			`(value of struct type query.Cond[query.Windowed]) as query.Cond[Artist] value in argument to artistRepo.Where`},
		{"windowed_order_in_a_repository", "windowcond", `_ = artistRepo.OrderBy(query.Sum(Artists.ID).Over(query.Window{}).Desc())`,
			`(value of struct type query.Order[query.Windowed]) as query.Order[Artist] value in argument to artistRepo.OrderBy`},
		{"expression_condition_of_another_table", "exprcond", `_ = artistRepo.Where(query.Plus(Tracks.ID, Tracks.ID).Gt(2))`,
			`(value of struct type query.Cond[Track]) as query.Cond[Artist] value in argument to artistRepo.Where`},
		{"alias_column_in_unaliased_query", "alias", `_ = artistRepo.Where(query.ColOf(query.As[otherArtist](Artists.Table, "other"), Artists.Name).Eq("x"))`,
			`(value of struct type query.Cond[otherArtist]) as query.Cond[Artist] value in argument to artistRepo.Where`},
		{"derived_column_of_another_type", "subcol", `var _ query.Value[int64] = query.SubCol(query.Derived(query.Select2(Artists.ID, Artists.Name), "d"), func(r *query.Row2[int64, string]) *string { return &r.V2 })`,
			`query.Term[query.Row2[int64, string], string] does not implement query.Value[int64] (wrong type for method Codec)`},
		{"derived_column_in_table_query", "subcond", `_ = artistRepo.Where(query.SubCol(query.Derived(query.Select2(Artists.ID, Artists.Name), "d"), func(r *query.Row2[int64, string]) *int64 { return &r.V1 }).Gt(0))`,
			`(value of struct type query.Cond[query.Row2[int64, string]]) as query.Cond[Artist] value in argument to artistRepo.Where`},
		{"condition_on_a_table_not_joined", "join", `_ = repo.Join(trackRepo.Query(), TrackArtist).Where(StringKeyTable.Code.Eq("x"))`,
			`(value of struct type query.Cond[Label]) as query.Cond[Artist] value in argument to`},
		{"ordering_by_a_table_not_joined", "join", `_ = repo.Join(trackRepo.Query(), TrackArtist).OrderBy(Tracks.Title.Asc())`,
			`(value of struct type query.Order[Track]) as query.Order[Artist] value in argument to`},
		{"joined_condition_in_the_query", "join", `_ = trackRepo.Where(Artists.Name.Eq("x"))`,
			`(value of struct type query.Cond[Artist]) as query.Cond[Track] value in argument to trackRepo.Where`},
		{"join_through_a_to_many_relation", "joinmany", `_ = repo.Join(artistRepo.Query(), ArtistTracks)`,
			`of ArtistTracks does not match inferred type relation.ToOne[Artist, P]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			src, line := program(t, c.slot, c.bad)
			pkg := filepath.Join(dir, c.name)
			if err := os.Mkdir(pkg, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(pkg, "main.go"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := build(t, gobin, pkg)
			if c.slot == "" {
				if err != nil {
					t.Fatalf("the control program does not build: %v\n%s", err, out)
				}
				return
			}
			if err == nil {
				t.Fatalf("%s compiled; it must not", c.bad)
			}
			if _, ok := err.(*exec.ExitError); !ok {
				t.Fatalf("go build: %v\n%s", err, out)
			}
			if !strings.Contains(out, c.want) {
				t.Errorf("the compiler's message lacks %q:\n%s", c.want, out)
			}
			// Every error is at the line of the mistake, none elsewhere.
			at := errorLine.FindAllStringSubmatch(out, -1)
			if len(at) == 0 {
				t.Errorf("no error position in:\n%s", out)
			}
			for _, m := range at {
				if m[1] != fmt.Sprint(line) {
					t.Errorf("error at line %s, want only line %d (%s):\n%s", m[1], line, c.bad, out)
				}
			}
		})
	}
}

var errorLine = regexp.MustCompile(`main\.go:(\d+):\d+: `)

// program returns compileProgram with every slot filled with its good
// statement except slot, which gets bad, and the line of bad.
func program(t *testing.T, slot, bad string) (string, int) {
	t.Helper()
	if _, ok := goodStatements[slot]; slot != "" && !ok {
		t.Fatalf("no slot %q", slot)
	}
	src := compileProgram
	for name, good := range goodStatements {
		stmt := good
		if name == slot {
			stmt = bad
		}
		src = strings.Replace(src, "{{"+name+"}}", stmt, 1)
	}
	if strings.Contains(src, "{{") {
		t.Fatalf("unfilled slot in the program:\n%s", src)
	}
	line := 0
	if slot != "" {
		i := strings.Index(src, bad)
		line = strings.Count(src[:i], "\n") + 1
	}
	return src, line
}

// goTool returns the go command of the toolchain running the test.
func goTool(t *testing.T) string {
	t.Helper()
	path := filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	if runtime.GOOS == "windows" {
		path += ".exe"
	}
	if _, err := os.Stat(path); err == nil {
		return path
	}
	path, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go command: %v", err)
	}
	return path
}

// build runs go build in dir, discarding the binary, and returns the
// command's output.
func build(t *testing.T, gobin, dir string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, gobin, "build", "-o", os.DevNull, ".")
	cmd.Dir = dir
	// Never switch or download toolchains: the program is built by the go
	// command that runs this test.
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}
