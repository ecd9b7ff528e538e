package storetest

// The conformance cases of internal/analysis: the analyses are written once
// over landscape.Store, so every store must give the same answers. The
// fixtures are small and every expected answer is computed by hand in the
// comment next to it.

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/analysis"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// testAnalysis runs the analysis cases.
func testAnalysis(t *testing.T, open func(t *testing.T) landscape.Store) {
	t.Run("Load", func(t *testing.T) { testAnalysisLoad(t, open) })
	t.Run("Coverage", func(t *testing.T) { testAnalysisCoverage(t, open) })
	t.Run("CoverageRegions", func(t *testing.T) { testAnalysisCoverageRegions(t, open) })
	t.Run("CoverageErrors", func(t *testing.T) { testAnalysisCoverageErrors(t, open) })
	t.Run("Coordinators", func(t *testing.T) { testAnalysisCoordinators(t, open) })
	t.Run("Paths", func(t *testing.T) { testAnalysisPaths(t, open) })
	t.Run("Centrality", func(t *testing.T) { testAnalysisCentrality(t, open) })
}

// ---------------------------------------------------------------------------
// Constructors (prefixed: the other files of the suite own the short names).

func anNode(id string, kind landscape.NodeKind, name string) *landscape.Node {
	return &landscape.Node{ID: id, Kind: kind, Name: name, Source: srcBeispiel, Illustrative: true}
}

func anValid(n *landscape.Node, from, to string) *landscape.Node {
	n.Validity = validity(from, to)
	return n
}

func anPhase(id, name string, order int) *landscape.Node {
	n := anNode(id, landscape.LifePhase, name)
	n.Order = intp(order)
	return n
}

func anEdge(from string, kind landscape.EdgeKind, to string) *landscape.Edge {
	return &landscape.Edge{From: from, Kind: kind, To: to, Source: srcBeispiel, Illustrative: true}
}

func anRole(from, to, role string) *landscape.Edge {
	e := anEdge(from, landscape.MemberOf, to)
	e.Role = role
	return e
}

// anStore opens a store, checks it is empty and writes the fixture.
func anStore(t *testing.T, open opener, fixture func() ([]*landscape.Node, []*landscape.Edge)) (context.Context, landscape.Store) {
	t.Helper()
	nodes, edges := fixture()
	s := newStore(t, open)
	ctx := testContext(t)
	apply(t, ctx, s, createAll(nodes, edges))
	return ctx, s
}

func anIDs(ns []*landscape.Node) []string {
	ids := make([]string, len(ns))
	for i, n := range ns {
		if n == nil {
			ids[i] = "<nil>"
			continue
		}
		ids[i] = n.ID
	}
	return ids
}

func anCheck(t *testing.T, what string, got, want any) {
	t.Helper()
	if g, w := fmt.Sprint(got), fmt.Sprint(want); g != w {
		t.Errorf("%s:\n got  %s\n want %s", what, g, w)
	}
}

func anClose(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %.12f, want %.12f", what, got, want)
	}
}

// anCounting counts the read round trips of an analysis.
type anCounting struct {
	landscape.Store
	calls int
}

func (c *anCounting) Nodes(ctx context.Context, ids []string, asOf *landscape.Date) (map[string]*landscape.Node, error) {
	c.calls++
	return c.Store.Nodes(ctx, ids, asOf)
}

func (c *anCounting) QueryNodes(ctx context.Context, q landscape.NodeQuery) (*landscape.NodePage, error) {
	c.calls++
	return c.Store.QueryNodes(ctx, q)
}

func (c *anCounting) Edges(ctx context.Context, ids []string, asOf *landscape.Date) (map[string]*landscape.Edge, error) {
	c.calls++
	return c.Store.Edges(ctx, ids, asOf)
}

func (c *anCounting) QueryEdges(ctx context.Context, q landscape.EdgeQuery) (*landscape.EdgePage, error) {
	c.calls++
	return c.Store.QueryEdges(ctx, q)
}

func (c *anCounting) Adjacent(ctx context.Context, q landscape.AdjacencyQuery) (map[string][]*landscape.Edge, error) {
	c.calls++
	return c.Store.Adjacent(ctx, q)
}

func (c *anCounting) Neighbours(ctx context.Context, q landscape.AdjacencyQuery) (*landscape.Adjacency, error) {
	c.calls++
	return c.Store.Neighbours(ctx, q)
}

func (c *anCounting) Expand(ctx context.Context, q landscape.ExpandQuery) (*landscape.Expansion, error) {
	c.calls++
	return c.Store.Expand(ctx, q)
}

