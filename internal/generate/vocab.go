package generate

// The fixed vocabulary of the generated landscape: life phases, transitions,
// target groups and topics. The ids are our own (lp., ue., zg., af., hf.,
// th.) so that a generated landscape never overwrites the sample's nodes.

type phaseDef struct {
	id, name       string
	order          int
	ageFrom, ageTo int // -1: open
}

var phases = []phaseDef{
	{"lp.fruehe-kindheit", "Frühe Kindheit", 10, 0, 3},
	{"lp.kita", "Kita (Elementarbereich)", 20, 3, 6},
	{"lp.grundschule", "Grundschule (Primarbereich)", 30, 6, 10},
	{"lp.sek1", "Sekundarstufe I", 40, 10, 16},
	{"lp.ausbildung-studium", "Ausbildung, Sekundarstufe II und Studium", 50, 16, 25},
	{"lp.beruf", "Beruf", 60, 18, 67},
	{"lp.weiterbildung", "Weiterbildung / Erwachsenenbildung", 70, 18, -1},
	{"lp.ankommen", "Ankommen", 110, -1, -1},
	{"lp.klaeren", "Klären", 120, -1, -1},
	{"lp.bleiben", "Bleiben", 130, -1, -1},
}

type transitionDef struct{ id, name, from, to string }

var transitions = []transitionDef{
	{"ue.fruehe-kindheit-kita", "Übergang in die Kita", "lp.fruehe-kindheit", "lp.kita"},
	{"ue.kita-grundschule", "Übergang Kita → Grundschule", "lp.kita", "lp.grundschule"},
	{"ue.grundschule-sek1", "Übergang Grundschule → Sekundarstufe I", "lp.grundschule", "lp.sek1"},
	{"ue.schule-ausbildung", "Übergang Schule → Ausbildung/Studium", "lp.sek1", "lp.ausbildung-studium"},
	{"ue.ausbildung-beruf", "Übergang Ausbildung/Studium → Beruf", "lp.ausbildung-studium", "lp.beruf"},
	{"ue.beruf-weiterbildung", "Übergang Beruf → Weiterbildung", "lp.beruf", "lp.weiterbildung"},
	{"ue.ankommen-klaeren", "Übergang Ankommen → Klären", "lp.ankommen", "lp.klaeren"},
	{"ue.klaeren-bleiben", "Übergang Klären → Bleiben", "lp.klaeren", "lp.bleiben"},
	{"ue.bleiben-ausbildung", "Übergang Bleiben → Ausbildung/Studium", "lp.bleiben", "lp.ausbildung-studium"},
}

// nextLink is the next link of the support chains after a phase or
// transition: where an offer refers its participants on to.
var nextLink = map[string]string{
	"lp.fruehe-kindheit":      "ue.fruehe-kindheit-kita",
	"ue.fruehe-kindheit-kita": "lp.kita",
	"lp.kita":                 "ue.kita-grundschule",
	"ue.kita-grundschule":     "lp.grundschule",
	"lp.grundschule":          "ue.grundschule-sek1",
	"ue.grundschule-sek1":     "lp.sek1",
	"lp.sek1":                 "ue.schule-ausbildung",
	"ue.schule-ausbildung":    "lp.ausbildung-studium",
	"lp.ausbildung-studium":   "ue.ausbildung-beruf",
	"ue.ausbildung-beruf":     "lp.beruf",
	"lp.beruf":                "ue.beruf-weiterbildung",
	"ue.beruf-weiterbildung":  "lp.weiterbildung",
	"lp.ankommen":             "ue.ankommen-klaeren",
	"ue.ankommen-klaeren":     "lp.klaeren",
	"lp.klaeren":              "ue.klaeren-bleiben",
	"ue.klaeren-bleiben":      "lp.bleiben",
	"lp.bleiben":              "ue.bleiben-ausbildung",
	"ue.bleiben-ausbildung":   "lp.ausbildung-studium",
}

