package exchange

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// countingStore counts the round trips to a store.
type countingStore struct {
	landscape.Store
	mu    sync.Mutex
	calls map[string]int
}

func counting(s landscape.Store) *countingStore {
	return &countingStore{Store: s, calls: map[string]int{}}
}

func (c *countingStore) count(m string) {
	c.mu.Lock()
	c.calls[m]++
	c.mu.Unlock()
}

func (c *countingStore) total() int {
	n := 0
	for _, v := range c.calls {
		n += v
	}
	return n
}

func (c *countingStore) Nodes(ctx context.Context, ids []string, asOf *landscape.Date) (map[string]*landscape.Node, error) {
	c.count("Nodes")
	return c.Store.Nodes(ctx, ids, asOf)
}

func (c *countingStore) QueryNodes(ctx context.Context, q landscape.NodeQuery) (*landscape.NodePage, error) {
	c.count("QueryNodes")
	return c.Store.QueryNodes(ctx, q)
}

func (c *countingStore) Edges(ctx context.Context, ids []string, asOf *landscape.Date) (map[string]*landscape.Edge, error) {
	c.count("Edges")
	return c.Store.Edges(ctx, ids, asOf)
}

func (c *countingStore) Adjacent(ctx context.Context, q landscape.AdjacencyQuery) (map[string][]*landscape.Edge, error) {
	c.count("Adjacent")
	return c.Store.Adjacent(ctx, q)
}

func (c *countingStore) Neighbours(ctx context.Context, q landscape.AdjacencyQuery) (*landscape.Adjacency, error) {
	c.count("Neighbours")
	return c.Store.Neighbours(ctx, q)
}

func (c *countingStore) Expand(ctx context.Context, q landscape.ExpandQuery) (*landscape.Expansion, error) {
	c.count("Expand")
	return c.Store.Expand(ctx, q)
}

func (c *countingStore) QueryEdges(ctx context.Context, q landscape.EdgeQuery) (*landscape.EdgePage, error) {
	c.count("QueryEdges")
	return c.Store.QueryEdges(ctx, q)
}

func ids(g *landscape.Subgraph) (nodes, edges string) {
	var n, e []string
	for _, x := range g.Nodes {
		n = append(n, x.ID)
	}
	for _, x := range g.Edges {
		e = append(e, x.ID)
	}
	slices.Sort(n)
	slices.Sort(e)
	return strings.Join(n, " "), strings.Join(e, " ")
}

