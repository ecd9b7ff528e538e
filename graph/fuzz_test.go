package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"

	"github.com/bildungsgraph/bildungsgraph/graph"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// queryStore is a store that only answers QueryNodes: it records the
// domain query the resolvers built and validates it as every store does
// (NodeQuery.Normalize), refusing it with the validation error.
type queryStore struct {
	landscape.Store // nil: any other call panics, which the test reports
	mu              sync.Mutex
	calls           []landscape.NodeQuery
	errs            []error
}

func (s *queryStore) QueryNodes(_ context.Context, q landscape.NodeQuery) (*landscape.NodePage, error) {
	err := q.Normalize()
	s.mu.Lock()
	s.calls = append(s.calls, q)
	s.errs = append(s.errs, err)
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return &landscape.NodePage{}, nil
}

// filterQuery takes every argument of the nodes connection as a variable,
// so that the fuzzer controls all of them (the filter above all).
const filterQuery = `query F($kinds: [NodeKind!], $filter: NodeFilter, $orderBy: [NodeOrder!], $first: Int, $after: String,
	$last: Int, $before: String, $asOf: Date) {
	nodes(kinds: $kinds, filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before, asOf: $asOf) {
		totalCount
	}
}`

// newFilterGraph returns a small landscape the accepted filters are
// evaluated on with the reference semantics (landscape.MatchFilter).
func newFilterGraph() *landscape.EdgeList {
	from := landscape.MustDate("2015-01-01")
	to := landscape.MustDate("2023-12-31")
	nodes := []*landscape.Node{
		{ID: "lk-os.bildungskoordination", Kind: landscape.Actor, Name: "Bildungskoordination", Category: "COORDINATION",
			Aliases: []string{"BiKo", "Bildungsbüro"}, Source: "Test"},
		{ID: "kg-bildung", Kind: landscape.Committee, Name: "Kooperationsgremium Bildung", Description: "Gremium der Kommune",
			Scope: "INTERNAL", Source: "Test", Validity: landscape.Validity{ValidFrom: from}},
		{ID: "melle", Kind: landscape.Region, Name: "Stadt Melle", Category: "MUNICIPALITY", Source: "Test",
			Validity: landscape.Validity{ValidTo: to}},
	}
	g := &landscape.EdgeList{Nodes: map[string]*landscape.Node{}}
	for _, n := range nodes {
		g.Nodes[n.ID] = n
	}
	g.Edges = []*landscape.Edge{
		{ID: "lk-os.bildungskoordination>MEMBER_OF>kg-bildung", Kind: landscape.MemberOf, From: "lk-os.bildungskoordination",
			To: "kg-bildung", Role: "OFFICE", Source: "Test"},
		{ID: "lk-os.bildungskoordination>SERVES>melle", Kind: landscape.Serves, From: "lk-os.bildungskoordination", To: "melle",
			Source: "Test", Validity: landscape.Validity{ValidFrom: from, ValidTo: to}},
	}
	return g
}