type targetGroupDef struct {
	id, name       string
	ageFrom, ageTo int // -1: open
}

var targetGroups = []targetGroupDef{
	{"zg.kinder", "Kinder", 0, 13},
	{"zg.jugendliche", "Jugendliche", 14, 17},
	{"zg.junge-erwachsene", "Junge Erwachsene", 18, 26},
	{"zg.erwachsene", "Erwachsene", 18, -1},
	{"zg.eltern", "Eltern und Familien", -1, -1},
	{"zg.alleinerziehende", "Alleinerziehende", -1, -1},
	{"zg.neuzugewanderte", "Neuzugewanderte", -1, -1},
	{"zg.gefluechtete", "Geflüchtete", -1, -1},
	{"zg.migrationshintergrund", "Menschen mit Migrationsgeschichte", -1, -1},
	{"zg.benachteiligte", "Benachteiligte Menschen", -1, -1},
	{"zg.menschen-mit-behinderung", "Menschen mit Behinderung", -1, -1},
	{"zg.langzeitarbeitslose", "Langzeitarbeitslose", -1, -1},
	{"zg.fachkraefte", "Beschäftigte und Fachkräfte", -1, -1},
	{"zg.ehrenamtliche", "Ehrenamtlich Engagierte", -1, -1},
	{"zg.senioren", "Seniorinnen und Senioren", 65, -1},
}

type topicDef struct{ id, name, category, partOf string }

var topics = []topicDef{
	{"af.fruehe-bildung", "Aktionsfeld Frühe Bildung", "AKTIONSFELD", ""},
	{"af.schule", "Aktionsfeld Schulische Bildung", "AKTIONSFELD", ""},
	{"af.uebergang-schule-beruf", "Aktionsfeld Übergang Schule–Beruf", "AKTIONSFELD", ""},
	{"af.berufliche-bildung", "Aktionsfeld Berufliche Bildung", "AKTIONSFELD", ""},
	{"af.weiterbildung", "Aktionsfeld Weiterbildung und lebensbegleitendes Lernen", "AKTIONSFELD", ""},
	{"af.integration", "Aktionsfeld Integration durch Bildung", "AKTIONSFELD", ""},
	{"af.familienbildung", "Aktionsfeld Familienbildung/Elternarbeit", "AKTIONSFELD", ""},
	{"af.demokratie-kultur", "Aktionsfeld Demokratie und Kultur", "AKTIONSFELD", ""},
	{"af.mint", "Aktionsfeld MINT-Bildung", "AKTIONSFELD", ""},
	{"hf.sprachbildung", "Sprachbildung und Sprachförderung", "HANDLUNGSFELD", "af.integration"},
	{"hf.bildungsberatung", "Bildungsberatung", "HANDLUNGSFELD", "af.weiterbildung"},
	{"hf.bildungsmonitoring", "Bildungsmonitoring", "HANDLUNGSFELD", ""},
	{"hf.inklusion", "Inklusion", "HANDLUNGSFELD", "af.schule"},
	{"hf.ganztag", "Ganztag", "HANDLUNGSFELD", "af.schule"},
	{"hf.fachkraeftesicherung", "Fachkräftesicherung", "HANDLUNGSFELD", "af.berufliche-bildung"},
	{"hf.digitale-bildung", "Digitale Bildung", "HANDLUNGSFELD", ""},
	{"th.ehrenamt", "Ehrenamt in der Bildungsarbeit", "THEME", ""},
	{"th.gesundheit", "Gesundheitsförderung", "THEME", ""},
	{"th.umweltbildung", "Umweltbildung / Bildung für nachhaltige Entwicklung", "THEME", ""},
	{"th.lesefoerderung", "Leseförderung", "THEME", "hf.sprachbildung"},
	{"th.kinderschutz", "Kinderschutz", "THEME", "af.familienbildung"},
	{"th.berufsorientierung", "Berufsorientierung", "THEME", "af.uebergang-schule-beruf"},
	{"th.grundbildung", "Grundbildung und Alphabetisierung", "THEME", "af.weiterbildung"},
	{"th.kommunales-bildungsmanagement", "Kommunales Bildungsmanagement", "THEME", ""},
}

