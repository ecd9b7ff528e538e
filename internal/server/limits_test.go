package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
	"github.com/bildungsgraph/bildungsgraph/internal/server"
)

// limitPost posts query (a GraphQL document) and returns the response.
func limitPost(t *testing.T, h http.Handler, query string, vars map[string]any) *specResponse {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return specPost(t, h, string(b), mediaGQL)
}

// limitExceeded checks a refusal for exceeding limit: 400 without data, code
// LIMIT_EXCEEDED, the message naming the limit and the actual value.
func limitExceeded(t *testing.T, r *specResponse, limit string, max, actual int, message string) {
	t.Helper()
	if r.Status != http.StatusBadRequest || r.hasData() || len(r.Errors) != 1 {
		t.Fatalf("status %d, body %s; want 400 with one error and no data", r.Status, r.Body)
	}
	e := r.Errors[0]
	if e.Extensions["code"] != server.CodeLimitExceeded || e.Extensions["limit"] != limit {
		t.Errorf("extensions %v, want code %s, limit %s", e.Extensions, server.CodeLimitExceeded, limit)
	}
	if e.Extensions["max"] != float64(max) || e.Extensions["actual"] != float64(actual) {
		t.Errorf("extensions %v, want max %d, actual %d", e.Extensions, max, actual)
	}
	if e.Message != message {
		t.Errorf("message %q, want %q", e.Message, message)
	}
}

func TestDepthLimit(t *testing.T) {
	h, _ := specServer(t, server.Config{MaxDepth: 4, Introspection: true})
	for _, tc := range []struct {
		name  string
		query string
		depth int // 0: within the limit
	}{
		{"AtTheLimit", `{ committees { edges { node { id } } } }`, 0},
		{"Deeper", `{ committees { edges { node { members { role } } } } }`, 5},
		{"DeepestBranchCounts", `{ committees { totalCount edges { cursor node { id members { member { id } } } } } }`, 6},
		{"ThroughFragments", `query { committees { ...E } }
			fragment E on CommitteeConnection { edges { ...N } }
			fragment N on CommitteeEdge { node { ... on Committee { members { role } } } }`, 5},
		{"FragmentUsedTwice", `query { a: committees { ...E } b: committees { edges { ...E2 } } }
			fragment E on CommitteeConnection { edges { node { id } } }
			fragment E2 on CommitteeEdge { node { members { member { id } } } }`, 6},
		{"AliasesDoNotHide", `{ c: committees { e: edges { n: node { m: members { r: role } } } } }`, 5},
		{"IntrospectionIsNotCounted", `{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }`, 0},
		{"TypenameIsNotCounted", `{ committees { edges { node { id __typename } } } }`, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := limitPost(t, h, tc.query, nil)
			if tc.depth == 0 {
				if r.Status != 200 || len(r.Errors) > 0 {
					t.Fatalf("status %d, body %s; want 200 without errors", r.Status, r.Body)
				}
				return
			}
			limitExceeded(t, r, "depth", 4, tc.depth, fmt.Sprintf("query depth %d exceeds the limit of 4", tc.depth))
		})
	}
	// Under application/json the refusal is a request error with 200.
	b, _ := json.Marshal(map[string]string{"query": `{ committees { edges { node { members { role } } } } }`})
	if r := specPost(t, h, string(b), mediaJSON); r.Status != 200 || r.code() != server.CodeLimitExceeded || r.hasData() {
		t.Errorf("application/json: %d %s", r.Status, r.Body)
	}
	// Switched off.
	off, _ := specServer(t, server.Config{MaxDepth: -1})
	if r := limitPost(t, off, `{ committees { edges { node { members { member { ... on Actor { memberships { committee { name } } } } } } } } }`, nil); r.Status != 200 || len(r.Errors) > 0 {
		t.Errorf("depth limit off: %d %s", r.Status, r.Body)
	}
}

func TestComplexityLimit(t *testing.T) {
	h, _ := specServer(t, server.Config{ComplexityLimit: 5})
	if r := limitPost(t, h, `{ committees { totalCount } }`, nil); r.Status != 200 || len(r.Errors) > 0 {
		t.Fatalf("small query: %d %s", r.Status, r.Body)
	}
	r := limitPost(t, h, `{ committees { totalCount edges { node { id name category } } } }`, nil)
	m := regexp.MustCompile(`^operation has complexity (\d+), which exceeds the limit of 5$`).FindStringSubmatch(firstMessage(r))
	if m == nil {
		t.Fatalf("status %d, body %s; want a message naming the complexity and the limit", r.Status, r.Body)
	}
	actual, _ := strconv.Atoi(m[1])
	limitExceeded(t, r, "complexity", 5, actual, m[0])
}

