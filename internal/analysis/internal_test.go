package analysis

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/path"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// randomGraph returns a sparse random snapshot of n nodes with about
// 2n edges, some of them in small separate components.
func randomGraph(n int, seed uint64) *Graph {
	r := rand.New(rand.NewPCG(seed, 1))
	nodes := map[string]*landscape.Node{}
	id := func(i int) string { return fmt.Sprintf("n%05d", i) }
	for i := range n {
		nodes[id(i)] = &landscape.Node{ID: id(i), Kind: landscape.Institution, Name: id(i)}
	}
	var edges []*landscape.Edge
	add := func(a, b int) {
		if a != b {
			edges = append(edges, &landscape.Edge{ID: fmt.Sprintf("%s>%s>%d", id(a), id(b), len(edges)), Kind: landscape.CooperatesWith, From: id(a), To: id(b)})
		}
	}
	for i := 1; i < n; i++ {
		if i%50 == 0 {
			continue // starts a new component
		}
		add(i, i-1-r.IntN(min(i, 10)))
		add(i, r.IntN(i))
	}
	return newGraph(nil, nodes, edges)
}

// The sampled Brandes with every node as a source must give gonum's exact
// values, and the BFS closeness gonum's network.Closeness (1/Σd) scaled to
// Wasserman–Faust on each node's component.
func TestApproximationWithAllPivotsIsExact(t *testing.T) {
	ctx := context.Background()
	g := randomGraph(300, 3)
	exact, err := CentralityOf(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	all, err := ApproximateCentralityOf(ctx, g, 300)
	if err != nil {
		t.Fatal(err)
	}
	if all.Approximate {
		t.Error("300 pivots on 300 nodes is not an approximation")
	}
	u := undirected(g)
	sp := path.DijkstraAllPaths(u)
	gc := network.Closeness(u, sp)
	n := float64(len(u.nodes))
	for i, x := range exact.Nodes {
		y := all.Nodes[i]
		if math.Abs(x.Betweenness-y.Betweenness) > 1e-9 || math.Abs(x.Closeness-y.Closeness) > 1e-9 {
			t.Errorf("%s: exact (%g, %g), all pivots (%g, %g)", x.Node.ID, x.Betweenness, x.Closeness, y.Betweenness, y.Closeness)
		}
		// Reached nodes r: Wasserman–Faust = r/(n-1) · r/Σd = r²/(n-1) · gonum.
		var r float64
		for j := range u.nodes {
			if j != i && !math.IsInf(sp.Weight(int64(j), int64(i)), 1) {
				r++
			}
		}
		if r > 0 {
			if want := r * r / (n - 1) * gc[int64(i)]; math.Abs(x.Closeness-want) > 1e-9 {
				t.Errorf("%s: closeness %g, gonum's scaled %g", x.Node.ID, x.Closeness, want)
			}
		}
	}
	// Sampled: close to the exact values for the top broker.
	some, err := ApproximateCentralityOf(ctx, g, 100)
	if err != nil {
		t.Fatal(err)
	}
	top := exact.Brokers(1)[0]
	est, _ := some.Of(top.Node.ID)
	if math.Abs(est.Betweenness-top.Betweenness) > 0.5*top.Betweenness {
		t.Errorf("100 pivots estimate the top broker %s at %g, exact %g", top.Node.ID, est.Betweenness, top.Betweenness)
	}
}

func TestExactCentralityIsBounded(t *testing.T) {
	_, err := CentralityOf(context.Background(), randomGraph(MaxExactNodes+1, 1))
	if landscape.ErrorCode(err) != landscape.EInvalid || landscape.AsError(err).Field != "scope" {
		t.Errorf("Centrality of %d nodes: %v, want EInvalid about scope", MaxExactNodes+1, err)
	}
}

// BenchmarkExactCentralityAtTheLimit measures Centrality on a random graph
// of MaxExactNodes nodes and about twice as many edges: the slowest exact
// computation Centrality accepts.
func BenchmarkExactCentralityAtTheLimit(b *testing.B) {
	g := randomGraph(MaxExactNodes, 2)
	b.Logf("%d nodes, %d edges", len(g.Nodes), len(g.Edges))
	for b.Loop() {
		if _, err := CentralityOf(context.Background(), g); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkApproximateCentralityAtTheLimit(b *testing.B) {
	g := randomGraph(MaxExactNodes, 2)
	for b.Loop() {
		if _, err := ApproximateCentralityOf(context.Background(), g, 64); err != nil {
			b.Fatal(err)
		}
	}
}
