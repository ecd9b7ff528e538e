package landscape

import (
	"context"
	"slices"
	"time"
)

// Store is the storage contract every backend (embedded, Neo4j) implements
// and the conformance suite storetest checks. Reads take an optional as-of
// date: facts not valid on that date are left out. Every method is one
// round trip to the backend, whatever the number of ids, so callers batch.
type Store interface {
	// Nodes returns the nodes with the given ids that exist (and are valid
	// on asOf), keyed by id.
	Nodes(ctx context.Context, ids []string, asOf *Date) (map[string]*Node, error)
	// QueryNodes returns a filtered, sorted page of nodes.
	QueryNodes(ctx context.Context, q NodeQuery) (*NodePage, error)
	// Edges returns the edges with the given ids that exist (and are valid,
	// with both ends, on asOf), keyed by id.
	Edges(ctx context.Context, ids []string, asOf *Date) (map[string]*Edge, error)
	// QueryEdges returns a page of edges sorted by id.
	QueryEdges(ctx context.Context, q EdgeQuery) (*EdgePage, error)
	// Adjacent returns, for each node id, its edges of the given kinds and
	// direction, sorted by edge id. An edge between two nodes of the query
	// appears under both when the direction is BOTH.
	Adjacent(ctx context.Context, q AdjacencyQuery) (map[string][]*Edge, error)
	// Neighbours is Adjacent together with the nodes at the other ends of
	// the edges, as Nodes(ends, q.AsOf) gives them: one level of a nested
	// read in one round trip.
	Neighbours(ctx context.Context, q AdjacencyQuery) (*Adjacency, error)
	// Expand reads the roots and a tree of Neighbours levels below them in
	// one round trip, with the answers ExpandBy gives (brief, when q.Brief
	// asks for only the shape).
	Expand(ctx context.Context, q ExpandQuery) (*Expansion, error)
	// Apply writes a changeset all or nothing, with the semantics of Resolve.
	Apply(ctx context.Context, cs *Changeset) (*Result, error)
	// Audit returns a page of the audit log: one entry per Apply that
	// changed something, written in the same transaction.
	Audit(ctx context.Context, q AuditQuery) (*AuditPage, error)
	// Ping reports whether the store can serve requests.
	Ping(ctx context.Context) error
	// Close releases the store.
	Close() error
}

// Adjacency is the answer of Store.Neighbours.
type Adjacency struct {
	// Edges are Adjacent's answer: for each node id of the query, its edges.
	Edges map[string][]*Edge
	// Nodes are the other ends of those edges, by id.
	Nodes map[string]*Node
}

// Graph is the read access MatchFilter and Reached need for relation
// conditions: a store's in-memory index, for instance. It hands out what a
// relation condition looks at of an edge, not the edge itself, so that an
// index may keep its edges in a form of its own.
type Graph interface {
	Node(id string) (*Node, bool)
	// EachEdge calls fn with the kind and the other end of every edge at
	// node id in direction dir (OUT or IN) that is valid on asOf (nil: every
	// edge), until fn returns false. The other end's validity is the
	// caller's to check.
	EachEdge(id string, dir Direction, asOf *Date, fn func(kind EdgeKind, other string) bool)
}

// EdgeList is a Graph over a map of nodes and a list of edges, each call
// scanning the list: for tests and small snapshots.
type EdgeList struct {
	Nodes map[string]*Node
	Edges []*Edge
}

// Node implements Graph.
func (g *EdgeList) Node(id string) (*Node, bool) {
	n, ok := g.Nodes[id]
	return n, ok
}

// EachEdge implements Graph.
func (g *EdgeList) EachEdge(id string, dir Direction, asOf *Date, fn func(EdgeKind, string) bool) {
	for _, e := range g.Edges {
		if (dir == DirOut && e.From == id || dir == DirIn && e.To == id) && e.ValidAt(asOf) && !fn(e.Kind, e.Other(id)) {
			return
		}
	}
}

// MatchFilter reports whether n passes f on date asOf (nil: any date), with
// relation conditions answered by g. It is the reference semantics of
// filters; stores that push filters down (Cypher) must give the same answers,
// which the conformance suite checks.
func MatchFilter(n *Node, f *Filter, asOf *Date, g Graph) bool {
	if f == nil {
		return true
	}
	for _, a := range f.And {
		if !MatchFilter(n, a, asOf, g) {
			return false
		}
	}
	if len(f.Or) > 0 && !slices.ContainsFunc(f.Or, func(o *Filter) bool { return MatchFilter(n, o, asOf, g) }) {
		return false
	}
	if f.Not != nil && MatchFilter(n, f.Not, asOf, g) {
		return false
	}
	if f.Field != "" && !f.MatchField(n) {
		return false
	}
	if r := f.Relation; r != nil {
		found := relatedMatch(n, r, asOf, g)
		if (r.Quantifier == QuantNone) == found {
			return false
		}
	}
	return true
}

func relatedMatch(n *Node, r *RelationFilter, asOf *Date, g Graph) bool {
	dirs := []Direction{r.Direction}
	if r.Direction == DirBoth {
		dirs = []Direction{DirOut, DirIn}
	}
	found := false
	for _, dir := range dirs {
		g.EachEdge(n.ID, dir, asOf, func(k EdgeKind, other string) bool {
			if len(r.Kinds) > 0 && !slices.Contains(r.Kinds, k) {
				return true
			}
			m, ok := g.Node(other)
			found = ok && m.ValidAt(asOf) && MatchFilter(m, r.Node, asOf, g)
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// BatchWaiter is a store that says how long the loaders of a GraphQL
// request should collect the keys of one level before they call it: long
// for a store whose round trip is costly (a network hop, a transaction),
// short for one in the process, where waiting costs more than an extra call.
type BatchWaiter interface {
	BatchWait() time.Duration
}

// BatchWaitOf returns s's BatchWait, or def when s does not say.
func BatchWaitOf(s Store, def time.Duration) time.Duration {
	if w, ok := s.(BatchWaiter); ok && w.BatchWait() > 0 {
		return w.BatchWait()
	}
	return def
}
