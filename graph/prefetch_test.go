package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/bildungsgraph/bildungsgraph/data"
	"github.com/bildungsgraph/bildungsgraph/internal/embedded"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// callLog records the store methods a request calls.
type callLog struct {
	landscape.Store
	mu    sync.Mutex
	calls []string
}

func (c *callLog) log(m string) {
	c.mu.Lock()
	c.calls = append(c.calls, m)
	c.mu.Unlock()
}

func (c *callLog) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.calls
	c.calls = nil
	return out
}

func (c *callLog) Nodes(ctx context.Context, ids []string, asOf *landscape.Date) (map[string]*landscape.Node, error) {
	c.log("Nodes")
	return c.Store.Nodes(ctx, ids, asOf)
}

func (c *callLog) QueryNodes(ctx context.Context, q landscape.NodeQuery) (*landscape.NodePage, error) {
	c.log("QueryNodes")
	return c.Store.QueryNodes(ctx, q)
}

func (c *callLog) Adjacent(ctx context.Context, q landscape.AdjacencyQuery) (map[string][]*landscape.Edge, error) {
	c.log("Adjacent")
	return c.Store.Adjacent(ctx, q)
}

func (c *callLog) Neighbours(ctx context.Context, q landscape.AdjacencyQuery) (*landscape.Adjacency, error) {
	c.log("Neighbours")
	return c.Store.Neighbours(ctx, q)
}

func (c *callLog) Expand(ctx context.Context, q landscape.ExpandQuery) (*landscape.Expansion, error) {
	c.log("Expand")
	return c.Store.Expand(ctx, q)
}

func (c *callLog) Edges(ctx context.Context, ids []string, asOf *landscape.Date) (map[string]*landscape.Edge, error) {
	c.log("Edges")
	return c.Store.Edges(ctx, ids, asOf)
}

func (c *callLog) QueryEdges(ctx context.Context, q landscape.EdgeQuery) (*landscape.EdgePage, error) {
	c.log("QueryEdges")
	return c.Store.QueryEdges(ctx, q)
}

