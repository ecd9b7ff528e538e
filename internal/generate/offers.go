package generate

import (
	"fmt"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// linkCoordinators are the district roles that coordinate offers of a link.
var linkCoordinators = map[string]string{
	"lp.fruehe-kindheit": "fruehe-hilfen", "ue.fruehe-kindheit-kita": "fruehe-hilfen",
	"ue.schule-ausbildung": "jba", "lp.ausbildung-studium": "jba", "ue.ausbildung-beruf": "jba",
	"lp.ankommen": "bb-neuzugewanderte", "ue.ankommen-klaeren": "bb-neuzugewanderte", "lp.klaeren": "integration",
	"ue.klaeren-bleiben": "integration", "lp.bleiben": "integration", "ue.bleiben-ausbildung": "bb-neuzugewanderte",
	"lp.weiterbildung": "bb-beratung", "ue.beruf-weiterbildung": "bb-beratung",
}

// offers adds the Angebote: one in a hundred (at most 40) a programme of
// the Land, the rest in the districts by population, each with its providers, the phases
// and transitions it supports, its target groups, the regions it serves,
// its topics, and some with coordination, funding and validity.
func (b *builder) offers() {
	total := b.target.Offers
	nLand := min(total/100, 40) // Landesprogramme: a few dozen, whatever the scale
	tw := make([]float64, len(offerTemplates))
	for i, t := range offerTemplates {
		tw[i] = t.weight
	}
	pickTemplate := newWeighted(tw)
	for k := 0; k < nLand; k++ {
		t := offerTemplates[pickTemplate.pick(b.r)]
		provider := pick(b.r, b.landInst)
		o := b.add(&landscape.Node{ID: fmt.Sprintf("ni.an%04d", k+1), Kind: landscape.Offer,
			Name: "Landesprogramm " + t.name, Category: "PROGRAMME", Validity: landscape.Validity{ValidFrom: b.randomDate(2015, 2024)}})
		b.link(landscape.Provides, provider, o)
		b.link(landscape.Serves, o, b.land)
		for _, s := range t.supports {
			b.link(landscape.Supports, o, b.v(s))
		}
		for _, x := range t.topics {
			b.link(landscape.WorksOn, o, b.v(x))
		}
		if len(b.landFound) > 0 && b.r.chance(0.5) {
			b.link(landscape.Funds, pick(b.r, b.landFound), o)
		}
		b.landOffer = append(b.landOffer, o)
	}
	for i, quota := range allocate(total-nLand, b.districtWeights(), 1) {
		d := b.districts[i]
		for j := 0; j < quota; j++ {
			b.offer(d, offerTemplates[pickTemplate.pick(b.r)], fmt.Sprintf("%s.an%05d", d.id, j+1))
		}
	}
}

// providersOf returns the institutions of district d that can offer t.
func (b *builder) providersOf(d *district, t offerTemplate) []*landscape.Node {
	var l []*landscape.Node
	for _, class := range t.providers {
		switch class {
		case pAgentur:
			if d.agentur != nil {
				l = append(l, d.agentur)
			}
		case pKammer:
			l = append(l, d.kammern...)
		default:
			l = append(l, d.inst[class]...)
		}
	}
	return l
}

func (b *builder) offer(d *district, t offerTemplate, id string) {
	providers := b.providersOf(d, t)
	provider := d.inst[pBB][0]
	if len(providers) > 0 {
		provider = pick(b.r, providers)
	}
	o := b.add(&landscape.Node{ID: id, Kind: landscape.Offer, Name: t.name + " – " + provider.Name, Category: t.category})
	switch {
	case t.category == "PROJECT" && b.r.chance(0.05):
		o.ValidFrom = date(2027, time.Month(1+b.r.intn(12)), 1) // planned
	case t.category == "PROJECT" && b.r.chance(0.7):
		o.ValidFrom = b.randomDate(2018, 2024)
		if b.r.chance(0.3) {
			o.ValidTo = b.randomDate(max(o.ValidFrom.Year(), 2021), 2025)
			if o.ValidTo.Before(*o.ValidFrom) {
				o.ValidTo = nil
			}
		}
	case t.category == "PROGRAMME" && b.r.chance(0.3), b.r.chance(0.1):
		o.ValidFrom = b.randomDate(2012, 2024)
	}
	d.offers = append(d.offers, o)
	b.link(landscape.Provides, provider, o)
	if b.r.chance(0.12) {
		co := append(append(append([]*landscape.Node(nil), d.inst[pVerein]...), d.inst[pJugend]...), d.inst[pVHS]...)
		b.link(landscape.Provides, pick(b.r, co), o)
	}
	supports := t.supports
	if next := nextLink[supports[len(supports)-1]]; next != "" && b.r.chance(0.25) {
		// The offer reaches into the next link of the chain.
		supports = append(append([]string(nil), supports...), next)
	}
	b.supports[o.ID] = supports
	for _, s := range supports {
		b.link(landscape.Supports, o, b.v(s))
		d.byLink[s] = append(d.byLink[s], o)
	}
	if !b.r.chance(0.1) { // else open to everyone
		k := len(t.targets)
		if b.r.chance(0.5) {
			k = b.r.between(1, k)
		}
		for _, g := range sample(b.r, t.targets, k) {
			b.link(landscape.Targets, o, b.v(g))
		}
	}
	seat := b.instSeat[provider.ID]
	if seat == nil || seat.d != d {
		seat = pick(b.r, d.leaves)
	}
	switch {
	case t.district && b.r.chance(0.15):
		b.link(landscape.Serves, o, d.node)
	case t.district:
		for _, m := range sample(b.r, d.cols, b.r.between(1, 4)) {
			b.link(landscape.Serves, o, m.node)
		}
	default:
		b.link(landscape.Serves, o, seat.node)
		if b.r.chance(0.5) {
			b.link(landscape.Serves, o, pick(b.r, d.cols).node)
		}
	}
	if b.r.chance(0.5) {
		b.link(landscape.LocatedIn, o, seat.node)
	}
	for k, x := range t.topics {
		if k == 0 || b.r.chance(0.9) {
			b.link(landscape.WorksOn, o, b.v(x))
		}
	}
	// Coordination: a Gremium or a coordinating role of the district.
	switch {
	case b.r.chance(0.2) && len(d.committees) > 0:
		b.link(landscape.Coordinates, pick(b.r, d.committees), o)
	case b.r.chance(0.35):
		key := linkCoordinators[t.supports[0]]
		if key == "" {
			key = "bb-koordination"
		}
		b.link(landscape.Coordinates, d.role[key], o)
	}
	// Funding.
	switch x := b.r.float(); {
	case x < 0.22 && len(d.foundations) > 0:
		b.link(landscape.Funds, pick(b.r, d.foundations), o)
	case x < 0.27 && len(b.landFound) > 0:
		b.link(landscape.Funds, pick(b.r, b.landFound), o)
	case x < 0.32:
		b.link(landscape.Funds, d.inst[pJobcenter][0], o)
	case x < 0.41:
		b.link(landscape.Funds, d.inst[pKreis][0], o)
	case x < 0.45:
		b.link(landscape.Funds, d.node, o)
	}
	// Part of a programme: of the district or of the Land.
	if b.r.chance(0.04) {
		var programmes []*landscape.Node
		if len(b.landOffer) > 0 && b.r.chance(0.5) {
			programmes = b.landOffer
		} else if len(d.offers) > 1 {
			for _, p := range d.offers[max(0, len(d.offers)-50) : len(d.offers)-1] {
				if p.Category == "PROGRAMME" {
					programmes = append(programmes, p)
				}
			}
		}
		if len(programmes) > 0 {
			b.link(landscape.PartOf, o, pick(b.r, programmes))
		}
	}
}

// referrals adds the REFERS_TO edges: offers that refer their participants
// on to an offer of the next link of the chain in the same district, and
// roles that refer to counselling and youth services.
func (b *builder) referrals() {
	for _, d := range b.districts {
		for _, o := range d.offers {
			if !b.r.chance(0.5) {
				continue
			}
			var supports []string
			for _, s := range b.supports[o.ID] {
				if next := nextLink[s]; next != "" {
					supports = append(supports, next)
				}
			}
			if len(supports) == 0 {
				continue
			}
			if l := d.byLink[pick(b.r, supports)]; len(l) > 0 {
				b.link(landscape.RefersTo, o, pick(b.r, l))
			}
		}
		services := append(append([]*landscape.Node(nil), d.inst[pBeratung]...), d.inst[pJugend]...)
		if len(services) == 0 {
			continue
		}
		for _, a := range d.pool["x:schulsozialarbeit"] {
			if b.r.chance(0.5) {
				b.link(landscape.RefersTo, a, pick(b.r, services))
			}
		}
		for _, a := range d.pool["lead:"+pKita] {
			if b.r.chance(0.05) {
				b.link(landscape.RefersTo, a, pick(b.r, services))
			}
		}
		b.actorLinks(d)
	}
}

// actorLinks adds the working relations between roles: Kita-Leitungen with
// the Schulleitungen of their Grundschulen, the coordinators of
// Berufsorientierung with the Berufsberatung, Schulsozialarbeit with the
// Jugendpflege.
func (b *builder) actorLinks(d *district) {
	lead := func(inst *landscape.Node) *landscape.Node {
		return b.byID[inst.ID+"."+classRoles[b.instClass[inst.ID]][0].key]
	}
	for _, m := range d.leaves {
		for _, k := range m.inst[pKita] {
			if gs := m.inst[pGS]; len(gs) > 0 && b.r.chance(0.5) {
				b.link(landscape.CooperatesWith, lead(k), lead(pick(b.r, gs)))
			}
			if b.r.chance(0.2) {
				b.link(landscape.RefersTo, lead(k), d.role["fruehe-hilfen"])
			}
		}
		for _, g := range m.inst[pGS] {
			if w := m.inst[pWFS]; len(w) > 0 && b.r.chance(0.4) {
				b.link(landscape.CooperatesWith, lead(g), lead(pick(b.r, w)))
			}
		}
	}
	var berufsberatung *landscape.Node
	if d.agentur != nil {
		berufsberatung = b.byID[d.agentur.ID+".berufsberatung"]
	}
	for _, a := range d.pool["berufsorientierung:"+pWFS] {
		if b.r.chance(0.8) {
			b.link(landscape.RefersTo, a, berufsberatung)
		}
		if l := d.pool["lead:"+pBBS]; len(l) > 0 && b.r.chance(0.5) {
			b.link(landscape.CooperatesWith, a, pick(b.r, l))
		}
	}
	for _, a := range d.pool["x:schulsozialarbeit"] {
		if l := d.pool["x:jugendpflege"]; len(l) > 0 && b.r.chance(0.6) {
			b.link(landscape.CooperatesWith, a, pick(b.r, l))
		} else if b.r.chance(0.6) {
			b.link(landscape.RefersTo, a, d.role["fd-jugend"])
		}
	}
}
