package generate

import (
	"fmt"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// roleDef is a role an actor node stands for. Actors are roles and units,
// never persons.
type roleDef struct {
	key, name, category string
	topics              []string
}

// districtRoles are the roles of a district administration, each once.
var districtRoles = []roleDef{
	{"landrat", "", "LEADERSHIP", nil}, // named by the district's kind
	{"dezernat", "Dezernat Bildung, Jugend und Soziales", "ADMINISTRATIVE_UNIT", nil},
	{"fd-schule", "Fachdienst Schule und Bildung", "ADMINISTRATIVE_UNIT", []string{"af.schule"}},
	{"fd-jugend", "Fachdienst Jugend (Jugendamt)", "ADMINISTRATIVE_UNIT", []string{"th.kinderschutz"}},
	{"fd-soziales", "Fachdienst Soziales", "ADMINISTRATIVE_UNIT", nil},
	{"fd-gesundheit", "Fachdienst Gesundheit", "ADMINISTRATIVE_UNIT", []string{"th.gesundheit"}},
	{"fd-wirtschaft", "Wirtschaftsförderung", "ADMINISTRATIVE_UNIT", []string{"hf.fachkraeftesicherung"}},
	{"stabsstelle", "Stabsstelle Bildungsmanagement", "STAFF_UNIT", []string{"th.kommunales-bildungsmanagement"}},
	{"integration", "Integrationsbeauftragte/r", "ROLE", []string{"af.integration"}},
	{"gleichstellung", "Gleichstellungsbeauftragte/r", "ROLE", nil},
	{"fruehe-hilfen", "Koordinierungsstelle Frühe Hilfen", "COORDINATION", []string{"th.kinderschutz"}},
	{"jba", "Koordination Jugendberufsagentur", "COORDINATION", []string{"af.uebergang-schule-beruf"}},
	{"ehrenamt", "Koordination Ehrenamt", "COORDINATION", []string{"th.ehrenamt"}},
}

// bbRoles are the roles of a Bildungsbüro.
var bbRoles = []roleDef{
	{"bb-leitung", "Leitung Bildungsbüro", "LEADERSHIP", []string{"th.kommunales-bildungsmanagement"}},
	{"bb-koordination", "Bildungskoordination", "COORDINATION", []string{"th.kommunales-bildungsmanagement"}},
	{"bb-neuzugewanderte", "Bildungskoordination für Neuzugewanderte", "COORDINATION", []string{"af.integration"}},
	{"bb-monitoring", "Bildungsmonitoring", "STAFF_UNIT", []string{"hf.bildungsmonitoring"}},
	{"bb-beratung", "Bildungsberatung", "ROLE", []string{"hf.bildungsberatung"}},
}

// classRoles are the roles every institution of a class has; the first is
// its lead (pool "lead:<class>").
var classRoles = map[string][]roleDef{
	pGS:         {{"schulleitung", "Schulleitung", "LEADERSHIP", nil}},
	pWFS:        {{"schulleitung", "Schulleitung", "LEADERSHIP", nil}, {"berufsorientierung", "Koordination Berufsorientierung", "COORDINATION", []string{"th.berufsorientierung"}}},
	pBBS:        {{"schulleitung", "Schulleitung", "LEADERSHIP", nil}, {"sprint", "Koordination Sprach- und Integrationsklassen", "COORDINATION", []string{"hf.sprachbildung"}}},
	pKita:       {{"leitung", "Kita-Leitung", "LEADERSHIP", nil}},
	pGemeinde:   {{"buergermeister", "Bürgermeisterin/Bürgermeister", "LEADERSHIP", nil}},
	pVHS:        {{"leitung", "Leitung", "LEADERSHIP", nil}, {"daf", "Fachbereich Deutsch als Fremdsprache", "ADMINISTRATIVE_UNIT", []string{"hf.sprachbildung"}}},
	pJobcenter:  {{"geschaeftsfuehrung", "Geschäftsführung", "LEADERSHIP", nil}, {"u25", "Team U25", "ADMINISTRATIVE_UNIT", []string{"af.uebergang-schule-beruf"}}},
	pMigration:  {{"leitung", "Leitung", "LEADERSHIP", []string{"af.integration"}}},
	pAgentur:    {{"berufsberatung", "Berufsberatung", "ADMINISTRATIVE_UNIT", []string{"th.berufsorientierung"}}, {"arbeitgeberservice", "Arbeitgeber-Service", "ADMINISTRATIVE_UNIT", nil}},
	pKammer:     {{"ausbildungsberatung", "Ausbildungsberatung", "ROLE", []string{"hf.fachkraeftesicherung"}}, {"weiterbildung", "Weiterbildungsberatung", "ROLE", nil}},
	pBeratung:   {{"leitung", "Leitung", "LEADERSHIP", nil}},
	pJugend:     {{"leitung", "Leitung", "LEADERSHIP", nil}},
	pSonstige:   {{"leitung", "Leitung", "LEADERSHIP", nil}},
	pHochschule: {{"studienberatung", "Zentrale Studienberatung", "ADMINISTRATIVE_UNIT", []string{"af.berufliche-bildung"}}},
	pBib:        {{"leitung", "Leitung", "LEADERSHIP", []string{"th.lesefoerderung"}}},
	pVerein:     {{"vorstand", "Vorstand", "LEADERSHIP", nil}},
	pFirma:      {{"ausbildung", "Ausbildungsleitung", "ROLE", []string{"hf.fachkraeftesicherung"}}},
	pLand:       {{"leitung", "Leitung", "LEADERSHIP", nil}, {"beratung", "Beratung Bildungsregionen", "COORDINATION", []string{"th.kommunales-bildungsmanagement"}}},
}

// extraRoles fill the actors up to their target: further roles of schools,
// Kitas, administrations and Vereine (pool "x:<key>").
var extraRoles = map[string][]roleDef{
	pGS: {{"schulsozialarbeit", "Schulsozialarbeit", "ROLE", nil}, {"beratungslehrkraft", "Beratungslehrkraft", "ROLE", nil},
		{"ganztag", "Koordination Ganztag", "COORDINATION", []string{"hf.ganztag"}}, {"sprachlernklasse", "Lehrkraft Sprachlernklasse", "ROLE", []string{"hf.sprachbildung"}}},
	pWFS: {{"schulsozialarbeit", "Schulsozialarbeit", "ROLE", nil}, {"beratungslehrkraft", "Beratungslehrkraft", "ROLE", nil},
		{"inklusion", "Koordination Inklusion", "COORDINATION", []string{"hf.inklusion"}}, {"mint", "MINT-Koordination", "COORDINATION", []string{"af.mint"}}},
	pBBS: {{"berufseinstieg", "Bildungsgangleitung Berufseinstiegsschule", "ADMINISTRATIVE_UNIT", []string{"af.berufliche-bildung"}},
		{"schulsozialarbeit", "Schulsozialarbeit", "ROLE", nil}},
	pKita: {{"sprachfachkraft", "Sprachfachkraft", "ROLE", []string{"hf.sprachbildung"}}, {"inklusion", "Fachkraft für Inklusion", "ROLE", []string{"hf.inklusion"}},
		{"stellvertretung", "Stellvertretende Kita-Leitung", "ROLE", nil}},
	pGemeinde: {{"jugendpflege", "Jugendpflege", "ROLE", nil}, {"lotsen", "Integrationslotsen (Ehrenamt)", "VOLUNTEER", []string{"th.ehrenamt"}},
		{"familienbuero", "Familienservicebüro", "ADMINISTRATIVE_UNIT", []string{"af.familienbildung"}}, {"fb-bildung", "Fachbereich Bildung, Kitas und Schulen", "ADMINISTRATIVE_UNIT", nil}},
	pKreis: {{"ssa-fachberatung", "Fachberatung Schulsozialarbeit", "ROLE", nil}, {"but", "Stelle Bildung und Teilhabe", "ADMINISTRATIVE_UNIT", nil},
		{"sozialplanung", "Sozialplanung", "STAFF_UNIT", nil}, {"kita-fachberatung", "Kita-Fachberatung", "ROLE", []string{"af.fruehe-bildung"}}},
	pVHS: {{"grundbildung", "Fachbereich Grundbildung", "ADMINISTRATIVE_UNIT", []string{"th.grundbildung"}}, {"wb-beratung", "Weiterbildungsberatung", "ROLE", []string{"hf.bildungsberatung"}},
		{"berufliche", "Fachbereich Berufliche Bildung", "ADMINISTRATIVE_UNIT", nil}},
	pJobcenter: {{"migration", "Migrationsbeauftragte/r", "ROLE", []string{"af.integration"}}, {"bca", "Beauftragte/r für Chancengleichheit am Arbeitsmarkt", "ROLE", nil}},
	pBeratung:  {{"fachkraft", "Beratungsfachkraft", "ROLE", nil}},
	pJugend:    {{"fachkraft", "Sozialpädagogische Fachkraft", "ROLE", nil}},
	pVerein:    {{"lesepaten", "Ehrenamtliche Lesepaten", "VOLUNTEER", []string{"th.lesefoerderung"}}, {"ehrenamt", "Ehrenamtskoordination", "COORDINATION", []string{"th.ehrenamt"}}},
}

// actor adds the actor of role r at institution (or foundation) at, as a
// PART_OF at (or of parent, when given).
func (b *builder) actor(r roleDef, at, parent *landscape.Node, name string) *landscape.Node {
	id := at.ID + "." + r.key
	for k := 2; ; k++ {
		if _, taken := b.byID[id]; !taken {
			break
		}
		id = fmt.Sprintf("%s.%s-%d", at.ID, r.key, k)
		name = fmt.Sprintf("%s (%d) – %s", r.name, k, at.Name)
	}
	if name == "" {
		name = r.name + " – " + at.Name
	}
	n := b.add(&landscape.Node{ID: id, Kind: landscape.Actor, Name: name, Category: r.category})
	if parent == nil {
		parent = at
	}
	b.link(landscape.PartOf, n, parent)
	for _, t := range r.topics {
		b.link(landscape.WorksOn, n, b.v(t))
	}
	return n
}

// actors adds the roles of every administration and institution, then
// further roles up to the target count.
func (b *builder) actors() {
	count := 0
	add := func(d *district, key string, n *landscape.Node) {
		count++
		if d != nil {
			d.pool[key] = append(d.pool[key], n)
		}
	}
	for _, at := range b.landInst {
		for _, r := range classRoles[pLand] {
			b.actor(r, at, nil, "")
			count++
		}
	}
	for _, d := range b.districts {
		kv, bb := d.inst[pKreis][0], d.inst[pBB][0]
		for _, r := range districtRoles {
			name := ""
			parent := kv
			switch {
			case r.key == "landrat" && d.def.city:
				r.name = "Oberbürgermeisterin/Oberbürgermeister"
			case r.key == "landrat" && d.def.name == "Region Hannover":
				r.name = "Regionspräsidentin/Regionspräsident"
			case r.key == "landrat":
				r.name = "Landrätin/Landrat"
			case len(r.key) > 3 && r.key[:3] == "fd-":
				parent = d.role["dezernat"]
			}
			n := b.actor(r, kv, parent, name)
			d.role[r.key] = n
			b.link(landscape.Serves, n, d.node)
			add(d, "district", n)
		}
		for _, r := range bbRoles {
			n := b.actor(r, bb, nil, "")
			d.role[r.key] = n
			b.link(landscape.Serves, n, d.node)
			add(d, "district", n)
		}
		// Responsibilities and coordination of the administration.
		b.link(landscape.ResponsibleFor, d.role["dezernat"], d.role["stabsstelle"])
		for _, n := range d.inst[pWFS] {
			b.link(landscape.ResponsibleFor, d.role["fd-schule"], n)
		}
		for _, n := range d.inst[pJugend] {
			b.link(landscape.ResponsibleFor, d.role["fd-jugend"], n)
		}
		b.link(landscape.ResponsibleFor, d.role["fd-jugend"], b.v("lp.fruehe-kindheit"))
		b.link(landscape.ResponsibleFor, d.role["jba"], b.v("ue.schule-ausbildung"))
		b.link(landscape.ResponsibleFor, d.role["bb-leitung"], b.v("th.kommunales-bildungsmanagement"))
		b.link(landscape.Coordinates, d.role["fruehe-hilfen"], b.v("lp.fruehe-kindheit"))
		b.link(landscape.Coordinates, d.role["jba"], b.v("ue.schule-ausbildung"))
		b.link(landscape.Coordinates, d.role["bb-neuzugewanderte"], b.v("lp.ankommen"))
		b.link(landscape.Coordinates, d.role["bb-koordination"], b.v("th.kommunales-bildungsmanagement"))
	}
	// The roles of every institution; the Agenturen and Kammern serve
	// several districts, whose pools "partners" get their roles.
	var withExtras []*landscape.Node
	for _, at := range b.allInst {
		class := b.instClass[at.ID]
		d := b.instDist[at.ID]
		roles := classRoles[class]
		if class == pKreis || class == pBB || class == pLand {
			roles = nil // their roles are above
		}
		for i, r := range roles {
			if class == pGemeinde && i == 0 && b.instSeat[at.ID] != nil && b.instSeat[at.ID].node.Category == "SAMTGEMEINDE" {
				r.name = "Samtgemeindebürgermeisterin/-bürgermeister"
			}
			n := b.actor(r, at, nil, "")
			key := r.key + ":" + class
			if i == 0 {
				key = "lead:" + class
			}
			add(d, key, n)
			if i == 0 && len(r.topics) == 0 && b.r.chance(0.6) {
				// The lead works on the institution's field.
				if t := institutionTopics[class]; len(t) > 0 {
					b.link(landscape.WorksOn, n, b.v(t[0]))
				}
			}
			if class == pAgentur || class == pKammer {
				for _, sd := range b.districts {
					if sd.agentur == at || containsNode(sd.kammern, at) {
						sd.partners = append(sd.partners, n)
					}
				}
			}
		}
		if len(extraRoles[class]) > 0 {
			withExtras = append(withExtras, at)
		}
	}
	for _, d := range b.districts {
		for _, f := range d.foundations {
			add(d, "lead:FOUNDATION", b.actor(roleDef{"vorstand", "Stiftungsvorstand", "LEADERSHIP", nil}, f, nil, ""))
		}
	}
	for _, f := range b.landFound {
		b.actor(roleDef{"vorstand", "Stiftungsvorstand", "LEADERSHIP", nil}, f, nil, "")
		count++
	}
	// Further roles up to the target.
	for ; count < b.target.Actors && len(withExtras) > 0; count++ {
		at := pick(b.r, withExtras)
		class := b.instClass[at.ID]
		r := pick(b.r, extraRoles[class])
		n := b.actor(r, at, nil, "")
		d := b.instDist[at.ID]
		if d != nil {
			d.pool["x:"+r.key] = append(d.pool["x:"+r.key], n)
			d.pool["extra:"+class] = append(d.pool["extra:"+class], n)
		}
		switch r.key {
		case "kita-fachberatung":
			b.link(landscape.Coordinates, n, b.v("ue.kita-grundschule"))
		case "ganztag":
			b.link(landscape.Coordinates, n, b.v("lp.grundschule"))
		}
	}
}

func containsNode(l []*landscape.Node, n *landscape.Node) bool {
	for _, x := range l {
		if x == n {
			return true
		}
	}
	return false
}
