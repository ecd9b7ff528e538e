// Package generate builds a synthetic landscape at the scale of a German
// Land (Niedersachsen): 45 districts with about 950 municipalities, 3,000
// schools, 5,500 Kitas, 20,000 offers, 500 committees, 20,000 actors and
// some 300,000 edges at scale 1 — for benchmarks, load tests and demos.
//
// The output is deterministic: the same Options give a byte-identical
// document (the generator uses its own PRNG and never iterates over a map).
// Nodes and edges carry no timestamps (the store stamps them on import; a
// re-import changes nothing) and edges the default id from>KIND>to.
// Every node and edge carries the source "Generator bildungsgraph
// (synthetisch), Seed N" and is marked illustrative. Districts are
// Niedersachsen's Landkreise and kreisfreie Städte (names, Kreisschlüssel,
// rough population as weights); everything below them — municipalities,
// institutions, offers, committees — is invented. Actors are roles
// (Schulleitung, Bildungskoordination), never persons. The ids (lp.kita,
// k03459.…) do not collide with the sample landscape's.
//
// The package depends on the domain only: every edge is checked against
// landscape.EdgeRules as it is made.
package generate

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Options choose the landscape.
type Options struct {
	// Scale multiplies every count: 1 is Niedersachsen, 10 ten times as
	// much (more districts), 0.01 a test landscape of one district.
	Scale float64
	// Seed selects the random landscape.
	Seed uint64
}

// Base counts at scale 1.
const (
	baseDistricts       = 45
	baseMunicipalities  = 950
	baseGrundschulen    = 1700
	baseWeiterfuehrende = 1170
	baseBBS             = 130
	baseKitas           = 5500
	baseOffers          = 20000
	baseCommittees      = 500
	baseActors          = 20000
	baseFoundations     = 300
	baseAgenturen       = 33
	baseKammern         = 13
	baseHochschulen     = 30
	baseRLSB            = 4
)

// MaxScale bounds Options.Scale (some 35 million edges).
const MaxScale = 100

// Counts are the numbers of nodes of a landscape, by what they are.
type Counts struct {
	Districts      int // Landkreise and kreisfreie Städte
	Municipalities int // Gemeinden (and the Stadtteile of kreisfreie Städte)
	Schools        int // Grundschulen, weiterführende Schulen, BBS
	Kitas          int
	Offers         int
	Committees     int
	Actors         int
	Foundations    int
}

// Targets returns the counts Generate aims at for a scale. Districts,
// municipalities, schools, Kitas, offers, committees and foundations are
// met exactly; actors are met unless the roles every institution needs
// exceed them (at very small scales).
func Targets(scale float64) Counts {
	districts := max(1, scaled(baseDistricts, scale))
	return Counts{
		Districts:      districts,
		Municipalities: max(scaled(baseMunicipalities, scale), 3*districts),
		Schools:        max(scaled(baseGrundschulen, scale), 1) + scaled(baseWeiterfuehrende, scale) + max(scaled(baseBBS, scale), 1),
		Kitas:          max(scaled(baseKitas, scale), 1),
		Offers:         max(scaled(baseOffers, scale), 1),
		Committees:     max(scaled(baseCommittees, scale), 1),
		Actors:         scaled(baseActors, scale),
		Foundations:    max(scaled(baseFoundations, scale), 1),
	}
}

func scaled(base int, scale float64) int { return int(math.Round(float64(base) * scale)) }

// Source is the source of every node and edge generated with seed.
func Source(seed uint64) string {
	return fmt.Sprintf("Generator bildungsgraph (synthetisch), Seed %d", seed)
}

