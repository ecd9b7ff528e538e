package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Sources the fixtures cite.
const (
	srcBildungsbericht = "Bildungsbericht Landkreis Osnabrück 2019"
	srcLvO             = "Lernen vor Ort – Abschlussbericht 2014"
	srcStatistik       = "https://www.statistik.niedersachsen.de"
	srcBeispiel        = "Beispieldaten"
)

// ---------------------------------------------------------------------------
// The landscape fixture: a small Bildungslandschaft Landkreis Osnabrück with
// 22 nodes and 24 edges, used by the filter, as-of, adjacency and subgraph
// tests. Every expectation on it is written out by hand in those tests.
//
// Validity (the earlier plan of five Bildungsbüros vs three today):
//
//	bb-georgsmarienhuette, bb-melle, bb-bramsche   2009-01-01 ..
//	bb-quakenbrueck, bb-bersenbrueck               2009-01-01 .. 2014-12-31
//	stiftungsverbund                               2009-09-01 .. 2014-08-31
//	kg-bildung                                     2015-01-01 ..
//	lk-os.bildungskoordination                     2016-10-01 ..
//	every other node                               always
//
// Edge validity: stiftungsverbund>FUNDS>bb-georgsmarienhuette 2010-01-01 ..
// 2013-12-31; lk-os.bildungskoordination>MEMBER_OF>kg-bildung 2017-01-01 ..;
// every other edge always (but invisible while one of its ends is not
// valid). Without edges: bb-melle, bb-bramsche, bb-bersenbrueck.
//
// Node ids in id order:
//
//	af-sprache, bb-bersenbrueck, bb-bramsche, bb-georgsmarienhuette,
//	bb-melle, bb-quakenbrueck, gmh, jobcenter, kg-bildung, kita-regenbogen,
//	koko-bildung, lk-os.bildungskoordination, lk-os.fachdienst-bildung,
//	lk-os.verwaltung, lk-osnabrueck, lp-fruehe-bildung, lp-schule, ni,
//	sprachfoerderung, stiftungsverbund, tg-neuzugewanderte, ue-kita-schule
func landscapeNodes() []*landscape.Node {
	const bb = "BILDUNGSBUERO"
	return []*landscape.Node{
		{ID: "ni", Kind: landscape.Region, Name: "Niedersachsen", Category: "LAND", OfficialCode: "03", Source: srcStatistik},
		{ID: "lk-osnabrueck", Kind: landscape.Region, Name: "Landkreis Osnabrück", Category: "LANDKREIS", OfficialCode: "03459",
			Aliases: []string{"LK OS", "Osnabrücker Land"}, Source: srcBildungsbericht},
		{ID: "gmh", Kind: landscape.Region, Name: "Georgsmarienhütte", Category: "STADT", OfficialCode: "03459019", Source: srcStatistik},
		{ID: "lk-os.verwaltung", Kind: landscape.Institution, Name: "Kreisverwaltung Landkreis Osnabrück", Category: "VERWALTUNG",
			Source: srcBildungsbericht},
		{ID: "lk-os.bildungskoordination", Kind: landscape.Actor, Name: "Bildungskoordination für Neuzugewanderte", Category: "COORDINATION",
			Description: "Koordiniert Bildungsangebote für Neuzugewanderte, u. a. Sprachkurse", Source: srcBildungsbericht,
			Validity: validity("2016-10-01", "")},
		{ID: "lk-os.fachdienst-bildung", Kind: landscape.Actor, Name: "Fachdienst Bildung", Category: "ADMINISTRATIVE_UNIT", Source: srcBildungsbericht},
		{ID: "bb-georgsmarienhuette", Kind: landscape.Institution, Name: "Bildungsbüro Georgsmarienhütte", Category: bb,
			Aliases: []string{"BB GMH"}, Source: srcBildungsbericht, Validity: validity("2009-01-01", "")},
		{ID: "bb-melle", Kind: landscape.Institution, Name: "Bildungsbüro Melle", Category: bb, Source: srcBildungsbericht,
			Validity: validity("2009-01-01", "")},
		{ID: "bb-bramsche", Kind: landscape.Institution, Name: "Bildungsbüro Bramsche", Category: bb, Source: srcBildungsbericht,
			Validity: validity("2009-01-01", "")},
		{ID: "bb-quakenbrueck", Kind: landscape.Institution, Name: "Bildungsbüro Quakenbrück", Category: bb, Source: srcLvO,
			Validity: validity("2009-01-01", "2014-12-31")},
		{ID: "bb-bersenbrueck", Kind: landscape.Institution, Name: "Bildungsbüro Bersenbrück", Category: bb, Source: srcLvO,
			Validity: validity("2009-01-01", "2014-12-31")},
		{ID: "jobcenter", Kind: landscape.Institution, Name: "MaßArbeit kAöR – Jobcenter Landkreis Osnabrück", Category: "JOBCENTER",
			Aliases: []string{"MaßArbeit"}, Source: srcBildungsbericht},
		{ID: "kita-regenbogen", Kind: landscape.Institution, Name: "Kita Regenbogen", Category: "KITA", Source: srcBeispiel, Illustrative: true},
		{ID: "kg-bildung", Kind: landscape.Committee, Name: "Koordinierungsgruppe Bildung", Category: "STEERING_GROUP",
			Scope: landscape.ScopeInternal, MeetingRhythm: "monatlich", Aliases: []string{"KG Bildung"},
			Description: "Verwaltungsinterne Steuerung der Bildungsregion", Source: srcBildungsbericht, Validity: validity("2015-01-01", "")},
		{ID: "koko-bildung", Kind: landscape.Committee, Name: "Kooperationskonferenz Bildung", Category: "CONFERENCE",
			Scope: landscape.ScopeExternal, MeetingRhythm: "zweimal jährlich", Aliases: []string{"KoKo"},
			URL: "https://www.landkreis-osnabrueck.de/bildung", Source: srcBildungsbericht},
		{ID: "stiftungsverbund", Kind: landscape.Foundation, Name: "Stiftungsverbund Lernen vor Ort", Category: "COMMUNITY", Source: srcLvO,
			Validity: validity("2009-09-01", "2014-08-31")},
		{ID: "sprachfoerderung", Kind: landscape.Offer, Name: "Sprachförderung in Kitas", Category: "PROGRAMME",
			Description: "Alltagsintegrierte Sprachbildung für Kinder mit Sprachförderbedarf", Source: srcBildungsbericht},
		{ID: "lp-fruehe-bildung", Kind: landscape.LifePhase, Name: "Frühe Bildung", Order: intp(1), AgeFrom: intp(0), AgeTo: intp(6),
			Source: srcBildungsbericht},
		{ID: "lp-schule", Kind: landscape.LifePhase, Name: "Schule", Order: intp(2), AgeFrom: intp(6), AgeTo: intp(18), Source: srcBildungsbericht},
		{ID: "ue-kita-schule", Kind: landscape.Transition, Name: "Übergang Kita – Schule", Source: srcBildungsbericht},
		{ID: "tg-neuzugewanderte", Kind: landscape.TargetGroup, Name: "Neuzugewanderte", Source: srcBildungsbericht},
		{ID: "af-sprache", Kind: landscape.Topic, Name: "Sprachbildung", Category: "AKTIONSFELD",
			Description: "Sprache als Schlüssel zur Teilhabe", Source: srcBildungsbericht},
	}
}

