package exchange

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Selection says which part of the landscape to export. Every part that is
// set narrows the selection; the zero Selection selects everything (up to
// landscape.MaxSubgraphNodes nodes).
type Selection struct {
	// Kinds keeps only nodes of these kinds (empty: every kind). The node
	// named by Around is kept whatever its kind.
	Kinds []landscape.NodeKind
	// EdgeKinds keeps only edges of these kinds (empty: every kind); with
	// Around, only these edges are followed.
	EdgeKinds []landscape.EdgeKind
	// AsOf keeps only nodes and edges valid on this date (nil: all).
	AsOf *landscape.Date
	// Filter keeps only the nodes that match it (landscape.Filter, nil:
	// every node); like Kinds it never drops the node named by Around. The
	// export has no such parameter; GraphQL's subgraph(filter) uses it.
	Filter *landscape.Filter
	// Region keeps the nodes located in, serving or part of this region or
	// any of its subregions (regions PART_OF it, transitively), and those
	// regions themselves.
	Region string
	// Topic keeps the nodes that work on this topic (WORKS_ON), and the
	// topic itself.
	Topic string
	// Around keeps the nodes within Depth steps of this node (its ego
	// network, see landscape.Neighbourhood).
	Around string
	Depth  int
	// MaxNodes caps the number of nodes (0: landscape.MaxSubgraphNodes); the
	// subgraph says Truncated when the cap cut it short.
	MaxNodes int
	// Brief asks only for the subgraph's shape: its nodes and edges carry
	// what Node.Brief and Edge.Brief keep (an ego network is then read
	// with landscape.ExpandQuery.Brief).
	Brief bool

	// roots are the nodes of SelectAround: Around for several nodes.
	roots []string
}

// anchor is a node an argument of the selection names.
type anchor struct {
	field, id string
	kind      landscape.NodeKind // "": any kind
}

// rootAnchors returns the nodes whose neighbourhood is selected: Around, or
// the roots of SelectAround (named "ids[i]", GraphQL's argument).
func (sel *Selection) rootAnchors() []anchor {
	if sel.Around != "" {
		return []anchor{{field: "around", id: sel.Around}}
	}
	out := make([]anchor, len(sel.roots))
	for i, id := range sel.roots {
		out[i] = anchor{field: fmt.Sprintf("ids[%d]", i), id: id}
	}
	return out
}

// SelectAround is Select for the neighbourhood of several nodes, what
// GraphQL's neighbourhood(ids, …) asks: like Around, every node within
// sel.Depth steps of one of roots, each root kept whatever its kind,
// narrowed by the rest of sel exactly as Select narrows Around. Errors
// about a root name "ids[i]"; sel.Around must be empty.
func SelectAround(ctx context.Context, s landscape.Store, roots []string, sel Selection) (*landscape.Subgraph, error) {
	if len(roots) == 0 {
		return nil, landscape.Errorf(landscape.EInvalid, "ids", "name at least one node")
	}
	if sel.Around != "" {
		return nil, landscape.Errorf(landscape.EInvalid, "around", "not together with ids")
	}
	sel.roots = slices.Clone(roots)
	return Select(ctx, s, sel)
}

// maxRegionLevels is how deep Select follows PART_OF below a region.
const maxRegionLevels = 8

