package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/bildungsgraph/bildungsgraph/data"
	"github.com/bildungsgraph/bildungsgraph/internal/embedded"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
	"github.com/bildungsgraph/bildungsgraph/internal/server"
)

const src = "Test: Landkreis Osnabrück, Bildungsmanagement"

// countingStore counts the round trips a request makes to the store.
type countingStore struct {
	landscape.Store
	calls atomic.Int64
}

func (c *countingStore) Nodes(ctx context.Context, ids []string, asOf *landscape.Date) (map[string]*landscape.Node, error) {
	c.calls.Add(1)
	return c.Store.Nodes(ctx, ids, asOf)
}

func (c *countingStore) QueryNodes(ctx context.Context, q landscape.NodeQuery) (*landscape.NodePage, error) {
	c.calls.Add(1)
	return c.Store.QueryNodes(ctx, q)
}

func (c *countingStore) Edges(ctx context.Context, ids []string, asOf *landscape.Date) (map[string]*landscape.Edge, error) {
	c.calls.Add(1)
	return c.Store.Edges(ctx, ids, asOf)
}

func (c *countingStore) QueryEdges(ctx context.Context, q landscape.EdgeQuery) (*landscape.EdgePage, error) {
	c.calls.Add(1)
	return c.Store.QueryEdges(ctx, q)
}

func (c *countingStore) Adjacent(ctx context.Context, q landscape.AdjacencyQuery) (map[string][]*landscape.Edge, error) {
	c.calls.Add(1)
	return c.Store.Adjacent(ctx, q)
}

func (c *countingStore) Neighbours(ctx context.Context, q landscape.AdjacencyQuery) (*landscape.Adjacency, error) {
	c.calls.Add(1)
	return c.Store.Neighbours(ctx, q)
}

func (c *countingStore) Expand(ctx context.Context, q landscape.ExpandQuery) (*landscape.Expansion, error) {
	c.calls.Add(1)
	return c.Store.Expand(ctx, q)
}

func (c *countingStore) Apply(ctx context.Context, cs *landscape.Changeset) (*landscape.Result, error) {
	c.calls.Add(1)
	return c.Store.Apply(ctx, cs)
}

type harness struct {
	path    string
	store   *countingStore
	handler http.Handler
	// key is the API key post sends ("" for none); newHarness makes an
	// editor's key, as most tests write.
	key string
}

func openStore(t *testing.T, path string) *embedded.Store {
	t.Helper()
	s, err := embedded.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return s
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	path := filepath.Join(t.TempDir(), "landscape.db")
	s := openStore(t, path)
	t.Cleanup(func() { s.Close() })
	h := &harness{path: path, store: &countingStore{Store: s}}
	keys, key := testKeys(t)
	h.key = key[landscape.RoleEditor]
	h.handler = server.New(server.Config{Store: h.store, Introspection: true, BatchWait: 20 * time.Millisecond, Keys: keys})
	return h
}

func (h *harness) apply(t *testing.T, cs *landscape.Changeset) {
	t.Helper()
	if _, err := h.store.Apply(context.Background(), cs); err != nil {
		t.Fatalf("apply fixture: %v", err)
	}
}

// gqlError is a GraphQL error as the API presents it.
type gqlError struct {
	Message    string `json:"message"`
	Path       []any  `json:"path"`
	Extensions struct {
		Code     string `json:"code"`
		Field    string `json:"field"`
		Problems []struct {
			Code, Field, Message string
		} `json:"problems"`
	} `json:"extensions"`
}

// post sends a query through the real HTTP handler and decodes data into
// out; it returns the errors. Without an Accept header the response is
// application/json, where every well-formed request is answered with 200
// (request errors such as validation errors too; see httpspec.go).
func (h *harness) post(t *testing.T, query string, out any, vars ...map[string]any) []gqlError {
	t.Helper()
	body := map[string]any{"query": query}
	if len(vars) > 0 {
		body["variables"] = vars[0]
	}
	b, _ := json.Marshal(body)
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if h.key != "" {
		req.Header.Set("Authorization", "Bearer "+h.key)
	}
	rec := httptest.NewRecorder()
	h.handler.ServeHTTP(rec, req)
	var resp struct {
		Data   json.RawMessage
		Errors []gqlError
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("status %d, body %s: %v", rec.Code, rec.Body, err)
	}
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, body %s", rec.Code, rec.Body)
	}
	if out != nil && len(resp.Data) > 0 {
		if err := json.Unmarshal(resp.Data, out); err != nil {
			t.Fatalf("decode data %s: %v", resp.Data, err)
		}
	}
	return resp.Errors
}

