package landscape

import (
	"fmt"
	"reflect"
	"slices"
	"time"
)

// Op is what a change does.
type Op string

// The change operations.
const (
	OpCreate Op = "CREATE" // fails with EConflict when the id exists
	OpUpdate Op = "UPDATE" // applies a patch; fails with ENotFound when the id is missing
	OpUpsert Op = "UPSERT" // creates or replaces
	OpDelete Op = "DELETE" // fails with ENotFound when the id is missing; a node takes its edges along
)

// Opt is an optional patch value: Set says whether the patch touches the
// field; a set nil pointer clears it.
type Opt[T any] struct {
	Set   bool
	Value T
}

// Some returns a set option.
func Some[T any](v T) Opt[T] { return Opt[T]{Set: true, Value: v} }

func (o Opt[T]) apply(dst *T) {
	if o.Set {
		*dst = o.Value
	}
}

// NodePatch changes some fields of a node. Id and kind cannot change.
type NodePatch struct {
	Name, Description, Category, Source, Scope, MeetingRhythm, OfficialCode, URL Opt[string]
	ContactEmail, ContactPhone                                                   Opt[string]
	Aliases                                                                      Opt[[]string]
	Illustrative                                                                 Opt[bool]
	ValidFrom, ValidTo                                                           Opt[*Date]
	Order, AgeFrom, AgeTo                                                        Opt[*int]
}

// Apply writes the set fields of p into n.
func (p *NodePatch) Apply(n *Node) {
	p.Name.apply(&n.Name)
	p.Description.apply(&n.Description)
	p.Category.apply(&n.Category)
	p.Source.apply(&n.Source)
	p.Scope.apply(&n.Scope)
	p.MeetingRhythm.apply(&n.MeetingRhythm)
	p.OfficialCode.apply(&n.OfficialCode)
	p.URL.apply(&n.URL)
	p.ContactEmail.apply(&n.ContactEmail)
	p.ContactPhone.apply(&n.ContactPhone)
	p.Aliases.apply(&n.Aliases)
	p.Illustrative.apply(&n.Illustrative)
	p.ValidFrom.apply(&n.ValidFrom)
	p.ValidTo.apply(&n.ValidTo)
	p.Order.apply(&n.Order)
	p.AgeFrom.apply(&n.AgeFrom)
	p.AgeTo.apply(&n.AgeTo)
}

// EdgePatch changes some properties of an edge. Id, kind and ends cannot
// change: delete the edge and create another.
type EdgePatch struct {
	Role, Agreement, Description, Source Opt[string]
	Illustrative                         Opt[bool]
	ValidFrom, ValidTo                   Opt[*Date]
}

// Apply writes the set fields of p into e.
func (p *EdgePatch) Apply(e *Edge) {
	p.Role.apply(&e.Role)
	p.Agreement.apply(&e.Agreement)
	p.Description.apply(&e.Description)
	p.Source.apply(&e.Source)
	p.Illustrative.apply(&e.Illustrative)
	p.ValidFrom.apply(&e.ValidFrom)
	p.ValidTo.apply(&e.ValidTo)
}

// NodeChange is one change of a node. Create and Upsert carry Node; Update
// carries ID and Patch; Delete carries ID.
type NodeChange struct {
	Op    Op
	Node  *Node
	ID    string
	Patch *NodePatch
}

// EdgeChange is one change of an edge, shaped like NodeChange.
type EdgeChange struct {
	Op    Op
	Edge  *Edge
	ID    string
	Patch *EdgePatch
}

// Changeset is a unit of writes that a store applies all or nothing: node
// changes first, then edge changes, each in order.
type Changeset struct {
	Nodes []NodeChange
	Edges []EdgeChange
	// KeepTimestamps keeps the createdAt/updatedAt of the given nodes and
	// edges where they are set (import of an export); otherwise the store
	// stamps them.
	KeepTimestamps bool
	// Author and Note go into the audit entry of the write: the name of
	// the credential (or the tool) that writes, and an optional comment.
	Author string
	Note   string
}

