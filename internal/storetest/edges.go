package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// edgeNodes are the ends of everyKindEdges: one node of every kind and a few
// more.
func edgeNodes() []*landscape.Node {
	return append(everyKindNodes(),
		&landscape.Node{ID: "lp-schule", Kind: landscape.LifePhase, Name: "Schule", Order: intp(1), AgeFrom: intp(6), AgeTo: intp(18),
			Source: srcBildungsbericht},
		&landscape.Node{ID: "jobcenter", Kind: landscape.Institution, Name: "MaßArbeit kAöR – Jobcenter Landkreis Osnabrück",
			Category: "JOBCENTER", Source: srcBildungsbericht},
		&landscape.Node{ID: "lk-os.verwaltung", Kind: landscape.Institution, Name: "Kreisverwaltung Landkreis Osnabrück",
			Category: "VERWALTUNG", Source: srcBildungsbericht},
	)
}

// everyKindEdges has one edge of every kind, between ends of allowed kinds,
// with every property.
func everyKindEdges() []*landscape.Edge {
	return []*landscape.Edge{
		{From: "bb-georgsmarienhuette", Kind: landscape.MemberOf, To: "koko-bildung", Role: "OFFICE",
			Description: "Geschäftsstelle der Kooperationskonferenz", Source: srcBildungsbericht, Validity: validity("2015-03-01", "")},
		{ID: "biko-koordiniert-uebergang-kita-schule", From: "lk-os.bildungskoordination", Kind: landscape.Coordinates,
			To: "ue-kita-schule", Source: srcBildungsbericht},
		{From: "lk-os.bildungskoordination", Kind: landscape.ResponsibleFor, To: "sprachfoerderung", Source: srcBildungsbericht,
			Validity: validity("2016-10-01", "2023-12-31")},
		{From: "lk-os.bildungskoordination", Kind: landscape.PartOf, To: "lk-os.verwaltung", Source: srcBildungsbericht},
		{From: "jobcenter", Kind: landscape.CooperatesWith, To: "bb-georgsmarienhuette", Agreement: "Kooperationsvereinbarung 2019",
			Source: srcBildungsbericht, Validity: validity("2019-04-01", "")},
		{From: "stiftungsverbund", Kind: landscape.Funds, To: "sprachfoerderung", Source: srcLvO,
			Description: "Anschubfinanzierung\nim Programm Lernen vor Ort", Validity: validity("2010-01-01", "2013-12-31")},
		{From: "bb-georgsmarienhuette", Kind: landscape.Provides, To: "sprachfoerderung", Source: srcBeispiel, Illustrative: true},
		{From: "sprachfoerderung", Kind: landscape.Supports, To: "ue-kita-schule", Source: srcBildungsbericht},
		{From: "sprachfoerderung", Kind: landscape.Targets, To: "tg-neuzugewanderte", Source: srcBildungsbericht},
		{From: "jobcenter", Kind: landscape.Serves, To: "lk-osnabrueck", Source: srcBildungsbericht},
		{From: "stiftungsverbund", Kind: landscape.LocatedIn, To: "lk-osnabrueck", Source: srcLvO},
		{From: "jobcenter", Kind: landscape.RefersTo, To: "bb-georgsmarienhuette", Description: "Weitervermittlung zur Bildungsberatung",
			Source: srcBildungsbericht},
		{From: "koko-bildung", Kind: landscape.WorksOn, To: "af-uebergaenge", Source: srcBildungsbericht},
		{From: "ue-kita-schule", Kind: landscape.FromPhase, To: "lp-fruehe-bildung", Source: srcBildungsbericht},
		{From: "ue-kita-schule", Kind: landscape.ToPhase, To: "lp-schule", Source: srcBildungsbericht},
	}
}

