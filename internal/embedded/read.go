package embedded

import (
	"context"
	"slices"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// checkEvery is how many candidates a query scans between context checks.
const checkEvery = 4096

// Nodes returns copies of the nodes with the given ids that exist (and are
// valid on asOf).
func (s *Store) Nodes(ctx context.Context, ids []string, asOf *landscape.Date) (map[string]*landscape.Node, error) {
	if err := ctx.Err(); err != nil {
		return nil, ctxError(err)
	}
	x, err := s.rlock()
	if err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	return x.nodes(ids, asOf), nil
}

// nodes returns copies of the nodes with the given ids valid on asOf.
func (x *index) nodes(ids []string, asOf *landscape.Date) map[string]*landscape.Node {
	out := make(map[string]*landscape.Node, len(ids))
	for _, id := range ids {
		if v := x.verts[id]; v != nil && v.n.ValidAt(asOf) {
			out[id] = cloneNode(v.n)
		}
	}
	return out
}

// QueryNodes returns a filtered, sorted page of copies of nodes.
func (s *Store) QueryNodes(ctx context.Context, q landscape.NodeQuery) (*landscape.NodePage, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, ctxError(err)
	}
	x, err := s.rlock()
	if err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()

	sorted := s.cache.sortedNodes(x, q.Kinds, q.Order)
	matches := sorted
	if q.Filter != nil || q.AsOf != nil {
		// A filter that pins its nodes to ids (directly or over relations)
		// is tested only on the nodes walked to from those ids.
		var candidates map[string]bool
		if cs, ok := landscape.Pinned(q.Filter); ok {
			candidates = landscape.Reached(x, cs)
		}
		matches = nil
		for i, n := range sorted {
			if i%checkEvery == checkEvery-1 && ctx.Err() != nil {
				return nil, ctxError(ctx.Err())
			}
			if candidates != nil && !candidates[n.ID] {
				continue
			}
			if n.ValidAt(q.AsOf) && landscape.MatchFilter(n, q.Filter, q.AsOf, x) {
				matches = append(matches, n)
			}
		}
	}
	page, err := landscape.PageNodes(matches, &q)
	if err != nil {
		return nil, err
	}
	for i, n := range page.Nodes {
		page.Nodes[i] = cloneNode(n)
	}
	return page, nil
}

// Edges returns copies of the edges with the given ids that exist (and are
// valid, with both ends, on asOf).
func (s *Store) Edges(ctx context.Context, ids []string, asOf *landscape.Date) (map[string]*landscape.Edge, error) {
	if err := ctx.Err(); err != nil {
		return nil, ctxError(err)
	}
	x, err := s.rlock()
	if err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	out := make(map[string]*landscape.Edge, len(ids))
	for _, id := range ids {
		if r, ok := x.edges[id]; ok && r.validAt(asOf) {
			out[id] = r.edge()
		}
	}
	return out, nil
}

// QueryEdges returns a page of copies of edges, sorted by id. A query that
// names starts (or ends) reads only the adjacency of those nodes.
func (s *Store) QueryEdges(ctx context.Context, q landscape.EdgeQuery) (*landscape.EdgePage, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, ctxError(err)
	}
	x, err := s.rlock()
	if err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()

	var matches []*edgeRec
	keep := func(r *edgeRec) bool {
		return q.MatchParts(r.kind(), r.from.n.ID, r.to.n.ID, r.role()) && r.validAt(q.AsOf)
	}
	switch {
	case len(q.From) > 0 || len(q.To) > 0:
		ends, dir := q.From, landscape.DirOut
		if len(q.From) == 0 || len(q.To) > 0 && len(q.To) < len(q.From) {
			ends, dir = q.To, landscape.DirIn
		}
		seen := map[string]bool{}
		for _, id := range ends {
			if seen[id] {
				continue
			}
			seen[id] = true
			for _, r := range x.at(id, dir) {
				if keep(r) {
					matches = append(matches, r)
				}
			}
		}
		slices.SortFunc(matches, byID)
	default:
		all := s.cache.sortedEdges(x, q.Kinds)
		if len(q.Roles) == 0 && q.AsOf == nil { // the list holds just the kinds
			matches = all
			break
		}
		for i, r := range all {
			if i%checkEvery == checkEvery-1 && ctx.Err() != nil {
				return nil, ctxError(ctx.Err())
			}
			if keep(r) {
				matches = append(matches, r)
			}
		}
	}
	return landscape.PageEdgesOf(matches, func(r *edgeRec) string { return r.id }, (*edgeRec).edge, q.Page)
}