// Select returns the subgraph that sel describes: its nodes and every edge
// among them of the selected kinds. It reads only through the Store
// interface, in a bounded number of round trips: pages of QueryNodes for a
// selection without Region, Topic and Around; otherwise one to check the
// anchors (none when the roots of Around are the only ones), two per level of the region hierarchy (at most
// maxRegionLevels), two for the topic, landscape.Neighbourhood's for
// Around, one QueryNodes per landscape.MaxPageSize candidates for Filter;
// and one for the edges (landscape.InducedSubgraph). Errors name the
// field: EInvalid for a bad value, ENotFound for a region, topic or node
// that does not exist (or is not valid on AsOf).
func Select(ctx context.Context, s landscape.Store, sel Selection) (*landscape.Subgraph, error) {
	if err := sel.validate(); err != nil {
		return nil, err
	}
	if sel.MaxNodes == 0 {
		sel.MaxNodes = landscape.MaxSubgraphNodes
	}
	roots := sel.rootAnchors()
	if sel.Region == "" && sel.Topic == "" && len(roots) == 0 {
		nodes, truncated, err := allNodes(ctx, s, sel)
		if err != nil {
			return nil, err
		}
		g, err := landscape.InducedSubgraph(ctx, s, nodes, sel.EdgeKinds, sel.AsOf)
		if err != nil {
			return nil, err
		}
		g.Truncated = truncated
		return brief(g, sel.Brief), nil
	}
	// When the roots are the only anchors, Neighbourhood reads and checks
	// them itself (one round trip fewer); checkAnchors then only explains
	// a missing one.
	onlyRoots := sel.Region == "" && sel.Topic == ""
	var anchors map[string]*landscape.Node
	var err error
	if !onlyRoots {
		if anchors, err = checkAnchors(ctx, s, sel); err != nil {
			return nil, err
		}
	}

	var sets []map[string]*landscape.Node
	truncated := false
	isRoot := map[string]bool{}
	if len(roots) > 0 {
		ids := make([]string, len(roots))
		for i, a := range roots {
			ids[i] = a.id
			isRoot[a.id] = true
		}
		g, err := landscape.Neighbourhood(ctx, s, landscape.NeighbourhoodQuery{Roots: ids, Depth: sel.Depth,
			EdgeKinds: sel.EdgeKinds, NodeKinds: sel.Kinds, AsOf: sel.AsOf, MaxNodes: sel.MaxNodes, Brief: sel.Brief})
		if onlyRoots && landscape.ErrorCode(err) == landscape.ENotFound {
			if _, cerr := checkAnchors(ctx, s, sel); cerr != nil {
				return nil, cerr
			}
		}
		if err != nil {
			if e := landscape.AsError(err); e != nil && e.Field == "ids[0]" && sel.Around != "" {
				c := *e
				c.Field = "around"
				return nil, &c
			}
			return nil, err
		}
		if sel.Region == "" && sel.Topic == "" && sel.Filter == nil {
			return g, nil
		}
		truncated = g.Truncated
		sets = append(sets, byID(g.Nodes))
	}
	if sel.Region != "" {
		set, err := regionNodes(ctx, s, sel, anchors[sel.Region])
		if err != nil {
			return nil, err
		}
		sets = append(sets, set)
	}
	if sel.Topic != "" {
		set, err := topicNodes(ctx, s, sel)
		if err != nil {
			return nil, err
		}
		sets = append(sets, set)
	}

	var nodes []*landscape.Node
	for id, n := range sets[0] {
		in := isRoot[id] || len(sel.Kinds) == 0 || slices.Contains(sel.Kinds, n.Kind)
		for _, other := range sets[1:] {
			in = in && other[id] != nil
		}
		if in {
			nodes = append(nodes, n)
		}
	}
	slices.SortFunc(nodes, func(a, b *landscape.Node) int { return cmp.Compare(a.ID, b.ID) })
	if sel.Filter != nil {
		if nodes, err = matching(ctx, s, sel, nodes, isRoot); err != nil {
			return nil, err
		}
	}
	if len(nodes) > sel.MaxNodes {
		nodes, truncated = nodes[:sel.MaxNodes], true
	}
	g, err := landscape.InducedSubgraph(ctx, s, nodes, sel.EdgeKinds, sel.AsOf)
	if err != nil {
		return nil, err
	}
	g.Truncated = truncated
	return brief(g, sel.Brief), nil
}

// brief makes the nodes and edges of g brief when on is set (for the
// subgraphs Select reads in full).
func brief(g *landscape.Subgraph, on bool) *landscape.Subgraph {
	if on {
		for i, n := range g.Nodes {
			g.Nodes[i] = n.Brief()
		}
		g.Edges = landscape.BriefEdges(g.Edges)
	}
	return g
}