// Generate builds the landscape.
func Generate(opt Options) (*landscape.Document, error) {
	if math.IsNaN(opt.Scale) || opt.Scale <= 0 || opt.Scale > MaxScale {
		return nil, fmt.Errorf("scale must be above 0 and at most %d, not %v", MaxScale, opt.Scale)
	}
	b := &builder{
		r: newRNG(opt.Seed), source: Source(opt.Seed), target: Targets(opt.Scale), scale: opt.Scale,
		byID: map[string]*landscape.Node{}, edgeIDs: map[string]bool{}, names: map[string]bool{}, supports: map[string][]string{},
	}
	b.vocabulary()
	b.regions()
	b.institutions()
	b.foundations()
	b.actors()
	b.cooperation()
	b.committees()
	b.offers()
	b.referrals()
	if b.err != nil {
		return nil, b.err
	}
	return &landscape.Document{Format: landscape.DocumentFormat, Nodes: b.nodes, Edges: b.edges}, nil
}

// builder holds the landscape being generated.
type builder struct {
	r      *rng
	source string
	target Counts
	scale  float64

	nodes   []*landscape.Node
	edges   []*landscape.Edge
	byID    map[string]*landscape.Node
	edgeIDs map[string]bool
	names   map[string]bool // place names taken
	err     error

	land      *landscape.Node
	vocab     map[string]*landscape.Node // phases, transitions, target groups, topics
	districts []*district
	landInst  []*landscape.Node // Landeseinrichtungen
	transfer  *landscape.Node   // Transferagentur
	landFound []*landscape.Node
	landComm  []*landscape.Node
	allInst   []*landscape.Node // every institution, in creation order
	instClass map[string]string // institution id -> provider class
	instSeat  map[string]*muni  // institution id -> municipality it is located in
	instDist  map[string]*district
	landOffer []*landscape.Node
	supports  map[string][]string // offer id -> the links it supports
}

// district is a Landkreis or kreisfreie Stadt being generated.
type district struct {
	def    districtDef
	id     string
	node   *landscape.Node
	pop    float64
	leaves []*muni // Gemeinden (Stadtteile)
	cols   []*muni // direct subregions: Samtgemeinden, Einheitsgemeinden, Stadtteile
	seat   *muni

	inst        map[string][]*landscape.Node // institutions by provider class
	role        map[string]*landscape.Node   // the district's unique roles (Landrat, Bildungskoordination …)
	pool        map[string][]*landscape.Node // actors by pool key
	foundations []*landscape.Node
	committees  []*landscape.Node
	byLink      map[string][]*landscape.Node // offers by the phase or transition they support
	offers      []*landscape.Node
	agentur     *landscape.Node
	kammern     []*landscape.Node
	partners    []*landscape.Node // actors of the Agentur and the Kammern serving the district
}

// muni is a municipality (or a Samtgemeinde, or a Stadtteil).
type muni struct {
	node   *landscape.Node
	d      *district
	parent *muni // the Samtgemeinde of a Mitgliedsgemeinde
	weight float64
	admin  *landscape.Node
	inst   map[string][]*landscape.Node
}

func (b *builder) fail(format string, args ...any) {
	if b.err == nil {
		b.err = fmt.Errorf("generate: "+format, args...)
	}
}

// add adds a node, stamped with the source.
func (b *builder) add(n *landscape.Node) *landscape.Node {
	if _, dup := b.byID[n.ID]; dup {
		b.fail("node id %q made twice", n.ID)
		return b.byID[n.ID]
	}
	if !landscape.ValidID(n.ID) {
		b.fail("invalid node id %q", n.ID)
	}
	n.Source, n.Illustrative = b.source, true
	b.byID[n.ID] = n
	b.nodes = append(b.nodes, n)
	return n
}

