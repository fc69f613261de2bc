package main

import (
	"fmt"
	"math"
	"strings"
)

// suiteTitles name the suites for people.
var suiteTitles = map[string]string{
	"Postgres":            "PostgreSQL",
	"PostgresAsyncCommit": "PostgreSQL, writes with synchronous_commit=off",
	"SQLite":              "SQLite (file database on disk, WAL)",
	"SQLiteTmpfs":         "SQLite, writes to a database on tmpfs (no fsync cost)",
	"PostgresScale":       "PostgreSQL, ReadSlice by number of rows",
	"PostgresStream":      "PostgreSQL, 100,000 rows streamed",
	"SQLiteScale":         "SQLite, ReadSlice by number of rows",
	"SQLiteStream":        "SQLite, 100,000 rows streamed",
}

func suiteTitle(name string) string { return titleOf(suiteTitles, name) }

// titleOf is the title titles give key, or key itself.
func titleOf(titles map[string]string, key string) string {
	if t, ok := titles[key]; ok {
		return t
	}
	return key
}

// Markdown renders the report: the machine, a matrix of ratios per suite,
// then every measurement.
func Markdown(rep *Report) string {
	var b strings.Builder
	b.WriteString("# genrepo benchmarks\n\n")
	writeSummary(&b, rep, "##")
	b.WriteString("## Every measurement\n\n")
	writeDetails(&b, rep, "###")
	return b.String()
}

// Fragment renders the report for the README: the summary, with every
// measurement folded away.
func Fragment(rep *Report) string {
	var b strings.Builder
	writeSummary(&b, rep, "###")
	b.WriteString("<details><summary>Every measurement: time, bytes and allocations per operation</summary>\n\n")
	writeDetails(&b, rep, "####")
	b.WriteString("</details>\n")
	return b.String()
}