// ---------------------------------------------------------------------------
// The chain fixture: a Kreis with two Gemeinden and a Förderkette
// Kita → Grundschule → Sekundarstufe I, with deliberate gaps.
//
//	regions      kreis "Kreis Beispiel"; nord "Nord", sued "Süd" PART_OF kreis;
//	             nord.mitte "Nord-Mitte" PART_OF nord
//	phases       ph.kita "Kita" 10, ph.gs "Grundschule" 20, ph.sek "Sekundarstufe I" 30
//	transitions  ue.kita-gs  Kita → Grundschule          "Übergang Kita → Grundschule"
//	             ue.gs-sek   Grundschule → Sek I          "Übergang Grundschule → Sekundarstufe I"
//	             ue.kita-sek Kita → Sek I (skips a phase) "Übergang Kita → Sekundarstufe I"
//	             ue.sek-kita Sek I → Kita (back in order) "Rückkehr in die Kita"
//	groups       tg.kinder "Kinder", tg.eltern "Eltern"
//	providers    kita-nord "Kita Nord", gs-nord "Grundschule Nord" (LOCATED_IN nord),
//	             gs-sued "Grundschule Süd", verein-sued "Verein Süd" (until 2021-12-31)
//	             (LOCATED_IN sued); gs-nord.ssa "Schulsozialarbeit Grundschule Nord"
//	             PART_OF gs-nord
//	others       koordination "Bildungskoordination" (SERVES kreis), ak-uebergang
//	             "AK Übergang", netzwerk-sued "Netzwerk Süd" (SERVES sued,
//	             COORDINATES ph.gs), thema.uebergang "Übergänge"
//
// Offers (SUPPORTS / TARGETS / SERVES / provider):
//
//	o.kita-kreis  "Sprachbildung Kita"        ph.kita    kinder  kreis       kita-nord; COORDINATED by koordination
//	o.lotse-nord  "Kita-Lotsen Nord"          ue.kita-gs kinder  nord.mitte  kita-nord
//	o.bruecke-sued "Brückenjahr Süd"          ue.kita-gs kinder  sued        —          (offer until 2020-07-31)
//	o.paten-sued  "Lesepaten Süd"             ue.kita-gs kinder  sued        verein-sued (provider until 2021-12-31)
//	o.gs-nord     "Lernwerkstatt Nord"        ph.gs      kinder  nord        gs-nord
//	o.gs-sued     "Hausaufgabenhilfe Süd"     ph.gs      (none)  sued        gs-sued
//	o.eltern      "Elternkurs"                ph.gs      eltern  kreis       —
//	o.sek-nord    "Berufsorientierung Nord"   ph.sek     kinder  nord        gs-nord
//	o.plan-sued   "Berufsorientierung Süd"    ph.sek     kinder  sued        —          (from 2030-01-01)
//
// Further edges: kita-nord COOPERATES_WITH gs-nord; gs-nord MEMBER_OF
// ak-uebergang (CHAIR); koordination MEMBER_OF ak-uebergang (OFFICE);
// ak-uebergang WORKS_ON thema.uebergang; koordination RESPONSIBLE_FOR
// thema.uebergang.
func chainFixture() ([]*landscape.Node, []*landscape.Edge) {
	L := landscape.Region
	kreis := anNode("kreis", L, "Kreis Beispiel")
	kreis.Category = "LANDKREIS"
	nodes := []*landscape.Node{
		kreis, anNode("nord", L, "Nord"), anNode("sued", L, "Süd"), anNode("nord.mitte", L, "Nord-Mitte"),
		anPhase("ph.kita", "Kita", 10), anPhase("ph.gs", "Grundschule", 20), anPhase("ph.sek", "Sekundarstufe I", 30),
		anNode("ue.kita-gs", landscape.Transition, "Übergang Kita → Grundschule"),
		anNode("ue.gs-sek", landscape.Transition, "Übergang Grundschule → Sekundarstufe I"),
		anNode("ue.kita-sek", landscape.Transition, "Übergang Kita → Sekundarstufe I"),
		anNode("ue.sek-kita", landscape.Transition, "Rückkehr in die Kita"),
		anNode("tg.kinder", landscape.TargetGroup, "Kinder"), anNode("tg.eltern", landscape.TargetGroup, "Eltern"),
		anNode("kita-nord", landscape.Institution, "Kita Nord"), anNode("gs-nord", landscape.Institution, "Grundschule Nord"),
		anNode("gs-sued", landscape.Institution, "Grundschule Süd"),
		anValid(anNode("verein-sued", landscape.Institution, "Verein Süd"), "", "2021-12-31"),
		anNode("gs-nord.ssa", landscape.Actor, "Schulsozialarbeit Grundschule Nord"),
		anNode("koordination", landscape.Actor, "Bildungskoordination"),
		anNode("ak-uebergang", landscape.Committee, "AK Übergang"), anNode("netzwerk-sued", landscape.Committee, "Netzwerk Süd"),
		anNode("thema.uebergang", landscape.Topic, "Übergänge"),
		anNode("o.kita-kreis", landscape.Offer, "Sprachbildung Kita"),
		anNode("o.lotse-nord", landscape.Offer, "Kita-Lotsen Nord"),
		anValid(anNode("o.bruecke-sued", landscape.Offer, "Brückenjahr Süd"), "2016-08-01", "2020-07-31"),
		anNode("o.paten-sued", landscape.Offer, "Lesepaten Süd"),
		anNode("o.gs-nord", landscape.Offer, "Lernwerkstatt Nord"),
		anNode("o.gs-sued", landscape.Offer, "Hausaufgabenhilfe Süd"),
		anNode("o.eltern", landscape.Offer, "Elternkurs"),
		anNode("o.sek-nord", landscape.Offer, "Berufsorientierung Nord"),
		anValid(anNode("o.plan-sued", landscape.Offer, "Berufsorientierung Süd"), "2030-01-01", ""),
	}
	P, S, T, V := landscape.PartOf, landscape.Supports, landscape.Targets, landscape.Serves
	edges := []*landscape.Edge{
		anEdge("nord", P, "kreis"), anEdge("sued", P, "kreis"), anEdge("nord.mitte", P, "nord"),
		anEdge("ue.kita-gs", landscape.FromPhase, "ph.kita"), anEdge("ue.kita-gs", landscape.ToPhase, "ph.gs"),
		anEdge("ue.gs-sek", landscape.FromPhase, "ph.gs"), anEdge("ue.gs-sek", landscape.ToPhase, "ph.sek"),
		anEdge("ue.kita-sek", landscape.FromPhase, "ph.kita"), anEdge("ue.kita-sek", landscape.ToPhase, "ph.sek"),
		anEdge("ue.sek-kita", landscape.FromPhase, "ph.sek"), anEdge("ue.sek-kita", landscape.ToPhase, "ph.kita"),
		anEdge("kita-nord", landscape.LocatedIn, "nord"), anEdge("gs-nord", landscape.LocatedIn, "nord"),
		anEdge("gs-sued", landscape.LocatedIn, "sued"), anEdge("verein-sued", landscape.LocatedIn, "sued"),
		anEdge("gs-nord.ssa", P, "gs-nord"),
		anEdge("koordination", V, "kreis"), anEdge("netzwerk-sued", V, "sued"),
		anEdge("netzwerk-sued", landscape.Coordinates, "ph.gs"),
		anEdge("kita-nord", landscape.CooperatesWith, "gs-nord"),
		anRole("gs-nord", "ak-uebergang", "CHAIR"), anRole("koordination", "ak-uebergang", "OFFICE"),
		anEdge("ak-uebergang", landscape.WorksOn, "thema.uebergang"),
		anEdge("koordination", landscape.ResponsibleFor, "thema.uebergang"),

		anEdge("o.kita-kreis", S, "ph.kita"), anEdge("o.kita-kreis", T, "tg.kinder"), anEdge("o.kita-kreis", V, "kreis"),
		anEdge("kita-nord", landscape.Provides, "o.kita-kreis"), anEdge("koordination", landscape.Coordinates, "o.kita-kreis"),
		anEdge("o.lotse-nord", S, "ue.kita-gs"), anEdge("o.lotse-nord", T, "tg.kinder"), anEdge("o.lotse-nord", V, "nord.mitte"),
		anEdge("kita-nord", landscape.Provides, "o.lotse-nord"),
		anEdge("o.bruecke-sued", S, "ue.kita-gs"), anEdge("o.bruecke-sued", T, "tg.kinder"), anEdge("o.bruecke-sued", V, "sued"),
		anEdge("o.paten-sued", S, "ue.kita-gs"), anEdge("o.paten-sued", T, "tg.kinder"), anEdge("o.paten-sued", V, "sued"),
		anEdge("verein-sued", landscape.Provides, "o.paten-sued"),
		anEdge("o.gs-nord", S, "ph.gs"), anEdge("o.gs-nord", T, "tg.kinder"), anEdge("o.gs-nord", V, "nord"),
		anEdge("gs-nord", landscape.Provides, "o.gs-nord"),
		anEdge("o.gs-sued", S, "ph.gs"), anEdge("o.gs-sued", V, "sued"), anEdge("gs-sued", landscape.Provides, "o.gs-sued"),
		anEdge("o.eltern", S, "ph.gs"), anEdge("o.eltern", T, "tg.eltern"), anEdge("o.eltern", V, "kreis"),
		anEdge("o.sek-nord", S, "ph.sek"), anEdge("o.sek-nord", T, "tg.kinder"), anEdge("o.sek-nord", V, "nord"),
		anEdge("gs-nord", landscape.Provides, "o.sek-nord"),
		anEdge("o.plan-sued", S, "ph.sek"), anEdge("o.plan-sued", T, "tg.kinder"), anEdge("o.plan-sued", V, "sued"),
	}
	return nodes, edges
}

