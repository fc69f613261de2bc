package bench

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
)

// The scale series reads ReadSlice's rows at each size of ScaleRows, and
// the streaming series all StreamRows rows through Stream (genrepo's
// Iter), on genrepo and the yardsticks: cost per row, and memory that
// stays flat however many rows go by.

// scalePeerNames are the peers that implement Scaler.
var scalePeerNames = map[string]bool{"pgx": true, "dbsql": true, "dbsql-prep": true, "genrepo": true}

// scalePeers opens, once per benchmark, the peers of t that are Scalers,
// each on its own copy of the SeedStream rows; the series only read them.
type scalePeers struct {
	mu    sync.Mutex
	open  map[string]Scaler
	close []func() error
}

func (s *scalePeers) get(tb testing.TB, ctx context.Context, t Target, def PeerDef) (Scaler, bool) {
	tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.open[def.Name]; ok {
		return p, true
	}
	if !scalePeerNames[def.Name] {
		return nil, false // spares seeding a peer without the series
	}
	loc, err := t.Reset(ctx, def.Name, SeedStream)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := def.Open(ctx, loc)
	if err != nil {
		tb.Fatal(err)
	}
	sc, ok := p.(Scaler)
	if !ok {
		_ = p.Close()
		return nil, false
	}
	if s.open == nil {
		s.open = map[string]Scaler{}
	}
	s.open[def.Name] = sc
	s.close = append(s.close, p.Close)
	return sc, true
}

func (s *scalePeers) closeAll() {
	for _, c := range s.close {
		_ = c()
	}
}

// checkReadN reports whether items are n distinct rows of the seed.
func checkReadN(items []*Item, n int) error {
	if len(items) != n {
		return fmt.Errorf("%d rows, want %d", len(items), n)
	}
	seen := make(map[int64]bool, n)
	for _, it := range items {
		if seen[it.ID] {
			return fmt.Errorf("row %d twice", it.ID)
		}
		seen[it.ID] = true
		if err := CheckItem(it, it.ID); err != nil {
			return err
		}
	}
	return nil
}

// stream runs p.Stream, checking that the rows come in key order, all of
// them, and that every row is the seed's when full is set; each sample-th
// row, it records the heap's size in peak.
func stream(ctx context.Context, p Scaler, full bool, peak *uint64) error {
	sample := []metrics.Sample{{Name: heapObjects}}
	var n int64
	err := p.Stream(ctx, func(it *Item) error {
		n++
		if it.ID != n {
			return fmt.Errorf("row %d has key %d, want %d", n, it.ID, n)
		}
		if full {
			if err := CheckItem(it, n); err != nil {
				return err
			}
		}
		if peak != nil && n%1000 == 0 {
			metrics.Read(sample)
			*peak = max(*peak, sample[0].Value.Uint64())
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n != StreamRows {
		return fmt.Errorf("%d rows streamed, want %d", n, StreamRows)
	}
	return nil
}

// heapObjects is the runtime metric of the bytes of heap objects, live or
// not yet collected.
const heapObjects = "/memory/classes/heap/objects:bytes"

// heapAfterGC returns the heap's live bytes.
func heapAfterGC() uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: heapObjects}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func scaleSuite(b *testing.B, t Target) {
	ctx := context.Background()
	peers := &scalePeers{}
	defer peers.closeAll()
	for _, n := range ScaleRows {
		b.Run("op=ReadSlice"+strconv.Itoa(n), func(b *testing.B) {
			for _, def := range t.Peers() {
				b.Run("peer="+def.Name, func(b *testing.B) {
					p, ok := peers.get(b, ctx, t, def)
					if !ok {
						b.Skipf("%s has no scale series", def.Name)
					}
					items, err := p.ReadN(ctx, n)
					if err == nil {
						err = checkReadN(items, n)
					}
					if err != nil {
						b.Fatalf("ReadN(%d) on %s: %v", n, def.Name, err)
					}
					b.ReportAllocs()
					for b.Loop() {
						items, err := p.ReadN(ctx, n)
						if err != nil {
							b.Fatal(err)
						}
						if len(items) != n {
							b.Fatalf("%d rows, want %d", len(items), n)
						}
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
				})
			}
		})
	}
}

// streamSuite streams StreamRows rows per op. Besides time and
// allocations, it reports peak-heap-B, the most the heap's objects (live
// or garbage not yet collected) grew over the live heap before the loop,
// sampled every 1,000 rows: a peer that kept its rows would grow it by
// their size (tens of megabytes); and heap-growth-B/op, what stays live
// after the loop, per op.
func streamSuite(b *testing.B, t Target) {
	ctx := context.Background()
	peers := &scalePeers{}
	defer peers.closeAll()
	b.Run("op=Iter"+strconv.Itoa(StreamRows), func(b *testing.B) {
		for _, def := range t.Peers() {
			b.Run("peer="+def.Name, func(b *testing.B) {
				p, ok := peers.get(b, ctx, t, def)
				if !ok {
					b.Skipf("%s has no streaming series", def.Name)
				}
				if err := stream(ctx, p, true, nil); err != nil {
					b.Fatalf("Stream on %s: %v", def.Name, err)
				}
				b.ReportAllocs()
				base := heapAfterGC()
				peak := base
				for b.Loop() {
					if err := stream(ctx, p, false, &peak); err != nil {
						b.Fatal(err)
					}
				}
				growth := int64(heapAfterGC()) - int64(base)
				b.ReportMetric(float64(peak-base), "peak-heap-B")
				b.ReportMetric(float64(growth)/float64(b.N), "heap-growth-B/op")
			})
		}
	})
}

func BenchmarkPostgresScale(b *testing.B)  { scaleSuite(b, pgTargetOf(b, false)) }
func BenchmarkPostgresStream(b *testing.B) { streamSuite(b, pgTargetOf(b, false)) }
func BenchmarkSQLiteScale(b *testing.B)    { scaleSuite(b, sqlite3) }
func BenchmarkSQLiteStream(b *testing.B)   { streamSuite(b, sqlite3) }

// TestScalers checks the scale and streaming series of every peer that
// has them once, on both databases.
func TestScalers(t *testing.T) {
	for _, tt := range []struct {
		name   string
		target func(testing.TB) Target
	}{
		{"postgres", func(tb testing.TB) Target { return pgTargetOf(tb, false) }},
		{"sqlite", func(testing.TB) Target { return sqlite3 }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			target := tt.target(t)
			ctx := context.Background()
			peers := &scalePeers{}
			defer peers.closeAll()
			var ran int
			for _, def := range target.Peers() {
				t.Run(def.Name, func(t *testing.T) {
					p, ok := peers.get(t, ctx, target, def)
					if !ok {
						t.Skipf("%s has no scale series", def.Name)
					}
					ran++
					for _, n := range ScaleRows {
						items, err := p.ReadN(ctx, n)
						if err == nil {
							err = checkReadN(items, n)
						}
						if err != nil {
							t.Errorf("ReadN(%d): %v", n, err)
						}
					}
					if err := stream(ctx, p, true, nil); err != nil {
						t.Errorf("Stream: %v", err)
					}
				})
			}
			if ran < 2 {
				t.Errorf("%d peers with the series, want genrepo and a yardstick at least", ran)
			}
		})
	}
}