// landscapeNodeIDs are the ids of landscapeNodes in id order.
var landscapeNodeIDs = []string{
	"af-sprache", "bb-bersenbrueck", "bb-bramsche", "bb-georgsmarienhuette", "bb-melle", "bb-quakenbrueck", "gmh",
	"jobcenter", "kg-bildung", "kita-regenbogen", "koko-bildung", "lk-os.bildungskoordination", "lk-os.fachdienst-bildung",
	"lk-os.verwaltung", "lk-osnabrueck", "lp-fruehe-bildung", "lp-schule", "ni", "sprachfoerderung", "stiftungsverbund",
	"tg-neuzugewanderte", "ue-kita-schule",
}

// edge returns an edge with the default id and a source.
func edge(from string, kind landscape.EdgeKind, to string) *landscape.Edge {
	return &landscape.Edge{From: from, Kind: kind, To: to, Source: srcBildungsbericht}
}

// The ids of the landscape edges, in id order. All but one are default ids.
const (
	eBBGmhLocatedInGmh    = "bb-georgsmarienhuette>LOCATED_IN>gmh"
	eBBGmhMemberOfKoko    = "bb-georgsmarienhuette>MEMBER_OF>koko-bildung"
	eBBGmhServesGmh       = "bb-georgsmarienhuette>SERVES>gmh"
	eBBQuakServesLK       = "bb-quakenbrueck>SERVES>lk-osnabrueck"
	eGmhPartOfLK          = "gmh>PART_OF>lk-osnabrueck"
	eJobcenterMemberKoko  = "jobcenter>MEMBER_OF>koko-bildung"
	eJobcenterRefersBBGmh = "jobcenter>REFERS_TO>bb-georgsmarienhuette"
	eKGCoordinatesKoko    = "kg-bildung>COORDINATES>koko-bildung"
	eKitaProvidesSprach   = "kita-regenbogen>PROVIDES>sprachfoerderung"
	eKooperation          = "kooperation-jobcenter-kreisverwaltung"
	eBiKoMemberKG         = "lk-os.bildungskoordination>MEMBER_OF>kg-bildung"
	eBiKoPartOfVerw       = "lk-os.bildungskoordination>PART_OF>lk-os.verwaltung"
	eBiKoWorksOnSprache   = "lk-os.bildungskoordination>WORKS_ON>af-sprache"
	eFDCoordinatesKG      = "lk-os.fachdienst-bildung>COORDINATES>kg-bildung"
	eFDMemberKG           = "lk-os.fachdienst-bildung>MEMBER_OF>kg-bildung"
	eFDPartOfVerw         = "lk-os.fachdienst-bildung>PART_OF>lk-os.verwaltung"
	eFDResponsibleBBGmh   = "lk-os.fachdienst-bildung>RESPONSIBLE_FOR>bb-georgsmarienhuette"
	eVerwServesLK         = "lk-os.verwaltung>SERVES>lk-osnabrueck"
	eLKPartOfNI           = "lk-osnabrueck>PART_OF>ni"
	eSprachSupportsUe     = "sprachfoerderung>SUPPORTS>ue-kita-schule"
	eSprachTargetsTG      = "sprachfoerderung>TARGETS>tg-neuzugewanderte"
	eStiftungFundsBBGmh   = "stiftungsverbund>FUNDS>bb-georgsmarienhuette"
	eUeFromPhase          = "ue-kita-schule>FROM_PHASE>lp-fruehe-bildung"
	eUeToPhase            = "ue-kita-schule>TO_PHASE>lp-schule"
)

