package generate

import (
	"fmt"
	"strings"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// regions adds the Land, the districts and their municipalities: Landkreise
// with Einheitsgemeinden, Städte and Samtgemeinden (whose Mitgliedsgemeinden
// are one level deeper), kreisfreie Städte with Stadtteile (Sozialräume).
func (b *builder) regions() {
	b.land = b.add(&landscape.Node{ID: "ni", Kind: landscape.Region, Name: "Land Niedersachsen (synthetisch)",
		Category: "LAND", OfficialCode: "03", Aliases: []string{"Niedersachsen"}})
	defs := districtDefs
	for i := len(defs); i < b.target.Districts; i++ {
		// Beyond the 45 real districts: invented ones, shaped like them.
		base := districtDefs[i%len(districtDefs)]
		name := b.placeName()
		d := districtDef{name: "Landkreis " + name, short: name, code: fmt.Sprintf("9%04d", i), pop: base.pop}
		if base.city {
			d = districtDef{name: "Stadt " + name, short: name, code: fmt.Sprintf("9%04d", i), city: true, pop: base.pop}
		}
		defs = append(defs, d)
	}
	defs = defs[:b.target.Districts]
	weights := make([]float64, len(defs))
	for i, def := range defs {
		if def.city {
			weights[i] = 0.3 + float64(0.2*float64(def.pop)/200)
		} else {
			weights[i] = 0.8 + float64(0.4*float64(def.pop)/200)
		}
	}
	leaves := allocate(b.target.Municipalities, weights, 3)
	for i, def := range defs {
		d := &district{def: def, id: "k" + def.code, pop: float64(def.pop), inst: map[string][]*landscape.Node{},
			role: map[string]*landscape.Node{}, pool: map[string][]*landscape.Node{}, byLink: map[string][]*landscape.Node{}}
		cat := "LANDKREIS"
		if def.city {
			cat = "KREISFREIE_STADT"
		}
		d.node = b.add(&landscape.Node{ID: d.id, Kind: landscape.Region, Name: def.name, Category: cat,
			OfficialCode: def.code, Aliases: []string{def.short}})
		b.link(landscape.PartOf, d.node, b.land)
		if def.city {
			b.quarters(d, leaves[i])
		} else {
			b.municipalities(d, leaves[i])
		}
		b.districts = append(b.districts, d)
	}
}

func (b *builder) newMuni(d *district, parent *muni, name, category string, weight float64, n int) *muni {
	id := d.id + "." + slug(name)
	if _, taken := b.byID[id]; taken {
		id = fmt.Sprintf("%s-%d", id, n)
	}
	m := &muni{d: d, parent: parent, weight: weight, inst: map[string][]*landscape.Node{}}
	m.node = b.add(&landscape.Node{ID: id, Kind: landscape.Region, Name: name, Category: category,
		OfficialCode: fmt.Sprintf("%s%03d", d.def.code, n)})
	up := d.node
	if parent != nil {
		up = parent.node
	}
	b.link(landscape.PartOf, m.node, up)
	return m
}

// municipalities adds the n Gemeinden of a Landkreis: the Kreisstadt first,
// a few more Städte, Einheitsgemeinden and Samtgemeinden of three to six
// Mitgliedsgemeinden.
func (b *builder) municipalities(d *district, n int) {
	towns := 1 + n/10
	samt := 0
	if n >= 8 {
		samt = b.r.between((n-4)/10, (n-4)/6)
	}
	code := 0
	next := func() int { code++; return code }
	left := n
	for i := 0; i < towns && left > 0; i++ {
		name := b.placeName()
		w := 2.0 + 2*b.r.float()
		if i == 0 {
			w = 5.0
		}
		m := b.newMuni(d, nil, name, "STADT", w, next())
		d.leaves = append(d.leaves, m)
		d.cols = append(d.cols, m)
		left--
	}
	for s := 0; s < samt && left >= 3; s++ {
		size := min(left, b.r.between(3, 6))
		sg := b.newMuni(d, nil, "Samtgemeinde "+b.placeName(), "SAMTGEMEINDE", 0, next())
		d.cols = append(d.cols, sg)
		for j := 0; j < size; j++ {
			m := b.newMuni(d, sg, b.placeName(), "GEMEINDE", 0.3+b.r.float(), next())
			sg.weight += m.weight
			d.leaves = append(d.leaves, m)
			left--
		}
	}
	for ; left > 0; left-- {
		m := b.newMuni(d, nil, b.placeName(), "GEMEINDE", 0.5+1.2*b.r.float(), next())
		d.leaves = append(d.leaves, m)
		d.cols = append(d.cols, m)
	}
	d.seat = d.leaves[0]
}

// quarters adds the n Stadtteile of a kreisfreie Stadt.
func (b *builder) quarters(d *district, n int) {
	names := sample(b.r, quarterNames, n)
	for i := 0; i < n; i++ {
		name := ""
		if i < len(names) {
			name = names[i]
		} else {
			name = strings.TrimSuffix(b.placeName(), " ") + "er Viertel"
		}
		w := 0.6 + b.r.float()
		if i == 0 {
			w = 1.8
		}
		m := b.newMuni(d, nil, d.def.short+"-"+name, "SOZIALRAUM", w, i+1)
		d.leaves = append(d.leaves, m)
		d.cols = append(d.cols, m)
	}
	d.seat = d.leaves[0]
}

// leafWeights returns every municipality of the landscape with its share of
// the population: the district's population split by the municipalities'
// weights.
func (b *builder) leafWeights() ([]*muni, []float64) {
	var ms []*muni
	var ws []float64
	for _, d := range b.districts {
		sum := 0.0
		for _, m := range d.leaves {
			sum += m.weight
		}
		for _, m := range d.leaves {
			ms = append(ms, m)
			ws = append(ws, float64(d.pop*m.weight)/sum)
		}
	}
	return ms, ws
}

// districtWeights returns the districts' populations.
func (b *builder) districtWeights() []float64 {
	ws := make([]float64, len(b.districts))
	for i, d := range b.districts {
		ws[i] = d.pop
	}
	return ws
}

// place is the municipality the name of an institution in m refers to: the
// Stadtteil's city for a Stadtteil.
func (m *muni) place() string { return m.node.Name }