// wantEdge returns e as a store keeps it: with the id from>KIND>to when it
// names none, and the role MEMBER on a MEMBER_OF edge that names none.
func wantEdge(e *landscape.Edge) *landscape.Edge {
	c := *e
	if c.ID == "" {
		c.ID = c.From + ">" + string(c.Kind) + ">" + c.To
	}
	if c.Kind == landscape.MemberOf && c.Role == "" {
		c.Role = "MEMBER"
	}
	return &c
}

// testEdges checks writing and reading edges.
func testEdges(t *testing.T, open opener) {
	t.Run("EveryKind", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		apply(t, ctx, s, createNodes(edgeNodes()...))
		kinds := map[landscape.EdgeKind]bool{}
		want := map[string]*landscape.Edge{}
		for _, e := range everyKindEdges() {
			kinds[e.Kind] = true
			w := wantEdge(e)
			want[w.ID] = w
		}
		if len(kinds) != len(landscape.EdgeKinds) {
			t.Fatalf("the fixture has %d edge kinds, the domain %d", len(kinds), len(landscape.EdgeKinds))
		}
		clk := startClock()
		res := apply(t, ctx, s, createEdges(everyKindEdges()...))
		if len(res.Nodes)+len(res.DeletedNodes)+len(res.DeletedEdges) != 0 || res.Unchanged != 0 {
			t.Errorf("Result = %s, want only the created edges", describeResult(res))
		}
		checkIDSet(t, "Result.Edges", edgeIDs(res.Edges), mapKeys(want)...)
		written := map[string]*landscape.Edge{}
		for _, e := range res.Edges {
			written[e.ID] = e
			clk.checkStamp(t, "Result edge "+e.ID, e.CreatedAt, e.UpdatedAt)
			if w := want[e.ID]; w != nil {
				checkEdge(t, "Result", e, w)
			}
		}
		got := getEdges(t, ctx, s, nil, append(mapKeys(want), "gibt>PART_OF>es-nicht")...)
		checkIDSet(t, "Edges", mapKeys(got), mapKeys(want)...)
		for id, w := range written {
			checkSameEdge(t, "Edges", got[id], w)
		}
		p := queryEdges(t, ctx, s, landscape.EdgeQuery{})
		checkIDs(t, "QueryEdges", edgeIDs(p.Edges), mapKeys(want)...)
		for _, e := range p.Edges {
			if w := written[e.ID]; w != nil {
				checkSameEdge(t, "QueryEdges", e, w)
			}
		}
		for _, w := range want {
			p := queryEdges(t, ctx, s, landscape.EdgeQuery{Kinds: []landscape.EdgeKind{w.Kind}})
			checkIDs(t, fmt.Sprintf("QueryEdges kinds [%s]", w.Kind), edgeIDs(p.Edges), w.ID)
		}
		// Writing edges leaves their ends as they were.
		for _, n := range getNodes(t, ctx, s, nil, nodeIDs(edgeNodes())...) {
			if !n.UpdatedAt.Equal(n.CreatedAt) {
				t.Errorf("node %s was updated by writing its edges", n.ID)
			}
		}
	})

	t.Run("DefaultIDAndRole", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		apply(t, ctx, s, createNodes(edgeNodes()...))
		res := apply(t, ctx, s, createEdges(
			&landscape.Edge{From: "jobcenter", Kind: landscape.MemberOf, To: "koko-bildung", Source: srcBildungsbericht},
			&landscape.Edge{ID: "vorsitz-koko", From: "lk-os.bildungskoordination", Kind: landscape.MemberOf, To: "koko-bildung",
				Role: "CHAIR", Source: srcBildungsbericht},
		))
		checkIDSet(t, "Result.Edges", edgeIDs(res.Edges), "jobcenter>MEMBER_OF>koko-bildung", "vorsitz-koko")
		member := getEdge(t, ctx, s, "jobcenter>MEMBER_OF>koko-bildung")
		if member.Role != "MEMBER" || member.From != "jobcenter" || member.To != "koko-bildung" || member.Kind != landscape.MemberOf {
			t.Errorf("edge without id and role = %s, want id jobcenter>MEMBER_OF>koko-bildung with role MEMBER", edgeContent(member))
		}
		chair := getEdge(t, ctx, s, "vorsitz-koko")
		if chair.Role != "CHAIR" || chair.From != "lk-os.bildungskoordination" {
			t.Errorf("edge with id and role = %s, want role CHAIR from lk-os.bildungskoordination", edgeContent(chair))
		}
		// Clearing the role gives the default back.
		apply(t, ctx, s, updateEdge("vorsitz-koko", landscape.EdgePatch{Role: landscape.Some("")}))
		if got := getEdge(t, ctx, s, "vorsitz-koko").Role; got != "MEMBER" {
			t.Errorf("role after clearing it = %q, want MEMBER", got)
		}
		// Other kinds take no default role.
		apply(t, ctx, s, createEdges(&landscape.Edge{From: "jobcenter", Kind: landscape.Serves, To: "lk-osnabrueck", Source: srcBildungsbericht}))
		if got := getEdge(t, ctx, s, "jobcenter>SERVES>lk-osnabrueck").Role; got != "" {
			t.Errorf("role of a SERVES edge = %q, want none", got)
		}
	})

	t.Run("EndsMustExist", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		apply(t, ctx, s, createNodes(edgeNodes()...))
		applyFails(t, ctx, s, createEdges(edge("jobcenter", landscape.MemberOf, "kg-bildung")), notFound("edges[0].to"))
		applyFails(t, ctx, s, createEdges(edge("bb-melle", landscape.MemberOf, "koko-bildung")), notFound("edges[0].from"))
		applyFails(t, ctx, s, createEdges(
			edge("jobcenter", landscape.Serves, "lk-osnabrueck"),
			edge("bb-melle", landscape.Serves, "melle"),
		), notFound("edges[1].from"), notFound("edges[1].to"))
		// Ends created in the same changeset exist.
		kg := landscapeNodes()[13]
		res := apply(t, ctx, s, createAll([]*landscape.Node{kg}, []*landscape.Edge{edge("jobcenter", landscape.MemberOf, "kg-bildung")}))
		checkIDs(t, "Result.Edges", edgeIDs(res.Edges), "jobcenter>MEMBER_OF>kg-bildung")
		getEdge(t, ctx, s, "jobcenter>MEMBER_OF>kg-bildung")
	})

	t.Run("WrongEndKinds", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		apply(t, ctx, s, createNodes(edgeNodes()...))
		cases := []struct {
			from string
			kind landscape.EdgeKind
			to   string
			want []problem
		}{
			{"sprachfoerderung", landscape.MemberOf, "koko-bildung", []problem{invalid("edges[0].from")}},      // Offer
			{"lk-os.bildungskoordination", landscape.MemberOf, "jobcenter", []problem{invalid("edges[0].to")}}, // Institution
			{"sprachfoerderung", landscape.Supports, "af-uebergaenge", []problem{invalid("edges[0].to")}},      // Topic
			{"lk-osnabrueck", landscape.FromPhase, "lp-schule", []problem{invalid("edges[0].from")}},           // Region
			{"lk-osnabrueck", landscape.Provides, "lk-os.verwaltung", []problem{invalid("edges[0].from"), invalid("edges[0].to")}},
			{"tg-neuzugewanderte", landscape.Funds, "sprachfoerderung", []problem{invalid("edges[0].from")}},
			{"koko-bildung", landscape.Funds, "tg-neuzugewanderte", []problem{invalid("edges[0].from"), invalid("edges[0].to")}},
			{"jobcenter", landscape.LocatedIn, "lk-os.verwaltung", []problem{invalid("edges[0].to")}},
			{"stiftungsverbund", landscape.RefersTo, "jobcenter", []problem{invalid("edges[0].from")}},
			{"lp-fruehe-bildung", landscape.PartOf, "lp-schule", []problem{invalid("edges[0].from"), invalid("edges[0].to")}},
			{"ue-kita-schule", landscape.ToPhase, "tg-neuzugewanderte", []problem{invalid("edges[0].to")}},
			{"af-uebergaenge", landscape.CooperatesWith, "jobcenter", []problem{invalid("edges[0].from")}},
			{"koko-bildung", landscape.Targets, "lk-osnabrueck", []problem{invalid("edges[0].to")}},
		}
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s_%s_%s", c.from, c.kind, c.to), func(t *testing.T) {
				ctx := testContext(t) // a deadline per subtest
				applyFails(t, ctx, s, createEdges(edge(c.from, c.kind, c.to)), c.want...)
			})
		}
		// The kind of an end created in the same changeset counts.
		t.Run("EndCreatedInTheChangeset", func(t *testing.T) {
			ctx := testContext(t) // a deadline per subtest
			applyFails(t, ctx, s, createAll(
				[]*landscape.Node{{ID: "ak-sprache", Kind: landscape.Topic, Name: "Arbeitskreis Sprache", Source: srcBeispiel}},
				[]*landscape.Edge{edge("jobcenter", landscape.MemberOf, "ak-sprache")},
			), invalid("edges[0].to"))
		})
	})

	t.Run("KindAndEndsImmutable", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		apply(t, ctx, s, createNodes(edgeNodes()...))
		const id = "mitgliedschaft-bb-gmh-koko"
		orig := &landscape.Edge{ID: id, From: "bb-georgsmarienhuette", Kind: landscape.MemberOf, To: "koko-bildung", Source: srcBildungsbericht}
		apply(t, ctx, s, createEdges(orig))
		otherFrom := &landscape.Edge{ID: id, From: "jobcenter", Kind: landscape.MemberOf, To: "koko-bildung", Source: srcBildungsbericht}
		applyFails(t, ctx, s, upsertEdge(otherFrom), invalid("edges[0].id"))
		otherKind := &landscape.Edge{ID: id, From: "bb-georgsmarienhuette", Kind: landscape.Serves, To: "lk-osnabrueck", Source: srcBildungsbericht}
		applyFails(t, ctx, s, upsertEdge(otherKind), invalid("edges[0].id"))
		reversed := &landscape.Edge{ID: id, From: "jobcenter", Kind: landscape.CooperatesWith, To: "bb-georgsmarienhuette", Source: srcBildungsbericht}
		applyFails(t, ctx, s, upsertEdge(reversed), invalid("edges[0].id"))
		applyFails(t, ctx, s, createEdges(orig), conflict("edges[0].id"))
		checkEdge(t, "after the refused changes", getEdge(t, ctx, s, id), wantEdge(orig))
	})

	t.Run("DuplicatesInOneChangeset", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		apply(t, ctx, s, createNodes(edgeNodes()...))
		applyFails(t, ctx, s, createEdges(
			edge("jobcenter", landscape.Serves, "lk-osnabrueck"),
			edge("jobcenter", landscape.Serves, "lk-osnabrueck"),
		), invalid("edges[1].id"))
		applyFails(t, ctx, s, &landscape.Changeset{Edges: []landscape.EdgeChange{
			{Op: landscape.OpCreate, Edge: edge("jobcenter", landscape.Serves, "lk-osnabrueck")},
			{Op: landscape.OpUpsert, Edge: &landscape.Edge{ID: "jobcenter>SERVES>lk-osnabrueck", From: "jobcenter", Kind: landscape.Serves,
				To: "lk-osnabrueck", Source: srcBildungsbericht}},
		}}, invalid("edges[1].id"))

		// Create then update in one changeset is one edge; create then delete none.
		res := apply(t, ctx, s, &landscape.Changeset{Edges: []landscape.EdgeChange{
			{Op: landscape.OpCreate, Edge: edge("jobcenter", landscape.Serves, "lk-osnabrueck")},
			{Op: landscape.OpUpdate, ID: "jobcenter>SERVES>lk-osnabrueck",
				Patch: &landscape.EdgePatch{Description: landscape.Some("Zuständig für den ganzen Landkreis")}},
			{Op: landscape.OpCreate, Edge: edge("jobcenter", landscape.RefersTo, "bb-georgsmarienhuette")},
			{Op: landscape.OpDelete, ID: "jobcenter>REFERS_TO>bb-georgsmarienhuette"},
		}})
		checkIDs(t, "Result.Edges", edgeIDs(res.Edges), "jobcenter>SERVES>lk-osnabrueck")
		checkIDs(t, "Result.DeletedEdges (never stored)", res.DeletedEdges)
		checkIDs(t, "every edge", edgeIDs(takeSnapshot(t, ctx, s).edgeList), "jobcenter>SERVES>lk-osnabrueck")
		want := edge("jobcenter", landscape.Serves, "lk-osnabrueck")
		want.Description = "Zuständig für den ganzen Landkreis"
		checkEdge(t, "created and updated in one changeset", getEdge(t, ctx, s, "jobcenter>SERVES>lk-osnabrueck"), wantEdge(want))
	})

	t.Run("UpsertReplacesOrIsUnchanged", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		apply(t, ctx, s, createNodes(edgeNodes()...))
		firstEdge := &landscape.Edge{From: "bb-georgsmarienhuette", Kind: landscape.MemberOf, To: "koko-bildung",
			Description: "Geschäftsstelle", Source: srcBildungsbericht, Role: "OFFICE", Validity: validity("2015-03-01", "2019-12-31")}
		res := apply(t, ctx, s, upsertEdge(firstEdge))
		if len(res.Edges) != 1 {
			t.Fatalf("upsert of a new edge: Result = %s", describeResult(res))
		}
		created := res.Edges[0]
		checkEdge(t, "created by upsert", created, wantEdge(firstEdge))
		time.Sleep(5 * time.Millisecond)

		second := &landscape.Edge{From: "bb-georgsmarienhuette", Kind: landscape.MemberOf, To: "koko-bildung",
			Source: "Geschäftsordnung der Kooperationskonferenz 2020"}
		res = apply(t, ctx, s, upsertEdge(second))
		if len(res.Edges) != 1 || res.Unchanged != 0 {
			t.Fatalf("upsert of new properties: Result = %s", describeResult(res))
		}
		replaced := res.Edges[0]
		checkEdge(t, "replaced by upsert", replaced, wantEdge(second))
		checkTime(t, "edge createdAt after the replacing upsert", replaced.CreatedAt, created.CreatedAt)
		if !replaced.UpdatedAt.After(created.UpdatedAt) {
			t.Errorf("edge updatedAt %s after the replacing upsert is not after %s",
				replaced.UpdatedAt.Format(time.RFC3339Nano), created.UpdatedAt.Format(time.RFC3339Nano))
		}
		checkSameEdge(t, "Edges after the replacing upsert", getEdge(t, ctx, s, replaced.ID), replaced)

		// The same properties again, the role given or defaulted: unchanged.
		again := wantEdge(second)
		res = apply(t, ctx, s, &landscape.Changeset{Edges: []landscape.EdgeChange{{Op: landscape.OpUpsert, Edge: again}}})
		if res.Unchanged != 1 || !res.Empty() {
			t.Errorf("upsert of identical properties: Result = %s, want unchanged 1", describeResult(res))
		}
		res = apply(t, ctx, s, upsertEdge(second))
		if res.Unchanged != 1 || !res.Empty() {
			t.Errorf("upsert of identical properties with the default role: Result = %s, want unchanged 1", describeResult(res))
		}
		checkSameEdge(t, "Edges after unchanged upserts", getEdge(t, ctx, s, replaced.ID), replaced)
	})

	t.Run("UpdatePatch", func(t *testing.T) { testEdgePatch(t, open) })

	t.Run("Delete", func(t *testing.T) {
		ctx, s := seedLandscape(t, open)
		res := apply(t, ctx, s, deleteEdge(eKooperation))
		checkIDs(t, "Result.DeletedEdges", res.DeletedEdges, eKooperation)
		if len(res.Nodes)+len(res.Edges)+len(res.DeletedNodes) != 0 {
			t.Errorf("Result = %s, want only the deleted edge", describeResult(res))
		}
		checkIDs(t, "Edges of the deleted edge", mapKeys(getEdges(t, ctx, s, nil, eKooperation)))
		checkIDSet(t, "its ends", mapKeys(getNodes(t, ctx, s, nil, "jobcenter", "lk-os.verwaltung")), "jobcenter", "lk-os.verwaltung")
		adj := adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: []string{"jobcenter"}, Direction: landscape.DirBoth})
		checkIDs(t, "Adjacent jobcenter", edgeIDs(adj["jobcenter"]), eJobcenterMemberKoko, eJobcenterRefersBBGmh)
		if n := len(takeSnapshot(t, ctx, s).edgeList); n != len(landscapeEdgeIDs)-1 {
			t.Errorf("%d edges after deleting one of %d", n, len(landscapeEdgeIDs))
		}
	})

	t.Run("ParallelEdges", func(t *testing.T) {
		// The same membership twice, with other roles in other periods.
		s := newStore(t, open)
		ctx := testContext(t)
		apply(t, ctx, s, createNodes(edgeNodes()...))
		apply(t, ctx, s, createEdges(
			&landscape.Edge{ID: "bb-gmh-koko-2015", From: "bb-georgsmarienhuette", Kind: landscape.MemberOf, To: "koko-bildung",
				Role: "CHAIR", Source: srcBildungsbericht, Validity: validity("2015-03-01", "2019-12-31")},
			&landscape.Edge{ID: "bb-gmh-koko-2020", From: "bb-georgsmarienhuette", Kind: landscape.MemberOf, To: "koko-bildung",
				Role: "MEMBER", Source: srcBildungsbericht, Validity: validity("2020-01-01", "")},
			edge("bb-georgsmarienhuette", landscape.MemberOf, "koko-bildung"),
		))
		all := []string{"bb-georgsmarienhuette>MEMBER_OF>koko-bildung", "bb-gmh-koko-2015", "bb-gmh-koko-2020"}
		adj := adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: []string{"bb-georgsmarienhuette", "koko-bildung"}, Direction: landscape.DirBoth})
		checkIDs(t, "Adjacent bb-georgsmarienhuette", edgeIDs(adj["bb-georgsmarienhuette"]), all...)
		checkIDs(t, "Adjacent koko-bildung", edgeIDs(adj["koko-bildung"]), all...)
		adj = adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: []string{"bb-georgsmarienhuette"}, Direction: landscape.DirOut,
			AsOf: date("2018-06-30")})
		checkIDs(t, "Adjacent bb-georgsmarienhuette asOf 2018-06-30", edgeIDs(adj["bb-georgsmarienhuette"]),
			"bb-georgsmarienhuette>MEMBER_OF>koko-bildung", "bb-gmh-koko-2015")
		p := queryEdges(t, ctx, s, landscape.EdgeQuery{Roles: []string{"CHAIR"}})
		checkIDs(t, "QueryEdges roles [CHAIR]", edgeIDs(p.Edges), "bb-gmh-koko-2015")
	})

	t.Run("BothDirections", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		apply(t, ctx, s, createNodes(edgeNodes()...))
		apply(t, ctx, s, createEdges(
			edge("jobcenter", landscape.CooperatesWith, "bb-georgsmarienhuette"),
			edge("bb-georgsmarienhuette", landscape.CooperatesWith, "jobcenter"),
		))
		adj := adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: []string{"jobcenter"}, Direction: landscape.DirOut})
		checkIDs(t, "Adjacent jobcenter OUT", edgeIDs(adj["jobcenter"]), "jobcenter>COOPERATES_WITH>bb-georgsmarienhuette")
		adj = adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: []string{"jobcenter"}, Direction: landscape.DirIn})
		checkIDs(t, "Adjacent jobcenter IN", edgeIDs(adj["jobcenter"]), "bb-georgsmarienhuette>COOPERATES_WITH>jobcenter")
	})

	t.Run("DeleteAndCreateAgainWithOtherEnds", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		apply(t, ctx, s, createNodes(edgeNodes()...))
		const id = "geschaeftsstelle-koko"
		apply(t, ctx, s, createEdges(&landscape.Edge{ID: id, From: "bb-georgsmarienhuette", Kind: landscape.MemberOf, To: "koko-bildung",
			Role: "OFFICE", Source: srcBildungsbericht}))
		// The office moves from the Bildungsbüro to the Jobcenter: the same
		// id, other ends.
		moved := &landscape.Edge{ID: id, From: "jobcenter", Kind: landscape.MemberOf, To: "koko-bildung", Role: "OFFICE", Source: srcBildungsbericht}
		apply(t, ctx, s, &landscape.Changeset{Edges: []landscape.EdgeChange{
			{Op: landscape.OpDelete, ID: id},
			{Op: landscape.OpCreate, Edge: moved},
		}})
		checkEdge(t, "Edges", getEdge(t, ctx, s, id), moved)
		adj := adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: []string{"bb-georgsmarienhuette", "jobcenter", "koko-bildung"},
			Direction: landscape.DirBoth})
		checkIDs(t, "Adjacent of the old end", edgeIDs(adj["bb-georgsmarienhuette"]))
		checkIDs(t, "Adjacent of the new end", edgeIDs(adj["jobcenter"]), id)
		checkIDs(t, "Adjacent of the kept end", edgeIDs(adj["koko-bildung"]), id)
		checkIDs(t, "every edge", edgeIDs(takeSnapshot(t, ctx, s).edgeList), id)

		// And again with another kind.
		referral := &landscape.Edge{ID: id, From: "jobcenter", Kind: landscape.RefersTo, To: "bb-georgsmarienhuette", Source: srcBildungsbericht}
		apply(t, ctx, s, &landscape.Changeset{Edges: []landscape.EdgeChange{
			{Op: landscape.OpDelete, ID: id},
			{Op: landscape.OpCreate, Edge: referral},
		}})
		checkEdge(t, "Edges", getEdge(t, ctx, s, id), referral)
		p := queryEdges(t, ctx, s, landscape.EdgeQuery{Kinds: []landscape.EdgeKind{landscape.MemberOf}})
		checkIDs(t, "MEMBER_OF edges", edgeIDs(p.Edges))
		adj = adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: []string{"koko-bildung", "bb-georgsmarienhuette"}, Direction: landscape.DirBoth})
		checkIDs(t, "Adjacent of the dropped end", edgeIDs(adj["koko-bildung"]))
		checkIDs(t, "Adjacent of the new end", edgeIDs(adj["bb-georgsmarienhuette"]), id)
	})
}