// matching keeps the nodes that match sel.Filter, and the roots: one
// QueryNodes per landscape.MaxPageSize nodes, the filter narrowed to their
// ids. nodes are sorted by id, and so is the result.
func matching(ctx context.Context, s landscape.Store, sel Selection, nodes []*landscape.Node, isRoot map[string]bool) ([]*landscape.Node, error) {
	var ids []string
	for _, n := range nodes {
		if !isRoot[n.ID] {
			ids = append(ids, n.ID)
		}
	}
	keep := map[string]bool{}
	order := []landscape.Order{{Field: landscape.OrderID}}
	for chunk := range slices.Chunk(ids, landscape.MaxPageSize) {
		f := *sel.Filter
		f.And = append(slices.Clone(f.And), &landscape.Filter{Field: landscape.FieldID, Operator: landscape.In, Values: chunk})
		first := len(chunk)
		page, err := s.QueryNodes(ctx, landscape.NodeQuery{Filter: &f, Order: order, AsOf: sel.AsOf, Page: landscape.PageArgs{First: &first}})
		if err != nil {
			return nil, err
		}
		for _, n := range page.Nodes {
			keep[n.ID] = true
		}
	}
	return slices.DeleteFunc(nodes, func(n *landscape.Node) bool { return !isRoot[n.ID] && !keep[n.ID] }), nil
}

func (sel *Selection) validate() error {
	var problems []*landscape.Error
	add := func(field, format string, args ...any) {
		problems = append(problems, landscape.Errorf(landscape.EInvalid, field, format, args...))
	}
	for i, k := range sel.Kinds {
		if !k.Valid() {
			add(fmt.Sprintf("kinds[%d]", i), "unknown node kind %q", k)
		}
	}
	for i, k := range sel.EdgeKinds {
		if !k.Valid() {
			add(fmt.Sprintf("edgeKinds[%d]", i), "unknown edge kind %q", k)
		}
	}
	if sel.Filter != nil {
		problems = append(problems, landscape.Problems(sel.Filter.Validate("filter"))...)
	}
	for _, a := range sel.anchors() {
		if err := landscape.CheckID(a.field, a.id); err != nil {
			problems = append(problems, landscape.AsError(err))
		}
	}
	if sel.Depth < 0 || sel.Depth > landscape.MaxDepth {
		add("depth", "must be between 0 and %d, not %d", landscape.MaxDepth, sel.Depth)
	} else if sel.Depth > 0 && sel.Around == "" && len(sel.roots) == 0 {
		add("depth", "needs around: the node whose neighbourhood to select")
	}
	if sel.MaxNodes < 0 || sel.MaxNodes > landscape.MaxSubgraphNodes {
		add("maxNodes", "must be between 1 and %d (0 for the most), not %d", landscape.MaxSubgraphNodes, sel.MaxNodes)
	}
	return combine(problems)
}

// anchors returns the nodes the selection names: region, topic and the
// roots of the neighbourhood.
func (sel *Selection) anchors() []anchor {
	var out []anchor
	if sel.Region != "" {
		out = append(out, anchor{field: "region", id: sel.Region, kind: landscape.Region})
	}
	if sel.Topic != "" {
		out = append(out, anchor{field: "topic", id: sel.Topic, kind: landscape.Topic})
	}
	return append(out, sel.rootAnchors()...)
}

// checkAnchors checks that the region, topic and root nodes exist, are
// valid on AsOf and (region, topic) are of the right kind: one round trip,
// and one more only to explain a missing node.
func checkAnchors(ctx context.Context, s landscape.Store, sel Selection) (map[string]*landscape.Node, error) {
	anchors := sel.anchors()
	ids := make([]string, len(anchors))
	for i, a := range anchors {
		ids[i] = a.id
	}
	found, err := s.Nodes(ctx, ids, sel.AsOf)
	if err != nil {
		return nil, err
	}
	var anyTime map[string]*landscape.Node
	for _, a := range anchors {
		n := found[a.id]
		if n == nil {
			if anyTime == nil && sel.AsOf != nil {
				if anyTime, err = s.Nodes(ctx, ids, nil); err != nil {
					return nil, err
				}
			}
			if anyTime[a.id] != nil {
				return nil, landscape.Errorf(landscape.ENotFound, a.field, "node %q is not valid on %s", a.id, sel.AsOf)
			}
			return nil, landscape.Errorf(landscape.ENotFound, a.field, "no node with id %q", a.id)
		}
		if a.kind != "" && n.Kind != a.kind {
			return nil, landscape.Errorf(landscape.EInvalid, a.field, "%q is a %s, not a %s", a.id, n.Kind, a.kind)
		}
	}
	return found, nil
}

