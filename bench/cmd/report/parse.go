package main

import (
	"bufio"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Sample is one benchmark result line.
type Sample struct {
	NsPerOp     float64
	BytesPerOp  float64
	AllocsPerOp float64
	HasMem      bool
	// Extra are the metrics a benchmark reports of its own (b.ReportMetric:
	// ns/row, peak-heap-B, …), by unit.
	Extra map[string]float64
}

// Results are the samples of one benchmark output, in the order suites,
// operations and peers first appear.
type Results struct {
	Config []KV // key: value lines, in order
	Suites []*Suite
}

// KV is a configuration line of the output.
type KV struct{ Key, Value string }

// Suite is one top-level benchmark (Postgres, SQLite, …).
type Suite struct {
	Name  string
	Ops   []string
	Peers []string
	// Metrics are the units of the suite's extra metrics, in the order
	// they first appear.
	Metrics []string
	// Samples[op][peer] are the results in the order they were measured;
	// with -count N the i-th samples of two peers come from the same round.
	Samples map[string]map[string][]Sample
}

var nameRE = regexp.MustCompile(`^Benchmark([^/]+)/op=([^/]+)/peer=(.+?)(-\d+)?$`)

// Parse reads go test -bench output.
func Parse(r *bufio.Reader) (*Results, error) {
	res := &Results{}
	suites := map[string]*Suite{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "Benchmark") {
			if err := parseLine(line, suites, res); err != nil {
				return nil, err
			}
			continue
		}
		if k, v, ok := strings.Cut(line, ": "); ok && k != "" && !strings.ContainsAny(k, " \t") {
			res.Config = append(res.Config, KV{k, strings.TrimSpace(v)})
		}
	}
	return res, sc.Err()
}

func parseLine(line string, suites map[string]*Suite, res *Results) error {
	f := strings.Fields(line)
	m := nameRE.FindStringSubmatch(f[0])
	if m == nil || len(f) < 4 {
		return nil // another benchmark, or a name without results
	}
	s := Sample{}
	for i := 2; i+1 < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return fmt.Errorf("%s: bad value %q", f[0], f[i])
		}
		switch f[i+1] {
		case "ns/op":
			s.NsPerOp = v
		case "B/op":
			s.BytesPerOp, s.HasMem = v, true
		case "allocs/op":
			s.AllocsPerOp = v
		default:
			if s.Extra == nil {
				s.Extra = map[string]float64{}
			}
			s.Extra[f[i+1]] = v
		}
	}
	if s.NsPerOp == 0 {
		return nil
	}
	suite, op, peer := m[1], m[2], m[3]
	st := suites[suite]
	if st == nil {
		st = &Suite{Name: suite, Samples: map[string]map[string][]Sample{}}
		suites[suite] = st
		res.Suites = append(res.Suites, st)
	}
	if !slices.Contains(st.Ops, op) {
		st.Ops = append(st.Ops, op)
		st.Samples[op] = map[string][]Sample{}
	}
	if !slices.Contains(st.Peers, peer) {
		st.Peers = append(st.Peers, peer)
	}
	for _, unit := range f[3:] {
		if _, ok := s.Extra[unit]; ok && !slices.Contains(st.Metrics, unit) {
			st.Metrics = append(st.Metrics, unit)
		}
	}
	st.Samples[op][peer] = append(st.Samples[op][peer], s)
	return nil
}

// Row is one peer's summary for one operation.
type Row struct {
	Peer       string
	Ns         float64 // median ns/op
	Spread     float64 // half the range of ns/op over the median, as a fraction
	Bytes      float64 // median B/op
	Allocs     float64 // median allocs/op
	HasMem     bool
	Ratio      float64 // median of per-round ratios of ns/op to the yardstick's
	RatioLo    float64 // the smallest per-round ratio
	RatioHi    float64 // the largest
	Yardstick  bool
	Samples    int
	AllocsDiff float64            // Allocs minus the yardstick's
	Extra      map[string]float64 // the median of each extra metric, by unit
}

// OpReport is one operation of a suite.
type OpReport struct {
	Op   string
	Rows []Row // in peer order, the yardstick first
}

// SuiteReport is one suite, summarized.
type SuiteReport struct {
	Name      string
	Yardstick string
	Peers     []string // yardstick first
	Ops       []OpReport
	Metrics   []string // the units of the extra metrics
}

// Report is everything the outputs show.
type Report struct {
	Config []KV
	Suites []SuiteReport
}

// Summarize computes medians and ratios. The ratio of a peer is the median,
// over the rounds of a -count run, of its time divided by the yardstick's
// time in the same round; when the peer and the yardstick have different
// numbers of samples it is the ratio of their medians.
func Summarize(res *Results, yardsticks map[string]string) *Report {
	rep := &Report{Config: res.Config}
	for _, s := range res.Suites {
		yard := yardsticks[s.Name]
		if !slices.Contains(s.Peers, yard) {
			yard = s.Peers[0]
		}
		sr := SuiteReport{Name: s.Name, Yardstick: yard, Peers: []string{yard}, Metrics: s.Metrics}
		for _, p := range s.Peers {
			if p != yard {
				sr.Peers = append(sr.Peers, p)
			}
		}
		for _, op := range s.Ops {
			or := OpReport{Op: op}
			base := s.Samples[op][yard]
			for _, p := range sr.Peers {
				samples := s.Samples[op][p]
				if len(samples) == 0 {
					continue
				}
				or.Rows = append(or.Rows, summarize(p, samples, base, p == yard))
			}
			if len(or.Rows) > 0 && or.Rows[0].Yardstick {
				for i := range or.Rows {
					or.Rows[i].AllocsDiff = or.Rows[i].Allocs - or.Rows[0].Allocs
				}
			}
			sr.Ops = append(sr.Ops, or)
		}
		rep.Suites = append(rep.Suites, sr)
	}
	return rep
}

func summarize(peer string, samples, base []Sample, yard bool) Row {
	get := func(ss []Sample, f func(Sample) float64) []float64 {
		out := make([]float64, len(ss))
		for i, s := range ss {
			out[i] = f(s)
		}
		return out
	}
	ns := get(samples, func(s Sample) float64 { return s.NsPerOp })
	row := Row{Peer: peer, Yardstick: yard, Samples: len(samples), HasMem: samples[0].HasMem,
		Ns:     median(ns),
		Bytes:  median(get(samples, func(s Sample) float64 { return s.BytesPerOp })),
		Allocs: median(get(samples, func(s Sample) float64 { return s.AllocsPerOp })),
	}
	for _, s := range samples {
		for unit := range s.Extra {
			if row.Extra == nil {
				row.Extra = map[string]float64{}
			}
			if _, done := row.Extra[unit]; !done {
				row.Extra[unit] = median(get(samples, func(s Sample) float64 { return s.Extra[unit] }))
			}
		}
	}
	lo, hi := slices.Min(ns), slices.Max(ns)
	if row.Ns > 0 {
		row.Spread = (hi - lo) / 2 / row.Ns
	}
	if len(base) == 0 {
		return row
	}
	var ratios []float64
	if len(base) == len(samples) {
		for i := range samples {
			ratios = append(ratios, samples[i].NsPerOp/base[i].NsPerOp)
		}
	} else {
		ratios = []float64{row.Ns / median(get(base, func(s Sample) float64 { return s.NsPerOp }))}
	}
	row.Ratio, row.RatioLo, row.RatioHi = median(ratios), slices.Min(ratios), slices.Max(ratios)
	return row
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