// testEdgePatch sets and clears every property of an edge with a patch. The
// changesets name only the edge, not its ends.
func testEdgePatch(t *testing.T, open opener) {
	membership := func() *landscape.Edge {
		return &landscape.Edge{From: "bb-georgsmarienhuette", Kind: landscape.MemberOf, To: "koko-bildung", Role: "OFFICE",
			Description: "Geschäftsstelle", Source: srcBildungsbericht, Validity: validity("2015-03-01", "2019-12-31")}
	}
	cooperation := func() *landscape.Edge {
		return &landscape.Edge{From: "jobcenter", Kind: landscape.CooperatesWith, To: "bb-georgsmarienhuette",
			Agreement: "Kooperationsvereinbarung 2019", Source: srcBildungsbericht}
	}
	cases := []struct {
		name  string
		base  func() *landscape.Edge
		patch landscape.EdgePatch
		want  func(e *landscape.Edge)
	}{
		{"SetRole", membership, landscape.EdgePatch{Role: landscape.Some("CHAIR")}, func(e *landscape.Edge) { e.Role = "CHAIR" }},
		{"ClearRole", membership, landscape.EdgePatch{Role: landscape.Some("")}, func(e *landscape.Edge) { e.Role = "MEMBER" }},
		{"ClearDescription", membership, landscape.EdgePatch{Description: landscape.Some("")}, func(e *landscape.Edge) { e.Description = "" }},
		{"ClearValidTo", membership, landscape.EdgePatch{ValidTo: landscape.Some[*landscape.Date](nil)},
			func(e *landscape.Edge) { e.ValidTo = nil }},
		{"SetValidity", membership,
			landscape.EdgePatch{ValidFrom: landscape.Some(date("2016-01-01")), ValidTo: landscape.Some(date("2024-06-30"))},
			func(e *landscape.Edge) { e.Validity = validity("2016-01-01", "2024-06-30") }},
		{"SourceAndIllustrative", membership,
			landscape.EdgePatch{Source: landscape.Some(srcBeispiel), Illustrative: landscape.Some(true)},
			func(e *landscape.Edge) { e.Source, e.Illustrative = srcBeispiel, true }},
		{"SetAgreement", cooperation, landscape.EdgePatch{Agreement: landscape.Some("Kooperationsvertrag 2023")},
			func(e *landscape.Edge) { e.Agreement = "Kooperationsvertrag 2023" }},
		{"ClearAgreement", cooperation, landscape.EdgePatch{Agreement: landscape.Some("")}, func(e *landscape.Edge) { e.Agreement = "" }},
		{"SetDescription", cooperation, landscape.EdgePatch{Description: landscape.Some("Gemeinsame Beratung\nam Übergang Schule–Beruf")},
			func(e *landscape.Edge) { e.Description = "Gemeinsame Beratung\nam Übergang Schule–Beruf" }},
	}
	s := newStore(t, open)
	ctx := testContext(t)
	apply(t, ctx, s, createNodes(edgeNodes()...))
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := testContext(t) // a deadline per subtest
			base := c.base()
			base.ID = fmt.Sprintf("%s-%d", base.Kind, i)
			created := apply(t, ctx, s, createEdges(base)).Edges[0]
			time.Sleep(2 * time.Millisecond)
			res := apply(t, ctx, s, updateEdge(base.ID, c.patch))
			want := c.base()
			want.ID = base.ID
			c.want(want)
			if len(res.Edges) != 1 {
				t.Fatalf("Result = %s, want the updated edge", describeResult(res))
			}
			checkEdge(t, "Result", res.Edges[0], want)
			got := getEdge(t, ctx, s, base.ID)
			checkSameEdge(t, "Edges", got, res.Edges[0])
			checkTime(t, "createdAt after the update", got.CreatedAt, created.CreatedAt)
			if !got.UpdatedAt.After(created.UpdatedAt) {
				t.Errorf("updatedAt %s after the update is not after %s", got.UpdatedAt.Format(time.RFC3339Nano),
					created.UpdatedAt.Format(time.RFC3339Nano))
			}
		})
	}
	t.Run("SameValuesIsUnchanged", func(t *testing.T) {
		ctx := testContext(t) // a deadline per subtest
		base := membership()
		base.ID = "unveraendert"
		created := apply(t, ctx, s, createEdges(base)).Edges[0]
		res := apply(t, ctx, s, updateEdge(base.ID, landscape.EdgePatch{Role: landscape.Some("OFFICE"), Source: landscape.Some(srcBildungsbericht)}))
		if res.Unchanged != 1 || !res.Empty() {
			t.Errorf("update to the same values: Result = %s, want unchanged 1", describeResult(res))
		}
		checkSameEdge(t, "after an update to the same values", getEdge(t, ctx, s, base.ID), created)
	})
}
