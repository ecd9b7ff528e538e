package embedded

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// index is the in-memory copy of the graph.
//
// Stored nodes and edges are never mutated, only replaced, so a pointer
// taken under the read lock stays a consistent snapshot of that node or
// edge. Methods that change the index run under Store.mu's write lock; the
// others under its read lock, or in the single writer, which is the only
// goroutine that changes the index and may therefore read it without lock.
type index struct {
	verts  map[string]*vertex
	byKind map[landscape.NodeKind]map[string]*vertex
	edges  map[string]*edgeRec

	// nodeLog and edgeLog record every change, for the query caches.
	nodeLog changeLog[landscape.Node]
	edgeLog changeLog[edgeRec]
}

// vertex is a node's place in the index: its current version and its edges,
// each list sorted by id. It stays the same while the node is updated, so
// that an edge reaches its ends without a lookup.
type vertex struct {
	n       *landscape.Node
	out, in []*landscape.Edge
}

// edgeRec is one version of an edge with the vertices of its ends. A new
// version of an edge gets a new record.
type edgeRec struct {
	e        *landscape.Edge
	from, to *vertex
}

// validAt reports whether the edge and both its ends are valid on asOf.
func (r *edgeRec) validAt(asOf *landscape.Date) bool {
	return asOf == nil || r.e.ValidAt(asOf) && r.from.n.ValidAt(asOf) && r.to.n.ValidAt(asOf)
}

var _ landscape.Graph = (*index)(nil)

func newIndex(nodes, edges int) *index {
	return &index{
		verts:  make(map[string]*vertex, nodes),
		byKind: map[landscape.NodeKind]map[string]*vertex{},
		edges:  make(map[string]*edgeRec, edges),
	}
}

// buildIndex indexes loaded nodes and edges; every edge must connect two of
// the nodes. It also returns the edge records in the order of edges.
func buildIndex(nodes []*landscape.Node, edges []*landscape.Edge) (*index, []*edgeRec, error) {
	x := newIndex(len(nodes), len(edges))
	recs := make([]*edgeRec, len(edges))
	// Decoding gives every record its own copy of each string; the ids of an
	// edge's ends, sources, kinds, categories and roles repeat a lot, so the
	// index keeps one copy of each (at scale 1: 130 MB of heap instead of 164).
	strs := map[string]string{}
	intern := func(s string) string {
		if c, ok := strs[s]; ok {
			return c
		}
		strs[s] = s
		return s
	}
	for _, n := range nodes {
		n.Kind = landscape.NodeKind(intern(string(n.Kind)))
		n.Source, n.Category, n.Scope = intern(n.Source), intern(n.Category), intern(n.Scope)
		v := &vertex{n: n}
		x.verts[n.ID] = v
		x.kindMap(n.Kind)[n.ID] = v
	}
	for i, e := range edges {
		r := &edgeRec{e: e, from: x.verts[e.From], to: x.verts[e.To]}
		switch {
		case r.from == nil:
			return nil, nil, fmt.Errorf("edge %q starts at the missing node %q", e.ID, e.From)
		case r.to == nil:
			return nil, nil, fmt.Errorf("edge %q ends at the missing node %q", e.ID, e.To)
		}
		e.From, e.To = r.from.n.ID, r.to.n.ID
		e.Kind = landscape.EdgeKind(intern(string(e.Kind)))
		e.Source, e.Role, e.Agreement = intern(e.Source), intern(e.Role), intern(e.Agreement)
		x.edges[e.ID] = r
		recs[i] = r
		r.from.out = append(r.from.out, e)
		r.to.in = append(r.to.in, e)
	}
	// The edges came in id order (bbolt keys are sorted), so the lists are
	// sorted already; make sure.
	for _, v := range x.verts {
		if !slices.IsSortedFunc(v.out, byID) {
			landscape.SortEdges(v.out)
		}
		if !slices.IsSortedFunc(v.in, byID) {
			landscape.SortEdges(v.in)
		}
	}
	return x, recs, nil
}

func byID(a, b *landscape.Edge) int { return strings.Compare(a.ID, b.ID) }

func (x *index) kindMap(k landscape.NodeKind) map[string]*vertex {
	m := x.byKind[k]
	if m == nil {
		m = map[string]*vertex{}
		x.byKind[k] = m
	}
	return m
}

// Node implements landscape.Graph.
func (x *index) Node(id string) (*landscape.Node, bool) {
	if v := x.verts[id]; v != nil {
		return v.n, true
	}
	return nil, false
}

// EdgesAt implements landscape.Graph. The slice is the index's own: read
// only, and only under the lock.
func (x *index) EdgesAt(id string, dir landscape.Direction) []*landscape.Edge {
	v := x.verts[id]
	if v == nil {
		return nil
	}
	switch dir {
	case landscape.DirOut:
		return v.out
	case landscape.DirIn:
		return v.in
	}
	return nil
}

// edgeValid reports whether e, an edge of the index, and both its ends are
// valid on asOf.
func (x *index) edgeValid(e *landscape.Edge, asOf *landscape.Date) bool {
	if asOf == nil {
		return true
	}
	return e.ValidAt(asOf) && x.verts[e.From].n.ValidAt(asOf) && x.verts[e.To].n.ValidAt(asOf)
}

