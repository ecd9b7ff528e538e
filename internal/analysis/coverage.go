package analysis

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// now is the clock that gives Coverage its default date.
var now = time.Now

// CoverageQuery asks how well a support chain (Förderkette) is covered in
// the subregions of a district.
type CoverageQuery struct {
	// Phases are LifePhase ids in chain order. Between two consecutive
	// phases the chain takes the transition (FROM_PHASE → TO_PHASE) that
	// connects them, if the landscape has one (of several, the one with the
	// smallest id).
	Phases []string
	// FromPhase, instead of Phases, starts the chain at a LifePhase and
	// follows transitions forward: from each phase the transition to the
	// phase of the smallest order greater than the current phase's order
	// (ties by phase id, then transition id). A transition that leads back in
	// order — a change of track, such as Bleiben → Ausbildung — ends the
	// chain; name such chains with Phases.
	FromPhase string
	// TargetGroup, optional, is the TargetGroup the offers must address.
	TargetGroup string
	// Region is the district. Its direct subregions (PART_OF) are the
	// columns of the matrix; a region without subregions is its own column.
	Region string
	// AsOf is the date of the analysis; nil means today.
	AsOf *landscape.Date
}

// Link is one link of a chain: a life phase or the transition between two.
type Link struct {
	Node *landscape.Node
	// From and To are the phases of a transition (nil for a phase).
	From, To *landscape.Node
}

// IsTransition reports whether the link is a transition.
func (l Link) IsTransition() bool { return l.Node.Kind == landscape.Transition }

// Cell is what a link of the chain has in one region. Every list is sorted
// by name, then id.
type Cell struct {
	// Offers count for the cell on the date of the analysis (see Coverage).
	Offers []*landscape.Node
	// Providers are the current providers of Offers.
	Providers []*landscape.Node
	// Coordinators are the committees and actors connected to Offers: those
	// that COORDINATE or are RESPONSIBLE_FOR an offer or its provider, the
	// committees a provider is MEMBER_OF, and those that COORDINATE or are
	// RESPONSIBLE_FOR the link itself and serve the region.
	Coordinators []*landscape.Node
	// Expired are offers that would count for the cell but whose validity,
	// or that of every provider, ended before the date of the analysis.
	Expired []*landscape.Node
}

// GapReason is the kind of a gap.
type GapReason string

// The gap reasons; Coverage defines them.
const (
	NoOffer        GapReason = "NO_OFFER"
	NoHandover     GapReason = "NO_HANDOVER"
	OfferExpired   GapReason = "OFFER_EXPIRED"
	OnlyElsewhere  GapReason = "ONLY_ELSEWHERE"
	NoCoordination GapReason = "NO_COORDINATION"
)

// Severity returns the rank of a gap: NO_OFFER at a transition 6, NO_OFFER at
// a phase 5, NO_HANDOVER 4, OFFER_EXPIRED 3, ONLY_ELSEWHERE 2,
// NO_COORDINATION 1.
func Severity(r GapReason, atTransition bool) int {
	switch r {
	case NoOffer:
		if atTransition {
			return 6
		}
		return 5
	case NoHandover:
		return 4
	case OfferExpired:
		return 3
	case OnlyElsewhere:
		return 2
	case NoCoordination:
		return 1
	}
	return 0
}

// Placement is an offer and the columns in which it counts.
type Placement struct {
	Offer   *landscape.Node
	Regions []*landscape.Node
}

// Gap is one gap of the chain in one region.
type Gap struct {
	Reason   GapReason
	Severity int
	// Link is the index in Matrix.Links of the phase or transition; for
	// NO_HANDOVER the transition between the two phases (or the second
	// phase when the landscape has no transition between them).
	Link   int
	Region *landscape.Node
	// Offers: the expired offers (OFFER_EXPIRED), the offers without
	// coordination (NO_COORDINATION), the offers of the first phase
	// (NO_HANDOVER).
	Offers []*landscape.Node
	// NextOffers are the offers of the second phase (NO_HANDOVER).
	NextOffers []*landscape.Node
	// Elsewhere are the transfer candidates: offers for the link that count
	// in other columns of the district (ONLY_ELSEWHERE, OFFER_EXPIRED).
	Elsewhere []Placement
	// Explanation says in German what is missing.
	Explanation string
}

// Matrix is the coverage of a chain: Cells[link][region].
type Matrix struct {
	AsOf        landscape.Date
	District    *landscape.Node
	TargetGroup *landscape.Node // nil: every target group
	Links       []Link
	Regions     []*landscape.Node
	Cells       [][]Cell
	// Gaps are ranked: by severity (highest first), then chain order, then
	// region name.
	Gaps []Gap
}

