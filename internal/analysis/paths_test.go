package analysis_test

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/analysis"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// countingStore counts the store calls of ShortestPaths: the Nodes,
// Expand and Adjacent calls and the node ids whose edges they read (the
// adjacency rows the search touches); first are the ids of the first read
// of edges.
type countingStore struct {
	landscape.Store
	nodes, expand, adjacent, adjacentIDs int
	first                                []string
}

func (c *countingStore) Expand(ctx context.Context, q landscape.ExpandQuery) (*landscape.Expansion, error) {
	c.expand++
	c.adjacentIDs += len(q.Roots)
	if c.first == nil {
		c.first = slices.Clone(q.Roots)
	}
	return c.Store.Expand(ctx, q)
}

func (c *countingStore) Nodes(ctx context.Context, ids []string, asOf *landscape.Date) (map[string]*landscape.Node, error) {
	c.nodes++
	return c.Store.Nodes(ctx, ids, asOf)
}

func (c *countingStore) Adjacent(ctx context.Context, q landscape.AdjacencyQuery) (map[string][]*landscape.Edge, error) {
	c.adjacent++
	c.adjacentIDs += len(q.NodeIDs)
	if c.first == nil {
		c.first = slices.Clone(q.NodeIDs)
	}
	return c.Store.Adjacent(ctx, q)
}

// pathGraph is a landscape held in memory as well, so that a plain
// breadth-first search over it can serve as the reference of
// ShortestPaths.
type pathGraph struct {
	nodes map[string]*landscape.Node
	edges []*landscape.Edge
}

func (g *pathGraph) node(id string, v landscape.Validity) {
	g.nodes[id] = &landscape.Node{ID: id, Kind: landscape.Institution, Name: "Einrichtung " + id, Source: "test", Validity: v}
}

func (g *pathGraph) edge(id string, kind landscape.EdgeKind, from, to string, v landscape.Validity) {
	g.edges = append(g.edges, &landscape.Edge{ID: id, Kind: kind, From: from, To: to, Source: "test", Validity: v})
}