func writeSummary(b *strings.Builder, rep *Report, h string) {
	if m := machine(rep.Config); m != "" {
		b.WriteString(m + "\n\n")
	}
	b.WriteString("Ratio: a peer's time per operation divided by the yardstick's, measured in the same\n" +
		"round of the run (the median over rounds; below 1 is faster than the yardstick).\n" +
		"Times, bytes and allocations are medians over rounds.\n\n")
	for _, s := range rep.Suites {
		fmt.Fprintf(b, "%s %s — ratio to %s\n\n", h, suiteTitle(s.Name), s.Yardstick)
		b.WriteString("| operation |")
		for _, p := range s.Peers[1:] {
			fmt.Fprintf(b, " %s |", p)
		}
		b.WriteString("\n|---|")
		b.WriteString(strings.Repeat("---:|", len(s.Peers)-1))
		b.WriteString("\n")
		for _, op := range s.Ops {
			fmt.Fprintf(b, "| %s |", op.Op)
			for _, p := range s.Peers[1:] {
				cell := "–"
				for _, r := range op.Rows {
					if r.Peer == p && r.Ratio > 0 {
						cell = fmt.Sprintf("%.2f", r.Ratio)
						if p == "genrepo" {
							cell = "**" + cell + "**"
						}
					}
				}
				fmt.Fprintf(b, " %s |", cell)
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
		writeMetrics(b, s)
	}
}

// metricTitles name the extra metrics for people.
var metricTitles = map[string]string{
	"ns/row":           "time per row",
	"peak-heap-B":      "peak heap while streaming",
	"heap-growth-B/op": "heap growth per operation",
}

func metricTitle(unit string) string { return titleOf(metricTitles, unit) }

// metricValue formats a value of an extra metric: a time, a size in
// bytes, or a plain number.
func metricValue(unit string, v float64) string {
	switch {
	case strings.HasPrefix(unit, "ns/"):
		return duration(v)
	case strings.HasSuffix(unit, "-B") || strings.HasSuffix(unit, "-B/op"):
		return byteSize(v)
	}
	return fmt.Sprintf("%.3g", v)
}

// byteSize formats a number of bytes with three significant digits.
func byteSize(v float64) string {
	unit, x := "B", v
	switch {
	case math.Abs(v) >= 1e6:
		unit, x = "MB", v/1e6
	case math.Abs(v) >= 1e3:
		unit, x = "kB", v/1e3
	}
	switch {
	case unit == "B" || math.Abs(x) >= 100:
		return fmt.Sprintf("%.0f %s", x, unit)
	case math.Abs(x) >= 10:
		return fmt.Sprintf("%.1f %s", x, unit)
	}
	return fmt.Sprintf("%.2f %s", x, unit)
}

// writeMetrics writes a table of each extra metric of s: its median for
// every peer, the yardstick first.
func writeMetrics(b *strings.Builder, s SuiteReport) {
	for _, unit := range s.Metrics {
		fmt.Fprintf(b, "%s, %s (median):\n\n| operation |", suiteTitle(s.Name), metricTitle(unit))
		for _, p := range s.Peers {
			fmt.Fprintf(b, " %s |", p)
		}
		b.WriteString("\n|---|" + strings.Repeat("---:|", len(s.Peers)) + "\n")
		for _, op := range s.Ops {
			fmt.Fprintf(b, "| %s |", op.Op)
			for _, p := range s.Peers {
				cell := "–"
				for _, r := range op.Rows {
					if v, ok := r.Extra[unit]; ok && r.Peer == p {
						cell = metricValue(unit, v)
						if p == "genrepo" {
							cell = "**" + cell + "**"
						}
					}
				}
				fmt.Fprintf(b, " %s |", cell)
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
}

func writeDetails(b *strings.Builder, rep *Report, h string) {
	for _, s := range rep.Suites {
		fmt.Fprintf(b, "%s %s (yardstick: %s)\n\n", h, suiteTitle(s.Name), s.Yardstick)
		b.WriteString("| operation | peer | time/op | ± | ratio (range) | B/op | allocs/op | allocs vs yardstick |\n")
		b.WriteString("|---|---|---:|---:|---:|---:|---:|---:|\n")
		for _, op := range s.Ops {
			for i, r := range op.Rows {
				name := ""
				if i == 0 {
					name = op.Op
				}
				peer := r.Peer
				if r.Yardstick {
					peer += " (yardstick)"
				}
				ratio := "–"
				if r.Ratio > 0 {
					ratio = fmt.Sprintf("%.2f (%.2f–%.2f)", r.Ratio, r.RatioLo, r.RatioHi)
				}
				bytes, allocs, diff := "–", "–", "–"
				if r.HasMem {
					bytes = fmt.Sprintf("%.0f", r.Bytes)
					allocs = fmt.Sprintf("%.0f", r.Allocs)
					if !r.Yardstick {
						diff = fmt.Sprintf("%+.0f", r.AllocsDiff)
					}
				}
				fmt.Fprintf(b, "| %s | %s | %s | %.0f%% | %s | %s | %s | %s |\n",
					name, peer, duration(r.Ns), math.Round(r.Spread*100), ratio, bytes, allocs, diff)
			}
		}
		b.WriteString("\n")
	}
}

// machine describes where the benchmarks ran, from the output's
// configuration lines.
func machine(cfg []KV) string {
	get := func(k string) string {
		for _, kv := range cfg {
			if kv.Key == k {
				return kv.Value
			}
		}
		return ""
	}
	var parts []string
	if v := get("date"); v != "" {
		parts = append(parts, "Taken "+v)
	}
	var hw []string
	for _, k := range []string{"cores", "cpu", "memory"} {
		if v := get(k); v != "" {
			switch k {
			case "cores":
				v += " cores"
			case "memory":
				v += " of memory"
			}
			hw = append(hw, v)
		}
	}
	if len(hw) > 0 {
		parts = append(parts, "on "+strings.Join(hw, ", "))
	}
	var sw []string
	for _, k := range []string{"go", "postgres", "goos", "goarch"} {
		if v := get(k); v != "" {
			if k == "postgres" {
				v = "PostgreSQL " + v
			}
			sw = append(sw, v)
		}
	}
	if len(sw) > 0 {
		parts = append(parts, "with "+strings.Join(sw, ", "))
	}
	var run []string
	if v := get("count"); v != "" {
		run = append(run, v+" rounds")
	}
	if v := get("benchtime"); v != "" {
		run = append(run, v+" per benchmark and round")
	}
	if len(run) > 0 {
		parts = append(parts, "("+strings.Join(run, ", ")+")")
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, " ") + "."
}

// duration formats nanoseconds with three significant digits.
func duration(ns float64) string {
	unit, v := "ns", ns
	switch {
	case ns >= 1e9:
		unit, v = "s", ns/1e9
	case ns >= 1e6:
		unit, v = "ms", ns/1e6
	case ns >= 1e3:
		unit, v = "µs", ns/1e3
	}
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f %s", v, unit)
	case v >= 10:
		return fmt.Sprintf("%.1f %s", v, unit)
	}
	return fmt.Sprintf("%.2f %s", v, unit)
}
