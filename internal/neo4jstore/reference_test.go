package neo4jstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// randomLandscape makes a graph with many ties, missing values and
// characters that sort differently in other orders (umlauts, case,
// characters outside the BMP).
func randomLandscape(r *rand.Rand, nNodes, nEdges int) ([]*landscape.Node, []*landscape.Edge) {
	kinds := []landscape.NodeKind{landscape.Actor, landscape.Institution, landscape.Committee, landscape.Region, landscape.Foundation, landscape.Topic}
	names := []string{"Bildungsbüro", "bildungsbüro", "Bildungsbüro Melle", "Äpfel", "Zebra", "Ölmühle", "Kita Sonnenschein", "KITA Regenbogen",
		"Jobcenter", "😀 Emoji", "Ａ fullwidth", "ß-Straße", "Übergang Schule–Beruf", "aa", "AA", "Integrationskurs"}
	descs := []string{"", "", "Koordiniert Sprachkurse", "SPRACHKURSE für alle", "Übergänge begleiten", "€ und ∑"}
	aliases := []string{"BB", "bb", "KoKo", "Übergang", "LK OS"}
	sources := []string{"Bildungsbericht", "Beispieldaten", "https://example.org"}
	dates := []string{"", "", "2009-01-01", "2014-12-31", "2015-01-01", "2020-06-30"}
	stamps := []time.Time{
		time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(2025, 6, 30, 23, 59, 59, 999999999, time.UTC),
	}
	pick := func(l []string) string { return l[r.IntN(len(l))] }
	validity := func() landscape.Validity {
		var v landscape.Validity
		if d := pick(dates); d != "" {
			v.ValidFrom = landscape.MustDate(d)
		}
		if d := pick(dates); d != "" {
			v.ValidTo = landscape.MustDate(d)
		}
		if v.ValidFrom != nil && v.ValidTo != nil && v.ValidTo.Before(*v.ValidFrom) {
			v.ValidFrom, v.ValidTo = v.ValidTo, v.ValidFrom
		}
		return v
	}
	var nodes []*landscape.Node
	for i := range nNodes {
		k := kinds[r.IntN(len(kinds))]
		n := &landscape.Node{ID: fmt.Sprintf("n%03d", i), Kind: k, Name: pick(names), Description: pick(descs), Source: pick(sources),
			Validity: validity(), Illustrative: r.IntN(2) == 0}
		if cats := landscape.Categories[k]; len(cats) > 0 && r.IntN(3) > 0 {
			n.Category = cats[r.IntN(min(3, len(cats)))]
		}
		for range r.IntN(3) {
			if a := pick(aliases); !slices.Contains(n.Aliases, a) {
				n.Aliases = append(n.Aliases, a)
			}
		}
		n.CreatedAt = stamps[r.IntN(len(stamps))]
		n.UpdatedAt = stamps[r.IntN(len(stamps))]
		nodes = append(nodes, n)
	}
	edgeKinds := []landscape.EdgeKind{landscape.CooperatesWith, landscape.MemberOf, landscape.LocatedIn, landscape.WorksOn, landscape.PartOf}
	seen := map[string]bool{}
	var edges []*landscape.Edge
	for tries := 0; len(edges) < nEdges && tries < nEdges*50; tries++ {
		a, b := nodes[r.IntN(len(nodes))], nodes[r.IntN(len(nodes))]
		k := edgeKinds[r.IntN(len(edgeKinds))]
		if a == b || landscape.CheckEnds("", k, a.Kind, b.Kind) != nil || seen[landscape.DefaultEdgeID(a.ID, k, b.ID)] {
			continue
		}
		seen[landscape.DefaultEdgeID(a.ID, k, b.ID)] = true
		e := &landscape.Edge{Kind: k, From: a.ID, To: b.ID, Source: pick(sources), Validity: validity(),
			CreatedAt: stamps[0], UpdatedAt: stamps[1]}
		if k == landscape.MemberOf {
			e.Role = landscape.MembershipRoles[r.IntN(3)]
		}
		edges = append(edges, e)
	}
	return nodes, edges
}

// filterGen makes random filters from the values of the nodes.
type filterGen struct {
	r     *rand.Rand
	nodes []*landscape.Node
}