// store writes g into a new embedded store.
func (g *pathGraph) store(t *testing.T) (context.Context, landscape.Store) {
	t.Helper()
	s := openEmbedded(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	cs := &landscape.Changeset{}
	for _, id := range slices.Sorted(maps.Keys(g.nodes)) {
		cs.Nodes = append(cs.Nodes, landscape.NodeChange{Op: landscape.OpCreate, Node: g.nodes[id]})
	}
	for _, e := range g.edges {
		cs.Edges = append(cs.Edges, landscape.EdgeChange{Op: landscape.OpCreate, Edge: e})
	}
	if _, err := s.Apply(ctx, cs); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return ctx, s
}

// refResult is what the reference expects of ShortestPaths: either an
// error (code and field) or the rendered answer (see renderPaths).
type refResult struct {
	code  landscape.Code
	field string
	lines []string
}

// reference answers a path query by plain breadth-first searches over the
// whole graph in memory: one from each end, so that the nodes on shortest
// paths are those v with dFrom(v) + dTo(v) = L. It follows the documented
// semantics, not the implementation: edges of the chosen kinds valid on
// AsOf between nodes valid on AsOf, in either direction; several edges
// between two nodes make one step.
func (g *pathGraph) reference(from, to string, q analysis.PathQuery) refResult {
	valid := func(id string) bool { n := g.nodes[id]; return n != nil && n.ValidAt(q.AsOf) }
	if !valid(from) {
		return refResult{code: landscape.ENotFound, field: "from"}
	}
	if !valid(to) {
		return refResult{code: landscape.ENotFound, field: "to"}
	}
	kinds, maxPaths, maxLen := q.EdgeKinds, q.MaxPaths, q.MaxLength
	if len(kinds) == 0 {
		kinds = analysis.CoordinationEdgeKinds
	}
	if maxPaths == 0 {
		maxPaths = analysis.DefaultMaxPaths
	}
	if maxLen == 0 {
		maxLen = analysis.DefaultMaxLength
	}
	if from == to {
		return refResult{lines: []string{"length 0, total 1, truncated false", from}}
	}
	nbrs := map[string][]string{}
	between := map[[2]string][]string{}
	pair := func(a, b string) [2]string { return [2]string{min(a, b), max(a, b)} }
	for _, e := range g.edges {
		if !slices.Contains(kinds, e.Kind) || !e.ValidAt(q.AsOf) || !valid(e.From) || !valid(e.To) {
			continue
		}
		k := pair(e.From, e.To)
		if between[k] == nil {
			nbrs[e.From] = append(nbrs[e.From], e.To)
			nbrs[e.To] = append(nbrs[e.To], e.From)
		}
		between[k] = append(between[k], e.ID)
	}
	for _, ns := range nbrs {
		slices.Sort(ns)
	}
	for _, es := range between {
		slices.Sort(es)
	}
	bfs := func(root string) map[string]int {
		dist := map[string]int{root: 0}
		for queue := []string{root}; len(queue) > 0; queue = queue[1:] {
			for _, w := range nbrs[queue[0]] {
				if _, ok := dist[w]; !ok {
					dist[w] = dist[queue[0]] + 1
					queue = append(queue, w)
				}
			}
		}
		return dist
	}
	dFrom, dTo := bfs(from), bfs(to)
	length, ok := dFrom[to]
	if !ok || length > maxLen {
		return refResult{lines: []string{"length -1, total 0, truncated false"}}
	}
	// next lists the steps from v along shortest paths, in id order.
	next := func(v string) []string {
		var out []string
		for _, w := range nbrs[v] {
			if dw, ok := dTo[w]; ok && dFrom[w] == dFrom[v]+1 && dFrom[w]+dw == length {
				out = append(out, w)
			}
		}
		return out
	}
	// Count the paths level by level.
	count := map[string]uint64{from: 1}
	for level := []string{from}; len(level) > 0; {
		var nl []string
		for _, v := range level {
			for _, w := range next(v) {
				if count[w] == 0 {
					nl = append(nl, w)
				}
				count[w] += count[v]
			}
		}
		level = nl
	}
	total := int(min(count[to], math.MaxInt32))
	// Enumerate in lexicographic order, depth first.
	var lines []string
	var dfs func(path []string)
	dfs = func(path []string) {
		if len(lines) == maxPaths {
			return
		}
		v := path[len(path)-1]
		if v == to {
			var b strings.Builder
			b.WriteString(path[0])
			for i := 1; i < len(path); i++ {
				fmt.Fprintf(&b, " -%s- %s", strings.Join(between[pair(path[i-1], path[i])], ","), path[i])
			}
			lines = append(lines, b.String())
			return
		}
		for _, w := range next(v) {
			dfs(append(path, w))
		}
	}
	dfs([]string{from})
	head := fmt.Sprintf("length %d, total %d, truncated %t", length, total, total > maxPaths)
	return refResult{lines: append([]string{head}, lines...)}
}

// renderPaths writes an answer of ShortestPaths as the reference does: a
// head line, then per path its nodes with the edge ids of each step in
// the order returned.
func renderPaths(p *analysis.Paths) []string {
	out := []string{fmt.Sprintf("length %d, total %d, truncated %t", p.Length, p.Total, p.Truncated)}
	for _, x := range p.Paths {
		var b strings.Builder
		if len(x.Steps) != len(x.Nodes)-1 {
			fmt.Fprintf(&b, "(%d steps) ", len(x.Steps))
		}
		for i, n := range x.Nodes {
			if i > 0 && i-1 < len(x.Steps) {
				st := x.Steps[i-1]
				if st.From.ID != x.Nodes[i-1].ID || st.To.ID != n.ID {
					fmt.Fprintf(&b, " (step %s–%s)", st.From.ID, st.To.ID)
				}
				var es []string
				for _, e := range st.Edges {
					es = append(es, e.ID)
				}
				fmt.Fprintf(&b, " -%s- ", strings.Join(es, ","))
			}
			b.WriteString(n.ID)
		}
		out = append(out, b.String())
	}
	return out
}

// checkPaths runs ShortestPaths on s and compares it with the reference
// on g. It checks the store calls too: one Expand call for the ends and
// their edges, one Adjacent call per further level searched — Length - 2
// or Length - 1 when a path is found, at most MaxLength otherwise — and
// one Nodes call for the nodes of the paths.
func checkPaths(t *testing.T, ctx context.Context, s landscape.Store, g *pathGraph, from, to string, q analysis.PathQuery) refResult {
	t.Helper()
	want := g.reference(from, to, q)
	cs := &countingStore{Store: s}
	p, err := analysis.ShortestPaths(ctx, cs, from, to, q)
	what := fmt.Sprintf("%s → %s, kinds %v, asOf %v, maxPaths %d, maxLength %d", from, to, q.EdgeKinds, q.AsOf, q.MaxPaths, q.MaxLength)
	if want.code != "" {
		if landscape.ErrorCode(err) != want.code || landscape.AsError(err).Field != want.field {
			t.Errorf("%s: error %v, want %s about %s", what, err, want.code, want.field)
		}
		return want
	}
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return want
	}
	checkList(t, what, renderPaths(p), want.lines...)
	maxLen := orDefault(q.MaxLength, analysis.DefaultMaxLength)
	// The first step of each side reads nothing more: the Expand call of
	// the ends brought their edges. Every further step is one Adjacent
	// call; the side of the second step may not have needed its first.
	switch {
	case p.Length > 0 && (cs.adjacent > p.Length-1 || cs.adjacent < p.Length-2):
		t.Errorf("%s: %d Adjacent calls for a path of length %d, want %d or %d", what, cs.adjacent, p.Length, max(p.Length-2, 0), p.Length-1)
	case cs.adjacent > maxLen:
		t.Errorf("%s: %d Adjacent calls, more than maxLength %d", what, cs.adjacent, maxLen)
	}
	if cs.expand != 1 || cs.nodes > 1 {
		t.Errorf("%s: %d Expand and %d Nodes calls, want 1 and at most 1", what, cs.expand, cs.nodes)
	}
	return want
}