// Provider classes of offer templates: institution kinds of the generator
// (finer than the domain's categories: a Gemeindeverwaltung and a
// Kreisverwaltung are both VERWALTUNG).
const (
	pKita       = "KITA"
	pGS         = "GRUNDSCHULE"
	pWFS        = "WEITERFUEHRENDE_SCHULE"
	pBBS        = "BBS"
	pVHS        = "VHS"
	pJobcenter  = "JOBCENTER"
	pAgentur    = "AGENTUR_FUER_ARBEIT"
	pKammer     = "KAMMER"
	pBeratung   = "BERATUNGSSTELLE"
	pMigration  = "MIGRATIONSZENTRUM"
	pBB         = "BILDUNGSBUERO"
	pKreis      = "KREISVERWALTUNG"
	pGemeinde   = "GEMEINDEVERWALTUNG"
	pJugend     = "JUGENDHILFE"
	pVerein     = "VEREIN"
	pFirma      = "UNTERNEHMEN"
	pBib        = "BIBLIOTHEK"
	pHochschule = "HOCHSCHULE"
	pSonstige   = "SONSTIGE"
	pLand       = "LANDESEINRICHTUNG"
)

// offerTemplate is a kind of Angebot: what it supports, whom it addresses,
// who offers it and where.
type offerTemplate struct {
	name      string
	category  string
	supports  []string
	targets   []string
	providers []string
	topics    []string
	district  bool // offered for the whole district (else for the provider's Gemeinde)
	weight    float64
}

