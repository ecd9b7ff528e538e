package neo4jstore

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// cypher runs a statement directly (auto-commit) and returns its records
// as maps.
func (s *Store) cypherRows(t testing.TB, query string, params map[string]any) []map[string]any {
	t.Helper()
	ctx := testCtx(t)
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.cfg.Database})
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, query, params)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	out := make([]map[string]any, len(recs))
	for i, r := range recs {
		out[i] = r.AsMap()
	}
	return out
}

// one returns the single value of the single record of query.
func (s *Store) one(t testing.TB, query string, params map[string]any) any {
	t.Helper()
	rows := s.cypherRows(t, query, params)
	if len(rows) != 1 || len(rows[0]) != 1 {
		t.Fatalf("%s: want one record with one value, got %v", query, rows)
	}
	for _, v := range rows[0] {
		return v
	}
	return nil
}

func mustApply(t testing.TB, s landscape.Store, cs *landscape.Changeset) *landscape.Result {
	t.Helper()
	res, err := s.Apply(testCtx(t), cs)
	if err != nil {
		t.Fatalf("Apply: %v (%s)", err, landscape.ErrorCode(err))
	}
	return res
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

func intp(i int) *int { return &i }

func strs(v any) []string {
	l, _ := v.([]any)
	out := make([]string, len(l))
	for i, x := range l {
		out[i], _ = x.(string)
	}
	slices.Sort(out)
	return out
}

func nodeIDList(ns []*landscape.Node) []string {
	ids := make([]string, len(ns))
	for i, n := range ns {
		ids[i] = n.ID
	}
	return ids
}
