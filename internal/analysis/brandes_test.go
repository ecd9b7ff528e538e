package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/traverse"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// gonumCentralityOf is the former CentralityOf, kept as the oracle of the
// Brandes pass: betweenness from gonum's network.Betweenness (ordered
// pairs, divided by (n-1)(n-2)), closeness from a gonum breadth-first
// search per node. No size limit.
func gonumCentralityOf(ctx context.Context, g *Graph) (*Centralities, error) {
	u := undirected(g)
	res := u.result(g)
	n := len(u.nodes)
	if n > 2 {
		bc := network.Betweenness(u)
		norm := float64((n - 1) * (n - 2))
		for id, v := range bc {
			res.Nodes[id].Betweenness = v / norm
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if n > 1 {
		var bf traverse.BreadthFirst
		for i, from := range u.nodes {
			if i%64 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			bf.Reset()
			var reached, sum int
			bf.Walk(u, from, func(_ graph.Node, d int) bool {
				if d > 0 {
					reached++
					sum += d
				}
				return false
			})
			if sum > 0 {
				r := float64(reached)
				res.Nodes[i].Closeness = r / float64(n-1) * r / float64(sum)
			}
		}
	}
	return res, nil
}

// formerApproximateCentralityOf is ApproximateCentralityOf as it was before
// it shared the Brandes pass with CentralityOf (its own BFS over [][]int32);
// the new one must give the same values bit for bit.
func formerApproximateCentralityOf(ctx context.Context, g *Graph, pivots int) (*Centralities, error) {
	u := undirected(g)
	res := u.result(g)
	n := len(u.nodes)
	k := min(pivots, n)
	res.Approximate, res.Pivots = k < n, k
	if n < 2 {
		return res, nil
	}
	adj := make([][]int32, n)
	for i, ns := range u.adj {
		adj[i] = make([]int32, len(ns))
		for j, x := range ns {
			adj[i][j] = int32(x.ID())
		}
	}
	sources := rand.New(rand.NewPCG(Seed, uint64(n))).Perm(n)[:k]
	slices.Sort(sources)
	var (
		bc      = make([]float64, n)
		dsum    = make([]float64, n)
		reached = make([]int, n)
		isSrc   = make([]bool, n)
		dist    = make([]int32, n)
		sigma   = make([]float64, n)
		delta   = make([]float64, n)
		order   = make([]int32, 0, n)
	)
	for _, src := range sources {
		isSrc[src] = true
	}
	for i, src := range sources {
		if i%16 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		for v := range dist {
			dist[v], sigma[v], delta[v] = -1, 0, 0
		}
		dist[src], sigma[src] = 0, 1
		order = append(order[:0], int32(src))
		for head := 0; head < len(order); head++ {
			v := order[head]
			for _, w := range adj[v] {
				if dist[w] < 0 {
					dist[w] = dist[v] + 1
					order = append(order, w)
				}
				if dist[w] == dist[v]+1 {
					sigma[w] += sigma[v]
				}
			}
		}
		for j := len(order) - 1; j > 0; j-- {
			w := order[j]
			reached[w]++
			dsum[w] += float64(dist[w])
			for _, v := range adj[w] {
				if dist[v] == dist[w]-1 {
					delta[v] += sigma[v] / sigma[w] * (1 + delta[w])
				}
			}
			bc[w] += delta[w]
		}
	}
	if n > 2 {
		scale := float64(n) / float64(k) / float64((n-1)*(n-2))
		for v := range bc {
			res.Nodes[v].Betweenness = bc[v] * scale
		}
	}
	for v := range reached {
		others := k
		if isSrc[v] {
			others--
		}
		if reached[v] > 0 && others > 0 {
			f := float64(reached[v]) / float64(others)
			mean := dsum[v] / float64(reached[v])
			res.Nodes[v].Closeness = f / mean
		}
	}
	return res, nil
}

// pairGraph is a snapshot of n nodes and the given edges between node
// numbers. Ids are a random permutation of the numbers, so that the id
// order (the order of the Brandes pass) is not the order of construction;
// edge directions are random, some edges are doubled and some are loops,
// which the undirected simple view must ignore.
func pairGraph(r *rand.Rand, n int, pairs [][2]int) *Graph {
	perm := r.Perm(n)
	id := func(i int) string { return fmt.Sprintf("v%04d", perm[i]) }
	nodes := map[string]*landscape.Node{}
	for i := range n {
		nodes[id(i)] = &landscape.Node{ID: id(i), Kind: landscape.Institution, Name: id(i)}
	}
	var edges []*landscape.Edge
	add := func(a, b int) {
		edges = append(edges, &landscape.Edge{ID: fmt.Sprintf("e%06d", len(edges)), Kind: landscape.CooperatesWith, From: id(a), To: id(b)})
	}
	for _, p := range pairs {
		a, b := p[0], p[1]
		if r.IntN(2) == 0 {
			a, b = b, a
		}
		add(a, b)
		if r.IntN(10) == 0 {
			add(b, a)
		}
	}
	if n > 0 && r.IntN(3) == 0 {
		v := r.IntN(n)
		add(v, v)
	}
	return newGraph(nil, nodes, edges)
}

// Shapes of test graphs on n nodes (numbered 0…n-1).

func gnp(r *rand.Rand, n int, p float64) [][2]int {
	var e [][2]int
	for a := range n {
		for b := a + 1; b < n; b++ {
			if r.Float64() < p {
				e = append(e, [2]int{a, b})
			}
		}
	}
	return e
}

func pathPairs(from, to int) [][2]int {
	var e [][2]int
	for v := from + 1; v < to; v++ {
		e = append(e, [2]int{v - 1, v})
	}
	return e
}

func complete(from, to int) [][2]int {
	var e [][2]int
	for a := from; a < to; a++ {
		for b := a + 1; b < to; b++ {
			e = append(e, [2]int{a, b})
		}
	}
	return e
}

func star(centre, from, to int) [][2]int {
	var e [][2]int
	for v := from; v < to; v++ {
		if v != centre {
			e = append(e, [2]int{centre, v})
		}
	}
	return e
}

// diamonds chains k diamonds a–{b,c}–d: 2^k shortest paths end to end,
// more than an int64 counts for k > 63.
func diamonds(k int) (int, [][2]int) {
	var e [][2]int
	for i := range k {
		a, b, c, d := 3*i, 3*i+1, 3*i+2, 3*i+3
		e = append(e, [2]int{a, b}, [2]int{a, c}, [2]int{b, d}, [2]int{c, d})
	}
	return 3*k + 1, e
}

type testGraph struct {
	name string
	g    *Graph
}

// shapes returns the graphs of the property tests: fixed shapes and
// random ones, sparse and dense, with several components and isolates.
func shapes(t testing.TB) []testGraph {
	r := rand.New(rand.NewPCG(20240901, 42))
	var gs []testGraph
	add := func(name string, n int, e [][2]int) {
		gs = append(gs, testGraph{fmt.Sprintf("%s/n=%d/m=%d", name, n, len(e)), pairGraph(r, n, e)})
	}
	for _, n := range []int{0, 1, 2, 3} {
		add("empty", n, nil)
		add("complete", n, complete(0, n))
	}
	add("pair-and-isolate", 3, [][2]int{{0, 1}})
	for _, n := range []int{4, 17, 200} {
		add("path", n, pathPairs(0, n))
		add("star", n, star(n/2, 0, n))
		add("complete", n, complete(0, n))
		add("cycle", n, append(pathPairs(0, n), [2]int{n - 1, 0}))
	}
	n, e := diamonds(66)
	add("diamonds", n, e)
	// Complete bipartite: many equal shortest paths.
	var kb [][2]int
	for a := range 12 {
		for b := 12; b < 40; b++ {
			kb = append(kb, [2]int{a, b})
		}
	}
	add("bipartite", 40, kb)
	// Grid with holes: many equal shortest paths, some detours.
	var grid [][2]int
	for y := range 12 {
		for x := range 12 {
			v := 12*y + x
			if x < 11 && r.IntN(8) > 0 {
				grid = append(grid, [2]int{v, v + 1})
			}
			if y < 11 && r.IntN(8) > 0 {
				grid = append(grid, [2]int{v, v + 12})
			}
		}
	}
	add("grid", 144, grid)
	// Components of every shape side by side, and isolates.
	var mix [][2]int
	mix = append(mix, complete(0, 10)...)
	mix = append(mix, pathPairs(10, 30)...)
	mix = append(mix, star(30, 30, 50)...)
	mix = append(mix, [2]int{9, 10}) // a bridge between the clique and the path
	for _, p := range gnp(r, 60, 0.05) {
		mix = append(mix, [2]int{p[0] + 50, p[1] + 50})
	}
	add("components", 130, mix) // nodes 110…129 are isolates unless gnp reached them
	// Random graphs, sparse (mostly trees and forests) to dense.
	for i := range 40 {
		n := 2 + r.IntN(199)
		var p float64
		switch i % 4 {
		case 0:
			p = 0.5 / float64(n) // forest of small pieces, many isolates
		case 1:
			p = 2 / float64(n)
		case 2:
			p = 6 / float64(n)
		default:
			p = 0.2 + 0.7*r.Float64()
		}
		add(fmt.Sprintf("gnp-p=%.3f", p), n, gnp(r, n, p))
	}
	// Random trees with extra edges (connected, sparse).
	for range 10 {
		n := 2 + r.IntN(199)
		var e [][2]int
		for v := 1; v < n; v++ {
			e = append(e, [2]int{v, r.IntN(v)})
			if r.IntN(4) == 0 {
				e = append(e, [2]int{v, r.IntN(v)})
			}
		}
		add("tree+", n, e)
	}
	t.Logf("%d test graphs", len(gs))
	return gs
}

func relClose(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-9*max(math.Abs(a), math.Abs(b))
}

// The Brandes pass gives the values of gonum's network.Betweenness,
// normalised as before, and of a breadth-first search per node.
func TestCentralityMatchesGonum(t *testing.T) {
	ctx := context.Background()
	identical, total := 0, 0
	for _, x := range shapes(t) {
		got, err := CentralityOf(ctx, x.g)
		if err != nil {
			t.Fatalf("%s: %v", x.name, err)
		}
		want, err := gonumCentralityOf(ctx, x.g)
		if err != nil {
			t.Fatalf("%s: %v", x.name, err)
		}
		if got.Approximate || got.Pivots != 0 || len(got.Nodes) != len(want.Nodes) {
			t.Fatalf("%s: %d nodes (approximate %v, %d pivots), want %d", x.name, len(got.Nodes), got.Approximate, got.Pivots, len(want.Nodes))
		}
		bad := 0
		for i, a := range got.Nodes {
			b := want.Nodes[i]
			total++
			if a == b {
				identical++
			}
			if a.Node != b.Node || a.Degree != b.Degree || !relClose(a.Betweenness, b.Betweenness) || !relClose(a.Closeness, b.Closeness) {
				if bad++; bad <= 3 {
					t.Errorf("%s: %s degree %d betweenness %.17g closeness %.17g; gonum: %s %d %.17g %.17g",
						x.name, a.Node.ID, a.Degree, a.Betweenness, a.Closeness, b.Node.ID, b.Degree, b.Betweenness, b.Closeness)
				}
			}
			if a.Betweenness < 0 || a.Betweenness > 1+1e-12 || a.Closeness < 0 || a.Closeness > 1+1e-12 {
				t.Errorf("%s: %s betweenness %g closeness %g out of [0, 1]", x.name, a.Node.ID, a.Betweenness, a.Closeness)
			}
		}
	}
	t.Logf("%d of %d nodes identical to gonum's bit for bit", identical, total)
}

// Sharing the Brandes pass leaves ApproximateCentralityOf's values as they
// were, bit for bit.
func TestApproximateCentralityUnchanged(t *testing.T) {
	ctx := context.Background()
	for _, x := range append(shapes(t), testGraph{"random-2000", randomGraph(2000, 5)}) {
		for _, k := range []int{1, 7, 64, 1000} {
			if k > 64 && len(x.g.Nodes) > 200 {
				continue // a few seconds under -race
			}
			got, err := ApproximateCentralityOf(ctx, x.g, k)
			if err != nil {
				t.Fatalf("%s: %v", x.name, err)
			}
			want, err := formerApproximateCentralityOf(ctx, x.g, k)
			if err != nil {
				t.Fatalf("%s: %v", x.name, err)
			}
			if got.Approximate != want.Approximate || got.Pivots != want.Pivots {
				t.Errorf("%s, %d pivots: approximate %v pivots %d, want %v %d", x.name, k, got.Approximate, got.Pivots, want.Approximate, want.Pivots)
			}
			for i, a := range got.Nodes {
				if b := want.Nodes[i]; a != b {
					t.Errorf("%s, %d pivots: %s %+v, before %+v", x.name, k, a.Node.ID, a, b)
					break
				}
			}
		}
	}
}

// laterCancelled is a context whose Err reports cancellation from its
// after-th call on, and which counts the calls.
type laterCancelled struct {
	context.Context
	after, calls int
}

func (c *laterCancelled) Err() error {
	if c.calls++; c.calls >= c.after {
		return context.Canceled
	}
	return nil
}

func TestCentralityCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, n := range []int{0, 1, 2, 100} {
		g := randomGraph(n, 1)
		if _, err := CentralityOf(ctx, g); !errors.Is(err, context.Canceled) {
			t.Errorf("Centrality of %d nodes with a cancelled context: %v", n, err)
		}
	}
	if _, err := ApproximateCentralityOf(ctx, randomGraph(100, 1), 10); !errors.Is(err, context.Canceled) {
		t.Errorf("ApproximateCentrality with a cancelled context: %v", err)
	}
	// Cancelled while running: noticed within 64 sources.
	g := randomGraph(1000, 1)
	for after := 1; after <= 5; after++ {
		c := &laterCancelled{Context: context.Background(), after: after}
		if _, err := CentralityOf(c, g); !errors.Is(err, context.Canceled) {
			t.Errorf("Centrality cancelled at the %d. check: %v", after, err)
		}
	}
	c := &laterCancelled{Context: context.Background(), after: math.MaxInt}
	if _, err := CentralityOf(c, g); err != nil {
		t.Fatal(err)
	}
	if want := 1000/64 + 1; c.calls < want {
		t.Errorf("Centrality of 1000 nodes checks the context %d times, want at least %d (every 64 sources)", c.calls, want)
	}
}

// One source costs no allocation: the buffers are reused.
func TestBrandesSourceDoesNotAllocate(t *testing.T) {
	b := newBrandes(undirected(randomGraph(500, 4)).csr())
	s := int32(0)
	if a := testing.AllocsPerRun(100, func() { b.source(s); s = (s + 7) % 500 }); a != 0 {
		t.Errorf("%g allocations per source", a)
	}
}
