package embedded_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/embedded"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

var ctx = context.Background()

func openStore(t testing.TB, path string, opts ...embedded.Option) *embedded.Store {
	t.Helper()
	s, err := embedded.Open(path, opts...)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func tempDB(t testing.TB) string { return filepath.Join(t.TempDir(), "test.db") }

func apply(t testing.TB, s landscape.Store, cs *landscape.Changeset) *landscape.Result {
	t.Helper()
	res, err := s.Apply(ctx, cs)
	if err != nil {
		t.Fatalf("Apply: %v (problems: %v)", err, landscape.Problems(err))
	}
	return res
}

func node(kind landscape.NodeKind, id, name string) *landscape.Node {
	return &landscape.Node{ID: id, Kind: kind, Name: name, Source: "test"}
}

func edge(from string, kind landscape.EdgeKind, to string) *landscape.Edge {
	return &landscape.Edge{Kind: kind, From: from, To: to, Source: "test"}
}

func create(nodes []*landscape.Node, edges []*landscape.Edge) *landscape.Changeset {
	cs := &landscape.Changeset{}
	for _, n := range nodes {
		cs.Nodes = append(cs.Nodes, landscape.NodeChange{Op: landscape.OpCreate, Node: n})
	}
	for _, e := range edges {
		cs.Edges = append(cs.Edges, landscape.EdgeChange{Op: landscape.OpCreate, Edge: e})
	}
	return cs
}

// dump reads every node (sorted by id) and every edge through the public
// API, paging.
func dump(t testing.TB, s landscape.Store) ([]*landscape.Node, []*landscape.Edge) {
	t.Helper()
	var nodes []*landscape.Node
	page := landscape.MaxPageSize
	q := landscape.NodeQuery{Order: []landscape.Order{{Field: landscape.OrderID}}, Page: landscape.PageArgs{First: &page}}
	for {
		p, err := s.QueryNodes(ctx, q)
		if err != nil {
			t.Fatalf("QueryNodes: %v", err)
		}
		nodes = append(nodes, p.Nodes...)
		if !p.HasNextPage {
			break
		}
		q.Page.After = landscape.CursorOf(p.Nodes[len(p.Nodes)-1], q.Order)
	}
	var edges []*landscape.Edge
	eq := landscape.EdgeQuery{Page: landscape.PageArgs{First: &page}}
	for {
		p, err := s.QueryEdges(ctx, eq)
		if err != nil {
			t.Fatalf("QueryEdges: %v", err)
		}
		edges = append(edges, p.Edges...)
		if !p.HasNextPage {
			break
		}
		eq.Page.After = landscape.EdgeCursor(p.Edges[len(p.Edges)-1])
	}
	return nodes, edges
}

// generated is a synthetic landscape that respects the edge rules.
type generated struct {
	nodes []*landscape.Node
	edges []*landscape.Edge
}

// generate makes about nNodes nodes and nEdges edges, deterministically.
func generate(nNodes, nEdges int) *generated {
	r := rand.New(rand.NewPCG(1, 2))
	g := &generated{}
	byKind := map[landscape.NodeKind][]string{}
	shares := []struct {
		kind  landscape.NodeKind
		share int // per mille
		cat   string
	}{
		{landscape.Institution, 250, "VEREIN"},
		{landscape.Actor, 200, "ROLE"},
		{landscape.Offer, 350, "COURSE"},
		{landscape.Committee, 50, "NETWORK"},
		{landscape.Region, 50, "GEMEINDE"},
		{landscape.TargetGroup, 50, ""},
		{landscape.Topic, 50, "THEME"},
	}
	words := []string{"Bildung", "Schule", "Kita", "Beratung", "Jugend", "Sprache", "Arbeit", "Integration", "Familie", "Kultur"}
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, sh := range shares {
		for i := range nNodes * sh.share / 1000 {
			id := fmt.Sprintf("%s-%06d", sh.kind, i)
			n := node(sh.kind, id, fmt.Sprintf("%s %s %d", words[r.IntN(len(words))], words[r.IntN(len(words))], i))
			n.Category = sh.cat
			n.CreatedAt = base.Add(time.Duration(r.IntN(1e6)) * time.Second)
			n.UpdatedAt = n.CreatedAt
			if i%7 == 0 {
				n.ValidFrom = landscape.MustDate("2021-01-01")
			}
			if i%11 == 0 {
				n.ValidTo = landscape.MustDate("2023-12-31")
			}
			g.nodes = append(g.nodes, n)
			byKind[sh.kind] = append(byKind[sh.kind], id)
		}
	}
	rules := []struct {
		from landscape.NodeKind
		kind landscape.EdgeKind
		to   landscape.NodeKind
	}{
		{landscape.Institution, landscape.Provides, landscape.Offer},
		{landscape.Offer, landscape.Targets, landscape.TargetGroup},
		{landscape.Actor, landscape.MemberOf, landscape.Committee},
		{landscape.Institution, landscape.LocatedIn, landscape.Region},
		{landscape.Offer, landscape.Serves, landscape.Region},
		{landscape.Institution, landscape.CooperatesWith, landscape.Institution},
		{landscape.Actor, landscape.WorksOn, landscape.Topic},
		{landscape.Offer, landscape.RefersTo, landscape.Offer},
	}
	seen := map[string]bool{}
	for len(g.edges) < nEdges {
		ru := rules[r.IntN(len(rules))]
		from := byKind[ru.from][r.IntN(len(byKind[ru.from]))]
		to := byKind[ru.to][r.IntN(len(byKind[ru.to]))]
		id := landscape.DefaultEdgeID(from, ru.kind, to)
		if from == to || seen[id] {
			continue
		}
		seen[id] = true
		e := edge(from, ru.kind, to)
		e.CreatedAt, e.UpdatedAt = base, base
		if len(g.edges)%13 == 0 {
			e.ValidTo = landscape.MustDate("2022-06-30")
		}
		g.edges = append(g.edges, e)
	}
	return g
}

func (g *generated) changeset() *landscape.Changeset {
	cs := create(g.nodes, g.edges)
	cs.KeepTimestamps = true
	return cs
}