func (g *filterGen) value(f landscape.Field) string {
	n := g.nodes[g.r.IntN(len(g.nodes))]
	var v string
	switch f {
	case landscape.FieldAlias:
		if len(n.Aliases) > 0 {
			v = n.Aliases[g.r.IntN(len(n.Aliases))]
		}
	default:
		v = landscape.FieldValue(n, f)
	}
	switch g.r.IntN(6) {
	case 0: // a piece of it
		if rs := []rune(v); len(rs) > 1 {
			i := g.r.IntN(len(rs))
			j := i + 1 + g.r.IntN(len(rs)-i)
			v = string(rs[i:j])
		}
	case 1:
		v = strings.ToUpper(v)
	case 2:
		v = ""
	case 3:
		v = []string{"Institution", "Entity", "x", "bildung", "ü", "ß"}[g.r.IntN(6)]
	}
	return v
}

func (g *filterGen) filter(depth int) *landscape.Filter {
	f := &landscape.Filter{}
	switch c := g.r.IntN(10); {
	case c < 5 || depth >= 3:
		fields := landscape.Fields
		f.Field = fields[g.r.IntN(len(fields))]
		ops := []landscape.Operator{landscape.Eq, landscape.In, landscape.Contains, landscape.StartsWith}
		f.Operator = ops[g.r.IntN(len(ops))]
		if f.Operator == landscape.In {
			for range g.r.IntN(4) {
				f.Values = append(f.Values, g.value(f.Field))
			}
		} else {
			f.Values = []string{g.value(f.Field)}
		}
	case c == 5:
		f.And = []*landscape.Filter{g.filter(depth + 1), g.filter(depth + 1)}
	case c == 6:
		f.Or = []*landscape.Filter{g.filter(depth + 1), g.filter(depth + 1)}
		if g.r.IntN(4) == 0 {
			f.Or = append(f.Or, nil)
		}
	case c == 7:
		f.Not = g.filter(depth + 1)
	case c == 8:
		rel := &landscape.RelationFilter{
			Direction:  []landscape.Direction{landscape.DirOut, landscape.DirIn, landscape.DirBoth}[g.r.IntN(3)],
			Quantifier: []landscape.Quantifier{landscape.QuantSome, landscape.QuantNone}[g.r.IntN(2)],
		}
		for range g.r.IntN(3) {
			rel.Kinds = append(rel.Kinds, []landscape.EdgeKind{landscape.CooperatesWith, landscape.MemberOf, landscape.LocatedIn, landscape.Funds}[g.r.IntN(4)])
		}
		if g.r.IntN(3) > 0 {
			rel.Node = g.filter(depth + 1)
		}
		f.Relation = rel
	default:
		if g.r.IntN(2) == 0 {
			return nil
		}
		// several parts at once
		f = g.filter(depth + 1)
		if f == nil {
			f = &landscape.Filter{}
		}
		f.Not = g.filter(depth + 1)
	}
	return f
}

