package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Expand reads the roots and every step of q in one statement: a CALL
// subquery per step that starts from the distinct nodes its parent reached,
// as @neo4j/graphql compiles a nested selection. landscape.ExpandWith then
// assembles the answer from what the statement read, so that which nodes a
// step started from is worked out as for every store.
func (s *Store) Expand(ctx context.Context, q landscape.ExpandQuery) (*landscape.Expansion, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := s.openErr(); err != nil {
		return nil, err
	}
	found := map[string]*landscape.Node{}
	var levels []map[string][]*landscape.Edge
	if len(q.Roots) > 0 {
		cypher, params := expandQuery(&q)
		_, err := s.read(ctx, "expand", func(tx runner, qs *stmt) (any, error) {
			rec, err := qs.single(ctx, tx, cypher, params)
			if err != nil {
				return nil, err
			}
			clear(found)
			levels = make([]map[string][]*landscape.Edge, len(q.Steps))
			for i := 0; i <= len(q.Steps); i++ {
				if err := decodeNodes(rec.Values[2*i], found); err != nil {
					return nil, err
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
	}
	// The roots the statement found (s0 holds only those), and per step the
	// edges of the nodes it started from with the nodes at their other ends.
	// A brief statement read them brief already.
	q.Brief = false
	return landscape.ExpandWith(q,
		func(ids []string) (map[string]*landscape.Node, error) {
			out := map[string]*landscape.Node{}
			for _, id := range ids {
				if n := found[id]; n != nil {
					out[id] = n
				}
			}
			return out, nil
		},
		func(step int, a landscape.AdjacencyQuery) (*landscape.Adjacency, error) {
			adj := &landscape.Adjacency{Edges: map[string][]*landscape.Edge{}, Nodes: map[string]*landscape.Node{}}
			for _, id := range a.NodeIDs {
				es := levels[step][id]
				landscape.SortEdges(es)
				adj.Edges[id] = es
				for _, e := range es {
					if o := e.Other(id); found[o] != nil {
						adj.Nodes[o] = found[o]
					}
				}
			}
			return adj, nil
		})
}

// expandQuery is the statement of Expand. It returns the roots as s0, then
// per step i the rows [at, r, from, to] of its edges as e<i+1> and the
// distinct nodes at their other ends as s<i+1>, which its children start
// from (none for an Among step: its other ends are in an earlier set).
func expandQuery(q *landscape.ExpandQuery) (string, map[string]any) {
	b := newBuilder()
	asOf := ""
	rootCond := "n.id IN " + b.named("roots", slices.Clone(q.Roots))
	if q.AsOf != nil {
		asOf = b.named("asOf", neo4jDate(*q.AsOf))
		rootCond = and(rootCond, validAt("n", asOf))
	}
	// A brief expansion returns maps of the properties it keeps
	// (landscape.Node.Brief, Edge.Brief), which decodeNode and decodeEdge
	// read, instead of whole nodes and relationships.
	rel, nodes := "r", func(set string) string { return set }
	if q.Brief {
		rel = "r {.id, type: type(r)}"
		nodes = func(set string) string {
			return fmt.Sprintf("[x IN %[1]s | x {.id, .name, labels: labels(x)}] AS %[1]s", set)
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "MATCH (n:%s) %s WHERE %s\nWITH collect(n) AS s0\n", EntityLabel, idHint("n"), rootCond)
	ret := []string{nodes("s0")}
	for i, st := range q.Steps {
		from := fmt.Sprintf("s%d", st.Parent+1)
		pattern := adjacencyPattern(st.Direction, st.Kinds)
		cond := endsVisible("m")
		if asOf != "" {
			cond = and(validAt("r", asOf), validAt("m", asOf), cond)
		}
		if st.Among {
			// The other end among the nodes the step starts from, which
			// are visible and valid (an earlier set holds them): the
			// answer returns no nodes for this step.
			start := from
			if len(st.FromKinds) > 0 {
				start = fmt.Sprintf("[n IN %s WHERE %s]", from, labelsExpr("n", st.FromKinds))
			}
			cond = "elementId(m) IN ids"
			if asOf != "" {
				cond = and(validAt("r", asOf), cond)
			}
			fmt.Fprintf(&sb, `CALL (%[1]s) {
  WITH %[2]s AS start
  WITH start, [x IN start | elementId(x)] AS ids
  UNWIND start AS n
  MATCH %[3]s WHERE %[4]s
  RETURN collect([n.id, %[6]s, startNode(r).id, endNode(r).id]) AS e%[5]d, collect(DISTINCT m) AS s%[5]d
}
`, from, start, pattern, cond, i+1, rel)
			ret = append(ret, fmt.Sprintf("e%d", i+1), fmt.Sprintf("[] AS none%d", i+1))
			continue
		}
		kinds := ""
		if len(st.FromKinds) > 0 {
			kinds = " WHERE " + labelsExpr("n", st.FromKinds)
		}
		fmt.Fprintf(&sb, `CALL (%[1]s) {
  UNWIND %[1]s AS n
  WITH DISTINCT n%[2]s
  MATCH %[3]s WHERE %[4]s
  RETURN collect([n.id, %[6]s, startNode(r).id, endNode(r).id]) AS e%[5]d, collect(DISTINCT m) AS s%[5]d
}
`, from, kinds, pattern, cond, i+1, rel)
		ret = append(ret, fmt.Sprintf("e%d", i+1), nodes(fmt.Sprintf("s%d", i+1)))
	}
	sb.WriteString("RETURN " + strings.Join(ret, ", "))
	return sb.String(), b.params
}