// sampleStore is the embedded store with the sample landscape.
func sampleStore(t *testing.T) *callLog {
	t.Helper()
	s, err := embedded.Open(filepath.Join(t.TempDir(), "landscape.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	doc, err := data.Sample()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(context.Background(), doc.Changeset()); err != nil {
		t.Fatal(err)
	}
	return &callLog{Store: s}
}

// run executes query over s with fresh loaders and returns the data.
func run(t *testing.T, s landscape.Store, query string, vars map[string]any) json.RawMessage {
	t.Helper()
	return runWith(t, &Resolver{Store: s}, query, vars)
}

// runWith executes query with the resolver r and fresh loaders.
func runWith(t *testing.T, r *Resolver, query string, vars map[string]any) json.RawMessage {
	t.Helper()
	exec := executor.New(NewExecutableSchema(Config{Resolvers: r}))
	ctx := WithLoaders(graphql.StartOperationTrace(context.Background()), r.Store, 20*time.Millisecond)
	rc, errs := exec.CreateOperationContext(ctx, &graphql.RawParams{Query: query, Variables: vars})
	if errs != nil {
		t.Fatalf("%s: %v", query, errs)
	}
	responses, ctx := exec.DispatchOperation(graphql.WithOperationContext(ctx, rc), rc)
	resp := responses(ctx)
	if len(resp.Errors) > 0 {
		t.Fatalf("%s: %v", query, resp.Errors)
	}
	return resp.Data
}

// nodeTypes are the GraphQL types of the node kinds.
func nodeTypes() map[string]landscape.NodeKind {
	out := map[string]landscape.NodeKind{}
	for _, k := range landscape.NodeKinds {
		out[string(k)] = k
	}
	return out
}

// TestTraversalsCoverTheSchema checks that the look-ahead knows every field
// of a node type that follows relationships: each field whose type is a
// node, a relationship or a membership (or a list of them) has a
// traversal.
func TestTraversalsCoverTheSchema(t *testing.T) {
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	types := nodeTypes()
	follows := func(ty *ast.Type) bool {
		for ty.Elem != nil {
			ty = ty.Elem
		}
		_, isNode := types[ty.NamedType]
		return isNode || ty.NamedType == "Node" || ty.NamedType == "Relationship" || ty.NamedType == "Membership"
	}
	checked := 0
	for name, kind := range types {
		def := schema.Types[name]
		if def == nil {
			t.Fatalf("no GraphQL type %s", name)
		}
		for _, f := range def.Fields {
			if !follows(f.Type) || f.Name == "relationships" {
				continue
			}
			checked++
			if _, ok := traversals[kind][f.Name]; !ok {
				t.Errorf("%s.%s follows relationships but has no traversal", name, f.Name)
			}
		}
		for field := range traversals[kind] {
			if def.Fields.ForName(field) == nil {
				t.Errorf("traversal %s.%s: no such field", name, field)
			}
		}
	}
	if checked < 30 {
		t.Errorf("only %d fields follow relationships: the schema was not read", checked)
	}
}

// TestTraversalsMatchResolvers selects each traversal (and relationships
// with arguments) below nodes by id and below a page of the same nodes, on
// the sample landscape. The look-ahead must foresee the read the resolver
// makes exactly: the request makes one store call (Expand) besides reading
// the page, and its answer is the one the same selection gets without
// look-ahead.
func TestTraversalsMatchResolvers(t *testing.T) {
	s := sampleStore(t)
	ctx := context.Background()
	type probe struct {
		kind      landscape.NodeKind
		selection string
	}
	var probes []probe
	for kind, fields := range traversals {
		for field, tr := range fields {
			sel := field + " { __typename }"
			switch {
			case tr.ends:
				sel = field + " { id name ... on Node { relationships(direction: OUT) { id } } }"
			case field == "members" || field == "memberships":
				sel = field + " { role member { id } committee { id } }"
			}
			probes = append(probes, probe{kind, sel})
		}
		probes = append(probes,
			probe{kind, "relationships { id from { id } to { id } }"},
			probe{kind, `relationships(kinds: [PART_OF, MEMBER_OF], direction: IN) { id kind }`},
			probe{kind, `relationships(asOf: "2024-01-01") { id }`})
	}
	sort.Slice(probes, func(i, j int) bool {
		return probes[i].kind < probes[j].kind || probes[i].kind == probes[j].kind && probes[i].selection < probes[j].selection
	})
	withEdges := 0
	for _, p := range probes {
		t.Run(fmt.Sprintf("%s/%s", p.kind, p.selection), func(t *testing.T) {
			// The nodes of the kind, the ones with the most edges first.
			page, err := s.Store.QueryNodes(ctx, landscape.NodeQuery{Kinds: []landscape.NodeKind{p.kind}, Page: landscape.PageArgs{First: new(100)}})
			if err != nil || len(page.Nodes) == 0 {
				t.Fatalf("no %s in the sample landscape (%v)", p.kind, err)
			}
			var ids []string
			for _, n := range page.Nodes {
				ids = append(ids, n.ID)
			}
			asOf := ""
			if slices.Contains([]landscape.NodeKind{landscape.Region, landscape.Actor}, p.kind) {
				asOf = `, asOf: "2024-01-01"`
			}
			byID := fmt.Sprintf(`query($ids: [ID!]!) { nodesByIds(ids: $ids%s) { id ... on %s { %s } } }`, asOf, p.kind, p.selection)
			paged := fmt.Sprintf(`query($ids: [String!]) { nodes(kinds: [%s], filter: {id: {in: $ids}}, first: 100%s) { nodes { id ... on %s { %s } } } }`,
				kindEnum(p.kind), asOf, p.kind, p.selection)
			otherDate := p.selection == `relationships(asOf: "2024-01-01") { id }` && asOf == ""
			s.take()
			got := run(t, s, byID, map[string]any{"ids": ids})
			wantCalls := []string{"Expand"}
			if otherDate {
				// Another date than the root's: loaded as usual.
				wantCalls = []string{"Nodes", "Neighbours"}
			}
			if calls := s.take(); !slices.Equal(calls, wantCalls) {
				t.Errorf("nodesByIds: store calls %v, want %v", calls, wantCalls)
			}
			gotPaged := run(t, s, paged, map[string]any{"ids": ids})
			wantCalls = []string{"QueryNodes", "Expand"}
			if otherDate {
				wantCalls = []string{"QueryNodes", "Neighbours"}
			}
			if calls := s.take(); !slices.Equal(calls, wantCalls) {
				t.Errorf("nodes: store calls %v, want %v", calls, wantCalls)
			}
			// The reference: the page read without look-ahead.
			want := runWith(t, &Resolver{Store: s, NoLookAhead: true}, paged, map[string]any{"ids": ids})
			if calls := s.take(); slices.Contains(calls, "Expand") {
				t.Errorf("without look-ahead: store calls %v", calls)
			}
			if string(gotPaged) != string(want) {
				t.Errorf("page:\nlooked ahead %s\n      loaded %s", gotPaged, want)
			}
			var g struct{ NodesByIds []json.RawMessage }
			var w struct {
				Nodes struct{ Nodes []json.RawMessage }
			}
			if err := json.Unmarshal(got, &g); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(want, &w); err != nil {
				t.Fatal(err)
			}
			if len(g.NodesByIds) != len(ids) || len(w.Nodes.Nodes) == 0 {
				t.Fatalf("%d nodes by id, %d in the page, for %d ids", len(g.NodesByIds), len(w.Nodes.Nodes), len(ids))
			}
			byIDs := map[string]string{}
			for _, raw := range g.NodesByIds {
				var n struct{ ID string }
				json.Unmarshal(raw, &n)
				byIDs[n.ID] = string(raw)
			}
			for _, raw := range w.Nodes.Nodes {
				var n struct{ ID string }
				json.Unmarshal(raw, &n)
				if byIDs[n.ID] != string(raw) {
					t.Errorf("node %s:\nlooked ahead %s\n      loaded %s", n.ID, byIDs[n.ID], raw)
				}
				if bytes.Contains(raw, []byte("[{")) {
					withEdges++
				}
			}
		})
	}
	if withEdges < len(probes)/2 {
		t.Errorf("only %d nodes had related nodes or relationships in the answer: the probes test little", withEdges)
	}
}

// kindEnum is the NodeKind enum value of a kind: LifePhase is LIFE_PHASE.
func kindEnum(k landscape.NodeKind) string {
	var b []byte
	for i, r := range string(k) {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b = append(b, '_')
		}
		b = append(b, byte(unicode.ToUpper(r)))
	}
	return string(b)
}

