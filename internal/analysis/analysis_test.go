package analysis_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/data"
	"github.com/bildungsgraph/bildungsgraph/internal/analysis"
	"github.com/bildungsgraph/bildungsgraph/internal/embedded"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

func openEmbedded(t *testing.T) landscape.Store {
	s, err := embedded.Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// sampleStore is an embedded store with the sample landscape.
func sampleStore(t *testing.T) (context.Context, landscape.Store) {
	t.Helper()
	s := openEmbedded(t)
	doc, err := data.Sample()
	if err != nil {
		t.Fatalf("Sample: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	if _, err := s.Apply(ctx, doc.Changeset()); err != nil {
		t.Fatalf("Apply sample: %v", err)
	}
	return ctx, s
}

var sampleDate = landscape.MustDate("2025-01-01")

func gapLines(m *analysis.Matrix) []string {
	var out []string
	for _, g := range m.Gaps {
		out = append(out, fmt.Sprintf("%d %s [%s × %s] %s", g.Severity, g.Reason, m.Links[g.Link].Node.ID, g.Region.ID, g.Explanation))
	}
	return out
}

// The newcomers' chain Ankommen → Klären → Bleiben in the Landkreis
// Osnabrück: every cell has offers (most serve the whole Landkreis, so they
// count in each Gemeinde), the handovers exist (Fachdienst 5 REFERS_TO the
// Migrationszentrum; the Integrationskurs spans Klären and Bleiben), but
// the offers of the Migrationszentrum, the VHS and the
// Integrationsbeauftragte are tied to no committee or coordinator:
// NO_COORDINATION in four links × three Gemeinden. Ankommen is coordinated
// (Koordinationsstelle Sprachbildung; the Task Force Flüchtlinge
// COORDINATES the phase and serves the Landkreis).
func TestSampleNewcomers(t *testing.T) {
	ctx, s := sampleStore(t)
	q := analysis.CoverageQuery{
		Phases: []string{"phase.ankommen", "phase.klaeren", "phase.bleiben"}, TargetGroup: "zielgruppe.neuzugewanderte",
		Region: "lk-osnabrueck", AsOf: sampleDate}
	m, err := analysis.Coverage(ctx, s, q)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gapLines(m) {
		t.Log(g)
	}
	checkList(t, "links", linkIDs(m), "phase.ankommen", "uebergang.ankommen-klaeren", "phase.klaeren", "uebergang.klaeren-bleiben", "phase.bleiben")
	checkList(t, "regions", ids(m.Regions), "bersenbrueck", "bohmte", "georgsmarienhuette")
	checkList(t, "Ankommen in Bohmte", ids(m.Cells[0][1].Offers),
		"lk-os.besuchsdienste", "lk-os.fd5-erstkontakt", "lk-os.unterstuetzung-spracherwerb")
	checkList(t, "its coordinators", ids(m.Cells[0][1].Coordinators),
		"lk-os.koordinationsstelle-sprachbildung", "lk-os.task-force-fluechtlinge")
	var got []string
	for _, g := range m.Gaps {
		got = append(got, fmt.Sprintf("%s %s %s", g.Reason, m.Links[g.Link].Node.ID, g.Region.ID))
	}
	var want []string
	for _, l := range []string{"uebergang.ankommen-klaeren", "phase.klaeren", "uebergang.klaeren-bleiben", "phase.bleiben"} {
		for _, r := range []string{"bersenbrueck", "bohmte", "georgsmarienhuette"} {
			want = append(want, "NO_COORDINATION "+l+" "+r)
		}
	}
	checkList(t, "gaps", got, want...)
	checkList(t, "explanation of Klären in Bohmte", []string{m.Gaps[4].Explanation},
		"In der Lebensphase Klären sind die Angebote „Integrationskurs (Beispiel)“ und „Profiling im Migrationszentrum“ "+
			"in Bohmte mit keinem Gremium und keiner koordinierenden Stelle verbunden.")

	// FromPhase gives the same chain: Bleiben → Ausbildung leads back in
	// order and ends it.
	m2, err := analysis.Coverage(ctx, s, analysis.CoverageQuery{FromPhase: "phase.ankommen", TargetGroup: "zielgruppe.neuzugewanderte",
		Region: "lk-osnabrueck", AsOf: sampleDate})
	if err != nil {
		t.Fatal(err)
	}
	checkList(t, "links from Ankommen", linkIDs(m2), linkIDs(m)...)

	// In the Stadt Osnabrück (no subregions: its own column) nothing bridges
	// Klären → Bleiben.
	m3, err := analysis.Coverage(ctx, s, analysis.CoverageQuery{FromPhase: "phase.ankommen", TargetGroup: "zielgruppe.neuzugewanderte",
		Region: "stadt-osnabrueck", AsOf: sampleDate})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gapLines(m3) {
		t.Log(g)
	}
	if g := m3.Gaps[0]; g.Reason != analysis.NoOffer || g.Explanation != "Für den Übergang Klären → Bleiben gibt es in Stadt Osnabrück kein Angebot für Neuzugewanderte." {
		t.Errorf("first gap in the Stadt Osnabrück: %s %s", g.Reason, g.Explanation)
	}
}

// Kita → Grundschule for children in the Landkreis Osnabrück: the
// Brückenjahr ran out on 2023-07-31 (OFFER_EXPIRED in every Gemeinde); the
// Sprachbildung in der Kita exists only in Georgsmarienhütte and the
// Hausaufgabenhilfe only in Bohmte (ONLY_ELSEWHERE, transfer candidates);
// neither is coordinated.
func TestSampleKitaGrundschule(t *testing.T) {
	ctx, s := sampleStore(t)
	q := analysis.CoverageQuery{Phases: []string{"phase.kita", "phase.grundschule"}, TargetGroup: "zielgruppe.kinder", Region: "lk-osnabrueck", AsOf: sampleDate}
	m, err := analysis.Coverage(ctx, s, q)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gapLines(m) {
		t.Log(g)
	}
	var got []string
	for _, g := range m.Gaps {
		got = append(got, fmt.Sprintf("%d %s %s %s", g.Severity, g.Reason, m.Links[g.Link].Node.ID, g.Region.ID))
	}
	checkList(t, "gaps", got,
		"3 OFFER_EXPIRED uebergang.kita-grundschule bersenbrueck",
		"3 OFFER_EXPIRED uebergang.kita-grundschule bohmte",
		"3 OFFER_EXPIRED uebergang.kita-grundschule georgsmarienhuette",
		"2 ONLY_ELSEWHERE phase.kita bersenbrueck",
		"2 ONLY_ELSEWHERE phase.kita bohmte",
		"2 ONLY_ELSEWHERE phase.grundschule bersenbrueck",
		"2 ONLY_ELSEWHERE phase.grundschule georgsmarienhuette",
		"1 NO_COORDINATION phase.kita georgsmarienhuette",
		"1 NO_COORDINATION phase.grundschule bohmte")
	checkList(t, "explanations", []string{m.Gaps[1].Explanation, m.Gaps[4].Explanation},
		"Für den Übergang Kita → Grundschule gibt es in Bohmte derzeit kein Angebot für Kinder: "+
			"„Brückenjahr Kita–Grundschule (Beispiel, ausgelaufen)“ ist am 31.07.2023 ausgelaufen.",
		"In der Lebensphase Kita (Elementarbereich) gibt es in Bohmte kein Angebot für Kinder, wohl aber anderswo im Gebiet. "+
			"Kandidat für einen Transfer nach Bohmte: „Alltagsintegrierte Sprachbildung in der Kita (Beispiel)“ (Georgsmarienhütte).")

	// In 2022 the Brückenjahr still ran, in every Gemeinde.
	q.AsOf = landscape.MustDate("2022-01-01")
	m, err = analysis.Coverage(ctx, s, q)
	if err != nil {
		t.Fatal(err)
	}
	for ci := range m.Regions {
		checkList(t, "Übergang Kita → Grundschule in 2022 in "+m.Regions[ci].ID, ids(m.Cells[1][ci].Offers), "lk-os.bsp-brueckenjahr")
	}
}

// The Migrationszentrum reaches the Kooperationskonferenz Bildung in four
// steps, over the Kreisverwaltung and the Bildungskoordination, five ways.
func TestSamplePath(t *testing.T) {
	ctx, s := sampleStore(t)
	p, err := analysis.ShortestPaths(ctx, s, "lk-os.migrationszentrum", "lk-os.kooperationskonferenz", analysis.PathQuery{AsOf: sampleDate})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range p.Paths {
		t.Log(x.Text)
	}
	if p.Length != 4 || p.Total != 5 || len(p.Paths) != 5 {
		t.Fatalf("length %d, total %d, %d paths; want 4, 5, 5", p.Length, p.Total, len(p.Paths))
	}
	checkList(t, "path via the Referat", []string{p.Paths[3].Text},
		"Migrationszentrum, Landkreis Osnabrück ist Teil von Kreisverwaltung Landkreis Osnabrück; "+
			"Kreisverwaltung Landkreis Osnabrück umfasst Referat für Strategische Planung, Landkreis Osnabrück; "+
			"Referat für Strategische Planung, Landkreis Osnabrück umfasst Bildungskoordination, Landkreis Osnabrück; "+
			"Bildungskoordination, Landkreis Osnabrück koordiniert Kooperationskonferenz Bildung")
	sc, err := analysis.SharedCommittees(ctx, s, "lk-os.bildungskoordination", "georgsmarienhuette", sampleDate)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc) != 1 || sc[0].Text != "Bildungskoordination, Landkreis Osnabrück (koordiniert) und Georgsmarienhütte (Mitglied) treffen sich in Kooperationskonferenz Bildung." {
		t.Errorf("shared committees: %+v", sc)
	}
}

// The brokers of the Landkreis Osnabrück among its organisations, over
// the coordination edges: the Kreisverwaltung (hub of the units), the
// Migrationszentrum (between Fachdienst 5, the Meldebehörden and the
// integration infrastructure) and the Bildungskoordination (the
// committees and Bildungsbüros).
func TestSampleBrokers(t *testing.T) {
	ctx, s := sampleStore(t)
	scope := analysis.Scope{Region: "lk-osnabrueck", AsOf: sampleDate, EdgeKinds: analysis.CoordinationEdgeKinds, NodeKinds: analysis.OrganisationKinds}
	c, err := analysis.Centrality(ctx, s, scope)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d nodes, %d edges", len(c.Nodes), len(c.Graph.Edges))
	brokers := c.Brokers(10)
	var top []string
	for i, b := range brokers {
		t.Logf("%2d. %-70s betweenness %.4f  degree %2d  closeness %.4f", i+1, b.Node.Name, b.Betweenness, b.Degree, b.Closeness)
		if i < 3 {
			top = append(top, b.Node.ID)
		}
		if b.Betweenness <= 0 || b.Betweenness > 1 {
			t.Errorf("%s: betweenness %g outside (0, 1]", b.Node.ID, b.Betweenness)
		}
	}
	checkList(t, "top brokers", top, "lk-os.kreisverwaltung", "lk-os.migrationszentrum", "lk-os.bildungskoordination")
	isolates := ids(c.Isolates())
	t.Log("isolates:", isolates)
	if !slices.Contains(isolates, "lk-os.task-force-fluechtlinge") {
		t.Errorf("isolates %v lack the Task Force (it coordinates offers only, outside this scope)", isolates)
	}
	part, err := analysis.Communities(ctx, s, scope)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("modularity %.3f", part.Modularity)
	for _, c := range part.Communities {
		t.Log(ids(c.Members))
	}
	if part.Modularity <= 0.3 || !slices.Contains(ids(part.Communities[0].Members), "lk-os.bildungskoordination") {
		t.Errorf("communities: Q %.3f, largest %v", part.Modularity, ids(part.Communities[0].Members))
	}
}

// A scope of ids holds exactly those nodes: the ids of the Landkreis'
// scope give its graph back, and the ids of a drawn network (the
// explorer's "size within the view") give its organisations with the
// coordination edges among them — no node, no edge from outside.
func TestSampleScopeIDs(t *testing.T) {
	ctx, s := sampleStore(t)
	region, err := analysis.Load(ctx, s, analysis.Scope{Region: "lk-osnabrueck", AsOf: sampleDate}.WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	named, err := analysis.Load(ctx, s, analysis.Scope{IDs: region.IDs(), AsOf: sampleDate}.WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	checkList(t, "nodes of the Landkreis' ids", named.IDs(), region.IDs()...)
	checkList(t, "edges of the Landkreis' ids", edgeIDs(named.Edges), edgeIDs(region.Edges)...)

	view, err := landscape.Neighbourhood(ctx, s, landscape.NeighbourhoodQuery{Roots: []string{"lk-os.kreisverwaltung"}, Depth: 2, AsOf: sampleDate})
	if err != nil {
		t.Fatal(err)
	}
	var ids, orgs, coord []string
	for _, n := range view.Nodes {
		ids = append(ids, n.ID)
		if slices.Contains(analysis.OrganisationKinds, n.Kind) {
			orgs = append(orgs, n.ID)
		}
	}
	for _, e := range view.Edges {
		if slices.Contains(analysis.CoordinationEdgeKinds, e.Kind) && slices.Contains(orgs, e.From) && slices.Contains(orgs, e.To) {
			coord = append(coord, e.ID)
		}
	}
	slices.Sort(orgs)
	slices.Sort(coord)
	c, err := analysis.Centrality(ctx, s, analysis.Scope{IDs: ids, AsOf: sampleDate}.WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("view: %d nodes, %d edges; scope: %d nodes, %d edges", len(view.Nodes), len(view.Edges), len(c.Nodes), len(c.Graph.Edges))
	checkList(t, "nodes of the view's scope", c.Graph.IDs(), orgs...)
	checkList(t, "edges of the view's scope", edgeIDs(c.Graph.Edges), coord...)
	if top := c.Brokers(1); len(top) != 1 || top[0].Node.ID != "lk-os.kreisverwaltung" {
		t.Errorf("broker of the Kreisverwaltung's network: %v", top)
	}
}

func edgeIDs(es []*landscape.Edge) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.ID)
	}
	slices.Sort(out)
	return out
}

func linkIDs(m *analysis.Matrix) []string {
	var out []string
	for _, l := range m.Links {
		out = append(out, l.Node.ID)
	}
	return out
}

func checkList(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

func ids(ns []*landscape.Node) []string {
	out := []string{}
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}
