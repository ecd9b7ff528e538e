package landscape

import (
	"context"
	"fmt"
	"slices"
)

// MaxExpandSteps bounds the steps of one ExpandQuery.
const MaxExpandSteps = 64

// ExpandQuery asks for the nodes with the given ids and a tree of levels of
// relationships below them, in one round trip: what a nested read (a
// GraphQL selection several levels deep, an ego network) needs, read at
// once instead of one Neighbours call per level.
type ExpandQuery struct {
	Roots []string
	AsOf  *Date // only nodes and edges valid on this date (edges with both ends)
	// Steps are the levels, each starting from the nodes its parent reached.
	// A step's parent comes before it.
	Steps []ExpandStep
	// Brief asks only for the shape of the expansion: its nodes carry only
	// ID, Kind and Name, its edges only ID, Kind, From and To (Node.Brief,
	// Edge.Brief), as for drawing a network. A store then reads and sends
	// less. Which nodes and edges it holds does not change.
	Brief bool
}

// ExpandStep is one level of an ExpandQuery: Adjacent's question (the kinds,
// the direction) asked of the nodes the parent step reached that have one of
// FromKinds.
type ExpandStep struct {
	// Parent is the index of the step whose other ends this step starts
	// from, or -1 for the roots.
	Parent    int
	Direction Direction
	Kinds     []EdgeKind // empty: every kind
	FromKinds []NodeKind // empty: every kind
	// Among keeps only the edges whose other end is one of the nodes the
	// step starts from (Adjacent with Within set to them): the edges among
	// a level, read with it. Such a step reaches no node it did not start
	// from.
	Among bool
}

// Expansion is the answer of Store.Expand.
type Expansion struct {
	// Nodes are the roots that exist (valid on AsOf) and every node a step
	// reached, by id.
	Nodes map[string]*Node
	// Steps holds, per step of the query, Adjacent's answer for the nodes
	// the step started from: each such node, under its id (present even
	// when it has no edges), with its edges sorted by id.
	Steps []map[string][]*Edge
}

// Validate checks q.
func (q *ExpandQuery) Validate() error {
	var p problems
	if len(q.Roots) > MaxWithin {
		p.add("roots", "at most %d ids, not %d", MaxWithin, len(q.Roots))
	}
	if len(q.Steps) > MaxExpandSteps {
		p.add("steps", "at most %d steps, not %d", MaxExpandSteps, len(q.Steps))
	}
	for i, s := range q.Steps {
		field := fmt.Sprintf("steps[%d]", i)
		if s.Parent < -1 || s.Parent >= i {
			p.add(field+".parent", "must be -1 (the roots) or the index of an earlier step, not %d", s.Parent)
		}
		if s.Direction != DirOut && s.Direction != DirIn && s.Direction != DirBoth {
			p.add(field+".direction", "unknown direction %q", s.Direction)
		}
		for j, k := range s.Kinds {
			if !k.Valid() {
				p.add(fmt.Sprintf("%s.kinds[%d]", field, j), "unknown edge kind %q", k)
			}
		}
		for j, k := range s.FromKinds {
			if !k.Valid() {
				p.add(fmt.Sprintf("%s.fromKinds[%d]", field, j), "unknown node kind %q", k)
			}
		}
	}
	return p.err()
}

// starts returns the ids a step starts from, given the nodes found so far
// and the answer of its parent (nil for the roots): the nodes the parent
// reached (the roots) that exist and have one of the step's FromKinds, each
// once, in the order they were reached.
func (s *ExpandStep) starts(roots []string, parent map[string][]*Edge, parentStarts []string, nodes map[string]*Node) []string {
	var cand []string
	if s.Parent < 0 {
		cand = roots
	} else {
		for _, id := range parentStarts {
			for _, e := range parent[id] {
				cand = append(cand, e.Other(id))
			}
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, id := range cand {
		n := nodes[id]
		if seen[id] || n == nil || len(s.FromKinds) > 0 && !slices.Contains(s.FromKinds, n.Kind) {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}

// ExpandBy answers q with one Nodes call for the roots and one Neighbours
// call per step: the reference semantics of Store.Expand, which a store
// answers in one round trip and the conformance suite compares with this.
func ExpandBy(ctx context.Context, s Store, q ExpandQuery) (*Expansion, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return ExpandWith(q,
		func(ids []string) (map[string]*Node, error) { return s.Nodes(ctx, ids, q.AsOf) },
		func(_ int, a AdjacencyQuery) (*Adjacency, error) { return s.Neighbours(ctx, a) })
}

// ExpandWith answers a validated q with the two reads it is made of: nodes
// by id (valid on q.AsOf) and, per step (its index), Neighbours of the nodes
// it starts from. A store that holds its data in the process passes its own
// reads under one lock; one that read every step at once answers them from
// what it read.
func ExpandWith(q ExpandQuery, nodes func([]string) (map[string]*Node, error), neighbours func(step int, a AdjacencyQuery) (*Adjacency, error)) (*Expansion, error) {
	found, err := nodes(q.Roots)
	if err != nil {
		return nil, err
	}
	x := &Expansion{Nodes: found, Steps: make([]map[string][]*Edge, len(q.Steps))}
	starts := make([][]string, len(q.Steps))
	for i := range q.Steps {
		st := &q.Steps[i]
		var parent map[string][]*Edge
		var parentStarts []string
		if st.Parent >= 0 {
			parent, parentStarts = x.Steps[st.Parent], starts[st.Parent]
		}
		starts[i] = st.starts(q.Roots, parent, parentStarts, x.Nodes)
		x.Steps[i] = make(map[string][]*Edge, len(starts[i]))
		if len(starts[i]) == 0 {
			continue
		}
		a := AdjacencyQuery{NodeIDs: starts[i], Direction: st.Direction, Kinds: st.Kinds, AsOf: q.AsOf}
		var among map[string]bool
		if st.Among {
			among = make(map[string]bool, len(starts[i]))
			for _, id := range starts[i] {
				among[id] = true
			}
			if len(starts[i]) <= MaxWithin {
				a.Within = starts[i]
			}
		}
		adj, err := neighbours(i, a)
		if err != nil {
			return nil, err
		}
		for _, id := range starts[i] {
			es := adj.Edges[id]
			if among != nil {
				es = slices.DeleteFunc(slices.Clone(es), func(e *Edge) bool { return !among[e.Other(id)] })
			}
			x.Steps[i][id] = es
		}
		for id, n := range adj.Nodes {
			if x.Nodes[id] == nil {
				x.Nodes[id] = n
			}
		}
	}
	if q.Brief {
		x.brief()
	}
	return x, nil
}

// brief replaces the nodes and edges of x by their brief copies.
func (x *Expansion) brief() {
	for id, n := range x.Nodes {
		x.Nodes[id] = n.Brief()
	}
	for _, step := range x.Steps {
		for id, es := range step {
			step[id] = BriefEdges(es)
		}
	}
}