func testAnalysisLoad(t *testing.T, open opener) {
	ctx, s := anStore(t, open, chainFixture)
	asOf := date("2024-01-01")

	// Region nord: the area {nord, nord.mitte}; located in or serving it:
	// kita-nord, gs-nord, o.lotse-nord (nord.mitte), o.gs-nord, o.sek-nord;
	// their providers (kita-nord, gs-nord) are in already; the unit
	// gs-nord.ssa (PART_OF gs-nord); the committee ak-uebergang (gs-nord is
	// a MEMBER_OF it). koordination serves kreis, an ancestor: not in.
	g, err := analysis.Load(ctx, s, analysis.Scope{Region: "nord", AsOf: asOf})
	if err != nil {
		t.Fatalf("Load: %s", describeErr(err))
	}
	checkIDs(t, "nodes of region nord", g.IDs(), "ak-uebergang", "gs-nord", "gs-nord.ssa", "kita-nord", "nord", "nord.mitte",
		"o.gs-nord", "o.lotse-nord", "o.sek-nord")
	// Every edge among them, of every kind, sorted by id.
	checkIDs(t, "edges of region nord", edgeIDs(g.Edges),
		"gs-nord.ssa>PART_OF>gs-nord", "gs-nord>LOCATED_IN>nord", "gs-nord>MEMBER_OF>ak-uebergang",
		"gs-nord>PROVIDES>o.gs-nord", "gs-nord>PROVIDES>o.sek-nord", "kita-nord>COOPERATES_WITH>gs-nord",
		"kita-nord>LOCATED_IN>nord", "kita-nord>PROVIDES>o.lotse-nord", "nord.mitte>PART_OF>nord",
		"o.gs-nord>SERVES>nord", "o.lotse-nord>SERVES>nord.mitte", "o.sek-nord>SERVES>nord")

	// Kinds narrow the snapshot: the institutions of nord and their cooperation.
	g, err = analysis.Load(ctx, s, analysis.Scope{Region: "nord", AsOf: asOf,
		NodeKinds: []landscape.NodeKind{landscape.Institution}, EdgeKinds: []landscape.EdgeKind{landscape.CooperatesWith}})
	if err != nil {
		t.Fatalf("Load: %s", describeErr(err))
	}
	checkIDs(t, "institutions of nord", g.IDs(), "gs-nord", "kita-nord")
	checkIDs(t, "their cooperation", edgeIDs(g.Edges), "kita-nord>COOPERATES_WITH>gs-nord")

	// Region sued on 2024-01-01: verein-sued ended 2021, o.bruecke-sued 2020,
	// o.plan-sued starts 2030 — all three left out. On 2019-06-01 the first
	// two are in and o.plan-sued still out.
	g, err = analysis.Load(ctx, s, analysis.Scope{Region: "sued", AsOf: asOf, NodeKinds: []landscape.NodeKind{landscape.Offer, landscape.Institution}})
	if err != nil {
		t.Fatalf("Load: %s", describeErr(err))
	}
	checkIDs(t, "offers and institutions of sued in 2024", g.IDs(), "gs-sued", "o.gs-sued", "o.paten-sued")
	g, err = analysis.Load(ctx, s, analysis.Scope{Region: "sued", AsOf: date("2019-06-01"), NodeKinds: []landscape.NodeKind{landscape.Offer, landscape.Institution}})
	if err != nil {
		t.Fatalf("Load: %s", describeErr(err))
	}
	checkIDs(t, "offers and institutions of sued in 2019", g.IDs(), "gs-sued", "o.bruecke-sued", "o.gs-sued", "o.paten-sued", "verein-sued")

	// Without a region: every node of the kinds.
	g, err = analysis.Load(ctx, s, analysis.Scope{NodeKinds: []landscape.NodeKind{landscape.Region}})
	if err != nil {
		t.Fatalf("Load: %s", describeErr(err))
	}
	checkIDs(t, "regions", g.IDs(), "kreis", "nord", "nord.mitte", "sued")
	checkIDs(t, "their hierarchy", edgeIDs(g.Edges), "nord.mitte>PART_OF>nord", "nord>PART_OF>kreis", "sued>PART_OF>kreis")

	// IDs: exactly these nodes, as far as they exist on the date (not
	// o.bruecke-sued, which ended 2020, nor an unknown id) — two round trips,
	// one for the nodes, one for their edges.
	c := &anCounting{Store: s}
	g, err = analysis.Load(ctx, c, analysis.Scope{AsOf: asOf, IDs: []string{"koordination", "o.bruecke-sued", "ak-uebergang", "gibt-es-nicht"}})
	if err != nil {
		t.Fatalf("Load: %s", describeErr(err))
	}
	checkIDs(t, "nodes of the ids", g.IDs(), "ak-uebergang", "koordination")
	checkIDs(t, "their edges", edgeIDs(g.Edges), "koordination>MEMBER_OF>ak-uebergang")
	anCheck(t, "round trips of a scope of ids", c.calls, 2)
	// IDs intersected with the kinds.
	g, err = analysis.Load(ctx, s, analysis.Scope{AsOf: asOf, IDs: []string{"koordination", "ak-uebergang"}, NodeKinds: []landscape.NodeKind{landscape.Actor}})
	if err != nil {
		t.Fatalf("Load: %s", describeErr(err))
	}
	checkIDs(t, "actors of the ids", g.IDs(), "koordination")
	// IDs intersected with the region: koordination serves kreis, not nord.
	g, err = analysis.Load(ctx, s, analysis.Scope{Region: "nord", AsOf: asOf, IDs: []string{"gs-nord", "kita-nord", "koordination", "o.gs-nord"}})
	if err != nil {
		t.Fatalf("Load: %s", describeErr(err))
	}
	checkIDs(t, "ids in region nord", g.IDs(), "gs-nord", "kita-nord", "o.gs-nord")
	checkIDs(t, "their edges", edgeIDs(g.Edges), "gs-nord>PROVIDES>o.gs-nord", "kita-nord>COOPERATES_WITH>gs-nord")
	// An empty list is an empty scope, read without a round trip.
	c = &anCounting{Store: s}
	g, err = analysis.Load(ctx, c, analysis.Scope{IDs: []string{}})
	if err != nil {
		t.Fatalf("Load: %s", describeErr(err))
	}
	checkIDs(t, "nodes of no ids", g.IDs())
	anCheck(t, "round trips of no ids", c.calls, 0)

	_, err = analysis.Load(ctx, s, analysis.Scope{IDs: []string{"gs-nord", "kein gültiger Name"}})
	checkError(t, "Load with a malformed id", err, landscape.EInvalid, "ids[1]")
	_, err = analysis.Load(ctx, s, analysis.Scope{IDs: make([]string, analysis.MaxScopeIDs+1)})
	checkError(t, "Load with too many ids", err, landscape.EInvalid, "ids")
	_, err = analysis.Load(ctx, s, analysis.Scope{Region: "nowhere"})
	checkError(t, "Load of a missing region", err, landscape.ENotFound, "region")
	_, err = analysis.Load(ctx, s, analysis.Scope{Region: "ph.kita"})
	checkError(t, "Load of a region that is a phase", err, landscape.EInvalid, "region")
	_, err = analysis.Load(ctx, s, analysis.Scope{EdgeKinds: []landscape.EdgeKind{"KNOWS"}})
	checkError(t, "Load with an unknown edge kind", err, landscape.EInvalid, "edgeKinds[0]")
}