// Coverage computes the coverage matrix of a support chain: per link of
// the chain and per subregion of the district, the offers, their providers
// and coordinators, and the gaps.
//
// # Which offer counts for a cell
//
// An offer counts for the cell (link L, region C) on the date d when all of
// these hold on d:
//
//   - the offer is valid and has a valid SUPPORTS edge to L;
//   - target group: no target group is asked for; or the offer has a valid
//     TARGETS edge to it; or the offer has no TARGETS edge at all, at any
//     time — an offer that names no target group is open to everyone;
//   - area: the offer has a valid SERVES edge to a region that is C, a
//     PART_OF-ancestor of C (an offer for the whole Landkreis covers every
//     Gemeinde in it) or a PART_OF-descendant of C (an offer in one
//     Sozialraum of a Gemeinde counts for that Gemeinde). An offer without
//     any SERVES edge is placed by its LOCATED_IN edges instead, and one
//     without either by the SERVES (else LOCATED_IN) edges of its current
//     providers;
//   - provider: the offer has no PROVIDES edge at all (provider unknown), or
//     at least one provider whose PROVIDES edge and node are valid.
//
// An offer is expired for the cell when it would count but for a validity
// that ended before d: of the offer, of one of those edges, or of every
// provider. Facts that only begin after d (planned offers) count neither
// way.
//
// # Gaps
//
// Each cell without a counting offer has exactly one of
//
//   - OFFER_EXPIRED: expired offers exist for the cell (transfer candidates
//     from other columns are named too);
//   - ONLY_ELSEWHERE: no expired offer, but offers for the link count in
//     other columns of the district — the transfer candidates;
//   - NO_OFFER: nothing at all.
//
// NO_HANDOVER concerns two consecutive phases of the chain that both have
// counting offers in a region. A handover exists when, for some offer a of
// the first and b of the second phase, a and b are the same offer (one
// offer spans both phases), or a and b are joined by a REFERS_TO edge
// (either direction), or a current provider of a and one of b are the same
// organisation, joined by a COOPERATES_WITH or REFERS_TO edge (either
// direction), or MEMBER_OF the same committee. Offers at the transition
// itself are judged by the transition's own cell, not here.
//
// NO_COORDINATION: the cell has counting offers but no Coordinators (see
// Cell).
//
// Gaps are ranked by Severity, then chain order, then region name and id.
//
// Coverage reads the store in a bounded number of round trips (13 for a
// small landscape, plus one per further MaxPageSize offers or ids), and reads
// only the regions that can count for a column and the offers placed in, or
// provided by organisations placed in, the district, its subregions or the
// regions above it.
func Coverage(ctx context.Context, s landscape.Store, q CoverageQuery) (*Matrix, error) {
	if err := q.check(); err != nil {
		return nil, err
	}
	asOf := landscape.DateOf(now())
	if q.AsOf != nil {
		asOf = *q.AsOf
	}
	c := &coverage{ctx: ctx, s: s, q: q, asOf: asOf, m: &Matrix{AsOf: asOf}}
	if err := c.loadArguments(); err != nil {
		return nil, err
	}
	if err := c.loadRegions(); err != nil {
		return nil, err
	}
	if err := c.buildChain(); err != nil {
		return nil, err
	}
	if err := c.loadOffers(); err != nil {
		return nil, err
	}
	c.fillCells()
	c.findGaps()
	return c.m, nil
}

func (q *CoverageQuery) check() error {
	switch {
	case len(q.Phases) > 0 && q.FromPhase != "":
		return landscape.Errorf(landscape.EInvalid, "phases", "give phases or fromPhase, not both")
	case len(q.Phases) == 0 && q.FromPhase == "":
		return landscape.Errorf(landscape.EInvalid, "phases", "name the chain: give phases or fromPhase")
	case q.Region == "":
		return landscape.Errorf(landscape.EInvalid, "region", "is required: name the district whose subregions are compared")
	}
	if err := landscape.CheckID("region", q.Region); err != nil {
		return err
	}
	if q.TargetGroup != "" {
		if err := landscape.CheckID("targetGroup", q.TargetGroup); err != nil {
			return err
		}
	}
	if q.FromPhase != "" {
		if err := landscape.CheckID("fromPhase", q.FromPhase); err != nil {
			return err
		}
	}
	for i, id := range q.Phases {
		field := fmt.Sprintf("phases[%d]", i)
		if err := landscape.CheckID(field, id); err != nil {
			return err
		}
		if j := slices.Index(q.Phases, id); j < i {
			return landscape.Errorf(landscape.EInvalid, field, "%q is already phases[%d]; a chain passes each phase once", id, j)
		}
	}
	return nil
}

