package analysis_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/analysis"
	"github.com/bildungsgraph/bildungsgraph/internal/embedded"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Size of the generated landscape: 10 districts of 20 Gemeinden; per
// Gemeinde 30 institutions, 5 actors, 2 committees and 200 offers; per
// district a Kreisverwaltung with 20 units, 3 committees and 300
// district-wide offers. About 51,000 nodes and 190,000 edges.
const (
	genDistricts     = 10
	genGemeinden     = 20
	genInstitutions  = 30
	genActors        = 5
	genCommittees    = 2
	genOffers        = 200
	genUnits         = 20
	genDistrictComms = 3
	genDistrictOffer = 300
	genPhases        = 10
	genGroups        = 8
)

// generateLandscape builds the benchmark landscape deterministically
// (fixed seed).
func generateLandscape() ([]*landscape.Node, []*landscape.Edge) {
	r := rand.New(rand.NewPCG(7, 11))
	var nodes []*landscape.Node
	var edges []*landscape.Edge
	node := func(id string, kind landscape.NodeKind, name string) *landscape.Node {
		n := &landscape.Node{ID: id, Kind: kind, Name: name, Source: "generiert"}
		nodes = append(nodes, n)
		return n
	}
	edge := func(from string, kind landscape.EdgeKind, to string) *landscape.Edge {
		e := &landscape.Edge{From: from, Kind: kind, To: to, Source: "generiert"}
		edges = append(edges, e)
		return e
	}
	node("land", landscape.Region, "Land")
	var links []string
	for p := range genPhases {
		n := node(fmt.Sprintf("ph-%02d", p), landscape.LifePhase, fmt.Sprintf("Phase %d", p))
		n.Order = new(int)
		*n.Order = 10 * (p + 1)
		links = append(links, n.ID)
		if p > 0 {
			t := fmt.Sprintf("ue-%02d", p)
			node(t, landscape.Transition, fmt.Sprintf("Übergang %d → %d", p-1, p))
			edge(t, landscape.FromPhase, fmt.Sprintf("ph-%02d", p-1))
			edge(t, landscape.ToPhase, fmt.Sprintf("ph-%02d", p))
			links = append(links, t)
		}
	}
	for g := range genGroups {
		node(fmt.Sprintf("tg-%02d", g), landscape.TargetGroup, fmt.Sprintf("Zielgruppe %d", g))
	}
	offer := func(id, region string, providers []string) {
		n := node(id, landscape.Offer, "Angebot "+id)
		if r.IntN(20) == 0 {
			n.ValidTo = landscape.MustDate("2020-12-31")
		}
		edge(id, landscape.Supports, links[r.IntN(len(links))])
		if r.IntN(10) > 0 {
			edge(id, landscape.Targets, fmt.Sprintf("tg-%02d", r.IntN(genGroups)))
		}
		edge(id, landscape.Serves, region)
		edge(providers[r.IntN(len(providers))], landscape.Provides, id)
		if r.IntN(10) == 0 {
			edge(id, landscape.RefersTo, fmt.Sprintf("%s-%d", id[:len(id)-4], r.IntN(100)+1000))
		}
	}
	for d := range genDistricts {
		kreis := fmt.Sprintf("kreis-%02d", d)
		node(kreis, landscape.Region, fmt.Sprintf("Kreis %02d", d))
		edge(kreis, landscape.PartOf, "land")
		kv := kreis + ".verwaltung"
		node(kv, landscape.Institution, "Kreisverwaltung "+kreis)
		edge(kv, landscape.Serves, kreis)
		var units, dcomms []string
		for c := range genDistrictComms {
			id := fmt.Sprintf("%s.gremium-%d", kreis, c)
			node(id, landscape.Committee, "Kreisgremium "+id)
			edge(id, landscape.Serves, kreis)
			dcomms = append(dcomms, id)
		}
		for u := range genUnits {
			id := fmt.Sprintf("%s.fd-%02d", kreis, u)
			node(id, landscape.Actor, "Fachdienst "+id)
			edge(id, landscape.PartOf, kv)
			if u%4 == 0 {
				edge(id, landscape.Coordinates, dcomms[u%len(dcomms)])
			} else {
				e := edge(id, landscape.MemberOf, dcomms[r.IntN(len(dcomms))])
				e.Role = "MEMBER"
			}
			units = append(units, id)
		}
		for g := range genGemeinden {
			gem := fmt.Sprintf("gem-%02d-%02d", d, g)
			node(gem, landscape.Region, fmt.Sprintf("Gemeinde %02d-%02d", d, g))
			edge(gem, landscape.PartOf, kreis)
			var insts, comms []string
			for c := range genCommittees {
				id := fmt.Sprintf("%s.ak-%d", gem, c)
				node(id, landscape.Committee, "Arbeitskreis "+id)
				edge(id, landscape.Serves, gem)
				comms = append(comms, id)
				e := edge(id, landscape.MemberOf, dcomms[r.IntN(len(dcomms))])
				e.Role = "MEMBER"
			}
			for i := range genInstitutions {
				id := fmt.Sprintf("%s.inst-%02d", gem, i)
				node(id, landscape.Institution, "Einrichtung "+id)
				edge(id, landscape.LocatedIn, gem)
				if r.IntN(3) > 0 {
					e := edge(id, landscape.MemberOf, comms[r.IntN(len(comms))])
					e.Role = []string{"MEMBER", "MEMBER", "MEMBER", "CHAIR", "OFFICE"}[r.IntN(5)]
				}
				if i > 0 && r.IntN(2) == 0 {
					edge(id, landscape.CooperatesWith, fmt.Sprintf("%s.inst-%02d", gem, r.IntN(i)))
				}
				insts = append(insts, id)
			}
			for a := range genActors {
				id := fmt.Sprintf("%s.akteur-%d", gem, a)
				node(id, landscape.Actor, "Akteur "+id)
				edge(id, landscape.Serves, gem)
				edge(id, landscape.Coordinates, comms[a%len(comms)])
				edge(units[r.IntN(len(units))], landscape.ResponsibleFor, id)
			}
			for o := range genOffers {
				offer(fmt.Sprintf("%s.o-%d", gem, o+1000), gem, insts)
			}
		}
		for o := range genDistrictOffer {
			offer(fmt.Sprintf("%s.o-%d", kreis, o+1000), kreis, append([]string{kv}, units...))
		}
	}
	// Referrals to offers that do not exist are dropped.
	ids := map[string]bool{}
	for _, n := range nodes {
		ids[n.ID] = true
	}
	kept := edges[:0]
	for _, e := range edges {
		if ids[e.From] && ids[e.To] {
			kept = append(kept, e)
		}
	}
	return nodes, kept
}

