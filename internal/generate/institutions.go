package generate

import (
	"fmt"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// classCategory maps the generator's provider classes to the domain's
// institution categories.
var classCategory = map[string]string{
	pKita: "KITA", pGS: "GRUNDSCHULE", pWFS: "WEITERFUEHRENDE_SCHULE", pBBS: "BBS", pVHS: "VHS", pJobcenter: "JOBCENTER",
	pAgentur: "AGENTUR_FUER_ARBEIT", pKammer: "KAMMER", pBeratung: "BERATUNGSSTELLE", pMigration: "MIGRATIONSZENTRUM",
	pBB: "BILDUNGSBUERO", pKreis: "VERWALTUNG", pGemeinde: "VERWALTUNG", pJugend: "JUGENDHILFE", pVerein: "VEREIN",
	pFirma: "UNTERNEHMEN", pBib: "BIBLIOTHEK", pHochschule: "HOCHSCHULE", pSonstige: "SONSTIGE", pLand: "LANDESEINRICHTUNG",
}

// institution adds an institution of a provider class located in m (nil:
// located nowhere), belonging to district d (nil: the Land).
func (b *builder) institution(class, id, name string, d *district, m *muni) *landscape.Node {
	n := b.add(&landscape.Node{ID: id, Kind: landscape.Institution, Name: name, Category: classCategory[class]})
	b.allInst = append(b.allInst, n)
	b.instClass[id] = class
	b.instSeat[id] = m
	b.instDist[id] = d
	if d != nil {
		d.inst[class] = append(d.inst[class], n)
	}
	if m != nil {
		m.inst[class] = append(m.inst[class], n)
		b.link(landscape.LocatedIn, n, m.node)
	}
	if tg, ok := institutionTargets[class]; ok {
		b.link(landscape.Targets, n, b.v(tg))
	}
	for i, t := range institutionTopics[class] {
		if i == 0 || b.r.chance(0.5) {
			b.link(landscape.WorksOn, n, b.v(t))
		}
	}
	return n
}

// institutions adds the Land's institutions, the Agenturen für Arbeit and
// Kammern, and every district's administration, schools, Kitas and other
// institutions.
func (b *builder) institutions() {
	b.instClass = map[string]string{}
	b.instSeat = map[string]*muni{}
	b.instDist = map[string]*district{}
	nd := len(b.districts)
	first := b.districts[0]

	b.transfer = b.institution(pLand, "ni.transferagentur", "Transferagentur Kommunales Bildungsmanagement (synthetisch)", nil, first.seat)
	b.link(landscape.Serves, b.transfer, b.land)
	b.landInst = append(b.landInst, b.transfer)
	// Regionale Landesämter für Schule und Bildung: in the largest districts,
	// each serving a contiguous share of the districts.
	nR := min(max(1, scaled(baseRLSB, b.scale)), nd)
	seats := largest(b.districts, nR)
	for k, d := range seats {
		n := b.institution(pLand, fmt.Sprintf("ni.rlsb-%d", k+1), "Regionales Landesamt für Schule und Bildung "+d.seat.place(), nil, d.seat)
		b.landInst = append(b.landInst, n)
		for i, sd := range b.districts {
			if i*nR/nd == k {
				b.link(landscape.Serves, n, sd.node)
			}
		}
	}
	// Agenturen für Arbeit: each serves a contiguous group of districts.
	nA := min(max(1, scaled(baseAgenturen, b.scale)), nd)
	for k := 0; k < nA; k++ {
		var served []*district
		for i, d := range b.districts {
			if i*nA/nd == k {
				served = append(served, d)
			}
		}
		home := served[0]
		n := b.institution(pAgentur, fmt.Sprintf("ni.aa-%d", k+1), "Agentur für Arbeit "+home.seat.place(), home, home.seat)
		for _, d := range served {
			d.agentur = n
			b.link(landscape.Serves, n, d.node)
		}
	}
	// Kammern: IHK and Handwerkskammer, alternating, each serving a group.
	nK := min(max(1, scaled(baseKammern, b.scale)), 2*nd)
	nIHK, nHWK := (nK+1)/2, nK/2
	for _, kind := range []struct {
		n            int
		prefix, name string
	}{{nIHK, "ihk", "Industrie- und Handelskammer"}, {nHWK, "hwk", "Handwerkskammer"}} {
		for k := 0; k < kind.n; k++ {
			var served []*district
			for i, d := range b.districts {
				if i*kind.n/nd == k {
					served = append(served, d)
				}
			}
			if len(served) == 0 {
				continue
			}
			home := served[0]
			n := b.institution(pKammer, fmt.Sprintf("ni.%s-%d", kind.prefix, k+1), kind.name+" "+home.def.short, home, home.seat)
			for _, d := range served {
				d.kammern = append(d.kammern, n)
				b.link(landscape.Serves, n, d.node)
			}
		}
	}
	// Hochschulen in the larger districts.
	nH := max(1, scaled(baseHochschulen, b.scale))
	for i, k := range allocate(nH, b.districtWeights(), 0) {
		d := b.districts[i]
		for j := 0; j < k; j++ {
			name := "Hochschule " + d.seat.place()
			if j > 0 {
				name = fmt.Sprintf("Hochschule für angewandte Wissenschaften %s %d", d.seat.place(), j+1)
			}
			n := b.institution(pHochschule, fmt.Sprintf("%s.hs%d", d.id, j+1), name, d, d.seat)
			b.link(landscape.Serves, n, d.node)
		}
	}

	for _, d := range b.districts {
		b.districtInstitutions(d)
	}
	// Schools and Kitas, spread over the municipalities by population.
	ms, ws := b.leafWeights()
	gs := allocate(max(scaled(baseGrundschulen, b.scale), 1), ws, 1)
	wfs := allocate(scaled(baseWeiterfuehrende, b.scale), ws, 0)
	kitas := allocate(max(scaled(baseKitas, b.scale), 1), ws, 1)
	for i, m := range ms {
		for j := 0; j < gs[i]; j++ {
			name := "Grundschule " + m.place()
			if j > 0 || b.r.chance(0.3) {
				name = "Grundschule " + pick(b.r, schoolSites) + " " + m.place()
			}
			n := b.institution(pGS, fmt.Sprintf("%s.gs%d", m.node.ID, j+1), name, m.d, m)
			b.link(landscape.Serves, n, m.node)
			b.link(landscape.ResponsibleFor, m.admin, n) // Schulträger
		}
		for j := 0; j < wfs[i]; j++ {
			t := pick(b.r, weiterTypes)
			n := b.institution(pWFS, fmt.Sprintf("%s.%s%d", m.node.ID, t.short, j+1), t.name+" "+m.place(), m.d, m)
			b.link(landscape.Serves, n, m.node)
			if b.r.chance(0.4) { // also serves a neighbouring municipality
				b.link(landscape.Serves, n, pick(b.r, m.d.leaves).node)
			}
		}
		for j := 0; j < kitas[i]; j++ {
			n := b.institution(pKita, fmt.Sprintf("%s.kita%d", m.node.ID, j+1), "Kita "+pick(b.r, kitaNames)+" "+m.place(), m.d, m)
			b.link(landscape.Serves, n, m.node)
			if b.r.chance(0.2) {
				b.link(landscape.Serves, n, pick(b.r, m.d.leaves).node)
			}
			if b.r.chance(0.6) { // Kita-Träger: the municipality (else a free Träger)
				b.link(landscape.ResponsibleFor, m.admin, n)
			}
		}
	}
	// Berufsbildende Schulen: in the district seats and larger towns.
	bbs := allocate(max(scaled(baseBBS, b.scale), 1), b.districtWeights(), 1)
	roman := []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}
	for i, d := range b.districts {
		for j := 0; j < bbs[i]; j++ {
			m := d.seat
			if j > 0 && len(d.leaves) > 1 && b.r.chance(0.5) {
				m = d.leaves[1]
			}
			name := "Berufsbildende Schulen " + m.place()
			if bbs[i] > 1 {
				name = fmt.Sprintf("Berufsbildende Schulen %s %s", roman[j%len(roman)], m.place())
				if j >= len(roman) {
					name += fmt.Sprintf(" (%d)", j+1)
				}
			}
			n := b.institution(pBBS, fmt.Sprintf("%s.bbs%d", d.id, j+1), name, d, m)
			b.link(landscape.Serves, n, d.node)
			b.link(landscape.ResponsibleFor, d.inst[pKreis][0], n) // Schulträger: the district
		}
	}
}

