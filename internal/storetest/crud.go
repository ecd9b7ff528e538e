package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// testCRUD checks creating, reading, updating, upserting and deleting nodes,
// and the timestamps the store sets.
func testCRUD(t *testing.T, open opener) {
	t.Run("CreateEveryKind", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		want := everyKindNodes()
		clk := startClock()
		res := apply(t, ctx, s, createNodes(everyKindNodes()...))
		if len(res.Edges)+len(res.DeletedNodes)+len(res.DeletedEdges) != 0 || res.Unchanged != 0 {
			t.Errorf("Result = %s, want only the created nodes", describeResult(res))
		}
		checkIDSet(t, "Result.Nodes", nodeIDs(res.Nodes), nodeIDs(want)...)
		written := map[string]*landscape.Node{}
		for _, n := range res.Nodes {
			written[n.ID] = n
			clk.checkStamp(t, "Result node "+n.ID, n.CreatedAt, n.UpdatedAt)
			if !n.CreatedAt.Equal(res.Nodes[0].CreatedAt) {
				t.Errorf("node %s was stamped %s, node %s %s: one changeset should have one time", n.ID,
					n.CreatedAt.Format(time.RFC3339Nano), res.Nodes[0].ID, res.Nodes[0].CreatedAt.Format(time.RFC3339Nano))
			}
		}
		for _, w := range want {
			checkNode(t, "Result", written[w.ID], w)
		}

		// Read back by id, with a missing id among them.
		ids := append(nodeIDs(want), "gibt-es-nicht")
		got := getNodes(t, ctx, s, nil, ids...)
		checkIDSet(t, "Nodes", mapKeys(got), nodeIDs(want)...)
		for _, w := range want {
			if written[w.ID] != nil {
				checkSameNode(t, "Nodes", got[w.ID], written[w.ID])
			}
		}

		// Read back by query: the same content.
		p := queryNodes(t, ctx, s, landscape.NodeQuery{Order: []landscape.Order{{Field: landscape.OrderID}}})
		if p.TotalCount != len(want) {
			t.Errorf("QueryNodes: totalCount %d, want %d", p.TotalCount, len(want))
		}
		for _, n := range p.Nodes {
			if written[n.ID] != nil {
				checkSameNode(t, "QueryNodes", n, written[n.ID])
			}
		}

		// Each kind finds its one node.
		for _, w := range want {
			p := queryNodes(t, ctx, s, landscape.NodeQuery{Kinds: []landscape.NodeKind{w.Kind}})
			checkIDs(t, fmt.Sprintf("QueryNodes kinds [%s]", w.Kind), nodeIDs(p.Nodes), w.ID)
		}
	})

	t.Run("Normalizes", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		messy := func() *landscape.Node {
			return &landscape.Node{ID: " koko-bildung ", Kind: landscape.Committee, Name: "  Kooperationskonferenz Bildung ",
				Category: "CONFERENCE ", Aliases: []string{" KoKo", "  ", "Konferenz Bildung "}, Source: " " + srcBildungsbericht,
				Scope: " EXTERNAL", MeetingRhythm: "zweimal jährlich ", URL: " https://www.landkreis-osnabrueck.de/bildung "}
		}
		want := &landscape.Node{ID: "koko-bildung", Kind: landscape.Committee, Name: "Kooperationskonferenz Bildung",
			Category: "CONFERENCE", Aliases: []string{"KoKo", "Konferenz Bildung"}, Source: srcBildungsbericht,
			Scope: landscape.ScopeExternal, MeetingRhythm: "zweimal jährlich", URL: "https://www.landkreis-osnabrueck.de/bildung"}
		res := apply(t, ctx, s, createNodes(messy()))
		if len(res.Nodes) == 1 {
			checkNode(t, "Result", res.Nodes[0], want)
		}
		created := getNode(t, ctx, s, "koko-bildung")
		checkNode(t, "Nodes", created, want)

		// Upserting the same messy input again changes nothing.
		res = apply(t, ctx, s, upsertNode(messy()))
		if res.Unchanged != 1 || !res.Empty() {
			t.Errorf("upsert of the same input: Result = %s, want unchanged 1 and nothing written", describeResult(res))
		}
		checkSameNode(t, "after the unchanged upsert", getNode(t, ctx, s, "koko-bildung"), created)
	})

	t.Run("UpdateKeepsCreatedAtAndBumpsUpdatedAt", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		res := apply(t, ctx, s, createNodes(everyKindNodes()[3])) // koko-bildung
		created := res.Nodes[0]
		time.Sleep(5 * time.Millisecond)
		res = apply(t, ctx, s, updateNode("koko-bildung", landscape.NodePatch{MeetingRhythm: landscape.Some("vierteljährlich")}))
		if len(res.Nodes) != 1 || res.Unchanged != 0 {
			t.Fatalf("update: Result = %s, want the updated node", describeResult(res))
		}
		updated := res.Nodes[0]
		want := everyKindNodes()[3]
		want.MeetingRhythm = "vierteljährlich"
		checkNode(t, "Result", updated, want)
		checkTime(t, "createdAt after the update", updated.CreatedAt, created.CreatedAt)
		if !updated.UpdatedAt.After(created.UpdatedAt) {
			t.Errorf("updatedAt %s after the update is not after %s", updated.UpdatedAt.Format(time.RFC3339Nano),
				created.UpdatedAt.Format(time.RFC3339Nano))
		}
		checkSameNode(t, "Nodes after the update", getNode(t, ctx, s, "koko-bildung"), updated)
	})

	t.Run("UpsertCreatesThenReplaces", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		first := &landscape.Node{ID: "jobcenter", Kind: landscape.Institution, Name: "MaßArbeit kAöR", Category: "JOBCENTER",
			Description: "Kommunales Jobcenter", Aliases: []string{"MaßArbeit"}, URL: "https://www.massarbeit.de",
			Source: srcBildungsbericht, Validity: validity("2012-01-01", "2030-12-31")}
		clk := startClock()
		res := apply(t, ctx, s, upsertNode(first))
		if len(res.Nodes) != 1 {
			t.Fatalf("upsert of a new node: Result = %s, want the node", describeResult(res))
		}
		created := res.Nodes[0]
		checkNode(t, "created by upsert", created, first)
		clk.checkStamp(t, "created by upsert", created.CreatedAt, created.UpdatedAt)

		// The second upsert replaces the node: fields it leaves empty are cleared.
		time.Sleep(5 * time.Millisecond)
		second := &landscape.Node{ID: "jobcenter", Kind: landscape.Institution, Name: "MaßArbeit kAöR – Jobcenter Landkreis Osnabrück",
			Category: "JOBCENTER", Source: "https://www.massarbeit.de/impressum", Validity: validity("2012-01-01", "")}
		res = apply(t, ctx, s, upsertNode(second))
		if len(res.Nodes) != 1 || res.Unchanged != 0 {
			t.Fatalf("upsert of new content: Result = %s, want the replaced node", describeResult(res))
		}
		replaced := res.Nodes[0]
		checkNode(t, "replaced by upsert", replaced, second)
		checkTime(t, "createdAt after the replacing upsert", replaced.CreatedAt, created.CreatedAt)
		if !replaced.UpdatedAt.After(created.UpdatedAt) {
			t.Errorf("updatedAt %s after the replacing upsert is not after %s", replaced.UpdatedAt.Format(time.RFC3339Nano),
				created.UpdatedAt.Format(time.RFC3339Nano))
		}
		checkSameNode(t, "Nodes after the replacing upsert", getNode(t, ctx, s, "jobcenter"), replaced)
	})

	t.Run("UpsertIdenticalIsUnchanged", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		res := apply(t, ctx, s, createNodes(everyKindNodes()...))
		before := map[string]*landscape.Node{}
		for _, n := range res.Nodes {
			before[n.ID] = n
		}
		time.Sleep(5 * time.Millisecond)
		cs := &landscape.Changeset{}
		for _, n := range everyKindNodes() {
			cs.Nodes = append(cs.Nodes, landscape.NodeChange{Op: landscape.OpUpsert, Node: n})
		}
		// No aliases and an empty alias list are the same content.
		region := everyKindNodes()[4]
		region.ID, region.Name, region.Aliases = "gmh", "Georgsmarienhütte", nil
		apply(t, ctx, s, createNodes(region))
		before["gmh"] = getNode(t, ctx, s, "gmh")
		region.Aliases = []string{}
		cs.Nodes = append(cs.Nodes, landscape.NodeChange{Op: landscape.OpUpsert, Node: region})

		res = apply(t, ctx, s, cs)
		if res.Unchanged != 11 || !res.Empty() {
			t.Errorf("upsert of identical content: Result = %s, want unchanged 11 and nothing written", describeResult(res))
		}
		got := getNodes(t, ctx, s, nil, mapKeys(before)...)
		for id, n := range before {
			checkSameNode(t, "after upserting identical content", got[id], n)
		}

		// An update that sets the values the node has is unchanged too.
		res = apply(t, ctx, s, updateNode("koko-bildung", landscape.NodePatch{
			Name: landscape.Some("Kooperationskonferenz Bildung"), Scope: landscape.Some(landscape.ScopeExternal)}))
		if res.Unchanged != 1 || !res.Empty() {
			t.Errorf("update to the same values: Result = %s, want unchanged 1 and nothing written", describeResult(res))
		}
		checkSameNode(t, "after an update to the same values", getNode(t, ctx, s, "koko-bildung"), before["koko-bildung"])
	})

	t.Run("UpdatePatch", func(t *testing.T) { testUpdatePatch(t, open) })

	t.Run("Delete", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		nodes := landscapeNodes()
		apply(t, ctx, s, createNodes(nodes[7], nodes[8])) // bb-melle, bb-bramsche
		res := apply(t, ctx, s, deleteNode("bb-melle"))
		checkIDs(t, "Result.DeletedNodes", res.DeletedNodes, "bb-melle")
		if len(res.Nodes)+len(res.Edges)+len(res.DeletedEdges) != 0 {
			t.Errorf("delete: Result = %s, want only the deleted node", describeResult(res))
		}
		checkIDs(t, "Nodes after the delete", mapKeys(getNodes(t, ctx, s, nil, "bb-melle", "bb-bramsche")), "bb-bramsche")
		checkIDs(t, "every node after the delete", allNodeIDs(t, ctx, s), "bb-bramsche")
		// The id is free again.
		apply(t, ctx, s, createNodes(landscapeNodes()[7]))
		checkIDs(t, "every node after creating it again", allNodeIDs(t, ctx, s), "bb-bramsche", "bb-melle")
	})

	t.Run("DeleteTakesEdgesAlong", func(t *testing.T) {
		ctx, s := seedLandscape(t, open)
		res := apply(t, ctx, s, deleteNode("bb-georgsmarienhuette"))
		checkIDs(t, "Result.DeletedNodes", res.DeletedNodes, "bb-georgsmarienhuette")
		checkIDs(t, "Result.DeletedEdges (edges taken along are not listed)", res.DeletedEdges)

		gone := []string{eBBGmhLocatedInGmh, eBBGmhMemberOfKoko, eBBGmhServesGmh, eJobcenterRefersBBGmh, eFDResponsibleBBGmh, eStiftungFundsBBGmh}
		checkIDs(t, "Edges of the deleted node", mapKeys(getEdges(t, ctx, s, nil, gone...)))
		var rest []string
		for _, id := range landscapeEdgeIDs {
			if !slices.Contains(gone, id) {
				rest = append(rest, id)
			}
		}
		checkIDs(t, "every edge after the delete", edgeIDs(takeSnapshot(t, ctx, s).edgeList), rest...)
		// The other ends survive, without the edges.
		others := []string{"gmh", "koko-bildung", "jobcenter", "lk-os.fachdienst-bildung", "stiftungsverbund"}
		checkIDSet(t, "the other ends", mapKeys(getNodes(t, ctx, s, nil, others...)), others...)
		adj := adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: []string{"gmh", "koko-bildung", "bb-georgsmarienhuette"}, Direction: landscape.DirBoth})
		checkIDs(t, "Adjacent gmh", edgeIDs(adj["gmh"]), eGmhPartOfLK)
		checkIDs(t, "Adjacent koko-bildung", edgeIDs(adj["koko-bildung"]), eJobcenterMemberKoko, eKGCoordinatesKoko)
		checkIDs(t, "Adjacent of the deleted node", edgeIDs(adj["bb-georgsmarienhuette"]))

		// A node created again under the id has none of the old edges.
		apply(t, ctx, s, createNodes(landscapeNodes()[6]))
		adj = adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: []string{"bb-georgsmarienhuette"}, Direction: landscape.DirBoth})
		checkIDs(t, "Adjacent of the node created again", edgeIDs(adj["bb-georgsmarienhuette"]))
		p := queryNodes(t, ctx, s, landscape.NodeQuery{Filter: &landscape.Filter{Relation: &landscape.RelationFilter{
			Direction: landscape.DirBoth, Quantifier: landscape.QuantSome, Node: &landscape.Filter{Field: landscape.FieldID,
				Operator: landscape.Eq, Values: []string{"bb-georgsmarienhuette"}}}}})
		checkIDs(t, "nodes related to the node created again", nodeIDs(p.Nodes))
	})

	t.Run("KeepTimestamps", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		created := time.Date(2019, 5, 6, 7, 8, 9, 123456789, time.FixedZone("CEST", 2*3600))
		updated := time.Date(2023, 1, 2, 3, 4, 5, 1, time.UTC)
		nodes := everyKindNodes()
		kept, kita := nodes[1], nodes[4]
		kept.CreatedAt, kept.UpdatedAt = created, updated
		kita.CreatedAt = created // only one of the two: the store stamps both
		e := edge("bb-georgsmarienhuette", landscape.LocatedIn, "lk-osnabrueck")
		e.CreatedAt, e.UpdatedAt = created, updated
		cs := createAll([]*landscape.Node{kept, kita}, []*landscape.Edge{e})
		cs.KeepTimestamps = true
		clk := startClock()
		apply(t, ctx, s, cs)
		n := getNode(t, ctx, s, kept.ID)
		checkTime(t, "kept createdAt", n.CreatedAt, created)
		checkTime(t, "kept updatedAt", n.UpdatedAt, updated)
		got := getEdge(t, ctx, s, "bb-georgsmarienhuette>LOCATED_IN>lk-osnabrueck")
		checkTime(t, "kept edge createdAt", got.CreatedAt, created)
		checkTime(t, "kept edge updatedAt", got.UpdatedAt, updated)
		n = getNode(t, ctx, s, kita.ID)
		clk.checkStamp(t, "node with only createdAt given", n.CreatedAt, n.UpdatedAt)

		// Without KeepTimestamps the given timestamps are ignored.
		other := everyKindNodes()[0]
		other.CreatedAt, other.UpdatedAt = created, updated
		clk = startClock()
		apply(t, ctx, s, createNodes(other))
		n = getNode(t, ctx, s, other.ID)
		clk.checkStamp(t, "node created without KeepTimestamps", n.CreatedAt, n.UpdatedAt)

		// An import over an existing node keeps the timestamps of the import.
		replaced := everyKindNodes()[0]
		replaced.Description = "Aus dem Export vom 2. Januar 2023"
		replaced.CreatedAt, replaced.UpdatedAt = created, updated
		cs = upsertNode(replaced)
		cs.KeepTimestamps = true
		apply(t, ctx, s, cs)
		n = getNode(t, ctx, s, other.ID)
		checkNode(t, "node replaced by an import", n, replaced)
		checkTime(t, "createdAt of an imported replacement", n.CreatedAt, created)
		checkTime(t, "updatedAt of an imported replacement", n.UpdatedAt, updated)
	})

	t.Run("SeveralChangesOfOneNode", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		nodes := landscapeNodes()
		kg, melle := nodes[13], nodes[7]
		res := apply(t, ctx, s, &landscape.Changeset{Nodes: []landscape.NodeChange{
			{Op: landscape.OpCreate, Node: kg},
			{Op: landscape.OpUpdate, ID: "kg-bildung", Patch: &landscape.NodePatch{MeetingRhythm: landscape.Some("alle sechs Wochen")}},
			{Op: landscape.OpCreate, Node: melle},
			{Op: landscape.OpDelete, ID: "bb-melle"},
		}})
		want := landscapeNodes()[13]
		want.MeetingRhythm = "alle sechs Wochen"
		checkIDs(t, "Result.Nodes", nodeIDs(res.Nodes), "kg-bildung")
		checkIDs(t, "Result.DeletedNodes (never stored)", res.DeletedNodes)
		checkIDs(t, "every node", allNodeIDs(t, ctx, s), "kg-bildung")
		n := getNode(t, ctx, s, "kg-bildung")
		checkNode(t, "created and updated in one changeset", n, want)
		if !n.CreatedAt.Equal(n.UpdatedAt) {
			t.Errorf("created and updated in one changeset: createdAt %s != updatedAt %s",
				n.CreatedAt.Format(time.RFC3339Nano), n.UpdatedAt.Format(time.RFC3339Nano))
		}
	})

	t.Run("DeleteAndCreateAgainWithOtherKind", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		// The Bildungsbüro-Gebiet was first recorded as an institution.
		apply(t, ctx, s, createNodes(&landscape.Node{ID: "bb-gebiet-sued", Kind: landscape.Institution, Name: "Bildungsbüro Süd",
			Category: "BILDUNGSBUERO", URL: "https://www.bildungsbuero-sued.example", Source: srcBeispiel}))
		region := &landscape.Node{ID: "bb-gebiet-sued", Kind: landscape.Region, Name: "Bildungsbüro-Gebiet Süd",
			Category: "BILDUNGSBUERO_AREA", OfficialCode: "BB-S", Source: srcBeispiel}
		apply(t, ctx, s, &landscape.Changeset{Nodes: []landscape.NodeChange{
			{Op: landscape.OpDelete, ID: "bb-gebiet-sued"},
			{Op: landscape.OpCreate, Node: region},
		}})
		checkNode(t, "created again as a Region", getNode(t, ctx, s, "bb-gebiet-sued"), region)
		p := queryNodes(t, ctx, s, landscape.NodeQuery{Kinds: []landscape.NodeKind{landscape.Institution}})
		checkIDs(t, "Institutions", nodeIDs(p.Nodes))
		p = queryNodes(t, ctx, s, landscape.NodeQuery{Kinds: []landscape.NodeKind{landscape.Region}})
		checkIDs(t, "Regions", nodeIDs(p.Nodes), "bb-gebiet-sued")
	})

	t.Run("DeleteAndCreateAgainDropsEdges", func(t *testing.T) {
		// OpDelete: "a node takes its edges along" – also when the changeset
		// creates a node of the same id after deleting it.
		// Edges of the changeset may connect it again, also under the ids
		// of the old edges.
		ctx, s := seedLandscape(t, open)
		res := apply(t, ctx, s, &landscape.Changeset{
			Nodes: []landscape.NodeChange{
				{Op: landscape.OpDelete, ID: "koko-bildung"},
				{Op: landscape.OpCreate, Node: landscapeNodes()[14]},
			},
			Edges: []landscape.EdgeChange{
				{Op: landscape.OpCreate, Edge: edge("jobcenter", landscape.MemberOf, "koko-bildung")},
			},
		})
		checkIDs(t, "Result.Nodes", nodeIDs(res.Nodes), "koko-bildung")
		checkIDs(t, "Result.Edges", edgeIDs(res.Edges), eJobcenterMemberKoko)
		adj := adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: []string{"koko-bildung", "bb-georgsmarienhuette", "kg-bildung"},
			Direction: landscape.DirBoth})
		checkIDs(t, "Adjacent of the node deleted and created again", edgeIDs(adj["koko-bildung"]), eJobcenterMemberKoko)
		checkIDs(t, "Adjacent of an old neighbour", edgeIDs(adj["bb-georgsmarienhuette"]),
			eBBGmhLocatedInGmh, eBBGmhServesGmh, eJobcenterRefersBBGmh, eFDResponsibleBBGmh, eStiftungFundsBBGmh)
		checkIDs(t, "Adjacent of another old neighbour", edgeIDs(adj["kg-bildung"]), eBiKoMemberKG, eFDCoordinatesKG, eFDMemberKG)
		checkIDs(t, "Edges of the node deleted and created again",
			mapKeys(getEdges(t, ctx, s, nil, eBBGmhMemberOfKoko, eJobcenterMemberKoko, eKGCoordinatesKoko)), eJobcenterMemberKoko)
		checkEdge(t, "the edge connecting it again", getEdge(t, ctx, s, eJobcenterMemberKoko),
			wantEdge(edge("jobcenter", landscape.MemberOf, "koko-bildung")))
		if n := len(takeSnapshot(t, ctx, s).edgeList); n != len(landscapeEdgeIDs)-2 {
			t.Errorf("%d edges, want %d", n, len(landscapeEdgeIDs)-2)
		}
	})

	t.Run("DeleteNodeAndItsEdges", func(t *testing.T) {
		// Deleting an edge that a node deleted in the same changeset takes
		// along is no error.
		ctx, s := seedLandscape(t, open)
		apply(t, ctx, s, &landscape.Changeset{
			Nodes: []landscape.NodeChange{{Op: landscape.OpDelete, ID: "jobcenter"}},
			Edges: []landscape.EdgeChange{{Op: landscape.OpDelete, ID: eKooperation}, {Op: landscape.OpDelete, ID: eJobcenterMemberKoko}},
		})
		checkIDs(t, "Edges of the deleted node", mapKeys(getEdges(t, ctx, s, nil, eKooperation, eJobcenterMemberKoko, eJobcenterRefersBBGmh)))
		checkIDs(t, "every edge", edgeIDs(takeSnapshot(t, ctx, s).edgeList),
			without(landscapeEdgeIDs, eKooperation, eJobcenterMemberKoko, eJobcenterRefersBBGmh)...)
	})

	t.Run("ReadNothing", func(t *testing.T) {
		ctx, s := seedLandscape(t, open)
		checkIDs(t, "Nodes(nil)", mapKeys(getNodes(t, ctx, s, nil)))
		checkIDs(t, "Nodes of missing ids", mapKeys(getNodes(t, ctx, s, nil, "gibt-es-nicht", "bb-osnabrueck")))
		checkIDs(t, "Edges(nil)", mapKeys(getEdges(t, ctx, s, nil)))
		checkIDs(t, "Edges of missing ids", mapKeys(getEdges(t, ctx, s, nil, "gmh>PART_OF>ni")))
		adj := adjacent(t, ctx, s, landscape.AdjacencyQuery{Direction: landscape.DirBoth})
		if len(adj) != 0 {
			t.Errorf("Adjacent of no nodes = %v, want nothing", mapKeys(adj))
		}
	})
}