func testAnalysisCoverage(t *testing.T, open opener) {
	ctx, st := anStore(t, open, chainFixture)
	s := &anCounting{Store: st}
	asOf := date("2024-01-01")
	q := analysis.CoverageQuery{Phases: []string{"ph.kita", "ph.gs", "ph.sek"}, TargetGroup: "tg.kinder", Region: "kreis", AsOf: asOf}
	m, err := analysis.Coverage(ctx, s, q)
	if err != nil {
		t.Fatalf("Coverage: %s", describeErr(err))
	}
	// A bounded number of round trips, whatever the number of offers: 1
	// (arguments) + 2 (regions and their hierarchy) + 3 (phases,
	// transitions, their edges) + 1 (the offers placed in the area that
	// support a link: one filtered query) + 2 (who coordinates the links,
	// and those nodes) + 3 (the offers' edges, their providers and
	// coordinators, the providers' edges with the committees and
	// coordinators met there: one Expand call) + 1 (the cooperations among
	// the providers).
	if s.calls > 13 {
		t.Errorf("Coverage made %d store calls, want at most 13", s.calls)
	}
	// Chain: the phases with the transitions between them.
	links := func(m *analysis.Matrix) []string {
		var ids []string
		for _, l := range m.Links {
			ids = append(ids, l.Node.ID)
		}
		return ids
	}
	wantLinks := []string{"ph.kita", "ue.kita-gs", "ph.gs", "ue.gs-sek", "ph.sek"}
	checkIDs(t, "links", links(m), wantLinks...)
	if l := m.Links[1]; l.From == nil || l.To == nil || l.From.ID != "ph.kita" || l.To.ID != "ph.gs" || !l.IsTransition() {
		t.Errorf("link 1 = %+v, want the transition ph.kita → ph.gs", l)
	}
	// Columns: the direct subregions of kreis, by name: Nord, Süd
	// (nord.mitte is a subregion of nord, not of kreis).
	checkIDs(t, "regions", anIDs(m.Regions), "nord", "sued")

	// The cells, link × region (Nord, Süd), by the rules of Coverage:
	type cellWant struct{ offers, providers, coordinators, expired []string }
	want := [][2]cellWant{
		// ph.kita: o.kita-kreis serves kreis, an ancestor of both columns;
		// provider kita-nord; koordination COORDINATES the offer.
		{{[]string{"o.kita-kreis"}, []string{"kita-nord"}, []string{"koordination"}, nil},
			{[]string{"o.kita-kreis"}, []string{"kita-nord"}, []string{"koordination"}, nil}},
		// ue.kita-gs: Nord has o.lotse-nord (serves nord.mitte, a descendant
		// of nord), nobody coordinates it or kita-nord. Süd: o.bruecke-sued
		// ended 2020-07-31, o.paten-sued's only provider ended 2021-12-31.
		{{[]string{"o.lotse-nord"}, []string{"kita-nord"}, nil, nil},
			{nil, nil, nil, []string{"o.bruecke-sued", "o.paten-sued"}}},
		// ph.gs: o.eltern targets Eltern only. Nord: o.gs-nord, gs-nord is a
		// MEMBER_OF ak-uebergang. Süd: o.gs-sued has no TARGETS edge (open to
		// everyone); netzwerk-sued COORDINATES ph.gs and serves sued.
		{{[]string{"o.gs-nord"}, []string{"gs-nord"}, []string{"ak-uebergang"}, nil},
			{[]string{"o.gs-sued"}, []string{"gs-sued"}, []string{"netzwerk-sued"}, nil}},
		// ue.gs-sek: nothing anywhere.
		{{}, {}},
		// ph.sek: o.sek-nord in Nord; o.plan-sued starts 2030: neither
		// counting nor expired.
		{{[]string{"o.sek-nord"}, []string{"gs-nord"}, []string{"ak-uebergang"}, nil}, {}},
	}
	for li := range want {
		for ci := range 2 {
			c, w := m.Cells[li][ci], want[li][ci]
			where := fmt.Sprintf("cell %s × %s", wantLinks[li], m.Regions[ci].ID)
			checkIDs(t, where+" offers", anIDs(c.Offers), w.offers...)
			checkIDs(t, where+" providers", anIDs(c.Providers), w.providers...)
			checkIDs(t, where+" coordinators", anIDs(c.Coordinators), w.coordinators...)
			checkIDs(t, where+" expired", anIDs(c.Expired), w.expired...)
		}
	}

	// The gaps, ranked by severity, then chain order, then region:
	//  6 NO_OFFER at the transition ue.gs-sek (link 3) in Nord and in Süd;
	//  4 NO_HANDOVER Kita → Grundschule in Süd (at the transition, link 1):
	//    kita-nord (provider of o.kita-kreis) and gs-sued (of o.gs-sued) do
	//    not cooperate, refer or share a committee; in Nord kita-nord
	//    COOPERATES_WITH gs-nord; Grundschule → Sek I in Nord: gs-nord
	//    provides both; in Süd Sek I has no offer, so no handover is judged;
	//  3 OFFER_EXPIRED ue.kita-gs in Süd, transfer candidate o.lotse-nord;
	//  2 ONLY_ELSEWHERE ph.sek in Süd: o.sek-nord counts in Nord;
	//  1 NO_COORDINATION ue.kita-gs in Nord.
	type gapWant struct {
		reason    analysis.GapReason
		severity  int
		link      int
		region    string
		offers    []string
		elsewhere string
		text      string
	}
	gaps := []gapWant{
		{analysis.NoOffer, 6, 3, "nord", nil, "",
			"Für den Übergang Grundschule → Sekundarstufe I gibt es in Nord kein Angebot für Kinder."},
		{analysis.NoOffer, 6, 3, "sued", nil, "",
			"Für den Übergang Grundschule → Sekundarstufe I gibt es in Süd kein Angebot für Kinder."},
		{analysis.NoHandover, 4, 1, "sued", []string{"o.kita-kreis"}, "",
			"Zwischen den Lebensphasen Kita und Grundschule fehlt in Süd eine Übergabe: Es gibt Angebote in beiden Phasen, " +
				"aber kein Angebot der einen verweist an eines der anderen, und kein Träger der einen Phase kooperiert mit einem " +
				"Träger der anderen, verweist an ihn oder sitzt mit ihm in einem Gremium."},
		{analysis.OfferExpired, 3, 1, "sued", []string{"o.bruecke-sued", "o.paten-sued"}, "o.lotse-nord@nord",
			"Für den Übergang Kita → Grundschule gibt es in Süd derzeit kein Angebot für Kinder: „Brückenjahr Süd“ ist am " +
				"31.07.2020 ausgelaufen und „Lesepaten Süd“ hat keinen Träger mehr („Verein Süd“ bis 31.12.2021). " +
				"Kandidat für einen Transfer nach Süd: „Kita-Lotsen Nord“ (Nord)."},
		{analysis.OnlyElsewhere, 2, 4, "sued", nil, "o.sek-nord@nord",
			"In der Lebensphase Sekundarstufe I gibt es in Süd kein Angebot für Kinder, wohl aber anderswo im Gebiet. " +
				"Kandidat für einen Transfer nach Süd: „Berufsorientierung Nord“ (Nord)."},
		{analysis.NoCoordination, 1, 1, "nord", []string{"o.lotse-nord"}, "",
			"Für den Übergang Kita → Grundschule ist das Angebot „Kita-Lotsen Nord“ in Nord mit keinem Gremium und keiner " +
				"koordinierenden Stelle verbunden."},
	}
	if len(m.Gaps) != len(gaps) {
		for _, g := range m.Gaps {
			t.Logf("gap %s %d link %d %s: %s", g.Reason, g.Severity, g.Link, g.Region.ID, g.Explanation)
		}
		t.Fatalf("%d gaps, want %d", len(m.Gaps), len(gaps))
	}
	for i, w := range gaps {
		g := m.Gaps[i]
		var elsewhere []string
		for _, p := range g.Elsewhere {
			elsewhere = append(elsewhere, p.Offer.ID+"@"+strings.Join(anIDs(p.Regions), "+"))
		}
		anCheck(t, fmt.Sprintf("gap %d", i),
			fmt.Sprint(g.Reason, " ", g.Severity, " ", g.Link, " ", g.Region.ID, " ", anIDs(g.Offers), " ", strings.Join(elsewhere, ",")),
			fmt.Sprint(w.reason, " ", w.severity, " ", w.link, " ", w.region, " ", w.offers, " ", w.elsewhere))
		anCheck(t, fmt.Sprintf("gap %d explanation", i), g.Explanation, w.text)
	}
	checkIDs(t, "NO_HANDOVER next offers", anIDs(m.Gaps[2].NextOffers), "o.gs-sued")

	// FromPhase follows the transitions by order: from Kita the one to the
	// next phase (Grundschule, 20; not the jump to Sek I, 30), from Sek I
	// none (ue.sek-kita leads back in order). Same chain, same gaps.
	m2, err := analysis.Coverage(ctx, s, analysis.CoverageQuery{FromPhase: "ph.kita", TargetGroup: "tg.kinder", Region: "kreis", AsOf: asOf})
	if err != nil {
		t.Fatalf("Coverage from a phase: %s", describeErr(err))
	}
	checkIDs(t, "links from ph.kita", links(m2), wantLinks...)
	anCheck(t, "gaps from ph.kita", len(m2.Gaps), len(m.Gaps))

	// Without a target group o.eltern counts too: ph.gs in Nord has
	// Elternkurs and Lernwerkstatt Nord (by name), in Süd Elternkurs and
	// Hausaufgabenhilfe Süd.
	m3, err := analysis.Coverage(ctx, s, analysis.CoverageQuery{Phases: []string{"ph.kita", "ph.gs"}, Region: "kreis", AsOf: asOf})
	if err != nil {
		t.Fatalf("Coverage without a target group: %s", describeErr(err))
	}
	checkIDs(t, "links kita, gs", links(m3), "ph.kita", "ue.kita-gs", "ph.gs")
	checkIDs(t, "ph.gs in Nord, every group", anIDs(m3.Cells[2][0].Offers), "o.eltern", "o.gs-nord")
	checkIDs(t, "ph.gs in Süd, every group", anIDs(m3.Cells[2][1].Offers), "o.eltern", "o.gs-sued")

	// On 2019-06-01 o.bruecke-sued and verein-sued were still valid: the
	// transition has two offers in Süd and nothing expired.
	m4, err := analysis.Coverage(ctx, s, analysis.CoverageQuery{Phases: []string{"ph.kita", "ph.gs"}, TargetGroup: "tg.kinder",
		Region: "kreis", AsOf: date("2019-06-01")})
	if err != nil {
		t.Fatalf("Coverage in 2019: %s", describeErr(err))
	}
	checkIDs(t, "ue.kita-gs in Süd in 2019", anIDs(m4.Cells[1][1].Offers), "o.bruecke-sued", "o.paten-sued")
	checkIDs(t, "providers there", anIDs(m4.Cells[1][1].Providers), "verein-sued")
	checkIDs(t, "expired there", anIDs(m4.Cells[1][1].Expired))

	// A region without subregions is its own column.
	m5, err := analysis.Coverage(ctx, s, analysis.CoverageQuery{Phases: []string{"ph.sek"}, TargetGroup: "tg.kinder", Region: "sued", AsOf: asOf})
	if err != nil {
		t.Fatalf("Coverage of sued: %s", describeErr(err))
	}
	checkIDs(t, "columns of sued", anIDs(m5.Regions), "sued")
	if len(m5.Gaps) != 1 || m5.Gaps[0].Reason != analysis.NoOffer || m5.Gaps[0].Severity != 5 {
		t.Errorf("gaps of ph.sek in sued = %+v, want one NO_OFFER at a phase (no other column to transfer from)", m5.Gaps)
	}
}