// orDefault returns x, or def when x is 0.
func orDefault(x, def int) int {
	if x == 0 {
		return def
	}
	return x
}

var (
	pathKinds = []landscape.EdgeKind{landscape.CooperatesWith, landscape.PartOf, landscape.Funds, landscape.RefersTo}
	// A validity that ended in 2019 and one that starts in 2021.
	ended   = landscape.Validity{ValidTo: landscape.MustDate("2019-12-31")}
	starts  = landscape.Validity{ValidFrom: landscape.MustDate("2021-01-01")}
	pathDay = []*landscape.Date{nil, landscape.MustDate("2024-01-01"), landscape.MustDate("2018-06-01")}
)

// randomPathGraph builds one of four families of small graphs — sparse
// random, a cycle with chords, a grid with holes, layers with skips — of
// institutions joined by the four pathKinds, with parallel edges (several
// kinds, or one kind twice) and nodes and edges valid only in part of the
// time.
func randomPathGraph(r *rand.Rand) *pathGraph {
	g := &pathGraph{nodes: map[string]*landscape.Node{}}
	var ids []string
	addNodes := func(n int) {
		for range n {
			id := fmt.Sprintf("n%d", len(ids)) // n10 sorts before n2
			v := landscape.Validity{}
			switch x := r.IntN(20); {
			case x < 2:
				v = ended
			case x < 3:
				v = starts
			}
			g.node(id, v)
			ids = append(ids, id)
		}
	}
	var pairs [][2]int
	switch r.IntN(4) {
	case 0: // sparse random
		n := 2 + r.IntN(39)
		addNodes(n)
		for range 1 + r.IntN(2*n) {
			pairs = append(pairs, [2]int{r.IntN(n), r.IntN(n)})
		}
	case 1: // a cycle with chords: two shortest paths around an even cycle
		n := 3 + r.IntN(22)
		addNodes(n)
		for i := range n {
			pairs = append(pairs, [2]int{i, (i + 1) % n})
		}
		for range r.IntN(3) {
			pairs = append(pairs, [2]int{r.IntN(n), r.IntN(n)})
		}
	case 2: // a grid with holes: many shortest paths
		w, h := 2+r.IntN(5), 2+r.IntN(5)
		addNodes(w * h)
		for y := range h {
			for x := range w {
				if x+1 < w && r.IntN(8) > 0 {
					pairs = append(pairs, [2]int{y*w + x, y*w + x + 1})
				}
				if y+1 < h && r.IntN(8) > 0 {
					pairs = append(pairs, [2]int{y*w + x, (y+1)*w + x})
				}
			}
		}
	default: // layers, joined at random, with some edges skipping a layer
		var layers [][]int
		for range 3 + r.IntN(8) {
			var l []int
			for range 1 + r.IntN(3) {
				l = append(l, len(ids))
				addNodes(1)
			}
			layers = append(layers, l)
		}
		for i := 1; i < len(layers); i++ {
			for _, a := range layers[i-1] {
				for _, b := range layers[i] {
					if r.IntN(5) < 3 {
						pairs = append(pairs, [2]int{a, b})
					}
				}
			}
			if i >= 2 && r.IntN(3) == 0 {
				pairs = append(pairs, [2]int{layers[i-2][0], layers[i][len(layers[i])-1]})
			}
		}
	}
	// Edge ids in an order unrelated to their creation: a random letter,
	// then a serial number.
	serial := 0
	edge := func(a, b int) {
		if r.IntN(2) == 0 {
			a, b = b, a
		}
		v := landscape.Validity{}
		switch x := r.IntN(20); {
		case x < 3:
			v = ended
		case x < 5:
			v = starts
		}
		serial++
		g.edge(fmt.Sprintf("%c%d", 'a'+r.IntN(26), serial), pathKinds[r.IntN(len(pathKinds))], ids[a], ids[b], v)
	}
	for _, p := range pairs {
		if p[0] == p[1] {
			continue
		}
		edge(p[0], p[1])
		for r.IntN(5) == 0 { // parallel edges
			edge(p[0], p[1])
		}
	}
	return g
}

