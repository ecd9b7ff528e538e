package embedded

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unique"

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
	out, in []*edgeRec
}

// edgeRec is one version of an edge, kept compact: at the scale of a Land
// the index holds 300,000 edges, and a domain Edge with its own record took
// 240 bytes and a dozen pointers for the collector to follow. The record
// reaches its ends as vertices, shares the attributes that repeat (kind,
// role, agreement, description, source) with every edge that has the same,
// and keeps dates and times as numbers: 80 bytes. edge() builds the domain
// edge; a read returns that copy, as it returned a clone before. A new
// version of an edge gets a new record.
type edgeRec struct {
	id                 string
	from, to           *vertex
	attrs              unique.Handle[edgeAttrs]
	validFrom, validTo landscape.Date // the zero Date: open
	created, updated   stamp
}

// edgeAttrs are the attributes of an edge that repeat across edges; the
// 297,253 edges of the benchmark's landscape (scale 1) share 32 values.
// unique.Make keeps one copy of each value and forgets it once no record
// holds it.
type edgeAttrs struct {
	kind                                 landscape.EdgeKind
	role, agreement, description, source string
	illustrative                         bool
}

// stamp is a UTC time as seconds and nanoseconds since 1970; the zero time
// (year 1) is representable too.
type stamp struct {
	sec  int64
	nsec int32
}

func stampOf(t time.Time) stamp { return stamp{t.Unix(), int32(t.Nanosecond())} }

func (s stamp) time() time.Time { return time.Unix(s.sec, int64(s.nsec)).UTC() }

// newEdgeRec makes the record of e, whose ends are the vertices from and to.
func newEdgeRec(e *landscape.Edge, from, to *vertex) *edgeRec {
	r := &edgeRec{
		id: e.ID, from: from, to: to,
		attrs: unique.Make(edgeAttrs{kind: e.Kind, role: e.Role, agreement: e.Agreement,
			description: e.Description, source: e.Source, illustrative: e.Illustrative}),
		created: stampOf(e.CreatedAt), updated: stampOf(e.UpdatedAt),
	}
	if e.ValidFrom != nil {
		r.validFrom = *e.ValidFrom
	}
	if e.ValidTo != nil {
		r.validTo = *e.ValidTo
	}
	return r
}

// edge returns the domain edge of r, a new value the caller owns.
func (r *edgeRec) edge() *landscape.Edge {
	a := r.attrs.Value()
	e := &landscape.Edge{
		ID: r.id, Kind: a.kind, From: r.from.n.ID, To: r.to.n.ID,
		Role: a.role, Agreement: a.agreement, Description: a.description, Source: a.source, Illustrative: a.illustrative,
		CreatedAt: r.created.time(), UpdatedAt: r.updated.time(),
	}
	if r.validFrom != (landscape.Date{}) {
		d := r.validFrom
		e.ValidFrom = &d
	}
	if r.validTo != (landscape.Date{}) {
		d := r.validTo
		e.ValidTo = &d
	}
	return e
}

func (r *edgeRec) kind() landscape.EdgeKind { return r.attrs.Value().kind }

func (r *edgeRec) role() string { return r.attrs.Value().role }

// validity returns r's own validity, pointing into r: read only.
func (r *edgeRec) validity() landscape.Validity {
	var v landscape.Validity
	if r.validFrom != (landscape.Date{}) {
		v.ValidFrom = &r.validFrom
	}
	if r.validTo != (landscape.Date{}) {
		v.ValidTo = &r.validTo
	}
	return v
}

// other returns the end of r that is not the vertex at (either, for a loop).
func (r *edgeRec) other(at *vertex) *vertex {
	if r.from == at {
		return r.to
	}
	return r.from
}

// validAt reports whether the edge and both its ends are valid on asOf.
func (r *edgeRec) validAt(asOf *landscape.Date) bool {
	return asOf == nil || r.validity().ValidAt(asOf) && r.from.n.ValidAt(asOf) && r.to.n.ValidAt(asOf)
}

var _ landscape.Graph = (*index)(nil)

func newIndex(nodes, edges int) *index {
	return &index{
		verts:  make(map[string]*vertex, nodes),
		byKind: map[landscape.NodeKind]map[string]*vertex{},
		edges:  make(map[string]*edgeRec, edges),
	}
}

// indexNodes starts an index of loaded nodes; addLoaded then adds the
// records of the edges.
func indexNodes(nodes []*landscape.Node) *index {
	x := newIndex(len(nodes), 0)
	// Decoding gives every record its own copy of each string; the kinds,
	// sources and categories of nodes repeat a lot, so the index keeps one
	// copy of each (edges share theirs through edgeAttrs).
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
	return x
}

// record returns the record of a loaded edge, which must connect two nodes
// of the index. It only reads the index: loading calls it in parallel.
func (x *index) record(e *landscape.Edge) (*edgeRec, error) {
	from, to := x.verts[e.From], x.verts[e.To]
	switch {
	case from == nil:
		return nil, fmt.Errorf("edge %q starts at the missing node %q", e.ID, e.From)
	case to == nil:
		return nil, fmt.Errorf("edge %q ends at the missing node %q", e.ID, e.To)
	}
	return newEdgeRec(e, from, to), nil
}

