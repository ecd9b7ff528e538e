package analysis

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Limits of ShortestPaths.
const (
	DefaultMaxPaths  = 10
	MaxPaths         = 1000
	DefaultMaxLength = 8
	MaxPathLength    = 16
)

// PathQuery configures ShortestPaths.
type PathQuery struct {
	// EdgeKinds are the edges a path may use, in either direction (empty:
	// CoordinationEdgeKinds).
	EdgeKinds []landscape.EdgeKind
	// AsOf restricts the paths to nodes and edges valid on that date.
	AsOf *landscape.Date
	// MaxPaths caps the number of paths returned (0: DefaultMaxPaths).
	MaxPaths int
	// MaxLength is the longest path searched for, in steps (0:
	// DefaultMaxLength).
	MaxLength int
}

// Step is one step of a path: from one node to the next over every edge
// of the chosen kinds that joins them.
type Step struct {
	From, To *landscape.Node
	// Edges join From and To (in either direction), sorted by id.
	Edges []*landscape.Edge
	// Text explains the step in German, one clause per edge joined by
	// „ und “: „Migrationszentrum ist Teil von Kreisverwaltung“.
	Text string
}

// Path is one shortest path.
type Path struct {
	Nodes []*landscape.Node
	Steps []Step
	// Text is the explanations of the steps joined by "; ".
	Text string
}

// Paths is the answer of ShortestPaths.
type Paths struct {
	From, To *landscape.Node
	// Length is the number of steps of a shortest path; -1 when To cannot be
	// reached within MaxLength steps.
	Length int
	// Total is the number of distinct shortest paths (as node sequences),
	// capped at math.MaxInt32.
	Total int
	// Paths are the first MaxPaths shortest paths in lexicographic order of
	// their node ids.
	Paths []Path
	// Truncated says that MaxPaths cut the list.
	Truncated bool
}