// landscapeEdgeIDs are the ids of landscapeEdges in id order.
var landscapeEdgeIDs = []string{
	eBBGmhLocatedInGmh, eBBGmhMemberOfKoko, eBBGmhServesGmh, eBBQuakServesLK, eGmhPartOfLK, eJobcenterMemberKoko,
	eJobcenterRefersBBGmh, eKGCoordinatesKoko, eKitaProvidesSprach, eKooperation, eBiKoMemberKG, eBiKoPartOfVerw,
	eBiKoWorksOnSprache, eFDCoordinatesKG, eFDMemberKG, eFDPartOfVerw, eFDResponsibleBBGmh, eVerwServesLK, eLKPartOfNI,
	eSprachSupportsUe, eSprachTargetsTG, eStiftungFundsBBGmh, eUeFromPhase, eUeToPhase,
}

func landscapeEdges() []*landscape.Edge {
	with := func(e *landscape.Edge, f func(e *landscape.Edge)) *landscape.Edge { f(e); return e }
	return []*landscape.Edge{
		edge("lk-osnabrueck", landscape.PartOf, "ni"),
		edge("gmh", landscape.PartOf, "lk-osnabrueck"),
		edge("lk-os.verwaltung", landscape.Serves, "lk-osnabrueck"),
		edge("lk-os.bildungskoordination", landscape.PartOf, "lk-os.verwaltung"),
		edge("lk-os.fachdienst-bildung", landscape.PartOf, "lk-os.verwaltung"),
		with(edge("lk-os.bildungskoordination", landscape.MemberOf, "kg-bildung"), func(e *landscape.Edge) {
			e.Role = "OFFICE"
			e.Validity = validity("2017-01-01", "")
		}),
		with(edge("lk-os.fachdienst-bildung", landscape.MemberOf, "kg-bildung"), func(e *landscape.Edge) { e.Role = "CHAIR" }),
		edge("jobcenter", landscape.MemberOf, "koko-bildung"), // role defaults to MEMBER
		with(edge("bb-georgsmarienhuette", landscape.MemberOf, "koko-bildung"), func(e *landscape.Edge) { e.Role = "MEMBER" }),
		edge("bb-georgsmarienhuette", landscape.LocatedIn, "gmh"),
		edge("bb-georgsmarienhuette", landscape.Serves, "gmh"),
		with(edge("bb-quakenbrueck", landscape.Serves, "lk-osnabrueck"), func(e *landscape.Edge) { e.Source = srcLvO }),
		with(edge("stiftungsverbund", landscape.Funds, "bb-georgsmarienhuette"), func(e *landscape.Edge) {
			e.Source = srcLvO
			e.Validity = validity("2010-01-01", "2013-12-31")
		}),
		edge("lk-os.fachdienst-bildung", landscape.Coordinates, "kg-bildung"),
		edge("kg-bildung", landscape.Coordinates, "koko-bildung"),
		with(edge("jobcenter", landscape.CooperatesWith, "lk-os.verwaltung"), func(e *landscape.Edge) {
			e.ID = eKooperation
			e.Agreement = "Kooperationsvereinbarung"
		}),
		with(edge("kita-regenbogen", landscape.Provides, "sprachfoerderung"), func(e *landscape.Edge) {
			e.Source = srcBeispiel
			e.Illustrative = true
		}),
		edge("sprachfoerderung", landscape.Supports, "ue-kita-schule"),
		edge("sprachfoerderung", landscape.Targets, "tg-neuzugewanderte"),
		edge("ue-kita-schule", landscape.FromPhase, "lp-fruehe-bildung"),
		edge("ue-kita-schule", landscape.ToPhase, "lp-schule"),
		edge("lk-os.bildungskoordination", landscape.WorksOn, "af-sprache"),
		edge("jobcenter", landscape.RefersTo, "bb-georgsmarienhuette"),
		edge("lk-os.fachdienst-bildung", landscape.ResponsibleFor, "bb-georgsmarienhuette"),
	}
}

