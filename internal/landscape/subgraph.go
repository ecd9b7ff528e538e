package landscape

import (
	"context"
	"fmt"
	"slices"
)

// Subgraph is a set of nodes with the edges among them, for visualisation
// and export.
type Subgraph struct {
	Nodes []*Node
	Edges []*Edge
	// Truncated says that the node limit cut the subgraph short.
	Truncated bool
}

// WithoutContacts returns g with the contact data of its nodes removed
// (copies of the nodes that had some): what an anonymous reader may see.
func (g *Subgraph) WithoutContacts() *Subgraph {
	out := *g
	out.Nodes = make([]*Node, len(g.Nodes))
	for i, n := range g.Nodes {
		out.Nodes[i] = n.WithoutContact()
	}
	return &out
}

// Limits of neighbourhood queries.
const (
	MaxDepth         = 4
	DefaultMaxNodes  = 2000
	MaxSubgraphNodes = 20000

	// levelsPerExpand is how many levels of a neighbourhood one Expand
	// call reads.
	levelsPerExpand = 2
)

// NeighbourhoodQuery asks for the nodes within Depth steps of the roots.
type NeighbourhoodQuery struct {
	Roots     []string
	Depth     int
	EdgeKinds []EdgeKind // empty: every kind
	NodeKinds []NodeKind // empty: every kind; roots are always included
	AsOf      *Date
	MaxNodes  int // 0: DefaultMaxNodes
	// Brief asks only for the network's shape: nodes and edges as
	// Node.Brief and Edge.Brief make them (ExpandQuery.Brief).
	Brief bool
}