// TestShortestPathsMatchesReference compares ShortestPaths on random
// graphs with a plain breadth-first search over the graph in memory: the
// length (or -1: unreachable, or beyond MaxLength), the total, the paths
// as node sequences in lexicographic order, the edges of every step and
// Truncated, for random ends, edge kinds, dates, MaxPaths and MaxLength.
func TestShortestPathsMatchesReference(t *testing.T) {
	kindSets := [][]landscape.EdgeKind{nil, {landscape.CooperatesWith}, {landscape.PartOf, landscape.Funds},
		{landscape.CooperatesWith, landscape.PartOf, landscape.Funds}}
	maxPaths := []int{0, 1, 2, 3, analysis.MaxPaths}
	maxLengths := []int{0, 0, 1, 2, 3, 4, 5, 6, analysis.MaxPathLength}
	seen := map[string]int{}
	graphs := 80
	if testing.Short() {
		graphs = 20
	}
	for i := range graphs {
		r := rand.New(rand.NewPCG(uint64(i), 17))
		g := randomPathGraph(r)
		ctx, s := g.store(t)
		ids := slices.Sorted(maps.Keys(g.nodes))
		pick := func() string {
			if r.IntN(40) == 0 {
				return "nobody"
			}
			return ids[r.IntN(len(ids))]
		}
		for range 40 {
			from, to := pick(), pick()
			q := analysis.PathQuery{EdgeKinds: kindSets[r.IntN(len(kindSets))], AsOf: pathDay[r.IntN(len(pathDay))],
				MaxPaths: maxPaths[r.IntN(len(maxPaths))], MaxLength: maxLengths[r.IntN(len(maxLengths))]}
			want := checkPaths(t, ctx, s, g, from, to, q)
			if t.Failed() {
				t.Fatalf("graph %d: %d nodes, %d edges", i, len(g.nodes), len(g.edges))
			}
			// What the cases covered.
			switch {
			case want.code != "":
				seen["error"]++
			case strings.HasPrefix(want.lines[0], "length -1"):
				// Reachable without the limit?
				if w := g.reference(from, to, analysis.PathQuery{EdgeKinds: q.EdgeKinds, AsOf: q.AsOf, MaxLength: analysis.MaxPathLength}); !strings.HasPrefix(w.lines[0], "length -1") {
					seen["cut off by maxLength"]++
				} else {
					seen["unreachable"]++
				}
			default:
				var length int
				fmt.Sscanf(want.lines[0], "length %d", &length)
				seen[fmt.Sprintf("length %s", map[bool]string{true: "even", false: "odd"}[length%2 == 0])]++
				if length >= 3 {
					seen["length ≥ 3"]++
				}
				if len(want.lines) > 2 {
					seen["several paths"]++
				}
				if strings.HasSuffix(want.lines[0], "true") {
					seen["truncated"]++
				}
				for _, l := range want.lines[1:] {
					if strings.Contains(l, ",") {
						seen["step of several edges"]++
						break
					}
				}
			}
		}
	}
	t.Logf("cases: %v", seen)
	for _, c := range []string{"error", "unreachable", "cut off by maxLength", "length even", "length odd", "length ≥ 3",
		"several paths", "truncated", "step of several edges"} {
		if seen[c] < 5 {
			t.Errorf("only %d cases of %q", seen[c], c)
		}
	}
}