// testUpdatePatch sets and clears every optional field with a patch.
func testUpdatePatch(t *testing.T, open opener) {
	committee := func() *landscape.Node {
		return &landscape.Node{ID: "kg-bildung", Kind: landscape.Committee, Name: "Koordinierungsgruppe Bildung",
			Description: "Verwaltungsinterne Steuerung", Category: "STEERING_GROUP", Aliases: []string{"KG Bildung", "KGB"},
			Source: srcBildungsbericht, Scope: landscape.ScopeInternal, MeetingRhythm: "monatlich",
			URL: "https://www.landkreis-osnabrueck.de/kg-bildung", Validity: validity("2015-01-01", "2020-12-31")}
	}
	phase := func() *landscape.Node {
		return &landscape.Node{ID: "lp-ausbildung", Kind: landscape.LifePhase, Name: "Berufliche Ausbildung", Order: intp(3),
			AgeFrom: intp(16), AgeTo: intp(25), Source: srcBildungsbericht}
	}
	region := func() *landscape.Node {
		return &landscape.Node{ID: "gmh", Kind: landscape.Region, Name: "Georgsmarienhütte", Category: "STADT",
			OfficialCode: "03459019", Source: srcStatistik}
	}
	cases := []struct {
		name  string
		base  func() *landscape.Node
		patch landscape.NodePatch
		want  func(n *landscape.Node)
	}{
		{"SetName", committee, landscape.NodePatch{Name: landscape.Some("Steuerungsgruppe Bildung")},
			func(n *landscape.Node) { n.Name = "Steuerungsgruppe Bildung" }},
		{"ClearDescription", committee, landscape.NodePatch{Description: landscape.Some("")},
			func(n *landscape.Node) { n.Description = "" }},
		{"ReplaceAliases", committee, landscape.NodePatch{Aliases: landscape.Some([]string{"Steuerungsgruppe"})},
			func(n *landscape.Node) { n.Aliases = []string{"Steuerungsgruppe"} }},
		{"ClearAliases", committee, landscape.NodePatch{Aliases: landscape.Some[[]string](nil)},
			func(n *landscape.Node) { n.Aliases = nil }},
		{"ClearValidTo", committee, landscape.NodePatch{ValidTo: landscape.Some[*landscape.Date](nil)},
			func(n *landscape.Node) { n.ValidTo = nil }},
		{"SetValidFromClearValidTo", committee,
			landscape.NodePatch{ValidFrom: landscape.Some(date("2014-06-01")), ValidTo: landscape.Some[*landscape.Date](nil)},
			func(n *landscape.Node) { n.ValidFrom, n.ValidTo = date("2014-06-01"), nil }},
		{"ScopeAndRhythm", committee,
			landscape.NodePatch{Scope: landscape.Some(landscape.ScopeExternal), MeetingRhythm: landscape.Some("")},
			func(n *landscape.Node) { n.Scope, n.MeetingRhythm = landscape.ScopeExternal, "" }},
		{"Category", committee, landscape.NodePatch{Category: landscape.Some("WORKING_GROUP")},
			func(n *landscape.Node) { n.Category = "WORKING_GROUP" }},
		{"ClearCategoryAndScope", committee, landscape.NodePatch{Category: landscape.Some(""), Scope: landscape.Some("")},
			func(n *landscape.Node) { n.Category, n.Scope = "", "" }},
		{"Illustrative", committee, landscape.NodePatch{Illustrative: landscape.Some(true)},
			func(n *landscape.Node) { n.Illustrative = true }},
		{"URLAndSource", committee,
			landscape.NodePatch{URL: landscape.Some(""), Source: landscape.Some("Protokoll der Kooperationskonferenz 2021")},
			func(n *landscape.Node) { n.URL, n.Source = "", "Protokoll der Kooperationskonferenz 2021" }},
		{"OrderToZero", phase, landscape.NodePatch{Order: landscape.Some(intp(0))},
			func(n *landscape.Node) { n.Order = intp(0) }},
		{"ClearAges", phase, landscape.NodePatch{AgeFrom: landscape.Some[*int](nil), AgeTo: landscape.Some[*int](nil)},
			func(n *landscape.Node) { n.AgeFrom, n.AgeTo = nil, nil }},
		{"SetAges", phase, landscape.NodePatch{AgeFrom: landscape.Some(intp(15)), AgeTo: landscape.Some(intp(27))},
			func(n *landscape.Node) { n.AgeFrom, n.AgeTo = intp(15), intp(27) }},
		{"ClearOfficialCode", region, landscape.NodePatch{OfficialCode: landscape.Some("")},
			func(n *landscape.Node) { n.OfficialCode = "" }},
	}
	s := newStore(t, open)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := testContext(t) // a deadline per subtest
			base := c.base()
			base.ID = fmt.Sprintf("%s-%d", base.ID, i)
			created := apply(t, ctx, s, createNodes(base)).Nodes[0]
			res := apply(t, ctx, s, updateNode(base.ID, c.patch))
			want := c.base()
			want.ID = base.ID
			c.want(want)
			if len(res.Nodes) != 1 {
				t.Fatalf("Result = %s, want the updated node", describeResult(res))
			}
			checkNode(t, "Result", res.Nodes[0], want)
			got := getNode(t, ctx, s, base.ID)
			checkSameNode(t, "Nodes", got, res.Nodes[0])
			checkTime(t, "createdAt after the update", got.CreatedAt, created.CreatedAt)
			if got.UpdatedAt.Before(created.UpdatedAt) {
				t.Errorf("updatedAt went back from %s to %s", created.UpdatedAt.Format(time.RFC3339Nano), got.UpdatedAt.Format(time.RFC3339Nano))
			}
		})
	}
}
