package storetest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// testAdjacent checks Adjacent on the landscape fixture.
func testAdjacent(t *testing.T, open opener) {
	ctx, s := seedLandscape(t, open)
	const out, in, both = landscape.DirOut, landscape.DirIn, landscape.DirBoth
	kgIn := []string{eBiKoMemberKG, eFDCoordinatesKG, eFDMemberKG}
	kgBoth := []string{eKGCoordinatesKoko, eBiKoMemberKG, eFDCoordinatesKG, eFDMemberKG}
	kokoIn := []string{eBBGmhMemberOfKoko, eJobcenterMemberKoko, eKGCoordinatesKoko}
	cases := []struct {
		name  string
		ids   []string
		dir   landscape.Direction
		kinds []landscape.EdgeKind
		want  map[string][]string
	}{
		{"Out", []string{"kg-bildung"}, out, nil, map[string][]string{"kg-bildung": {eKGCoordinatesKoko}}},
		{"In", []string{"kg-bildung"}, in, nil, map[string][]string{"kg-bildung": kgIn}},
		{"Both", []string{"kg-bildung"}, both, nil, map[string][]string{"kg-bildung": kgBoth}},
		{"InOfKind", []string{"kg-bildung"}, in, []landscape.EdgeKind{landscape.MemberOf},
			map[string][]string{"kg-bildung": {eBiKoMemberKG, eFDMemberKG}}},
		{"BothOfKind", []string{"kg-bildung"}, both, []landscape.EdgeKind{landscape.Coordinates},
			map[string][]string{"kg-bildung": {eKGCoordinatesKoko, eFDCoordinatesKG}}},
		{"BothOfKinds", []string{"kg-bildung"}, both, []landscape.EdgeKind{landscape.MemberOf, landscape.Coordinates},
			map[string][]string{"kg-bildung": kgBoth}},
		{"OutOfKindNone", []string{"kg-bildung"}, out, []landscape.EdgeKind{landscape.MemberOf}, nil},
		{"SeveralBoth", []string{"kg-bildung", "koko-bildung"}, both, nil,
			map[string][]string{"kg-bildung": kgBoth, "koko-bildung": kokoIn}},
		{"SeveralOut", []string{"kg-bildung", "koko-bildung"}, out, nil, map[string][]string{"kg-bildung": {eKGCoordinatesKoko}}},
		{"SeveralIn", []string{"koko-bildung", "kg-bildung"}, in, nil, map[string][]string{"kg-bildung": kgIn, "koko-bildung": kokoIn}},
		{"MissingAndLonely", []string{"bb-melle", "gibt-es-nicht", "ni"}, both, nil, map[string][]string{"ni": {eLKPartOfNI}}},
		{"Phases", []string{"ue-kita-schule", "lp-schule", "lp-fruehe-bildung"}, both, []landscape.EdgeKind{landscape.FromPhase, landscape.ToPhase},
			map[string][]string{"ue-kita-schule": {eUeFromPhase, eUeToPhase}, "lp-schule": {eUeToPhase}, "lp-fruehe-bildung": {eUeFromPhase}}},
		{"OutOfSeveralKinds", []string{"bb-georgsmarienhuette", "jobcenter"}, out, []landscape.EdgeKind{landscape.MemberOf, landscape.RefersTo},
			map[string][]string{"bb-georgsmarienhuette": {eBBGmhMemberOfKoko}, "jobcenter": {eJobcenterMemberKoko, eJobcenterRefersBBGmh}}},
	}
	all := getEdges(t, ctx, s, nil, landscapeEdgeIDs...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := testContext(t) // a deadline per subtest
			adj := adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: c.ids, Direction: c.dir, Kinds: c.kinds})
			checkAdjacency(t, adj, c.ids, c.want)
			for _, es := range adj {
				for _, e := range es {
					if w := all[e.ID]; w != nil {
						checkSameEdge(t, "Adjacent", e, w)
					}
				}
			}
		})
	}

	t.Run("Within", func(t *testing.T) {
		ctx := testContext(t) // a deadline per subtest
		// Only the edges among the nodes of Within: the committees'
		// coordination, not their members.
		pair := []string{"kg-bildung", "koko-bildung"}
		adj := adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: pair, Direction: both, Within: pair})
		checkAdjacency(t, adj, pair, map[string][]string{"kg-bildung": {eKGCoordinatesKoko}, "koko-bildung": {eKGCoordinatesKoko}})
		// NodeIDs a chunk of Within: the edges to the rest of Within count.
		adj = adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: []string{"kg-bildung"}, Direction: in,
			Within: []string{"kg-bildung", "koko-bildung", "lk-os.fachdienst-bildung", "lk-osnabrueck"}})
		checkAdjacency(t, adj, []string{"kg-bildung"}, map[string][]string{"kg-bildung": {eFDCoordinatesKG, eFDMemberKG}})
		adj = adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: []string{"koko-bildung"}, Direction: in, Within: []string{"jobcenter"}})
		checkAdjacency(t, adj, []string{"koko-bildung"}, map[string][]string{"koko-bildung": {eJobcenterMemberKoko}})
		// Within and a kind and an as-of date together.
		adj = adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: []string{"koko-bildung"}, Direction: in, Within: []string{"jobcenter", "kg-bildung"},
			Kinds: []landscape.EdgeKind{landscape.Coordinates}})
		checkAdjacency(t, adj, []string{"koko-bildung"}, map[string][]string{"koko-bildung": {eKGCoordinatesKoko}})
	})

	t.Run("EveryNode", func(t *testing.T) {
		ctx := testContext(t) // a deadline per subtest
		// Asked for every node at once, each edge is listed under both ends.
		adj := adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: landscapeNodeIDs, Direction: both})
		want := map[string][]string{}
		for _, e := range landscapeEdges() {
			e = wantEdge(e)
			want[e.From] = append(want[e.From], e.ID)
			want[e.To] = append(want[e.To], e.ID)
		}
		for id := range want {
			slices.Sort(want[id])
		}
		checkAdjacency(t, adj, landscapeNodeIDs, want)
	})

	t.Run("Invalid", func(t *testing.T) {
		ctx := testContext(t) // a deadline per subtest
		_, err := s.Adjacent(ctx, landscape.AdjacencyQuery{NodeIDs: []string{"kg-bildung"}, Direction: "UP"})
		checkProblems(t, err, invalid("direction"))
		_, err = s.Adjacent(ctx, landscape.AdjacencyQuery{NodeIDs: []string{"kg-bildung"}, Direction: both,
			Kinds: []landscape.EdgeKind{landscape.MemberOf, "KNOWS"}})
		checkProblems(t, err, invalid("kinds[1]"))
	})
}