// FuzzNodeFilter feeds arbitrary bytes as the variables of a nodes query —
// the filter tree above all, with kinds, order, paging and asOf — through
// gqlgen's variable coercion, the resolver, the conversion to the domain
// query (graph/convert.go) and its validation. Never a panic; a refusal of
// the domain is an INVALID error naming a place in the arguments; an
// accepted filter keeps every condition of the input and can be evaluated.
func FuzzNodeFilter(f *testing.F) {
	f.Add([]byte(`{"filter": {"name": {"contains": "bildung"}}}`))
	g := newFilterGraph()
	f.Fuzz(func(t *testing.T, data []byte) {
		vars, err := decodeVariables(data)
		if err != nil || vars == nil {
			return // not a JSON object: refused by the transport before any of this
		}
		store := &queryStore{}
		exec := executor.New(graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{Store: store}}))
		var panicked any
		exec.SetRecoverFunc(func(ctx context.Context, p any) error {
			panicked = p
			return fmt.Errorf("panic: %v", p)
		})
		ctx := graphql.StartOperationTrace(context.Background())
		rc, errs := exec.CreateOperationContext(ctx, &graphql.RawParams{Query: filterQuery, Variables: vars})
		if errs != nil {
			// Refused by variable coercion against the schema: the store
			// must not have been asked.
			if len(store.calls) > 0 {
				t.Fatalf("variables refused (%v) but the store was queried", errs)
			}
			return
		}
		responses, ctx := exec.DispatchOperation(graphql.WithOperationContext(ctx, rc), rc)
		resp := responses(ctx)
		if panicked != nil {
			t.Fatalf("panic while resolving %s: %v", data, panicked)
		}
		if len(store.calls) == 0 {
			// An argument refused while it was unmarshalled (a scalar such
			// as Date): an error, not a query.
			if len(resp.Errors) == 0 {
				t.Fatalf("the store was not queried, yet no error: %s", resp.Data)
			}
			return
		}
		if len(store.calls) != 1 {
			t.Fatalf("store queried %d times, want once (response %s, errors %v)", len(store.calls), resp.Data, resp.Errors)
		}
		q, verr := store.calls[0], store.errs[0]
		if verr != nil {
			e := landscape.AsError(verr)
			if e == nil || e.Code != landscape.EInvalid {
				t.Fatalf("validation error %T %v, want an INVALID *landscape.Error", verr, verr)
			}
			for _, p := range landscape.Problems(verr) {
				if !namesArgument(p.Field) {
					t.Fatalf("problem %q (%s) does not name an argument of nodes", p.Field, p.Message)
				}
			}
			if len(resp.Errors) == 0 {
				t.Fatalf("the domain refused the query (%v) but the response has no error", verr)
			}
			return
		}
		if len(resp.Errors) > 0 {
			t.Fatalf("accepted query answered with errors %v", resp.Errors)
		}
		// Every condition of the GraphQL filter, as the client sent it (the
		// executor coerces vars in place), is in the domain filter.
		sent, err := decodeVariables(data)
		if err != nil {
			t.Fatal(err)
		}
		want := countConditions(sent["filter"])
		got := countDomain(q.Filter)
		if want != got {
			t.Fatalf("filter %s: %s conditions in GraphQL, %s in the domain filter %s", mustJSON(sent["filter"]), want.String(), got.String(), mustJSON(q.Filter))
		}
		for _, n := range g.Nodes {
			landscape.MatchFilter(n, q.Filter, q.AsOf, g)
			landscape.MatchFilter(n, q.Filter, nil, g)
		}
	})
}

// decodeVariables decodes variables as gqlgen's HTTP transports do: the
// first JSON value, numbers kept as json.Number.
func decodeVariables(data []byte) (map[string]any, error) {
	var vars map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	err := dec.Decode(&vars)
	return vars, err
}

// namesArgument reports whether a problem's field is a place in the
// arguments of the nodes connection.
func namesArgument(field string) bool {
	for _, arg := range []string{"filter", "kinds", "orderBy", "first", "after", "last", "before", "asOf"} {
		if field == arg || strings.HasPrefix(field, arg+".") || strings.HasPrefix(field, arg+"[") {
			return true
		}
	}
	return false
}

// conditions counts the field conditions and the relation conditions of a
// filter.
type conditions struct{ fields, relations int }

func (c conditions) String() string {
	return fmt.Sprintf("%d field and %d relation", c.fields, c.relations)
}

// countConditions counts the conditions of a NodeFilter as the client sent
// it (a JSON value that gqlgen's coercion accepted): every operator that is
// set, and for related one condition for some (or neither) and one for none.
func countConditions(v any) conditions {
	var c conditions
	m, ok := v.(map[string]any)
	if !ok {
		return c
	}
	for _, key := range []string{"and", "or"} {
		for _, g := range asList(m[key]) {
			c = c.add(countConditions(g))
		}
	}
	c = c.add(countConditions(m["not"]))
	for _, key := range []string{"id", "name", "description", "source", "category", "alias", "kind"} {
		ops, _ := m[key].(map[string]any)
		for _, op := range []string{"eq", "in", "contains", "startsWith"} {
			if ops[op] != nil {
				c.fields++
			}
		}
	}
	if r, ok := m["related"].(map[string]any); ok {
		if r["some"] != nil || r["none"] == nil {
			c.relations++
		}
		if r["none"] != nil {
			c.relations++
		}
		c = c.add(countConditions(r["some"]))
		c = c.add(countConditions(r["none"]))
	}
	return c
}

func (c conditions) add(d conditions) conditions {
	return conditions{c.fields + d.fields, c.relations + d.relations}
}

// asList is GraphQL's list coercion: a single value is a list of one.
func asList(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	default:
		return []any{v}
	}
}

func countDomain(f *landscape.Filter) conditions {
	var c conditions
	if f == nil {
		return c
	}
	for _, g := range f.And {
		c = c.add(countDomain(g))
	}
	for _, g := range f.Or {
		c = c.add(countDomain(g))
	}
	c = c.add(countDomain(f.Not))
	if f.Field != "" {
		c.fields++
	}
	if f.Relation != nil {
		c.relations++
		c = c.add(countDomain(f.Relation.Node))
	}
	return c
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