// state returns what Resolve needs to know about the stored graph for cs.
// The values are the index's own; Resolve does not modify them.
func (x *index) state(cs *landscape.Changeset) landscape.State {
	nodeIDs, edgeIDs := cs.Refs()
	// Refs names a created or upserted node by its id as given, while
	// Resolve looks it up normalised (" a " as "a"): add the normalised ids,
	// or a padded id of a stored node would be taken for a new one.
	for _, c := range cs.Nodes {
		if c.Node != nil {
			n := *c.Node
			n.Normalize()
			if n.ID != c.Node.ID {
				nodeIDs = append(nodeIDs, n.ID)
			}
		}
	}
	st := landscape.State{
		Nodes: make(map[string]*landscape.Node, len(nodeIDs)),
		Edges: make(map[string]*landscape.Edge, len(edgeIDs)),
		Kinds: map[string]landscape.NodeKind{},
	}
	for _, id := range nodeIDs {
		if v := x.verts[id]; v != nil {
			st.Nodes[id] = v.n
		}
	}
	for _, id := range edgeIDs {
		if r := x.edges[id]; r != nil {
			st.Edges[id] = r.e
			st.Kinds[r.e.From] = r.from.n.Kind
			st.Kinds[r.e.To] = r.to.n.Kind
		}
	}
	return st
}

// apply changes the index as w changed the file: deletions first, then
// puts. w's values become the index's own.
func (x *index) apply(w *write) {
	for _, id := range w.deletedEdges {
		x.removeEdge(id)
	}
	for _, id := range w.deletedNodes {
		x.removeNode(id)
	}
	for _, n := range w.nodes {
		v := x.verts[n.ID]
		var old *landscape.Node
		switch {
		case v == nil:
			v = &vertex{n: n}
			x.verts[n.ID] = v
			x.kindMap(n.Kind)[n.ID] = v
		case v.n.Kind != n.Kind: // Resolve forbids this; stay consistent anyway
			delete(x.byKind[v.n.Kind], n.ID)
			x.kindMap(n.Kind)[n.ID] = v
			fallthrough
		default:
			old = v.n
			v.n = n
		}
		x.nodeLog.add(n.ID, old)
	}
	for _, e := range w.edges {
		r := &edgeRec{e: e, from: x.verts[e.From], to: x.verts[e.To]}
		old := x.edges[e.ID]
		x.edges[e.ID] = r
		x.edgeLog.add(e.ID, old)
		if old != nil { // same ends: prepare sent the others through deletedEdges
			replaceEdge(r.from.out, e)
			replaceEdge(r.to.in, e)
		}
	}
	for id, es := range w.outAdds {
		v := x.verts[id]
		v.out = addEdges(v.out, es)
	}
	for id, es := range w.inAdds {
		v := x.verts[id]
		v.in = addEdges(v.in, es)
	}
}

// removeNode removes a node and its edges.
func (x *index) removeNode(id string) {
	v := x.verts[id]
	if v == nil {
		return
	}
	for _, l := range [][]*landscape.Edge{slices.Clone(v.out), slices.Clone(v.in)} {
		for _, e := range l {
			x.removeEdge(e.ID)
		}
	}
	delete(x.verts, id)
	delete(x.byKind[v.n.Kind], id)
	x.nodeLog.add(id, v.n)
}

func (x *index) removeEdge(id string) {
	r := x.edges[id]
	if r == nil {
		return
	}
	delete(x.edges, id)
	r.from.out = removeEdge(r.from.out, id)
	r.to.in = removeEdge(r.to.in, id)
	x.edgeLog.add(id, r)
}

func findEdge(l []*landscape.Edge, id string) (int, bool) {
	return slices.BinarySearchFunc(l, id, func(e *landscape.Edge, id string) int { return strings.Compare(e.ID, id) })
}

func removeEdge(l []*landscape.Edge, id string) []*landscape.Edge {
	i, ok := findEdge(l, id)
	if !ok {
		return l
	}
	if len(l) == 1 {
		return nil
	}
	return slices.Delete(l, i, i+1)
}

func replaceEdge(l []*landscape.Edge, e *landscape.Edge) {
	if i, ok := findEdge(l, e.ID); ok {
		l[i] = e
	}
}

// addEdges merges es, sorted by id and new to l, into l.
func addEdges(l, es []*landscape.Edge) []*landscape.Edge {
	switch {
	case len(l) == 0:
		return es
	case len(es) == 1:
		i, _ := findEdge(l, es[0].ID)
		return slices.Insert(l, i, es[0])
	}
	merged := make([]*landscape.Edge, 0, len(l)+len(es))
	i := 0
	for _, e := range l {
		for i < len(es) && es[i].ID < e.ID {
			merged = append(merged, es[i])
			i++
		}
		merged = append(merged, e)
	}
	return append(merged, es[i:]...)
}

// cloneNode returns a deep copy of n.
func cloneNode(n *landscape.Node) *landscape.Node {
	c := *n
	c.Aliases = slices.Clone(n.Aliases)
	c.ValidFrom = clonePtr(n.ValidFrom)
	c.ValidTo = clonePtr(n.ValidTo)
	c.Order = clonePtr(n.Order)
	c.AgeFrom = clonePtr(n.AgeFrom)
	c.AgeTo = clonePtr(n.AgeTo)
	return &c
}

// cloneEdge returns a deep copy of e.
func cloneEdge(e *landscape.Edge) *landscape.Edge {
	c := *e
	c.ValidFrom = clonePtr(e.ValidFrom)
	c.ValidTo = clonePtr(e.ValidTo)
	return &c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
