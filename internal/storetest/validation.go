package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// validationEdges are the edges stored before each validation case.
func validationEdges() []*landscape.Edge {
	return []*landscape.Edge{
		edge("bb-georgsmarienhuette", landscape.MemberOf, "koko-bildung"),
		edge("jobcenter", landscape.Serves, "lk-osnabrueck"),
	}
}

const (
	eValMembership = "bb-georgsmarienhuette>MEMBER_OF>koko-bildung"
	eValServes     = "jobcenter>SERVES>lk-osnabrueck"
)

// kitaSonnenschein is a valid new node; with changes it one thing.
func kitaSonnenschein(change ...func(n *landscape.Node)) *landscape.Node {
	n := &landscape.Node{ID: "kita-sonnenschein", Kind: landscape.Institution, Name: "Kita Sonnenschein", Category: "KITA", Source: srcBeispiel}
	for _, f := range change {
		f(n)
	}
	return n
}

// testValidation checks that invalid changesets are refused with every
// problem at its field path, and write nothing.
func testValidation(t *testing.T, open opener) {
	nodeCases := []struct {
		name string
		cs   *landscape.Changeset
		want []problem
	}{
		{"IDWithSpace", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.ID = "kita sonnenschein" })), []problem{invalid("nodes[0].id")}},
		{"IDWithUmlaut", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.ID = "kita-bürgerpark" })), []problem{invalid("nodes[0].id")}},
		{"IDStartsWithDash", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.ID = "-kita" })), []problem{invalid("nodes[0].id")}},
		{"IDTooLong", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.ID = strings.Repeat("k", 201) })), []problem{invalid("nodes[0].id")}},
		{"IDMissing", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.ID = "  " })), []problem{invalid("nodes[0].id")}},
		{"NameMissing", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.Name = " " })), []problem{invalid("nodes[0].name")}},
		{"NameTooLong", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.Name = strings.Repeat("ä", 301) })), []problem{invalid("nodes[0].name")}},
		{"NameWordTooLong", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.Name = "Kita " + strings.Repeat("ä", landscape.MaxNameWord+1) })),
			[]problem{invalid("nodes[0].name")}},
		{"NameWithNewline", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.Name = "Kita\nSonnenschein" })), []problem{invalid("nodes[0].name")}},
		{"SourceMissing", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.Source = "" })), []problem{invalid("nodes[0].source")}},
		{"UnknownKind", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.Kind = "School" })), []problem{invalid("nodes[0].kind")}},
		{"ValidToBeforeValidFrom", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.Validity = validity("2020-01-01", "2019-12-31") })),
			[]problem{invalid("nodes[0].validTo")}},
		{"CategoryOfAnotherKind", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.Category = "CONFERENCE" })), []problem{invalid("nodes[0].category")}},
		{"CategoryOnKindWithout", createNodes(&landscape.Node{ID: "ue-schule-beruf", Kind: landscape.Transition, Name: "Übergang Schule – Beruf",
			Category: "KITA", Source: srcBildungsbericht}), []problem{invalid("nodes[0].category")}},
		{"UnknownCategory", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.Category = "GESAMTSCHULE" })), []problem{invalid("nodes[0].category")}},
		{"ScopeOnInstitution", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.Scope = landscape.ScopeInternal })), []problem{invalid("nodes[0].scope")}},
		{"MeetingRhythmOnInstitution", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.MeetingRhythm = "monatlich" })),
			[]problem{invalid("nodes[0].meetingRhythm")}},
		{"UnknownScope", createNodes(&landscape.Node{ID: "ak-sprache", Kind: landscape.Committee, Name: "Arbeitskreis Sprache", Scope: "PUBLIC",
			Source: srcBeispiel}), []problem{invalid("nodes[0].scope")}},
		{"OfficialCodeOnInstitution", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.OfficialCode = "03459019" })),
			[]problem{invalid("nodes[0].officialCode")}},
		{"OrderOnTopic", createNodes(&landscape.Node{ID: "af-sprache", Kind: landscape.Topic, Name: "Sprachbildung", Order: intp(1),
			Source: srcBildungsbericht}), []problem{invalid("nodes[0].order")}},
		{"LifePhaseWithoutOrder", createNodes(&landscape.Node{ID: "lp-beruf", Kind: landscape.LifePhase, Name: "Berufliche Bildung",
			Source: srcBildungsbericht}), []problem{invalid("nodes[0].order")}},
		{"OrderOutOfRange", createNodes(&landscape.Node{ID: "lp-beruf", Kind: landscape.LifePhase, Name: "Berufliche Bildung", Order: intp(1001),
			Source: srcBildungsbericht}), []problem{invalid("nodes[0].order")}},
		{"AgesOnActor", createNodes(&landscape.Node{ID: "jugendberufsagentur", Kind: landscape.Actor, Name: "Jugendberufsagentur",
			AgeFrom: intp(15), AgeTo: intp(25), Source: srcBildungsbericht}), []problem{invalid("nodes[0].ageFrom"), invalid("nodes[0].ageTo")}},
		{"AgeToBelowAgeFrom", createNodes(&landscape.Node{ID: "tg-schulkinder", Kind: landscape.TargetGroup, Name: "Schulkinder",
			AgeFrom: intp(18), AgeTo: intp(6), Source: srcBildungsbericht}), []problem{invalid("nodes[0].ageTo")}},
		{"AgeOutOfRange", createNodes(&landscape.Node{ID: "tg-senioren", Kind: landscape.TargetGroup, Name: "Seniorinnen und Senioren",
			AgeFrom: intp(65), AgeTo: intp(131), Source: srcBildungsbericht}), []problem{invalid("nodes[0].ageTo")}},
		{"URLNotHTTP", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.URL = "ftp://kita-sonnenschein.example" })), []problem{invalid("nodes[0].url")}},
		{"URLWithoutScheme", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.URL = "www.kita-sonnenschein.example" })), []problem{invalid("nodes[0].url")}},
		{"ContactEmailNoAddress", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.ContactEmail = "Kita Sonnenschein <kita@example>" })), []problem{invalid("nodes[0].contactEmail")}},
		{"ContactPhoneLetters", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.ContactPhone = "0541 KITA" })), []problem{invalid("nodes[0].contactPhone")}},
		{"ContactOnARegion", createNodes(&landscape.Node{ID: "gm-bramsche", Kind: landscape.Region, Name: "Bramsche", Source: srcStatistik,
			ContactEmail: "rathaus@example.org"}), []problem{invalid("nodes[0].contactEmail")}},
		{"AliasTwice", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.Aliases = []string{"Sonnenschein", "Kita SoSo", "Sonnenschein"} })),
			[]problem{invalid("nodes[0].aliases[2]")}},
		{"TooManyAliases", createNodes(kitaSonnenschein(func(n *landscape.Node) {
			for i := range 101 {
				n.Aliases = append(n.Aliases, fmt.Sprintf("Sonnenschein %d", i))
			}
		})), []problem{invalid("nodes[0].aliases")}},
		{"CreateExisting", createNodes(landscapeNodes()[6]), []problem{conflict("nodes[0].id")}},
		{"CreateExistingPaddedID", createNodes(kitaSonnenschein(func(n *landscape.Node) { n.ID = " bb-georgsmarienhuette " })),
			[]problem{conflict("nodes[0].id")}},
		{"DefinedTwice", createNodes(kitaSonnenschein(), kitaSonnenschein()), []problem{invalid("nodes[1].id")}},
		{"CreateAndUpsertTheSame", &landscape.Changeset{Nodes: []landscape.NodeChange{
			{Op: landscape.OpUpsert, Node: kitaSonnenschein()}, {Op: landscape.OpCreate, Node: kitaSonnenschein()}}},
			[]problem{invalid("nodes[1].id")}},
		{"UpsertChangesKind", upsertNode(&landscape.Node{ID: "bb-georgsmarienhuette", Kind: landscape.Region, Name: "Bildungsbüro-Gebiet Georgsmarienhütte",
			Category: "BILDUNGSBUERO_AREA", Source: srcBildungsbericht}), []problem{invalid("nodes[0].kind")}},
		{"UpdateMissing", updateNode("bb-osnabrueck", landscape.NodePatch{Name: landscape.Some("Bildungsbüro Osnabrück")}),
			[]problem{notFound("nodes[0].id")}},
		{"DeleteMissing", deleteNode("bb-osnabrueck"), []problem{notFound("nodes[0].id")}},
		{"DeleteTwice", &landscape.Changeset{Nodes: []landscape.NodeChange{
			{Op: landscape.OpDelete, ID: "jobcenter"}, {Op: landscape.OpDelete, ID: "jobcenter"}}}, []problem{notFound("nodes[1].id")}},
		{"UpdateMakesValidityInvalid", updateNode("bb-georgsmarienhuette", landscape.NodePatch{ValidTo: landscape.Some(date("2008-12-31"))}),
			[]problem{invalid("nodes[0].validTo")}},
		{"UpdateSetsForeignAttribute", updateNode("bb-georgsmarienhuette", landscape.NodePatch{Scope: landscape.Some(landscape.ScopeInternal)}),
			[]problem{invalid("nodes[0].scope")}},
		{"UpdateClearsName", updateNode("bb-georgsmarienhuette", landscape.NodePatch{Name: landscape.Some("")}), []problem{invalid("nodes[0].name")}},
		{"UnknownOp", &landscape.Changeset{Nodes: []landscape.NodeChange{{Op: "MERGE", Node: kitaSonnenschein()}}}, []problem{invalid("nodes[0].op")}},
		{"CreateWithoutNode", &landscape.Changeset{Nodes: []landscape.NodeChange{{Op: landscape.OpCreate, ID: "kita-sonnenschein"}}},
			[]problem{invalid("nodes[0]")}},
		{"SecondChangeFails", createNodes(kitaSonnenschein(), &landscape.Node{ID: "kita-mond", Kind: landscape.Institution, Name: "Kita Mond",
			Source: srcBeispiel, Category: "KINDERGARTEN"}), []problem{invalid("nodes[1].category")}},
	}

	withEdge := func(change func(e *landscape.Edge)) *landscape.Edge {
		e := edge("jobcenter", landscape.MemberOf, "koko-bildung")
		change(e)
		return e
	}
	edgeCases := []struct {
		name string
		cs   *landscape.Changeset
		want []problem
	}{
		{"EdgeIDInvalid", createEdges(withEdge(func(e *landscape.Edge) { e.ID = "mitgliedschaft jobcenter" })), []problem{invalid("edges[0].id")}},
		// The default id made of a bad end is bad too.
		{"EdgeFromInvalidID", createEdges(withEdge(func(e *landscape.Edge) { e.From = "job center" })),
			[]problem{invalid("edges[0].from"), invalid("edges[0].id")}},
		{"EdgeFromInvalidIDWithID", createEdges(withEdge(func(e *landscape.Edge) { e.ID, e.From = "mitgliedschaft-jobcenter", "job center" })),
			[]problem{invalid("edges[0].from")}},
		{"EdgeToMissing", createEdges(withEdge(func(e *landscape.Edge) { e.To = "kg-bildung" })), []problem{notFound("edges[0].to")}},
		{"EdgeToMissingEnd", createEdges(withEdge(func(e *landscape.Edge) { e.To = "" })), []problem{invalid("edges[0].to")}},
		{"EdgeToNodeDeletedInTheChangeset", withNodes(createEdges(edge("jobcenter", landscape.MemberOf, "koko-bildung")),
			landscape.NodeChange{Op: landscape.OpDelete, ID: "koko-bildung"}), []problem{notFound("edges[0].to")}},
		{"EdgeUpdateAtNodeDeletedInTheChangeset", withNodes(updateEdge(eValMembership, landscape.EdgePatch{Role: landscape.Some("CHAIR")}),
			landscape.NodeChange{Op: landscape.OpDelete, ID: "bb-georgsmarienhuette"}), []problem{notFound("edges[0].from")}},
		{"SelfLoop", createEdges(edge("jobcenter", landscape.RefersTo, "jobcenter")), []problem{invalid("edges[0].to")}},
		{"UnknownEdgeKind", createEdges(withEdge(func(e *landscape.Edge) { e.Kind = "KNOWS" })), []problem{invalid("edges[0].kind")}},
		{"RoleOnOtherKind", createEdges(withEdge(func(e *landscape.Edge) { e.Kind, e.To, e.Role = landscape.Serves, "lk-osnabrueck", "CHAIR" })),
			[]problem{invalid("edges[0].role")}},
		{"UnknownRole", createEdges(withEdge(func(e *landscape.Edge) { e.Role = "PRESIDENT" })), []problem{invalid("edges[0].role")}},
		{"AgreementOnOtherKind", createEdges(withEdge(func(e *landscape.Edge) { e.Agreement = "Kooperationsvertrag" })),
			[]problem{invalid("edges[0].agreement")}},
		{"EdgeSourceMissing", createEdges(withEdge(func(e *landscape.Edge) { e.Source = "  " })), []problem{invalid("edges[0].source")}},
		{"EdgeValidToBeforeValidFrom", createEdges(withEdge(func(e *landscape.Edge) { e.Validity = validity("2020-08-01", "2020-07-31") })),
			[]problem{invalid("edges[0].validTo")}},
		{"CreateExistingEdge", createEdges(edge("bb-georgsmarienhuette", landscape.MemberOf, "koko-bildung")), []problem{conflict("edges[0].id")}},
		{"UpdateMissingEdge", updateEdge("jobcenter>MEMBER_OF>koko-bildung", landscape.EdgePatch{Role: landscape.Some("CHAIR")}),
			[]problem{notFound("edges[0].id")}},
		{"DeleteMissingEdge", deleteEdge("jobcenter>MEMBER_OF>koko-bildung"), []problem{notFound("edges[0].id")}},
		{"PatchRoleOnOtherKind", updateEdge(eValServes, landscape.EdgePatch{Role: landscape.Some("CHAIR")}), []problem{invalid("edges[0].role")}},
		{"PatchValidityInvalid", updateEdge(eValMembership, landscape.EdgePatch{ValidFrom: landscape.Some(date("2020-01-01")),
			ValidTo: landscape.Some(date("2019-01-01"))}), []problem{invalid("edges[0].validTo")}},
		{"UnknownEdgeOp", &landscape.Changeset{Edges: []landscape.EdgeChange{{Op: "MERGE", Edge: edge("jobcenter", landscape.MemberOf, "koko-bildung")}}},
			[]problem{invalid("edges[0].op")}},
		{"CreateWithoutEdge", &landscape.Changeset{Edges: []landscape.EdgeChange{{Op: landscape.OpCreate, ID: "jobcenter>MEMBER_OF>koko-bildung"}}},
			[]problem{invalid("edges[0]")}},
	}

	// Each group shares one store; a store is open at a time.
	seed := func(t *testing.T) (context.Context, landscape.Store) {
		s := newStore(t, open)
		ctx := testContext(t)
		apply(t, ctx, s, createAll(edgeNodes(), validationEdges()))
		return ctx, s
	}
	// A case that fails may have changed the store: the next case starts
	// on a fresh one, so that failures do not cascade.
	t.Run("Nodes", func(t *testing.T) {
		_, s := seed(t)
		for _, c := range nodeCases {
			if !t.Run(c.name, func(t *testing.T) { applyFails(t, testContext(t), s, c.cs, c.want...) }) {
				_, s = seed(t)
			}
		}
	})
	t.Run("Edges", func(t *testing.T) {
		_, s := seed(t)
		for _, c := range edgeCases {
			if !t.Run(c.name, func(t *testing.T) { applyFails(t, testContext(t), s, c.cs, c.want...) }) {
				_, s = seed(t)
			}
		}
	})

	t.Run("SeveralProblems", func(t *testing.T) {
		ctx, s := seed(t)
		cs := &landscape.Changeset{
			Nodes: []landscape.NodeChange{
				{Op: landscape.OpCreate, Node: kitaSonnenschein()}, // valid
				{Op: landscape.OpCreate, Node: kitaSonnenschein(func(n *landscape.Node) { n.ID = "kita am see" })},
				{Op: landscape.OpCreate, Node: &landscape.Node{ID: "melle", Kind: landscape.Region, Name: "Melle", Category: "STADT",
					Source: srcStatistik, Validity: validity("2020-01-01", "2019-12-31")}},
				{Op: landscape.OpCreate, Node: &landscape.Node{ID: "kita-leitung", Kind: landscape.Actor, Name: "Kita-Leitung", Category: "KITA",
					Source: srcBeispiel}},
				{Op: landscape.OpCreate, Node: &landscape.Node{ID: "af-uebergang", Kind: landscape.Topic, Name: "Übergänge", Scope: landscape.ScopeInternal,
					Source: srcBeispiel}},
				{Op: landscape.OpCreate, Node: landscapeNodes()[6]}, // bb-georgsmarienhuette exists
				{Op: landscape.OpUpdate, ID: "bb-osnabrueck", Patch: &landscape.NodePatch{Name: landscape.Some("Bildungsbüro Osnabrück")}},
				{Op: landscape.OpDelete, ID: "koko-bildung"}, // valid
			},
			Edges: []landscape.EdgeChange{
				{Op: landscape.OpCreate, Edge: edge("kita-sonnenschein", landscape.Provides, "sprachkurs")},
				{Op: landscape.OpCreate, Edge: edge("kita-sonnenschein", landscape.MemberOf, "lk-osnabrueck")},
				{Op: landscape.OpCreate, Edge: edge("jobcenter", landscape.MemberOf, "koko-bildung")},
				{Op: landscape.OpCreate, Edge: withEdge(func(e *landscape.Edge) {
					e.From, e.Kind, e.To, e.Role = "kita-sonnenschein", landscape.Serves, "lk-osnabrueck", "CHAIR"
				})},
				{Op: landscape.OpDelete, ID: "gibt>SERVES>es-nicht"},
				{Op: landscape.OpCreate, Edge: edge("jobcenter", landscape.RefersTo, "kita-sonnenschein")}, // valid
			},
		}
		applyFails(t, ctx, s, cs,
			invalid("nodes[1].id"),
			invalid("nodes[2].validTo"),
			invalid("nodes[3].category"),
			invalid("nodes[4].scope"),
			conflict("nodes[5].id"),
			notFound("nodes[6].id"),
			notFound("edges[0].to"),
			invalid("edges[1].to"),
			notFound("edges[2].to"),
			invalid("edges[3].role"),
			notFound("edges[4].id"),
		)
		checkIDs(t, "Nodes of the refused changeset", mapKeys(getNodes(t, ctx, s, nil, "kita-sonnenschein", "koko-bildung")), "koko-bildung")
	})

	t.Run("Limits", func(t *testing.T) {
		// Values at the limits are accepted and read back as they are.
		long := strings.Repeat("a", 199) + "z"
		nodes := []*landscape.Node{
			{ID: long, Kind: landscape.Institution, Category: "SONSTIGE", Source: srcBeispiel, // 300 characters, words of MaxNameWord letters
				Name: strings.Repeat("ä", landscape.MaxNameWord) + " " + strings.Repeat("ä", landscape.MaxNameWord) + " " + strings.Repeat("ä", 298-2*landscape.MaxNameWord)},
			{ID: "lk-os.bildung_buero:2024~a>b", Kind: landscape.Offer, Name: "Punkt.Unterstrich_Doppelpunkt:Tilde~Pfeil>",
				Description: "Zeile 1\nZeile 2\r\n\tEingerückt", Source: srcBeispiel, Validity: validity("2024-02-29", "2024-02-29"),
				URL: "http://localhost:8080/pfad?frage=1&b=ü#anker"},
			{ID: "0-lebensphase", Kind: landscape.LifePhase, Name: "Ganz früh", Order: intp(0), AgeFrom: intp(0), AgeTo: intp(0),
				Source: srcBeispiel},
			{ID: "Z-lebensphase", Kind: landscape.LifePhase, Name: "Ganz spät", Order: intp(1000), AgeFrom: intp(130), AgeTo: intp(130),
				Source: srcBeispiel},
			{ID: "tg-quote", Kind: landscape.TargetGroup, Name: `Eltern "ohne" Deutschkenntnisse; 'Zitat' \ Backslash`,
				Aliases: []string{`$param`, `{"json": true}`, "` OR 1=1 //"}, Source: `Quelle mit "Anführungszeichen"`},
		}
		s := newStore(t, open)
		ctx := testContext(t)
		apply(t, ctx, s, createAll(nodes, []*landscape.Edge{
			{ID: "x", From: long, Kind: landscape.Provides, To: "lk-os.bildung_buero:2024~a>b", Source: srcBeispiel},
		}))
		got := getNodes(t, ctx, s, nil, nodeIDs(nodes)...)
		for _, n := range nodes {
			checkNode(t, "Nodes", got[n.ID], n)
		}
		checkEdge(t, "Edges", getEdge(t, ctx, s, "x"), &landscape.Edge{ID: "x", From: long, Kind: landscape.Provides,
			To: "lk-os.bildung_buero:2024~a>b", Source: srcBeispiel})
		p := queryNodes(t, ctx, s, landscape.NodeQuery{Filter: &landscape.Filter{Field: landscape.FieldAlias, Operator: landscape.Eq,
			Values: []string{"` OR 1=1 //"}}})
		checkIDs(t, "alias with quotes", nodeIDs(p.Nodes), "tg-quote")
	})
}

