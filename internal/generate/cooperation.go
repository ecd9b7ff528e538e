package generate

import (
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// cooperate adds a COOPERATES_WITH edge with an agreement, sometimes dated.
func (b *builder) cooperate(a, c *landscape.Node, agreement string) {
	e := b.link(landscape.CooperatesWith, a, c)
	if e == nil {
		return
	}
	e.Agreement = agreement
	if b.r.chance(0.5) {
		e.ValidFrom = b.randomDate(2012, 2024)
	}
}

// cooperation adds the cooperation and referral edges between
// institutions: Kita–Grundschule, school–BBS, school–Agentur, the partners
// of a Jugendberufsagentur, neighbouring Bildungsbüros.
func (b *builder) cooperation() {
	for di, d := range b.districts {
		for _, m := range d.leaves {
			for _, k := range m.inst[pKita] {
				if gs := m.inst[pGS]; len(gs) > 0 && b.r.chance(0.8) {
					b.cooperate(k, pick(b.r, gs), "Kooperationsvereinbarung Kita–Grundschule")
				}
				if b.r.chance(0.3) {
					if l := append(append([]*landscape.Node(nil), d.inst[pJugend]...), d.inst[pBeratung]...); len(l) > 0 {
						b.link(landscape.RefersTo, k, pick(b.r, l))
					}
				}
			}
			for _, g := range m.inst[pGS] {
				if w := d.inst[pWFS]; len(w) > 0 && b.r.chance(0.5) {
					local := m.inst[pWFS]
					if len(local) == 0 {
						local = w
					}
					b.cooperate(g, pick(b.r, local), "Kooperationsvereinbarung Übergang Grundschule–Sekundarstufe I")
				}
			}
		}
		for _, w := range d.inst[pWFS] {
			if l := d.inst[pBBS]; len(l) > 0 && b.r.chance(0.7) {
				b.cooperate(w, pick(b.r, l), "Kooperationsvertrag Berufsorientierung")
			}
			if d.agentur != nil && b.r.chance(0.6) {
				b.cooperate(w, d.agentur, "Kooperationsvereinbarung Berufs- und Studienorientierung")
			}
			if l := d.inst[pFirma]; len(l) > 0 && b.r.chance(0.3) {
				b.cooperate(w, pick(b.r, l), "Praktikumspartnerschaft")
			}
			if len(d.kammern) > 0 && b.r.chance(0.2) {
				b.cooperate(w, pick(b.r, d.kammern), "Bildungspartnerschaft")
			}
			if l := d.inst[pJugend]; len(l) > 0 && b.r.chance(0.3) {
				b.link(landscape.RefersTo, w, pick(b.r, l))
			}
		}
		vhs, jc, mz, bb := d.inst[pVHS][0], d.inst[pJobcenter][0], d.inst[pMigration][0], d.inst[pBB][0]
		b.cooperate(vhs, jc, "Kooperationsvereinbarung Sprachförderung")
		b.cooperate(bb, vhs, "")
		b.cooperate(bb, jc, "")
		if d.agentur != nil {
			b.cooperate(jc, d.agentur, "Kooperationsvereinbarung Jugendberufsagentur")
			for _, k := range d.kammern {
				b.link(landscape.RefersTo, d.agentur, k)
			}
		}
		b.link(landscape.RefersTo, jc, vhs)
		b.link(landscape.RefersTo, mz, vhs)
		for _, x := range d.inst[pBeratung] {
			b.link(landscape.RefersTo, x, mz)
		}
		for _, h := range d.inst[pHochschule] {
			if l := d.inst[pBBS]; len(l) > 0 {
				b.cooperate(h, pick(b.r, l), "Kooperationsvertrag Studienorientierung")
			}
		}
		for _, f := range d.inst[pFirma] {
			if l := d.inst[pBBS]; len(l) > 0 && b.r.chance(0.6) {
				b.cooperate(f, pick(b.r, l), "Lernortkooperation")
			}
		}
		if di > 0 && b.r.chance(0.3) {
			b.cooperate(bb, b.districts[di-1].inst[pBB][0], "Interkommunale Kooperation")
		}
		b.cooperate(bb, b.transfer, "Zielvereinbarung Bildungsregion")
	}
}