// testAnalysisCoverageRegions checks which regions count for a column: the
// column, its parts (at any depth) and the regions above the district; not
// a region beside it, nor one that ended (which is no column either). Offers
// are looked for in the district's area only, so an offer of a second
// parent of a column outside the district (a Zweckverband) does not count.
func testAnalysisCoverageRegions(t *testing.T, open opener) {
	fixture := func() ([]*landscape.Node, []*landscape.Edge) {
		L := landscape.Region
		nodes := []*landscape.Node{
			anNode("bund", L, "Bund"), anNode("land", L, "Land"), anNode("kreis", L, "Kreis"), anNode("nachbar", L, "Nachbarkreis"),
			anNode("verband", L, "Zweckverband"), anNode("nord", L, "Nord"), anNode("sued", L, "Süd"),
			anNode("nord.mitte", L, "Nord-Mitte"), anNode("nord.mitte.dorf", L, "Dorf"),
			anValid(anNode("alt", L, "Altgemeinde"), "", "2019-12-31"),
			anPhase("ph.kita", "Kita", 10),
			anNode("o.land", landscape.Offer, "Landesprogramm"), anNode("o.verband", landscape.Offer, "Verbandsangebot"),
			anNode("o.nachbar", landscape.Offer, "Angebot nebenan"), anNode("o.dorf", landscape.Offer, "Dorfangebot"),
			anNode("o.alt", landscape.Offer, "Angebot der Altgemeinde"), anNode("o.kreis", landscape.Offer, "Kreisangebot"),
			anNode("o.bund", landscape.Offer, "Bundesprogramm"),
		}
		P, V := landscape.PartOf, landscape.Serves
		edges := []*landscape.Edge{
			anEdge("land", P, "bund"), anEdge("kreis", P, "land"), anEdge("nachbar", P, "land"), anEdge("nord", P, "kreis"), anEdge("sued", P, "kreis"),
			anEdge("sued", P, "verband"), anEdge("nord.mitte", P, "nord"), anEdge("nord.mitte.dorf", P, "nord.mitte"),
			anEdge("alt", P, "kreis"),
			anEdge("o.land", V, "land"), anEdge("o.verband", V, "verband"), anEdge("o.nachbar", V, "nachbar"),
			anEdge("o.dorf", V, "nord.mitte.dorf"), anEdge("o.alt", V, "alt"), anEdge("o.kreis", V, "kreis"),
			anEdge("o.bund", V, "bund"),
		}
		for _, o := range []string{"o.bund", "o.land", "o.verband", "o.nachbar", "o.dorf", "o.alt", "o.kreis"} {
			edges = append(edges, anEdge(o, landscape.Supports, "ph.kita"))
		}
		return nodes, edges
	}
	ctx, s := anStore(t, open, fixture)
	m, err := analysis.Coverage(ctx, s, analysis.CoverageQuery{Phases: []string{"ph.kita"}, Region: "kreis", AsOf: date("2024-01-01")})
	if err != nil {
		t.Fatalf("Coverage: %s", describeErr(err))
	}
	checkIDs(t, "regions", anIDs(m.Regions), "nord", "sued")
	checkIDs(t, "Kita × Nord", anIDs(m.Cells[0][0].Offers), "o.bund", "o.dorf", "o.kreis", "o.land")
	checkIDs(t, "Kita × Süd", anIDs(m.Cells[0][1].Offers), "o.bund", "o.kreis", "o.land")
	// Before the Altgemeinde ended, it is a column, and its offer counts there.
	m, err = analysis.Coverage(ctx, s, analysis.CoverageQuery{Phases: []string{"ph.kita"}, Region: "kreis", AsOf: date("2019-06-01")})
	if err != nil {
		t.Fatalf("Coverage: %s", describeErr(err))
	}
	checkIDs(t, "regions in 2019", anIDs(m.Regions), "alt", "nord", "sued")
	checkIDs(t, "Kita × Altgemeinde in 2019", anIDs(m.Cells[0][0].Offers), "o.alt", "o.bund", "o.kreis", "o.land")
}

func testAnalysisCoverageErrors(t *testing.T, open opener) {
	ctx, s := anStore(t, open, chainFixture)
	asOf := date("2024-01-01")
	cases := []struct {
		name  string
		q     analysis.CoverageQuery
		code  landscape.Code
		field string
	}{
		{"no chain", analysis.CoverageQuery{Region: "kreis"}, landscape.EInvalid, "phases"},
		{"both", analysis.CoverageQuery{Phases: []string{"ph.kita"}, FromPhase: "ph.kita", Region: "kreis"}, landscape.EInvalid, "phases"},
		{"no region", analysis.CoverageQuery{Phases: []string{"ph.kita"}}, landscape.EInvalid, "region"},
		{"missing region", analysis.CoverageQuery{Phases: []string{"ph.kita"}, Region: "nowhere"}, landscape.ENotFound, "region"},
		{"region not a region", analysis.CoverageQuery{Phases: []string{"ph.kita"}, Region: "kita-nord"}, landscape.EInvalid, "region"},
		{"missing target group", analysis.CoverageQuery{Phases: []string{"ph.kita"}, Region: "kreis", TargetGroup: "tg.nobody"}, landscape.ENotFound, "targetGroup"},
		{"target group of another kind", analysis.CoverageQuery{Phases: []string{"ph.kita"}, Region: "kreis", TargetGroup: "kreis"}, landscape.EInvalid, "targetGroup"},
		{"missing phase", analysis.CoverageQuery{Phases: []string{"ph.kita", "ph.none"}, Region: "kreis"}, landscape.ENotFound, "phases[1]"},
		{"phase twice", analysis.CoverageQuery{Phases: []string{"ph.kita", "ph.gs", "ph.kita"}, Region: "kreis"}, landscape.EInvalid, "phases[2]"},
		{"malformed phase", analysis.CoverageQuery{Phases: []string{"ph kita"}, Region: "kreis"}, landscape.EInvalid, "phases[0]"},
		{"fromPhase a transition", analysis.CoverageQuery{FromPhase: "ue.kita-gs", Region: "kreis"}, landscape.EInvalid, "fromPhase"},
	}
	for _, c := range cases {
		c.q.AsOf = asOf
		_, err := analysis.Coverage(ctx, s, c.q)
		checkError(t, c.name, err, c.code, c.field)
	}
}