// checkAdjacency compares an Adjacent answer with the expected edge ids per
// node; a node without edges may be missing or have an empty list.
func checkAdjacency(t *testing.T, got map[string][]*landscape.Edge, asked []string, want map[string][]string) {
	t.Helper()
	for id, es := range got {
		if !slices.Contains(asked, id) && len(es) > 0 {
			t.Errorf("Adjacent lists node %q, which was not asked for", id)
		}
	}
	for _, id := range asked {
		checkIDs(t, fmt.Sprintf("Adjacent[%s]", id), edgeIDs(got[id]), want[id]...)
		for _, e := range got[id] {
			if e.From != id && e.To != id {
				t.Errorf("Adjacent[%s] lists edge %s, which does not touch it", id, e.ID)
			}
		}
	}
}

// testQueryEdges checks the conditions and paging of QueryEdges.
func testQueryEdges(t *testing.T, open opener) {
	_, s := seedLandscape(t, open)
	members := []string{eBBGmhMemberOfKoko, eJobcenterMemberKoko, eBiKoMemberKG, eFDMemberKG}
	cases := []struct {
		name string
		q    landscape.EdgeQuery
		want []string
	}{
		{"All", landscape.EdgeQuery{}, landscapeEdgeIDs},
		{"Kind", landscape.EdgeQuery{Kinds: []landscape.EdgeKind{landscape.MemberOf}}, members},
		{"Kinds", landscape.EdgeQuery{Kinds: []landscape.EdgeKind{landscape.Serves, landscape.LocatedIn}},
			[]string{eBBGmhLocatedInGmh, eBBGmhServesGmh, eBBQuakServesLK, eVerwServesLK}},
		{"Roles", landscape.EdgeQuery{Roles: []string{"CHAIR", "OFFICE"}}, []string{eBiKoMemberKG, eFDMemberKG}},
		{"DefaultRole", landscape.EdgeQuery{Roles: []string{"MEMBER"}}, []string{eBBGmhMemberOfKoko, eJobcenterMemberKoko}},
		{"RoleOfOtherKind", landscape.EdgeQuery{Roles: []string{"MEMBER"}, Kinds: []landscape.EdgeKind{landscape.Serves}}, nil},
		{"From", landscape.EdgeQuery{From: []string{"lk-os.fachdienst-bildung"}},
			[]string{eFDCoordinatesKG, eFDMemberKG, eFDPartOfVerw, eFDResponsibleBBGmh}},
		{"To", landscape.EdgeQuery{To: []string{"bb-georgsmarienhuette"}}, []string{eJobcenterRefersBBGmh, eFDResponsibleBBGmh, eStiftungFundsBBGmh}},
		{"FromSeveralOfKind", landscape.EdgeQuery{From: []string{"lk-os.fachdienst-bildung", "lk-os.bildungskoordination"},
			Kinds: []landscape.EdgeKind{landscape.PartOf}}, []string{eBiKoPartOfVerw, eFDPartOfVerw}},
		{"FromAndTo", landscape.EdgeQuery{From: []string{"jobcenter"}, To: []string{"koko-bildung", "lk-os.verwaltung"}},
			[]string{eJobcenterMemberKoko, eKooperation}},
		{"ToIsNotFrom", landscape.EdgeQuery{To: []string{"jobcenter"}}, nil},
		{"FromMissing", landscape.EdgeQuery{From: []string{"gibt-es-nicht"}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := testContext(t) // a deadline per subtest
			p := queryEdges(t, ctx, s, c.q)
			checkIDs(t, "QueryEdges", edgeIDs(p.Edges), c.want...)
			if p.TotalCount != len(c.want) || p.HasNextPage || p.HasPreviousPage {
				t.Errorf("totalCount %d, hasNextPage %v, hasPreviousPage %v; want %d, false, false",
					p.TotalCount, p.HasNextPage, p.HasPreviousPage, len(c.want))
			}
		})
	}

	t.Run("Walk", func(t *testing.T) {
		for _, size := range []int{1, 5, 7, 24, landscape.MaxPageSize} {
			t.Run(fmt.Sprint(size), func(t *testing.T) {
				ctx := testContext(t) // a deadline per subtest
				walkEdges(t, ctx, s, landscape.EdgeQuery{}, size, landscapeEdgeIDs)
				walkEdges(t, ctx, s, landscape.EdgeQuery{Kinds: []landscape.EdgeKind{landscape.MemberOf}}, size, members)
			})
		}
	})

	t.Run("Pages", func(t *testing.T) {
		cursor := func(id string) string { return landscape.EdgeCursor(&landscape.Edge{ID: id}) }
		cases := []struct {
			name      string
			page      landscape.PageArgs
			want      []string
			next, prv bool
		}{
			{"First0", first(0), nil, true, false},
			{"AfterMissingID", landscape.PageArgs{First: intp(2), After: cursor("k")}, []string{eKGCoordinatesKoko, eKitaProvidesSprach}, true, true},
			{"BeforeMissingID", landscape.PageArgs{Last: intp(2), Before: cursor("k")}, []string{eJobcenterMemberKoko, eJobcenterRefersBBGmh}, true, true},
			{"AfterLast", landscape.PageArgs{After: cursor(eUeToPhase)}, nil, false, true},
			{"BeforeWithoutLast", landscape.PageArgs{Before: cursor(eGmhPartOfLK)}, landscapeEdgeIDs[:4], true, false},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ctx := testContext(t) // a deadline per subtest
				p := queryEdges(t, ctx, s, landscape.EdgeQuery{Page: c.page})
				checkIDs(t, "QueryEdges", edgeIDs(p.Edges), c.want...)
				if p.TotalCount != 24 || p.HasNextPage != c.next || p.HasPreviousPage != c.prv {
					t.Errorf("totalCount %d, hasNextPage %v, hasPreviousPage %v; want 24, %v, %v",
						p.TotalCount, p.HasNextPage, p.HasPreviousPage, c.next, c.prv)
				}
			})
		}
	})

	t.Run("Invalid", func(t *testing.T) {
		many := make([]string, 1001)
		for i := range many {
			many[i] = fmt.Sprintf("kita-%04d", i)
		}
		nodeCursor := landscape.CursorOf(landscapeNodes()[0], landscape.DefaultOrder)
		cases := []struct {
			name string
			q    landscape.EdgeQuery
			want []problem
		}{
			{"UnknownKind", landscape.EdgeQuery{Kinds: []landscape.EdgeKind{"KNOWS"}}, []problem{invalid("kinds[0]")}},
			{"TooManyFrom", landscape.EdgeQuery{From: many}, []problem{invalid("from")}},
			{"FirstTooLarge", landscape.EdgeQuery{Page: first(landscape.MaxPageSize + 1)}, []problem{invalid("first")}},
			{"FirstAndLast", landscape.EdgeQuery{Page: landscape.PageArgs{First: intp(1), Last: intp(1)}}, []problem{invalid("last")}},
			{"NotACursor", landscape.EdgeQuery{Page: landscape.PageArgs{After: "gmh>PART_OF>lk-osnabrueck"}}, []problem{invalid("after")}},
			{"NodeCursor", landscape.EdgeQuery{Page: landscape.PageArgs{Before: nodeCursor}}, []problem{invalid("before")}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ctx := testContext(t) // a deadline per subtest
				p, err := s.QueryEdges(ctx, c.q)
				if err == nil {
					t.Errorf("QueryEdges succeeded with %v, want %v", edgeIDs(p.Edges), c.want)
					return
				}
				checkProblems(t, err, c.want...)
			})
		}
	})
}

