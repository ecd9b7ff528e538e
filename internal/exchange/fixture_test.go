package exchange

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/embedded"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Sources the fixture cites.
const (
	srcBericht   = "Bildungsbericht Landkreis Osnabrück 2019, S. 12 & 14"
	srcLvO       = `Abschlussbericht "Lernen vor Ort" 2014`
	srcStatistik = "https://www.statistik.niedersachsen.de/?thema=Gemeinden&jahr=2020"
	srcBeispiel  = "Beispieldaten"
)

// clock is the time the test stores stamp.
var clock = time.Date(2024, 6, 3, 9, 30, 15, 123456789, time.UTC)

func intp(i int) *int { return &i }

func validity(from, to string) landscape.Validity {
	var v landscape.Validity
	if from != "" {
		v.ValidFrom = landscape.MustDate(from)
	}
	if to != "" {
		v.ValidTo = landscape.MustDate(to)
	}
	return v
}

// fixtureNodes is a small Bildungslandschaft with a node of every kind and
// every attribute, umlauts, '&', quotes, '|' and text a spreadsheet would take
// for a formula.
func fixtureNodes() []*landscape.Node {
	cet := time.FixedZone("CET", 3600)
	return []*landscape.Node{
		{ID: "lk-os.bildungskoordination", Kind: landscape.Actor, Name: "Bildungskoordination für Neuzugewanderte",
			Description: "Stabsstelle im Fachdienst Bildung.\nKoordiniert \"Sprache & Beruf\"\tund Übergänge.",
			Category:    "COORDINATION", Aliases: []string{"BiKo", `Koordination "Neuzugewanderte"`}, Source: srcBericht,
			Validity:  validity("2016-10-01", "2023-12-31"),
			CreatedAt: time.Date(2016, 10, 4, 8, 0, 0, 0, cet), UpdatedAt: time.Date(2023, 1, 2, 14, 5, 6, 700, cet)},
		{ID: "lk-os.fachdienst-bildung", Kind: landscape.Actor, Name: "Fachdienst Bildung", Category: "ADMINISTRATIVE_UNIT",
			Source: srcBericht, ContactEmail: "fachdienst.bildung@example.org", ContactPhone: "+49 (541) 0000-1"},
		{ID: "bb-georgsmarienhuette", Kind: landscape.Institution, Name: "Bildungsbüro Georgsmarienhütte", Category: "BILDUNGSBUERO",
			Aliases: []string{"BB GMH", `Büro A|B`, `C:\Bildung`}, Source: srcBericht,
			URL: "https://www.georgsmarienhuette.de/bildung?seite=1&lang=de", Validity: validity("2009-01-01", "")},
		{ID: "vhs-osnabruecker-land", Kind: landscape.Institution, Name: "VHS Osnabrücker Land", Category: "VHS",
			Description: "- Sprachkurse\n- Integrationskurse", Aliases: []string{"=VHS"}, Source: srcBericht},
		{ID: "stiftung-bildung", Kind: landscape.Foundation, Name: `Bürgerstiftung "Bildung & Zukunft"`, Category: "COMMUNITY",
			URL: "https://www.buergerstiftung.example/", Source: srcLvO, Validity: validity("2009-09-01", "2014-08-31")},
		{ID: "koko-bildung", Kind: landscape.Committee, Name: "Kooperationskonferenz Bildung", Category: "CONFERENCE",
			Scope: landscape.ScopeExternal, MeetingRhythm: "zweimal jährlich", Aliases: []string{"KoKo"},
			URL: "https://www.landkreis-osnabrueck.de/bildung", Source: srcBericht, Validity: validity("2015-03-01", "")},
		{ID: "kg-bildung", Kind: landscape.Committee, Name: "Koordinierungsgruppe Bildung", Category: "STEERING_GROUP",
			Scope: landscape.ScopeInternal, MeetingRhythm: "monatlich", Source: srcBericht},
		{ID: "ni", Kind: landscape.Region, Name: "Niedersachsen", Category: "LAND", OfficialCode: "03", Source: srcStatistik},
		{ID: "lk-osnabrueck", Kind: landscape.Region, Name: "Landkreis Osnabrück", Category: "LANDKREIS", OfficialCode: "03459",
			Aliases: []string{"LK OS", "Osnabrücker Land"}, Source: srcStatistik},
		{ID: "gmh", Kind: landscape.Region, Name: "Georgsmarienhütte", Category: "STADT", OfficialCode: "03459019", Source: srcStatistik},
		{ID: "gmh.oesede", Kind: landscape.Region, Name: "Sozialraum Oesede", Category: "SOZIALRAUM", Source: srcBeispiel,
			Illustrative: true},
		{ID: "melle", Kind: landscape.Region, Name: "Melle", Category: "STADT", OfficialCode: "03459024", Source: srcStatistik},
		{ID: "sprachfoerderung", Kind: landscape.Offer, Name: "Sprachförderung in Kitas", Category: "PROGRAMME",
			Description: "@Kita: alltagsintegrierte Sprachbildung", URL: "http://www.sprachfoerderung.example/kitas",
			Source: srcBeispiel, Illustrative: true, Validity: validity("2018-08-01", "")},
		{ID: "lp-fruehe-bildung", Kind: landscape.LifePhase, Name: "Frühe Bildung", Order: intp(0), AgeFrom: intp(0), AgeTo: intp(6),
			Source: srcBericht},
		{ID: "lp-schule", Kind: landscape.LifePhase, Name: "Schule", Order: intp(1), AgeFrom: intp(6), AgeTo: intp(18), Source: srcBericht},
		{ID: "ue-kita-schule", Kind: landscape.Transition, Name: "Übergang Kita – Schule",
			Description: "Übergang von der Kindertagesstätte in die Grundschule", Source: srcBericht},
		{ID: "tg-neuzugewanderte", Kind: landscape.TargetGroup, Name: "Neuzugewanderte Kinder & Jugendliche", AgeFrom: intp(0),
			AgeTo: intp(27), Source: srcBericht},
		{ID: "af-sprache", Kind: landscape.Topic, Name: "Sprachbildung", Category: "AKTIONSFELD", Source: srcBericht},
		{ID: "af-uebergaenge", Kind: landscape.Topic, Name: "Übergänge gestalten", Category: "HANDLUNGSFELD", Source: srcBericht},
	}
}