// ShortestPaths finds every shortest path between two nodes, treating the
// edges of the chosen kinds as undirected: who can reach whom, through
// which committee, unit or cooperation. Two nodes joined by several edges
// make one step (its Edges list them all), so paths are distinct node
// sequences; they are ordered lexicographically by node id.
//
// The search is a bidirectional breadth-first search on the store: one
// search from each end, each step taking the side with the smaller frontier
// one level further, until the two searched regions meet or their levels
// add up to MaxLength. Store round trips: one Expand call for the two ends
// and the first step of each side, one batched Adjacent call per further
// step, and one Nodes call for the nodes of the returned paths — at most
// MaxLength + 1 (reads
// of more than landscape.MaxPageSize ids take one call per batch of that
// size, as everywhere in this package).
func ShortestPaths(ctx context.Context, s landscape.Store, from, to string, q PathQuery) (*Paths, error) {
	if err := checkKinds(nil, q.EdgeKinds); err != nil {
		return nil, err
	}
	kinds := q.EdgeKinds
	if len(kinds) == 0 {
		kinds = CoordinationEdgeKinds
	}
	maxPaths, maxLen := q.MaxPaths, q.MaxLength
	if maxPaths == 0 {
		maxPaths = DefaultMaxPaths
	}
	if maxPaths < 0 || maxPaths > MaxPaths {
		return nil, landscape.Errorf(landscape.EInvalid, "maxPaths", "must be between 1 and %d, not %d", MaxPaths, q.MaxPaths)
	}
	if maxLen == 0 {
		maxLen = DefaultMaxLength
	}
	if maxLen < 0 || maxLen > MaxPathLength {
		return nil, landscape.Errorf(landscape.EInvalid, "maxLength", "must be between 1 and %d, not %d", MaxPathLength, q.MaxLength)
	}
	for _, a := range []struct{ field, id string }{{"from", from}, {"to", to}} {
		if err := landscape.CheckID(a.field, a.id); err != nil {
			return nil, err
		}
	}
	// The ends come with their first level of edges (one Expand call), so
	// that the first step of either side costs no round trip of its own.
	first, err := s.Expand(ctx, landscape.ExpandQuery{Roots: dedup([]string{from, to}), AsOf: q.AsOf,
		Steps: []landscape.ExpandStep{{Parent: -1, Direction: landscape.DirBoth, Kinds: kinds}}})
	if err != nil {
		return nil, err
	}
	ends := first.Nodes
	res := &Paths{Length: -1}
	if res.From, err = checkNode("from", from, ends[from], "", q.AsOf); err != nil {
		return nil, err
	}
	if res.To, err = checkNode("to", to, ends[to], "", q.AsOf); err != nil {
		return nil, err
	}
	if from == to {
		res.Length, res.Total = 0, 1
		res.Paths = []Path{{Nodes: []*landscape.Node{res.From}}}
		return res, nil
	}

	// Bidirectional breadth-first search. Before the step that meets, the
	// two searched regions are disjoint: the nodes within fwd.depth of
	// `from` and those within bwd.depth of `to`. So the nodes that a step
	// reaches and the other side has reached lie, after the step, at exactly
	// fwd.depth from `from` and bwd.depth from `to` (one nearer to either
	// end would have met a step earlier), and the shortest paths have
	// length fwd.depth + bwd.depth, odd or even, whichever side took more
	// steps. Conversely both sides have reached the node at position
	// fwd.depth of every shortest path: the meeting nodes are exactly the
	// nodes at that position on the shortest paths. The step is finished
	// before stopping, so that every meeting node has all its predecessors
	// and the edges to them recorded.
	fwd, bwd := newPathSearch(from), newPathSearch(to)
	fwd.first, bwd.first = first.Steps[0], first.Steps[0]
	var meet []string
	for len(meet) == 0 && fwd.depth+bwd.depth < maxLen {
		side, other := fwd, bwd
		if len(bwd.frontier) < len(fwd.frontier) {
			side, other = bwd, fwd
		}
		if len(side.frontier) == 0 {
			break // the component of one end is exhausted: no path
		}
		if meet, err = side.expand(ctx, s, kinds, q.AsOf, other); err != nil {
			return nil, err
		}
	}
	if len(meet) == 0 {
		return res, nil
	}
	length := fwd.depth + bwd.depth
	res.Length = length

	// The nodes on shortest paths, with their position (distance from
	// `from`), and the steps between them: walking from the meeting nodes
	// over the predecessors of fwd gives the first part of every shortest
	// path, over those of bwd the rest. Each step is recorded by the side
	// that read its nearer end's edges: fwd for the steps up to the meeting
	// nodes, bwd for those after.
	pos := map[string]int{}
	succ := map[string][]string{}
	// follow walks from the meeting nodes over the preds of one side,
	// calling step once for every node v and pred w of it, and places each
	// node it reaches at position at(w).
	follow := func(preds map[string][]string, step func(v, w string), at func(w string) int) {
		queue := slices.Clone(meet)
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			for _, w := range preds[v] {
				step(v, w)
				if _, ok := pos[w]; !ok {
					pos[w] = at(w)
					queue = append(queue, w)
				}
			}
		}
	}
	for _, v := range meet {
		pos[v] = fwd.depth
	}
	follow(fwd.preds, func(v, u string) { succ[u] = append(succ[u], v) }, func(u string) int { return fwd.dist[u] })
	follow(bwd.preds, func(v, w string) { succ[v] = append(succ[v], w) }, func(w string) int { return length - bwd.dist[w] })
	for _, vs := range succ {
		slices.Sort(vs)
	}
	// The edges of the step from u to v, recorded by one side only.
	joins := func(u, v string) []*landscape.Edge {
		return slices.Concat(fwd.joins[[2]string{u, v}], bwd.joins[[2]string{v, u}])
	}
	// Count the paths (sigma) in order of position.
	byPos := keys(pos)
	slices.SortStableFunc(byPos, func(a, b string) int { return cmp.Compare(pos[a], pos[b]) })
	const capCount = 1<<31 - 1
	sigma := map[string]int{from: 1}
	for _, v := range byPos {
		for _, w := range succ[v] {
			sigma[w] = min(sigma[w]+sigma[v], capCount)
		}
	}
	res.Total = sigma[to]

	// Enumerate in lexicographic order.
	var seqs [][]string
	var walk func(path []string)
	walk = func(path []string) {
		if len(seqs) >= maxPaths {
			res.Truncated = true
			return
		}
		last := path[len(path)-1]
		if last == to {
			seqs = append(seqs, slices.Clone(path))
			return
		}
		for _, w := range succ[last] {
			walk(append(path, w))
		}
	}
	walk([]string{from})
	if len(seqs) < res.Total {
		res.Truncated = true
	}
	var ids []string
	for _, seq := range seqs {
		ids = append(ids, seq...)
	}
	nodes, err := nodesOf(ctx, s, ids, q.AsOf)
	if err != nil {
		return nil, err
	}
	for _, seq := range seqs {
		var p Path
		texts := make([]string, 0, len(seq)-1)
		for i, id := range seq {
			p.Nodes = append(p.Nodes, nodes[id])
			if i == 0 {
				continue
			}
			a, b := nodes[seq[i-1]], nodes[id]
			if a == nil || b == nil {
				return nil, landscape.Errorf(landscape.EUnavailable, "", "the landscape changed during the search; try again")
			}
			st := Step{From: a, To: b, Edges: joins(seq[i-1], id)}
			landscape.SortEdges(st.Edges)
			clauses := make([]string, len(st.Edges))
			for j, e := range st.Edges {
				clauses[j] = explainEdge(e, a, b)
			}
			st.Text = strings.Join(clauses, " und ")
			p.Steps = append(p.Steps, st)
			texts = append(texts, st.Text)
		}
		p.Text = strings.Join(texts, "; ")
		res.Paths = append(res.Paths, p)
	}
	return res, nil
}

