package landscape

import "slices"

// Chain is a set of nodes that a filter's matches lie in: the nodes reached
// from the nodes with the ids over the steps, in that order. Each step is
// the kinds and direction of an edge as seen from the node filtered, so a
// walk from the ids follows it the other way.
type Chain struct {
	IDs   []string
	Steps []RelationFilter
}

// Pinned returns chains whose union holds every node that passes f, when f
// pins its nodes to ids: a condition id eq or in; an edge (quantifier SOME)
// to a node pinned so; a conjunction with a pinned part; a disjunction of
// pinned alternatives. ok is false when f does not pin its nodes (NOT, NONE,
// other fields and a missing or empty filter never do). The chains ignore
// everything else, as-of dates included: they give a superset of the
// matches, never the matches.
func Pinned(f *Filter) (best []Chain, ok bool) {
	if f == nil {
		return nil, false
	}
	// Of several pinned parts of a conjunction, any one will do: the one with
	// the fewest steps to walk.
	cost := func(cs []Chain) int {
		n := 0
		for _, c := range cs {
			n += 1 + len(c.Steps)
		}
		return n
	}
	consider := func(cs []Chain) {
		if !ok || cost(cs) < cost(best) {
			best, ok = cs, true
		}
	}
	for _, g := range f.And {
		if cs, ok := Pinned(g); ok {
			consider(cs)
		}
	}
	if len(f.Or) > 0 {
		var union []Chain
		all := true
		for _, g := range f.Or {
			cs, ok := Pinned(g)
			if !ok {
				all = false
				break
			}
			union = append(union, cs...)
		}
		if all {
			consider(union)
		}
	}
	// "" stands for a missing id (IS NULL), which no index finds.
	if f.Field == FieldID && (f.Operator == Eq || f.Operator == In) && !slices.Contains(f.Values, "") {
		consider([]Chain{{IDs: f.Values}})
	}
	if r := f.Relation; r != nil && r.Quantifier == QuantSome {
		if cs, ok := Pinned(r.Node); ok {
			step := RelationFilter{Kinds: r.Kinds, Direction: r.Direction}
			out := make([]Chain, len(cs))
			for i, c := range cs {
				out[i] = Chain{IDs: c.IDs, Steps: append(slices.Clone(c.Steps), step)}
			}
			consider(out)
		}
	}
	return best, ok
}

// Reached returns the nodes of g reached by walking the chains from their
// ids: the candidates of a pinned filter, a superset of its matches (Pinned).
// Ids of missing nodes start nothing; validity is not looked at.
func Reached(g Graph, cs []Chain) map[string]bool {
	out := map[string]bool{}
	for _, c := range cs {
		cur := map[string]bool{}
		for _, id := range c.IDs {
			if _, ok := g.Node(id); ok {
				cur[id] = true
			}
		}
		for _, s := range c.Steps {
			next := map[string]bool{}
			for id := range cur {
				// The step was seen from the node filtered: walk it backwards.
				walk := func(k EdgeKind, other string) bool {
					if len(s.Kinds) == 0 || slices.Contains(s.Kinds, k) {
						next[other] = true
					}
					return true
				}
				if s.Direction == DirOut || s.Direction == DirBoth {
					g.EachEdge(id, DirIn, nil, walk)
				}
				if s.Direction == DirIn || s.Direction == DirBoth {
					g.EachEdge(id, DirOut, nil, walk)
				}
			}
			cur = next
		}
		for id := range cur {
			out[id] = true
		}
	}
	return out
}
