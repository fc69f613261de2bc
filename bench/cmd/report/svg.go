package main

import (
	"fmt"
	"math"
	"strings"
)

// The chart's geometry, in pixels.
const (
	chartWidth = 960
	labelWidth = 150 // the operation names, left of the bars
	plotLeft   = labelWidth + 10
	plotRight  = chartWidth - 70 // room for the value beyond the longest bar
	barHeight  = 11
	barGap     = 2
	groupGap   = 10
	suiteGap   = 36
	topMargin  = 64
)

// peerColors gives each peer one color in every panel; genrepo's stands out.
var peerColors = map[string]string{
	"genrepo":    "#d62728",
	"pgx":        "#1f77b4",
	"dbsql":      "#7f7f7f",
	"dbsql-prep": "#b5b5b5",
	"gorm":       "#ff7f0e",
	"gorm-prep":  "#ffbb78",
	"bun":        "#2ca02c",
}

var spareColors = []string{"#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"}

// SVG draws the ratios of every suite as horizontal bars, one group per
// operation, with a line at 1 (the yardstick).
func SVG(rep *Report) string {
	colors := map[string]string{}
	var legend []string
	spare := 0
	for _, s := range rep.Suites {
		peers := s.Peers[1:]
		if len(s.Metrics) > 0 {
			peers = s.Peers // the metric panels draw the yardstick too
		}
		for _, p := range peers {
			if _, ok := colors[p]; ok {
				continue
			}
			c, ok := peerColors[p]
			if !ok {
				c = spareColors[spare%len(spareColors)]
				spare++
			}
			colors[p] = c
			legend = append(legend, p)
		}
	}
	maxRatio := 1.5
	for _, s := range rep.Suites {
		for _, op := range s.Ops {
			for _, r := range op.Rows {
				maxRatio = math.Max(maxRatio, r.Ratio)
			}
		}
	}
	maxRatio = math.Min(math.Ceil(maxRatio*2)/2, 8) // longer bars are cut, their value still written
	x := func(ratio float64) float64 {
		return plotLeft + math.Min(ratio, maxRatio)/maxRatio*(plotRight-plotLeft)
	}

	var body strings.Builder
	y := float64(topMargin)
	for _, s := range rep.Suites {
		fmt.Fprintf(&body, `<text x="10" y="%.0f" class="suite">%s — time per operation ÷ %s’s</text>`+"\n",
			y, esc(suiteTitle(s.Name)), esc(s.Yardstick))
		y += 10
		top := y
		// The panel's height, to draw its grid under the bars: a line each
		// half unit, the yardstick's 1 dashed and dark, drawn last.
		bottom := top
		for _, op := range s.Ops {
			bottom += float64(len(barRows(op)))*(barHeight+barGap) + groupGap
		}
		bottom += 4 - groupGap
		var one string
		for t := 0.5; t <= maxRatio+1e-9; t += 0.5 {
			line := fmt.Sprintf(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="%s"/>`+"\n", x(t), top-4, x(t), bottom,
				map[bool]string{true: "one", false: "grid"}[t == 1])
			if t == 1 {
				one = line
			} else {
				body.WriteString(line)
			}
			fmt.Fprintf(&body, `<text x="%.1f" y="%.1f" class="tick" text-anchor="middle">%g</text>`+"\n", x(t), bottom+11, t)
		}
		for _, op := range s.Ops {
			rows := barRows(op)
			h := float64(len(rows))*(barHeight+barGap) - barGap
			fmt.Fprintf(&body, `<text x="%d" y="%.1f" class="op" text-anchor="end">%s</text>`+"\n",
				labelWidth, y+h/2+4, esc(op.Op))
			for _, r := range rows {
				w := x(r.Ratio) - plotLeft
				fmt.Fprintf(&body, `<rect x="%d" y="%.1f" width="%.1f" height="%d" fill="%s"><title>%s %s: %.2f× %s (%s/op)</title></rect>`+"\n",
					plotLeft, y, w, barHeight, colors[r.Peer], esc(op.Op), esc(r.Peer), r.Ratio, esc(s.Yardstick), duration(r.Ns))
				weight := ""
				if r.Peer == "genrepo" {
					weight = ` font-weight="bold"`
				}
				fmt.Fprintf(&body, `<text x="%.1f" y="%.1f" class="val"%s>%.2f %s</text>`+"\n",
					plotLeft+w+4, y+barHeight-2, weight, r.Ratio, esc(r.Peer))
				y += barHeight + barGap
			}
			y += groupGap
		}
		body.WriteString(one)
		y = bottom + suiteGap
		for _, unit := range s.Metrics {
			y = metricPanel(&body, y, s, unit, colors)
		}
	}

	var b strings.Builder
	height := y
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%.0f" viewBox="0 0 %d %.0f" font-family="sans-serif">`+"\n",
		chartWidth, height, chartWidth, height)
	b.WriteString(`<style>
.suite{font-size:14px;font-weight:bold;fill:#222}
.op{font-size:12px;fill:#222}
.val{font-size:10px;fill:#333}
.tick{font-size:9px;fill:#666}
.grid{stroke:#ddd;stroke-width:1}
.one{stroke:#222;stroke-width:1.5;stroke-dasharray:4 3}
.title{font-size:16px;font-weight:bold;fill:#111}
.legend{font-size:11px;fill:#222}
</style>
<rect width="100%" height="100%" fill="#fff"/>
`)
	b.WriteString(`<text x="10" y="20" class="title">genrepo and its peers: time per operation relative to the raw driver; time per row and heap (lower is better)</text>` + "\n")
	lx := 10.0
	for _, p := range legend {
		fmt.Fprintf(&b, `<rect x="%.0f" y="32" width="11" height="11" fill="%s"/><text x="%.0f" y="42" class="legend">%s</text>`+"\n",
			lx, colors[p], lx+15, esc(p))
		lx += 15 + float64(len(p))*7 + 18
	}
	b.WriteString(body.String())
	b.WriteString("</svg>\n")
	return b.String()
}

// metricPanel draws, from y down, one extra metric of s as bars of its
// value, every peer's (the yardstick's too), scaled to the panel's largest
// value; it returns where the next panel begins.
func metricPanel(body *strings.Builder, y float64, s SuiteReport, unit string, colors map[string]string) float64 {
	fmt.Fprintf(body, `<text x="10" y="%.0f" class="suite">%s — %s</text>`+"\n",
		y, esc(suiteTitle(s.Name)), esc(metricTitle(unit)))
	y += 10
	largest := 0.0
	for _, op := range s.Ops {
		for _, r := range op.Rows {
			largest = math.Max(largest, r.Extra[unit])
		}
	}
	for _, op := range s.Ops {
		var rows []Row
		for _, r := range op.Rows {
			if _, ok := r.Extra[unit]; ok {
				rows = append(rows, r)
			}
		}
		h := float64(len(rows))*(barHeight+barGap) - barGap
		fmt.Fprintf(body, `<text x="%d" y="%.1f" class="op" text-anchor="end">%s</text>`+"\n",
			labelWidth, y+h/2+4, esc(op.Op))
		for _, r := range rows {
			v := r.Extra[unit]
			w := 0.0
			if largest > 0 {
				w = v / largest * (plotRight - plotLeft)
			}
			fmt.Fprintf(body, `<rect x="%d" y="%.1f" width="%.1f" height="%d" fill="%s"><title>%s %s: %s</title></rect>`+"\n",
				plotLeft, y, w, barHeight, colors[r.Peer], esc(op.Op), esc(r.Peer), esc(metricValue(unit, v)))
			weight := ""
			if r.Peer == "genrepo" {
				weight = ` font-weight="bold"`
			}
			fmt.Fprintf(body, `<text x="%.1f" y="%.1f" class="val"%s>%s %s</text>`+"\n",
				plotLeft+w+4, y+barHeight-2, weight, esc(metricValue(unit, v)), esc(r.Peer))
			y += barHeight + barGap
		}
		y += groupGap
	}
	return y - groupGap + suiteGap
}

// barRows are the rows of op drawn as bars: all but the yardstick's.
func barRows(op OpReport) []Row {
	if len(op.Rows) > 0 && op.Rows[0].Yardstick {
		return op.Rows[1:]
	}
	return op.Rows
}

func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