// Refs returns the ids a store must look up before Resolve: the nodes the
// changeset names or connects, and the edges it names.
func (cs *Changeset) Refs() (nodeIDs, edgeIDs []string) {
	seenN, seenE := map[string]bool{}, map[string]bool{}
	addN := func(id string) {
		if id != "" && !seenN[id] {
			seenN[id] = true
			nodeIDs = append(nodeIDs, id)
		}
	}
	for _, c := range cs.Nodes {
		if c.Node != nil {
			n := *c.Node
			n.Normalize()
			addN(n.ID)
		}
		addN(c.ID)
	}
	for _, c := range cs.Edges {
		id := c.ID
		if c.Edge != nil {
			e := *c.Edge
			e.Normalize()
			id = e.ID
			addN(e.From)
			addN(e.To)
		}
		if id != "" && !seenE[id] {
			seenE[id] = true
			edgeIDs = append(edgeIDs, id)
		}
	}
	return nodeIDs, edgeIDs
}

// State is what Resolve needs of the stored graph: the stored nodes and edges
// among Refs, and the kind of every node at an end of those edges.
type State struct {
	Nodes map[string]*Node
	Edges map[string]*Edge
	// Kinds maps the ids of the stored ends of Edges to their kinds.
	Kinds map[string]NodeKind
}

// Result is what a changeset writes: the nodes and edges in their new state
// and the ids deleted. Unchanged counts upserts that changed nothing. The
// edges a deleted node takes along are not listed.
type Result struct {
	Nodes        []*Node
	Edges        []*Edge
	DeletedNodes []string
	DeletedEdges []string
	// Recreated lists the stored nodes the changeset deletes and creates
	// again: they are in Nodes, but their stored edges are gone all the same
	// (a store detach-deletes them before writing Nodes and Edges); edges of
	// the changeset that reconnect them are in Edges.
	Recreated []string
	Unchanged int
}

// Empty reports whether the result writes nothing.
func (r *Result) Empty() bool {
	return len(r.Nodes)+len(r.Edges)+len(r.DeletedNodes)+len(r.DeletedEdges) == 0
}