// pathSearch is the breadth-first search from one end of a path query,
// one level per step.
type pathSearch struct {
	// dist is the distance from the end of every node reached.
	dist map[string]int
	// preds are, for every node reached, its neighbours one level nearer to
	// the end.
	preds map[string][]string
	// joins are the edges between a node and each of its preds, keyed
	// (pred, node).
	joins map[[2]string][]*landscape.Edge
	// frontier is the last level reached, at distance depth.
	frontier []string
	depth    int
	// first, until the first step uses it, holds the edges at the end.
	first map[string][]*landscape.Edge
}

func newPathSearch(end string) *pathSearch {
	return &pathSearch{dist: map[string]int{end: 0}, preds: map[string][]string{},
		joins: map[[2]string][]*landscape.Edge{}, frontier: []string{end}}
}

// expand reads the edges at the frontier (one batched Adjacent call) and
// reaches the next level, recording for each of its nodes every
// neighbour on the frontier and all edges to it. It returns the nodes of
// the new level that other has reached.
func (p *pathSearch) expand(ctx context.Context, s landscape.Store, kinds []landscape.EdgeKind, asOf *landscape.Date, other *pathSearch) ([]string, error) {
	adj := p.first
	p.first = nil
	if adj == nil {
		var err error
		if adj, err = adjacent(ctx, s, p.frontier, landscape.DirBoth, kinds, asOf); err != nil {
			return nil, err
		}
	}
	d := p.depth
	var next, meet []string
	for _, u := range p.frontier {
		for _, e := range adj[u] {
			v := e.Other(u)
			dv, seen := p.dist[v]
			if !seen {
				p.dist[v], dv = d+1, d+1
				next = append(next, v)
				if _, ok := other.dist[v]; ok {
					meet = append(meet, v)
				}
			}
			if dv != d+1 {
				continue
			}
			k := [2]string{u, v}
			if p.joins[k] == nil {
				p.preds[v] = append(p.preds[v], u)
			}
			if !slices.ContainsFunc(p.joins[k], func(x *landscape.Edge) bool { return x.ID == e.ID }) {
				p.joins[k] = append(p.joins[k], e)
			}
		}
	}
	p.frontier, p.depth = next, d+1
	return meet, nil
}

// coordinatesTie is the role of a COORDINATES edge to a committee in a
// committee tie.
const coordinatesTie = "COORDINATES"

// tieRank orders the ties of a node to a committee, strongest first.
var tieRank = []string{"CHAIR", "DEPUTY_CHAIR", "OFFICE", coordinatesTie, "MEMBER", "ADVISORY", "GUEST"}

func rankOf(role string) int {
	if i := slices.Index(tieRank, role); i >= 0 {
		return i
	}
	return len(tieRank)
}

// Tie is how a node is tied to a committee: a MEMBER_OF edge with its role,
// or a COORDINATES edge (Role COORDINATES).
type Tie struct {
	Edge *landscape.Edge
	Role string
}

