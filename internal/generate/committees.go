package generate

import (
	"fmt"
	"strings"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// pick of members: "role:<key>" (the district's role), "pool:<key>" (actors
// of a pool), "inst:<class>" (institutions), "found" (foundations),
// "regions" (municipalities), "partners" (Agentur and Kammern).
type memberPick struct {
	from   string
	lo, hi int
}

type committeeTemplate struct {
	slug, name, category, scope, rhythm string
	chair, deputy, office               string // member picks of one
	members                             []memberPick
	topics, targets, coordinates        []string
	coordinatedBy, partOf               string
	since                               int // founding year (0: none stated)
}

// districtCommittees are the Gremien of a district in the order in which a
// district gets them (a small quota takes the first ones).
var districtCommittees = []committeeTemplate{
	{slug: "bildungskonferenz", name: "Bildungskonferenz %s", category: "CONFERENCE", scope: landscape.ScopeExternal, rhythm: "einmal jährlich",
		chair: "role:landrat", deputy: "role:dezernat", office: "inst:" + pBB,
		members: []memberPick{{"role:bb-leitung", 1, 1}, {"role:fd-schule", 1, 1}, {"role:fd-jugend", 1, 1}, {"role:fd-soziales", 1, 1},
			{"role:integration", 1, 1}, {"pool:lead:" + pWFS, 6, 15}, {"pool:lead:" + pBBS, 1, 3}, {"pool:lead:" + pGS, 5, 12},
			{"pool:lead:" + pKita, 5, 15}, {"pool:lead:" + pVHS, 1, 1}, {"pool:lead:" + pJobcenter, 1, 1}, {"partners", 1, 3},
			{"found", 1, 3}, {"regions", 5, 30}, {"pool:lead:" + pVerein, 1, 3}, {"pool:lead:" + pHochschule, 0, 1}},
		topics: []string{"th.kommunales-bildungsmanagement"}, coordinatedBy: "bb-koordination", since: 2012},
	{slug: "steuerungsgruppe", name: "Steuerungsgruppe Bildungsregion %s", category: "STEERING_GROUP", scope: landscape.ScopeInternal, rhythm: "vierteljährlich",
		chair: "role:dezernat", office: "role:bb-leitung",
		members: []memberPick{{"role:fd-schule", 1, 1}, {"role:fd-jugend", 1, 1}, {"role:fd-soziales", 1, 1}, {"role:fd-wirtschaft", 1, 1},
			{"role:stabsstelle", 1, 1}, {"role:bb-koordination", 1, 1}, {"role:bb-monitoring", 1, 1},
			{"role:fd-gesundheit", 1, 1}, {"role:integration", 1, 1}, {"pool:x:sozialplanung", 0, 1}, {"pool:x:but", 0, 1}},
		topics: []string{"th.kommunales-bildungsmanagement", "hf.bildungsmonitoring"}, coordinatedBy: "stabsstelle", since: 2014},
	{slug: "bildungsbeirat", name: "Bildungsbeirat %s", category: "ADVISORY_BOARD", scope: landscape.ScopeExternal, rhythm: "zweimal jährlich",
		chair: "pool:lead:" + pHochschule, office: "role:bb-leitung",
		members: []memberPick{{"pool:lead:" + pWFS, 2, 4}, {"pool:lead:" + pBBS, 1, 2}, {"partners", 1, 2}, {"found", 1, 2},
			{"pool:lead:" + pVerein, 1, 3}, {"pool:lead:" + pBeratung, 1, 2}, {"role:integration", 1, 1},
			{"pool:lead:" + pGemeinde, 2, 6}, {"pool:lead:" + pKita, 1, 4}, {"pool:lead:" + pGS, 1, 4}},
		topics: []string{"th.kommunales-bildungsmanagement"}, since: 2016},
	{slug: "ak-uebergang-schule-beruf", name: "Arbeitskreis Übergang Schule–Beruf %s", category: "WORKING_GROUP", scope: landscape.ScopeExternal, rhythm: "alle zwei Monate",
		chair: "role:jba", office: "inst:" + pBB,
		members: []memberPick{{"pool:berufsorientierung:" + pWFS, 8, 20}, {"pool:lead:" + pBBS, 1, 3}, {"partners", 2, 4}, {"pool:u25:" + pJobcenter, 1, 1},
			{"pool:lead:" + pFirma, 2, 5}, {"pool:lead:" + pJugend, 1, 2}, {"pool:x:schulsozialarbeit", 0, 3}},
		topics: []string{"af.uebergang-schule-beruf", "th.berufsorientierung"}, targets: []string{"zg.jugendliche"},
		coordinates: []string{"ue.schule-ausbildung"}, partOf: "bildungskonferenz"},
	{slug: "netzwerk-fruehe-hilfen", name: "Netzwerk Frühe Hilfen %s", category: "NETWORK", scope: landscape.ScopeExternal, rhythm: "dreimal jährlich",
		chair: "role:fruehe-hilfen",
		members: []memberPick{{"pool:lead:" + pKita, 10, 30}, {"role:fd-gesundheit", 1, 1}, {"role:fd-jugend", 1, 1}, {"pool:lead:" + pJugend, 1, 3},
			{"pool:lead:" + pBeratung, 1, 2}, {"pool:x:sprachfachkraft", 0, 5}, {"pool:x:familienbuero", 0, 5}},
		topics: []string{"th.kinderschutz", "af.familienbildung"}, targets: []string{"zg.eltern"},
		coordinates: []string{"lp.fruehe-kindheit", "ue.fruehe-kindheit-kita"}, since: 2013},
	{slug: "netzwerk-sprachbildung", name: "Netzwerk Sprachbildung %s", category: "NETWORK", scope: landscape.ScopeExternal, rhythm: "zweimal jährlich",
		chair: "role:bb-koordination",
		members: []memberPick{{"pool:x:sprachfachkraft", 5, 20}, {"pool:daf:" + pVHS, 1, 1}, {"pool:lead:" + pGS, 5, 12}, {"pool:lead:" + pBib, 1, 2},
			{"pool:sprint:" + pBBS, 1, 2}, {"pool:x:sprachlernklasse", 0, 3}},
		topics: []string{"hf.sprachbildung"}, coordinates: []string{"lp.kita"}, partOf: "bildungskonferenz"},
	{slug: "netzwerk-integration", name: "Netzwerk Integration %s", category: "NETWORK", scope: landscape.ScopeExternal, rhythm: "vierteljährlich",
		chair: "role:integration", office: "role:bb-neuzugewanderte",
		members: []memberPick{{"pool:lead:" + pMigration, 1, 1}, {"pool:daf:" + pVHS, 1, 1}, {"pool:x:migration", 0, 1}, {"pool:x:lotsen", 2, 10},
			{"pool:lead:" + pVerein, 2, 6}, {"pool:lead:" + pBeratung, 1, 2}, {"role:ehrenamt", 1, 1}},
		topics: []string{"af.integration"}, targets: []string{"zg.neuzugewanderte", "zg.gefluechtete"},
		coordinates: []string{"lp.ankommen", "ue.ankommen-klaeren"}, coordinatedBy: "bb-neuzugewanderte", since: 2016},
	{slug: "steuerung-jugendberufsagentur", name: "Steuerungsgremium Jugendberufsagentur %s", category: "BOARD", scope: landscape.ScopeExternal, rhythm: "zweimal jährlich",
		chair: "pool:lead:" + pJobcenter, deputy: "role:fd-jugend",
		members:     []memberPick{{"pool:u25:" + pJobcenter, 1, 1}, {"partners", 1, 2}, {"role:jba", 1, 1}},
		coordinates: []string{"ue.schule-ausbildung"}, coordinatedBy: "jba", since: 2018},
	{slug: "task-force-fachkraefte", name: "Task Force Fachkräftesicherung %s", category: "TASK_FORCE", scope: landscape.ScopeExternal, rhythm: "monatlich",
		chair:   "role:fd-wirtschaft",
		members: []memberPick{{"partners", 2, 4}, {"pool:lead:" + pFirma, 3, 6}, {"pool:lead:" + pBBS, 1, 2}, {"pool:lead:" + pHochschule, 0, 1}, {"role:jba", 1, 1}},
		topics:  []string{"hf.fachkraeftesicherung"}, since: 2022},
	{slug: "kooperationskonferenz-kita-gs", name: "Regionale Kooperationskonferenz Kita–Grundschule %s", category: "WORKING_GROUP", scope: landscape.ScopeExternal, rhythm: "zweimal jährlich",
		chair:   "pool:x:kita-fachberatung",
		members: []memberPick{{"pool:lead:" + pKita, 10, 25}, {"pool:lead:" + pGS, 8, 20}, {"role:fd-jugend", 1, 1}},
		topics:  []string{"af.fruehe-bildung"}, coordinates: []string{"ue.kita-grundschule"}, partOf: "bildungskonferenz"},
	{slug: "ak-schulsozialarbeit", name: "Arbeitskreis Schulsozialarbeit %s", category: "WORKING_GROUP", scope: landscape.ScopeExternal, rhythm: "vierteljährlich",
		chair:   "pool:x:ssa-fachberatung",
		members: []memberPick{{"pool:x:schulsozialarbeit", 5, 20}, {"pool:lead:" + pJugend, 1, 2}, {"role:fd-jugend", 1, 1}},
		topics:  []string{"af.schule"}, partOf: "bildungskonferenz"},
	{slug: "lenkungskreis-bildungsmonitoring", name: "Lenkungskreis Bildungsmonitoring %s", category: "WORKING_GROUP", scope: landscape.ScopeInternal, rhythm: "zweimal jährlich",
		chair:   "role:bb-monitoring",
		members: []memberPick{{"role:stabsstelle", 1, 1}, {"role:fd-schule", 1, 1}, {"role:fd-jugend", 1, 1}, {"pool:x:sozialplanung", 0, 1}},
		topics:  []string{"hf.bildungsmonitoring"}},
	{slug: "netzwerk-bildungsberatung", name: "Netzwerk Bildungsberatung %s", category: "NETWORK", scope: landscape.ScopeExternal, rhythm: "vierteljährlich",
		chair: "role:bb-beratung",
		members: []memberPick{{"pool:x:wb-beratung", 0, 2}, {"pool:lead:" + pBeratung, 1, 3}, {"partners", 1, 2}, {"pool:lead:" + pVHS, 1, 1},
			{"pool:lead:" + pMigration, 1, 1}},
		topics: []string{"hf.bildungsberatung"}, coordinates: []string{"ue.beruf-weiterbildung"}},
}

// membersOf resolves a member pick in district d.
func (b *builder) membersOf(d *district, p memberPick) []*landscape.Node {
	k := b.r.between(p.lo, p.hi)
	kind, key, _ := strings.Cut(p.from, ":")
	var l []*landscape.Node
	switch kind {
	case "role":
		if n := d.role[key]; n != nil {
			l = []*landscape.Node{n}
		}
	case "pool":
		l = d.pool[key]
	case "inst":
		l = d.inst[key]
	case "found":
		l = d.foundations
	case "partners":
		l = d.partners
	case "regions":
		for _, m := range d.cols {
			l = append(l, m.node)
		}
	}
	return sample(b.r, l, k)
}

// member adds a MEMBER_OF edge with a role, some dated.
func (b *builder) member(n, c *landscape.Node, role string) {
	e := b.link(landscape.MemberOf, n, c)
	if e == nil {
		return
	}
	if role == "MEMBER" && b.r.chance(0.08) {
		role = pick(b.r, []string{"GUEST", "ADVISORY"})
	}
	e.Role = role
	switch {
	case b.r.chance(0.04): // a membership that ended
		e.ValidFrom = b.randomDate(2012, 2018)
		e.ValidTo = b.randomDate(2019, 2024)
	case b.r.chance(0.25):
		e.ValidFrom = b.randomDate(2012, 2024)
	}
}

// committee adds a committee of district d (or of the Land when d is nil).
func (b *builder) committee(id, name, category, scope, rhythm string, region *landscape.Node) *landscape.Node {
	base := id
	for k := 2; ; k++ {
		if _, taken := b.byID[id]; !taken {
			break
		}
		id = fmt.Sprintf("%s-%d", base, k)
	}
	c := b.add(&landscape.Node{ID: id, Kind: landscape.Committee, Name: name, Category: category, Scope: scope, MeetingRhythm: rhythm})
	b.link(landscape.Serves, c, region)
	return c
}

// committees adds the Gremien: a few of the Land, then every district's by
// its quota — its standard Gremien first, then local ones in its
// municipalities.
func (b *builder) committees() {
	total := b.target.Committees
	nLand := min(4, total/8)
	b.landCommittees(nLand)
	for i, quota := range allocate(total-nLand, b.districtWeights(), 1) {
		d := b.districts[i]
		bySlug := map[string]*landscape.Node{}
		for j := 0; j < quota && j < len(districtCommittees); j++ {
			t := districtCommittees[j]
			c := b.committee(d.id+"."+t.slug, fmt.Sprintf(t.name, d.def.name), t.category, t.scope, t.rhythm, d.node)
			if t.since > 0 && b.r.chance(0.7) {
				c.ValidFrom = date(t.since+b.r.between(0, 6), 1, 1)
			}
			bySlug[t.slug] = c
			d.committees = append(d.committees, c)
			seen := map[*landscape.Node]bool{}
			one := func(from, role string) {
				if from == "" {
					return
				}
				for _, n := range b.membersOf(d, memberPick{from, 1, 1}) {
					if !seen[n] {
						seen[n] = true
						b.member(n, c, role)
					}
				}
			}
			one(t.chair, "CHAIR")
			one(t.deputy, "DEPUTY_CHAIR")
			one(t.office, "OFFICE")
			for _, p := range t.members {
				for _, n := range b.membersOf(d, p) {
					if !seen[n] {
						seen[n] = true
						b.member(n, c, "MEMBER")
					}
				}
			}
			for _, x := range t.topics {
				b.link(landscape.WorksOn, c, b.v(x))
			}
			for _, x := range t.targets {
				b.link(landscape.Targets, c, b.v(x))
			}
			for _, x := range t.coordinates {
				b.link(landscape.Coordinates, c, b.v(x))
			}
			if t.coordinatedBy != "" {
				b.link(landscape.Coordinates, d.role[t.coordinatedBy], c)
			}
			if p := bySlug[t.partOf]; p != nil {
				b.link(landscape.PartOf, c, p)
			}
		}
		// Local Gremien in the municipalities, larger ones first.
		cols := d.cols
		weights := make([]float64, len(cols))
		for k, m := range cols {
			weights[k] = m.weight
		}
		w := newWeighted(weights)
		for j := len(districtCommittees); j < quota; j++ {
			m := cols[w.pick(b.r)]
			b.localCommittee(d, m, j%2 == 0)
		}
	}
}

// localCommittee adds a Kooperationsverbund Kita–Grundschule or a
// Präventionsrat of municipality m.
func (b *builder) localCommittee(d *district, m *muni, kooperation bool) {
	leads := func(class string) []*landscape.Node {
		var out []*landscape.Node
		for _, x := range d.pool["lead:"+class] {
			at := b.byID[x.ID[:strings.LastIndex(x.ID, ".")]]
			if seat := b.instSeat[at.ID]; seat != nil && (seat == m || seat.parent == m) {
				out = append(out, x)
			}
		}
		return out
	}
	var c *landscape.Node
	var members []*landscape.Node
	if kooperation {
		c = b.committee(m.node.ID+".kooperationsverbund", "Kooperationsverbund Kita–Grundschule "+m.node.Name,
			"WORKING_GROUP", landscape.ScopeExternal, "zweimal jährlich", m.node)
		b.link(landscape.Coordinates, c, b.v("ue.kita-grundschule"))
		b.link(landscape.WorksOn, c, b.v("af.fruehe-bildung"))
		members = append(sample(b.r, leads(pKita), 12), sample(b.r, leads(pGS), 6)...)
	} else {
		c = b.committee(m.node.ID+".praeventionsrat", "Präventionsrat "+m.node.Name,
			"NETWORK", landscape.ScopeExternal, "vierteljährlich", m.node)
		b.link(landscape.WorksOn, c, b.v("th.kinderschutz"))
		members = append(append(sample(b.r, leads(pWFS), 3), sample(b.r, leads(pGS), 3)...), sample(b.r, leads(pVerein), 3)...)
		members = append(members, sample(b.r, d.pool["x:jugendpflege"], 1)...)
	}
	d.committees = append(d.committees, c)
	if m.admin != nil {
		for _, x := range d.pool["lead:"+pGemeinde] {
			if strings.HasPrefix(x.ID, m.admin.ID+".") {
				b.member(x, c, "CHAIR")
				break
			}
		}
	}
	for _, x := range members {
		b.member(x, c, "MEMBER")
	}
}

// landCommittees adds up to four Gremien of the Land that join the
// districts: the network of the Bildungsregionen, a Stiftungsverbund, the
// Landesarbeitsgemeinschaft of the Jugendberufsagenturen and a Landeskonferenz
// Integration.
func (b *builder) landCommittees(n int) {
	defs := []struct {
		slug, name, category, role, topic string
		found                             bool
	}{
		{"netzwerk-bildungsregionen", "Landesnetzwerk Bildungsregionen (synthetisch)", "NETWORK", "bb-leitung", "th.kommunales-bildungsmanagement", false},
		{"stiftungsverbund", "Stiftungsverbund Bildung (synthetisch)", "NETWORK", "", "th.kommunales-bildungsmanagement", true},
		{"lag-jugendberufsagenturen", "Landesarbeitsgemeinschaft Jugendberufsagenturen (synthetisch)", "WORKING_GROUP", "jba", "af.uebergang-schule-beruf", false},
		{"landeskonferenz-integration", "Landeskonferenz Integration (synthetisch)", "CONFERENCE", "integration", "af.integration", false},
	}
	for _, def := range defs[:n] {
		c := b.committee("ni."+def.slug, def.name, def.category, landscape.ScopeExternal, "einmal jährlich", b.land)
		b.link(landscape.WorksOn, c, b.v(def.topic))
		b.landComm = append(b.landComm, c)
		b.member(b.transfer, c, "OFFICE")
		for _, d := range b.districts {
			if def.found {
				for _, f := range sample(b.r, d.foundations, 1) {
					b.member(f, c, "MEMBER")
				}
				continue
			}
			b.member(d.role[def.role], c, "MEMBER")
		}
		if def.found {
			for _, f := range b.landFound {
				b.member(f, c, "MEMBER")
			}
		}
	}
}
