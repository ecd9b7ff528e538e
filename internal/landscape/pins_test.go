package landscape

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestReachedHoldsEveryMatch checks the promise of Pinned and Reached that
// stores rely on to skip nodes (the embedded store tests only the nodes
// reached; the Neo4j store's prefilter walks the same chains): on random
// graphs with validity dates and random filters built around ids, every
// node passing the filter, on any date, is among the nodes reached.
func TestReachedHoldsEveryMatch(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	kinds := []EdgeKind{LocatedIn, PartOf, MemberOf, CooperatesWith}
	dates := []*Date{nil, MustDate("2010-01-01"), MustDate("2015-06-30")}
	asOfs := []*Date{nil, MustDate("2012-01-01"), MustDate("2020-01-01")}
	pinnedFilters, checked := 0, 0
	for round := range 200 {
		g := &EdgeList{Nodes: map[string]*Node{}}
		var ids []string
		for i := range 12 + r.IntN(20) {
			id := fmt.Sprintf("n%d", i)
			n := &Node{ID: id, Kind: Institution, Name: id, Category: []string{"KITA", "VHS"}[r.IntN(2)]}
			n.ValidFrom, n.ValidTo = dates[r.IntN(len(dates))], nil
			if r.IntN(4) == 0 {
				n.ValidTo = MustDate("2013-12-31")
			}
			g.Nodes[id] = n
			ids = append(ids, id)
		}
		for range r.IntN(60) {
			e := &Edge{Kind: kinds[r.IntN(len(kinds))], From: ids[r.IntN(len(ids))], To: ids[r.IntN(len(ids))]}
			e.ID = DefaultEdgeID(e.From, e.Kind, e.To)
			if r.IntN(3) == 0 {
				e.ValidTo = MustDate("2011-12-31")
			}
			g.Edges = append(g.Edges, e)
		}
		someIDs := func() []string {
			var out []string
			for range 1 + r.IntN(3) {
				if r.IntN(6) == 0 {
					out = append(out, "missing")
				} else {
					out = append(out, ids[r.IntN(len(ids))])
				}
			}
			return out
		}
		var gen func(depth int) *Filter
		gen = func(depth int) *Filter {
			switch c := r.IntN(9); {
			case c < 2 || depth > 3:
				return &Filter{Field: FieldID, Operator: In, Values: someIDs()}
			case c == 2:
				return &Filter{Field: FieldCategory, Operator: Eq, Values: []string{"KITA"}}
			case c == 3:
				return &Filter{And: []*Filter{gen(depth + 1), gen(depth + 1)}}
			case c == 4:
				return &Filter{Or: []*Filter{gen(depth + 1), gen(depth + 1)}}
			case c == 5:
				return &Filter{Not: gen(depth + 1)}
			default:
				rel := &RelationFilter{Direction: []Direction{DirOut, DirIn, DirBoth}[r.IntN(3)], Quantifier: QuantSome, Node: gen(depth + 1)}
				if r.IntN(5) == 0 {
					rel.Quantifier = QuantNone
				}
				for range r.IntN(3) {
					rel.Kinds = append(rel.Kinds, kinds[r.IntN(len(kinds))])
				}
				return &Filter{Relation: rel}
			}
		}
		for range 20 {
			f := gen(0)
			cs, ok := Pinned(f)
			if !ok {
				continue
			}
			pinnedFilters++
			reached := Reached(g, cs)
			for _, asOf := range asOfs {
				for _, id := range ids {
					n := g.Nodes[id]
					if MatchFilter(n, f, asOf, g) {
						checked++
						if !reached[id] {
							t.Fatalf("round %d: %s passes the filter on %v but is not reached from the chains %v", round, id, asOf, cs)
						}
					}
				}
			}
			// Reached starts only at nodes that exist.
			for id := range reached {
				if !slices.Contains(ids, id) {
					t.Fatalf("round %d: reached %q, which is no node", round, id)
				}
			}
		}
	}
	// The generator must reach the cases the test is about.
	if pinnedFilters < 500 || checked < 2000 {
		t.Fatalf("only %d pinned filters and %d matches checked", pinnedFilters, checked)
	}
	t.Logf("%d pinned filters, %d matches checked", pinnedFilters, checked)
}

// TestReachedWalksBackwards checks the direction of the walk on a small
// graph: a school located in a municipality that is part of a district.
func TestReachedWalksBackwards(t *testing.T) {
	g := &EdgeList{Nodes: map[string]*Node{}}
	for _, id := range []string{"schule", "gemeinde", "kreis", "kita"} {
		g.Nodes[id] = &Node{ID: id}
	}
	g.Edges = []*Edge{
		{ID: "1", Kind: LocatedIn, From: "schule", To: "gemeinde"},
		{ID: "2", Kind: PartOf, From: "gemeinde", To: "kreis"},
		{ID: "3", Kind: LocatedIn, From: "kita", To: "kreis"},
	}
	in := func(id string) *Filter { return &Filter{Field: FieldID, Operator: Eq, Values: []string{id}} }
	rel := func(k EdgeKind, dir Direction, node *Filter) *Filter {
		return &Filter{Relation: &RelationFilter{Kinds: []EdgeKind{k}, Direction: dir, Quantifier: QuantSome, Node: node}}
	}
	for _, c := range []struct {
		name string
		f    *Filter
		want []string
	}{
		{"located in a part of kreis", rel(LocatedIn, DirOut, rel(PartOf, DirOut, in("kreis"))), []string{"schule"}},
		{"located in kreis", rel(LocatedIn, DirOut, in("kreis")), []string{"kita"}},
		{"has something located in it", rel(LocatedIn, DirIn, in("schule")), []string{"gemeinde"}},
		{"either way", rel(LocatedIn, DirBoth, in("gemeinde")), []string{"schule"}},
		{"any kind", &Filter{Relation: &RelationFilter{Direction: DirBoth, Quantifier: QuantSome, Node: in("kreis")}}, []string{"gemeinde", "kita"}},
	} {
		cs, ok := Pinned(c.f)
		if !ok {
			t.Fatalf("%s: not pinned", c.name)
		}
		var got []string
		for id := range Reached(g, cs) {
			got = append(got, id)
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: reached %v, want %v", c.name, got, c.want)
		}
	}
}