// SharedCommittee is a committee two nodes are both tied to.
type SharedCommittee struct {
	Committee *landscape.Node
	// A and B are the strongest tie of each node (chair before deputy chair,
	// office, coordination, member, advisory, guest).
	A, B Tie
	// Text explains it in German: „Migrationszentrum (Vorsitz) und
	// Bildungskoordination (Mitglied) treffen sich in KG Migration.“
	Text string
}

// SharedCommittees returns the committees that both a and b are MEMBER_OF or
// COORDINATE (on asOf; nil: at any time), sorted by name. Committees nested
// in one another (PART_OF) are not merged. Three round trips.
func SharedCommittees(ctx context.Context, s landscape.Store, a, b string, asOf *landscape.Date) ([]SharedCommittee, error) {
	for _, x := range []struct{ field, id string }{{"a", a}, {"b", b}} {
		if err := landscape.CheckID(x.field, x.id); err != nil {
			return nil, err
		}
	}
	if a == b {
		return nil, landscape.Errorf(landscape.EInvalid, "b", "must name another node than a")
	}
	ends, err := s.Nodes(ctx, []string{a, b}, asOf)
	if err != nil {
		return nil, err
	}
	na, err := checkNode("a", a, ends[a], "", asOf)
	if err != nil {
		return nil, err
	}
	nb, err := checkNode("b", b, ends[b], "", asOf)
	if err != nil {
		return nil, err
	}
	adj, err := adjacent(ctx, s, []string{a, b}, landscape.DirOut, []landscape.EdgeKind{landscape.MemberOf, landscape.Coordinates}, asOf)
	if err != nil {
		return nil, err
	}
	var targets []string
	for _, id := range []string{a, b} {
		for _, e := range adj[id] {
			targets = append(targets, e.To)
		}
	}
	committees, err := nodesOf(ctx, s, targets, asOf)
	if err != nil {
		return nil, err
	}
	ties := func(id string) map[string]Tie {
		out := map[string]Tie{}
		for _, e := range adj[id] {
			c := committees[e.To]
			if c == nil || c.Kind != landscape.Committee {
				continue
			}
			t := Tie{Edge: e, Role: e.Role}
			if e.Kind == landscape.Coordinates {
				t.Role = coordinatesTie
			}
			if old, ok := out[e.To]; !ok || rankOf(t.Role) < rankOf(old.Role) {
				out[e.To] = t
			}
		}
		return out
	}
	ta, tb := ties(a), ties(b)
	var out []SharedCommittee
	for id, x := range ta {
		y, ok := tb[id]
		if !ok {
			continue
		}
		c := committees[id]
		out = append(out, SharedCommittee{Committee: c, A: x, B: y,
			Text: fmt.Sprintf("%s (%s) und %s (%s) treffen sich in %s.", na.Name, roleLabel(x.Role), nb.Name, roleLabel(y.Role), c.Name)})
	}
	slices.SortFunc(out, func(x, y SharedCommittee) int { return byName(x.Committee, y.Committee) })
	return out, nil
}

// CoordinatorQuery asks who coordinates in a region or on a topic: give
// exactly one of Region and Topic.
type CoordinatorQuery struct {
	// Region: the nodes of the region scope (see Load).
	Region string
	// Topic: the topic, its PART_OF-descendant topics and the nodes that
	// WORK_ON one of them.
	Topic string
	AsOf  *landscape.Date
}

// CoordinationRole is one coordinating role of a node.
type CoordinationRole struct {
	// Relation is COORDINATES, RESPONSIBLE_FOR, or the membership role
	// CHAIR, DEPUTY_CHAIR or OFFICE (Geschäftsstelle) in a committee.
	Relation string
	Target   *landscape.Node
	Edge     *landscape.Edge
	// Text explains it in German.
	Text string
}

// Coordinator is a node with its coordinating roles, sorted by relation,
// then target name.
type Coordinator struct {
	Node  *landscape.Node
	Roles []CoordinationRole
}

var relationRank = []string{string(landscape.Coordinates), string(landscape.ResponsibleFor), "CHAIR", "DEPUTY_CHAIR", "OFFICE"}