func (h *harness) mustPost(t *testing.T, query string, out any, vars ...map[string]any) {
	t.Helper()
	if errs := h.post(t, query, out, vars...); len(errs) > 0 {
		t.Fatalf("unexpected errors: %+v", errs)
	}
}

func node(id string, kind landscape.NodeKind, name, category string) *landscape.Node {
	return &landscape.Node{ID: id, Kind: kind, Name: name, Category: category, Source: src}
}

// committees returns a fixture of n committees with three members each (a
// chair, a member, the office).
func committees(n int) *landscape.Changeset {
	cs := &landscape.Changeset{}
	up := func(x *landscape.Node) {
		cs.Nodes = append(cs.Nodes, landscape.NodeChange{Op: landscape.OpUpsert, Node: x})
	}
	member := func(from, to, role string) {
		cs.Edges = append(cs.Edges, landscape.EdgeChange{Op: landscape.OpUpsert, Edge: &landscape.Edge{Kind: landscape.MemberOf, From: from, To: to, Role: role, Source: src}})
	}
	up(node("lk-os.bildungskoordination", landscape.Actor, "Bildungskoordination, Landkreis Osnabrück", "COORDINATION"))
	up(node("lk-os.fachdienst-5", landscape.Actor, "Fachdienst 5, Landkreis Osnabrück", "ADMINISTRATIVE_UNIT"))
	for i := range n {
		c := node(fmt.Sprintf("gremium-%02d", i), landscape.Committee, fmt.Sprintf("Gremium %02d", i), "WORKING_GROUP")
		c.Scope = landscape.ScopeInternal
		up(c)
		chair := node(fmt.Sprintf("vorsitz-%02d", i), landscape.Actor, fmt.Sprintf("Vorsitz Gremium %02d", i), "ROLE")
		up(chair)
		member(chair.ID, c.ID, "CHAIR")
		member("lk-os.fachdienst-5", c.ID, "MEMBER")
		member("lk-os.bildungskoordination", c.ID, "OFFICE")
	}
	return cs
}

type membersResp struct {
	Committees struct {
		TotalCount int
		Edges      []struct {
			Node struct {
				ID, Name, Category, Scope string
				Members                   []struct {
					Role   string
					Member struct{ ID, Name, Kind string }
				}
			}
		}
	}
}

const membersQuery = `query { committees(first: 100) { totalCount edges { node { id name category scope
	members { role member { id name kind } } } } } }`

func TestCommitteesWithMembersAndRoles(t *testing.T) {
	h := newHarness(t)
	h.apply(t, committees(3))
	var resp membersResp
	h.mustPost(t, membersQuery, &resp)
	if got := resp.Committees.TotalCount; got != 3 {
		t.Fatalf("totalCount = %d, want 3", got)
	}
	first := resp.Committees.Edges[0].Node
	if first.ID != "gremium-00" || first.Category != "WORKING_GROUP" || first.Scope != "INTERNAL" {
		t.Errorf("first committee = %+v", first)
	}
	roles := map[string]string{}
	for _, m := range first.Members {
		roles[m.Member.ID] = m.Role
		if m.Member.Kind != "ACTOR" {
			t.Errorf("member %s kind = %s, want ACTOR", m.Member.ID, m.Member.Kind)
		}
	}
	want := map[string]string{"vorsitz-00": "CHAIR", "lk-os.fachdienst-5": "MEMBER", "lk-os.bildungskoordination": "OFFICE"}
	if fmt.Sprint(roles) != fmt.Sprint(want) {
		t.Errorf("roles = %v, want %v", roles, want)
	}
}

// TestNoNPlusOne checks that nested lists cost a bounded number of store
// round trips, independent of the number of items.
func TestNoNPlusOne(t *testing.T) {
	calls := func(n int) int64 {
		h := newHarness(t)
		h.apply(t, committees(n))
		var resp membersResp
		before := h.store.calls.Load()
		h.mustPost(t, membersQuery, &resp)
		if len(resp.Committees.Edges) != n {
			t.Fatalf("got %d committees, want %d", len(resp.Committees.Edges), n)
		}
		return h.store.calls.Load() - before
	}
	small, large := calls(2), calls(40)
	// committees: 1 query; their members with the member nodes: 1 Expand.
	if large != small || large > 2 {
		t.Errorf("round trips: %d for 2 committees, %d for 40; want the same, at most 2", small, large)
	}
}