func TestSelect(t *testing.T) {
	ctx, s := seededStore(t)
	for _, tc := range []struct {
		name         string
		sel          Selection
		nodes, edges string
		truncated    bool
		maxTrips     int
	}{
		{name: "region with subregions", sel: Selection{Region: "lk-osnabrueck"},
			nodes: "bb-georgsmarienhuette gmh gmh.oesede lk-osnabrueck melle sprachfoerderung vhs-osnabruecker-land",
			edges: "bb-georgsmarienhuette>LOCATED_IN>gmh bb-georgsmarienhuette>SERVES>gmh gmh.oesede>PART_OF>gmh gmh>PART_OF>lk-osnabrueck " +
				"koop:vhs~bb-gmh melle>PART_OF>lk-osnabrueck sprachfoerderung>SERVES>gmh.oesede vhs-osnabruecker-land>LOCATED_IN>lk-osnabrueck " +
				"vhs-osnabruecker-land>PROVIDES>sprachfoerderung vhs-osnabruecker-land>REFERS_TO>bb-georgsmarienhuette",
			maxTrips: 1 + 2*3 + 1},
		{name: "region and kinds", sel: Selection{Region: "gmh", Kinds: []landscape.NodeKind{landscape.Institution, landscape.Offer}},
			nodes: "bb-georgsmarienhuette sprachfoerderung", edges: "", maxTrips: 8},
		{name: "region as of a date", sel: Selection{Region: "gmh", AsOf: landscape.MustDate("2010-01-01")},
			nodes: "bb-georgsmarienhuette gmh gmh.oesede",
			edges: "bb-georgsmarienhuette>LOCATED_IN>gmh bb-georgsmarienhuette>SERVES>gmh gmh.oesede>PART_OF>gmh", maxTrips: 8},
		{name: "topic", sel: Selection{Topic: "af-sprache"},
			nodes: "af-sprache lk-os.bildungskoordination vhs-osnabruecker-land",
			edges: "lk-os.bildungskoordination>WORKS_ON>af-sprache vhs-osnabruecker-land>WORKS_ON>af-sprache", maxTrips: 4},
		{name: "topic as of 2024", sel: Selection{Topic: "af-sprache", AsOf: landscape.MustDate("2024-01-01")},
			nodes: "af-sprache vhs-osnabruecker-land", edges: "vhs-osnabruecker-land>WORKS_ON>af-sprache", maxTrips: 4},
		{name: "around", sel: Selection{Around: "kg-bildung", Depth: 1},
			nodes: "kg-bildung koko-bildung lk-os.bildungskoordination lk-os.fachdienst-bildung",
			edges: "kg-bildung>COORDINATES>koko-bildung lk-os.bildungskoordination>MEMBER_OF>kg-bildung " +
				"lk-os.bildungskoordination>PART_OF>lk-os.fachdienst-bildung lk-os.fachdienst-bildung>COORDINATES>kg-bildung " +
				"lk-os.fachdienst-bildung>MEMBER_OF>kg-bildung", maxTrips: 6},
		{name: "around and region", sel: Selection{Around: "bb-georgsmarienhuette", Depth: 1, Region: "lk-osnabrueck",
			EdgeKinds: []landscape.EdgeKind{landscape.LocatedIn, landscape.Serves, landscape.CooperatesWith}},
			nodes: "bb-georgsmarienhuette gmh vhs-osnabruecker-land",
			edges: "bb-georgsmarienhuette>LOCATED_IN>gmh bb-georgsmarienhuette>SERVES>gmh koop:vhs~bb-gmh", maxTrips: 14},
		{name: "kinds", sel: Selection{Kinds: []landscape.NodeKind{landscape.Region}},
			nodes: "gmh gmh.oesede lk-osnabrueck melle ni",
			edges: "gmh.oesede>PART_OF>gmh gmh>PART_OF>lk-osnabrueck lk-osnabrueck>PART_OF>ni melle>PART_OF>lk-osnabrueck", maxTrips: 2},
		{name: "edge kinds", sel: Selection{Kinds: []landscape.NodeKind{landscape.LifePhase, landscape.Transition, landscape.Offer},
			EdgeKinds: []landscape.EdgeKind{landscape.FromPhase}},
			nodes: "lp-fruehe-bildung lp-schule sprachfoerderung ue-kita-schule", edges: "ue-kita-schule>FROM_PHASE>lp-fruehe-bildung", maxTrips: 2},
		{name: "max nodes", sel: Selection{Kinds: []landscape.NodeKind{landscape.Region}, MaxNodes: 2},
			nodes: "gmh gmh.oesede", edges: "gmh.oesede>PART_OF>gmh", truncated: true, maxTrips: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := counting(s)
			g, err := Select(ctx, c, tc.sel)
			if err != nil {
				t.Fatal(err)
			}
			nodes, edges := ids(g)
			if nodes != tc.nodes || edges != tc.edges || g.Truncated != tc.truncated {
				t.Errorf("selected\n  nodes %s\n  edges %s\n  truncated %v\nwant\n  nodes %s\n  edges %s\n  truncated %v",
					nodes, edges, g.Truncated, tc.nodes, tc.edges, tc.truncated)
			}
			if c.total() > tc.maxTrips {
				t.Errorf("%d round trips %v, want at most %d", c.total(), c.calls, tc.maxTrips)
			}
		})
	}
}