// coverage is the state of one Coverage call.
type coverage struct {
	ctx  context.Context
	s    landscape.Store
	q    CoverageQuery
	asOf landscape.Date
	m    *Matrix

	phases  []*landscape.Node // the phases of the query, in order
	regions map[string]*landscape.Node
	parents map[string][]string
	anc     map[string]map[string]bool

	// Read without a date (the whole history), classified by validity:
	nodes    map[string]*landscape.Node              // offers, providers, coordinators of offers and links
	supports map[string]map[string][]*landscape.Edge // offer -> link -> SUPPORTS edges
	linkCo   map[string][]*landscape.Edge            // link -> COORDINATES/RESPONSIBLE_FOR edges into it
	offerE   map[string][]*landscape.Edge            // offer -> its edges (both directions)
	// Read as of the date:
	orgE    map[string][]*landscape.Edge // provider or link coordinator -> its edges
	current map[string]*landscape.Node   // committees and coordinators of providers

	cellState [][]cellState
}

type cellState struct {
	active  []*landscape.Node
	expired []expiredOffer
}

type expiredOffer struct {
	offer    *landscape.Node
	end      *landscape.Date
	provider *landscape.Node // set when the offer expired with its providers
}

func (c *coverage) loadArguments() error {
	q := c.q
	ids := []string{q.Region}
	if q.TargetGroup != "" {
		ids = append(ids, q.TargetGroup)
	}
	if q.FromPhase != "" {
		ids = append(ids, q.FromPhase)
	}
	ids = append(ids, q.Phases...)
	found, err := c.s.Nodes(c.ctx, dedup(ids), &c.asOf)
	if err != nil {
		return err
	}
	if c.m.District, err = checkNode("region", q.Region, found[q.Region], landscape.Region, &c.asOf); err != nil {
		return err
	}
	if q.TargetGroup != "" {
		if c.m.TargetGroup, err = checkNode("targetGroup", q.TargetGroup, found[q.TargetGroup], landscape.TargetGroup, &c.asOf); err != nil {
			return err
		}
	}
	if q.FromPhase != "" {
		p, err := checkNode("fromPhase", q.FromPhase, found[q.FromPhase], landscape.LifePhase, &c.asOf)
		if err != nil {
			return err
		}
		c.phases = []*landscape.Node{p}
	}
	for i, id := range q.Phases {
		p, err := checkNode(fmt.Sprintf("phases[%d]", i), id, found[id], landscape.LifePhase, &c.asOf)
		if err != nil {
			return err
		}
		c.phases = append(c.phases, p)
	}
	return nil
}

// loadRegions reads the regions valid on the date that can decide whether
// a fact counts for a column, with the PART_OF hierarchy among them, and
// chooses the columns. A region covers a column only as the column itself,
// as one of its parts or as one of its ancestors (covers), so these are
// the district's parts down to maxLevels+1 levels (the parts of a column's
// parts) and the regions above any of those, up to maxLevels levels: two
// Expand calls, whatever the number of regions in the landscape.
func (c *coverage) loadRegions() error {
	region := []landscape.NodeKind{landscape.Region}
	partOf := []landscape.EdgeKind{landscape.PartOf}
	walk := func(roots []string, dir landscape.Direction, levels int) (*landscape.Expansion, error) {
		steps := make([]landscape.ExpandStep, levels)
		for i := range steps {
			steps[i] = landscape.ExpandStep{Parent: i - 1, Direction: dir, Kinds: partOf, FromKinds: region}
		}
		return c.s.Expand(c.ctx, landscape.ExpandQuery{Roots: roots, AsOf: &c.asOf, Steps: steps})
	}
	c.regions = map[string]*landscape.Node{}
	add := func(x *landscape.Expansion) {
		for id, n := range x.Nodes {
			if n.Kind == landscape.Region {
				c.regions[id] = n
			}
		}
	}
	down, err := walk([]string{c.m.District.ID}, landscape.DirIn, maxLevels+1)
	if err != nil {
		return err
	}
	add(down)
	up, err := walk(keys(c.regions), landscape.DirOut, maxLevels)
	if err != nil {
		return err
	}
	add(up)
	c.parents = map[string][]string{}
	c.anc = map[string]map[string]bool{}
	seen := map[string]bool{}
	var cols []*landscape.Node
	for _, level := range up.Steps {
		for id, es := range level {
			for _, e := range es {
				if seen[e.ID] || e.From != id || c.regions[id] == nil || c.regions[e.To] == nil {
					continue
				}
				seen[e.ID] = true
				c.parents[id] = append(c.parents[id], e.To)
				if e.To == c.m.District.ID {
					cols = append(cols, c.regions[id])
				}
			}
		}
	}
	if len(cols) == 0 {
		cols = []*landscape.Node{c.m.District}
	}
	c.m.Regions = sortedNodes(cols)
	return nil
}

