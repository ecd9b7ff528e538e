package analysis

import (
	"cmp"
	"context"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// MaxExactNodes is the largest subgraph Centrality computes exactly.
// The Brandes pass costs O(n·(n+m)) time; on random sparse graphs (about
// 2 edges per node) one exact computation was measured on this project's
// 2-core reference machine at about 0.18 s for 2,000 nodes, 1.2 s for
// 5,000, 3.1 s for 8,000, 4.9 s for 10,000 (up to 5.6 s with a concurrent
// benchmark on the other core), 7.2 s for 12,000 and 20 s for 20,000.
// gonum's map-based network.Betweenness, used before with a limit of 2,000
// nodes, took 2.2 s for 2,000 nodes, 12 times as long.
// Larger scopes need a narrower scope or ApproximateCentrality.
const MaxExactNodes = 10000

// Seed is the fixed seed of Louvain and of the pivot sample, so that the
// results are reproducible.
const Seed = 20240901

// NodeCentrality is the centrality of one node in the chosen subgraph.
type NodeCentrality struct {
	Node *landscape.Node
	// Degree is the number of distinct neighbours.
	Degree int
	// Betweenness is the normalised betweenness: the share of shortest
	// paths between pairs of other nodes that pass through the node,
	// summed over pairs and divided by the number of pairs of other
	// nodes, (n-1)(n-2)/2; between 0 and 1.
	Betweenness float64
	// Closeness is the Wasserman–Faust closeness (r/(n-1))·(r/Σd), where r
	// is the number of nodes the node reaches and Σd the sum of the
	// distances to them; 1/mean distance in a connected graph, scaled down
	// by the share of the graph reached otherwise, 0 for an isolate.
	Closeness float64
}

// Centralities are the centralities of the nodes of a scope.
type Centralities struct {
	Graph *Graph
	// Nodes lists every node of the scope, sorted by id.
	Nodes []NodeCentrality
	// Approximate is set when Betweenness and Closeness are estimated from
	// Pivots sampled sources (ApproximateCentrality).
	Approximate bool
	Pivots      int
}

// Of returns the centrality of node id.
func (c *Centralities) Of(id string) (NodeCentrality, bool) {
	i, ok := slices.BinarySearchFunc(c.Nodes, id, func(n NodeCentrality, id string) int { return cmp.Compare(n.Node.ID, id) })
	if !ok {
		return NodeCentrality{}, false
	}
	return c.Nodes[i], true
}

// Brokers returns the n nodes of highest betweenness (all when n <= 0),
// leaving out nodes on no shortest path; ties by name, then id.
func (c *Centralities) Brokers(n int) []NodeCentrality {
	var out []NodeCentrality
	for _, x := range c.Nodes {
		if x.Betweenness > 0 {
			out = append(out, x)
		}
	}
	slices.SortFunc(out, func(a, b NodeCentrality) int {
		if x := cmp.Compare(b.Betweenness, a.Betweenness); x != 0 {
			return x
		}
		return byName(a.Node, b.Node)
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// Isolates returns the nodes of the scope without an edge in the scope,
// sorted by name, then id.
func (c *Centralities) Isolates() []*landscape.Node {
	var out []*landscape.Node
	for _, x := range c.Nodes {
		if x.Degree == 0 {
			out = append(out, x.Node)
		}
	}
	return sortedNodes(out)
}

// Centrality computes degree, betweenness and closeness for every node of
// the scope (see Load), on the scope's subgraph only: nodes and edges
// outside it do not count, as in Kumu's metrics on a filtered map. The
// graph is treated as undirected and simple — every edge of the chosen kinds
// joins its ends both ways, several edges between two nodes count once.
//
// Betweenness and closeness come from one pass of Brandes' algorithm
// (Brandes, "A faster algorithm for betweenness centrality", 2001;
// unweighted) over int-indexed slices: one breadth-first search per source
// node counts the shortest paths σ and gives the distances and the order
// of the nodes by distance; the dependencies δ accumulated in reverse order
// sum to the betweenness, and the distances of the same search give the
// source's closeness. The values are those of gonum's network.Betweenness
// and of a breadth-first search per node, bit for bit (the tests keep gonum
// as the oracle). Scopes of more than MaxExactNodes nodes are refused with
// an EInvalid error about "scope"; use ApproximateCentrality for them.
func Centrality(ctx context.Context, s landscape.Store, scope Scope) (*Centralities, error) {
	g, err := Load(ctx, s, scope)
	if err != nil {
		return nil, err
	}
	return CentralityOf(ctx, g)
}

// CentralityOf is Centrality on a loaded snapshot.
func CentralityOf(ctx context.Context, g *Graph) (*Centralities, error) {
	if n := len(g.Nodes); n > MaxExactNodes {
		return nil, landscape.Errorf(landscape.EInvalid, "scope",
			"has %d nodes; exact betweenness is computed for at most %d: narrow the scope (region, kinds) or ask for an approximation", n, MaxExactNodes)
	}
	return exactCentrality(ctx, g)
}

// exactCentrality is CentralityOf without the limit on the size.
func exactCentrality(ctx context.Context, g *Graph) (*Centralities, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	u := undirected(g)
	res := u.result(g)
	n := len(u.nodes)
	if n < 2 {
		return res, nil
	}
	b := newBrandes(u.csr())
	for s := range n {
		if s%64 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// Closeness of s: r nodes reached at distances summing to Σd.
		if sum := b.source(int32(s)); sum > 0 {
			r := float64(len(b.order) - 1)
			res.Nodes[s].Closeness = r / float64(n-1) * r / float64(sum)
		}
	}
	if n > 2 {
		// Every source counts each unordered pair {s,t} twice, once from s
		// and once from t: the sum is over ordered pairs, as gonum's.
		norm := float64((n - 1) * (n - 2))
		for v, x := range b.bc {
			res.Nodes[v].Betweenness = x / norm
		}
	}
	return res, nil
}

// ApproximateCentrality estimates betweenness and closeness from `pivots`
// sampled source nodes, for scopes too large for Centrality (Brandes–Pich,
// "Centrality estimation in large networks", 2007): Centrality's Brandes
// pass, run from the sampled sources only.
//
//   - Betweenness: the dependencies δ_s(v) summed over the k sampled sources
//     s and scaled by n/k estimate the sum over all sources; normalised as in
//     Centrality.
//   - Closeness: for each node v, the share f of sampled sources (other than
//     v) that reach v and the mean distance d̄ from them estimate the
//     Wasserman–Faust closeness as f/d̄.
//
// The sources are a seeded (Seed) random sample of the nodes in id order,
// so results are reproducible. With pivots >= the number of nodes every
// node is a source and the values are exact (equal to Centrality's). Cost:
// O(k·(n+m)) time, O(n+m) memory.
func ApproximateCentrality(ctx context.Context, s landscape.Store, scope Scope, pivots int) (*Centralities, error) {
	if pivots <= 0 {
		return nil, landscape.Errorf(landscape.EInvalid, "pivots", "must be positive, not %d", pivots)
	}
	g, err := Load(ctx, s, scope)
	if err != nil {
		return nil, err
	}
	return ApproximateCentralityOf(ctx, g, pivots)
}

// ApproximateCentralityOf is ApproximateCentrality on a loaded snapshot.
func ApproximateCentralityOf(ctx context.Context, g *Graph, pivots int) (*Centralities, error) {
	u := undirected(g)
	res := u.result(g)
	n := len(u.nodes)
	k := min(pivots, n)
	res.Approximate, res.Pivots = k < n, k
	if n < 2 {
		return res, nil
	}
	sources := rand.New(rand.NewPCG(Seed, uint64(n))).Perm(n)[:k]
	slices.Sort(sources)
	var (
		b       = newBrandes(u.csr())
		dsum    = make([]float64, n)
		reached = make([]int, n)
		isSrc   = make([]bool, n)
	)
	for _, src := range sources {
		isSrc[src] = true
	}
	for i, src := range sources {
		if i%16 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		b.source(int32(src))
		for _, w := range b.order[1:] {
			reached[w]++
			dsum[w] += float64(b.dist[w])
		}
	}
	if n > 2 {
		scale := float64(n) / float64(k) / float64((n-1)*(n-2))
		for v, x := range b.bc {
			res.Nodes[v].Betweenness = x * scale
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

// brandes is the state of Brandes' algorithm on an unweighted undirected
// graph in compressed sparse row form: the neighbours of node v are
// nb[off[v]:off[v+1]] (ugraph.csr). The per-source buffers are allocated
// once and reused by every source; source resets only the entries of the
// nodes the previous source reached.
type brandes struct {
	off []int
	nb  []int32
	// bc[v] is Σ δ_s(v) over the sources run so far.
	bc []float64
	// After source(s): dist[v] is the distance from s (-1 if unreached),
	// order the nodes reached from s by non-decreasing distance (s first).
	dist  []int32
	order []int32
	sigma []float64 // number of shortest paths from s (float64: no overflow)
	delta []float64 // dependency of s on v
	// The predecessors of v on the shortest paths from s are
	// pred[off[v]:off[v]+np[v]]: a subset of v's neighbours, so they fit
	// in the slots of v's neighbour list.
	pred []int32
	np   []int32
}

func newBrandes(off []int, nb []int32) *brandes {
	n := len(off) - 1
	b := &brandes{off: off, nb: nb,
		bc: make([]float64, n), dist: make([]int32, n), order: make([]int32, 0, n),
		sigma: make([]float64, n), delta: make([]float64, n),
		pred: make([]int32, len(nb)), np: make([]int32, n)}
	for v := range b.dist {
		b.dist[v] = -1
	}
	return b
}

// source runs Brandes from s: a breadth-first search counting the shortest
// paths σ and noting the predecessors, then the accumulation of the
// dependencies δ in order of non-increasing distance, added to bc. It
// returns the sum of the distances from s to the nodes it reaches.
//
// The arithmetic is that of gonum's network.Betweenness, in the same order
// (sources, and neighbours in the search, in id order; δ(v) receives its
// terms in the order the nodes are taken from the back of the search
// order), so the sums are the same bit for bit.
func (b *brandes) source(s int32) int {
	off, nb, pred, np, dist, sigma, delta := b.off, b.nb, b.pred, b.np, b.dist, b.sigma, b.delta
	for _, v := range b.order {
		dist[v], sigma[v], delta[v], np[v] = -1, 0, 0, 0
	}
	dist[s], sigma[s] = 0, 1
	order := append(b.order[:0], s)
	for head := 0; head < len(order); head++ {
		v := order[head]
		next, sv := dist[v]+1, sigma[v]
		for _, w := range nb[off[v]:off[v+1]] {
			if dist[w] < 0 {
				dist[w] = next
				order = append(order, w)
			}
			if dist[w] == next {
				sigma[w] += sv
				pred[off[w]+int(np[w])] = v
				np[w]++
			}
		}
	}
	b.order = order
	sum := 0
	for j := len(order) - 1; j > 0; j-- {
		w := order[j]
		sw, cw := sigma[w], 1+delta[w]
		sum += int(dist[w])
		for _, v := range pred[off[w] : off[w]+int(np[w])] {
			delta[v] += sigma[v] / sw * cw
		}
		b.bc[w] += delta[w]
	}
	return sum
}

// Community is a group of nodes found by Louvain.
type Community struct {
	// Members are sorted by id.
	Members []*landscape.Node
}

// Partition is the answer of Communities.
type Partition struct {
	Graph *Graph
	// Modularity is Newman's Q of the partition (resolution 1).
	Modularity float64
	// Communities are sorted by size (largest first), then by the smallest
	// member id. Every node of the scope is in exactly one; an isolate is a
	// community of its own.
	Communities []Community
}

// Communities partitions the scope's subgraph (undirected, simple; see
// Centrality) into communities with gonum's Louvain implementation
// (community.Modularize, resolution 1, random source seeded with Seed):
// the same graph always gives the same partition.
func Communities(ctx context.Context, s landscape.Store, scope Scope) (*Partition, error) {
	g, err := Load(ctx, s, scope)
	if err != nil {
		return nil, err
	}
	return CommunitiesOf(ctx, g)
}

// CommunitiesOf is Communities on a loaded snapshot.
func CommunitiesOf(ctx context.Context, g *Graph) (*Partition, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	u := undirected(g)
	res := &Partition{Graph: g}
	var groups [][]graph.Node
	if u.edges == 0 {
		for _, n := range u.nodes {
			groups = append(groups, []graph.Node{n})
		}
	} else {
		r := community.Modularize(u, 1, rand.NewPCG(Seed, 0))
		groups = r.Communities()
		res.Modularity = community.Q(u, groups, 1)
	}
	for _, grp := range groups {
		var c Community
		for _, n := range grp {
			c.Members = append(c.Members, u.node[n.ID()])
		}
		slices.SortFunc(c.Members, func(a, b *landscape.Node) int { return cmp.Compare(a.ID, b.ID) })
		if len(c.Members) > 0 {
			res.Communities = append(res.Communities, c)
		}
	}
	slices.SortFunc(res.Communities, func(a, b Community) int {
		if x := cmp.Compare(len(b.Members), len(a.Members)); x != 0 {
			return x
		}
		return cmp.Compare(a.Members[0].ID, b.Members[0].ID)
	})
	return res, nil
}

// ---------------------------------------------------------------------------
// The gonum view of a snapshot.

// ugraph is a snapshot as a gonum graph.Undirected: node i is the i-th id
// in sorted order, neighbour lists are sorted. gonum's simple graphs
// iterate maps, which makes the moves of Louvain (and the float sums of
// gonum's Betweenness, the tests' oracle) depend on map order; this type
// iterates slices, so results are reproducible bit for bit. The Brandes
// pass reads it in compressed sparse row form (csr).
type ugraph struct {
	nodes []graph.Node
	node  []*landscape.Node
	adj   [][]graph.Node
	edges int
}

var _ graph.Undirected = (*ugraph)(nil)

func undirected(g *Graph) *ugraph {
	ids := g.IDs()
	index := make(map[string]int64, len(ids))
	u := &ugraph{nodes: make([]graph.Node, len(ids)), node: make([]*landscape.Node, len(ids)), adj: make([][]graph.Node, len(ids))}
	for i, id := range ids {
		index[id] = int64(i)
		u.nodes[i] = simple.Node(i)
		u.node[i] = g.Nodes[id]
	}
	for i, id := range ids {
		for _, nb := range g.Neighbours(id) {
			if j, ok := index[nb]; ok && nb != id {
				u.adj[i] = append(u.adj[i], u.nodes[j])
			}
		}
		// Neighbours are sorted by id, and ids are numbered in id order.
		u.edges += len(u.adj[i])
	}
	u.edges /= 2
	return u
}

func (u *ugraph) result(g *Graph) *Centralities {
	res := &Centralities{Graph: g, Nodes: make([]NodeCentrality, len(u.nodes))}
	for i := range u.nodes {
		res.Nodes[i] = NodeCentrality{Node: u.node[i], Degree: len(u.adj[i])}
	}
	return res
}

// csr returns the neighbour lists in compressed sparse row form: the
// neighbours of node v are nb[off[v]:off[v+1]], sorted.
func (u *ugraph) csr() (off []int, nb []int32) {
	off = make([]int, len(u.adj)+1)
	nb = make([]int32, 0, 2*u.edges)
	for v, ns := range u.adj {
		for _, w := range ns {
			nb = append(nb, int32(w.ID()))
		}
		off[v+1] = len(nb)
	}
	return off, nb
}

func (u *ugraph) Node(id int64) graph.Node {
	if id < 0 || id >= int64(len(u.nodes)) {
		return nil
	}
	return u.nodes[id]
}

func (u *ugraph) Nodes() graph.Nodes { return iterator.NewOrderedNodes(u.nodes) }

func (u *ugraph) From(id int64) graph.Nodes {
	if id < 0 || id >= int64(len(u.nodes)) {
		return graph.Empty
	}
	return iterator.NewOrderedNodes(u.adj[id])
}

func (u *ugraph) HasEdgeBetween(x, y int64) bool {
	if x < 0 || x >= int64(len(u.nodes)) {
		return false
	}
	_, ok := slices.BinarySearchFunc(u.adj[x], y, func(n graph.Node, y int64) int { return cmp.Compare(n.ID(), y) })
	return ok
}

func (u *ugraph) Edge(x, y int64) graph.Edge {
	if !u.HasEdgeBetween(x, y) {
		return nil
	}
	return simple.Edge{F: u.nodes[x], T: u.nodes[y]}
}

func (u *ugraph) EdgeBetween(x, y int64) graph.Edge { return u.Edge(x, y) }