func firstMessage(r *specResponse) string {
	if len(r.Errors) == 0 {
		return ""
	}
	return r.Errors[0].Message
}

func TestPageSizeLimit(t *testing.T) {
	t.Run("Domain", func(t *testing.T) {
		h, _ := specServer(t, server.Config{})
		r := limitPost(t, h, `query($n: Int) { committees(first: $n) { totalCount } }`, map[string]any{"n": landscape.MaxPageSize + 1})
		want := fmt.Sprintf("first: must be between 0 and %d, not %d", landscape.MaxPageSize, landscape.MaxPageSize+1)
		if r.Status != 200 || r.code() != "INVALID" || firstMessage(r) != want || r.Errors[0].Extensions["field"] != "first" {
			t.Fatalf("status %d, body %s; want INVALID on first: %q", r.Status, r.Body, want)
		}
	})
	t.Run("Configured", func(t *testing.T) {
		h, _ := specServer(t, server.Config{MaxPageSize: 50})
		for _, tc := range []struct {
			query, field string
			n            int
			ok           bool
		}{
			{`query($n: Int) { committees(first: $n) { totalCount } }`, "first", 50, true},
			{`query($n: Int) { committees(first: $n) { totalCount } }`, "first", 51, false},
			{`query($n: Int) { nodes(last: $n) { totalCount } }`, "last", 51, false},
			{`query($n: Int) { neighbourhood(ids: ["gremium-00"], maxNodes: $n) { truncated } }`, "maxNodes", 51, false},
		} {
			r := limitPost(t, h, tc.query, map[string]any{"n": tc.n})
			if tc.ok {
				if r.Status != 200 || len(r.Errors) > 0 {
					t.Errorf("%s: %d: %d %s", tc.field, tc.n, r.Status, r.Body)
				}
				continue
			}
			want := fmt.Sprintf("%s: must be between 0 and 50, not %d", tc.field, tc.n)
			if r.Status != 200 || r.code() != "INVALID" || firstMessage(r) != want || r.Errors[0].Extensions["field"] != tc.field {
				t.Errorf("%s: %d: status %d, body %s; want INVALID %q", tc.field, tc.n, r.Status, r.Body, want)
			}
		}
	})
}

func TestBodySizeLimit(t *testing.T) {
	const limit = 256
	h, _ := specServer(t, server.Config{MaxBodyBytes: limit})
	body := func(size int) string {
		b := `{"query":"{ __typename }"}`
		return b[:len(b)-1] + `,"extensions":{"pad":"` + strings.Repeat("x", size-len(b)-len(`,"extensions":{"pad":""}`)) + `"}}`
	}
	if len(body(limit)) != limit {
		t.Fatalf("padding is off: %d", len(body(limit)))
	}
	for _, media := range []string{mediaJSON, mediaGQL} {
		for _, known := range []bool{true, false} { // Content-Length known, or chunked
			name := fmt.Sprintf("%s/ContentLengthKnown=%v", media, known)
			send := func(size int) *specResponse {
				req := newPost(body(size), media)
				if !known {
					req.ContentLength = -1
				}
				return serve(h, req)
			}
			if r := send(limit); r.Status != 200 || !r.hasData() {
				t.Errorf("%s: a body at the limit: %d %s", name, r.Status, r.Body)
			}
			r := send(limit + 1)
			if r.Status != http.StatusRequestEntityTooLarge || r.code() != server.CodeLimitExceeded || r.hasData() ||
				firstMessage(r) != "the request body exceeds the limit of 256 bytes" || r.Errors[0].Extensions["limit"] != "bodySize" {
				t.Errorf("%s: a body over the limit: %d %s; want 413 naming the limit", name, r.Status, r.Body)
			}
		}
	}
}

// blockingStore blocks every read until the request's context is done, and
// records whether the context carried a deadline.
type blockingStore struct {
	landscape.Store
	deadlines chan bool
}

func (s *blockingStore) block(ctx context.Context) error {
	_, ok := ctx.Deadline()
	select {
	case s.deadlines <- ok:
	default:
	}
	select {
	case <-ctx.Done():
		return landscape.Wrap(landscape.ETimeout, ctx.Err(), "the operation ran past its deadline") // as the stores report it
	case <-time.After(time.Minute):
		return fmt.Errorf("blockingStore: the context never ended")
	}
}