// Neighbourhood returns the ego network of the roots: every node reachable in
// at most Depth steps over edges of the given kinds (either direction) whose
// kind is allowed, and every edge among those nodes. It makes 2 store round
// trips up to depth 2 (the roots with the levels, Expand; the edges among
// the nodes), one more per further two levels, whatever the size of the
// network.
func Neighbourhood(ctx context.Context, s Store, q NeighbourhoodQuery) (*Subgraph, error) {
	if q.Depth < 0 || q.Depth > MaxDepth {
		return nil, Errorf(EInvalid, "depth", "must be between 0 and %d, not %d", MaxDepth, q.Depth)
	}
	if len(q.Roots) == 0 {
		return nil, Errorf(EInvalid, "ids", "name at least one node")
	}
	if q.MaxNodes <= 0 {
		q.MaxNodes = DefaultMaxNodes
	}
	if q.MaxNodes > MaxSubgraphNodes {
		return nil, Errorf(EInvalid, "maxNodes", "must be at most %d", MaxSubgraphNodes)
	}
	for i, id := range q.Roots {
		if err := CheckID(fmt.Sprintf("ids[%d]", i), id); err != nil {
			return nil, err
		}
	}
	// The roots and the first levels come in one Expand call; a deeper
	// network continues from the frontier in further calls, so that a
	// network cut short by MaxNodes does not read levels it will not use.
	// The call that reaches the last level also reads the edges among that
	// level's nodes (an Among step after the levels).
	chain := func(from []string, levels int, last bool) ExpandQuery {
		x := ExpandQuery{Roots: from, AsOf: q.AsOf, Brief: q.Brief}
		for i := range levels {
			st := ExpandStep{Parent: i - 1, Direction: DirBoth, Kinds: q.EdgeKinds}
			if i > 0 {
				st.FromKinds = q.NodeKinds
			}
			x.Steps = append(x.Steps, st)
		}
		if last {
			st := ExpandStep{Parent: levels - 1, Direction: DirOut, Kinds: q.EdgeKinds, Among: true}
			if levels > 0 {
				st.FromKinds = q.NodeKinds
			}
			x.Steps = append(x.Steps, st)
		}
		return x
	}
	levels := min(q.Depth, levelsPerExpand)
	x, err := s.Expand(ctx, chain(q.Roots, levels, levels == q.Depth))
	if err != nil {
		return nil, err
	}
	for i, id := range q.Roots {
		if x.Nodes[id] == nil {
			return nil, Errorf(ENotFound, fmt.Sprintf("ids[%d]", i), "no node with id %q%s", id, asOfText(q.AsOf))
		}
	}
	g := &Subgraph{}
	seen := map[string]bool{}
	for _, id := range q.Roots {
		if !seen[id] {
			seen[id] = true
			g.Nodes = append(g.Nodes, x.Nodes[id])
		}
	}
	frontier := slices.Clone(g.Nodes)
	// known holds the edges of the nodes whose level was read: together
	// with the edges among the nodes never expanded (the last level, or
	// the level cut short by MaxNodes), they are every edge among the
	// network's nodes, so only those are read once more.
	var known []*Edge
	level := 0
	for depth := 0; depth < q.Depth && len(frontier) > 0 && !g.Truncated; depth++ {
		if level == levels {
			ids := make([]string, len(frontier))
			for i, n := range frontier {
				ids[i] = n.ID
			}
			levels = min(q.Depth-depth, levelsPerExpand)
			if x, err = s.Expand(ctx, chain(ids, levels, depth+levels == q.Depth)); err != nil {
				return nil, err
			}
			level = 0
		}
		edges := x.Steps[level]
		level++
		var next []string
		inNext := map[string]bool{}
		for _, n := range frontier {
			known = append(known, edges[n.ID]...)
			for _, e := range edges[n.ID] {
				if o := e.Other(n.ID); !seen[o] && !inNext[o] {
					inNext[o] = true
					next = append(next, o)
				}
			}
		}
		frontier = frontier[:0:0]
		for _, id := range next {
			n := x.Nodes[id]
			if n == nil || len(q.NodeKinds) > 0 && !slices.Contains(q.NodeKinds, n.Kind) {
				continue
			}
			if len(g.Nodes) >= q.MaxNodes {
				g.Truncated = true
				break
			}
			seen[id] = true
			g.Nodes = append(g.Nodes, n)
			frontier = append(frontier, n)
		}
	}
	// The edges among the last level came with it (the Among step starts
	// from every node that level reached, the frontier among them), unless
	// the network ended before that level: MaxNodes cut it short, or no
	// node was left to expand.
	if len(x.Steps) > levels && level == levels {
		for _, n := range frontier {
			for _, e := range x.Steps[levels][n.ID] {
				if seen[e.From] && seen[e.To] {
					g.Edges = append(g.Edges, e)
				}
			}
		}
	} else {
		if g.Edges, err = edgesAmong(ctx, s, frontier, q.EdgeKinds, q.AsOf); err != nil {
			return nil, err
		}
		if q.Brief {
			g.Edges = BriefEdges(g.Edges)
		}
	}
	dup := make(map[string]bool, len(g.Edges))
	for _, e := range g.Edges {
		dup[e.ID] = true
	}
	for _, e := range known {
		if seen[e.From] && seen[e.To] && !dup[e.ID] {
			dup[e.ID] = true
			g.Edges = append(g.Edges, e)
		}
	}
	SortEdges(g.Edges)
	return g, nil
}

// InducedSubgraph returns the given nodes with every edge among them of the
// given kinds: one store round trip.
func InducedSubgraph(ctx context.Context, s Store, nodes []*Node, kinds []EdgeKind, asOf *Date) (*Subgraph, error) {
	edges, err := edgesAmong(ctx, s, nodes, kinds, asOf)
	if err != nil {
		return nil, err
	}
	return &Subgraph{Nodes: nodes, Edges: edges}, nil
}

func edgesAmong(ctx context.Context, s Store, nodes []*Node, kinds []EdgeKind, asOf *Date) ([]*Edge, error) {
	if len(nodes) == 0 {
		return nil, nil
	}
	in := make(map[string]bool, len(nodes))
	ids := make([]string, len(nodes))
	for i, n := range nodes {
		in[n.ID] = true
		ids[i] = n.ID
	}
	q := AdjacencyQuery{NodeIDs: ids, Direction: DirOut, Kinds: kinds, AsOf: asOf}
	if len(ids) <= MaxWithin {
		q.Within = ids
	}
	adj, err := s.Adjacent(ctx, q)
	if err != nil {
		return nil, err
	}
	var out []*Edge
	for _, id := range ids {
		for _, e := range adj[id] {
			if in[e.To] {
				out = append(out, e)
			}
		}
	}
	SortEdges(out)
	return out, nil
}

func asOfText(d *Date) string {
	if d == nil {
		return ""
	}
	return " valid on " + d.String()
}