// generatedStore loads the generated landscape into an embedded store.
func generatedStore(b *testing.B) landscape.Store {
	b.Helper()
	s, err := embedded.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	nodes, edges := generateLandscape()
	ctx := context.Background()
	start := time.Now()
	const chunk = 20000
	for i := 0; i < len(nodes); i += chunk {
		cs := &landscape.Changeset{}
		for _, n := range nodes[i:min(i+chunk, len(nodes))] {
			cs.Nodes = append(cs.Nodes, landscape.NodeChange{Op: landscape.OpCreate, Node: n})
		}
		if _, err := s.Apply(ctx, cs); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < len(edges); i += chunk {
		cs := &landscape.Changeset{}
		for _, e := range edges[i:min(i+chunk, len(edges))] {
			cs.Edges = append(cs.Edges, landscape.EdgeChange{Op: landscape.OpCreate, Edge: e})
		}
		if _, err := s.Apply(ctx, cs); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("generated landscape: %d nodes, %d edges, loaded in %s", len(nodes), len(edges), time.Since(start).Round(time.Millisecond))
	return s
}

// BenchmarkLandscape runs the analyses on the generated landscape of about
// 51,000 nodes (go test -bench Landscape -run ^$ ./internal/analysis/).
func BenchmarkLandscape(b *testing.B) {
	s := generatedStore(b)
	ctx := context.Background()
	asOf := landscape.MustDate("2025-01-01")
	district := analysis.Scope{Region: "kreis-03", AsOf: asOf, EdgeKinds: analysis.CoordinationEdgeKinds, NodeKinds: analysis.OrganisationKinds}
	everything := analysis.Scope{AsOf: asOf, EdgeKinds: analysis.CoordinationEdgeKinds, NodeKinds: analysis.OrganisationKinds}
	logged := map[string]bool{}
	logOnce := func(b *testing.B, format string, args ...any) {
		if !logged[b.Name()] {
			logged[b.Name()] = true
			b.Logf(format, args...)
		}
	}

	b.Run("Coverage/district-19-links-20-columns", func(b *testing.B) {
		for b.Loop() {
			m, err := analysis.Coverage(ctx, s, analysis.CoverageQuery{FromPhase: "ph-00", TargetGroup: "tg-03", Region: "kreis-03", AsOf: asOf})
			if err != nil {
				b.Fatal(err)
			}
			logOnce(b, "%d links × %d regions, %d gaps", len(m.Links), len(m.Regions), len(m.Gaps))
		}
	})
	b.Run("Load/district-all-kinds", func(b *testing.B) {
		for b.Loop() {
			g, err := analysis.Load(ctx, s, analysis.Scope{Region: "kreis-03", AsOf: asOf})
			if err != nil {
				b.Fatal(err)
			}
			logOnce(b, "%d nodes, %d edges", len(g.Nodes), len(g.Edges))
		}
	})
	b.Run("Centrality/district-organisations-exact", func(b *testing.B) {
		for b.Loop() {
			c, err := analysis.Centrality(ctx, s, district)
			if err != nil {
				b.Fatal(err)
			}
			logOnce(b, "%d nodes, %d edges", len(c.Nodes), len(c.Graph.Edges))
		}
	})
	b.Run("Centrality/district-organisations-64-pivots", func(b *testing.B) {
		for b.Loop() {
			if _, err := analysis.ApproximateCentrality(ctx, s, district, 64); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Centrality/all-organisations-64-pivots", func(b *testing.B) {
		for b.Loop() {
			c, err := analysis.ApproximateCentrality(ctx, s, everything, 64)
			if err != nil {
				b.Fatal(err)
			}
			logOnce(b, "%d nodes, %d edges", len(c.Nodes), len(c.Graph.Edges))
		}
	})
	b.Run("Centrality/whole-landscape-16-pivots", func(b *testing.B) {
		for b.Loop() {
			c, err := analysis.ApproximateCentrality(ctx, s, analysis.Scope{AsOf: asOf}, 16)
			if err != nil {
				b.Fatal(err)
			}
			logOnce(b, "%d nodes, %d edges", len(c.Nodes), len(c.Graph.Edges))
		}
	})
	b.Run("Communities/district-organisations", func(b *testing.B) {
		for b.Loop() {
			p, err := analysis.Communities(ctx, s, district)
			if err != nil {
				b.Fatal(err)
			}
			logOnce(b, "%d communities, Q = %.3f", len(p.Communities), p.Modularity)
		}
	})
	b.Run("ShortestPaths/across-a-district", func(b *testing.B) {
		for b.Loop() {
			p, err := analysis.ShortestPaths(ctx, s, "gem-03-02.inst-05", "gem-03-17.ak-0", analysis.PathQuery{AsOf: asOf})
			if err != nil {
				b.Fatal(err)
			}
			logOnce(b, "length %d, %d shortest paths", p.Length, p.Total)
		}
	})
}

// BenchmarkExactCentrality compares the former exact centrality (gonum's
// map-based network.Betweenness and a traverse.BreadthFirst per node) with
// the Brandes pass over slices on a random sparse graph of 2,000 nodes and
// about 4,000 edges (go test -bench ExactCentrality -run ^$
// ./internal/analysis/).
func BenchmarkExactCentrality(b *testing.B) {
	g := analysis.RandomGraph(2000, 2)
	ctx := context.Background()
	for _, x := range []struct {
		name string
		f    func(context.Context, *analysis.Graph) (*analysis.Centralities, error)
	}{{"gonum", analysis.GonumCentralityOf}, {"brandes", analysis.ExactCentralityOf}} {
		b.Run(fmt.Sprintf("%s/n=%d/m=%d", x.name, len(g.Nodes), len(g.Edges)), func(b *testing.B) {
			for b.Loop() {
				if _, err := x.f(ctx, g); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkExactCentralityScaling measures the Brandes pass on random
// sparse graphs (about 2 edges per node) around MaxExactNodes, ignoring
// the limit (go test -bench ExactCentralityScaling -benchtime 1x -run ^$
// ./internal/analysis/).
func BenchmarkExactCentralityScaling(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{2000, 5000, 10000, 20000} {
		g := analysis.RandomGraph(n, 2)
		b.Run(fmt.Sprintf("n=%d/m=%d", n, len(g.Edges)), func(b *testing.B) {
			for b.Loop() {
				if _, err := analysis.ExactCentralityOf(ctx, g); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