func testAnalysisCoordinators(t *testing.T, open opener) {
	ctx, s := anStore(t, open, chainFixture)
	asOf := date("2024-01-01")
	render := func(cs []analysis.Coordinator) []string {
		var out []string
		for _, c := range cs {
			for _, r := range c.Roles {
				out = append(out, c.Node.ID+" "+r.Relation+" "+r.Target.ID+": "+r.Text)
			}
		}
		return out
	}
	// Region kreis: the region scope holds o.kita-kreis (koordination
	// COORDINATES it) and ak-uebergang (gs-nord MEMBER_OF it, so it is a
	// committee of the area; koordination is its OFFICE, gs-nord its CHAIR).
	// netzwerk-sued COORDINATES ph.gs, which is not in the scope.
	// koordination has two roles, gs-nord one.
	cs, err := analysis.Coordinators(ctx, s, analysis.CoordinatorQuery{Region: "kreis", AsOf: asOf})
	if err != nil {
		t.Fatalf("Coordinators: %s", describeErr(err))
	}
	checkIDs(t, "coordinators of kreis", render(cs),
		"koordination COORDINATES o.kita-kreis: Bildungskoordination koordiniert Sprachbildung Kita",
		"koordination OFFICE ak-uebergang: Bildungskoordination ist Geschäftsstelle von AK Übergang",
		"gs-nord CHAIR ak-uebergang: Grundschule Nord hat den Vorsitz in AK Übergang")
	// Topic thema.uebergang: the topic and ak-uebergang, which WORKS_ON it.
	cs, err = analysis.Coordinators(ctx, s, analysis.CoordinatorQuery{Topic: "thema.uebergang", AsOf: asOf})
	if err != nil {
		t.Fatalf("Coordinators: %s", describeErr(err))
	}
	checkIDs(t, "coordinators of thema.uebergang", render(cs),
		"koordination RESPONSIBLE_FOR thema.uebergang: Bildungskoordination ist verantwortlich für Übergänge",
		"koordination OFFICE ak-uebergang: Bildungskoordination ist Geschäftsstelle von AK Übergang",
		"gs-nord CHAIR ak-uebergang: Grundschule Nord hat den Vorsitz in AK Übergang")

	_, err = analysis.Coordinators(ctx, s, analysis.CoordinatorQuery{})
	checkError(t, "Coordinators of nothing", err, landscape.EInvalid, "region")
	_, err = analysis.Coordinators(ctx, s, analysis.CoordinatorQuery{Region: "kreis", Topic: "thema.uebergang"})
	checkError(t, "Coordinators of both", err, landscape.EInvalid, "topic")
	_, err = analysis.Coordinators(ctx, s, analysis.CoordinatorQuery{Topic: "kreis"})
	checkError(t, "Coordinators of a region as topic", err, landscape.EInvalid, "topic")
	_, err = analysis.Coordinators(ctx, s, analysis.CoordinatorQuery{Topic: "thema.none"})
	checkError(t, "Coordinators of a missing topic", err, landscape.ENotFound, "topic")
}

// ---------------------------------------------------------------------------
// The path fixture:
//
//	mz "Migrationszentrum" ─MEMBER_OF(CHAIR)→ kg-migration "KG Migration"
//	bildungskoordination "Bildungskoordination" ─MEMBER_OF→ kg-migration
//	bildungskoordination ─COORDINATES→ koko "Kooperationskonferenz"
//	mz ─PART_OF→ kreisverwaltung "Kreisverwaltung"
//	referat "Referat" ─PART_OF→ kreisverwaltung; kreisverwaltung ─FUNDS→ referat
//	referat ─MEMBER_OF→ koko
//	mz ─COOPERATES_WITH→ koko, valid 2015-01-01 .. 2019-12-31 only
//	mz, koko ─SERVES→ landkreis "Landkreis"
//	einzel "Einzelkämpfer": no edges
func pathFixture() ([]*landscape.Node, []*landscape.Edge) {
	nodes := []*landscape.Node{
		anNode("mz", landscape.Institution, "Migrationszentrum"),
		anNode("kg-migration", landscape.Committee, "KG Migration"),
		anNode("bildungskoordination", landscape.Actor, "Bildungskoordination"),
		anNode("koko", landscape.Committee, "Kooperationskonferenz"),
		anNode("kreisverwaltung", landscape.Institution, "Kreisverwaltung"),
		anNode("referat", landscape.Actor, "Referat"),
		anNode("landkreis", landscape.Region, "Landkreis"),
		anNode("einzel", landscape.Actor, "Einzelkämpfer"),
	}
	coop := anEdge("mz", landscape.CooperatesWith, "koko")
	coop.Validity = validity("2015-01-01", "2019-12-31")
	edges := []*landscape.Edge{
		anRole("mz", "kg-migration", "CHAIR"), anRole("bildungskoordination", "kg-migration", "MEMBER"),
		anEdge("bildungskoordination", landscape.Coordinates, "koko"),
		anEdge("mz", landscape.PartOf, "kreisverwaltung"), anEdge("referat", landscape.PartOf, "kreisverwaltung"),
		anEdge("kreisverwaltung", landscape.Funds, "referat"), anRole("referat", "koko", "MEMBER"),
		coop, anEdge("mz", landscape.Serves, "landkreis"), anEdge("koko", landscape.Serves, "landkreis"),
	}
	return nodes, edges
}