// Coordinators returns who coordinates the things of a region or topic:
// every node with a COORDINATES or RESPONSIBLE_FOR edge to one of them
// (wherever it sits itself), and the chairs, deputy chairs and offices
// (MEMBER_OF roles) of the committees among them — sorted by the number of
// roles (most first), then name and id.
func Coordinators(ctx context.Context, s landscape.Store, q CoordinatorQuery) ([]Coordinator, error) {
	var things map[string]*landscape.Node
	switch {
	case q.Region != "" && q.Topic != "":
		return nil, landscape.Errorf(landscape.EInvalid, "topic", "give region or topic, not both")
	case q.Region != "":
		var err error
		if things, err = regionScope(ctx, s, "region", q.Region, q.AsOf); err != nil {
			return nil, err
		}
	case q.Topic != "":
		root, err := lookup(ctx, s, "topic", q.Topic, landscape.Topic, q.AsOf)
		if err != nil {
			return nil, err
		}
		things = map[string]*landscape.Node{root.ID: root}
		topics, err := descendants(ctx, s, []string{root.ID}, landscape.Topic, q.AsOf, things)
		if err != nil {
			return nil, err
		}
		adj, err := adjacent(ctx, s, topics, landscape.DirIn, []landscape.EdgeKind{landscape.WorksOn}, q.AsOf)
		if err != nil {
			return nil, err
		}
		var workers []string
		for _, t := range topics {
			for _, e := range adj[t] {
				workers = append(workers, e.From)
			}
		}
		if err := loadInto(ctx, s, things, workers, q.AsOf); err != nil {
			return nil, err
		}
		keep := map[string]*landscape.Node{}
		for _, id := range append(topics, workers...) {
			if n := things[id]; n != nil {
				keep[id] = n
			}
		}
		things = keep
	default:
		return nil, landscape.Errorf(landscape.EInvalid, "region", "give a region or a topic")
	}
	ids := keys(things)
	adj, err := adjacent(ctx, s, ids, landscape.DirIn,
		[]landscape.EdgeKind{landscape.Coordinates, landscape.ResponsibleFor, landscape.MemberOf}, q.AsOf)
	if err != nil {
		return nil, err
	}
	type role struct {
		who string
		r   CoordinationRole
	}
	var roles []role
	var who []string
	for _, id := range ids {
		for _, e := range adj[id] {
			rel := string(e.Kind)
			if e.Kind == landscape.MemberOf {
				if e.Role != "CHAIR" && e.Role != "DEPUTY_CHAIR" && e.Role != "OFFICE" {
					continue
				}
				rel = e.Role
			}
			roles = append(roles, role{e.From, CoordinationRole{Relation: rel, Target: things[id], Edge: e}})
			who = append(who, e.From)
		}
	}
	nodes, err := nodesOf(ctx, s, who, q.AsOf)
	if err != nil {
		return nil, err
	}
	byWho := map[string]*Coordinator{}
	for _, r := range roles {
		n := nodes[r.who]
		if n == nil {
			continue
		}
		c := byWho[r.who]
		if c == nil {
			c = &Coordinator{Node: n}
			byWho[r.who] = c
		}
		r.r.Text = explainRole(n, r.r)
		c.Roles = append(c.Roles, r.r)
	}
	out := make([]Coordinator, 0, len(byWho))
	for _, c := range byWho {
		slices.SortFunc(c.Roles, func(a, b CoordinationRole) int {
			if x := cmp.Compare(slices.Index(relationRank, a.Relation), slices.Index(relationRank, b.Relation)); x != 0 {
				return x
			}
			return byName(a.Target, b.Target)
		})
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Coordinator) int {
		if x := cmp.Compare(len(b.Roles), len(a.Roles)); x != 0 {
			return x
		}
		return byName(a.Node, b.Node)
	})
	return out, nil
}

func explainRole(n *landscape.Node, r CoordinationRole) string {
	switch r.Relation {
	case "CHAIR":
		return fmt.Sprintf("%s hat den Vorsitz in %s", n.Name, r.Target.Name)
	case "DEPUTY_CHAIR":
		return fmt.Sprintf("%s hat den stellvertretenden Vorsitz in %s", n.Name, r.Target.Name)
	case "OFFICE":
		return fmt.Sprintf("%s ist Geschäftsstelle von %s", n.Name, r.Target.Name)
	}
	return explainEdge(r.Edge, n, r.Target)
}