// walkEdges pages forward and backward through an edge query and checks
// every page against the slice of want it should be.
func walkEdges(t *testing.T, ctx context.Context, s landscape.Store, q landscape.EdgeQuery, size int, want []string) {
	t.Helper()
	q.Page = first(size)
	for from, step := 0, 0; ; step++ {
		to := min(from+size, len(want))
		p := queryEdges(t, ctx, s, q)
		what := fmt.Sprintf("forward page %d (first %d)", step, size)
		checkIDs(t, what, edgeIDs(p.Edges), want[from:to]...)
		if p.TotalCount != len(want) || p.HasNextPage != (to < len(want)) || p.HasPreviousPage != (from > 0) {
			t.Errorf("%s: totalCount %d, hasNextPage %v, hasPreviousPage %v; want %d, %v, %v", what,
				p.TotalCount, p.HasNextPage, p.HasPreviousPage, len(want), to < len(want), from > 0)
		}
		if !p.HasNextPage || len(p.Edges) == 0 || step > len(want) {
			break
		}
		q.Page.After = landscape.EdgeCursor(p.Edges[len(p.Edges)-1])
		from = to
	}
	q.Page = landscape.PageArgs{Last: intp(size)}
	for to, step := len(want), 0; ; step++ {
		from := max(to-size, 0)
		p := queryEdges(t, ctx, s, q)
		what := fmt.Sprintf("backward page %d (last %d)", step, size)
		checkIDs(t, what, edgeIDs(p.Edges), want[from:to]...)
		if p.TotalCount != len(want) || p.HasNextPage != (to < len(want)) || p.HasPreviousPage != (from > 0) {
			t.Errorf("%s: totalCount %d, hasNextPage %v, hasPreviousPage %v; want %d, %v, %v", what,
				p.TotalCount, p.HasNextPage, p.HasPreviousPage, len(want), to < len(want), from > 0)
		}
		if !p.HasPreviousPage || len(p.Edges) == 0 || step > len(want) {
			return
		}
		q.Page.Before = landscape.EdgeCursor(p.Edges[0])
		to = from
	}
}

