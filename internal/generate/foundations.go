package generate

import (
	"fmt"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

var foundationKinds = []struct {
	category string
	name     func(d *district, m *muni) string
}{
	{"COMMUNITY", func(d *district, m *muni) string { return "Bürgerstiftung " + m.place() }},
	{"PUBLIC", func(d *district, m *muni) string { return "Stiftung der Sparkasse " + d.def.short }},
	{"PRIVATE", func(d *district, m *muni) string { return "Familienstiftung " + m.place() }},
	{"CHURCH", func(d *district, m *muni) string { return "Kirchliche Stiftung " + m.place() }},
	{"CORPORATE", func(d *district, m *muni) string { return "Unternehmensstiftung " + m.place() }},
	{"OTHER", func(d *district, m *muni) string { return "Stiftung Bildungschancen " + m.place() }},
}

var landFoundationThemes = []string{"Bildungschancen", "Lesen und Lernen", "Frühe Bildung", "Berufliche Zukunft",
	"Integration und Teilhabe", "MINT-Nachwuchs", "Demokratie leben", "Familie und Bildung"}

// foundations adds the foundations: some Land-wide, the rest in the
// districts by population.
func (b *builder) foundations() {
	total := b.target.Foundations
	nLand := total / 10
	for k := 0; k < nLand; k++ {
		name := fmt.Sprintf("Landesstiftung %s (synthetisch)", landFoundationThemes[k%len(landFoundationThemes)])
		if k >= len(landFoundationThemes) {
			name = fmt.Sprintf("Landesstiftung %s %d (synthetisch)", landFoundationThemes[k%len(landFoundationThemes)], k/len(landFoundationThemes)+1)
		}
		cat := pick(b.r, []string{"PUBLIC", "PRIVATE", "CORPORATE"})
		n := b.add(&landscape.Node{ID: fmt.Sprintf("ni.st%d", k+1), Kind: landscape.Foundation, Name: name, Category: cat})
		b.link(landscape.LocatedIn, n, pick(b.r, b.districts).seat.node)
		b.link(landscape.Serves, n, b.land)
		b.link(landscape.WorksOn, n, b.v(pick(b.r, topics).id))
		b.landFound = append(b.landFound, n)
	}
	for i, k := range allocate(total-nLand, b.districtWeights(), 1) {
		d := b.districts[i]
		for j := 0; j < k; j++ {
			m := d.seat
			if j > 0 {
				m = pick(b.r, d.leaves)
			}
			kind := foundationKinds[j%len(foundationKinds)]
			name := kind.name(d, m)
			if j >= len(foundationKinds) {
				name = fmt.Sprintf("%s (%d)", name, j/len(foundationKinds)+1)
			}
			n := b.add(&landscape.Node{ID: fmt.Sprintf("%s.st%d", d.id, j+1), Kind: landscape.Foundation, Name: name, Category: kind.category})
			b.link(landscape.LocatedIn, n, m.node)
			b.link(landscape.Serves, n, d.node)
			for _, t := range sample(b.r, topics, b.r.between(1, 2)) {
				b.link(landscape.WorksOn, n, b.v(t.id))
			}
			// Foundations fund institutions too: a Kita, a school, a Verein.
			for f := b.r.between(0, 2); f > 0; f-- {
				class := pick(b.r, []string{pKita, pGS, pVerein, pJugend})
				if l := d.inst[class]; len(l) > 0 {
					b.link(landscape.Funds, n, pick(b.r, l))
				}
			}
			d.foundations = append(d.foundations, n)
		}
	}
}
