package storetest

import (
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// testSubgraph checks landscape.Neighbourhood and landscape.InducedSubgraph
// over the store, on the landscape fixture. The order of the nodes is the
// order of discovery: the roots, then each step's new nodes in the order of
// the edges (by id) of the nodes found before.
func testSubgraph(t *testing.T, open opener) {
	_, s := seedLandscape(t, open)
	const (
		kg, koko, biko, fd = "kg-bildung", "koko-bildung", "lk-os.bildungskoordination", "lk-os.fachdienst-bildung"
	)
	cases := []struct {
		name      string
		q         landscape.NeighbourhoodQuery
		nodes     []string
		edges     []string
		truncated bool
	}{
		{"Depth0", landscape.NeighbourhoodQuery{Roots: []string{kg}}, []string{kg}, nil, false},
		{"Depth1", landscape.NeighbourhoodQuery{Roots: []string{kg}, Depth: 1}, []string{kg, koko, biko, fd},
			[]string{eKGCoordinatesKoko, eBiKoMemberKG, eFDCoordinatesKG, eFDMemberKG}, false},
		{"Depth2", landscape.NeighbourhoodQuery{Roots: []string{kg}, Depth: 2},
			[]string{kg, koko, biko, fd, "bb-georgsmarienhuette", "jobcenter", "lk-os.verwaltung", "af-sprache"},
			[]string{eBBGmhMemberOfKoko, eJobcenterMemberKoko, eJobcenterRefersBBGmh, eKGCoordinatesKoko, eKooperation, eBiKoMemberKG,
				eBiKoPartOfVerw, eBiKoWorksOnSprache, eFDCoordinatesKG, eFDMemberKG, eFDPartOfVerw, eFDResponsibleBBGmh}, false},
		{"EdgeKinds", landscape.NeighbourhoodQuery{Roots: []string{kg}, Depth: 2, EdgeKinds: []landscape.EdgeKind{landscape.MemberOf}},
			[]string{kg, biko, fd}, []string{eBiKoMemberKG, eFDMemberKG}, false},
		{"NodeKindsCommittee", landscape.NeighbourhoodQuery{Roots: []string{kg}, Depth: 2, NodeKinds: []landscape.NodeKind{landscape.Committee}},
			[]string{kg, koko}, []string{eKGCoordinatesKoko}, false},
		{"NodeKindsActorRootAlways", landscape.NeighbourhoodQuery{Roots: []string{kg}, Depth: 2, NodeKinds: []landscape.NodeKind{landscape.Actor}},
			[]string{kg, biko, fd}, []string{eBiKoMemberKG, eFDCoordinatesKG, eFDMemberKG}, false},
		{"AsOf2016", landscape.NeighbourhoodQuery{Roots: []string{kg}, Depth: 1, AsOf: date("2016-12-31")},
			[]string{kg, koko, fd}, []string{eKGCoordinatesKoko, eFDCoordinatesKG, eFDMemberKG}, false},
		{"AsOf2012", landscape.NeighbourhoodQuery{Roots: []string{"bb-georgsmarienhuette"}, Depth: 1, AsOf: date("2012-06-15"),
			EdgeKinds: []landscape.EdgeKind{landscape.Funds, landscape.Serves}},
			[]string{"bb-georgsmarienhuette", "gmh", "stiftungsverbund"}, []string{eBBGmhServesGmh, eStiftungFundsBBGmh}, false},
		{"AsOf2020", landscape.NeighbourhoodQuery{Roots: []string{"bb-georgsmarienhuette"}, Depth: 1, AsOf: date("2020-01-01"),
			EdgeKinds: []landscape.EdgeKind{landscape.Funds, landscape.Serves}},
			[]string{"bb-georgsmarienhuette", "gmh"}, []string{eBBGmhServesGmh}, false},
		{"SeveralRoots", landscape.NeighbourhoodQuery{Roots: []string{"lp-fruehe-bildung", "lp-schule"}, Depth: 1},
			[]string{"lp-fruehe-bildung", "lp-schule", "ue-kita-schule"}, []string{eUeFromPhase, eUeToPhase}, false},
		{"Truncated", landscape.NeighbourhoodQuery{Roots: []string{kg}, Depth: 1, MaxNodes: 3},
			[]string{kg, koko, biko}, []string{eKGCoordinatesKoko, eBiKoMemberKG}, true},
		// Cut short in the last level: the edges among its nodes still
		// come with it (jobcenter REFERS_TO bb-georgsmarienhuette).
		{"TruncatedInTheLastLevel", landscape.NeighbourhoodQuery{Roots: []string{kg}, Depth: 2, MaxNodes: 6},
			[]string{kg, koko, biko, fd, "bb-georgsmarienhuette", "jobcenter"},
			[]string{eBBGmhMemberOfKoko, eJobcenterMemberKoko, eJobcenterRefersBBGmh, eKGCoordinatesKoko, eBiKoMemberKG,
				eFDCoordinatesKG, eFDMemberKG, eFDResponsibleBBGmh}, true},
		{"ExactlyMaxNodes", landscape.NeighbourhoodQuery{Roots: []string{kg}, Depth: 1, MaxNodes: 4}, []string{kg, koko, biko, fd},
			[]string{eKGCoordinatesKoko, eBiKoMemberKG, eFDCoordinatesKG, eFDMemberKG}, false},
		{"Isolated", landscape.NeighbourhoodQuery{Roots: []string{"bb-melle"}, Depth: 4}, []string{"bb-melle"}, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := testContext(t) // a deadline per subtest
			g, err := landscape.Neighbourhood(ctx, s, c.q)
			if err != nil {
				t.Fatalf("Neighbourhood: %s", describeErr(err))
			}
			checkIDs(t, "nodes", nodeIDs(g.Nodes), c.nodes...)
			checkIDs(t, "edges", edgeIDs(g.Edges), c.edges...)
			if g.Truncated != c.truncated {
				t.Errorf("truncated = %v, want %v", g.Truncated, c.truncated)
			}
			// Neighbourhood reads again only the edges among the nodes it
			// did not expand; its edges are still the induced subgraph's.
			induced, err := landscape.InducedSubgraph(ctx, s, g.Nodes, c.q.EdgeKinds, c.q.AsOf)
			if err != nil {
				t.Fatalf("InducedSubgraph: %s", describeErr(err))
			}
			checkIDs(t, "edges of the induced subgraph", edgeIDs(induced.Edges), edgeIDs(g.Edges)...)
			// Brief, the same network with only what Node.Brief and
			// Edge.Brief keep.
			bq := c.q
			bq.Brief = true
			b, err := landscape.Neighbourhood(ctx, s, bq)
			if err != nil {
				t.Fatalf("Neighbourhood, brief: %s", describeErr(err))
			}
			if len(b.Nodes) != len(g.Nodes) || len(b.Edges) != len(g.Edges) || b.Truncated != g.Truncated {
				t.Fatalf("brief: %d nodes, %d edges, truncated %v; want %d, %d, %v",
					len(b.Nodes), len(b.Edges), b.Truncated, len(g.Nodes), len(g.Edges), g.Truncated)
			}
			for i, n := range g.Nodes {
				checkSameNode(t, "brief Neighbourhood", b.Nodes[i], n.Brief())
			}
			for i, e := range g.Edges {
				checkSameEdge(t, "brief Neighbourhood", b.Edges[i], e.Brief())
			}
		})
	}

	t.Run("Errors", func(t *testing.T) {
		cases := []struct {
			name string
			q    landscape.NeighbourhoodQuery
			want problem
		}{
			{"MissingRoot", landscape.NeighbourhoodQuery{Roots: []string{kg, "gibt-es-nicht"}, Depth: 1}, notFound("ids[1]")},
			{"RootNotValidAsOf", landscape.NeighbourhoodQuery{Roots: []string{kg}, Depth: 1, AsOf: date("2014-06-01")}, notFound("ids[0]")},
			{"BadRootID", landscape.NeighbourhoodQuery{Roots: []string{"kg bildung"}}, invalid("ids[0]")},
			{"NoRoots", landscape.NeighbourhoodQuery{Depth: 1}, invalid("ids")},
			{"TooDeep", landscape.NeighbourhoodQuery{Roots: []string{kg}, Depth: landscape.MaxDepth + 1}, invalid("depth")},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ctx := testContext(t) // a deadline per subtest
				_, err := landscape.Neighbourhood(ctx, s, c.q)
				checkProblems(t, err, c.want)
			})
		}
	})

	t.Run("Induced", func(t *testing.T) {
		ctx := testContext(t) // a deadline per subtest
		ids := []string{"bb-georgsmarienhuette", "gmh", "koko-bildung", "jobcenter"}
		nodes := getNodes(t, ctx, s, nil, ids...)
		list := make([]*landscape.Node, 0, len(ids))
		for _, id := range ids {
			if nodes[id] != nil {
				list = append(list, nodes[id])
			}
		}
		cases := []struct {
			name  string
			nodes []*landscape.Node
			kinds []landscape.EdgeKind
			asOf  *landscape.Date
			want  []string
		}{
			{"All", list, nil, nil, []string{eBBGmhLocatedInGmh, eBBGmhMemberOfKoko, eBBGmhServesGmh, eJobcenterMemberKoko, eJobcenterRefersBBGmh}},
			{"Kinds", list, []landscape.EdgeKind{landscape.Serves, landscape.LocatedIn}, nil, []string{eBBGmhLocatedInGmh, eBBGmhServesGmh}},
			{"AsOf2008", list, nil, date("2008-06-01"), []string{eJobcenterMemberKoko}},
			{"None", nil, nil, nil, nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ctx := testContext(t) // a deadline per subtest
				g, err := landscape.InducedSubgraph(ctx, s, c.nodes, c.kinds, c.asOf)
				if err != nil {
					t.Fatalf("InducedSubgraph: %s", describeErr(err))
				}
				checkIDs(t, "edges", edgeIDs(g.Edges), c.want...)
				checkIDs(t, "nodes", nodeIDs(g.Nodes), nodeIDs(c.nodes)...)
			})
		}
		funding := getNodes(t, ctx, s, nil, "stiftungsverbund", "bb-georgsmarienhuette")
		pair := []*landscape.Node{funding["stiftungsverbund"], funding["bb-georgsmarienhuette"]}
		for _, c := range []struct {
			asOf *landscape.Date
			want []string
		}{{date("2012-06-15"), []string{eStiftungFundsBBGmh}}, {date("2014-06-01"), nil}} {
			g, err := landscape.InducedSubgraph(ctx, s, pair, nil, c.asOf)
			if err != nil {
				t.Fatalf("InducedSubgraph: %s", describeErr(err))
			}
			checkIDs(t, "funding edges asOf "+c.asOf.String(), edgeIDs(g.Edges), c.want...)
		}
	})
}