// seedLandscape opens a store and writes the landscape fixture into it.
func seedLandscape(t *testing.T, open opener) (context.Context, landscape.Store) {
	t.Helper()
	s := newStore(t, open)
	ctx := testContext(t)
	res := apply(t, ctx, s, createAll(landscapeNodes(), landscapeEdges()))
	if len(res.Nodes) != len(landscapeNodeIDs) || len(res.Edges) != len(landscapeEdgeIDs) {
		t.Fatalf("seeding the landscape wrote %d nodes and %d edges, want %d and %d",
			len(res.Nodes), len(res.Edges), len(landscapeNodeIDs), len(landscapeEdgeIDs))
	}
	return ctx, s
}

// ---------------------------------------------------------------------------
// One node of every kind, with every attribute its kind takes.

func everyKindNodes() []*landscape.Node {
	return []*landscape.Node{
		{ID: "lk-os.bildungskoordination", Kind: landscape.Actor, Name: "Bildungskoordination für Neuzugewanderte",
			Description: "Stabsstelle im Fachdienst Bildung.\nKoordiniert Sprach- und Bildungsangebote\tfür Neuzugewanderte.",
			Category:    "COORDINATION", Aliases: []string{"BiKo", "Koordination Neuzugewanderte"}, Source: srcBildungsbericht,
			ContactEmail: "bildungskoordination@example.org", ContactPhone: "+49 541 0000-0",
			Validity: validity("2016-10-01", "2023-12-31")},
		{ID: "bb-georgsmarienhuette", Kind: landscape.Institution, Name: "Bildungsbüro Georgsmarienhütte", Category: "BILDUNGSBUERO",
			Aliases: []string{"BB GMH"}, Source: srcBildungsbericht, URL: "https://www.georgsmarienhuette.de/bildungsbuero",
			Validity: validity("2009-01-01", "")},
		{ID: "stiftungsverbund", Kind: landscape.Foundation, Name: "Stiftungsverbund Lernen vor Ort", Category: "COMMUNITY",
			URL: "https://www.lernen-vor-ort.info", Source: srcLvO, Validity: validity("2009-09-01", "2014-08-31")},
		{ID: "koko-bildung", Kind: landscape.Committee, Name: "Kooperationskonferenz Bildung", Category: "CONFERENCE",
			Scope: landscape.ScopeExternal, MeetingRhythm: "zweimal jährlich", Aliases: []string{"KoKo"},
			URL: "https://www.landkreis-osnabrueck.de/bildung", Source: srcBildungsbericht, Validity: validity("2015-03-01", "")},
		{ID: "lk-osnabrueck", Kind: landscape.Region, Name: "Landkreis Osnabrück", Category: "LANDKREIS", OfficialCode: "03459",
			Aliases: []string{"LK OS"}, Source: srcStatistik},
		{ID: "sprachfoerderung", Kind: landscape.Offer, Name: "Sprachförderung in Kitas", Category: "PROGRAMME",
			URL: "http://www.sprachfoerderung.example/kitas", Source: srcBeispiel, Illustrative: true},
		{ID: "lp-fruehe-bildung", Kind: landscape.LifePhase, Name: "Frühe Bildung", Order: intp(0), AgeFrom: intp(0), AgeTo: intp(6),
			Source: srcBildungsbericht},
		{ID: "ue-kita-schule", Kind: landscape.Transition, Name: "Übergang Kita – Schule",
			Description: "Übergang von der Kindertagesstätte in die Grundschule", Source: srcBildungsbericht},
		{ID: "tg-neuzugewanderte", Kind: landscape.TargetGroup, Name: "Neuzugewanderte Kinder und Jugendliche", AgeFrom: intp(0), AgeTo: intp(27),
			Source: srcBildungsbericht},
		{ID: "af-uebergaenge", Kind: landscape.Topic, Name: "Übergänge gestalten", Category: "HANDLUNGSFELD", Source: srcBildungsbericht},
	}
}

