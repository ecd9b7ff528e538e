package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/analysis"
	"github.com/bildungsgraph/bildungsgraph/internal/embedded"
	"github.com/bildungsgraph/bildungsgraph/internal/exchange"
	"github.com/bildungsgraph/bildungsgraph/internal/generate"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
	"github.com/bildungsgraph/bildungsgraph/internal/server"
)

// The Go benchmarks run the queries of the load driver in-process, without
// network, against the embedded store (for profiles):
//
//	BGBENCH_SCALE=1 go test -run '^$' -bench . -benchtime 20x -cpuprofile cpu.out ./cmd/bgbench/
//
// BGBENCH_SCALE is the scale of the generated landscape (default 0.1),
// BGBENCH_WAIT the loaders' batch wait (default: the embedded store's).

func benchScale() float64 {
	if s, err := strconv.ParseFloat(os.Getenv("BGBENCH_SCALE"), 64); err == nil && s > 0 {
		return s
	}
	return 0.1
}

// loaded returns a handler over an embedded store holding the landscape of
// scale, its counting store, the query parameters and the number of nodes;
// wait is the loaders' batch wait (0: the embedded store's).
func loaded(tb testing.TB, scale float64, wait time.Duration) (http.Handler, *countingStore, params, int) {
	tb.Helper()
	doc, err := generate.Generate(generate.Options{Scale: scale, Seed: 1})
	if err != nil {
		tb.Fatal(err)
	}
	p, err := chooseParams(doc)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := embedded.Open(filepath.Join(tb.TempDir(), "bench.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if _, err := s.Apply(context.Background(), doc.Changeset()); err != nil {
		tb.Fatal(err)
	}
	cs := &countingStore{Store: s}
	if wait == 0 {
		wait = landscape.BatchWaitOf(s, 0)
	}
	return server.New(server.Config{Store: cs, BatchWait: wait, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}), cs, p, len(doc.Nodes)
}

func post(tb testing.TB, h http.Handler, body []byte) []byte {
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte(`"errors":`)) {
		tb.Fatalf("status %d: %.500s", rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

// TestQueries checks that our server answers every query of the benchmark
// on a small generated landscape, and that the answers are not empty.
func TestQueries(t *testing.T) {
	h, _, p, _ := loaded(t, 0.01, 0)
	for _, q := range queries(p) {
		body, _ := json.Marshal(q.Ours)
		out := post(t, h, body)
		var v any
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatal(err)
		}
		size := q.OursSize(get(v, "data"))
		t.Logf("%s: %s", q.Name, size)
		for _, empty := range []string{"0 offers", "0 of ", "0 nodes", "length -1", "0 links", "<nil> nodes"} {
			if bytes.HasPrefix([]byte(size), []byte(empty)) {
				t.Errorf("%s: empty answer %q", q.Name, size)
			}
		}
	}
	for _, name := range []string{"nested.cypher", "page.cypher", "search.cypher", "ego.cypher", "path.cypher"} {
		if cypherText(name) == "" {
			t.Errorf("%s is empty", name)
		}
	}
}

func TestPercentile(t *testing.T) {
	l := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, c := range []struct{ p, want float64 }{{50, 5}, {95, 10}, {10, 1}, {100, 10}} {
		if got := percentile(l, c.p); got != c.want {
			t.Errorf("percentile(%v) = %v, want %v", c.p, got, c.want)
		}
	}
}

// BenchmarkQueries runs each query through the HTTP handler and reports the
// store round trips per request.
func BenchmarkQueries(b *testing.B) {
	wait, _ := time.ParseDuration(os.Getenv("BGBENCH_WAIT"))
	h, cs, p, _ := loaded(b, benchScale(), wait)
	for _, q := range queries(p) {
		body, _ := json.Marshal(q.Ours)
		b.Run(q.Name, func(b *testing.B) {
			post(b, h, body)
			before := cs.calls.Load()
			for b.Loop() {
				post(b, h, body)
			}
			b.ReportMetric(float64(cs.calls.Load()-before)/float64(b.N), "roundtrips/op")
		})
	}
}

// BenchmarkImportEmbedded imports the generated landscape, as JSON, into a
// new embedded store (as `bildungsgraph import` does).
func BenchmarkImportEmbedded(b *testing.B) {
	doc, err := generate.Generate(generate.Options{Scale: benchScale(), Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := generate.WriteJSON(&buf, doc); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		s, err := embedded.Open(filepath.Join(b.TempDir(), "import.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		in, err := exchange.ReadJSON(bytes.NewReader(buf.Bytes()), "landscape.json")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := exchange.Import(context.Background(), s, []*exchange.Input{in}, exchange.Options{}); err != nil {
			b.Fatal(landscape.Problems(err))
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}

// BenchmarkAnalysis runs the analyses of the coverage and brokers queries
// directly on the store, without GraphQL: the difference to
// BenchmarkQueries is the cost of resolving and writing the answer.
func BenchmarkAnalysis(b *testing.B) {
	_, cs, p, _ := loaded(b, benchScale(), 0)
	ctx := context.Background()
	asOf := landscape.MustDate(p.AsOf)
	b.Run("coverage", func(b *testing.B) {
		for b.Loop() {
			if _, err := analysis.Coverage(ctx, cs, analysis.CoverageQuery{FromPhase: "lp.fruehe-kindheit", Region: p.District, AsOf: asOf}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("brokers", func(b *testing.B) {
		for b.Loop() {
			if _, err := analysis.Centrality(ctx, cs, analysis.Scope{Region: p.District, NodeKinds: analysis.OrganisationKinds, EdgeKinds: analysis.CoordinationEdgeKinds}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestRoundTripsBounded counts the store round trips of each benchmark
// query on two generated landscapes, one four times the other: the GraphQL
// reads make the same number on both (no N+1: one round trip per nesting
// level or traversal step, never one per item), and every query stays
// within the bound its shape allows. The analyses (coverage, brokers) read
// in batches of up to landscape.MaxPageSize ids, so their bound grows by one
// per further MaxPageSize nodes, never per node. The dataloaders wait 20 ms
// for keys so that a slow machine does not split a level's batch.
func TestRoundTripsBounded(t *testing.T) {
	const maxLength = 12 // of the path query
	bound := map[string]int64{
		"nested": 1,     // the node with its nested lists (offers, targetGroups, regions): one Expand call
		"page":   1 + 1, // the filtered page in one query; locatedIn
		"search": 1,
		"ego":    1,                 // the roots with both levels and the edges among the last one (one Expand call; endpoints primed)
		"path":   1 + maxLength + 1, // the two ends; one adjacency batch per level; the nodes of the paths
		// Coverage: as counted in the conformance suite (storetest).
		// Brokers: Load walks the region hierarchy (two round trips per
		// level) and reads the edges among the nodes.
		"coverage": 13,
		"brokers":  14,
	}
	grows := map[string]bool{"path": true, "coverage": true, "brokers": true}
	var counts [2]map[string]int64
	for i, scale := range []float64{0.01, 0.04} {
		h, cs, p, nodes := loaded(t, scale, 20*time.Millisecond)
		pages := int64((nodes + landscape.MaxPageSize - 1) / landscape.MaxPageSize)
		counts[i] = map[string]int64{}
		for _, q := range queries(p) {
			body, _ := json.Marshal(q.Ours)
			before := cs.snapshot()
			post(t, h, body)
			d := cs.snapshot().minus(before)
			t.Logf("scale %v, %s: %d round trips %v", scale, q.Name, d.Calls, d.Methods)
			counts[i][q.Name] = d.Calls
			max, ok := bound[q.Name]
			if !ok {
				t.Fatalf("%s: no bound", q.Name)
			}
			if grows[q.Name] && q.Name != "path" {
				max += pages - 1
			}
			if d.Calls > max || d.Calls < 1 {
				t.Errorf("scale %v, %s: %d round trips %v; want 1 to %d", scale, q.Name, d.Calls, d.Methods, max)
			}
		}
	}
	for name, n := range counts[0] {
		if !grows[name] && counts[1][name] != n {
			t.Errorf("%s: %d round trips on the small landscape, %d on the one four times as large; want the same", name, n, counts[1][name])
		}
	}
}