// testNeighbours checks that Neighbours answers what Adjacent and then Nodes
// of the other ends answer, for every direction, with kinds, Within and
// as-of dates (before, during and after validity periods of the fixture).
func testNeighbours(t *testing.T, open opener) {
	ctx, s := seedLandscape(t, open)
	var dates []*landscape.Date
	dates = append(dates, nil)
	for _, d := range []string{"2010-01-01", "2019-06-30", "2023-01-01", "2030-01-01"} {
		dates = append(dates, landscape.MustDate(d))
	}
	queries := []landscape.AdjacencyQuery{
		{NodeIDs: landscapeNodeIDs, Direction: landscape.DirBoth},
		{NodeIDs: landscapeNodeIDs, Direction: landscape.DirOut},
		{NodeIDs: []string{"kg-bildung", "koko-bildung", "gibt-es-nicht"}, Direction: landscape.DirIn},
		{NodeIDs: []string{"kg-bildung"}, Direction: landscape.DirBoth, Kinds: []landscape.EdgeKind{landscape.MemberOf}},
		{NodeIDs: []string{"kg-bildung", "koko-bildung"}, Direction: landscape.DirBoth, Within: []string{"kg-bildung", "koko-bildung"}},
		{NodeIDs: []string{"ue-kita-schule"}, Direction: landscape.DirOut, Kinds: []landscape.EdgeKind{landscape.FromPhase, landscape.ToPhase}},
	}
	for i, q := range queries {
		for _, d := range dates {
			q.AsOf = d
			t.Run(fmt.Sprintf("%d/%v", i, d), func(t *testing.T) {
				ctx := testContext(t) // a deadline per subtest
				got, err := s.Neighbours(ctx, q)
				if err != nil {
					t.Fatalf("Neighbours: %s", describeErr(err))
				}
				want := adjacent(t, ctx, s, q)
				checkAdjacency(t, got.Edges, q.NodeIDs, adjacencyIDs(want))
				var ends []string
				for id, es := range want {
					for _, e := range es {
						ends = append(ends, e.Other(id))
					}
				}
				wantNodes, err := s.Nodes(ctx, ends, q.AsOf)
				if err != nil {
					t.Fatalf("Nodes: %s", describeErr(err))
				}
				if len(got.Nodes) != len(wantNodes) {
					t.Errorf("Neighbours gave %d nodes, Nodes of the ends %d", len(got.Nodes), len(wantNodes))
				}
				for id, w := range wantNodes {
					g := got.Nodes[id]
					if g == nil {
						t.Errorf("Neighbours lacks the end %q", id)
						continue
					}
					checkSameNode(t, "Neighbours", g, w)
				}
				for id, es := range got.Edges {
					for j, e := range es {
						checkSameEdge(t, "Neighbours", e, want[id][j])
					}
				}
			})
		}
	}
	t.Run("Invalid", func(t *testing.T) {
		_, err := s.Neighbours(ctx, landscape.AdjacencyQuery{NodeIDs: []string{"kg-bildung"}, Direction: "UP"})
		checkProblems(t, err, invalid("direction"))
	})
}