// link adds an edge from -kind-> to unless it exists (a COOPERATES_WITH edge
// in either direction) or would connect a node with itself; it returns nil
// then. An edge the EdgeRules forbid is a bug of the generator.
func (b *builder) link(kind landscape.EdgeKind, from, to *landscape.Node) *landscape.Edge {
	if from == nil || to == nil || from.ID == to.ID {
		return nil
	}
	id := landscape.DefaultEdgeID(from.ID, kind, to.ID)
	if b.edgeIDs[id] {
		return nil
	}
	if landscape.EdgeRules[kind].Symmetric && b.edgeIDs[landscape.DefaultEdgeID(to.ID, kind, from.ID)] {
		return nil
	}
	if err := landscape.CheckEnds(id, kind, from.Kind, to.Kind); err != nil {
		b.fail("%v", err)
		return nil
	}
	e := &landscape.Edge{ID: id, Kind: kind, From: from.ID, To: to.ID, Source: b.source, Illustrative: true}
	b.edgeIDs[id] = true
	b.edges = append(b.edges, e)
	return e
}

func (b *builder) v(id string) *landscape.Node {
	n := b.vocab[id]
	if n == nil {
		b.fail("unknown vocabulary id %q", id)
	}
	return n
}

func intp(i int) *int {
	if i < 0 {
		return nil
	}
	return &i
}

func date(y int, m time.Month, d int) *landscape.Date {
	x := landscape.NewDate(y, m, d)
	return &x
}

// randomDate returns a date between the years lo and hi (first of a month).
func (b *builder) randomDate(lo, hi int) *landscape.Date {
	return date(b.r.between(lo, hi), time.Month(b.r.between(1, 12)), 1)
}

// vocabulary adds the life phases, transitions, target groups and topics.
func (b *builder) vocabulary() {
	b.vocab = map[string]*landscape.Node{}
	for _, p := range phases {
		b.vocab[p.id] = b.add(&landscape.Node{ID: p.id, Kind: landscape.LifePhase, Name: p.name,
			Order: intp(p.order), AgeFrom: intp(p.ageFrom), AgeTo: intp(p.ageTo)})
	}
	for _, t := range transitions {
		n := b.add(&landscape.Node{ID: t.id, Kind: landscape.Transition, Name: t.name})
		b.vocab[t.id] = n
		b.link(landscape.FromPhase, n, b.v(t.from))
		b.link(landscape.ToPhase, n, b.v(t.to))
	}
	for _, g := range targetGroups {
		b.vocab[g.id] = b.add(&landscape.Node{ID: g.id, Kind: landscape.TargetGroup, Name: g.name,
			AgeFrom: intp(g.ageFrom), AgeTo: intp(g.ageTo)})
	}
	for _, t := range topics {
		b.vocab[t.id] = b.add(&landscape.Node{ID: t.id, Kind: landscape.Topic, Name: t.name, Category: t.category})
	}
	for _, t := range topics {
		if t.partOf != "" {
			b.link(landscape.PartOf, b.v(t.id), b.v(t.partOf))
		}
	}
}

// slug turns a German name into an id part.
func slug(s string) string {
	var sb strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		var rep string
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			rep = string(r)
		case r == 'ä':
			rep = "ae"
		case r == 'ö':
			rep = "oe"
		case r == 'ü':
			rep = "ue"
		case r == 'ß':
			rep = "ss"
		case r == 'é':
			rep = "e"
		default:
			if sb.Len() > 0 && !dash {
				sb.WriteByte('-')
				dash = true
			}
			continue
		}
		sb.WriteString(rep)
		dash = false
	}
	return strings.TrimSuffix(sb.String(), "-")
}

// placeName invents a place name not used before in the landscape.
func (b *builder) placeName() string {
	for attempt := 0; ; attempt++ {
		name := pick(b.r, placeStems) + pick(b.r, placeSuffixes)
		if b.r.chance(0.2) {
			p := pick(b.r, placePrefixes)
			if strings.HasSuffix(p, " ") {
				name = p + name
			} else {
				name = p + strings.ToLower(name[:1]) + name[1:]
			}
		}
		if attempt > 50 {
			name = fmt.Sprintf("%s %d", name, attempt)
		}
		if !b.names[name] {
			b.names[name] = true
			return name
		}
	}
}