// TestQueriesMatchReference compares QueryNodes, QueryEdges and Adjacent
// on a random graph with the domain's reference functions (MatchFilter,
// CompareNodes, PageNodes, PageEdges) for many random queries.
func TestQueriesMatchReference(t *testing.T) {
	s := openEmpty(t)
	defer s.Close()
	// Each new shape of query is planned once by Neo4j (up to a few hundred
	// milliseconds); this test makes hundreds of them.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	r := rand.New(rand.NewPCG(7, 11))
	nodes, edges := randomLandscape(r, 80, 160)
	cs := create(nodes, edges)
	cs.KeepTimestamps = true
	mustApply(t, s, cs)

	// The reference universe is what the store holds.
	ids := nodeIDList(nodes)
	stored, err := s.Nodes(ctx, ids, nil)
	if err != nil || len(stored) != len(nodes) {
		t.Fatalf("Nodes: %d of %d, %v", len(stored), len(nodes), err)
	}
	var eids []string
	for _, e := range edges {
		eids = append(eids, landscape.DefaultEdgeID(e.From, e.Kind, e.To))
	}
	storedEdges, err := s.Edges(ctx, eids, nil)
	if err != nil || len(storedEdges) != len(edges) {
		t.Fatalf("Edges: %d of %d, %v", len(storedEdges), len(edges), err)
	}
	g := &landscape.EdgeList{Nodes: stored}
	for _, id := range eids {
		g.Edges = append(g.Edges, storedEdges[id])
	}
	landscape.SortEdges(g.Edges)
	all := make([]*landscape.Node, 0, len(stored))
	for _, n := range stored {
		all = append(all, n)
	}
	gen := &filterGen{r: r, nodes: all}
	asOfs := []*landscape.Date{nil, nil, landscape.MustDate("2009-01-01"), landscape.MustDate("2014-12-31"), landscape.MustDate("2017-05-05")}
	sizes := []int{0, 1, 2, 3, 7, 100}

	const rounds = 300
	for i := range rounds {
		q := landscape.NodeQuery{Filter: gen.filter(0), AsOf: asOfs[r.IntN(len(asOfs))]}
		for range r.IntN(3) - 1 {
			q.Kinds = append(q.Kinds, []landscape.NodeKind{landscape.Actor, landscape.Institution, landscape.Region, landscape.Topic}[r.IntN(4)])
		}
		for range 1 + r.IntN(2) {
			q.Order = append(q.Order, landscape.Order{Field: landscape.OrderFields[r.IntN(len(landscape.OrderFields))], Desc: r.IntN(2) == 0})
		}
		size := sizes[r.IntN(len(sizes))]
		switch r.IntN(3) {
		case 0:
			q.Page.First = &size
		case 1:
			q.Page.Last = &size
		}
		if err := q.Normalize(); err != nil {
			continue // e.g. a filter too deep
		}
		switch r.IntN(3) {
		case 0:
			q.Page.After = landscape.CursorOf(all[r.IntN(len(all))], q.Order)
		case 1:
			q.Page.Before = landscape.CursorOf(all[r.IntN(len(all))], q.Order)
		}
		var match []*landscape.Node
		for _, n := range all {
			if (len(q.Kinds) == 0 || slices.Contains(q.Kinds, n.Kind)) && n.ValidAt(q.AsOf) && landscape.MatchFilter(n, q.Filter, q.AsOf, g) {
				match = append(match, n)
			}
		}
		slices.SortFunc(match, func(a, b *landscape.Node) int { return landscape.CompareNodes(a, b, q.Order) })
		want, err := landscape.PageNodes(match, &q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.QueryNodes(ctx, q)
		if err != nil {
			nq, _ := buildNodeQuery(&q)
			t.Fatalf("round %d: QueryNodes: %v\n%s", i, err, nq.cypher)
		}
		if !slices.Equal(nodeIDList(got.Nodes), nodeIDList(want.Nodes)) || got.TotalCount != want.TotalCount ||
			got.HasNextPage != want.HasNextPage || got.HasPreviousPage != want.HasPreviousPage {
			nq, _ := buildNodeQuery(&q)
			t.Errorf("round %d: query %s\n got  %v total %d next %v prev %v\n want %v total %d next %v prev %v\n%s\n%v", i, describeQuery(&q),
				nodeIDList(got.Nodes), got.TotalCount, got.HasNextPage, got.HasPreviousPage,
				nodeIDList(want.Nodes), want.TotalCount, want.HasNextPage, want.HasPreviousPage, nq.cypher, nq.params)
			for _, n := range match[:min(6, len(match))] {
				t.Logf("match %s %q %s", n.ID, n.Name, n.Kind)
			}
			for _, n := range got.Nodes {
				t.Logf("got %s %q %s", n.ID, n.Name, n.Kind)
			}
			if t.Failed() && i > 20 {
				break
			}
		}
	}

	// Edge queries and adjacency.
	edgeValid := func(e *landscape.Edge, asOf *landscape.Date) bool {
		return e.ValidAt(asOf) && stored[e.From].ValidAt(asOf) && stored[e.To].ValidAt(asOf)
	}
	for i := range 150 {
		q := landscape.EdgeQuery{AsOf: asOfs[r.IntN(len(asOfs))]}
		for range r.IntN(3) {
			q.Kinds = append(q.Kinds, []landscape.EdgeKind{landscape.CooperatesWith, landscape.MemberOf, landscape.LocatedIn, landscape.Funds}[r.IntN(4)])
		}
		for range r.IntN(4) - 1 {
			q.From = append(q.From, all[r.IntN(len(all))].ID)
		}
		for range r.IntN(4) - 1 {
			q.To = append(q.To, all[r.IntN(len(all))].ID)
		}
		if r.IntN(4) == 0 {
			q.Roles = []string{"", "CHAIR"}[:1+r.IntN(2)]
		}
		size := sizes[r.IntN(len(sizes))]
		if r.IntN(2) == 0 {
			q.Page.First = &size
		} else {
			q.Page.Last = &size
		}
		switch r.IntN(3) {
		case 0:
			q.Page.After = landscape.EdgeCursor(g.Edges[r.IntN(len(g.Edges))])
		case 1:
			q.Page.Before = landscape.EdgeCursor(g.Edges[r.IntN(len(g.Edges))])
		}
		var match []*landscape.Edge
		for _, e := range g.Edges {
			if q.Match(e) && edgeValid(e, q.AsOf) {
				match = append(match, e)
			}
		}
		want, _ := landscape.PageEdges(match, q.Page)
		got, err := s.QueryEdges(ctx, q)
		if err != nil {
			t.Fatalf("round %d: QueryEdges: %v", i, err)
		}
		if !slices.Equal(edgeIDList(got.Edges), edgeIDList(want.Edges)) || got.TotalCount != want.TotalCount ||
			got.HasNextPage != want.HasNextPage || got.HasPreviousPage != want.HasPreviousPage {
			t.Errorf("round %d: edge query %+v\n got  %v total %d next %v prev %v\n want %v total %d next %v prev %v", i, q,
				edgeIDList(got.Edges), got.TotalCount, got.HasNextPage, got.HasPreviousPage,
				edgeIDList(want.Edges), want.TotalCount, want.HasNextPage, want.HasPreviousPage)
		}
		for _, e := range got.Edges {
			if w := storedEdges[e.ID]; !reflect.DeepEqual(e, w) {
				t.Errorf("edge %s differs: %+v, want %+v", e.ID, e, w)
			}
		}

		aq := landscape.AdjacencyQuery{Direction: []landscape.Direction{landscape.DirOut, landscape.DirIn, landscape.DirBoth}[r.IntN(3)],
			Kinds: q.Kinds, AsOf: q.AsOf, NodeIDs: append(slices.Clone(q.From), q.To...)}
		wantAdj := map[string][]string{}
		for _, id := range aq.NodeIDs {
			for _, e := range g.Edges {
				at := aq.Direction != landscape.DirIn && e.From == id || aq.Direction != landscape.DirOut && e.To == id
				if at && (len(aq.Kinds) == 0 || slices.Contains(aq.Kinds, e.Kind)) && edgeValid(e, aq.AsOf) && !slices.Contains(wantAdj[id], e.ID) {
					wantAdj[id] = append(wantAdj[id], e.ID)
				}
			}
		}
		gotAdj, err := s.Adjacent(ctx, aq)
		if err != nil {
			t.Fatalf("round %d: Adjacent: %v", i, err)
		}
		if len(gotAdj) != len(wantAdj) {
			t.Errorf("round %d: Adjacent %+v: %d nodes, want %d", i, aq, len(gotAdj), len(wantAdj))
		}
		for id, w := range wantAdj {
			if got := edgeIDList(gotAdj[id]); !slices.Equal(got, w) {
				t.Errorf("round %d: Adjacent %+v at %s:\n got  %v\n want %v", i, aq, id, got, w)
			}
		}
	}
}

func edgeIDList(es []*landscape.Edge) []string {
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	return ids
}

func describeQuery(q *landscape.NodeQuery) string {
	var b strings.Builder
	fmt.Fprintf(&b, "kinds %v asOf %v order %v page first %v last %v after %q before %q filter ", q.Kinds, q.AsOf, q.Order,
		deref(q.Page.First), deref(q.Page.Last), q.Page.After, q.Page.Before)
	describeFilter(&b, q.Filter)
	return b.String()
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func describeFilter(b *strings.Builder, f *landscape.Filter) {
	if f == nil {
		b.WriteString("nil")
		return
	}
	b.WriteString("{")
	for _, g := range f.And {
		b.WriteString("and ")
		describeFilter(b, g)
	}
	for _, g := range f.Or {
		b.WriteString("or ")
		describeFilter(b, g)
	}
	if f.Not != nil {
		b.WriteString("not ")
		describeFilter(b, f.Not)
	}
	if f.Field != "" {
		fmt.Fprintf(b, "%s %s %q ", f.Field, f.Operator, f.Values)
	}
	if r := f.Relation; r != nil {
		fmt.Fprintf(b, "rel %v %s %s ", r.Kinds, r.Direction, r.Quantifier)
		describeFilter(b, r.Node)
	}
	b.WriteString("}")
}
