package embedded_test

import (
	"fmt"
	"os"
	"runtime"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/embedded"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// The benchmarks use a landscape of 50k nodes and 300k edges.
const (
	benchNodes = 50_000
	benchEdges = 300_000
)

var benchGraph *generated

func bigGraph() *generated {
	if benchGraph == nil {
		benchGraph = generate(benchNodes, benchEdges)
	}
	return benchGraph
}

// bigStore opens a store in a new file loaded with the big landscape.
func bigStore(b *testing.B) (*embedded.Store, string) {
	b.Helper()
	path := tempDB(b)
	s := openStore(b, path)
	apply(b, s, bigGraph().changeset())
	return s, path
}

// BenchmarkApplyBulk writes 50k nodes and 300k edges in one changeset into
// an empty file (one fsynced bbolt transaction).
func BenchmarkApplyBulk(b *testing.B) {
	g := bigGraph()
	for b.Loop() {
		b.StopTimer()
		s, err := embedded.Open(tempDB(b))
		if err != nil {
			b.Fatal(err)
		}
		cs := g.changeset()
		b.StartTimer()
		if _, err := s.Apply(ctx, cs); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}

// BenchmarkOpen loads a file of 50k nodes and 300k edges. It reports the
// heap the loaded store holds (heap-MB) and the file size (file-MB).
func BenchmarkOpen(b *testing.B) {
	s, path := bigStore(b)
	s.Close()
	var heap uint64
	for b.Loop() {
		b.StopTimer()
		var before, after runtime.MemStats
		runtime.GC() // twice: bbolt's page pool survives one GC
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		s, err := embedded.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap = after.HeapAlloc - before.HeapAlloc
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(heap)/(1<<20), "heap-MB")
	if fi, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(fi.Size())/(1<<20), "file-MB")
	}
}

// BenchmarkApplySmall updates one node of the big landscape (fsync included).
func BenchmarkApplySmall(b *testing.B) {
	s, _ := bigStore(b)
	i := 0
	for b.Loop() {
		i++
		apply(b, s, &landscape.Changeset{Nodes: []landscape.NodeChange{{Op: landscape.OpUpdate, ID: "Offer-000042",
			Patch: &landscape.NodePatch{Name: landscape.Some(fmt.Sprintf("Angebot %d", i))}}}})
	}
}

func BenchmarkQueryNodes(b *testing.B) {
	s, _ := bigStore(b)
	verein := &landscape.Filter{Field: landscape.FieldCategory, Operator: landscape.Eq, Values: []string{"VEREIN"}}
	cases := []struct {
		name string
		q    landscape.NodeQuery
	}{
		{"offers-by-name", landscape.NodeQuery{Kinds: []landscape.NodeKind{landscape.Offer}}},
		{"all-by-name", landscape.NodeQuery{}},
		{"all-by-createdAt-desc", landscape.NodeQuery{Order: []landscape.Order{{Field: landscape.OrderCreatedAt, Desc: true}}}},
		{"all-asOf", landscape.NodeQuery{AsOf: landscape.MustDate("2024-01-01")}},
		{"name-contains", landscape.NodeQuery{Filter: &landscape.Filter{Field: landscape.FieldName, Operator: landscape.Contains, Values: []string{"jugend schule"}}}},
		{"offers-provided-by-verein-asOf", landscape.NodeQuery{Kinds: []landscape.NodeKind{landscape.Offer}, AsOf: landscape.MustDate("2022-01-01"),
			Filter: &landscape.Filter{Relation: &landscape.RelationFilter{Kinds: []landscape.EdgeKind{landscape.Provides},
				Direction: landscape.DirIn, Quantifier: landscape.QuantSome, Node: verein}}}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.QueryNodes(ctx, c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// A query after each small write: the sorted list is brought up to
	// date by a merge rather than a full sort. The write is not timed.
	b.Run("all-by-createdAt-after-write", func(b *testing.B) {
		q := landscape.NodeQuery{Order: []landscape.Order{{Field: landscape.OrderCreatedAt, Desc: true}}}
		i := 0
		for b.Loop() {
			b.StopTimer()
			i++
			apply(b, s, &landscape.Changeset{Nodes: []landscape.NodeChange{{Op: landscape.OpUpdate, ID: "Offer-000042",
				Patch: &landscape.NodePatch{Name: landscape.Some(fmt.Sprintf("Angebot %d", i))}}}})
			b.StartTimer()
			if _, err := s.QueryNodes(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkQueryEdges(b *testing.B) {
	s, _ := bigStore(b)
	cases := []struct {
		name string
		q    landscape.EdgeQuery
	}{
		{"all", landscape.EdgeQuery{}},
		{"kind", landscape.EdgeQuery{Kinds: []landscape.EdgeKind{landscape.MemberOf}}},
		{"asOf", landscape.EdgeQuery{AsOf: landscape.MustDate("2024-01-01")}},
		{"from", landscape.EdgeQuery{From: []string{"Institution-000001", "Institution-000002"}}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.QueryEdges(ctx, c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAdjacent asks for the edges of 100 nodes in both directions.
func BenchmarkAdjacent(b *testing.B) {
	s, _ := bigStore(b)
	var ids []string
	for i := range 100 {
		ids = append(ids, fmt.Sprintf("Institution-%06d", i))
	}
	q := landscape.AdjacencyQuery{NodeIDs: ids, Direction: landscape.DirBoth, AsOf: landscape.MustDate("2022-01-01")}
	for b.Loop() {
		if _, err := s.Adjacent(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}