func TestSelectErrors(t *testing.T) {
	ctx, s := seededStore(t)
	for _, tc := range []struct {
		sel   Selection
		code  landscape.Code
		field string
		msg   string
	}{
		{Selection{Region: "nirgendwo"}, landscape.ENotFound, "region", `no node with id "nirgendwo"`},
		{Selection{Region: "af-sprache"}, landscape.EInvalid, "region", `"af-sprache" is a Topic, not a Region`},
		{Selection{Topic: "gmh"}, landscape.EInvalid, "topic", `"gmh" is a Region, not a Topic`},
		{Selection{Topic: "af-nichts"}, landscape.ENotFound, "topic", `no node with id "af-nichts"`},
		{Selection{Around: "stiftung-bildung", Depth: 1, AsOf: landscape.MustDate("2020-01-01")}, landscape.ENotFound, "around",
			`node "stiftung-bildung" is not valid on 2020-01-01`},
		{Selection{Around: "kein gültiger name"}, landscape.EInvalid, "around", `"kein gültiger name" is not a valid id`},
		{Selection{Around: "gmh", Depth: 5}, landscape.EInvalid, "depth", "must be between 0 and 4, not 5"},
		{Selection{Depth: 2}, landscape.EInvalid, "depth", "needs around"},
		{Selection{Kinds: []landscape.NodeKind{"School"}}, landscape.EInvalid, "kinds[0]", `unknown node kind "School"`},
		{Selection{EdgeKinds: []landscape.EdgeKind{"KNOWS"}}, landscape.EInvalid, "edgeKinds[0]", `unknown edge kind "KNOWS"`},
		{Selection{MaxNodes: landscape.MaxSubgraphNodes + 1}, landscape.EInvalid, "maxNodes", "must be between 1 and 20000"},
	} {
		_, err := Select(ctx, s, tc.sel)
		e := landscape.AsError(err)
		if e == nil || e.Code != tc.code || e.Field != tc.field || !strings.Contains(e.Message, tc.msg) {
			t.Errorf("Select(%+v) = %v, want %s on %s: %s", tc.sel, err, tc.code, tc.field, tc.msg)
		}
	}
}

// TestSelectPages: a large landscape is read in pages of MaxPageSize, a
// bounded number of round trips.
func TestSelectPages(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	cs := &landscape.Changeset{}
	const n = 2500
	for i := range n {
		cs.Nodes = append(cs.Nodes, landscape.NodeChange{Op: landscape.OpUpsert, Node: &landscape.Node{
			ID: fmt.Sprintf("kita-%04d", i), Kind: landscape.Institution, Name: fmt.Sprintf("Kita Nr. %d", i), Category: "KITA", Source: srcBeispiel}})
	}
	cs.Nodes = append(cs.Nodes, landscape.NodeChange{Op: landscape.OpUpsert, Node: &landscape.Node{ID: "gmh", Kind: landscape.Region, Name: "Georgsmarienhütte", Source: srcStatistik}})
	for i := range n {
		cs.Edges = append(cs.Edges, landscape.EdgeChange{Op: landscape.OpUpsert, Edge: &landscape.Edge{
			From: fmt.Sprintf("kita-%04d", i), Kind: landscape.LocatedIn, To: "gmh", Source: srcBeispiel}})
	}
	if _, err := s.Apply(ctx, cs); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sel              Selection
		nodes, maxTrips  int
		truncated        bool
		queryNodesCalled int
	}{
		{Selection{}, n + 1, 5, false, 3},
		{Selection{MaxNodes: 1200}, 1200, 4, true, 2},
		{Selection{Region: "gmh"}, n + 1, 6, false, 0},
	} {
		c := counting(s)
		g, err := Select(ctx, c, tc.sel)
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Nodes) != tc.nodes || g.Truncated != tc.truncated || c.calls["QueryNodes"] != tc.queryNodesCalled || c.total() > tc.maxTrips {
			t.Errorf("Select(%+v): %d nodes, truncated %v, round trips %v; want %d nodes, truncated %v, %d QueryNodes, at most %d in all",
				tc.sel, len(g.Nodes), g.Truncated, c.calls, tc.nodes, tc.truncated, tc.queryNodesCalled, tc.maxTrips)
		}
		if tc.sel.MaxNodes == 0 && len(g.Edges) != n {
			t.Errorf("Select(%+v): %d edges, want %d", tc.sel, len(g.Edges), n)
		}
	}
}

