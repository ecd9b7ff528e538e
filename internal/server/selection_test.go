package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/data"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// subgraphResp is a Subgraph as the queries below select it.
type subgraphResp struct {
	Truncated     bool
	Nodes         []struct{ ID string }
	Relationships []struct{ ID string }
}

func (g subgraphResp) ids() (nodes, edges []string) {
	for _, n := range g.Nodes {
		nodes = append(nodes, n.ID)
	}
	for _, e := range g.Relationships {
		edges = append(edges, e.ID)
	}
	slices.Sort(nodes)
	slices.Sort(edges)
	return nodes, edges
}

// export gets /export/landscape.json with the query and returns its node and
// edge ids, or the problem the endpoint answers.
func (h *harness) export(t *testing.T, query string) (nodes, edges []string, status int, problem gqlError) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/export/landscape.json?"+query, nil))
	if rec.Code != http.StatusOK {
		var p struct{ Code, Field, Message string }
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Fatalf("export ?%s: status %d, body %s", query, rec.Code, rec.Body)
		}
		problem.Message, problem.Extensions.Code, problem.Extensions.Field = p.Message, p.Code, p.Field
		return nil, nil, rec.Code, problem
	}
	var doc struct {
		Nodes, Edges []struct{ ID string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("export ?%s: %v", query, err)
	}
	for _, n := range doc.Nodes {
		nodes = append(nodes, n.ID)
	}
	for _, e := range doc.Edges {
		edges = append(edges, e.ID)
	}
	slices.Sort(nodes)
	slices.Sort(edges)
	return nodes, edges, rec.Code, problem
}