// TestRelationshipEnds checks from and to of relationships wherever the API
// makes them: they are the ends of the edge, and they are read (in one
// batch) only when the query selects them; fromId and toId are their ids
// without reading them.
func TestRelationshipEnds(t *testing.T) {
	s := sampleStore(t)
	ctx := context.Background()
	page, err := s.Store.QueryEdges(ctx, landscape.EdgeQuery{Kinds: []landscape.EdgeKind{landscape.MemberOf}, Page: landscape.PageArgs{First: new(1)}})
	if err != nil || len(page.Edges) != 1 {
		t.Fatalf("no MEMBER_OF edge in the sample landscape (%v)", err)
	}
	member := page.Edges[0]
	type rel struct {
		ID, Kind string
		From, To struct{ ID string }
	}
	edges := map[string]*landscape.Edge{}
	all, err := s.Store.QueryEdges(ctx, landscape.EdgeQuery{Page: landscape.PageArgs{First: new(landscape.MaxPageSize)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all.Edges {
		edges[e.ID] = e
	}
	// collect finds every object with id, from and to (or fromId and toId)
	// in a JSON answer.
	var collect func(v any, out *[]rel)
	collect = func(v any, out *[]rel) {
		switch v := v.(type) {
		case map[string]any:
			if f, ok := v["fromId"].(string); ok {
				if to, ok := v["toId"].(string); ok {
					if id, ok := v["id"].(string); ok {
						*out = append(*out, rel{ID: id, From: struct{ ID string }{f}, To: struct{ ID string }{to}})
					}
				}
			}
			if f, ok := v["from"].(map[string]any); ok {
				if to, ok := v["to"].(map[string]any); ok {
					if id, ok := v["id"].(string); ok {
						*out = append(*out, rel{ID: id, From: struct{ ID string }{f["id"].(string)}, To: struct{ ID string }{to["id"].(string)}})
					}
				}
			}
			for _, x := range v {
				collect(x, out)
			}
		case []any:
			for _, x := range v {
				collect(x, out)
			}
		}
	}
	queries := []struct {
		name, query string
		vars        map[string]any
		calls       []string
	}{
		{"connection", `{ relationships(first: 50) { nodes { id from { id } to { id } } } }`, nil, []string{"QueryEdges", "Nodes"}},
		{"connection without ends", `{ relationships(first: 50) { nodes { id kind } } }`, nil, []string{"QueryEdges"}},
		{"connection, ends as ids", `{ relationships(first: 50) { nodes { id fromId toId } } }`, nil, []string{"QueryEdges"}},
		{"connection, ends both ways", `{ relationships(first: 50) { nodes { id fromId toId from { id } to { id } } } }`, nil, []string{"QueryEdges", "Nodes"}},
		{"by id", `query($id: ID!) { relationship(id: $id) { id from { id } to { id } } }`, map[string]any{"id": member.ID}, []string{"Edges", "Nodes"}},
		{"of a node", `query($id: ID!) { node(id: $id) { relationships { id from { id } to { id } } } }`, map[string]any{"id": member.From}, []string{"Expand"}},
		{"of a membership", `query($id: ID!) { node(id: $id) { ... on Committee { members { relationship { id from { id } to { id } } } } } }`,
			map[string]any{"id": member.To}, []string{"Expand"}},
		{"of a neighbourhood", `query($id: ID!) { neighbourhood(ids: [$id], depth: 1) { relationships { id from { id } to { id } } } }`,
			map[string]any{"id": member.To}, nil},
		{"of a neighbourhood, ends as ids", `query($id: ID!) { neighbourhood(ids: [$id], depth: 1) { relationships { id fromId toId } } }`,
			map[string]any{"id": member.To}, nil},
		{"of a path", `query($a: ID!, $b: ID!) { shortestPaths(from: $a, to: $b) { paths { steps { relationships { id from { id } to { id } } } } } }`,
			map[string]any{"a": member.From, "b": member.To}, nil},
	}
	for _, q := range queries {
		t.Run(q.name, func(t *testing.T) {
			s.take()
			data := run(t, s, q.query, q.vars)
			calls := s.take()
			if q.calls != nil && !slices.Equal(calls, q.calls) {
				t.Errorf("store calls %v, want %v", calls, q.calls)
			}
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				t.Fatal(err)
			}
			var rels []rel
			collect(v, &rels)
			if len(rels) == 0 && q.name != "connection without ends" {
				t.Fatalf("no relationship with ends in %s", data)
			}
			for _, r := range rels {
				e := edges[r.ID]
				if e == nil || r.From.ID != e.From || r.To.ID != e.To {
					t.Errorf("relationship %s: from %s to %s, want %+v", r.ID, r.From.ID, r.To.ID, e)
				}
			}
		})
	}
}