func testAnalysisPaths(t *testing.T, open opener) {
	ctx, s := anStore(t, open, pathFixture)
	asOf := date("2024-01-01")
	render := func(p *analysis.Paths) []string {
		var out []string
		for _, x := range p.Paths {
			out = append(out, strings.Join(anIDs(x.Nodes), ",")+": "+x.Text)
		}
		return out
	}
	// 2024, coordination kinds: BFS from mz — level 1 kg-migration,
	// kreisverwaltung (the cooperation has ended, SERVES is not a
	// coordination kind); level 2 bildungskoordination, referat; level 3
	// koko from both. Two paths of length 3, in id order (kg-… < kr-…).
	p, err := analysis.ShortestPaths(ctx, s, "mz", "koko", analysis.PathQuery{AsOf: asOf})
	if err != nil {
		t.Fatalf("ShortestPaths: %s", describeErr(err))
	}
	anCheck(t, "length, total, truncated", fmt.Sprint(p.Length, p.Total, p.Truncated), "3 2 false")
	checkIDs(t, "paths mz → koko", render(p),
		"mz,kg-migration,bildungskoordination,koko: Migrationszentrum ist Mitglied (Vorsitz) in KG Migration; "+
			"KG Migration hat Bildungskoordination als Mitglied; Bildungskoordination koordiniert Kooperationskonferenz",
		"mz,kreisverwaltung,referat,koko: Migrationszentrum ist Teil von Kreisverwaltung; "+
			"Kreisverwaltung fördert Referat und Kreisverwaltung umfasst Referat; Referat ist Mitglied in Kooperationskonferenz")
	if len(p.Paths) == 2 {
		checkIDs(t, "edges of the double step", edgeIDs(p.Paths[1].Steps[1].Edges),
			"kreisverwaltung>FUNDS>referat", "referat>PART_OF>kreisverwaltung")
	}
	// The reverse direction explains the same edges from the other side.
	p, err = analysis.ShortestPaths(ctx, s, "koko", "mz", analysis.PathQuery{AsOf: asOf, MaxPaths: 1})
	if err != nil {
		t.Fatalf("ShortestPaths: %s", describeErr(err))
	}
	anCheck(t, "koko → mz: length, total, truncated", fmt.Sprint(p.Length, p.Total, p.Truncated), "3 2 true")
	checkIDs(t, "first path koko → mz", render(p),
		"koko,bildungskoordination,kg-migration,mz: Kooperationskonferenz wird koordiniert von Bildungskoordination; "+
			"Bildungskoordination ist Mitglied in KG Migration; KG Migration hat Migrationszentrum als Mitglied (Vorsitz)")
	// In 2018 the cooperation held: one step.
	p, err = analysis.ShortestPaths(ctx, s, "mz", "koko", analysis.PathQuery{AsOf: date("2018-01-01")})
	if err != nil {
		t.Fatalf("ShortestPaths: %s", describeErr(err))
	}
	checkIDs(t, "paths mz → koko in 2018", render(p), "mz,koko: Migrationszentrum kooperiert mit Kooperationskonferenz")
	// Over SERVES only: through the region, length 2.
	p, err = analysis.ShortestPaths(ctx, s, "mz", "koko", analysis.PathQuery{AsOf: asOf, EdgeKinds: []landscape.EdgeKind{landscape.Serves}})
	if err != nil {
		t.Fatalf("ShortestPaths: %s", describeErr(err))
	}
	checkIDs(t, "paths mz → koko over SERVES", render(p),
		"mz,landkreis,koko: Migrationszentrum ist tätig für Landkreis; Landkreis ist Einsatzgebiet von Kooperationskonferenz")
	// Unreachable, and a node to itself.
	p, err = analysis.ShortestPaths(ctx, s, "mz", "einzel", analysis.PathQuery{AsOf: asOf})
	if err != nil {
		t.Fatalf("ShortestPaths: %s", describeErr(err))
	}
	anCheck(t, "mz → einzel", fmt.Sprint(p.Length, p.Total, len(p.Paths)), "-1 0 0")
	p, err = analysis.ShortestPaths(ctx, s, "mz", "mz", analysis.PathQuery{})
	if err != nil {
		t.Fatalf("ShortestPaths: %s", describeErr(err))
	}
	anCheck(t, "mz → mz", fmt.Sprint(p.Length, p.Total, len(p.Paths)), "0 1 1")

	_, err = analysis.ShortestPaths(ctx, s, "nobody", "koko", analysis.PathQuery{})
	checkError(t, "ShortestPaths from a missing node", err, landscape.ENotFound, "from")
	_, err = analysis.ShortestPaths(ctx, s, "mz", "nobody", analysis.PathQuery{})
	checkError(t, "ShortestPaths to a missing node", err, landscape.ENotFound, "to")
	_, err = analysis.ShortestPaths(ctx, s, "mz", "koko", analysis.PathQuery{MaxPaths: -1})
	checkError(t, "ShortestPaths with maxPaths -1", err, landscape.EInvalid, "maxPaths")
	_, err = analysis.ShortestPaths(ctx, s, "mz", "koko", analysis.PathQuery{EdgeKinds: []landscape.EdgeKind{"KNOWS"}})
	checkError(t, "ShortestPaths over an unknown kind", err, landscape.EInvalid, "edgeKinds[0]")

	// Shared committees: mz (CHAIR) and bildungskoordination (MEMBER) in
	// kg-migration; bildungskoordination (COORDINATES) and referat (MEMBER)
	// in koko; mz and referat share none.
	renderShared := func(a, b string) []string {
		t.Helper()
		sc, err := analysis.SharedCommittees(ctx, s, a, b, asOf)
		if err != nil {
			t.Fatalf("SharedCommittees(%s, %s): %s", a, b, describeErr(err))
		}
		var out []string
		for _, c := range sc {
			out = append(out, c.Committee.ID+" "+c.A.Role+"/"+c.B.Role+": "+c.Text)
		}
		return out
	}
	checkIDs(t, "shared by mz and bildungskoordination", renderShared("mz", "bildungskoordination"),
		"kg-migration CHAIR/MEMBER: Migrationszentrum (Vorsitz) und Bildungskoordination (Mitglied) treffen sich in KG Migration.")
	checkIDs(t, "shared by bildungskoordination and referat", renderShared("bildungskoordination", "referat"),
		"koko COORDINATES/MEMBER: Bildungskoordination (koordiniert) und Referat (Mitglied) treffen sich in Kooperationskonferenz.")
	checkIDs(t, "shared by mz and referat", renderShared("mz", "referat"))
	_, err = analysis.SharedCommittees(ctx, s, "nobody", "mz", asOf)
	checkError(t, "SharedCommittees of a missing node", err, landscape.ENotFound, "a")
	_, err = analysis.SharedCommittees(ctx, s, "mz", "mz", asOf)
	checkError(t, "SharedCommittees of a node with itself", err, landscape.EInvalid, "b")
}

// ---------------------------------------------------------------------------
// The centrality fixture: two triangles joined by a bridge, an isolate and
// a path, told apart by their kinds.
//
//	institutions a1 "A1", a2 "A2", a3 "A3", b1 "B1", b2 "B2", b3 "B3", z "Z":
//	  COOPERATES_WITH a1–a2, a1–a3, a2–a3, b1–b2, b1–b3, b2–b3, a1–b1; z none
//	actors p1 … p5 "P1" … "P5": PART_OF p1→p2→p3→p4→p5
//	a2 PART_OF p1 joins the two, but neither scope below holds it.
func centralityFixture() ([]*landscape.Node, []*landscape.Edge) {
	var nodes []*landscape.Node
	for _, id := range []string{"a1", "a2", "a3", "b1", "b2", "b3", "z"} {
		nodes = append(nodes, anNode(id, landscape.Institution, strings.ToUpper(id)))
	}
	for i := 1; i <= 5; i++ {
		nodes = append(nodes, anNode(fmt.Sprintf("p%d", i), landscape.Actor, fmt.Sprintf("P%d", i)))
	}
	C := landscape.CooperatesWith
	edges := []*landscape.Edge{
		anEdge("a1", C, "a2"), anEdge("a1", C, "a3"), anEdge("a2", C, "a3"),
		anEdge("b1", C, "b2"), anEdge("b1", C, "b3"), anEdge("b2", C, "b3"), anEdge("a1", C, "b1"),
		anEdge("p1", landscape.PartOf, "p2"), anEdge("p2", landscape.PartOf, "p3"),
		anEdge("p3", landscape.PartOf, "p4"), anEdge("p4", landscape.PartOf, "p5"),
		anEdge("a2", landscape.PartOf, "p1"),
	}
	return nodes, edges
}