// On 15 full layers of width 4 between two ends there are 4^15 shortest
// paths of length 16, on layers of width 5 5^15: Total counts them
// exactly, then stops at math.MaxInt32.
func TestShortestPathsCountIsCapped(t *testing.T) {
	for _, width := range []int{4, 5} {
		g := &pathGraph{nodes: map[string]*landscape.Node{}}
		g.node("s", landscape.Validity{})
		g.node("t", landscape.Validity{})
		prev := []string{"s"}
		for l := range analysis.MaxPathLength - 1 {
			var layer []string
			for i := range width {
				id := fmt.Sprintf("l%02d-%d", l, i)
				g.node(id, landscape.Validity{})
				layer = append(layer, id)
				for _, p := range prev {
					g.edge(p+">"+id, landscape.CooperatesWith, p, id, landscape.Validity{})
				}
			}
			prev = layer
		}
		for _, p := range prev {
			g.edge(p+">t", landscape.CooperatesWith, p, "t", landscape.Validity{})
		}
		ctx, s := g.store(t)
		q := analysis.PathQuery{MaxLength: analysis.MaxPathLength, MaxPaths: 3}
		want := checkPaths(t, ctx, s, g, "s", "t", q)
		checkPaths(t, ctx, s, g, "t", "s", q)
		t.Log(want.lines[0])
		wantTotal := map[int]string{4: "total 1073741824", 5: fmt.Sprintf("total %d", math.MaxInt32)}[width]
		if !strings.Contains(want.lines[0], wantTotal) {
			t.Errorf("width %d: the reference says %q, want %s", width, want.lines[0], wantTotal)
		}
	}
}

