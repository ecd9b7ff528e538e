package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Nodes returns the nodes with the given ids that exist (and are valid on
// asOf): one index seek per id, the answer one record with a list.
func (s *Store) Nodes(ctx context.Context, ids []string, asOf *landscape.Date) (map[string]*landscape.Node, error) {
	out := map[string]*landscape.Node{}
	if len(ids) == 0 {
		return out, s.openErr()
	}
	cypher, params := nodesQuery(ids, asOf)
	_, err := s.read(ctx, "read nodes", func(tx runner, q *stmt) (any, error) {
		clear(out)
		rec, err := q.single(ctx, tx, cypher, params)
		if err != nil {
			return nil, err
		}
		return nil, decodeNodes(rec.Values[0], out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func nodesQuery(ids []string, asOf *landscape.Date) (string, map[string]any) {
	b := newBuilder()
	cond := "n.id IN " + b.named("ids", slices.Clone(ids))
	if asOf != nil {
		cond = and(cond, validAt("n", b.named("asOf", neo4jDate(*asOf))))
	}
	return fmt.Sprintf("MATCH (n:%s) %s WHERE %s RETURN collect(n) AS nodes", EntityLabel, idHint("n"), cond), b.params
}

// openErr is the error of a call that needs no round trip.
func (s *Store) openErr() error {
	if s.closed.Load() {
		return errClosed()
	}
	return nil
}

// QueryNodes returns a filtered, sorted page of nodes in one Cypher
// statement: the filter, the as-of date, the kinds and the cursor become its
// WHERE conditions, the order its ORDER BY, and the page is cut with LIMIT.
// The page, hasNextPage and hasPreviousPage are those of landscape.PageNodes.
func (s *Store) QueryNodes(ctx context.Context, q landscape.NodeQuery) (*landscape.NodePage, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	if err := s.openErr(); err != nil {
		return nil, err
	}
	nq, err := buildNodeQuery(&q)
	if err != nil {
		return nil, err
	}
	page := &landscape.NodePage{}
	_, err = s.read(ctx, "query nodes", func(tx runner, qs *stmt) (any, error) {
		rec, err := qs.single(ctx, tx, nq.cypher, nq.params)
		if err != nil {
			return nil, err
		}
		total, _ := rec.Values[0].(int64)
		from, _ := rec.Values[1].(int64)
		to, _ := rec.Values[2].(int64)
		list, _ := rec.Values[3].([]any)
		nodes := make([]*landscape.Node, 0, len(list))
		for _, v := range list {
			nd, err := decodeNode(v)
			if err != nil {
				return nil, err
			}
			nodes = append(nodes, nd)
		}
		*page = landscape.NodePage{Nodes: nodes, TotalCount: int(total), HasNextPage: to < total, HasPreviousPage: from > 0}
		return nil, nil
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

// nodeQuery is the Cypher statement of a QueryNodes call.
type nodeQuery struct {
	cypher string
	params map[string]any
}

// buildNodeQuery translates a normalised query: the kinds, the as-of date
// and the filter become WHERE conditions, the order the ORDER BY; the
// statement returns the total count, the positions from and to of the page
// in the sorted matches (as in landscape.PageNodes) and the page.
func buildNodeQuery(q *landscape.NodeQuery) (*nodeQuery, error) {
	b := newBuilder()
	asOf := ""
	var conds []string
	if len(q.Kinds) > 0 {
		conds = append(conds, labelsExpr("n", q.Kinds))
	}
	if q.AsOf != nil {
		asOf = b.named("asOf", neo4jDate(*q.AsOf))
		conds = append(conds, validAt("n", asOf))
	}
	pre, cond := b.filter(q.Filter, "n", asOf)
	conds = append(conds, cond)
	base := and(conds...)

	n, backward := q.Page.Limit()
	// The matches are sorted by the ORDER BY (which compares stored values
	// byte-wise, like landscape.CompareNodes) and cut at positions lo and hi
	// as landscape.PageNodes does: lo follows the after cursor, hi is at the
	// before cursor. The cursor's position is found without comparing its
	// values with <: the comparison operators of Cypher order some strings
	// by UTF-16 code units rather than by code points (they differ when a
	// character above U+FFFF meets one of U+E000..U+FFFF). Instead, the node
	// the cursor was made from joins the sort when it still has the cursor's
	// sort values, and its place in the sorted stream is the number of
	// matches before the cursor. Only when that node is gone or changed are
	// the matches before the cursor counted with <. Total, page and cut come
	// from one stream of matches, so they agree even while other
	// transactions commit.
	order := orderBy(b.sortKeys(q.Order, "n"), false)
	var cypher string
	size := b.named("size", int64(n))
	cut := fmt.Sprintf("WITH matches, total, lo AS pageFrom, CASE WHEN lo + %[1]s < hi THEN lo + %[1]s ELSE hi END AS pageTo\n", size)
	if backward {
		cut = fmt.Sprintf("WITH matches, total, CASE WHEN hi - %[1]s > lo THEN hi - %[1]s ELSE lo END AS pageFrom, hi AS pageTo\n", size)
	}
	field, cursor := "after", q.Page.After
	if q.Page.Before != "" {
		field, cursor = "before", q.Page.Before
	}
	if cursor == "" && !backward {
		// The first page: every match counts, but only the page is sorted
		// out of them (ORDER BY with LIMIT keeps the first n in one pass
		// instead of sorting every match).
		cypher = fmt.Sprintf(`%sMATCH (n:%s)%s
WITH collect(n) AS matches
CALL (matches) {
  UNWIND matches AS n
  WITH n ORDER BY %s LIMIT %s
  RETURN collect(n) AS page
}
RETURN size(matches) AS total, 0 AS pageFrom, size(page) AS pageTo, page AS nodes`, pre.clause, EntityLabel, where(base), order, size)
	} else if cursor == "" {
		cypher = fmt.Sprintf(`%sMATCH (n:%s)%s
WITH n ORDER BY %s
WITH collect(n) AS matches
WITH matches, size(matches) AS total, 0 AS lo, size(matches) AS hi
%sRETURN total, pageFrom, pageTo, matches[pageFrom..pageTo] AS nodes`, pre.clause, EntityLabel, where(base), order, cut)
	} else {
		p, err := b.position(field, cursor, q.Order)
		if err != nil {
			return nil, err
		}
		id := p[len(p)-1]
		pos, count, bounds := "at + CASE WHEN flags[at] THEN 1 ELSE 0 END", before(b.sortKeys(q.Order, "x"), p, true), "pos AS lo, total AS hi"
		if field == "before" {
			pos, count, bounds = "at", before(b.sortKeys(q.Order, "x"), p, false), "0 AS lo, pos AS hi"
		}
		cypher = fmt.Sprintf(`%[11]sCALL (%[12]s) {
  MATCH (n:%[1]s)%[2]s RETURN n, true AS isMatch
  UNION ALL
  MATCH (n:%[1]s) WHERE n.id = %[3]s AND NOT (%[4]s) RETURN n, false AS isMatch
}
WITH n, isMatch ORDER BY %[5]s
WITH collect(CASE WHEN isMatch THEN n END) AS matches, collect(n) AS stream, collect(n.id) AS ids, collect(isMatch) AS flags
WITH matches, size(matches) AS total, stream, flags, [i IN range(0, size(ids) - 1) WHERE ids[i] = %[3]s][0] AS at
WITH matches, total, flags, at, stream[at] AS c
WITH matches, total, CASE WHEN c IS NOT NULL AND %[6]s THEN %[7]s ELSE size([x IN matches WHERE %[8]s]) END AS pos
WITH matches, total, %[9]s
%[10]sRETURN total, pageFrom, pageTo, matches[pageFrom..pageTo] AS nodes`,
			EntityLabel, where(base), id, base, order, equal(b.sortKeys(q.Order, "c"), p), pos, count, bounds, cut, pre.clause, pre.list)
	}
	return &nodeQuery{cypher: cypher, params: b.params}, nil
}

// endsVisible is the condition that the nodes a and b (reached over a
// relationship) can be found by their id. When Neo4j applies a commit it
// writes the records before it updates the indexes, so for a moment a reader
// can follow a new relationship to a node that a lookup by id does not find
// yet. Edges are returned only when a later Nodes call will find their
// ends: a changeset becomes visible as a whole to readers that go from
// edges to nodes.
func endsVisible(ends ...string) string {
	var conds []string
	for _, v := range ends {
		conds = append(conds, fmt.Sprintf("EXISTS { MATCH (visible:%s {id: %s.id}) }", EntityLabel, v))
	}
	return and(conds...)
}

// idHint makes the planner find node v by its id index: the plans it
// otherwise picks for "v.id IN $list" vary with the statistics and the
// cached plans, and may scan the index instead of seeking in it.
func idHint(v string) string {
	return fmt.Sprintf("USING INDEX %s:%s(id)", v, EntityLabel)
}

// where is " WHERE c", or nothing when c is "true".
func where(c string) string {
	if c == "true" || c == "" {
		return ""
	}
	return " WHERE " + c
}

// edgeBranch builds the MATCH of one relationship type of an edge query:
// (a)-[r:T]->(b), with the label Entity on the ends that conditions name, so
// that their id index can anchor the match.
func edgeMatch(k landscape.EdgeKind, fromLabel, toLabel bool) string {
	a, z := "a", "b"
	if fromLabel {
		a += ":" + EntityLabel
	}
	if toLabel {
		z += ":" + EntityLabel
	}
	return fmt.Sprintf("MATCH (%s)-[r:%s]->(%s)", a, edgeType(k), z)
}

// edgeValidAt is the as-of condition on an edge r from a to b: the edge and
// both ends valid.
func edgeValidAt(asOf string) string {
	return and(validAt("r", asOf), validAt("a", asOf), validAt("b", asOf))
}

// union joins one statement per edge kind with UNION ALL. Relationship
// indexes belong to one type, so a query over several types is a union of
// per-type index seeks rather than a scan of every relationship.
func union(kinds []landscape.EdgeKind, branch func(landscape.EdgeKind) string) string {
	if len(kinds) == 0 {
		kinds = landscape.EdgeKinds
	}
	var parts []string
	seen := map[landscape.EdgeKind]bool{}
	for _, k := range kinds {
		if !seen[k] {
			seen[k] = true
			parts = append(parts, branch(k))
		}
	}
	return strings.Join(parts, "\n  UNION ALL\n  ")
}

// Edges returns the edges with the given ids that exist (and are valid, with
// both ends, on asOf): one relationship index seek per id and type. For many
// ids (an import's check of what it would change), the count store first
// names the types that hold relationships at all, and only their indexes are
// searched.
func (s *Store) Edges(ctx context.Context, ids []string, asOf *landscape.Date) (map[string]*landscape.Edge, error) {
	out := map[string]*landscape.Edge{}
	if len(ids) == 0 {
		return out, s.openErr()
	}
	_, err := s.read(ctx, "read edges", func(tx runner, q *stmt) (any, error) {
		clear(out)
		var kinds []landscape.EdgeKind
		if len(ids) > manyEdgeIDs {
			var err error
			if kinds, err = populatedKinds(ctx, tx, q); err != nil || len(kinds) == 0 {
				return nil, err
			}
		}
		cypher, params := edgesQuery(ids, kinds, asOf)
		recs, err := q.collect(ctx, tx, cypher, params)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			e, err := decodeEdge(r.Values[0], r.Values[1], r.Values[2])
			if err != nil {
				return nil, err
			}
			out[e.ID] = e
		}
		return nil, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// manyEdgeIDs is the number of ids above which Edges asks the count store
// which relationship types to search.
const manyEdgeIDs = 200

// edgesQuery is the statement of Edges: per relationship type of kinds
// (empty: every type) a seek in its id index.
func edgesQuery(ids []string, kinds []landscape.EdgeKind, asOf *landscape.Date) (string, map[string]any) {
	b := newBuilder()
	cond := "r.id IN " + b.named("ids", slices.Clone(ids))
	if asOf != nil {
		cond = and(cond, edgeValidAt(b.named("asOf", neo4jDate(*asOf))))
	}
	cypher := union(kinds, func(k landscape.EdgeKind) string {
		return edgeMatch(k, false, false) + " WHERE " + cond + " RETURN r, a, b"
	})
	cypher = "CALL () {\n  " + cypher + "\n}\nWITH r, a, b WHERE " + endsVisible("a", "b") + "\nRETURN r, a.id AS from, b.id AS to"
	return cypher, b.params
}

// QueryEdges returns a page of edges sorted by id, with the page semantics
// of landscape.PageEdges, in one statement: the relationships of the kinds
// (from the id index of the named ends, if any), sorted by id and cut.
func (s *Store) QueryEdges(ctx context.Context, q landscape.EdgeQuery) (*landscape.EdgePage, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := s.openErr(); err != nil {
		return nil, err
	}
	cypher, params, err := buildEdgeQuery(&q)
	if err != nil {
		return nil, err
	}
	page := &landscape.EdgePage{}
	_, err = s.read(ctx, "query edges", func(tx runner, qs *stmt) (any, error) {
		rec, err := qs.single(ctx, tx, cypher, params)
		if err != nil {
			return nil, err
		}
		total, _ := rec.Values[0].(int64)
		from, _ := rec.Values[1].(int64)
		to, _ := rec.Values[2].(int64)
		list, _ := rec.Values[3].([]any)
		edges := make([]*landscape.Edge, 0, len(list))
		for _, v := range list {
			t, _ := v.([]any)
			if len(t) != 3 {
				return nil, fmt.Errorf("query edges: unexpected row %v", v)
			}
			e, err := decodeEdge(t[0], t[1], t[2])
			if err != nil {
				return nil, err
			}
			edges = append(edges, e)
		}
		*page = landscape.EdgePage{Edges: edges, TotalCount: int(total), HasNextPage: to < total, HasPreviousPage: from > 0}
		return nil, nil
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

// buildEdgeQuery translates a validated edge query like buildNodeQuery.
func buildEdgeQuery(q *landscape.EdgeQuery) (cypher string, params map[string]any, err error) {
	b := newBuilder()
	var conds []string
	if len(q.From) > 0 {
		conds = append(conds, "a.id IN "+b.named("from", slices.Clone(q.From)))
	}
	if len(q.To) > 0 {
		conds = append(conds, "b.id IN "+b.named("to", slices.Clone(q.To)))
	}
	if len(q.Roles) > 0 {
		conds = append(conds, "coalesce(r.role, '') IN "+b.named("roles", slices.Clone(q.Roles)))
	}
	if q.AsOf != nil {
		conds = append(conds, edgeValidAt(b.named("asOf", neo4jDate(*q.AsOf))))
	}
	base := and(conds...)
	n, backward := q.Page.Limit()
	// lo and hi as in landscape.PageEdges. Edge ids are ASCII
	// (landscape.ValidID), so < compares them byte-wise.
	bounds := "0 AS lo, size(ids) AS hi"
	switch {
	case q.Page.After != "":
		id, err := landscape.ParseEdgeCursor("after", q.Page.After)
		if err != nil {
			return "", nil, err
		}
		bounds = fmt.Sprintf("size([i IN ids WHERE i <= %s]) AS lo, size(ids) AS hi", b.named("cursor", id))
	case q.Page.Before != "":
		id, err := landscape.ParseEdgeCursor("before", q.Page.Before)
		if err != nil {
			return "", nil, err
		}
		bounds = fmt.Sprintf("0 AS lo, size([i IN ids WHERE i < %s]) AS hi", b.named("cursor", id))
	}
	size := b.named("size", int64(n))
	cut := fmt.Sprintf("lo AS pageFrom, CASE WHEN lo + %[1]s < hi THEN lo + %[1]s ELSE hi END AS pageTo", size)
	if backward {
		cut = fmt.Sprintf("CASE WHEN hi - %[1]s > lo THEN hi - %[1]s ELSE lo END AS pageFrom, hi AS pageTo", size)
	}
	// Named ends are found by their id index; without them the
	// relationships are read by type (the WITH keeps the planner from
	// starting at a scan of all nodes to test the ends' validity).
	var match string
	switch {
	case len(q.From) > 0 || len(q.To) > 0:
		a, z := "a", "b"
		if len(q.From) > 0 {
			a += ":" + EntityLabel
		}
		if len(q.To) > 0 {
			z += ":" + EntityLabel
		}
		hint := idHint("a")
		if len(q.From) == 0 {
			hint = idHint("b")
		}
		match = fmt.Sprintf("MATCH (%s)-[r:%s]->(%s) %s", a, typesExpr(q.Kinds), z, hint)
	default:
		match = fmt.Sprintf("MATCH ()-[r:%s]->()\nWITH r, startNode(r) AS a, endNode(r) AS b", typesExpr(q.Kinds))
	}
	// One stream of matches, as in buildNodeQuery. Only the edges of the
	// page are checked for ends visible by id (see endsVisible): checking
	// every match would cost two index seeks per edge of the graph.
	cypher = fmt.Sprintf(`%s%s
WITH r ORDER BY r.id
WITH collect(r) AS matches, collect(r.id) AS ids
WITH matches, size(ids) AS total, %s
WITH matches, total, %s
RETURN total, pageFrom, pageTo, [x IN matches[pageFrom..pageTo] WHERE %s | [x, startNode(x).id, endNode(x).id]] AS edges`,
		match, where(base), bounds, cut, endsVisible("startNode(x)", "endNode(x)"))
	return cypher, b.params, nil
}

// Adjacent returns the edges at each node in one statement: the nodes by
// their id index, then their relationships of the kinds in the direction.
func (s *Store) Adjacent(ctx context.Context, q landscape.AdjacencyQuery) (map[string][]*landscape.Edge, error) {
	adj, err := s.adjacency(ctx, q, false)
	if err != nil {
		return nil, err
	}
	return adj.Edges, nil
}

// Neighbours is Adjacent returning the other ends too, in the same
// statement.
func (s *Store) Neighbours(ctx context.Context, q landscape.AdjacencyQuery) (*landscape.Adjacency, error) {
	return s.adjacency(ctx, q, true)
}

// adjacency answers Adjacent, and Neighbours when withEnds.
func (s *Store) adjacency(ctx context.Context, q landscape.AdjacencyQuery, withEnds bool) (*landscape.Adjacency, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	adj := &landscape.Adjacency{Edges: map[string][]*landscape.Edge{}}
	if withEnds {
		adj.Nodes = map[string]*landscape.Node{}
	}
	if len(q.NodeIDs) == 0 {
		return adj, s.openErr()
	}
	cypher, params := adjacentQuery(&q, withEnds)
	_, err := s.read(ctx, "read adjacent edges", func(tx runner, qs *stmt) (any, error) {
		clear(adj.Edges)
		clear(adj.Nodes)
		rec, err := qs.single(ctx, tx, cypher, params)
		if err != nil {
			return nil, err
		}
		if err := decodeRows(rec.Values[0], adj.Edges); err != nil {
			return nil, err
		}
		for _, es := range adj.Edges {
			landscape.SortEdges(es)
		}
		if withEnds {
			return nil, decodeNodes(rec.Values[1], adj.Nodes)
		}
		return nil, nil
	})
	if err != nil {
		return nil, err
	}
	return adj, nil
}

// adjacentQuery is the statement of Adjacent: the nodes by their id index,
// then their relationships of the kinds in the direction, as one list of
// rows [at, r, from, to] (sorted by the caller); with the distinct other
// ends as a second list when withEnds.
func adjacentQuery(q *landscape.AdjacencyQuery, withEnds bool) (string, map[string]any) {
	b := newBuilder()
	pattern := adjacencyPattern(q.Direction, q.Kinds)
	cond := endsVisible("m")
	within := ""
	if len(q.Within) > 0 {
		// The other ends are found by their id index too (so they are
		// visible) and joined by hash with the relationships: testing
		// "m.id IN $within" on every relationship costs a list scan each.
		within = fmt.Sprintf("MATCH (m:%s) %s WHERE m.id IN %s\n", EntityLabel, idHint("m"), b.named("within", slices.Clone(q.Within)))
		pattern += " USING JOIN ON m"
		cond = ""
	}
	if q.AsOf != nil {
		asOf := b.named("asOf", neo4jDate(*q.AsOf))
		cond = and(validAt("n", asOf), validAt("r", asOf), validAt("m", asOf), cond)
	}
	ends := ""
	if withEnds {
		ends = ", collect(DISTINCT m) AS ends"
	}
	// One record with a list: the driver and Bolt cost more per record
	// than per list element (an answer of 6,000 edges takes half the time).
	cypher := fmt.Sprintf(`MATCH (n:%s) `+idHint("n")+` WHERE n.id IN %s
%sMATCH %s%s
RETURN collect([n.id, r, startNode(r).id, endNode(r).id]) AS rows%s`, EntityLabel, b.named("ids", slices.Clone(q.NodeIDs)), within, pattern, where(cond), ends)
	return cypher, b.params
}

// adjacencyPattern is the pattern of the relationships r of the kinds at
// node n in the direction, to the other end m.
func adjacencyPattern(dir landscape.Direction, kinds []landscape.EdgeKind) string {
	pattern := "(n)-[r:%s]-(m)"
	switch dir {
	case landscape.DirOut:
		pattern = "(n)-[r:%s]->(m)"
	case landscape.DirIn:
		pattern = "(n)<-[r:%s]-(m)"
	}
	return fmt.Sprintf(pattern, typesExpr(kinds))
}

// decodeRows adds the edges of a list of rows [at, r, from, to] to adj,
// under at.
func decodeRows(v any, adj map[string][]*landscape.Edge) error {
	rows, _ := v.([]any)
	for _, row := range rows {
		t, _ := row.([]any)
		if len(t) != 4 {
			return fmt.Errorf("unexpected row %v", row)
		}
		at, _ := t[0].(string)
		e, err := decodeEdge(t[1], t[2], t[3])
		if err != nil {
			return err
		}
		adj[at] = append(adj[at], e)
	}
	return nil
}