var offerTemplates = []offerTemplate{
	// Frühe Kindheit
	{"Willkommensbesuche für Neugeborene", "SERVICE", []string{"lp.fruehe-kindheit"}, []string{"zg.eltern"}, []string{pGemeinde, pJugend}, []string{"af.familienbildung", "th.kinderschutz"}, false, 2},
	{"Familienhebammen (Frühe Hilfen)", "SERVICE", []string{"lp.fruehe-kindheit"}, []string{"zg.eltern", "zg.alleinerziehende"}, []string{pKreis, pJugend}, []string{"th.kinderschutz", "th.gesundheit"}, true, 1.5},
	{"Eltern-Kind-Gruppe", "COURSE", []string{"lp.fruehe-kindheit"}, []string{"zg.eltern", "zg.kinder"}, []string{pVerein, pSonstige, pKita}, []string{"af.familienbildung"}, false, 3},
	{"Kita-Platzberatung", "COUNSELLING", []string{"ue.fruehe-kindheit-kita"}, []string{"zg.eltern", "zg.neuzugewanderte"}, []string{pGemeinde, pKreis}, []string{"af.fruehe-bildung"}, false, 1.5},
	{"Brückenangebot Kita-Einstieg für neuzugewanderte Familien", "PROJECT", []string{"ue.fruehe-kindheit-kita", "lp.ankommen"}, []string{"zg.neuzugewanderte", "zg.gefluechtete", "zg.eltern"}, []string{pJugend, pMigration}, []string{"af.integration", "af.fruehe-bildung"}, true, 1},
	{"Eingewöhnungsbegleitung", "SERVICE", []string{"ue.fruehe-kindheit-kita"}, []string{"zg.kinder", "zg.eltern"}, []string{pKita}, []string{"af.fruehe-bildung"}, false, 2},
	// Kita
	{"Alltagsintegrierte Sprachbildung", "SERVICE", []string{"lp.kita"}, []string{"zg.kinder"}, []string{pKita}, []string{"hf.sprachbildung", "af.fruehe-bildung"}, false, 5},
	{"Sprachförderung vor der Einschulung", "COURSE", []string{"lp.kita", "ue.kita-grundschule"}, []string{"zg.kinder", "zg.migrationshintergrund"}, []string{pKita, pGS}, []string{"hf.sprachbildung"}, false, 3},
	{"Kita-Lesepaten", "PROJECT", []string{"lp.kita"}, []string{"zg.kinder"}, []string{pVerein, pBib}, []string{"th.lesefoerderung", "th.ehrenamt"}, false, 1.5},
	{"Naturforscher-Tage", "COURSE", []string{"lp.kita"}, []string{"zg.kinder"}, []string{pKita, pVerein}, []string{"th.umweltbildung", "af.mint"}, false, 1.5},
	{"Inklusive Frühförderung", "SERVICE", []string{"lp.kita", "lp.fruehe-kindheit"}, []string{"zg.kinder", "zg.menschen-mit-behinderung"}, []string{pJugend, pBeratung}, []string{"hf.inklusion"}, true, 1.5},
	// Übergang Kita → Grundschule
	{"Brückenjahr Kita–Grundschule", "PROGRAMME", []string{"ue.kita-grundschule"}, []string{"zg.kinder"}, []string{pGS, pKita}, []string{"af.fruehe-bildung", "af.schule"}, false, 4},
	{"Elternabend für Schulanfänger", "SERVICE", []string{"ue.kita-grundschule"}, []string{"zg.eltern"}, []string{pGS}, []string{"af.familienbildung"}, false, 2},
	{"Kita-Lotsen", "PROJECT", []string{"ue.kita-grundschule", "lp.ankommen"}, []string{"zg.neuzugewanderte", "zg.eltern"}, []string{pMigration, pVerein}, []string{"af.integration"}, true, 1},
	// Grundschule
	{"Hausaufgabenhilfe", "SERVICE", []string{"lp.grundschule"}, []string{"zg.kinder", "zg.benachteiligte"}, []string{pGS, pVerein, pJugend}, []string{"af.schule", "hf.ganztag"}, false, 4},
	{"Ganztagsangebot", "SERVICE", []string{"lp.grundschule"}, []string{"zg.kinder"}, []string{pGS}, []string{"hf.ganztag"}, false, 3},
	{"Leseclub", "PROJECT", []string{"lp.grundschule", "lp.sek1"}, []string{"zg.kinder", "zg.jugendliche"}, []string{pBib, pVerein}, []string{"th.lesefoerderung"}, false, 2},
	{"Sprachlernklasse", "COURSE", []string{"lp.grundschule", "lp.ankommen"}, []string{"zg.neuzugewanderte", "zg.kinder"}, []string{pGS}, []string{"hf.sprachbildung", "af.integration"}, false, 1.5},
	{"MINT-AG", "COURSE", []string{"lp.grundschule", "lp.sek1"}, []string{"zg.kinder", "zg.jugendliche"}, []string{pGS, pWFS, pHochschule, pFirma}, []string{"af.mint"}, false, 2},
	{"Schulsozialarbeit", "SERVICE", []string{"lp.grundschule", "lp.sek1"}, []string{"zg.kinder", "zg.jugendliche", "zg.benachteiligte"}, []string{pGS, pWFS, pJugend}, []string{"af.schule"}, false, 3},
	// Übergang Grundschule → Sek I
	{"Informationsabend weiterführende Schulen", "SERVICE", []string{"ue.grundschule-sek1"}, []string{"zg.eltern"}, []string{pWFS, pGS}, []string{"af.schule"}, false, 2.5},
	{"Schnuppertage an weiterführenden Schulen", "PROJECT", []string{"ue.grundschule-sek1"}, []string{"zg.kinder"}, []string{pWFS}, []string{"af.schule"}, false, 2},
	// Sek I
	{"Berufsorientierung mit Praxistagen", "PROGRAMME", []string{"lp.sek1", "ue.schule-ausbildung"}, []string{"zg.jugendliche"}, []string{pWFS}, []string{"th.berufsorientierung", "af.uebergang-schule-beruf"}, false, 4},
	{"Potenzialanalyse", "SERVICE", []string{"lp.sek1"}, []string{"zg.jugendliche"}, []string{pWFS, pBB, pSonstige}, []string{"th.berufsorientierung"}, true, 2},
	{"Lernförderung", "COURSE", []string{"lp.sek1"}, []string{"zg.jugendliche", "zg.benachteiligte"}, []string{pWFS, pVerein, pJugend}, []string{"af.schule"}, false, 2},
	{"Demokratieprojekt", "PROJECT", []string{"lp.sek1", "lp.ausbildung-studium"}, []string{"zg.jugendliche"}, []string{pVerein, pJugend, pWFS}, []string{"af.demokratie-kultur"}, false, 1.5},
	// Schule → Ausbildung
	{"Berufseinstiegsbegleitung", "PROGRAMME", []string{"ue.schule-ausbildung"}, []string{"zg.jugendliche", "zg.benachteiligte"}, []string{pAgentur, pJugend, pBBS}, []string{"af.uebergang-schule-beruf"}, true, 3},
	{"Berufsberatung an Schulen", "COUNSELLING", []string{"ue.schule-ausbildung", "lp.sek1"}, []string{"zg.jugendliche"}, []string{pAgentur}, []string{"th.berufsorientierung"}, true, 2.5},
	{"Ausbildungsbörse", "SERVICE", []string{"ue.schule-ausbildung"}, []string{"zg.jugendliche", "zg.junge-erwachsene"}, []string{pKammer, pBB, pKreis}, []string{"af.uebergang-schule-beruf", "hf.fachkraeftesicherung"}, true, 1.5},
	{"Beratung der Jugendberufsagentur", "COUNSELLING", []string{"ue.schule-ausbildung", "lp.ausbildung-studium"}, []string{"zg.jugendliche", "zg.junge-erwachsene"}, []string{pJobcenter, pAgentur}, []string{"af.uebergang-schule-beruf"}, true, 2},
	{"Berufseinstiegsschule", "COURSE", []string{"ue.schule-ausbildung"}, []string{"zg.jugendliche", "zg.benachteiligte"}, []string{pBBS}, []string{"af.berufliche-bildung"}, true, 2},
	{"Passgenaue Besetzung von Ausbildungsplätzen", "SERVICE", []string{"ue.schule-ausbildung"}, []string{"zg.jugendliche", "zg.junge-erwachsene"}, []string{pKammer}, []string{"hf.fachkraeftesicherung"}, true, 1.5},
	// Ausbildung und Studium
	{"Assistierte Ausbildung", "PROGRAMME", []string{"lp.ausbildung-studium"}, []string{"zg.junge-erwachsene", "zg.benachteiligte"}, []string{pAgentur, pJugend, pBBS}, []string{"af.berufliche-bildung"}, true, 2},
	{"Sprachförderung an berufsbildenden Schulen", "COURSE", []string{"lp.ausbildung-studium", "lp.klaeren"}, []string{"zg.neuzugewanderte", "zg.junge-erwachsene"}, []string{pBBS}, []string{"hf.sprachbildung", "af.integration"}, true, 2},
	{"Studienorientierung", "COUNSELLING", []string{"lp.ausbildung-studium"}, []string{"zg.jugendliche", "zg.junge-erwachsene"}, []string{pHochschule, pWFS}, []string{"af.berufliche-bildung"}, true, 1},
	// Ausbildung → Beruf
	{"Übernahmecoaching", "SERVICE", []string{"ue.ausbildung-beruf"}, []string{"zg.junge-erwachsene"}, []string{pKammer, pJobcenter}, []string{"hf.fachkraeftesicherung"}, true, 1.5},
	{"Bewerbungstraining", "COURSE", []string{"ue.ausbildung-beruf", "ue.schule-ausbildung"}, []string{"zg.junge-erwachsene", "zg.jugendliche"}, []string{pJobcenter, pVHS, pVerein}, []string{"af.berufliche-bildung"}, false, 2},
	// Beruf
	{"Qualifizierungsberatung für Beschäftigte", "COUNSELLING", []string{"lp.beruf"}, []string{"zg.fachkraefte"}, []string{pAgentur, pKammer}, []string{"hf.fachkraeftesicherung"}, true, 1.5},
	{"Coaching Berufsrückkehr", "COUNSELLING", []string{"lp.beruf", "ue.beruf-weiterbildung"}, []string{"zg.erwachsene", "zg.alleinerziehende"}, []string{pJobcenter, pBeratung}, []string{"af.weiterbildung"}, true, 1.5},
	{"Arbeitsmarktintegration Langzeitarbeitsloser", "PROGRAMME", []string{"lp.beruf"}, []string{"zg.langzeitarbeitslose"}, []string{pJobcenter}, []string{"af.berufliche-bildung"}, true, 1.5},
	// Weiterbildung
	{"Weiterbildungsberatung", "COUNSELLING", []string{"ue.beruf-weiterbildung", "lp.weiterbildung"}, []string{"zg.erwachsene", "zg.fachkraefte"}, []string{pVHS, pBeratung, pBB}, []string{"hf.bildungsberatung", "af.weiterbildung"}, true, 2},
	{"Abendkurs zum Schulabschluss", "COURSE", []string{"lp.weiterbildung"}, []string{"zg.erwachsene", "zg.junge-erwachsene"}, []string{pVHS}, []string{"af.weiterbildung"}, true, 2},
	{"Grundbildung und Alphabetisierung", "COURSE", []string{"lp.weiterbildung"}, []string{"zg.erwachsene", "zg.benachteiligte"}, []string{pVHS, pVerein}, []string{"th.grundbildung"}, true, 2},
	{"Digitalkurs für Seniorinnen und Senioren", "COURSE", []string{"lp.weiterbildung"}, []string{"zg.senioren"}, []string{pVHS, pBib, pVerein}, []string{"hf.digitale-bildung"}, false, 2},
	{"Elternkurs", "COURSE", []string{"lp.weiterbildung", "lp.fruehe-kindheit"}, []string{"zg.eltern"}, []string{pVHS, pSonstige, pJugend}, []string{"af.familienbildung"}, false, 2},
	{"Bildungsberatung", "COUNSELLING", []string{"lp.weiterbildung", "ue.beruf-weiterbildung", "lp.klaeren"}, []string{"zg.erwachsene", "zg.neuzugewanderte"}, []string{pBB}, []string{"hf.bildungsberatung"}, true, 1},
	// Ankommen, Klären, Bleiben
	{"Erstorientierungskurs", "COURSE", []string{"lp.ankommen"}, []string{"zg.neuzugewanderte", "zg.gefluechtete"}, []string{pVHS, pMigration}, []string{"af.integration"}, true, 2},
	{"Integrationskurs", "COURSE", []string{"lp.ankommen", "ue.ankommen-klaeren"}, []string{"zg.neuzugewanderte"}, []string{pVHS}, []string{"hf.sprachbildung", "af.integration"}, true, 3},
	{"Migrationsberatung für Erwachsene", "COUNSELLING", []string{"lp.klaeren", "ue.ankommen-klaeren"}, []string{"zg.neuzugewanderte", "zg.erwachsene"}, []string{pMigration, pBeratung}, []string{"af.integration"}, true, 2},
	{"Anerkennungsberatung für ausländische Abschlüsse", "COUNSELLING", []string{"lp.klaeren", "ue.klaeren-bleiben"}, []string{"zg.neuzugewanderte", "zg.fachkraefte"}, []string{pKammer, pBeratung, pMigration}, []string{"hf.fachkraeftesicherung", "af.integration"}, true, 1.5},
	{"Beratung des Jugendmigrationsdienstes", "COUNSELLING", []string{"lp.klaeren"}, []string{"zg.neuzugewanderte", "zg.jugendliche"}, []string{pBeratung}, []string{"af.integration"}, true, 1.5},
	{"Berufsbezogene Deutschsprachförderung", "COURSE", []string{"ue.klaeren-bleiben", "lp.bleiben"}, []string{"zg.neuzugewanderte", "zg.erwachsene"}, []string{pVHS, pJobcenter}, []string{"hf.sprachbildung"}, true, 2},
	{"Berufsorientierung für Neuzugewanderte", "PROGRAMME", []string{"ue.bleiben-ausbildung"}, []string{"zg.neuzugewanderte", "zg.junge-erwachsene"}, []string{pBBS, pJobcenter, pMigration}, []string{"af.integration", "th.berufsorientierung"}, true, 1.5},
	{"Integrationslotsen", "PROJECT", []string{"lp.bleiben", "lp.ankommen"}, []string{"zg.neuzugewanderte"}, []string{pVerein, pGemeinde}, []string{"th.ehrenamt", "af.integration"}, false, 2},
	{"Sprachcafé", "SERVICE", []string{"lp.bleiben", "lp.ankommen"}, []string{"zg.neuzugewanderte"}, []string{pBib, pVerein}, []string{"hf.sprachbildung", "th.ehrenamt"}, false, 2},
}