// largest returns the k districts with the largest population, in district
// order.
func largest(ds []*district, k int) []*district {
	taken := make([]bool, len(ds))
	for j := 0; j < k; j++ {
		best := -1
		for i, d := range ds {
			if !taken[i] && (best < 0 || d.pop > ds[best].pop) {
				best = i
			}
		}
		taken[best] = true
	}
	var out []*district
	for i, d := range ds {
		if taken[i] {
			out = append(out, d)
		}
	}
	return out
}

// districtInstitutions adds the administration of a district and of its
// municipalities, and its district-wide institutions.
func (b *builder) districtInstitutions(d *district) {
	adminName := "Kreisverwaltung " + d.def.name
	switch {
	case d.def.city:
		adminName = "Stadtverwaltung " + d.def.short
	case d.def.name == "Region Hannover":
		adminName = "Regionsverwaltung Region Hannover"
	}
	kv := b.institution(pKreis, d.id+".kv", adminName, d, d.seat)
	b.link(landscape.Serves, kv, d.node)
	bb := b.institution(pBB, d.id+".bb", "Bildungsbüro "+d.def.name, d, d.seat)
	b.link(landscape.PartOf, bb, kv)
	b.link(landscape.Serves, bb, d.node)
	for _, x := range []struct{ class, suffix, name string }{
		{pVHS, "vhs", "Volkshochschule " + d.def.short},
		{pJobcenter, "jc", "Jobcenter " + d.def.name},
		{pMigration, "mz", "Migrationszentrum " + d.def.name},
	} {
		n := b.institution(x.class, d.id+"."+x.suffix, x.name, d, d.seat)
		b.link(landscape.Serves, n, d.node)
		if x.class == pMigration {
			b.link(landscape.PartOf, n, kv)
		}
	}
	// Administrations of the municipalities: a Samtgemeinde's serves its
	// Mitgliedsgemeinden; the Stadtteile of a kreisfreie Stadt have the
	// Stadtverwaltung.
	for _, c := range d.cols {
		if d.def.city {
			c.admin = kv
			continue
		}
		kind := "Gemeindeverwaltung "
		switch c.node.Category {
		case "STADT":
			kind = "Stadtverwaltung "
		case "SAMTGEMEINDE":
			kind = "Verwaltung der "
		}
		c.admin = b.institution(pGemeinde, c.node.ID+".gv", kind+c.node.Name, d, c)
		b.link(landscape.Serves, c.admin, c.node)
	}
	for _, m := range d.leaves {
		if m.parent != nil {
			m.admin = m.parent.admin
		}
	}
	per := func(base, perPop float64) int { return int(base + d.pop/perPop) }
	places := func() *muni { // larger municipalities are likelier
		if b.r.chance(0.5) {
			return d.seat
		}
		return pick(b.r, d.leaves)
	}
	for _, x := range []struct {
		class, prefix string
		names         []string
		n             int
	}{
		{pBeratung, "bst", beratungNames, per(2, 150)},
		{pJugend, "jh", jugendNames, per(2, 150)},
		{pSonstige, "so", sonstigeNames, per(1, 200)},
	} {
		for j := 0; j < x.n; j++ {
			m := places()
			n := b.institution(x.class, fmt.Sprintf("%s.%s%d", d.id, x.prefix, j+1), x.names[j%len(x.names)]+" "+m.place(), d, m)
			b.link(landscape.Serves, n, d.node)
		}
	}
	for j := 0; j < per(3, 80); j++ {
		m := pick(b.r, d.leaves)
		n := b.institution(pVerein, fmt.Sprintf("%s.ev%d", d.id, j+1), pick(b.r, vereinNames)+" "+m.place()+" e. V.", d, m)
		b.link(landscape.Serves, n, m.node)
	}
	for j := 0; j < per(3, 60); j++ {
		m := places()
		name := fmt.Sprintf("%s %s %s", m.place(), pick(b.r, firmSectors), pick(b.r, firmForms))
		b.institution(pFirma, fmt.Sprintf("%s.un%d", d.id, j+1), name, d, m)
	}
	j := 0
	for _, m := range d.leaves {
		if m.node.Category == "STADT" || m == d.seat || d.def.city && b.r.chance(0.3) {
			j++
			n := b.institution(pBib, fmt.Sprintf("%s.bib%d", d.id, j), "Stadtbibliothek "+m.place(), d, m)
			b.link(landscape.Serves, n, m.node)
		}
	}
}