// ancestors returns the PART_OF-ancestors of region id.
func (c *coverage) ancestors(id string) map[string]bool {
	if a, ok := c.anc[id]; ok {
		return a
	}
	a := map[string]bool{}
	frontier := []string{id}
	for level := 0; level < maxLevels && len(frontier) > 0; level++ {
		var next []string
		for _, r := range frontier {
			for _, p := range c.parents[r] {
				if !a[p] && p != id {
					a[p] = true
					next = append(next, p)
				}
			}
		}
		frontier = next
	}
	c.anc[id] = a
	return a
}

// covers reports whether a fact about region served counts for column col:
// the same region, an ancestor or a descendant.
func (c *coverage) covers(served, col string) bool {
	return served == col || c.ancestors(col)[served] || c.ancestors(served)[col]
}

// buildChain reads the life phases and transitions valid on the date and
// lays out the links.
func (c *coverage) buildChain() error {
	phases, err := allNodes(c.ctx, c.s, []landscape.NodeKind{landscape.LifePhase}, &c.asOf)
	if err != nil {
		return err
	}
	transitions, err := allNodes(c.ctx, c.s, []landscape.NodeKind{landscape.Transition}, &c.asOf)
	if err != nil {
		return err
	}
	phaseByID := map[string]*landscape.Node{}
	for _, p := range phases {
		phaseByID[p.ID] = p
	}
	ids := make([]string, len(transitions))
	for i, t := range transitions {
		ids[i] = t.ID
	}
	adj, err := adjacent(c.ctx, c.s, ids, landscape.DirOut, []landscape.EdgeKind{landscape.FromPhase, landscape.ToPhase}, &c.asOf)
	if err != nil {
		return err
	}
	type step struct{ t, from, to *landscape.Node }
	var steps []step // sorted by transition id
	for _, t := range transitions {
		var from, to *landscape.Node
		for _, e := range adj[t.ID] { // sorted by edge id: the first of each kind wins
			switch {
			case e.Kind == landscape.FromPhase && from == nil:
				from = phaseByID[e.To]
			case e.Kind == landscape.ToPhase && to == nil:
				to = phaseByID[e.To]
			}
		}
		if from != nil && to != nil {
			steps = append(steps, step{t, from, to})
		}
	}
	order := func(p *landscape.Node) int {
		if p.Order == nil {
			return 0
		}
		return *p.Order
	}
	addPhase := func(p *landscape.Node) { c.m.Links = append(c.m.Links, Link{Node: p}) }
	addStep := func(st step) { c.m.Links = append(c.m.Links, Link{Node: st.t, From: st.from, To: st.to}) }
	if c.q.FromPhase == "" {
		for i, p := range c.phases {
			addPhase(p)
			if i+1 == len(c.phases) {
				break
			}
			for _, st := range steps {
				if st.from.ID == p.ID && st.to.ID == c.phases[i+1].ID {
					addStep(st)
					break
				}
			}
		}
		return nil
	}
	cur := c.phases[0]
	visited := map[string]bool{cur.ID: true}
	addPhase(cur)
	for {
		var best *step
		for i, st := range steps {
			if st.from.ID != cur.ID || visited[st.to.ID] || order(st.to) <= order(cur) {
				continue
			}
			if best == nil || order(st.to) < order(best.to) || order(st.to) == order(best.to) && st.to.ID < best.to.ID {
				best = &steps[i]
			}
		}
		if best == nil {
			return nil
		}
		addStep(*best)
		addPhase(best.to)
		visited[best.to.ID] = true
		cur = best.to
	}
}