// withNodes adds node changes to cs.
func withNodes(cs *landscape.Changeset, changes ...landscape.NodeChange) *landscape.Changeset {
	cs.Nodes = append(cs.Nodes, changes...)
	return cs
}

// testAtomicity checks that a refused or interrupted changeset writes nothing.
func testAtomicity(t *testing.T, open opener) {
	t.Run("LastEdgeChangeFails", func(t *testing.T) {
		ctx, s := seedLandscape(t, open)
		applyFails(t, ctx, s, &landscape.Changeset{
			Nodes: []landscape.NodeChange{
				{Op: landscape.OpCreate, Node: kitaSonnenschein()},
				{Op: landscape.OpUpdate, ID: "bb-melle", Patch: &landscape.NodePatch{ValidTo: landscape.Some(date("2024-12-31"))}},
				{Op: landscape.OpUpsert, Node: kitaSonnenschein(func(n *landscape.Node) { n.ID, n.Name = "kita-regenbogen", "Kita Regenbogen e. V." })},
				{Op: landscape.OpDelete, ID: "bb-bramsche"},
				{Op: landscape.OpDelete, ID: "jobcenter"}, // with its edges
			},
			Edges: []landscape.EdgeChange{
				{Op: landscape.OpCreate, Edge: edge("kita-sonnenschein", landscape.MemberOf, "koko-bildung")},
				{Op: landscape.OpUpdate, ID: eBBGmhMemberOfKoko, Patch: &landscape.EdgePatch{Role: landscape.Some("CHAIR")}},
				{Op: landscape.OpUpsert, Edge: edge("lk-osnabrueck", landscape.PartOf, "ni")}, // role-less, unchanged
				{Op: landscape.OpDelete, ID: eKGCoordinatesKoko},
				{Op: landscape.OpCreate, Edge: edge("kita-sonnenschein", landscape.Provides, "sprachkurs-plus")},
			},
		}, notFound("edges[4].to"))
	})

	t.Run("LastNodeChangeFails", func(t *testing.T) {
		ctx, s := seedLandscape(t, open)
		applyFails(t, ctx, s, &landscape.Changeset{
			Nodes: []landscape.NodeChange{
				{Op: landscape.OpCreate, Node: kitaSonnenschein()},
				{Op: landscape.OpDelete, ID: "koko-bildung"},
				{Op: landscape.OpUpdate, ID: "kg-bildung", Patch: &landscape.NodePatch{Scope: landscape.Some(landscape.ScopeExternal)}},
				{Op: landscape.OpUpdate, ID: "kg-bildung-alt", Patch: &landscape.NodePatch{Scope: landscape.Some(landscape.ScopeExternal)}},
			},
		}, notFound("nodes[3].id"))
	})

	t.Run("ExpiredDeadline", func(t *testing.T) {
		// A write that runs past its deadline either fails with ETimeout and
		// writes nothing, or succeeds completely.
		ctx, s := seedLandscape(t, open)
		before := takeSnapshot(t, ctx, s)
		expired, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel()
		cs := &landscape.Changeset{
			Nodes: []landscape.NodeChange{{Op: landscape.OpCreate, Node: kitaSonnenschein()}, {Op: landscape.OpDelete, ID: "jobcenter"}},
			Edges: []landscape.EdgeChange{{Op: landscape.OpCreate, Edge: edge("kita-sonnenschein", landscape.MemberOf, "koko-bildung")}},
		}
		_, err := s.Apply(expired, cs)
		if err != nil {
			checkError(t, "Apply past the deadline", err, landscape.ETimeout, "")
			checkUnchanged(t, before, takeSnapshot(t, ctx, s))
		} else {
			checkIDs(t, "Nodes after Apply past the deadline succeeded", mapKeys(getNodes(t, ctx, s, nil, "kita-sonnenschein", "jobcenter")),
				"kita-sonnenschein")
			getEdge(t, ctx, s, "kita-sonnenschein>MEMBER_OF>koko-bildung")
		}
		reads := map[string]func() error{
			"Ping":  func() error { return s.Ping(expired) },
			"Nodes": func() error { _, err := s.Nodes(expired, []string{"gmh"}, nil); return err },
			"Edges": func() error { _, err := s.Edges(expired, []string{eGmhPartOfLK}, nil); return err },
			"QueryNodes": func() error {
				_, err := s.QueryNodes(expired, landscape.NodeQuery{})
				return err
			},
			"QueryEdges": func() error {
				_, err := s.QueryEdges(expired, landscape.EdgeQuery{})
				return err
			},
			"Adjacent": func() error {
				_, err := s.Adjacent(expired, landscape.AdjacencyQuery{NodeIDs: []string{"gmh"}, Direction: landscape.DirBoth})
				return err
			},
		}
		for name, read := range reads {
			if err := read(); err != nil {
				checkError(t, name+" past the deadline", err, landscape.ETimeout, "")
			}
		}
	})
}