// TestSubgraphSelectsAsTheExport: subgraph and neighbourhood with region and
// topic give exactly the export's selection with the same parameters, and
// the same errors for a region or topic that does not exist.
func TestSubgraphSelectsAsTheExport(t *testing.T) {
	h := newHarness(t)
	doc, err := data.Sample()
	if err != nil {
		t.Fatal(err)
	}
	h.apply(t, doc.Changeset())

	const q = `query($region: ID, $topic: ID, $kinds: [NodeKind!], $rels: [RelationshipKind!], $asOf: Date, $around: ID!, $depth: Int) {
		subgraph(region: $region, topic: $topic, kinds: $kinds, relationshipKinds: $rels, asOf: $asOf) { truncated nodes { id } relationships { id } }
		neighbourhood(ids: [$around], depth: $depth, region: $region, topic: $topic, nodeKinds: $kinds, relationshipKinds: $rels, asOf: $asOf) {
			truncated nodes { id } relationships { id } } }`
	for _, tc := range []struct {
		name   string
		vars   map[string]any
		export string // the export's parameters, without around
	}{
		{"region", map[string]any{"region": "stadt-osnabrueck"}, "region=stadt-osnabrueck"},
		{"region with subregions as of a date", map[string]any{"region": "lk-osnabrueck", "asOf": "2026-01-01"}, "region=lk-osnabrueck&asOf=2026-01-01"},
		{"topic and kinds", map[string]any{"topic": "thema.uebergangsmanagement", "kinds": []string{"ACTOR", "COMMITTEE"}},
			"topic=thema.uebergangsmanagement&kind=ACTOR&kind=COMMITTEE"},
		{"region, topic and relationship kinds", map[string]any{"region": "lk-osnabrueck", "topic": "thema.kommunales-bildungsmanagement", "rels": []string{"MEMBER_OF", "WORKS_ON"}},
			"region=lk-osnabrueck&topic=thema.kommunales-bildungsmanagement&edgeKind=MEMBER_OF&edgeKind=WORKS_ON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, around := range []struct {
				id    string
				depth int
			}{{"os.bildungsbuero", 2}, {"lk-os.kreisverwaltung", 1}} {
				vars := map[string]any{"around": around.id, "depth": around.depth}
				for k, v := range tc.vars {
					vars[k] = v
				}
				var resp struct{ Subgraph, Neighbourhood subgraphResp }
				h.mustPost(t, q, &resp, vars)

				nodes, edges := resp.Subgraph.ids()
				wantNodes, wantEdges, _, _ := h.export(t, tc.export)
				if len(nodes) == 0 || !slices.Equal(nodes, wantNodes) || !slices.Equal(edges, wantEdges) || resp.Subgraph.Truncated {
					t.Errorf("subgraph(%v):\n nodes %v\n edges %v\nexport ?%s:\n nodes %v\n edges %v", tc.vars, nodes, edges, tc.export, wantNodes, wantEdges)
				}
				nodes, edges = resp.Neighbourhood.ids()
				exp := fmt.Sprintf("%s&around=%s&depth=%d", tc.export, around.id, around.depth)
				wantNodes, wantEdges, _, _ = h.export(t, exp)
				if !slices.Equal(nodes, wantNodes) || !slices.Equal(edges, wantEdges) {
					t.Errorf("neighbourhood(%s, %v):\n nodes %v\n edges %v\nexport ?%s:\n nodes %v\n edges %v", around.id, tc.vars, nodes, edges, exp, wantNodes, wantEdges)
				}
			}
		})
	}

	// Without region and topic: the whole landscape, up to 2000 nodes by default.
	var all struct{ Subgraph subgraphResp }
	h.mustPost(t, `{ subgraph { truncated nodes { id } relationships { id } } }`, &all)
	if len(all.Subgraph.Nodes) != len(doc.Nodes) || len(all.Subgraph.Relationships) != len(doc.Edges) || all.Subgraph.Truncated {
		t.Errorf("subgraph without arguments: %d nodes, %d relationships, truncated %v; want %d, %d",
			len(all.Subgraph.Nodes), len(all.Subgraph.Relationships), all.Subgraph.Truncated, len(doc.Nodes), len(doc.Edges))
	}
	// filter and region narrow together.
	var filtered struct{ Subgraph subgraphResp }
	h.mustPost(t, `{ subgraph(region: "lk-osnabrueck", kinds: [INSTITUTION], filter: {name: {contains: "bildungsbüro"}}) { nodes { id } } }`, &filtered)
	if got, _ := filtered.Subgraph.ids(); len(got) == 0 || !slices.ContainsFunc(got, func(id string) bool { return strings.Contains(id, "bildungsbuero") }) {
		t.Errorf("Bildungsbüros in the Landkreis: %v", got)
	}

	// Errors name the argument, as the export names its parameter.
	for _, tc := range []struct {
		query, export, code, field string
	}{
		{`{ subgraph(region: "nirgendwo") { truncated } }`, "region=nirgendwo", "NOT_FOUND", "region"},
		{`{ neighbourhood(ids: ["os.bildungsbuero"], topic: "thema.nichts") { truncated } }`, "around=os.bildungsbuero&topic=thema.nichts", "NOT_FOUND", "topic"},
		{`{ subgraph(region: "thema.sprachbildung") { truncated } }`, "region=thema.sprachbildung", "INVALID", "region"},
		{`{ subgraph(topic: "lk-osnabrueck") { truncated } }`, "topic=lk-osnabrueck", "INVALID", "topic"},
		{`{ neighbourhood(ids: ["gibt-es-nicht"], region: "lk-osnabrueck") { truncated } }`, "", "NOT_FOUND", "ids[0]"},
	} {
		errs := h.post(t, tc.query, nil)
		if len(errs) != 1 || errs[0].Extensions.Code != tc.code || errs[0].Extensions.Field != tc.field {
			t.Errorf("%s: errors %+v, want %s on %s", tc.query, errs, tc.code, tc.field)
			continue
		}
		if tc.export == "" {
			continue
		}
		_, _, status, p := h.export(t, tc.export)
		if status == http.StatusOK || p.Extensions.Code != tc.code || p.Extensions.Field != tc.field || p.Message != errs[0].Message {
			t.Errorf("%s: GraphQL says %q (%s on %s), the export ?%s %d %q (%s on %s)", tc.query, errs[0].Message, tc.code, tc.field,
				tc.export, status, p.Message, p.Extensions.Code, p.Extensions.Field)
		}
	}
}