func (s *blockingStore) QueryNodes(ctx context.Context, q landscape.NodeQuery) (*landscape.NodePage, error) {
	return nil, s.block(ctx)
}

func (s *blockingStore) Nodes(ctx context.Context, ids []string, asOf *landscape.Date) (map[string]*landscape.Node, error) {
	return nil, s.block(ctx)
}

func (s *blockingStore) Adjacent(ctx context.Context, q landscape.AdjacencyQuery) (map[string][]*landscape.Edge, error) {
	return nil, s.block(ctx)
}

func (s *blockingStore) Neighbours(ctx context.Context, q landscape.AdjacencyQuery) (*landscape.Adjacency, error) {
	return nil, s.block(ctx)
}

func (s *blockingStore) Expand(ctx context.Context, q landscape.ExpandQuery) (*landscape.Expansion, error) {
	return nil, s.block(ctx)
}

// rawCtxStore returns the context's error as it is, as a store without its
// own mapping would.
type rawCtxStore struct{ blockingStore }

func (s *rawCtxStore) QueryNodes(ctx context.Context, q landscape.NodeQuery) (*landscape.NodePage, error) {
	s.block(ctx)
	return nil, ctx.Err()
}

func TestRequestTimeout(t *testing.T) {
	const limit = 50 * time.Millisecond
	for name, wrap := range map[string]func(landscape.Store) landscape.Store{
		"DomainError": func(s landscape.Store) landscape.Store {
			return &blockingStore{Store: s, deadlines: make(chan bool, 1)}
		},
		"ContextError": func(s landscape.Store) landscape.Store {
			return &rawCtxStore{blockingStore{Store: s, deadlines: make(chan bool, 1)}}
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, s := specServer(t, server.Config{})
			store := wrap(s)
			h, _ := specServer(t, server.Config{Store: store, RequestTimeout: limit})
			start := time.Now()
			r := limitPost(t, h, `{ committees { totalCount } }`, nil)
			if d := time.Since(start); d > 30*time.Second {
				t.Fatalf("the request took %s", d)
			}
			// Execution began: 200 with data (null: the field is non-null).
			if r.Status != 200 || !r.hasData() || r.code() != string(landscape.ETimeout) ||
				firstMessage(r) != "the request exceeded the time limit of 50ms" {
				t.Fatalf("status %d, body %s; want 200, TIMEOUT naming the limit", r.Status, r.Body)
			}
			var deadlines chan bool
			switch s := store.(type) {
			case *blockingStore:
				deadlines = s.deadlines
			case *rawCtxStore:
				deadlines = s.deadlines
			}
			if !<-deadlines {
				t.Error("the store call's context had no deadline")
			}
			// The export endpoints have the same deadline.
			e := specDo(t, h, http.MethodGet, "/export/landscape.json", nil)
			if e.Status != http.StatusGatewayTimeout || !strings.Contains(e.Body, "the request exceeded the time limit of 50ms") {
				t.Errorf("export: %d %s; want 504 naming the limit", e.Status, e.Body)
			}
		})
	}
}

// TestDefaultLimitsFitTheClients: GraphiQL's introspection query and the
// example queries it opens pass the default limits.
func TestDefaultLimitsFitTheClients(t *testing.T) {
	h, _ := specServer(t, server.Config{Introspection: true})
	queries := map[string]string{"introspection": introspectionQuery}
	files, _ := filepath.Glob(filepath.Join("..", "..", "web", "src", "queries", "*.graphql"))
	if len(files) == 0 {
		t.Fatal("no example queries in web/src/queries")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		queries[filepath.Base(f)] = string(b)
	}
	for name, q := range queries {
		r := limitPost(t, h, q, nil)
		for _, e := range r.Errors {
			if e.Extensions["code"] == server.CodeLimitExceeded || r.Status != 200 {
				t.Errorf("%s: %d %s", name, r.Status, r.Body)
			}
		}
	}
}

// introspectionQuery is graphql-js's getIntrospectionQuery() (v16, with
// descriptions, specifiedByURL and deprecated input fields), which GraphiQL
// sends.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description isRepeatable locations args(includeDeprecated: true) { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description specifiedByURL
  fields(includeDeprecated: true) { name description args(includeDeprecated: true) { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue isDeprecated deprecationReason }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }
}`