// institutionTopics are the topics an institution of a provider class
// works on.
var institutionTopics = map[string][]string{
	pKita: {"af.fruehe-bildung"}, pGS: {"af.schule"}, pWFS: {"af.schule", "th.berufsorientierung"}, pBBS: {"af.berufliche-bildung"},
	pVHS: {"af.weiterbildung", "hf.sprachbildung"}, pJobcenter: {"af.berufliche-bildung"}, pAgentur: {"af.uebergang-schule-beruf"},
	pKammer: {"hf.fachkraeftesicherung"}, pBeratung: {"hf.bildungsberatung"}, pMigration: {"af.integration"},
	pBB: {"th.kommunales-bildungsmanagement", "hf.bildungsmonitoring"}, pKreis: {"th.kommunales-bildungsmanagement"},
	pJugend: {"th.kinderschutz"}, pVerein: {"th.ehrenamt"}, pFirma: {"hf.fachkraeftesicherung"}, pBib: {"th.lesefoerderung"},
	pHochschule: {"af.mint"}, pSonstige: {"af.familienbildung"}, pLand: {"th.kommunales-bildungsmanagement"},
}

// institutionTargets are the target groups an institution of a provider
// class addresses.
var institutionTargets = map[string]string{
	pKita: "zg.kinder", pGS: "zg.kinder", pWFS: "zg.jugendliche", pBBS: "zg.junge-erwachsene", pVHS: "zg.erwachsene",
	pJobcenter: "zg.langzeitarbeitslose", pMigration: "zg.neuzugewanderte", pJugend: "zg.jugendliche",
}

