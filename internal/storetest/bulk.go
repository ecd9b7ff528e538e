package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// bulkLandscape is a Landkreis with its 34 Gemeinden, 15 Arbeitskreise and
// 4,950 Einrichtungen: 5,000 nodes and 10,000 edges.
func bulkLandscape() ([]*landscape.Node, []*landscape.Edge) {
	categories := []struct{ category, label string }{
		{"KITA", "Kita"}, {"GRUNDSCHULE", "Grundschule"}, {"WEITERFUEHRENDE_SCHULE", "Oberschule"}, {"BBS", "Berufsbildende Schule"},
		{"VHS", "VHS-Außenstelle"}, {"BERATUNGSSTELLE", "Beratungsstelle"}, {"VEREIN", "Förderverein"}, {"BIBLIOTHEK", "Bücherei"},
		{"JUGENDHILFE", "Jugendtreff"},
	}
	roles := []string{"MEMBER", "GUEST", "ADVISORY", "MEMBER", "DEPUTY_CHAIR"}
	nodes := []*landscape.Node{{ID: "lk-osnabrueck", Kind: landscape.Region, Name: "Landkreis Osnabrück", Category: "LANDKREIS",
		OfficialCode: "03459", Source: srcStatistik}}
	var edges []*landscape.Edge
	const gemeinden, kreise, einrichtungen = 34, 15, 4950
	for g := range gemeinden {
		id := fmt.Sprintf("gemeinde-%02d", g)
		nodes = append(nodes, &landscape.Node{ID: id, Kind: landscape.Region, Name: fmt.Sprintf("Gemeinde %02d im Osnabrücker Land", g),
			Category: "GEMEINDE", OfficialCode: fmt.Sprintf("03459%03d", g+1), Source: srcStatistik})
		edges = append(edges, &landscape.Edge{From: id, Kind: landscape.PartOf, To: "lk-osnabrueck", Source: srcStatistik})
	}
	for k := range kreise {
		id := fmt.Sprintf("ak-%02d", k)
		nodes = append(nodes, &landscape.Node{ID: id, Kind: landscape.Committee, Name: fmt.Sprintf("Arbeitskreis Bildung %02d", k),
			Category: "WORKING_GROUP", Scope: landscape.ScopeExternal, Source: srcBildungsbericht})
		edges = append(edges, &landscape.Edge{From: id, Kind: landscape.Serves, To: "lk-osnabrueck", Source: srcBildungsbericht})
	}
	for i := range einrichtungen {
		c := categories[i%len(categories)]
		id := fmt.Sprintf("einrichtung-%04d", i)
		n := &landscape.Node{ID: id, Kind: landscape.Institution, Name: fmt.Sprintf("%s %04d", c.label, i), Category: c.category,
			Source: srcBeispiel, Illustrative: true}
		if i%10 == 0 {
			n.Validity = validity("2009-01-01", "2014-12-31")
		}
		nodes = append(nodes, n)
		edges = append(edges,
			&landscape.Edge{From: id, Kind: landscape.LocatedIn, To: fmt.Sprintf("gemeinde-%02d", i%gemeinden), Source: srcBeispiel},
			&landscape.Edge{From: id, Kind: landscape.MemberOf, To: fmt.Sprintf("ak-%02d", i%kreise), Role: roles[i%len(roles)], Source: srcBeispiel})
	}
	for i := range 51 {
		edges = append(edges, &landscape.Edge{From: fmt.Sprintf("einrichtung-%04d", i), Kind: landscape.CooperatesWith,
			To: fmt.Sprintf("einrichtung-%04d", i+1), Agreement: "Kooperationsvereinbarung", Source: srcBeispiel})
	}
	return nodes, edges
}