// loadOffers reads the offers that can count for the matrix, with their
// whole history, and what is needed to place and judge them. Candidates
// are found from the area, not from the links (whose offers span the whole
// landscape): the offers that serve or are located in the district, a
// region in it or one above it, or whose provider does; of these, the ones
// supporting a link of the chain. One filtered query finds the offers of
// the area, so that a store walks from the area's ids instead of sending
// every relationship of the organisations there.
func (c *coverage) loadOffers() error {
	linkIDs := make([]string, len(c.m.Links))
	isLink := map[string]bool{}
	for i, l := range c.m.Links {
		linkIDs[i] = l.Node.ID
		isLink[l.Node.ID] = true
	}
	var area []string
	for id := range c.regions {
		if id == c.m.District.ID || c.ancestors(id)[c.m.District.ID] || c.ancestors(c.m.District.ID)[id] {
			area = append(area, id)
		}
	}
	slices.Sort(area)
	inArea := relatedTo(landscape.DirOut, []landscape.EdgeKind{landscape.Serves, landscape.LocatedIn}, idIn(area))
	offers, err := allMatching(c.ctx, c.s, []landscape.NodeKind{landscape.Offer},
		&landscape.Filter{Or: []*landscape.Filter{inArea, relatedTo(landscape.DirIn, []landscape.EdgeKind{landscape.Provides}, inArea)}}, nil)
	if err != nil {
		return err
	}
	adj, err := adjacent(c.ctx, c.s, linkIDs, landscape.DirIn, []landscape.EdgeKind{landscape.Coordinates, landscape.ResponsibleFor}, nil)
	if err != nil {
		return err
	}
	c.linkCo = map[string][]*landscape.Edge{}
	var linkCoIDs []string
	for _, l := range linkIDs {
		for _, e := range adj[l] {
			c.linkCo[l] = append(c.linkCo[l], e)
			linkCoIDs = append(linkCoIDs, e.From)
		}
	}
	c.nodes = map[string]*landscape.Node{}
	if err := loadInto(c.ctx, c.s, c.nodes, linkCoIDs, nil); err != nil {
		return err
	}
	// The area's offers' relationships, with the links they support; the
	// offers supporting none are dropped. Their target groups matter only
	// when the matrix is for one.
	ids := make([]string, len(offers))
	for i, o := range offers {
		ids[i] = o.ID
	}
	kinds := []landscape.EdgeKind{landscape.Serves, landscape.LocatedIn, landscape.RefersTo,
		landscape.Provides, landscape.Coordinates, landscape.ResponsibleFor, landscape.Supports}
	if c.m.TargetGroup != nil {
		kinds = append(kinds, landscape.Targets)
	}
	adj, err = adjacent(c.ctx, c.s, ids, landscape.DirBoth, kinds, nil)
	if err != nil {
		return err
	}
	c.supports = map[string]map[string][]*landscape.Edge{}
	c.offerE = map[string][]*landscape.Edge{}
	var offerIDs []string
	for _, o := range offers {
		sup := map[string][]*landscape.Edge{}
		for _, e := range adj[o.ID] {
			if e.Kind == landscape.Supports && e.From == o.ID && isLink[e.To] {
				sup[e.To] = append(sup[e.To], e)
			}
		}
		if len(sup) == 0 {
			continue
		}
		c.supports[o.ID] = sup
		c.nodes[o.ID] = o
		offerIDs = append(offerIDs, o.ID)
		for _, e := range adj[o.ID] {
			if e.Kind != landscape.Supports {
				c.offerE[o.ID] = append(c.offerE[o.ID], e)
			}
		}
	}
	var orgs, more []string
	for _, o := range offerIDs {
		for _, e := range c.offerE[o] {
			if e.To != o {
				continue
			}
			switch e.Kind {
			case landscape.Provides:
				orgs = append(orgs, e.From)
				more = append(more, e.From)
			case landscape.Coordinates, landscape.ResponsibleFor:
				more = append(more, e.From)
			}
		}
	}
	if err := loadInto(c.ctx, c.s, c.nodes, more, nil); err != nil {
		return err
	}
	providers := dedup(orgs)
	orgs = append(slices.Clone(providers), linkCoIDs...)
	// What the cells and gaps ask of an organisation: its area and its
	// committees (out), who coordinates it (in); the nodes at the other
	// ends come along. Not the other directions: a Land-wide coordinator
	// coordinates thousands of offers.
	c.orgE, c.current, err = around(c.ctx, c.s, orgs, &c.asOf,
		landscape.ExpandStep{Direction: landscape.DirOut, Kinds: []landscape.EdgeKind{landscape.Serves, landscape.LocatedIn, landscape.MemberOf}},
		landscape.ExpandStep{Direction: landscape.DirIn, Kinds: []landscape.EdgeKind{landscape.Coordinates, landscape.ResponsibleFor}})
	if err != nil {
		return err
	}
	// Cooperations count only between two providers (handover), so only
	// those are read, without the nodes: a school's partners are mostly
	// elsewhere (at scale 1, 400 of 2,051 relationships).
	coop, err := adjacentWithin(c.ctx, c.s, providers, landscape.DirBoth,
		[]landscape.EdgeKind{landscape.CooperatesWith, landscape.RefersTo}, &c.asOf, providers)
	if err != nil {
		return err
	}
	for id, es := range coop {
		if len(es) > 0 {
			c.orgE[id] = append(c.orgE[id], es...)
			landscape.SortEdges(c.orgE[id])
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// Validity.

// state orders how a fact stands on the date of the analysis.
type state uint8

const (
	active state = iota // valid
	future              // begins after the date
	ended               // ended before the date
	absent              // no such fact
)

// standing is how a fact, or a conjunction or choice of facts, stands on
// the date.
type standing struct {
	state    state
	end      *landscape.Date // ended: the day the fact ended
	provider *landscape.Node // ended with this provider
}

var (
	valid   = standing{state: active}
	missing = standing{state: absent}
)

func standingOf(v landscape.Validity, asOf landscape.Date) standing {
	switch {
	case v.ValidTo != nil && v.ValidTo.Before(asOf):
		return standing{state: ended, end: v.ValidTo}
	case v.ValidFrom != nil && v.ValidFrom.After(asOf):
		return standing{state: future}
	}
	return valid
}

// and is the standing of two facts that must both hold: the worse; of two
// ended facts the one that ended first.
func (a standing) and(b standing) standing {
	switch {
	case a.state != b.state:
		if a.state > b.state {
			return a
		}
		return b
	case a.state == ended && b.end.Before(*a.end):
		return b
	}
	return a
}

// or is the standing of alternatives: the better; of two ended ones the
// one that ended last.
func (a standing) or(b standing) standing {
	switch {
	case a.state != b.state:
		if a.state < b.state {
			return a
		}
		return b
	case a.state == ended && b.end.After(*a.end):
		return b
	}
	return a
}

func (c *coverage) edgesOf(id string, kind landscape.EdgeKind, out bool) []*landscape.Edge {
	var es []*landscape.Edge
	for _, e := range c.offerE[id] {
		if e.Kind == kind && (e.From == id) == out {
			es = append(es, e)
		}
	}
	return es
}

// currentEdges returns the edges (read as of the date) of org of the kind
// that start (out) or end at org.
func (c *coverage) currentEdges(org string, kind landscape.EdgeKind, out bool) []*landscape.Edge {
	var es []*landscape.Edge
	for _, e := range c.orgE[org] {
		if e.Kind == kind && (e.From == org) == out {
			es = append(es, e)
		}
	}
	return es
}

// candidate is an offer with what decides its place, worked out once.
type candidate struct {
	offer *landscape.Node
	// base is the standing of the offer, its target group and its
	// providers: everything but the link and the area.
	base standing
	// area are the regions the offer is placed in, with the standing of
	// each placement.
	area []placement
}

type placement struct {
	region string
	st     standing
}

// candidates returns, per link, the offers supporting it that are placed in
// at least one column.
func (c *coverage) candidates() map[string][]*candidate {
	out := map[string][]*candidate{}
	for _, id := range keys(c.supports) {
		o := c.nodes[id]
		if o == nil {
			continue
		}
		cand := &candidate{offer: o, base: c.baseOf(o), area: c.areaOf(o)}
		if cand.base.state == absent || !slices.ContainsFunc(cand.area, func(p placement) bool {
			return slices.ContainsFunc(c.m.Regions, func(col *landscape.Node) bool { return c.covers(p.region, col.ID) })
		}) {
			continue
		}
		for _, link := range keys(c.supports[id]) {
			out[link] = append(out[link], cand)
		}
	}
	return out
}

// placeIn is how the candidate stands for the cell (link, col).
func (c *coverage) placeIn(cand *candidate, link, col string) standing {
	sup := missing
	for _, e := range c.supports[cand.offer.ID][link] {
		sup = sup.or(standingOf(e.Validity, c.asOf))
	}
	area := missing
	for _, p := range cand.area {
		if c.covers(p.region, col) {
			area = area.or(p.st)
		}
	}
	return cand.base.and(sup).and(area)
}

// baseOf is how offer o stands by its own validity, its target group and
// its providers.
func (c *coverage) baseOf(o *landscape.Node) standing {
	st := standingOf(o.Validity, c.asOf)
	if tg := c.m.TargetGroup; tg != nil {
		if targets := c.edgesOf(o.ID, landscape.Targets, true); len(targets) > 0 {
			t := missing
			for _, e := range targets {
				if e.To == tg.ID {
					t = t.or(standingOf(e.Validity, c.asOf))
				}
			}
			st = st.and(t)
		}
	}
	provides := c.edgesOf(o.ID, landscape.Provides, false)
	if len(provides) > 0 {
		p := missing
		for _, e := range provides {
			n := c.nodes[e.From]
			if n == nil {
				continue
			}
			ps := standingOf(e.Validity, c.asOf).and(standingOf(n.Validity, c.asOf))
			if ps.state == ended {
				ps.provider = n
			}
			p = p.or(ps)
		}
		st = st.and(p)
	}
	return st
}

// areaOf returns where offer o is placed: its SERVES edges, else its
// LOCATED_IN edges, else the areas of its current providers.
func (c *coverage) areaOf(o *landscape.Node) []placement {
	for _, kind := range []landscape.EdgeKind{landscape.Serves, landscape.LocatedIn} {
		es := c.edgesOf(o.ID, kind, true)
		if len(es) == 0 {
			continue
		}
		var out []placement
		for _, e := range es {
			if c.regions[e.To] != nil {
				out = append(out, placement{e.To, standingOf(e.Validity, c.asOf)})
			}
		}
		return out
	}
	var out []placement
	for _, e := range c.edgesOf(o.ID, landscape.Provides, false) {
		if p := c.nodes[e.From]; p != nil && p.ValidAt(&c.asOf) && e.ValidAt(&c.asOf) {
			for _, r := range c.orgArea(p.ID) {
				out = append(out, placement{r, valid})
			}
		}
	}
	return out
}

// orgArea returns the regions org (read as of the date) serves, else those
// it is located in.
func (c *coverage) orgArea(org string) []string {
	for _, kind := range []landscape.EdgeKind{landscape.Serves, landscape.LocatedIn} {
		var out []string
		for _, e := range c.currentEdges(org, kind, true) {
			if c.regions[e.To] != nil {
				out = append(out, e.To)
			}
		}
		if len(c.currentEdges(org, kind, true)) > 0 {
			return out
		}
	}
	return nil
}

// orgCovers reports whether org (read as of the date) serves or is located
// in a region covering col; an org with neither counts everywhere when
// everywhere is set.
func (c *coverage) orgCovers(org, col string, everywhere bool) bool {
	if len(c.currentEdges(org, landscape.Serves, true))+len(c.currentEdges(org, landscape.LocatedIn, true)) == 0 {
		return everywhere
	}
	return slices.ContainsFunc(c.orgArea(org), func(r string) bool { return c.covers(r, col) })
}

// ---------------------------------------------------------------------------
// Cells and gaps.

func (c *coverage) fillCells() {
	cands := c.candidates()
	c.m.Cells = make([][]Cell, len(c.m.Links))
	c.cellState = make([][]cellState, len(c.m.Links))
	for li, l := range c.m.Links {
		c.m.Cells[li] = make([]Cell, len(c.m.Regions))
		c.cellState[li] = make([]cellState, len(c.m.Regions))
		for ci, col := range c.m.Regions {
			var cs cellState
			for _, cand := range cands[l.Node.ID] {
				o := cand.offer
				switch st := c.placeIn(cand, l.Node.ID, col.ID); st.state {
				case active:
					cs.active = append(cs.active, o)
				case ended:
					cs.expired = append(cs.expired, expiredOffer{offer: o, end: st.end, provider: st.provider})
				}
			}
			cs.active = sortedNodes(cs.active)
			slices.SortFunc(cs.expired, func(a, b expiredOffer) int { return byName(a.offer, b.offer) })
			c.cellState[li][ci] = cs
			cell := Cell{Offers: cs.active}
			for _, x := range cs.expired {
				cell.Expired = append(cell.Expired, x.offer)
			}
			var providers, coordinators []*landscape.Node
			for _, o := range cs.active {
				ps := c.providers(o)
				providers = append(providers, ps...)
				coordinators = append(coordinators, c.offerCoordinators(o, ps)...)
			}
			coordinators = append(coordinators, c.linkCoordinators(l.Node.ID, col.ID)...)
			cell.Providers = sortedNodes(providers)
			cell.Coordinators = sortedNodes(coordinators)
			c.m.Cells[li][ci] = cell
		}
	}
}

// providers returns the current providers of o.
func (c *coverage) providers(o *landscape.Node) []*landscape.Node {
	var ps []*landscape.Node
	for _, e := range c.edgesOf(o.ID, landscape.Provides, false) {
		if p := c.nodes[e.From]; p != nil && p.ValidAt(&c.asOf) && e.ValidAt(&c.asOf) {
			ps = append(ps, p)
		}
	}
	return sortedNodes(ps)
}

// offerCoordinators returns who coordinates o or its providers ps.
func (c *coverage) offerCoordinators(o *landscape.Node, ps []*landscape.Node) []*landscape.Node {
	var out []*landscape.Node
	for _, kind := range []landscape.EdgeKind{landscape.Coordinates, landscape.ResponsibleFor} {
		for _, e := range c.edgesOf(o.ID, kind, false) {
			if n := c.nodes[e.From]; n != nil && n.ValidAt(&c.asOf) && e.ValidAt(&c.asOf) {
				out = append(out, n)
			}
		}
		for _, p := range ps {
			for _, e := range c.currentEdges(p.ID, kind, false) {
				out = append(out, c.current[e.From])
			}
		}
	}
	for _, p := range ps {
		for _, e := range c.currentEdges(p.ID, landscape.MemberOf, true) {
			out = append(out, c.current[e.To])
		}
	}
	return out
}

// linkCoordinators returns who coordinates the link itself in col.
func (c *coverage) linkCoordinators(link, col string) []*landscape.Node {
	var out []*landscape.Node
	for _, e := range c.linkCo[link] {
		if n := c.nodes[e.From]; n != nil && n.ValidAt(&c.asOf) && e.ValidAt(&c.asOf) && c.orgCovers(n.ID, col, true) {
			out = append(out, n)
		}
	}
	return out
}

func (c *coverage) findGaps() {
	m := c.m
	add := func(g Gap) {
		g.Severity = Severity(g.Reason, m.Links[g.Link].IsTransition())
		m.Gaps = append(m.Gaps, g)
	}
	for li, l := range m.Links {
		for ci, col := range m.Regions {
			cs := c.cellState[li][ci]
			if len(cs.active) > 0 {
				if len(m.Cells[li][ci].Coordinators) == 0 {
					add(Gap{Reason: NoCoordination, Link: li, Region: col, Offers: cs.active,
						Explanation: explainNoCoordination(l, col, cs.active)})
				}
				continue
			}
			elsewhere := c.elsewhere(li, ci)
			switch {
			case len(cs.expired) > 0:
				g := Gap{Reason: OfferExpired, Link: li, Region: col, Elsewhere: elsewhere,
					Explanation: explainExpired(l, col, m.TargetGroup, cs.expired, elsewhere)}
				for _, x := range cs.expired {
					g.Offers = append(g.Offers, x.offer)
				}
				add(g)
			case len(elsewhere) > 0:
				add(Gap{Reason: OnlyElsewhere, Link: li, Region: col, Elsewhere: elsewhere,
					Explanation: explainElsewhere(l, col, m.TargetGroup, elsewhere)})
			default:
				add(Gap{Reason: NoOffer, Link: li, Region: col, Explanation: explainNoOffer(l, col, m.TargetGroup)})
			}
		}
	}
	// Handovers between consecutive phases.
	prev := -1
	for li, l := range m.Links {
		if l.IsTransition() {
			continue
		}
		if prev >= 0 {
			at := li
			if li-1 > prev {
				at = li - 1 // the transition between them
			}
			for ci, col := range m.Regions {
				a, b := c.cellState[prev][ci].active, c.cellState[li][ci].active
				if len(a) > 0 && len(b) > 0 && !c.handover(a, b) {
					add(Gap{Reason: NoHandover, Link: at, Region: col, Offers: a, NextOffers: b,
						Explanation: explainNoHandover(m.Links[prev], l, col)})
				}
			}
		}
		prev = li
	}
	slices.SortStableFunc(m.Gaps, func(a, b Gap) int {
		if c := cmp.Compare(b.Severity, a.Severity); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Link, b.Link); c != 0 {
			return c
		}
		return byName(a.Region, b.Region)
	})
}

// elsewhere returns the offers counting for link li in other columns than
// ci, with those columns.
func (c *coverage) elsewhere(li, ci int) []Placement {
	var out []Placement
	at := map[string]int{}
	for cj, col := range c.m.Regions {
		if cj == ci {
			continue
		}
		for _, o := range c.cellState[li][cj].active {
			i, ok := at[o.ID]
			if !ok {
				i = len(out)
				at[o.ID] = i
				out = append(out, Placement{Offer: o})
			}
			out[i].Regions = append(out[i].Regions, col)
		}
	}
	slices.SortFunc(out, func(a, b Placement) int { return byName(a.Offer, b.Offer) })
	return out
}

// handover reports whether some offer of a hands over to some offer of b;
// see Coverage.
func (c *coverage) handover(a, b []*landscape.Node) bool {
	inB := map[string]bool{}
	for _, o := range b {
		inB[o.ID] = true
	}
	for _, o := range a {
		if inB[o.ID] {
			return true
		}
		for _, e := range c.offerE[o.ID] {
			if e.Kind == landscape.RefersTo && inB[e.Other(o.ID)] && e.ValidAt(&c.asOf) {
				return true
			}
		}
	}
	pa, pb := map[string]bool{}, map[string]bool{}
	for _, o := range a {
		for _, p := range c.providers(o) {
			pa[p.ID] = true
		}
	}
	committees := map[string]bool{}
	for _, o := range b {
		for _, p := range c.providers(o) {
			pb[p.ID] = true
			for _, e := range c.currentEdges(p.ID, landscape.MemberOf, true) {
				committees[e.To] = true
			}
		}
	}
	for p := range pa {
		if pb[p] {
			return true
		}
		for _, e := range c.orgE[p] {
			switch e.Kind {
			case landscape.CooperatesWith, landscape.RefersTo:
				if pb[e.Other(p)] {
					return true
				}
			case landscape.MemberOf:
				if e.From == p && committees[e.To] {
					return true
				}
			}
		}
	}
	return false
}