// Adjacent returns, for each node id, copies of its edges of the given kinds
// and direction (BOTH: out and in), sorted by id; with AsOf only the edges
// valid on that date whose ends are valid too. A node without such edges
// has no entry.
func (s *Store) Adjacent(ctx context.Context, q landscape.AdjacencyQuery) (map[string][]*landscape.Edge, error) {
	adj, err := s.adjacency(ctx, q, false)
	if err != nil {
		return nil, err
	}
	return adj.Edges, nil
}

// Neighbours is Adjacent with the nodes at the other ends, read under the
// same lock.
func (s *Store) Neighbours(ctx context.Context, q landscape.AdjacencyQuery) (*landscape.Adjacency, error) {
	return s.adjacency(ctx, q, true)
}

// Expand answers an ExpandQuery with ExpandWith's semantics under one read
// lock: the roots and every level from the same state of the index.
func (s *Store) Expand(ctx context.Context, q landscape.ExpandQuery) (*landscape.Expansion, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, ctxError(err)
	}
	x, err := s.rlock()
	if err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	return landscape.ExpandWith(q,
		func(ids []string) (map[string]*landscape.Node, error) { return x.nodes(ids, q.AsOf), nil },
		func(_ int, a landscape.AdjacencyQuery) (*landscape.Adjacency, error) {
			return x.neighbours(a, true), nil
		})
}

// adjacency answers Adjacent, and Neighbours when withNodes.
func (s *Store) adjacency(ctx context.Context, q landscape.AdjacencyQuery, withNodes bool) (*landscape.Adjacency, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, ctxError(err)
	}
	x, err := s.rlock()
	if err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	return x.neighbours(q, withNodes), nil
}

// neighbours answers a validated AdjacencyQuery from the index, with the
// other ends when withNodes.
func (x *index) neighbours(q landscape.AdjacencyQuery, withNodes bool) *landscape.Adjacency {
	adj := &landscape.Adjacency{Edges: x.adjacent(q)}
	if !withNodes {
		return adj
	}
	adj.Nodes = map[string]*landscape.Node{}
	for id, es := range adj.Edges {
		for _, e := range es {
			o := e.Other(id)
			if _, done := adj.Nodes[o]; done {
				continue
			}
			if v := x.verts[o]; v != nil && v.n.ValidAt(q.AsOf) {
				adj.Nodes[o] = cloneNode(v.n)
			}
		}
	}
	return adj
}

// adjacent answers an AdjacencyQuery (validated) from the index.
func (x *index) adjacent(q landscape.AdjacencyQuery) map[string][]*landscape.Edge {
	dirs := []landscape.Direction{q.Direction}
	if q.Direction == landscape.DirBoth {
		dirs = []landscape.Direction{landscape.DirOut, landscape.DirIn}
	}
	var within map[string]bool
	if len(q.Within) > 0 {
		within = make(map[string]bool, len(q.Within))
		for _, id := range q.Within {
			within[id] = true
		}
	}
	out := make(map[string][]*landscape.Edge, len(q.NodeIDs))
	for _, id := range q.NodeIDs {
		v := x.verts[id]
		if _, done := out[id]; done || v == nil {
			continue
		}
		var list []*landscape.Edge
		for _, dir := range dirs {
			for _, r := range x.at(id, dir) {
				if (len(q.Kinds) == 0 || slices.Contains(q.Kinds, r.kind())) && (within == nil || within[r.other(v).n.ID]) && r.validAt(q.AsOf) {
					list = append(list, r.edge())
				}
			}
		}
		if len(list) > 0 {
			landscape.SortEdges(list)
			out[id] = list
		}
	}
	return out
}