// Resolve validates cs against the stored state st and returns the writes it
// makes, or an error listing every problem found. It is the one definition of
// write semantics for every store: a store loads st, calls Resolve and writes
// the Result in one transaction.
func Resolve(cs *Changeset, st State, now time.Time) (*Result, error) {
	var p problems
	nodes := map[string]*Node{}    // new state of touched nodes; nil = deleted
	edges := map[string]*Edge{}    // new state of touched edges; nil = deleted
	defined := map[string]string{} // id -> field of the change that defined it
	var nodeOrder, edgeOrder []string
	touch := func(order *[]string, seen func(string) bool, id string) {
		if !seen(id) {
			*order = append(*order, id)
		}
	}
	lookupNode := func(id string) (*Node, bool) {
		if n, ok := nodes[id]; ok {
			return n, n != nil
		}
		n, ok := st.Nodes[id]
		return n, ok
	}
	// deletedStored holds the stored nodes this changeset deletes (and may
	// create again): their stored edges go with them (DETACH DELETE), so
	// for the rest of the changeset those edges no longer exist.
	deletedStored := map[string]bool{}
	detached := func(e *Edge) bool { return deletedStored[e.From] || deletedStored[e.To] }
	lookupEdge := func(id string) (*Edge, bool) {
		if e, ok := edges[id]; ok {
			return e, e != nil
		}
		e, ok := st.Edges[id]
		if ok && detached(e) {
			return nil, false
		}
		return e, ok
	}
	nodeTouched := func(id string) bool { _, ok := nodes[id]; return ok }
	edgeTouched := func(id string) bool { _, ok := edges[id]; return ok }
	unchanged := map[string]bool{}

	for i, c := range cs.Nodes {
		field := fmt.Sprintf("nodes[%d]", i)
		switch c.Op {
		case OpCreate, OpUpsert:
			if c.Node == nil {
				p.add(field, "%s needs a node", c.Op)
				continue
			}
			n := *c.Node
			n.Normalize()
			if err := n.Validate(field); err != nil {
				p.addAll(err)
				continue
			}
			if prev, ok := defined["n:"+n.ID]; ok {
				p.add(join(field, "id"), "%q is defined twice in this input (first at %s)", n.ID, prev)
				continue
			}
			defined["n:"+n.ID] = field
			old, exists := lookupNode(n.ID)
			if exists && c.Op == OpCreate {
				p.addErr(Errorf(EConflict, join(field, "id"), "a node with id %q exists already", n.ID))
				continue
			}
			if exists && old.Kind != n.Kind {
				p.add(join(field, "kind"), "node %q is a %s; its kind cannot change to %s", n.ID, old.Kind, n.Kind)
				continue
			}
			stamp(&n.CreatedAt, &n.UpdatedAt, old, exists, cs.KeepTimestamps, now)
			if exists && sameNode(old, &n) {
				unchanged[n.ID] = true
				n = *old
			} else {
				delete(unchanged, n.ID)
			}
			touch(&nodeOrder, nodeTouched, n.ID)
			nodes[n.ID] = &n
		case OpUpdate:
			if err := CheckID(join(field, "id"), c.ID); err != nil {
				p.addErr(err.(*Error))
				continue
			}
			old, ok := lookupNode(c.ID)
			if !ok {
				p.addErr(Errorf(ENotFound, join(field, "id"), "no node with id %q", c.ID))
				continue
			}
			n := *old
			n.Aliases = slices.Clone(old.Aliases)
			if c.Patch != nil {
				c.Patch.Apply(&n)
			}
			n.Normalize()
			if err := n.Validate(field); err != nil {
				p.addAll(err)
				continue
			}
			if sameNode(old, &n) {
				if !nodeTouched(n.ID) {
					unchanged[n.ID] = true
				}
				continue
			}
			delete(unchanged, n.ID)
			n.UpdatedAt = now
			touch(&nodeOrder, nodeTouched, n.ID)
			nodes[n.ID] = &n
		case OpDelete:
			if err := CheckID(join(field, "id"), c.ID); err != nil {
				p.addErr(err.(*Error))
				continue
			}
			if _, ok := lookupNode(c.ID); !ok {
				p.addErr(Errorf(ENotFound, join(field, "id"), "no node with id %q", c.ID))
				continue
			}
			delete(unchanged, c.ID)
			if _, stored := st.Nodes[c.ID]; stored {
				deletedStored[c.ID] = true
			}
			touch(&nodeOrder, nodeTouched, c.ID)
			nodes[c.ID] = nil
		default:
			p.add(join(field, "op"), "unknown operation %q", c.Op)
		}
	}

	kindOf := func(id string) (NodeKind, bool) {
		if n, ok := nodes[id]; ok {
			if n == nil {
				return "", false
			}
			return n.Kind, true
		}
		if n, ok := st.Nodes[id]; ok {
			return n.Kind, true
		}
		k, ok := st.Kinds[id]
		return k, ok
	}
	checkEnds := func(field string, e *Edge) bool {
		ok := true
		for _, end := range []struct{ name, id string }{{"from", e.From}, {"to", e.To}} {
			if _, found := kindOf(end.id); !found {
				if n, touched := nodes[end.id]; touched && n == nil {
					p.addErr(Errorf(ENotFound, join(field, end.name), "node %q is deleted in this input", end.id))
				} else {
					p.addErr(Errorf(ENotFound, join(field, end.name), "no node with id %q", end.id))
				}
				ok = false
			}
		}
		if !ok {
			return false
		}
		fk, _ := kindOf(e.From)
		tk, _ := kindOf(e.To)
		if err := CheckEnds(field, e.Kind, fk, tk); err != nil {
			p.addAll(err)
			return false
		}
		return true
	}

	for i, c := range cs.Edges {
		field := fmt.Sprintf("edges[%d]", i)
		switch c.Op {
		case OpCreate, OpUpsert:
			if c.Edge == nil {
				p.add(field, "%s needs an edge", c.Op)
				continue
			}
			e := *c.Edge
			e.Normalize()
			if err := e.Validate(field); err != nil {
				p.addAll(err)
				continue
			}
			if !checkEnds(field, &e) {
				continue
			}
			if prev, ok := defined["e:"+e.ID]; ok {
				p.add(join(field, "id"), "edge %q is defined twice in this input (first at %s)", e.ID, prev)
				continue
			}
			defined["e:"+e.ID] = field
			old, exists := lookupEdge(e.ID)
			if exists && c.Op == OpCreate {
				p.addErr(Errorf(EConflict, join(field, "id"), "an edge with id %q exists already", e.ID))
				continue
			}
			if exists && (old.Kind != e.Kind || old.From != e.From || old.To != e.To) {
				p.add(join(field, "id"), "edge %q connects %s -%s-> %s; kind and ends cannot change (delete it and create another)",
					e.ID, old.From, old.Kind, old.To)
				continue
			}
			stamp(&e.CreatedAt, &e.UpdatedAt, old, exists, cs.KeepTimestamps, now)
			if exists && sameEdge(old, &e) {
				unchanged["e:"+e.ID] = true
				e = *old
			} else {
				delete(unchanged, "e:"+e.ID)
			}
			touch(&edgeOrder, edgeTouched, e.ID)
			edges[e.ID] = &e
		case OpUpdate:
			if err := CheckID(join(field, "id"), c.ID); err != nil {
				p.addErr(err.(*Error))
				continue
			}
			if e, ok := st.Edges[c.ID]; ok && detached(e) && !edgeTouched(c.ID) {
				end, id := "from", e.From
				if !deletedStored[e.From] {
					end, id = "to", e.To
				}
				p.addErr(Errorf(ENotFound, join(field, end), "node %q is deleted in this input and takes edge %q along", id, c.ID))
				continue
			}
			old, ok := lookupEdge(c.ID)
			if !ok {
				p.addErr(Errorf(ENotFound, join(field, "id"), "no edge with id %q", c.ID))
				continue
			}
			e := *old
			if c.Patch != nil {
				c.Patch.Apply(&e)
			}
			e.Normalize()
			if err := e.Validate(field); err != nil {
				p.addAll(err)
				continue
			}
			if !checkEnds(field, &e) {
				continue
			}
			if sameEdge(old, &e) {
				if !edgeTouched(e.ID) {
					unchanged["e:"+e.ID] = true
				}
				continue
			}
			delete(unchanged, "e:"+e.ID)
			e.UpdatedAt = now
			touch(&edgeOrder, edgeTouched, e.ID)
			edges[e.ID] = &e
		case OpDelete:
			if err := CheckID(join(field, "id"), c.ID); err != nil {
				p.addErr(err.(*Error))
				continue
			}
			if e, ok := st.Edges[c.ID]; ok && detached(e) && !edgeTouched(c.ID) {
				continue // it goes with its deleted end
			}
			if _, ok := lookupEdge(c.ID); !ok {
				p.addErr(Errorf(ENotFound, join(field, "id"), "no edge with id %q", c.ID))
				continue
			}
			delete(unchanged, "e:"+c.ID)
			touch(&edgeOrder, edgeTouched, c.ID)
			edges[c.ID] = nil
		default:
			p.add(join(field, "op"), "unknown operation %q", c.Op)
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}

	res := &Result{Unchanged: len(unchanged)}
	for _, id := range nodeOrder {
		switch n := nodes[id]; {
		case n == nil:
			if _, stored := st.Nodes[id]; stored {
				res.DeletedNodes = append(res.DeletedNodes, id)
			}
		case !unchanged[id]:
			res.Nodes = append(res.Nodes, n)
			if deletedStored[id] {
				res.Recreated = append(res.Recreated, id)
			}
		}
	}
	for _, id := range edgeOrder {
		switch e := edges[id]; {
		case e == nil:
			if _, stored := st.Edges[id]; stored {
				res.DeletedEdges = append(res.DeletedEdges, id)
			}
		case !unchanged["e:"+id]:
			res.Edges = append(res.Edges, e)
		}
	}
	return res, nil
}

// stamp sets the timestamps of a node or edge being written.
func stamp[T any](created, updated *time.Time, old *T, exists, keep bool, now time.Time) {
	if keep && !created.IsZero() && !updated.IsZero() {
		return
	}
	*updated = now
	*created = now
	if exists {
		switch o := any(old).(type) {
		case *Node:
			*created = o.CreatedAt
		case *Edge:
			*created = o.CreatedAt
		}
	}
}

func sameNode(a, b *Node) bool {
	x, y := *a, *b
	x.CreatedAt, x.UpdatedAt, y.CreatedAt, y.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if len(x.Aliases) == 0 {
		x.Aliases = nil
	}
	if len(y.Aliases) == 0 {
		y.Aliases = nil
	}
	return reflect.DeepEqual(x, y)
}

func sameEdge(a, b *Edge) bool {
	x, y := *a, *b
	x.CreatedAt, x.UpdatedAt, y.CreatedAt, y.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(x, y)
}

func (p *problems) addAll(err error) {
	e := AsError(err)
	if e == nil {
		p.addErr(Wrap(EInternal, err, "%v", err))
		return
	}
	if len(e.Problems) > 0 {
		*p = append(*p, e.Problems...)
		return
	}
	p.addErr(e)
}

// Problems returns every problem err carries: its Problems, or err itself.
func Problems(err error) []*Error {
	e := AsError(err)
	switch {
	case e == nil && err != nil:
		return []*Error{Wrap(EInternal, err, "%v", err)}
	case e == nil:
		return nil
	case len(e.Problems) > 0:
		return e.Problems
	}
	return []*Error{e}
}