func TestMutationMissingRequiredFieldWritesNothing(t *testing.T) {
	h := newHarness(t)
	errs := h.post(t, `mutation { createNode(input: {id: "bb-bohmte", kind: INSTITUTION, name: "Bildungsbüro Bohmte"}) { id } }`, nil)
	if len(errs) == 0 || !strings.Contains(errs[0].Message, "source") {
		t.Fatalf("errors = %+v, want one naming the missing field source", errs)
	}
	if errs[0].Extensions.Code != "GRAPHQL_VALIDATION_FAILED" {
		t.Errorf("code = %q, want GRAPHQL_VALIDATION_FAILED", errs[0].Extensions.Code)
	}
	// A field present but empty is caught by the domain and named.
	errs = h.post(t, `mutation { createNode(input: {id: "bb-bohmte", kind: INSTITUTION, name: " ", source: "x", category: "BILDUNGSBUERO"}) { id } }`, nil)
	if len(errs) != 1 || errs[0].Extensions.Code != "INVALID" || errs[0].Extensions.Field != "input.name" {
		t.Fatalf("errors = %+v, want INVALID on input.name", errs)
	}
	var resp struct{ Node *struct{ ID string } }
	h.mustPost(t, `query { node(id: "bb-bohmte") { id } }`, &resp)
	if resp.Node != nil {
		t.Errorf("node written despite the error: %+v", resp.Node)
	}
}

func TestMutationReportsEveryProblem(t *testing.T) {
	h := newHarness(t)
	errs := h.post(t, `mutation { createNode(input: {id: "x", kind: REGION, name: "Bohmte", source: "s",
		category: "KITA", validFrom: "2020-01-01", validTo: "2019-01-01", order: 3}) { id } }`, nil)
	if len(errs) != 1 {
		t.Fatalf("errors = %+v", errs)
	}
	fields := map[string]bool{}
	for _, p := range errs[0].Extensions.Problems {
		fields[p.Field] = true
	}
	for _, f := range []string{"input.category", "input.validTo", "input.order"} {
		if !fields[f] {
			t.Errorf("no problem reported on %s: %+v", f, errs[0].Extensions.Problems)
		}
	}
}

func TestCreateUpdateDeleteThroughGraphQL(t *testing.T) {
	h := newHarness(t)
	var created struct {
		CreateNode struct {
			ID, Name, Category string
			ValidFrom          string
		}
	}
	h.mustPost(t, `mutation { createNode(input: {id: "lk-clp.bildungsbuero", kind: INSTITUTION, name: "Bildungsbüro Cloppenburg",
		category: "BILDUNGSBUERO", source: "Landkreis Cloppenburg: Bildungsbüro & Bildungsregion", validFrom: "2019-10-01"}) {
		id name ... on Institution { category } validFrom } }`, &created)
	if created.CreateNode.ValidFrom != "2019-10-01" || created.CreateNode.Category != "BILDUNGSBUERO" {
		t.Fatalf("created = %+v", created)
	}
	errs := h.post(t, `mutation { createNode(input: {id: "lk-clp.bildungsbuero", kind: INSTITUTION, name: "x", source: "y"}) { id } }`, nil)
	if len(errs) != 1 || errs[0].Extensions.Code != "CONFLICT" {
		t.Fatalf("second create: errors = %+v, want CONFLICT", errs)
	}
	var updated struct{ UpdateNode struct{ Description *string } }
	h.mustPost(t, `mutation { updateNode(id: "lk-clp.bildungsbuero", patch: {description: "Service- und Koordinierungsstelle"}) { description } }`, &updated)
	if updated.UpdateNode.Description == nil || *updated.UpdateNode.Description != "Service- und Koordinierungsstelle" {
		t.Fatalf("updated = %+v", updated)
	}
	errs = h.post(t, `mutation { updateNode(id: "gibt-es-nicht", patch: {name: "x"}) { id } }`, nil)
	if len(errs) != 1 || errs[0].Extensions.Code != "NOT_FOUND" {
		t.Fatalf("update of missing node: errors = %+v, want NOT_FOUND", errs)
	}
	errs = h.post(t, `mutation { updateNode(id: "lk-clp.bildungsbuero", patch: {validFrom: "2019-13-01"}) { id } }`, nil)
	if len(errs) != 1 || errs[0].Extensions.Code != "INVALID" {
		t.Fatalf("bad date: errors = %+v, want INVALID", errs)
	}
	h.mustPost(t, `mutation { createNode(input: {id: "lk-clp", kind: REGION, name: "Landkreis Cloppenburg", category: "LANDKREIS", source: "s"}) { id } }`, nil)
	var rel struct{ CreateRelationship struct{ ID string } }
	h.mustPost(t, `mutation { createRelationship(input: {kind: SERVES, from: "lk-clp.bildungsbuero", to: "lk-clp", source: "s"}) { id } }`, &rel)
	if rel.CreateRelationship.ID != "lk-clp.bildungsbuero>SERVES>lk-clp" {
		t.Errorf("default relationship id = %q", rel.CreateRelationship.ID)
	}
	errs = h.post(t, `mutation { createRelationship(input: {kind: MEMBER_OF, from: "lk-clp.bildungsbuero", to: "lk-clp", source: "s"}) { id } }`, nil)
	if len(errs) != 1 || errs[0].Extensions.Code != "INVALID" || errs[0].Extensions.Field != "input.to" {
		t.Fatalf("MEMBER_OF a region: errors = %+v, want INVALID on input.to", errs)
	}
	var del struct{ DeleteNode string }
	h.mustPost(t, `mutation { deleteNode(id: "lk-clp") }`, &del)
	var after struct {
		Node struct {
			Relationships []struct{ ID string }
		}
	}
	h.mustPost(t, `query { node(id: "lk-clp.bildungsbuero") { relationships { id } } }`, &after)
	if len(after.Node.Relationships) != 0 {
		t.Errorf("relationships of the deleted region survive: %+v", after.Node.Relationships)
	}
}

func TestDataSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "landscape.db")
	s := openStore(t, path)
	keys, key := testKeys(t)
	c := client.New(server.New(server.Config{Store: s, Keys: keys}), client.Path("/graphql"))
	c.MustPost(`mutation { createNode(input: {id: "bb-bersenbrueck", kind: INSTITUTION, name: "Bildungsbüro Bersenbrück", category: "BILDUNGSBUERO", source: "s"}) { id } }`,
		&map[string]any{}, client.AddHeader("Authorization", "Bearer "+key[landscape.RoleEditor]))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openStore(t, path)
	defer s.Close()
	c = client.New(server.New(server.Config{Store: s}), client.Path("/graphql"))
	var resp struct{ Node struct{ Name string } }
	c.MustPost(`query { node(id: "bb-bersenbrueck") { name } }`, &resp)
	if resp.Node.Name != "Bildungsbüro Bersenbrück" {
		t.Errorf("after restart: %+v", resp)
	}
}

func TestFilterSortAndPaginate(t *testing.T) {
	h := newHarness(t)
	h.apply(t, committees(7))
	type page struct {
		Committees struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage, HasPreviousPage bool
				EndCursor                    *string
			}
			Nodes []struct{ ID string }
		}
	}
	var ids []string
	after := ""
	for i := 0; ; i++ {
		var p page
		h.mustPost(t, `query($after: String) { committees(first: 3, after: $after, orderBy: [{field: NAME, direction: DESC}],
			filter: {name: {startsWith: "gremium"}, related: {kinds: [MEMBER_OF], direction: IN, some: {id: {eq: "lk-os.fachdienst-5"}}}}) {
			totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { id } } }`, &p, map[string]any{"after": nilIfEmpty(after)})
		if p.Committees.TotalCount != 7 {
			t.Fatalf("totalCount = %d, want 7", p.Committees.TotalCount)
		}
		if p.Committees.PageInfo.HasPreviousPage != (i > 0) {
			t.Errorf("page %d: hasPreviousPage = %v", i, p.Committees.PageInfo.HasPreviousPage)
		}
		for _, n := range p.Committees.Nodes {
			ids = append(ids, n.ID)
		}
		if !p.Committees.PageInfo.HasNextPage {
			break
		}
		after = *p.Committees.PageInfo.EndCursor
	}
	want := "gremium-06 gremium-05 gremium-04 gremium-03 gremium-02 gremium-01 gremium-00"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("paged ids = %s, want %s", got, want)
	}
	var none struct{ Committees struct{ TotalCount int } }
	h.mustPost(t, `query { committees(filter: {related: {kinds: [MEMBER_OF], none: {}}}) { totalCount } }`, &none)
	if none.Committees.TotalCount != 0 {
		t.Errorf("committees without members = %d, want 0", none.Committees.TotalCount)
	}
	errs := h.post(t, `query { committees(first: 100000) { totalCount } }`, nil)
	if len(errs) != 1 || errs[0].Extensions.Code != "INVALID" || errs[0].Extensions.Field != "first" {
		t.Errorf("huge page: errors = %+v, want INVALID on first", errs)
	}
}