// allNodes pages through the nodes of the selected kinds, sorted by id, up
// to MaxNodes.
func allNodes(ctx context.Context, s landscape.Store, sel Selection) ([]*landscape.Node, bool, error) {
	order := []landscape.Order{{Field: landscape.OrderID}}
	var nodes []*landscape.Node
	after := ""
	for {
		first := landscape.MaxPageSize
		page, err := s.QueryNodes(ctx, landscape.NodeQuery{Kinds: sel.Kinds, Filter: sel.Filter, Order: order, AsOf: sel.AsOf,
			Page: landscape.PageArgs{First: &first, After: after}})
		if err != nil {
			return nil, false, err
		}
		nodes = append(nodes, page.Nodes...)
		if len(nodes) > sel.MaxNodes {
			return nodes[:sel.MaxNodes], true, nil
		}
		if !page.HasNextPage || len(page.Nodes) == 0 {
			return nodes, false, nil
		}
		if len(nodes) == sel.MaxNodes {
			return nodes, true, nil
		}
		after = landscape.CursorOf(page.Nodes[len(page.Nodes)-1], order)
	}
}

// regionNodes returns the region, its subregions (PART_OF, transitively)
// and the nodes located in, serving or part of any of them.
func regionNodes(ctx context.Context, s landscape.Store, sel Selection, root *landscape.Node) (map[string]*landscape.Node, error) {
	set := map[string]*landscape.Node{sel.Region: root}
	frontier := []string{sel.Region}
	kinds := []landscape.EdgeKind{landscape.PartOf, landscape.LocatedIn, landscape.Serves}
	for level := 0; level < maxRegionLevels && len(frontier) > 0; level++ {
		adj, err := s.Adjacent(ctx, landscape.AdjacencyQuery{NodeIDs: frontier, Direction: landscape.DirIn, Kinds: kinds, AsOf: sel.AsOf})
		if err != nil {
			return nil, err
		}
		var next []string
		seen := map[string]bool{}
		for _, id := range frontier {
			for _, e := range adj[id] {
				if e.To == id && set[e.From] == nil && !seen[e.From] {
					seen[e.From] = true
					next = append(next, e.From)
				}
			}
		}
		if len(next) == 0 {
			break
		}
		slices.Sort(next)
		found, err := s.Nodes(ctx, next, sel.AsOf)
		if err != nil {
			return nil, err
		}
		frontier = frontier[:0:0]
		for _, id := range next {
			n := found[id]
			if n == nil {
				continue
			}
			set[id] = n
			if n.Kind == landscape.Region {
				frontier = append(frontier, id)
			}
		}
	}
	return set, nil
}

// topicNodes returns the topic and the nodes that work on it.
func topicNodes(ctx context.Context, s landscape.Store, sel Selection) (map[string]*landscape.Node, error) {
	adj, err := s.Adjacent(ctx, landscape.AdjacencyQuery{NodeIDs: []string{sel.Topic}, Direction: landscape.DirIn,
		Kinds: []landscape.EdgeKind{landscape.WorksOn}, AsOf: sel.AsOf})
	if err != nil {
		return nil, err
	}
	ids := []string{sel.Topic}
	for _, e := range adj[sel.Topic] {
		ids = append(ids, e.From)
	}
	found, err := s.Nodes(ctx, ids, sel.AsOf)
	if err != nil {
		return nil, err
	}
	return found, nil
}

func byID(nodes []*landscape.Node) map[string]*landscape.Node {
	m := make(map[string]*landscape.Node, len(nodes))
	for _, n := range nodes {
		m[n.ID] = n
	}
	return m
}