// On a long chain with a binary tree of depth 6 hanging from every node
// the two searches meet in the middle: the bidirectional search reads the
// edges of far fewer nodes than a search from one end, which reads every
// node within Length-1 of it — and makes one Adjacent call per level,
// Length in all, never more than MaxLength. The first step, with a frontier
// of one node on either side, searches from `from`.
func TestShortestPathsSearchesFromBothEnds(t *testing.T) {
	const chain, depth = 13, 6
	g := &pathGraph{nodes: map[string]*landscape.Node{}}
	for c := range chain {
		id := fmt.Sprintf("c%02d", c)
		g.node(id, landscape.Validity{})
		if c > 0 {
			prev := fmt.Sprintf("c%02d", c-1)
			g.edge(prev+">"+id, landscape.PartOf, id, prev, landscape.Validity{})
		}
		// The tree in heap order: node i has the children 2i and 2i+1; node
		// 1 is the chain node.
		name := func(i int) string {
			if i == 1 {
				return id
			}
			return fmt.Sprintf("%s.t%d", id, i)
		}
		for i := 2; i < 1<<(depth+1); i++ {
			g.node(name(i), landscape.Validity{})
			g.edge(name(i)+">"+name(i/2), landscape.CooperatesWith, name(i), name(i/2), landscape.Validity{})
		}
	}
	ctx, s := g.store(t)

	// A search from one end reads the edges of every node nearer to it
	// than the other end.
	oneSided := func(from string, length int) int {
		nbrs := map[string][]string{}
		for _, e := range g.edges {
			nbrs[e.From] = append(nbrs[e.From], e.To)
			nbrs[e.To] = append(nbrs[e.To], e.From)
		}
		dist := map[string]int{from: 0}
		n := 0
		for queue := []string{from}; len(queue) > 0; queue = queue[1:] {
			v := queue[0]
			if dist[v] >= length {
				continue
			}
			n++
			for _, w := range nbrs[v] {
				if _, ok := dist[w]; !ok {
					dist[w] = dist[v] + 1
					queue = append(queue, w)
				}
			}
		}
		return n
	}
	for _, ends := range [][2]string{{"c00", "c12"}, {"c12", "c00"}, {"c02.t8", "c10.t15"}} {
		want := g.reference(ends[0], ends[1], analysis.PathQuery{MaxLength: analysis.MaxPathLength})
		var length int
		fmt.Sscanf(want.lines[0], "length %d", &length)
		cs := &countingStore{Store: s}
		p, err := analysis.ShortestPaths(ctx, cs, ends[0], ends[1], analysis.PathQuery{MaxLength: analysis.MaxPathLength})
		if err != nil {
			t.Fatal(err)
		}
		checkList(t, "paths "+ends[0]+" → "+ends[1], renderPaths(p), want.lines...)
		one := oneSided(ends[0], length)
		t.Logf("%s → %s, length %d: %d Adjacent calls for %d nodes; a search from one end reads %d", ends[0], ends[1], length, cs.adjacent, cs.adjacentIDs, one)
		if cs.adjacent < length-2 || cs.adjacent > length-1 || cs.expand != 1 || cs.nodes != 1 {
			t.Errorf("%s → %s: %d Adjacent, %d Expand and %d Nodes calls, want %d or %d, 1 and 1", ends[0], ends[1], cs.adjacent, cs.expand, cs.nodes, length-2, length-1)
		}
		checkList(t, "the first read of "+ends[0]+" → "+ends[1], cs.first, ends[0], ends[1])
		if 3*cs.adjacentIDs > one {
			t.Errorf("%s → %s: the search read the edges of %d nodes, more than a third of the %d a search from one end reads", ends[0], ends[1], cs.adjacentIDs, one)
		}

		// One step short: no path, within MaxLength calls.
		q := analysis.PathQuery{MaxLength: length - 1}
		cs = &countingStore{Store: s}
		if p, err = analysis.ShortestPaths(ctx, cs, ends[0], ends[1], q); err != nil {
			t.Fatal(err)
		}
		if p.Length != -1 || cs.adjacent > length-1 {
			t.Errorf("%s → %s with maxLength %d: length %d after %d Adjacent calls", ends[0], ends[1], length-1, p.Length, cs.adjacent)
		}
	}
}