// checkBrief checks that the brief selection b is g with only what
// Node.Brief and Edge.Brief keep.
func checkBrief(t *testing.T, b, g *landscape.Subgraph) {
	t.Helper()
	if len(b.Nodes) != len(g.Nodes) || len(b.Edges) != len(g.Edges) || b.Truncated != g.Truncated {
		t.Fatalf("brief: %d nodes, %d edges, truncated %v; want %d, %d, %v", len(b.Nodes), len(b.Edges), b.Truncated, len(g.Nodes), len(g.Edges), g.Truncated)
	}
	for i, n := range g.Nodes {
		if !reflect.DeepEqual(b.Nodes[i], n.Brief()) {
			t.Errorf("brief node %d: %+v, want %+v", i, b.Nodes[i], n.Brief())
		}
	}
	for i, e := range g.Edges {
		if !reflect.DeepEqual(b.Edges[i], e.Brief()) {
			t.Errorf("brief edge %d: %+v, want %+v", i, b.Edges[i], e.Brief())
		}
	}
}

// TestSelectAroundAndFilter: the neighbourhood of several roots (GraphQL's
// neighbourhood(ids)) and a node filter (GraphQL's subgraph(filter)) narrow
// the selection like Around and Kinds.
func TestSelectAroundAndFilter(t *testing.T) {
	ctx, s := seededStore(t)
	name := func(op landscape.Operator, v string) *landscape.Filter {
		return &landscape.Filter{Field: landscape.FieldName, Operator: op, Values: []string{v}}
	}
	for _, tc := range []struct {
		name         string
		roots        []string
		sel          Selection
		nodes, edges string
		maxTrips     int
	}{
		// The union of both ego networks, cut to the Landkreis: kg-bildung
		// and its neighbours lie outside, root or not.
		{name: "two roots and a region", roots: []string{"kg-bildung", "bb-georgsmarienhuette"}, sel: Selection{Depth: 1, Region: "lk-osnabrueck"},
			nodes:    "bb-georgsmarienhuette gmh vhs-osnabruecker-land",
			edges:    "bb-georgsmarienhuette>LOCATED_IN>gmh bb-georgsmarienhuette>SERVES>gmh koop:vhs~bb-gmh vhs-osnabruecker-land>REFERS_TO>bb-georgsmarienhuette",
			maxTrips: 1 + 4 + 2*3 + 1},
		{name: "one root is Around", roots: []string{"kg-bildung"}, sel: Selection{Depth: 1},
			nodes: "kg-bildung koko-bildung lk-os.bildungskoordination lk-os.fachdienst-bildung",
			edges: "kg-bildung>COORDINATES>koko-bildung lk-os.bildungskoordination>MEMBER_OF>kg-bildung " +
				"lk-os.bildungskoordination>PART_OF>lk-os.fachdienst-bildung lk-os.fachdienst-bildung>COORDINATES>kg-bildung " +
				"lk-os.fachdienst-bildung>MEMBER_OF>kg-bildung", maxTrips: 6},
		// The filter keeps the root, which does not match it.
		{name: "root and filter", roots: []string{"vhs-osnabruecker-land"}, sel: Selection{Depth: 1, Filter: name(landscape.Contains, "bildung")},
			nodes: "af-sprache bb-georgsmarienhuette vhs-osnabruecker-land",
			edges: "koop:vhs~bb-gmh vhs-osnabruecker-land>REFERS_TO>bb-georgsmarienhuette vhs-osnabruecker-land>WORKS_ON>af-sprache", maxTrips: 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := counting(s)
			g, err := SelectAround(ctx, c, tc.roots, tc.sel)
			if err != nil {
				t.Fatal(err)
			}
			nodes, edges := ids(g)
			if nodes != tc.nodes || edges != tc.edges {
				t.Errorf("selected\n  nodes %s\n  edges %s\nwant\n  nodes %s\n  edges %s", nodes, edges, tc.nodes, tc.edges)
			}
			if c.total() > tc.maxTrips {
				t.Errorf("%d round trips %v, want at most %d", c.total(), c.calls, tc.maxTrips)
			}
			brief := tc.sel
			brief.Brief = true
			b, err := SelectAround(ctx, s, tc.roots, brief)
			if err != nil {
				t.Fatal(err)
			}
			checkBrief(t, b, g)
		})
	}
	for _, tc := range []struct {
		name         string
		sel          Selection
		nodes, edges string
		maxTrips     int
	}{
		{name: "filter", sel: Selection{Filter: name(landscape.StartsWith, "sprach")},
			nodes: "af-sprache sprachfoerderung", maxTrips: 2},
		{name: "filter and region", sel: Selection{Region: "lk-osnabrueck", Filter: name(landscape.Contains, "georgsmarienhütte")},
			nodes: "bb-georgsmarienhuette gmh", edges: "bb-georgsmarienhuette>LOCATED_IN>gmh bb-georgsmarienhuette>SERVES>gmh", maxTrips: 1 + 2*3 + 1 + 1},
		{name: "filter, kinds and topic", sel: Selection{Topic: "af-sprache", Kinds: []landscape.NodeKind{landscape.Actor, landscape.Institution},
			Filter: &landscape.Filter{Not: name(landscape.StartsWith, "vhs")}},
			nodes: "lk-os.bildungskoordination", maxTrips: 1 + 2 + 1 + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := counting(s)
			g, err := Select(ctx, c, tc.sel)
			if err != nil {
				t.Fatal(err)
			}
			nodes, edges := ids(g)
			if nodes != tc.nodes || edges != tc.edges {
				t.Errorf("selected\n  nodes %s\n  edges %s\nwant\n  nodes %s\n  edges %s", nodes, edges, tc.nodes, tc.edges)
			}
			if c.total() > tc.maxTrips {
				t.Errorf("%d round trips %v, want at most %d", c.total(), c.calls, tc.maxTrips)
			}
			brief := tc.sel
			brief.Brief = true
			b, err := Select(ctx, s, brief)
			if err != nil {
				t.Fatal(err)
			}
			checkBrief(t, b, g)
		})
	}

	for _, tc := range []struct {
		roots []string
		sel   Selection
		code  landscape.Code
		field string
		msg   string
	}{
		{nil, Selection{}, landscape.EInvalid, "ids", "name at least one node"},
		{[]string{"gmh", "nirgendwo"}, Selection{Depth: 1}, landscape.ENotFound, "ids[1]", `no node with id "nirgendwo"`},
		{[]string{"kein gültiger name"}, Selection{}, landscape.EInvalid, "ids[0]", "is not a valid id"},
		{[]string{"gmh"}, Selection{Region: "nirgendwo"}, landscape.ENotFound, "region", `no node with id "nirgendwo"`},
		{[]string{"gmh"}, Selection{Topic: "gmh"}, landscape.EInvalid, "topic", `"gmh" is a Region, not a Topic`},
		{[]string{"gmh"}, Selection{Around: "melle"}, landscape.EInvalid, "around", "not together with ids"},
		{[]string{"gmh"}, Selection{Filter: &landscape.Filter{Field: "colour", Operator: landscape.Eq, Values: []string{"rot"}}},
			landscape.EInvalid, "filter", `unknown field "colour"`},
	} {
		_, err := SelectAround(ctx, s, tc.roots, tc.sel)
		e := landscape.AsError(err)
		if e == nil || e.Code != tc.code || e.Field != tc.field || !strings.Contains(e.Message, tc.msg) {
			t.Errorf("SelectAround(%q, %+v) = %v, want %s on %s: %s", tc.roots, tc.sel, err, tc.code, tc.field, tc.msg)
		}
	}
}
