package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Expand reads the roots and every step of q in one statement: a CALL
// subquery per step that starts from the distinct nodes its parent reached,
// as @neo4j/graphql compiles a nested selection. The answer has the
// semantics of landscape.ExpandWith; which nodes a step started from is
// worked out from the answer the same way.
func (s *Store) Expand(ctx context.Context, q landscape.ExpandQuery) (*landscape.Expansion, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := s.openErr(); err != nil {
		return nil, err
	}
	if len(q.Roots) == 0 {
		x := &landscape.Expansion{Nodes: map[string]*landscape.Node{}, Steps: make([]map[string][]*landscape.Edge, len(q.Steps))}
		for i := range x.Steps {
			x.Steps[i] = map[string][]*landscape.Edge{}
		}
		return x, nil
	}
	cypher, params := expandQuery(&q)
	var found map[string]*landscape.Node
	var levels []map[string][]*landscape.Edge
	_, err := s.read(ctx, "expand", func(tx neo4j.ManagedTransaction, qs *stmt) (any, error) {
		rec, err := qs.single(ctx, tx, cypher, params)
		if err != nil {
			return nil, err
		}
		found = map[string]*landscape.Node{}
		levels = make([]map[string][]*landscape.Edge, len(q.Steps))
		for i := 0; i <= len(q.Steps); i++ {
			list, _ := rec.Values[2*i].([]any)
			for _, v := range list {
				n, err := decodeNode(v)
				if err != nil {
					return nil, err
				}
				found[n.ID] = n
			}
			if i == len(q.Steps) {
				break
			}
			levels[i] = map[string][]*landscape.Edge{}
			if err := decodeRows(rec.Values[2*i+1], levels[i]); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	if err != nil {
		return nil, err
	}
	// The statement answers the edges of the nodes each step started from;
	// which those were follows from the answer, as in ExpandWith.
	x := &landscape.Expansion{Nodes: map[string]*landscape.Node{}, Steps: make([]map[string][]*landscape.Edge, len(q.Steps))}
	for _, id := range q.Roots {
		if n := found[id]; n != nil {
			x.Nodes[id] = n
		}
	}
	starts := make([][]string, len(q.Steps))
	for i := range q.Steps {
		st := &q.Steps[i]
		var parent map[string][]*landscape.Edge
		var parentStarts []string
		if st.Parent >= 0 {
			parent, parentStarts = x.Steps[st.Parent], starts[st.Parent]
		}
		starts[i] = st.Starts(q.Roots, parent, parentStarts, x.Nodes)
		x.Steps[i] = make(map[string][]*landscape.Edge, len(starts[i]))
		for _, id := range starts[i] {
			es := levels[i][id]
			landscape.SortEdges(es)
			x.Steps[i][id] = es
			for _, e := range es {
				o := e.Other(id)
				if n := found[o]; n != nil && x.Nodes[o] == nil {
					x.Nodes[o] = n
				}
			}
		}
	}
	return x, nil
}

// expandQuery is the statement of Expand. It returns the roots as s0, then
// per step i the rows [at, r, from, to] of its edges as e<i+1> and the
// distinct nodes at their other ends as s<i+1>, which its children start
// from.
func expandQuery(q *landscape.ExpandQuery) (string, map[string]any) {
	b := newBuilder()
	asOf := ""
	rootCond := "n.id IN " + b.named("roots", slices.Clone(q.Roots))
	if q.AsOf != nil {
		asOf = b.named("asOf", neo4jDate(*q.AsOf))
		rootCond = and(rootCond, validAt("n", asOf))
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "MATCH (n:%s) %s WHERE %s\nWITH collect(n) AS s0\n", EntityLabel, idHint("n"), rootCond)
	ret := []string{"s0"}
	for i, st := range q.Steps {
		from := fmt.Sprintf("s%d", st.Parent+1)
		pattern := adjacencyPattern(st.Direction, st.Kinds)
		cond := endsVisible("m")
		if asOf != "" {
			cond = and(validAt("r", asOf), validAt("m", asOf), cond)
		}
		kinds := ""
		if len(st.FromKinds) > 0 {
			kinds = " WHERE " + labelsExpr("n", st.FromKinds)
		}
		fmt.Fprintf(&sb, `CALL (%[1]s) {
  UNWIND %[1]s AS n
  WITH DISTINCT n%[2]s
  MATCH %[3]s WHERE %[4]s
  RETURN collect([n.id, r, startNode(r).id, endNode(r).id]) AS e%[5]d, collect(DISTINCT m) AS s%[5]d
}
`, from, kinds, pattern, cond, i+1)
		ret = append(ret, fmt.Sprintf("e%d", i+1), fmt.Sprintf("s%d", i+1))
	}
	sb.WriteString("RETURN " + strings.Join(ret, ", "))
	return sb.String(), b.params
}