// testBulk writes a large changeset in one call and reads it back.
func testBulk(t *testing.T, open opener) {
	s := newStore(t, open)
	ctx := contextWithTimeout(t, 3*time.Minute)
	nodes, edges := bulkLandscape()
	if len(nodes) != 5000 || len(edges) != 10000 {
		t.Fatalf("the bulk fixture has %d nodes and %d edges", len(nodes), len(edges))
	}
	wantNodes := map[string]*landscape.Node{}
	for _, n := range nodes {
		wantNodes[n.ID] = n
	}
	wantEdges := map[string]*landscape.Edge{}
	for _, e := range edges {
		e := wantEdge(e)
		wantEdges[e.ID] = e
	}

	started := time.Now()
	res := apply(t, ctx, s, createAll(nodes, edges))
	t.Logf("Apply of %d nodes and %d edges: %v", len(nodes), len(edges), time.Since(started))
	if len(res.Nodes) != len(nodes) || len(res.Edges) != len(edges) {
		t.Errorf("Result has %d nodes and %d edges, want %d and %d", len(res.Nodes), len(res.Edges), len(nodes), len(edges))
	}

	started = time.Now()
	got := getNodes(t, ctx, s, nil, mapKeys(wantNodes)...)
	if len(got) != len(nodes) {
		t.Errorf("Nodes found %d of %d", len(got), len(nodes))
	}
	for id, w := range wantNodes {
		checkNode(t, "Nodes", got[id], w)
	}

	wantIDs := mapKeys(wantEdges)
	var gotIDs []string
	q := landscape.EdgeQuery{Page: first(landscape.MaxPageSize)}
	for pages := 0; pages <= 10; pages++ {
		p := queryEdges(t, ctx, s, q)
		if p.TotalCount != len(edges) {
			t.Fatalf("QueryEdges: totalCount %d, want %d", p.TotalCount, len(edges))
		}
		for _, e := range p.Edges {
			gotIDs = append(gotIDs, e.ID)
			if w := wantEdges[e.ID]; w != nil {
				checkEdge(t, "QueryEdges", e, w)
			}
		}
		if !p.HasNextPage || len(p.Edges) == 0 {
			break
		}
		q.Page.After = landscape.EdgeCursor(p.Edges[len(p.Edges)-1])
	}
	if !slices.Equal(gotIDs, wantIDs) {
		t.Errorf("paging through QueryEdges gave %d edge ids, want the %d written in id order", len(gotIDs), len(wantIDs))
	}

	adj := adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: []string{"lk-osnabrueck"}, Direction: landscape.DirIn})
	if n := len(adj["lk-osnabrueck"]); n != 34+15 {
		t.Errorf("Adjacent lk-osnabrueck IN: %d edges, want 49", n)
	}
	var kreise []string
	for k := range 15 {
		kreise = append(kreise, fmt.Sprintf("ak-%02d", k))
	}
	adj = adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: kreise, Direction: landscape.DirIn, Kinds: []landscape.EdgeKind{landscape.MemberOf}})
	for _, k := range kreise {
		if n := len(adj[k]); n != 4950/15 {
			t.Errorf("Adjacent %s IN MEMBER_OF: %d edges, want %d", k, n, 4950/15)
		}
	}
	// Every tenth Einrichtung closed at the end of 2014; 550 are Kitas, 55 of them closed.
	p := queryNodes(t, ctx, s, landscape.NodeQuery{Kinds: []landscape.NodeKind{landscape.Institution}, AsOf: date("2020-01-01"), Page: first(0)})
	if p.TotalCount != 4950-495 {
		t.Errorf("Institutions in 2020: %d, want %d", p.TotalCount, 4950-495)
	}
	p = queryNodes(t, ctx, s, landscape.NodeQuery{Filter: where(landscape.FieldCategory, landscape.Eq, "KITA"), AsOf: date("2020-01-01"), Page: first(10)})
	if p.TotalCount != 550-55 || len(p.Nodes) != 10 || !p.HasNextPage {
		t.Errorf("Kitas in 2020: totalCount %d, page of %d, hasNextPage %v; want %d, 10, true", p.TotalCount, len(p.Nodes), p.HasNextPage, 550-55)
	}
	t.Logf("reading back: %v", time.Since(started))

	// Importing the same again changes nothing.
	started = time.Now()
	cs := &landscape.Changeset{}
	for _, n := range nodes {
		cs.Nodes = append(cs.Nodes, landscape.NodeChange{Op: landscape.OpUpsert, Node: n})
	}
	for _, e := range edges {
		cs.Edges = append(cs.Edges, landscape.EdgeChange{Op: landscape.OpUpsert, Edge: e})
	}
	res = apply(t, ctx, s, cs)
	t.Logf("Apply of the same as upserts: %v", time.Since(started))
	if res.Unchanged != len(nodes)+len(edges) || !res.Empty() {
		t.Errorf("upserting the same again: %d unchanged, %d nodes and %d edges written; want %d unchanged and nothing written",
			res.Unchanged, len(res.Nodes), len(res.Edges), len(nodes)+len(edges))
	}
}