func edge(from string, kind landscape.EdgeKind, to string, f ...func(*landscape.Edge)) *landscape.Edge {
	e := &landscape.Edge{From: from, Kind: kind, To: to, Source: srcBericht}
	for _, g := range f {
		g(e)
	}
	return e
}

func fixtureEdges() []*landscape.Edge {
	return []*landscape.Edge{
		edge("lk-os.bildungskoordination", landscape.MemberOf, "kg-bildung", func(e *landscape.Edge) {
			e.Role = "OFFICE"
			e.Validity = validity("2017-01-01", "")
		}),
		edge("lk-os.fachdienst-bildung", landscape.MemberOf, "kg-bildung", func(e *landscape.Edge) { e.Role = "CHAIR" }),
		edge("bb-georgsmarienhuette", landscape.MemberOf, "koko-bildung"),
		edge("lk-os.fachdienst-bildung", landscape.Coordinates, "kg-bildung"),
		edge("kg-bildung", landscape.Coordinates, "koko-bildung"),
		edge("lk-os.fachdienst-bildung", landscape.ResponsibleFor, "bb-georgsmarienhuette"),
		edge("lk-os.bildungskoordination", landscape.PartOf, "lk-os.fachdienst-bildung"),
		edge("lk-osnabrueck", landscape.PartOf, "ni", func(e *landscape.Edge) { e.Source = srcStatistik }),
		edge("gmh", landscape.PartOf, "lk-osnabrueck", func(e *landscape.Edge) { e.Source = srcStatistik }),
		edge("melle", landscape.PartOf, "lk-osnabrueck", func(e *landscape.Edge) { e.Source = srcStatistik }),
		edge("gmh.oesede", landscape.PartOf, "gmh", func(e *landscape.Edge) { e.Illustrative = true; e.Source = srcBeispiel }),
		edge("vhs-osnabruecker-land", landscape.CooperatesWith, "bb-georgsmarienhuette", func(e *landscape.Edge) {
			e.ID = "koop:vhs~bb-gmh"
			e.Agreement = `Kooperationsvertrag "Sprache & Beruf"`
			e.Description = "Gemeinsame Beratung\nim Bildungsbüro"
			e.CreatedAt = time.Date(2019, 3, 1, 10, 0, 0, 0, time.UTC)
			e.UpdatedAt = time.Date(2020, 3, 1, 10, 0, 0, 5, time.UTC)
		}),
		edge("stiftung-bildung", landscape.Funds, "sprachfoerderung", func(e *landscape.Edge) {
			e.Source = srcLvO
			e.Validity = validity("2010-01-01", "2013-12-31")
		}),
		edge("vhs-osnabruecker-land", landscape.Provides, "sprachfoerderung", func(e *landscape.Edge) {
			e.Source = srcBeispiel
			e.Illustrative = true
		}),
		edge("sprachfoerderung", landscape.Supports, "ue-kita-schule"),
		edge("sprachfoerderung", landscape.Targets, "tg-neuzugewanderte"),
		edge("bb-georgsmarienhuette", landscape.Serves, "gmh"),
		edge("bb-georgsmarienhuette", landscape.LocatedIn, "gmh"),
		edge("vhs-osnabruecker-land", landscape.LocatedIn, "lk-osnabrueck"),
		edge("sprachfoerderung", landscape.Serves, "gmh.oesede"),
		edge("vhs-osnabruecker-land", landscape.RefersTo, "bb-georgsmarienhuette"),
		edge("lk-os.bildungskoordination", landscape.WorksOn, "af-sprache"),
		edge("vhs-osnabruecker-land", landscape.WorksOn, "af-sprache"),
		edge("koko-bildung", landscape.WorksOn, "af-uebergaenge"),
		edge("ue-kita-schule", landscape.FromPhase, "lp-fruehe-bildung"),
		edge("ue-kita-schule", landscape.ToPhase, "lp-schule"),
	}
}