func TestNeighbourhood(t *testing.T) {
	h := newHarness(t)
	h.apply(t, committees(2))
	var resp struct {
		Neighbourhood struct {
			Nodes         []struct{ ID string }
			Relationships []struct {
				Kind string
				From struct{ ID string }
				To   struct{ ID string }
			}
		}
	}
	h.mustPost(t, `query { neighbourhood(ids: ["vorsitz-00"], depth: 2) { nodes { id } relationships { kind from { id } to { id } } } }`, &resp)
	// vorsitz-00 -> gremium-00 -> {fachdienst-5, bildungskoordination}
	if len(resp.Neighbourhood.Nodes) != 4 || len(resp.Neighbourhood.Relationships) != 3 {
		t.Errorf("neighbourhood = %+v, want 4 nodes and 3 relationships", resp.Neighbourhood)
	}
	errs := h.post(t, `query { neighbourhood(ids: ["gibt-es-nicht"]) { truncated } }`, nil)
	if len(errs) != 1 || errs[0].Extensions.Code != "NOT_FOUND" {
		t.Errorf("missing root: errors = %+v", errs)
	}
}

func TestAsOf(t *testing.T) {
	h := newHarness(t)
	old := node("lk-os.bb-plan-1", landscape.Institution, "Regionales Bildungsbüro (Planung Lernen vor Ort)", "BILDUNGSBUERO")
	old.ValidFrom, old.ValidTo = landscape.MustDate("2009-09-01"), landscape.MustDate("2014-08-31")
	now := node("lk-os.bb-bohmte", landscape.Institution, "Bildungsbüro Bohmte", "BILDUNGSBUERO")
	now.ValidFrom = landscape.MustDate("2015-01-01")
	h.apply(t, &landscape.Changeset{Nodes: []landscape.NodeChange{{Op: landscape.OpUpsert, Node: old}, {Op: landscape.OpUpsert, Node: now}}})
	count := func(date string) int {
		var resp struct{ Institutions struct{ TotalCount int } }
		h.mustPost(t, `query($d: Date) { institutions(asOf: $d, filter: {category: {eq: "BILDUNGSBUERO"}}) { totalCount } }`, &resp, map[string]any{"d": date})
		return resp.Institutions.TotalCount
	}
	if got := count("2012-06-01"); got != 1 {
		t.Errorf("2012: %d Bildungsbüros, want 1", got)
	}
	if got := count("2014-08-31"); got != 1 {
		t.Errorf("2014-08-31 (last day): %d Bildungsbüros, want 1", got)
	}
	if got := count("2020-01-01"); got != 1 {
		t.Errorf("2020: %d Bildungsbüros, want 1", got)
	}
	var all struct{ Institutions struct{ TotalCount int } }
	h.mustPost(t, `query { institutions { totalCount } }`, &all)
	if all.Institutions.TotalCount != 2 {
		t.Errorf("without asOf: %d, want 2", all.Institutions.TotalCount)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	path := filepath.Join(t.TempDir(), "landscape.db")
	s := openStore(t, path)
	h := server.New(server.Config{Store: s})
	for _, p := range []string{"/healthz", "/readyz"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("%s = %d", p, rec.Code)
		}
	}
	s.Close()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("/readyz after close = %d, want 503", rec.Code)
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func TestExportEndpoints(t *testing.T) {
	h := newHarness(t)
	h.apply(t, committees(2))
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
	for path, want := range map[string]string{
		"/export/landscape.gexf":                                "<gexf",
		"/export/landscape.graphml":                             "<graphml",
		"/export/landscape.cyjs":                                `"elements"`,
		"/export/landscape-nodes.csv":                           "gremium-01",
		"/export/landscape.json?around=vorsitz-00":              `"vorsitz-00"`,
		"/export/landscape.json?kind=COMMITTEE&asOf=2024-01-01": `"gremium-00"`,
	} {
		rec := get(path)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("GET %s = %d, body without %s: %.200s", path, rec.Code, want, rec.Body)
		}
	}
	var doc struct{ Nodes []struct{ ID string } }
	if err := json.Unmarshal(get("/export/landscape.json?kind=COMMITTEE").Body.Bytes(), &doc); err != nil || len(doc.Nodes) != 2 {
		t.Errorf("kind=COMMITTEE: %d nodes (%v), want 2", len(doc.Nodes), err)
	}
	for path, status := range map[string]int{
		"/export/landscape.pdf":               http.StatusNotFound,
		"/export/landscape.json?asOf=gestern": http.StatusBadRequest,
		"/export/landscape.json?around=nix":   http.StatusNotFound,
		"/export/landscape.json?kind=Schule":  http.StatusBadRequest,
	} {
		rec := get(path)
		var p struct{ Code, Field string }
		json.Unmarshal(rec.Body.Bytes(), &p)
		if rec.Code != status || p.Field == "" {
			t.Errorf("GET %s = %d %s, want %d with a field", path, rec.Code, rec.Body, status)
		}
	}
}

