package analysis

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// batchSize is the number of ids one Nodes or Adjacent call carries: a
// read of k ids costs ceil(k/batchSize) round trips.
const batchSize = landscape.MaxPageSize

// maxLevels bounds every walk down a PART_OF hierarchy (regions, units,
// topics): deeper hierarchies are cut there, and a PART_OF cycle cannot
// loop.
const maxLevels = 16

// Scope chooses the subgraph an analysis looks at.
type Scope struct {
	// AsOf leaves out every node and edge not valid on that date (nil: the
	// whole history).
	AsOf *landscape.Date
	// Region, when set, restricts the scope to a territory; see Load.
	Region string
	// IDs, when not nil, restricts the scope to these nodes (an empty,
	// non-nil list: to none); ids of nodes that do not exist, are not valid
	// on AsOf or fall outside Region or NodeKinds are left out. At most
	// MaxScopeIDs.
	IDs []string
	// NodeKinds and EdgeKinds restrict the kinds (empty: every kind).
	NodeKinds []landscape.NodeKind
	EdgeKinds []landscape.EdgeKind
}

// CoordinationEdgeKinds are the edges along which actors reach each other:
// memberships, coordination, responsibility, hierarchy, cooperation,
// funding, provision and referral. They leave out the classifying edges
// (SUPPORTS, TARGETS, SERVES, LOCATED_IN, WORKS_ON, FROM_PHASE, TO_PHASE),
// whose hubs — a region, a target group, a life phase — are no contacts.
// ShortestPaths uses them when no kinds are given.
var CoordinationEdgeKinds = []landscape.EdgeKind{
	landscape.MemberOf, landscape.Coordinates, landscape.ResponsibleFor, landscape.PartOf,
	landscape.CooperatesWith, landscape.Funds, landscape.Provides, landscape.RefersTo,
}

// MaxScopeIDs is the largest number of ids a Scope may name: as many as a
// subgraph may hold (landscape.MaxSubgraphNodes).
const MaxScopeIDs = landscape.MaxSubgraphNodes

// OrganisationKinds are the node kinds that act: actors, institutions,
// foundations and committees.
var OrganisationKinds = []landscape.NodeKind{landscape.Actor, landscape.Institution, landscape.Foundation, landscape.Committee}

// Graph is an in-memory snapshot of a subgraph: the nodes of a scope and
// every edge among them of the scope's kinds. It implements
// landscape.Graph.
type Graph struct {
	AsOf  *landscape.Date
	Nodes map[string]*landscape.Node
	// Edges are sorted by id.
	Edges   []*landscape.Edge
	out, in map[string][]*landscape.Edge
}

var _ landscape.Graph = (*Graph)(nil)

func newGraph(asOf *landscape.Date, nodes map[string]*landscape.Node, edges []*landscape.Edge) *Graph {
	g := &Graph{AsOf: asOf, Nodes: nodes, Edges: edges,
		out: map[string][]*landscape.Edge{}, in: map[string][]*landscape.Edge{}}
	landscape.SortEdges(g.Edges)
	for _, e := range g.Edges {
		g.out[e.From] = append(g.out[e.From], e)
		g.in[e.To] = append(g.in[e.To], e)
	}
	return g
}

// Node returns the node with the given id if it is in the snapshot.
func (g *Graph) Node(id string) (*landscape.Node, bool) {
	n, ok := g.Nodes[id]
	return n, ok
}

// EachEdge implements landscape.Graph.
func (g *Graph) EachEdge(id string, dir landscape.Direction, asOf *landscape.Date, fn func(landscape.EdgeKind, string) bool) {
	l := g.out[id]
	if dir == landscape.DirIn {
		l = g.in[id]
	}
	for _, e := range l {
		if e.ValidAt(asOf) && !fn(e.Kind, e.Other(id)) {
			return
		}
	}
}