// briefExpansion replaces the nodes and edges of x by their brief forms
// (copies: x may hold a store's own).
func briefExpansion(x *landscape.Expansion) {
	for id, n := range x.Nodes {
		x.Nodes[id] = n.Brief()
	}
	for _, step := range x.Steps {
		for id, es := range step {
			step[id] = landscape.BriefEdges(es)
		}
	}
}

// adjacencyIDs is an Adjacent answer as edge ids per node.
func adjacencyIDs(adj map[string][]*landscape.Edge) map[string][]string {
	out := map[string][]string{}
	for id, es := range adj {
		if len(es) > 0 {
			out[id] = edgeIDs(es)
		}
	}
	return out
}

// testExpand checks that Expand answers what ExpandBy builds from Nodes and
// Neighbours (each checked on its own above): the same nodes, the same
// start nodes per step, the same edges in the same order, on every date;
// brief, the same with only the fields Node.Brief and Edge.Brief keep.
func testExpand(t *testing.T, open opener) {
	ctx, s := seedLandscape(t, open)
	dates := []*landscape.Date{nil}
	for _, d := range []string{"2010-01-01", "2019-06-30", "2023-01-01", "2030-01-01"} {
		dates = append(dates, landscape.MustDate(d))
	}
	all := slices.Concat(landscapeNodeIDs, []string{"gibt-es-nicht"})
	queries := []landscape.ExpandQuery{
		// Everything, two levels deep in both directions: the ego network's question.
		{Roots: []string{"lk-os.bildungskoordination"}, Steps: []landscape.ExpandStep{
			{Parent: -1, Direction: landscape.DirBoth}, {Parent: 0, Direction: landscape.DirBoth}}},
		// A nested selection: several children of one step, kinds filtered on both sides.
		{Roots: []string{"kg-bildung", "lk-osnabrueck", "gibt-es-nicht", "kg-bildung"}, Steps: []landscape.ExpandStep{
			{Parent: -1, Direction: landscape.DirIn, Kinds: []landscape.EdgeKind{landscape.MemberOf}},
			{Parent: 0, Direction: landscape.DirOut, Kinds: []landscape.EdgeKind{landscape.PartOf, landscape.Coordinates}},
			{Parent: 0, Direction: landscape.DirBoth, FromKinds: []landscape.NodeKind{landscape.Institution, landscape.Actor}},
			{Parent: 2, Direction: landscape.DirOut, Kinds: []landscape.EdgeKind{landscape.Provides}},
			{Parent: -1, Direction: landscape.DirIn, Kinds: []landscape.EdgeKind{landscape.PartOf}, FromKinds: []landscape.NodeKind{landscape.Region}},
		}},
		// Every node, one level each way; a step that starts from nothing.
		{Roots: all, Steps: []landscape.ExpandStep{
			{Parent: -1, Direction: landscape.DirOut},
			{Parent: -1, Direction: landscape.DirIn, FromKinds: []landscape.NodeKind{landscape.Transition}},
			{Parent: 1, Direction: landscape.DirOut, FromKinds: []landscape.NodeKind{landscape.Foundation}},
		}},
		// Roots only.
		{Roots: []string{"ni", "ue-kita-schule"}},
		// The ego network with the edges among its last level (Among), and
		// among a level of some kinds, with a step below an Among step.
		{Roots: []string{"kg-bildung"}, Steps: []landscape.ExpandStep{
			{Parent: -1, Direction: landscape.DirBoth}, {Parent: 0, Direction: landscape.DirBoth},
			{Parent: 1, Direction: landscape.DirOut, Among: true},
			{Parent: 0, Direction: landscape.DirBoth, Kinds: []landscape.EdgeKind{landscape.MemberOf, landscape.Coordinates, landscape.PartOf},
				FromKinds: []landscape.NodeKind{landscape.Actor, landscape.Committee}, Among: true},
			{Parent: 3, Direction: landscape.DirIn, Kinds: []landscape.EdgeKind{landscape.MemberOf}},
		}},
		// Edges among the roots, in both directions.
		{Roots: all, Steps: []landscape.ExpandStep{{Parent: -1, Direction: landscape.DirBoth, Among: true}}},
	}
	nonTrivial := false
	for i, q := range queries {
		for _, d := range dates {
			for _, brief := range []bool{false, true} {
				q.AsOf, q.Brief = d, brief
				name := fmt.Sprintf("%d/%v", i, d)
				if brief {
					name += "/brief"
				}
				t.Run(name, func(t *testing.T) {
					ctx := testContext(t)
					got, err := s.Expand(ctx, q)
					if err != nil {
						t.Fatalf("Expand: %s", describeErr(err))
					}
					whole := q
					whole.Brief = false
					want, err := landscape.ExpandBy(ctx, s, whole)
					if err != nil {
						t.Fatalf("ExpandBy: %s", describeErr(err))
					}
					if brief {
						briefExpansion(want)
					}
					if !slices.Equal(slices.Sorted(maps.Keys(got.Nodes)), slices.Sorted(maps.Keys(want.Nodes))) {
						t.Errorf("nodes:\n got %v\nwant %v", slices.Sorted(maps.Keys(got.Nodes)), slices.Sorted(maps.Keys(want.Nodes)))
					}
					for id, w := range want.Nodes {
						if g := got.Nodes[id]; g != nil {
							checkSameNode(t, "Expand", g, w)
						}
					}
					if len(got.Steps) != len(q.Steps) {
						t.Fatalf("%d steps answered, want %d", len(got.Steps), len(q.Steps))
					}
					for j := range q.Steps {
						if !slices.Equal(slices.Sorted(maps.Keys(got.Steps[j])), slices.Sorted(maps.Keys(want.Steps[j]))) {
							t.Errorf("step %d started from %v, want %v", j, slices.Sorted(maps.Keys(got.Steps[j])), slices.Sorted(maps.Keys(want.Steps[j])))
						}
						for id, w := range want.Steps[j] {
							g := got.Steps[j][id]
							if !slices.Equal(edgeIDs(g), edgeIDs(w)) {
								t.Errorf("step %d at %q: edges %v, want %v", j, id, edgeIDs(g), edgeIDs(w))
								continue
							}
							for k := range w {
								checkSameEdge(t, "Expand", g[k], w[k])
							}
							if len(w) > 0 && len(q.Steps) > 1 && j > 0 {
								nonTrivial = true
							}
							if q.Steps[j].Among {
								for _, e := range g {
									if _, ok := got.Steps[j][e.Other(id)]; !ok {
										t.Errorf("step %d (among) at %q: edge %s leads out of the nodes the step started from", j, id, e.ID)
									}
								}
							}
						}
					}
				})
			}
		}
	}
	if !nonTrivial {
		t.Error("no step below the first found an edge: the queries test nothing")
	}
	t.Run("Invalid", func(t *testing.T) {
		_, err := s.Expand(ctx, landscape.ExpandQuery{Roots: []string{"kg-bildung"}, Steps: []landscape.ExpandStep{
			{Parent: -1, Direction: landscape.DirOut}, {Parent: 1, Direction: "UP"}}})
		checkProblems(t, err, invalid("steps[1].parent"), invalid("steps[1].direction"))
	})
}