// TestAnalysisOnTheSampleLandscape asks the analysis questions of the
// product on the sample landscape through GraphQL.
func TestAnalysisOnTheSampleLandscape(t *testing.T) {
	h := newHarness(t)
	doc, err := data.Sample()
	if err != nil {
		t.Fatal(err)
	}
	h.apply(t, doc.Changeset())

	var cov struct {
		Coverage struct {
			Links []struct{ Node struct{ ID string } }
			Gaps  []struct {
				Reason      string
				Severity    int
				Explanation string
				Region      struct{ ID string }
			}
		}
	}
	h.mustPost(t, `query { coverage(fromPhase: "phase.ankommen", targetGroup: "zielgruppe.neuzugewanderte", region: "lk-osnabrueck", asOf: "2025-01-01") {
		links { node { id } } gaps { reason severity explanation region { id } } } }`, &cov)
	var links []string
	for _, l := range cov.Coverage.Links {
		links = append(links, l.Node.ID)
	}
	if got := strings.Join(links, " "); !strings.HasPrefix(got, "phase.ankommen uebergang.ankommen-klaeren") || len(links) != 5 {
		t.Errorf("chain links = %s", got)
	}
	if len(cov.Coverage.Gaps) == 0 {
		t.Fatal("the newcomers' chain in Landkreis Osnabrück shows no gaps")
	}
	for _, g := range cov.Coverage.Gaps {
		if g.Reason == "" || g.Explanation == "" || g.Region.ID == "" || g.Severity < 1 {
			t.Errorf("gap without reason, explanation or region: %+v", g)
		}
	}

	var paths struct {
		ShortestPaths struct {
			Length, Total int
			Paths         []struct {
				Explanation string
				Steps       []struct{ Explanation string }
			}
		}
	}
	h.mustPost(t, `query { shortestPaths(from: "lk-os.migrationszentrum", to: "lk-os.kooperationskonferenz") {
		length total paths { explanation steps { explanation } } } }`, &paths)
	p := paths.ShortestPaths
	if p.Length < 1 || p.Total < 1 || len(p.Paths) == 0 || len(p.Paths[0].Steps) != p.Length {
		t.Fatalf("path Migrationszentrum → Kooperationskonferenz = %+v", p)
	}
	if !strings.Contains(p.Paths[0].Explanation, "Migrationszentrum") || !strings.Contains(p.Paths[0].Explanation, "Kooperationskonferenz") {
		t.Errorf("path explanation = %q", p.Paths[0].Explanation)
	}

	var cent struct {
		Centrality struct {
			NodeCount int
			Brokers   []struct {
				Node        struct{ ID string }
				Betweenness float64
			}
		}
	}
	h.mustPost(t, `query { centrality(scope: {region: "lk-osnabrueck"}) { nodeCount brokers(top: 5) { node { id } betweenness } } }`, &cent)
	b := cent.Centrality.Brokers
	if len(b) == 0 || len(b) > 5 {
		t.Fatalf("brokers = %+v", b)
	}
	for i := 1; i < len(b); i++ {
		if b[i].Betweenness > b[i-1].Betweenness || b[i].Betweenness <= 0 {
			t.Errorf("brokers not ranked by betweenness: %+v", b)
		}
	}
	errs := h.post(t, `query { coverage(fromPhase: "phase.ankommen", region: "gibt-es-nicht") { asOf } }`, nil)
	if len(errs) != 1 || errs[0].Extensions.Code != "NOT_FOUND" || errs[0].Extensions.Field != "region" {
		t.Errorf("unknown region: errors = %+v", errs)
	}
}
