package main

import (
	"bufio"
	"encoding/xml"
	"io"
	"math"
	"os"
	"strings"
	"testing"
)

const sample = `date: 2026-11-21
cores: 2
goos: linux
cpu: AMD EPYC
BenchmarkPostgres/op=Read/peer=pgx-2         	   30000	     40000 ns/op	     961 B/op	      11 allocs/op
BenchmarkPostgres/op=Read/peer=genrepo-2     	   30000	     42000 ns/op	     991 B/op	      13 allocs/op
BenchmarkPostgres/op=Read/peer=gorm-2        	   20000	     60000 ns/op	    5997 B/op	      94 allocs/op
BenchmarkSQLite/op=Read/peer=dbsql-2         	   70000	     16000 ns/op	    1223 B/op	      40 allocs/op
BenchmarkSQLite/op=Read/peer=genrepo-2       	  120000	      9000 ns/op	    1378 B/op	      43 allocs/op
BenchmarkPostgres/op=Read/peer=pgx-2         	   30000	     30000 ns/op	     961 B/op	      11 allocs/op
BenchmarkPostgres/op=Read/peer=genrepo-2     	   30000	     33000 ns/op	     991 B/op	      13 allocs/op
BenchmarkPostgres/op=Read/peer=gorm-2        	   20000	     51000 ns/op	    5997 B/op	      94 allocs/op
BenchmarkSQLite/op=Read/peer=dbsql-2         	   70000	     18000 ns/op	    1223 B/op	      40 allocs/op
BenchmarkSQLite/op=Read/peer=genrepo-2       	  120000	      9000 ns/op	    1378 B/op	      43 allocs/op
BenchmarkOther-2                              	     100	       100 ns/op
PASS
`

func parseSample(t *testing.T) *Report {
	t.Helper()
	res, err := Parse(bufio.NewReader(strings.NewReader(sample)))
	if err != nil {
		t.Fatal(err)
	}
	return Summarize(res, map[string]string{"Postgres": "pgx", "SQLite": "dbsql"})
}

