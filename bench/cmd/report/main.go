// Command report reads the output of the genrepo benchmarks (go test
// -bench, any -count) and writes, for each suite, every peer's time,
// bytes and allocations per operation and its ratio to the yardstick
// measured in the same run: a Markdown table and an SVG bar chart of the
// ratios.
//
//	go run ./cmd/report -in results/raw.txt -md results/latest.md -svg results/ratios.svg
//
// Benchmarks are named Benchmark<Suite>/op=<Op>/peer=<Peer>. Lines of the
// form "key: value" before them (goos, cpu, and those run.sh adds: date,
// cores, memory, postgres) describe the machine.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	in := flag.String("in", "", "benchmark output to read (default: standard input)")
	md := flag.String("md", "", "write the Markdown tables to this file")
	svg := flag.String("svg", "", "write the SVG chart of ratios to this file")
	readme := flag.String("readme", "", "replace the part of this Markdown file between "+startMark+" and "+endMark+" with the summary")
	yard := flag.String("yardstick", "Postgres=pgx,PostgresAsyncCommit=pgx,SQLite=dbsql-prep,SQLiteTmpfs=dbsql-prep",
		"suite=peer pairs naming each suite's yardstick; other suites use their first peer")
	flag.Parse()
	if err := run(*in, *md, *svg, *readme, *yard, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

// The markers of the generated part of a README.
const (
	startMark = "<!-- bench:start -->"
	endMark   = "<!-- bench:end -->"
)

func run(in, mdPath, svgPath, readmePath, yard string, stdout io.Writer) error {
	r := io.Reader(os.Stdin)
	if in != "" {
		f, err := os.Open(in)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	res, err := Parse(bufio.NewReader(r))
	if err != nil {
		return err
	}
	if len(res.Suites) == 0 {
		return fmt.Errorf("no benchmark named Benchmark<Suite>/op=…/peer=… in the input")
	}
	yardsticks := map[string]string{}
	for _, kv := range strings.Split(yard, ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(kv), "="); ok {
			yardsticks[k] = v
		}
	}
	rep := Summarize(res, yardsticks)
	md := Markdown(rep)
	if _, err := io.WriteString(stdout, md); err != nil {
		return err
	}
	if mdPath != "" {
		if err := os.WriteFile(mdPath, []byte(md), 0o644); err != nil {
			return err
		}
	}
	if svgPath != "" {
		if err := os.WriteFile(svgPath, []byte(SVG(rep)), 0o644); err != nil {
			return err
		}
	}
	if readmePath != "" {
		return splice(readmePath, Fragment(rep))
	}
	return nil
}

// splice replaces what lies between the markers in the file at path.
func splice(path, fragment string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	text := string(data)
	i, j := strings.Index(text, startMark), strings.Index(text, endMark)
	if i < 0 || j < i {
		return fmt.Errorf("%s has no %s … %s section", path, startMark, endMark)
	}
	text = text[:i+len(startMark)] + "\n" + fragment + text[j:]
	return os.WriteFile(path, []byte(text), 0o644)
}