// ---------------------------------------------------------------------------
// The order fixture: seven nodes with ties on every sort key and given
// timestamps (written with KeepTimestamps), for the order and paging tests.
//
//	id                           kind         name                                  created  updated  validFrom   validTo
//	hagen                        Region       Gemeinde Hagen a.T.W.                 T3       U0       -           -
//	kita-sonnenschein-bissendorf Institution  Kita Sonnenschein                     T2       U1       -           2023-07-31
//	kita-sonnenschein-hagen      Institution  Kita Sonnenschein                     T1       U2       2018-08-01  -
//	konferenz-zukunft            Committee    Zukunftskonferenz Bildung             T3'      U3       2012-05-01  -
//	lk-os.bildungskoordination   Actor        Bildungskoordination                  T0       U3'      2016-10-01  2023-07-31
//	messe-ausbildung             Offer        Ausbildungsmesse Osnabrücker Land     T2       U2       -           -
//	uebergang-schule-beruf       Committee    Arbeitskreis Übergang Schule–Beruf    T1       U1       2018-08-01  2022-12-31
//
// T1 and T2 are 100ns apart; T3 and T3' (U3 and U3') are the same instant in
// different zones.
var (
	cet = time.FixedZone("CET", 3600)
	t0  = time.Date(2023, 11, 2, 8, 15, 0, 0, time.UTC)
	t1  = time.Date(2024, 1, 10, 10, 0, 0, 100, time.UTC)
	t2  = time.Date(2024, 1, 10, 10, 0, 0, 200, time.UTC)
	t3  = time.Date(2024, 2, 1, 12, 30, 0, 0, cet)
	t3z = time.Date(2024, 2, 1, 11, 30, 0, 0, time.UTC)
	u0  = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	u1  = time.Date(2024, 3, 5, 16, 45, 30, 123456789, time.UTC)
	u2  = time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	u3  = time.Date(2024, 5, 1, 2, 0, 0, 0, time.FixedZone("CEST", 7200))
	u3z = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
)

func orderNodes() []*landscape.Node {
	n := func(id string, kind landscape.NodeKind, name string, created, updated time.Time, from, to string) *landscape.Node {
		return &landscape.Node{ID: id, Kind: kind, Name: name, Source: srcBildungsbericht,
			Validity: validity(from, to), CreatedAt: created, UpdatedAt: updated}
	}
	return []*landscape.Node{
		n("hagen", landscape.Region, "Gemeinde Hagen a.T.W.", t3, u0, "", ""),
		n("kita-sonnenschein-bissendorf", landscape.Institution, "Kita Sonnenschein", t2, u1, "", "2023-07-31"),
		n("kita-sonnenschein-hagen", landscape.Institution, "Kita Sonnenschein", t1, u2, "2018-08-01", ""),
		n("konferenz-zukunft", landscape.Committee, "Zukunftskonferenz Bildung", t3z, u3, "2012-05-01", ""),
		n("lk-os.bildungskoordination", landscape.Actor, "Bildungskoordination", t0, u3z, "2016-10-01", "2023-07-31"),
		n("messe-ausbildung", landscape.Offer, "Ausbildungsmesse Osnabrücker Land", t2, u2, "", ""),
		n("uebergang-schule-beruf", landscape.Committee, "Arbeitskreis Übergang Schule–Beruf", t1, u1, "2018-08-01", "2022-12-31"),
	}
}

// seedOrder opens a store and writes the order fixture into it.
func seedOrder(t *testing.T, open opener) (context.Context, landscape.Store) {
	t.Helper()
	s := newStore(t, open)
	ctx := testContext(t)
	cs := createNodes(orderNodes()...)
	cs.KeepTimestamps = true
	apply(t, ctx, s, cs)
	return ctx, s
}