func testAnalysisCentrality(t *testing.T, open opener) {
	ctx, s := anStore(t, open, centralityFixture)
	clusters := analysis.Scope{NodeKinds: []landscape.NodeKind{landscape.Institution}, EdgeKinds: []landscape.EdgeKind{landscape.CooperatesWith}}
	path := analysis.Scope{NodeKinds: []landscape.NodeKind{landscape.Actor}, EdgeKinds: []landscape.EdgeKind{landscape.PartOf}}

	// Clusters, n = 7. Betweenness (undirected, pairs of other nodes):
	// every shortest path between {a2,a3} and {b1,b2,b3} passes a1 and is
	// unique: 2·3 = 6 pairs; likewise b1 for {a1,a2,a3}×{b2,b3}: 6. No
	// other node lies inside a shortest path. Normalised by (n-1)(n-2)/2 =
	// 15: a1 = b1 = 0.4.
	// Closeness (Wasserman–Faust, n-1 = 6): a1 reaches 5 nodes at distances
	// 1,1,1 (a2,a3,b1) and 2,2 (b2,b3), Σ = 7: (5/6)·(5/7) = 25/42; a2
	// reaches a1,a3 (1), b1 (2), b2,b3 (3), Σ = 10: (5/6)·(5/10) = 5/12; z
	// reaches nobody: 0.
	c, err := analysis.Centrality(ctx, s, clusters)
	if err != nil {
		t.Fatalf("Centrality: %s", describeErr(err))
	}
	checkIDs(t, "nodes of the cluster scope", anIDs(nodesOfCentralities(c)), "a1", "a2", "a3", "b1", "b2", "b3", "z")
	wantC := map[string][3]float64{ // degree, betweenness, closeness
		"a1": {3, 0.4, 25.0 / 42}, "a2": {2, 0, 5.0 / 12}, "a3": {2, 0, 5.0 / 12},
		"b1": {3, 0.4, 25.0 / 42}, "b2": {2, 0, 5.0 / 12}, "b3": {2, 0, 5.0 / 12}, "z": {0, 0, 0},
	}
	checkCentralities(t, "clusters", c, wantC)
	var brokers []string
	for _, b := range c.Brokers(5) {
		brokers = append(brokers, fmt.Sprintf("%s %.3f", b.Node.ID, b.Betweenness))
	}
	checkIDs(t, "brokers", brokers, "a1 0.400", "b1 0.400") // a tie, by name
	checkIDs(t, "isolates", anIDs(c.Isolates()), "z")

	// Path p1 … p5, n = 5. Betweenness: p2 lies on the paths of p1 to p3,
	// p4, p5 (3 pairs), p3 on p1–p4, p1–p5, p2–p4, p2–p5 (4), p4 on p1–p5,
	// p2–p5, p3–p5 (3); divided by (n-1)(n-2)/2 = 6: 0.5, 2/3, 0.5.
	// Closeness (connected: (n-1)/Σd): p1 Σ = 1+2+3+4 = 10: 0.4; p2
	// 1+1+2+3 = 7: 4/7; p3 2+1+1+2 = 6: 2/3.
	c, err = analysis.Centrality(ctx, s, path)
	if err != nil {
		t.Fatalf("Centrality: %s", describeErr(err))
	}
	wantP := map[string][3]float64{
		"p1": {1, 0, 0.4}, "p2": {2, 0.5, 4.0 / 7}, "p3": {2, 2.0 / 3, 2.0 / 3}, "p4": {2, 0.5, 4.0 / 7}, "p5": {1, 0, 0.4},
	}
	checkCentralities(t, "path", c, wantP)
	checkIDs(t, "isolates of the path", anIDs(c.Isolates()))

	// Only the ids a1, a2, a3, b1, z (and p1, which the kinds leave out): the
	// triangle a with b1 hanging from a1, and the isolate; n = 5. b1–b2 does
	// not count. Betweenness: a1 lies on the paths b1–a2 and b1–a3, 2 of
	// (n-1)(n-2)/2 = 6 pairs: 1/3. Closeness (each reaches 3 of n-1 = 4):
	// a1 Σd = 3: (3/4)·(3/3) = 3/4; a2, a3 Σd = 1+1+2 = 4: (3/4)·(3/4) =
	// 9/16; b1 Σd = 1+2+2 = 5: (3/4)·(3/5) = 9/20.
	named := clusters
	named.IDs = []string{"a1", "a2", "a3", "b1", "z", "p1"}
	c, err = analysis.Centrality(ctx, s, named)
	if err != nil {
		t.Fatalf("Centrality: %s", describeErr(err))
	}
	checkCentralities(t, "named ids", c, map[string][3]float64{
		"a1": {3, 1.0 / 3, 3.0 / 4}, "a2": {2, 0, 9.0 / 16}, "a3": {2, 0, 9.0 / 16}, "b1": {1, 0, 9.0 / 20}, "z": {0, 0, 0},
	})

	// With at least as many pivots as nodes the estimate is exact.
	for _, x := range []struct {
		scope analysis.Scope
		want  map[string][3]float64
	}{{clusters, wantC}, {path, wantP}} {
		a, err := analysis.ApproximateCentrality(ctx, s, x.scope, 100)
		if err != nil {
			t.Fatalf("ApproximateCentrality: %s", describeErr(err))
		}
		if a.Approximate {
			t.Errorf("ApproximateCentrality with 100 pivots on %d nodes says it is approximate", len(a.Nodes))
		}
		checkCentralities(t, "all pivots", a, x.want)
	}
	// Fewer pivots: an estimate, the same on every run.
	a1, err := analysis.ApproximateCentrality(ctx, s, clusters, 3)
	if err != nil {
		t.Fatalf("ApproximateCentrality: %s", describeErr(err))
	}
	a2, err := analysis.ApproximateCentrality(ctx, s, clusters, 3)
	if err != nil {
		t.Fatalf("ApproximateCentrality: %s", describeErr(err))
	}
	if !a1.Approximate || a1.Pivots != 3 {
		t.Errorf("3 pivots: Approximate %v, Pivots %d", a1.Approximate, a1.Pivots)
	}
	for i := range a1.Nodes {
		if a1.Nodes[i].Betweenness != a2.Nodes[i].Betweenness || a1.Nodes[i].Closeness != a2.Nodes[i].Closeness {
			t.Errorf("two runs with 3 pivots differ at %s", a1.Nodes[i].Node.ID)
		}
	}
	_, err = analysis.ApproximateCentrality(ctx, s, clusters, 0)
	checkError(t, "ApproximateCentrality without pivots", err, landscape.EInvalid, "pivots")

	// Communities: the two triangles and the isolate. Modularity Q =
	// Σ_c [L_c/m − (d_c/2m)²] with m = 7 edges: each triangle has L = 3
	// inner edges and degree sum d = 3+2+2 = 7: 2·(3/7 − (7/14)²) = 5/14;
	// the isolate adds 0.
	part, err := analysis.Communities(ctx, s, clusters)
	if err != nil {
		t.Fatalf("Communities: %s", describeErr(err))
	}
	var groups []string
	for _, c := range part.Communities {
		groups = append(groups, strings.Join(anIDs(c.Members), ","))
	}
	checkIDs(t, "communities", groups, "a1,a2,a3", "b1,b2,b3", "z")
	anClose(t, "modularity", part.Modularity, 5.0/14)
}

func nodesOfCentralities(c *analysis.Centralities) []*landscape.Node {
	var ns []*landscape.Node
	for _, x := range c.Nodes {
		ns = append(ns, x.Node)
	}
	return ns
}

func checkCentralities(t *testing.T, what string, c *analysis.Centralities, want map[string][3]float64) {
	t.Helper()
	got := make([]string, 0, len(c.Nodes))
	for _, x := range c.Nodes {
		got = append(got, x.Node.ID)
	}
	wantIDs := make([]string, 0, len(want))
	for id := range want {
		wantIDs = append(wantIDs, id)
	}
	slices.Sort(wantIDs)
	checkIDs(t, what+": nodes", got, wantIDs...)
	for _, x := range c.Nodes {
		w, ok := want[x.Node.ID]
		if !ok {
			continue
		}
		if x.Degree != int(w[0]) {
			t.Errorf("%s: degree of %s = %d, want %d", what, x.Node.ID, x.Degree, int(w[0]))
		}
		anClose(t, what+": betweenness of "+x.Node.ID, x.Betweenness, w[1])
		anClose(t, what+": closeness of "+x.Node.ID, x.Closeness, w[2])
	}
}