// regionFixture is a Kreis with three Gemeinden, a Sozialraum in one of
// them, and n institutions spread over them, each MEMBER_OF a committee
// that works on a topic.
func regionFixture(n int) *landscape.Changeset {
	cs := &landscape.Changeset{}
	up := func(x *landscape.Node) {
		cs.Nodes = append(cs.Nodes, landscape.NodeChange{Op: landscape.OpUpsert, Node: x})
	}
	rel := func(from string, kind landscape.EdgeKind, to string) {
		cs.Edges = append(cs.Edges, landscape.EdgeChange{Op: landscape.OpUpsert, Edge: &landscape.Edge{Kind: kind, From: from, To: to, Source: src}})
	}
	up(node("kreis", landscape.Region, "Kreis", "LANDKREIS"))
	places := []string{"gemeinde-a", "gemeinde-b", "gemeinde-c", "sozialraum-a1"}
	for _, g := range places[:3] {
		up(node(g, landscape.Region, g, "GEMEINDE"))
		rel(g, landscape.PartOf, "kreis")
	}
	up(node("sozialraum-a1", landscape.Region, "Sozialraum A1", "SOZIALRAUM"))
	rel("sozialraum-a1", landscape.PartOf, "gemeinde-a")
	up(node("ak-bildung", landscape.Committee, "AK Bildung", "WORKING_GROUP"))
	up(node("thema.bildung", landscape.Topic, "Bildung", "AKTIONSFELD"))
	rel("ak-bildung", landscape.WorksOn, "thema.bildung")
	for i := range n {
		id := fmt.Sprintf("kita-%03d", i)
		up(node(id, landscape.Institution, fmt.Sprintf("Kita %d", i), "KITA"))
		rel(id, landscape.LocatedIn, places[i%len(places)])
		rel(id, landscape.MemberOf, "ak-bildung")
		rel(id, landscape.WorksOn, "thema.bildung")
	}
	return cs
}

// TestSubgraphRegionRoundTrips: subgraph and neighbourhood with region and
// topic, and centrality over the ids drawn, cost a number of store round
// trips that depends on the depth of the region hierarchy, not on the
// number of nodes.
func TestSubgraphRegionRoundTrips(t *testing.T) {
	queries := map[string]string{
		"subgraph": `{ subgraph(region: "kreis", topic: "thema.bildung") { nodes { id kind } relationships { id kind from { id } to { id } } } }`,
		"neighbourhood": `{ neighbourhood(ids: ["ak-bildung"], depth: 2, region: "kreis", topic: "thema.bildung") {
			nodes { id kind } relationships { id kind from { id } to { id } } } }`,
	}
	calls := func(n int) map[string]int64 {
		h := newHarness(t)
		h.apply(t, regionFixture(n))
		out := map[string]int64{}
		for name, q := range queries {
			var resp map[string]subgraphResp
			before := h.store.calls.Load()
			h.mustPost(t, q, &resp)
			out[name] = h.store.calls.Load() - before
			// Only the kitas are both in the Kreis and on the topic: the
			// regions do not work on it, the committee lies nowhere.
			if got := len(resp[name].Nodes); got != n {
				t.Errorf("%s with %d kitas: %d nodes %v", name, n, got, resp[name].Nodes)
			}
			ids := make([]string, len(resp[name].Nodes))
			for i, x := range resp[name].Nodes {
				ids[i] = x.ID
			}
			var cent struct {
				Centrality struct {
					NodeCount, RelationshipCount int
				}
			}
			before = h.store.calls.Load()
			h.mustPost(t, `query($ids: [ID!]) { centrality(scope: {ids: $ids, relationshipKinds: [MEMBER_OF, LOCATED_IN]}) { nodeCount relationshipCount } }`,
				&cent, map[string]any{"ids": ids})
			out["centrality after "+name] = h.store.calls.Load() - before
			if cent.Centrality.NodeCount != n || cent.Centrality.RelationshipCount != 0 {
				t.Errorf("centrality over the %d kitas drawn: %+v", n, cent.Centrality)
			}
		}
		return out
	}
	small, large := calls(4), calls(60)
	for name, n := range large {
		// subgraph: anchors 1, region levels 2·3, topic 2, edges 1, the
		// relationships' ends 1; neighbourhood: landscape.Neighbourhood's
		// 1+2·2+1 on top; centrality: the nodes 1, their edges 1.
		if n != small[name] || n > 18 {
			t.Errorf("%s: %d round trips with 4 kitas, %d with 60; want the same, at most 18", name, small[name], n)
		}
	}
}