func TestSummarize(t *testing.T) {
	rep := parseSample(t)
	if len(rep.Suites) != 2 {
		t.Fatalf("%d suites, want 2", len(rep.Suites))
	}
	pg := rep.Suites[0]
	if pg.Name != "Postgres" || pg.Yardstick != "pgx" || len(pg.Ops) != 1 {
		t.Fatalf("first suite = %+v", pg)
	}
	rows := pg.Ops[0].Rows
	for _, tt := range []struct {
		peer           string
		ns, ratio, lo  float64
		allocs, adjust float64
	}{
		{"pgx", 35000, 1, 1, 11, 0},
		{"genrepo", 37500, (1.05 + 1.1) / 2, 1.05, 13, 2},
		{"gorm", 55500, (1.5 + 1.7) / 2, 1.5, 94, 83},
	} {
		var r *Row
		for i := range rows {
			if rows[i].Peer == tt.peer {
				r = &rows[i]
			}
		}
		if r == nil {
			t.Fatalf("no row for %s", tt.peer)
		}
		// The ratio pairs each round's samples: 42/40 and 33/30.
		if !near(r.Ns, tt.ns) || !near(r.Ratio, tt.ratio) || !near(r.RatioLo, tt.lo) ||
			r.Allocs != tt.allocs || r.AllocsDiff != tt.adjust {
			t.Errorf("%s: got ns %v ratio %v (low %v) allocs %v (%+v); want %v, %v (%v), %v (%+v)",
				tt.peer, r.Ns, r.Ratio, r.RatioLo, r.Allocs, r.AllocsDiff, tt.ns, tt.ratio, tt.lo, tt.allocs, tt.adjust)
		}
	}
	if rows[0].Peer != "pgx" || !rows[0].Yardstick {
		t.Errorf("first row %+v, want the yardstick", rows[0])
	}
	if got := rep.Suites[1].Ops[0].Rows[1].Ratio; !near(got, (9.0/16+9.0/18)/2) {
		t.Errorf("SQLite genrepo ratio = %v", got)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestMarkdown(t *testing.T) {
	md := Markdown(parseSample(t))
	for _, want := range []string{
		"Taken 2026-11-21 on 2 cores, AMD EPYC",
		"## PostgreSQL — ratio to pgx",
		"| Read | **1.08** | 1.60 |",
		"| Read | pgx (yardstick) | 35.0 µs |",
		"|  | genrepo | 37.5 µs | 12% | 1.08 (1.05–1.10) | 991 | 13 | +2 |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
}

// The chart is well-formed XML with one bar per peer and operation but the
// yardsticks.
func TestSVG(t *testing.T) {
	svg := SVG(parseSample(t))
	dec := xml.NewDecoder(strings.NewReader(svg))
	rects := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("invalid SVG: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "rect" {
			if len(se.Attr) > 0 && se.Attr[0].Name.Local == "x" && se.Attr[0].Value == "160" {
				rects++
			}
		}
	}
	if rects != 3 { // genrepo and gorm on PostgreSQL, genrepo on SQLite
		t.Errorf("%d bars, want 3", rects)
	}
}

func TestDuration(t *testing.T) {
	for _, tt := range []struct {
		ns   float64
		want string
	}{
		{850, "850 ns"}, {9260, "9.26 µs"}, {35000, "35.0 µs"}, {240904, "241 µs"}, {1511741, "1.51 ms"},
	} {
		if got := duration(tt.ns); got != tt.want {
			t.Errorf("duration(%v) = %q, want %q", tt.ns, got, tt.want)
		}
	}
}

func TestSplice(t *testing.T) {
	path := t.TempDir() + "/README.md"
	before := "# title\n\nprose\n\n" + startMark + "\nold numbers\n" + endMark + "\n\nmore prose\n"
	if err := os.WriteFile(path, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := splice(path, Fragment(parseSample(t))); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	got := string(data)
	for _, want := range []string{"# title\n\nprose\n\n" + startMark + "\nTaken 2026-11-21", "<details>", "</details>\n" + endMark + "\n\nmore prose\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("spliced README lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "old numbers") {
		t.Error("old numbers left in place")
	}
	if err := splice(path+"x", "x"); err == nil {
		t.Error("splice of a missing file succeeded")
	}
	os.WriteFile(path, []byte("no markers"), 0o644)
	if err := splice(path, "x"); err == nil {
		t.Error("splice without markers succeeded")
	}
}

const metricSample = `BenchmarkPostgresScale/op=ReadSlice10/peer=pgx-2   	7579	31402 ns/op	3140 ns/row	3987 B/op	66 allocs/op
BenchmarkPostgresScale/op=ReadSlice10/peer=genrepo-2   	6978	33352 ns/op	3335 ns/row	4356 B/op	72 allocs/op
BenchmarkPostgresScale/op=ReadSlice10/peer=pgx-2   	7579	31000 ns/op	3100 ns/row	3987 B/op	66 allocs/op
BenchmarkPostgresScale/op=ReadSlice10/peer=genrepo-2   	6978	33000 ns/op	3300 ns/row	4356 B/op	72 allocs/op
BenchmarkPostgresStream/op=Iter100000/peer=pgx-2   	10	120000000 ns/op	2350 heap-growth-B/op	6160000 peak-heap-B	19000000 B/op	900000 allocs/op
BenchmarkPostgresStream/op=Iter100000/peer=genrepo-2   	10	150000000 ns/op	304 heap-growth-B/op	6540000 peak-heap-B	28000000 B/op	1000000 allocs/op
`

// The metrics a benchmark reports of its own (time per row, heap) are
// summarized by median, every peer's, and shown in a table and a panel of
// the chart of their own.
func TestExtraMetrics(t *testing.T) {
	res, err := Parse(bufio.NewReader(strings.NewReader(metricSample)))
	if err != nil {
		t.Fatal(err)
	}
	rep := Summarize(res, nil)
	if got := rep.Suites[0].Metrics; len(got) != 1 || got[0] != "ns/row" {
		t.Fatalf("scale metrics = %q, want [ns/row]", got)
	}
	if got := rep.Suites[1].Metrics; len(got) != 2 || got[0] != "heap-growth-B/op" || got[1] != "peak-heap-B" {
		t.Fatalf("stream metrics = %q, want [heap-growth-B/op peak-heap-B]", got)
	}
	if got := rep.Suites[0].Ops[0].Rows[1].Extra["ns/row"]; got != 3317.5 {
		t.Errorf("genrepo ns/row = %v, want the median 3317.5", got)
	}
	md := Markdown(rep)
	for _, want := range []string{
		"PostgreSQL, ReadSlice by number of rows, time per row (median):",
		"| operation | pgx | genrepo |",
		"| ReadSlice10 | 3.12 µs | **3.32 µs** |",
		"| Iter100000 | 6.16 MB | **6.54 MB** |",
		"| Iter100000 | 2.35 kB | **304 B** |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	// Ratio bars: genrepo in each of two suites; metric bars: both peers in
	// each of three panels.
	if got, want := strings.Count(SVG(rep), `<rect x="160"`), 2+3*2; got != want {
		t.Errorf("%d bars, want %d", got, want)
	}
}

func TestByteSize(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{
		{0, "0 B"}, {304, "304 B"}, {2350, "2.35 kB"}, {23180, "23.2 kB"}, {6540000, "6.54 MB"}, {285876760, "286 MB"},
	} {
		if got := byteSize(tt.v); got != tt.want {
			t.Errorf("byteSize(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