// addLoaded adds the records of the loaded edges to an index of nodes.
func (x *index) addLoaded(recs []*edgeRec) {
	x.edges = make(map[string]*edgeRec, len(recs))
	// Each list gets its exact length up front: appending would leave a
	// quarter of it unused on average.
	degOut, degIn := map[*vertex]int{}, map[*vertex]int{}
	for _, r := range recs {
		degOut[r.from]++
		degIn[r.to]++
	}
	for v, d := range degOut {
		v.out = make([]*edgeRec, 0, d)
	}
	for v, d := range degIn {
		v.in = make([]*edgeRec, 0, d)
	}
	for _, r := range recs {
		x.edges[r.id] = r
		r.from.out = append(r.from.out, r)
		r.to.in = append(r.to.in, r)
	}
	// The edges came in id order (bbolt keys are sorted), so the lists are
	// sorted already; make sure.
	for _, v := range x.verts {
		if !slices.IsSortedFunc(v.out, byID) {
			slices.SortFunc(v.out, byID)
		}
		if !slices.IsSortedFunc(v.in, byID) {
			slices.SortFunc(v.in, byID)
		}
	}
}

func byID(a, b *edgeRec) int { return strings.Compare(a.id, b.id) }

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

// at returns the edges at vertex id in direction dir (OUT or IN), sorted by
// id. The slice is the index's own: read only, and only under the lock.
func (x *index) at(id string, dir landscape.Direction) []*edgeRec {
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

// EachEdge implements landscape.Graph.
func (x *index) EachEdge(id string, dir landscape.Direction, asOf *landscape.Date, fn func(landscape.EdgeKind, string) bool) {
	for _, r := range x.at(id, dir) {
		if !r.validity().ValidAt(asOf) {
			continue
		}
		o := r.to
		if dir == landscape.DirIn {
			o = r.from
		}
		if !fn(r.kind(), o.n.ID) {
			return
		}
	}
}

// state returns what Resolve needs to know about the stored graph for cs.
// The nodes are the index's own (Resolve does not modify them); the edges
// are copies.
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
			st.Edges[id] = r.edge()
			st.Kinds[r.from.n.ID] = r.from.n.Kind
			st.Kinds[r.to.n.ID] = r.to.n.Kind
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
	recs := make(map[string]*edgeRec, len(w.edges))
	for _, e := range w.edges {
		r := newEdgeRec(e, x.verts[e.From], x.verts[e.To])
		recs[r.id] = r
		old := x.edges[r.id]
		x.edges[r.id] = r
		x.edgeLog.add(r.id, old)
		if old != nil { // same ends: prepare sent the others through deletedEdges
			replaceEdge(r.from.out, r)
			replaceEdge(r.to.in, r)
		}
	}
	added := func(es []*landscape.Edge) []*edgeRec {
		l := make([]*edgeRec, len(es))
		for i, e := range es {
			l[i] = recs[e.ID]
		}
		return l
	}
	for id, es := range w.outAdds {
		v := x.verts[id]
		v.out = addEdges(v.out, added(es))
	}
	for id, es := range w.inAdds {
		v := x.verts[id]
		v.in = addEdges(v.in, added(es))
	}
}

// removeNode removes a node and its edges.
func (x *index) removeNode(id string) {
	v := x.verts[id]
	if v == nil {
		return
	}
	for _, l := range [][]*edgeRec{slices.Clone(v.out), slices.Clone(v.in)} {
		for _, r := range l {
			x.removeEdge(r.id)
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

func findEdge(l []*edgeRec, id string) (int, bool) {
	return slices.BinarySearchFunc(l, id, func(r *edgeRec, id string) int { return strings.Compare(r.id, id) })
}

func removeEdge(l []*edgeRec, id string) []*edgeRec {
	i, ok := findEdge(l, id)
	if !ok {
		return l
	}
	if len(l) == 1 {
		return nil
	}
	return slices.Delete(l, i, i+1)
}

func replaceEdge(l []*edgeRec, r *edgeRec) {
	if i, ok := findEdge(l, r.id); ok {
		l[i] = r
	}
}

// addEdges merges rs, sorted by id and new to l, into l.
func addEdges(l, rs []*edgeRec) []*edgeRec {
	switch {
	case len(l) == 0:
		return rs
	case len(rs) == 1:
		i, _ := findEdge(l, rs[0].id)
		return slices.Insert(l, i, rs[0])
	}
	merged := make([]*edgeRec, 0, len(l)+len(rs))
	i := 0
	for _, r := range l {
		for i < len(rs) && rs[i].id < r.id {
			merged = append(merged, rs[i])
			i++
		}
		merged = append(merged, r)
	}
	return append(merged, rs[i:]...)
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