// Name material.
var (
	placePrefixes = []string{"Groß ", "Klein ", "Neu", "Alt", "Ober", "Nieder", "Bad ", "Hohen", "Wester", "Oster", "Süd", "Nord"}
	placeStems    = []string{"Linden", "Eichen", "Buchen", "Birken", "Berg", "Wald", "Holz", "Moor", "Heide", "Marsch", "Wiesen",
		"Mühlen", "Brunn", "Stein", "Sand", "Rosen", "Hasel", "Erlen", "Fuhr", "Lohn", "Barn", "Ahl", "Dam", "Esch", "Haren",
		"Wehr", "Kirch", "Burg", "Hassel", "Bever", "Ritter", "Wulfs", "Bock", "Horn", "Elm", "Fisch", "Hammer", "Kron", "Lauen",
		"Mars", "Otter", "Quern", "Reh", "Schwan", "Tann", "Uhlen", "Velt", "Wend", "Asch", "Brems", "Diek", "Ems", "Gander"}
	placeSuffixes = []string{"dorf", "hausen", "stedt", "burg", "feld", "büttel", "ingen", "rode", "kirchen", "loh", "heide",
		"hagen", "beck", "born", "bek", "sen", "dorp", "wede", "moor", "fehn", "siel", "holz", "brück", "ede", "lage", "horst"}
	quarterNames = []string{"Innenstadt", "Altstadt", "Nord", "Süd", "Ost", "West", "Neustadt", "Bahnhofsviertel", "Hafen",
		"Südstadt", "Weststadt", "Oststadt", "Nordstadt", "Kreuzviertel", "Schinkel", "Eversburg", "Heideviertel", "Gartenstadt",
		"Lindenhof", "Am Wall", "Feldmark", "Mühlenviertel", "Kirchviertel", "Schlossviertel"}
	schoolSites = []string{"am Mühlenbach", "an der Linde", "im Kamp", "am Wall", "am Park", "an der Heide", "Am Eichenhain",
		"am Sportzentrum", "Waldschule", "Lindenschule", "Sonnenschule", "Regenbogenschule", "Bachschule", "Wiesenschule",
		"Nord", "Süd", "Ost", "West", "am Markt", "an der Kirche"}
	kitaNames = []string{"Sonnenschein", "Regenbogen", "Pusteblume", "Löwenzahn", "Kunterbunt", "Arche Noah", "Sternschnuppe",
		"Wirbelwind", "Spatzennest", "Marienkäfer", "Zwergenland", "Kleine Strolche", "Waldkindergarten", "St. Johannes (ev.)",
		"St. Marien (kath.)", "Am Park", "Familienzentrum", "Schatzkiste", "Villa Kunterbunt", "Rappelkiste", "Sonnenblume",
		"Abenteuerland", "Bärenhöhle", "Mäusenest", "Storchennest", "Kinderhaus", "Lummerland", "Wiesenzwerge"}
	weiterTypes = []struct{ name, short string }{
		{"Oberschule", "obs"}, {"Gymnasium", "gym"}, {"Integrierte Gesamtschule", "igs"}, {"Realschule", "rs"},
		{"Hauptschule", "hs"}, {"Förderschule Lernen", "fs"}, {"Oberschule", "obs"}, {"Gymnasium", "gym"},
	}
	firmSectors = []string{"Maschinenbau", "Logistik", "Lebensmittel", "Pflegedienste", "Elektrotechnik", "Bau", "Kunststofftechnik",
		"Agrartechnik", "Metallbau", "Gesundheitszentrum", "Autohaus", "Holzbau", "Landhandel", "Energie"}
	firmForms     = []string{"GmbH", "GmbH & Co. KG", "AG", "eG", "KG"}
	vereinNames   = []string{"Lesepaten", "Förderverein Bildung", "Integrationsverein", "Kinderschutzbund-Ortsverband", "Jugendtreff", "Sportverein", "Kulturverein", "Heimatverein", "Freiwilligenagentur", "Tafel und Bildung"}
	beratungNames = []string{"Familien- und Erziehungsberatungsstelle", "Beratungsstelle Bildung und Beruf", "Jugendmigrationsdienst", "Koordinierungsstelle Frauen und Wirtschaft", "Schuldner- und Sozialberatung"}
	jugendNames   = []string{"Pro-Aktiv-Center", "Jugendwerkstatt", "Jugendhilfestation", "Familienzentrum", "Frühförderstelle", "Mobile Jugendarbeit"}
	sonstigeNames = []string{"Familienbildungsstätte", "Musikschule", "Kompetenzagentur", "Regionales Umweltbildungszentrum"}
)