// IDs returns the ids of the snapshot's nodes, sorted.
func (g *Graph) IDs() []string {
	ids := make([]string, 0, len(g.Nodes))
	for id := range g.Nodes {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Neighbours returns the distinct neighbours of id over edges of either
// direction, sorted by id.
func (g *Graph) Neighbours(id string) []string {
	var ns []string
	for _, e := range g.out[id] {
		ns = append(ns, e.To)
	}
	for _, e := range g.in[id] {
		ns = append(ns, e.From)
	}
	slices.Sort(ns)
	return slices.Compact(ns)
}

// Load reads the subgraph that scope chooses into memory.
//
// Without a region the scope holds every node of the chosen kinds valid on
// AsOf (with IDs: those of them named there). With a region R it holds
//
//  1. R and its PART_OF-descendant regions (the area);
//  2. every node with a SERVES or LOCATED_IN edge to a region of the area;
//  3. the providers (PROVIDES) of the offers among them;
//  4. the PART_OF-descendants of the nodes of 2 and 3, transitively: units of
//     an organisation and parts of a programme belong to the area of the
//     whole when they state none of their own;
//  5. the committees that a node of 2–4 is MEMBER_OF or COORDINATES: the
//     Gremien of the area's actors.
//
// Steps 4 and 5 go beyond "nodes located in or serving the area": without
// them the units of a Kreisverwaltung, which rarely carry a SERVES edge of
// their own, and its internal committees would fall out of every regional
// analysis. Each step walks edges valid on AsOf. Then IDs and the node
// kinds are applied, and the edges of the chosen kinds among the remaining
// nodes are read.
//
// Load makes a bounded number of store round trips: QueryNodes pages of
// landscape.MaxPageSize (with IDs and without a region: Nodes calls for
// the ids instead), and Nodes and Adjacent calls of up to
// landscape.MaxPageSize ids each, per level of the hierarchies walked —
// never one call per node.
func Load(ctx context.Context, s landscape.Store, scope Scope) (*Graph, error) {
	if err := checkKinds(scope.NodeKinds, scope.EdgeKinds); err != nil {
		return nil, err
	}
	if err := checkIDs(scope.IDs); err != nil {
		return nil, err
	}
	var nodes map[string]*landscape.Node
	switch {
	case scope.Region != "":
		var err error
		if nodes, err = regionScope(ctx, s, "region", scope.Region, scope.AsOf); err != nil {
			return nil, err
		}
	case scope.IDs != nil:
		var err error
		if nodes, err = nodesOf(ctx, s, scope.IDs, scope.AsOf); err != nil {
			return nil, err
		}
	default:
		list, err := allNodes(ctx, s, scope.NodeKinds, scope.AsOf)
		if err != nil {
			return nil, err
		}
		nodes = make(map[string]*landscape.Node, len(list))
		for _, n := range list {
			nodes[n.ID] = n
		}
	}
	var named map[string]bool
	if scope.IDs != nil {
		named = make(map[string]bool, len(scope.IDs))
		for _, id := range scope.IDs {
			named[id] = true
		}
	}
	for id, n := range nodes {
		if n == nil || (named != nil && !named[id]) || (len(scope.NodeKinds) > 0 && !slices.Contains(scope.NodeKinds, n.Kind)) {
			delete(nodes, id)
		}
	}
	edges, err := edgesAmong(ctx, s, nodes, scope.EdgeKinds, scope.AsOf)
	if err != nil {
		return nil, err
	}
	return newGraph(scope.AsOf, nodes, edges), nil
}

func checkKinds(nodeKinds []landscape.NodeKind, edgeKinds []landscape.EdgeKind) error {
	for i, k := range nodeKinds {
		if !k.Valid() {
			return landscape.Errorf(landscape.EInvalid, fmt.Sprintf("nodeKinds[%d]", i), "unknown node kind %q", k)
		}
	}
	for i, k := range edgeKinds {
		if !k.Valid() {
			return landscape.Errorf(landscape.EInvalid, fmt.Sprintf("edgeKinds[%d]", i), "unknown edge kind %q", k)
		}
	}
	return nil
}

// checkIDs checks the ids of a scope: their number and form.
func checkIDs(ids []string) error {
	if len(ids) > MaxScopeIDs {
		return landscape.Errorf(landscape.EInvalid, "ids", "names %d nodes; at most %d are allowed", len(ids), MaxScopeIDs)
	}
	for i, id := range ids {
		if err := landscape.CheckID(fmt.Sprintf("ids[%d]", i), id); err != nil {
			return err
		}
	}
	return nil
}

// edgesAmong reads the edges of the given kinds between the nodes.
func edgesAmong(ctx context.Context, s landscape.Store, nodes map[string]*landscape.Node, kinds []landscape.EdgeKind, asOf *landscape.Date) ([]*landscape.Edge, error) {
	ids := keys(nodes)
	var within []string
	if len(ids) <= landscape.MaxWithin {
		within = ids
	}
	adj, err := adjacentWithin(ctx, s, ids, landscape.DirOut, kinds, asOf, within)
	if err != nil {
		return nil, err
	}
	var edges []*landscape.Edge
	for _, id := range ids {
		for _, e := range adj[id] {
			if nodes[e.To] != nil {
				edges = append(edges, e)
			}
		}
	}
	return edges, nil
}

// regionScope returns the nodes of the region scope described at Load.
func regionScope(ctx context.Context, s landscape.Store, field, region string, asOf *landscape.Date) (map[string]*landscape.Node, error) {
	root, err := lookup(ctx, s, field, region, landscape.Region, asOf)
	if err != nil {
		return nil, err
	}
	nodes := map[string]*landscape.Node{region: root}
	area, err := descendants(ctx, s, []string{region}, landscape.Region, asOf, nodes)
	if err != nil {
		return nil, err
	}
	// 2. Nodes serving or located in the area.
	adj, err := adjacent(ctx, s, area, landscape.DirIn, []landscape.EdgeKind{landscape.Serves, landscape.LocatedIn}, asOf)
	if err != nil {
		return nil, err
	}
	var anchored []string
	for _, id := range area {
		for _, e := range adj[id] {
			anchored = append(anchored, e.From)
		}
	}
	if err := loadInto(ctx, s, nodes, anchored, asOf); err != nil {
		return nil, err
	}
	// 3. Providers of the offers.
	var offers []string
	for _, id := range dedup(anchored) {
		if n := nodes[id]; n != nil && n.Kind == landscape.Offer {
			offers = append(offers, id)
		}
	}
	adj, err = adjacent(ctx, s, offers, landscape.DirIn, []landscape.EdgeKind{landscape.Provides}, asOf)
	if err != nil {
		return nil, err
	}
	members := dedup(anchored)
	for _, id := range offers {
		for _, e := range adj[id] {
			members = append(members, e.From)
		}
	}
	members = dedup(members)
	// 4. Their units and parts.
	seen := map[string]bool{}
	for _, id := range members {
		seen[id] = true
	}
	for id := range nodes {
		seen[id] = true
	}
	frontier := members
	for level := 0; level < maxLevels && len(frontier) > 0; level++ {
		adj, err := adjacent(ctx, s, frontier, landscape.DirIn, []landscape.EdgeKind{landscape.PartOf}, asOf)
		if err != nil {
			return nil, err
		}
		var next []string
		for _, id := range frontier {
			for _, e := range adj[id] {
				if !seen[e.From] {
					seen[e.From] = true
					next = append(next, e.From)
				}
			}
		}
		members = append(members, next...)
		frontier = next
	}
	// 5. Their committees.
	adj, err = adjacent(ctx, s, members, landscape.DirOut, []landscape.EdgeKind{landscape.MemberOf, landscape.Coordinates}, asOf)
	if err != nil {
		return nil, err
	}
	var targets []string
	for _, id := range members {
		for _, e := range adj[id] {
			targets = append(targets, e.To)
		}
	}
	if err := loadInto(ctx, s, nodes, append(slices.Clone(members), targets...), asOf); err != nil {
		return nil, err
	}
	out := map[string]*landscape.Node{}
	for _, id := range area {
		out[id] = nodes[id]
	}
	for _, id := range members {
		if n := nodes[id]; n != nil {
			out[id] = n
		}
	}
	for _, id := range targets {
		if n := nodes[id]; n != nil && n.Kind == landscape.Committee {
			out[id] = n
		}
	}
	return out, nil
}

// descendants returns roots and their PART_OF-descendants of the given kind
// (valid on asOf), adding them to nodes: two round trips per level.
func descendants(ctx context.Context, s landscape.Store, roots []string, kind landscape.NodeKind, asOf *landscape.Date, nodes map[string]*landscape.Node) ([]string, error) {
	all := slices.Clone(roots)
	seen := map[string]bool{}
	for _, id := range roots {
		seen[id] = true
	}
	frontier := roots
	for level := 0; level < maxLevels && len(frontier) > 0; level++ {
		adj, err := adjacent(ctx, s, frontier, landscape.DirIn, []landscape.EdgeKind{landscape.PartOf}, asOf)
		if err != nil {
			return nil, err
		}
		var cand []string
		for _, id := range frontier {
			for _, e := range adj[id] {
				if !seen[e.From] {
					seen[e.From] = true
					cand = append(cand, e.From)
				}
			}
		}
		if err := loadInto(ctx, s, nodes, cand, asOf); err != nil {
			return nil, err
		}
		var next []string
		for _, id := range cand {
			if n := nodes[id]; n != nil && n.Kind == kind {
				next = append(next, id)
			}
		}
		all = append(all, next...)
		frontier = next
	}
	return all, nil
}

// lookup reads one node that an argument names and checks its kind: an
// ENotFound error when it is missing (or not valid on asOf), an EInvalid
// error when it is of another kind, both about field.
func lookup(ctx context.Context, s landscape.Store, field, id string, kind landscape.NodeKind, asOf *landscape.Date) (*landscape.Node, error) {
	if err := landscape.CheckID(field, id); err != nil {
		return nil, err
	}
	m, err := s.Nodes(ctx, []string{id}, asOf)
	if err != nil {
		return nil, err
	}
	return checkNode(field, id, m[id], kind, asOf)
}

func checkNode(field, id string, n *landscape.Node, kind landscape.NodeKind, asOf *landscape.Date) (*landscape.Node, error) {
	if n == nil {
		if asOf != nil {
			return nil, landscape.Errorf(landscape.ENotFound, field, "no node with id %q valid on %s", id, asOf)
		}
		return nil, landscape.Errorf(landscape.ENotFound, field, "no node with id %q", id)
	}
	if kind != "" && n.Kind != kind {
		return nil, landscape.Errorf(landscape.EInvalid, field, "%q is a %s, not a %s", id, n.Kind, kind)
	}
	return n, nil
}

// ---------------------------------------------------------------------------
// Batched store access.

// allNodes returns every node of the kinds valid on asOf, sorted by id.
func allNodes(ctx context.Context, s landscape.Store, kinds []landscape.NodeKind, asOf *landscape.Date) ([]*landscape.Node, error) {
	return allMatching(ctx, s, kinds, nil, asOf)
}

// allMatching returns every node of the kinds passing f on asOf, sorted by
// id, reading it page by page.
func allMatching(ctx context.Context, s landscape.Store, kinds []landscape.NodeKind, f *landscape.Filter, asOf *landscape.Date) ([]*landscape.Node, error) {
	order := []landscape.Order{{Field: landscape.OrderID}}
	size := landscape.MaxPageSize
	q := landscape.NodeQuery{Kinds: kinds, Filter: f, Order: order, AsOf: asOf, Page: landscape.PageArgs{First: &size}}
	var out []*landscape.Node
	for {
		p, err := s.QueryNodes(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Nodes...)
		if !p.HasNextPage || len(p.Nodes) == 0 {
			return out, nil
		}
		q.Page.After = landscape.CursorOf(p.Nodes[len(p.Nodes)-1], order)
	}
}

// idIn is the filter "id is one of ids", split into conditions of at most
// landscape.MaxFilterValues ids.
func idIn(ids []string) *landscape.Filter {
	if len(ids) <= landscape.MaxFilterValues {
		return &landscape.Filter{Field: landscape.FieldID, Operator: landscape.In, Values: ids}
	}
	f := &landscape.Filter{}
	for chunk := range slices.Chunk(ids, landscape.MaxFilterValues) {
		f.Or = append(f.Or, &landscape.Filter{Field: landscape.FieldID, Operator: landscape.In, Values: chunk})
	}
	return f
}

// relatedTo is the filter "has a relationship of the kinds in the direction
// to a node passing node".
func relatedTo(dir landscape.Direction, kinds []landscape.EdgeKind, node *landscape.Filter) *landscape.Filter {
	return &landscape.Filter{Relation: &landscape.RelationFilter{Kinds: kinds, Direction: dir, Quantifier: landscape.QuantSome, Node: node}}
}

// nodesOf reads the nodes with the given ids, batched.
func nodesOf(ctx context.Context, s landscape.Store, ids []string, asOf *landscape.Date) (map[string]*landscape.Node, error) {
	out := map[string]*landscape.Node{}
	return out, loadInto(ctx, s, out, ids, asOf)
}

// loadInto reads the nodes with the given ids that nodes lacks.
func loadInto(ctx context.Context, s landscape.Store, nodes map[string]*landscape.Node, ids []string, asOf *landscape.Date) error {
	var missing []string
	for _, id := range dedup(ids) {
		if _, ok := nodes[id]; !ok {
			missing = append(missing, id)
		}
	}
	for chunk := range slices.Chunk(missing, batchSize) {
		m, err := s.Nodes(ctx, chunk, asOf)
		if err != nil {
			return err
		}
		for _, id := range chunk {
			nodes[id] = m[id] // nil records "missing or not valid"
		}
	}
	return nil
}

// adjacent reads the edges at the given nodes, batched.
func adjacent(ctx context.Context, s landscape.Store, ids []string, dir landscape.Direction, kinds []landscape.EdgeKind, asOf *landscape.Date) (map[string][]*landscape.Edge, error) {
	return adjacentWithin(ctx, s, ids, dir, kinds, asOf, nil)
}

// around reads, for the given nodes, their edges of several (direction,
// kinds) questions at once, together with the nodes at the other ends: one
// Store.Expand call per batch of batchSize ids, each question a step from
// the roots. The edges of a node are merged, sorted by id; the questions
// must not overlap (an edge would be listed twice). The nodes include the
// given ones that are valid on asOf.
func around(ctx context.Context, s landscape.Store, ids []string, asOf *landscape.Date, steps ...landscape.ExpandStep) (map[string][]*landscape.Edge, map[string]*landscape.Node, error) {
	edges, nodes := map[string][]*landscape.Edge{}, map[string]*landscape.Node{}
	steps = slices.Clone(steps)
	for i := range steps {
		steps[i].Parent = -1
	}
	for chunk := range slices.Chunk(dedup(ids), batchSize) {
		x, err := s.Expand(ctx, landscape.ExpandQuery{Roots: chunk, AsOf: asOf, Steps: steps})
		if err != nil {
			return nil, nil, err
		}
		for _, level := range x.Steps {
			for id, es := range level {
				edges[id] = append(edges[id], es...)
			}
		}
		maps.Copy(nodes, x.Nodes)
	}
	for _, es := range edges {
		landscape.SortEdges(es)
	}
	return edges, nodes, nil
}

// adjacentWithin is adjacent keeping only the edges whose other end is in
// within (landscape.AdjacencyQuery.Within; empty: every edge).
func adjacentWithin(ctx context.Context, s landscape.Store, ids []string, dir landscape.Direction, kinds []landscape.EdgeKind, asOf *landscape.Date, within []string) (map[string][]*landscape.Edge, error) {
	out := map[string][]*landscape.Edge{}
	for chunk := range slices.Chunk(dedup(ids), batchSize) {
		m, err := s.Adjacent(ctx, landscape.AdjacencyQuery{NodeIDs: chunk, Direction: dir, Kinds: kinds, AsOf: asOf, Within: within})
		if err != nil {
			return nil, err
		}
		for id, es := range m {
			out[id] = es
		}
	}
	return out, nil
}

// ---------------------------------------------------------------------------
// Small helpers.

// dedup returns the distinct ids, in order of first appearance.
func dedup(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func keys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// byName orders nodes by name, then id: the order of every node list shown
// to people.
func byName(a, b *landscape.Node) int {
	if c := cmp.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// sortedNodes returns the distinct non-nil nodes sorted by name, then id.
func sortedNodes(ns []*landscape.Node) []*landscape.Node {
	seen := map[string]bool{}
	var out []*landscape.Node
	for _, n := range ns {
		if n != nil && !seen[n.ID] {
			seen[n.ID] = true
			out = append(out, n)
		}
	}
	slices.SortFunc(out, byName)
	return out
}