func fixtureDocument() *landscape.Document {
	return &landscape.Document{Format: landscape.DocumentFormat, Nodes: fixtureNodes(), Edges: fixtureEdges()}
}

// openStore opens an empty embedded store in a temporary directory.
func openStore(t testing.TB) *embedded.Store {
	t.Helper()
	s, err := embedded.Open(filepath.Join(t.TempDir(), "bildungsgraph.db"),
		embedded.WithClock(func() time.Time { return clock }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// seededStore opens a store holding the fixture.
func seededStore(t testing.TB) (context.Context, *embedded.Store) {
	t.Helper()
	s := openStore(t)
	ctx := context.Background()
	res, err := s.Apply(ctx, fixtureDocument().Changeset())
	if err != nil {
		t.Fatalf("seeding the fixture: %v", err)
	}
	if len(res.Nodes) != len(fixtureNodes()) || len(res.Edges) != len(fixtureEdges()) {
		t.Fatalf("seeding wrote %d nodes and %d edges, want %d and %d", len(res.Nodes), len(res.Edges),
			len(fixtureNodes()), len(fixtureEdges()))
	}
	return ctx, s
}

// exportAll exports the whole store in format f.
func exportAll(t testing.TB, ctx context.Context, s landscape.Store, f Format) []byte {
	t.Helper()
	g, err := Select(ctx, s, Selection{})
	if err != nil {
		t.Fatalf("Select: %v", err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf, g); err != nil {
		t.Fatalf("writing %s: %v", f, err)
	}
	return buf.Bytes()
}

// problemList returns the fields and messages of every problem err
// carries, one per line.
func problemList(err error) string {
	var b bytes.Buffer
	for _, p := range landscape.Problems(err) {
		b.WriteString(p.Field + ": " + p.Message + "\n")
	}
	return b.String()
}
