package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// maxConflictRetries is how often Apply resolves a changeset again after a
// concurrent transaction created one of its ids.
const maxConflictRetries = 3

// Apply writes cs all or nothing with the semantics of landscape.Resolve, in
// one write transaction: it locks and loads the nodes and edges cs refers
// to, resolves cs against them and writes the result in batches of UNWIND
// statements grouped by label and relationship type. Resolve's errors are
// returned as they are, and then nothing is written. After a bulk write
// (replanAfter nodes and edges or more), Apply returns once Neo4j has
// resampled its indexes and dropped its cached plans (replan).
func (s *Store) Apply(ctx context.Context, cs *landscape.Changeset) (*landscape.Result, error) {
	if cs == nil || len(cs.Nodes)+len(cs.Edges) == 0 {
		return &landscape.Result{}, s.openErr()
	}
	nodeIDs, edgeIDs := cs.Refs()
	timeout := max(s.cfg.ApplyTimeout, 0)
	for attempt := 0; ; attempt++ {
		v, err := s.writeTx(ctx, "apply changes", timeout, func(tx neo4j.ManagedTransaction, q *stmt) (any, error) {
			st, err := s.loadState(ctx, tx, q, nodeIDs, edgeIDs)
			if err != nil {
				return nil, err
			}
			// Resolve may keep pointers into st in its result; st is fresh
			// for each attempt of this function, so retries stay independent.
			now := s.clock().UTC()
			res, err := landscape.Resolve(cs, st, now)
			if err != nil {
				return nil, err
			}
			if err := s.write(ctx, tx, q, cs, st, res); err != nil {
				return nil, err
			}
			if err := s.writeAudit(ctx, tx, q, landscape.NewAuditEntry(cs, st, res, now)); err != nil {
				return nil, err
			}
			s.log.Debug("applied a changeset", "result", describeResult(res))
			return res, nil
		})
		if err != nil {
			if concurrentConflict(err) && attempt < maxConflictRetries && ctx.Err() == nil {
				s.log.Info("a concurrent write changed the ids of a changeset; resolving it again", "attempt", attempt+1)
				continue
			}
			return nil, err
		}
		res := v.(*landscape.Result)
		if bulk(res) {
			s.replan(ctx)
		}
		return res, nil
	}
}

// replanAfter is the number of nodes and edges a changeset must write (or
// delete) for Apply to make Neo4j plan again on fresh statistics.
const replanAfter = 1000

// bulk reports whether res writes enough to change the statistics the
// planner chooses by: an import, not an edit.
func bulk(res *landscape.Result) bool {
	return len(res.Nodes)+len(res.Edges)+len(res.DeletedNodes)+len(res.DeletedEdges) >= replanAfter
}

// replan makes Neo4j plan every statement again on the current data, after
// a bulk write: it resamples the indexes the write made outdated, waits for
// that, and clears the query caches (db.prepareForReplanning).
//
// Without it, plans cached right after a large import keep the statistics
// of the smaller database they were made on until Neo4j happens to replan
// them: an id lookup becomes a scan of the whole index, and a page that
// takes 8 ms takes 30 to 150 ms (measured at benchmark scale 1 after fresh
// imports; BENCHMARKS.md, item 19).
//
// The write is committed by then, so a failure is logged, not returned: a
// user without the admin role may not call the procedure, and then Neo4j
// replans on its own, later.
func (s *Store) replan(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), replanTimeout)
	defer cancel()
	start := time.Now()
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.cfg.Database})
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, s.replanCypher, map[string]any{"seconds": int64(replanTimeout / time.Second)})
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		s.log.Warn("after a bulk write, Neo4j could not be made to plan on fresh statistics; "+
			"it will replan on its own later, or an administrator can run CALL db.prepareForReplanning()", "err", err)
		return
	}
	s.log.Info("resampled indexes and cleared query caches after a bulk write", "took", time.Since(start).Round(time.Millisecond))
}

// replanCypher resamples the outdated indexes, waits for that at most
// $seconds, and clears the query caches.
const replanCypher = "CALL db.prepareForReplanning($seconds)"

// replanTimeout bounds replan.
const replanTimeout = 2 * time.Minute

// concurrentConflict reports whether err is the store's EConflict for a
// concurrent write (not one of Resolve's, which carry no cause).
func concurrentConflict(err error) bool {
	e := landscape.AsError(err)
	if e == nil || e.Code != landscape.EConflict || e.Err == nil {
		return false
	}
	var conc *errConcurrent
	return hasCode(e.Err, codeConstraint, codeEntityNotFound) || errors.As(e.Err, &conc)
}

// errConcurrent reports that a write found the graph other than the state
// it resolved against: a concurrent transaction won.
type errConcurrent struct{ what string }

func (e *errConcurrent) Error() string { return "concurrent change: " + e.what }

// chunks calls fn with consecutive parts of at most size elements of l.
func chunks[T any](l []T, size int, fn func([]T) error) error {
	for len(l) > 0 {
		n := min(size, len(l))
		if err := fn(l[:n]); err != nil {
			return err
		}
		l = l[n:]
	}
	return nil
}

// loadState reads what Resolve needs: the nodes and edges with the ids of
// cs.Refs and the kinds of the edges' ends. It write-locks them first (a
// no-op SET), so that no other transaction changes them between this read
// and the commit.
func (s *Store) loadState(ctx context.Context, tx neo4j.ManagedTransaction, q *stmt, nodeIDs, edgeIDs []string) (landscape.State, error) {
	st := landscape.State{
		Nodes: make(map[string]*landscape.Node, len(nodeIDs)),
		Edges: make(map[string]*landscape.Edge, len(edgeIDs)),
		Kinds: map[string]landscape.NodeKind{},
	}
	// Sorted ids take the locks in one order, which avoids deadlocks
	// between concurrent Apply calls (the driver retries the rest).
	nodeIDs, edgeIDs = sorted(nodeIDs), sorted(edgeIDs)
	nodeQ := fmt.Sprintf("MATCH (n:%s) %s WHERE n.id IN $ids WITH n ORDER BY n.id SET n.id = n.id RETURN n", EntityLabel, idHint("n"))
	err := chunks(nodeIDs, s.cfg.BatchSize, func(ids []string) error {
		recs, err := q.collect(ctx, tx, nodeQ, map[string]any{"ids": ids})
		if err != nil {
			return err
		}
		for _, r := range recs {
			n, err := decodeNode(r.Values[0])
			if err != nil {
				return err
			}
			st.Nodes[n.ID] = n
		}
		return nil
	})
	if err != nil {
		return st, err
	}
	if len(edgeIDs) == 0 {
		return st, nil
	}
	// An id is looked up in the index of every relationship type, since a
	// changeset may give a stored id another kind — but only of the types
	// that hold relationships at all (the count store answers that at no
	// cost), which spares an import into an empty graph all its seeks.
	kinds, err := populatedKinds(ctx, tx, q)
	if err != nil || len(kinds) == 0 {
		return st, err
	}
	edgeQ := "CALL () {\n  " + union(kinds, func(k landscape.EdgeKind) string {
		return edgeMatch(k, false, false) + " WHERE r.id IN $ids RETURN r, a, b"
	}) + "\n}\nWITH r, a, b ORDER BY r.id SET r.id = r.id RETURN r, a.id, b.id, labels(a), labels(b)"
	err = chunks(edgeIDs, s.cfg.BatchSize, func(ids []string) error {
		recs, err := q.collect(ctx, tx, edgeQ, map[string]any{"ids": ids})
		if err != nil {
			return err
		}
		for _, r := range recs {
			e, err := decodeEdge(r.Values[0], r.Values[1], r.Values[2])
			if err != nil {
				return err
			}
			if _, dup := st.Edges[e.ID]; dup {
				return fmt.Errorf("the graph holds two relationships with id %q", e.ID)
			}
			st.Edges[e.ID] = e
			for i, end := range []string{e.From, e.To} {
				labels, _ := r.Values[3+i].([]any)
				ls := make([]string, 0, len(labels))
				for _, l := range labels {
					if s, ok := l.(string); ok {
						ls = append(ls, s)
					}
				}
				if k, ok := kindOfLabels(ls); ok {
					st.Kinds[end] = k
				}
			}
		}
		return nil
	})
	return st, err
}

// populatedKinds returns the edge kinds of which the graph (as this
// transaction sees it) holds relationships, from Neo4j's count store.
func populatedKinds(ctx context.Context, tx runner, q *stmt) ([]landscape.EdgeKind, error) {
	rec, err := q.single(ctx, tx, populatedKindsQuery(), nil)
	if err != nil {
		return nil, err
	}
	var kinds []landscape.EdgeKind
	for i, k := range landscape.EdgeKinds {
		if n, _ := rec.Values[i].(int64); n > 0 {
			kinds = append(kinds, k)
		}
	}
	return kinds, nil
}

// populatedKindsQuery counts the relationships of each type, in the order
// of landscape.EdgeKinds (COUNT subqueries, which the count store answers).
func populatedKindsQuery() string {
	parts := make([]string, len(landscape.EdgeKinds))
	for i, k := range landscape.EdgeKinds {
		parts[i] = fmt.Sprintf("COUNT { ()-[:%s]->() } AS %s", edgeType(k), edgeType(k))
	}
	return "RETURN " + strings.Join(parts, ", ")
}

func sorted(ids []string) []string {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return ids
}

// write writes the result of Resolve against st: edge deletions, node
// deletions (DETACH DELETE), node creations and updates, edge creations and
// updates, each as UNWIND batches per label or type.
func (s *Store) write(ctx context.Context, tx neo4j.ManagedTransaction, q *stmt, cs *landscape.Changeset, st landscape.State, res *landscape.Result) error {
	if res.Empty() {
		return nil
	}
	// The result belongs to the caller: timestamps in UTC, as stored.
	for _, n := range res.Nodes {
		n.CreatedAt, n.UpdatedAt = n.CreatedAt.UTC(), n.UpdatedAt.UTC()
	}
	for _, e := range res.Edges {
		e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	}

	// run runs a batch statement that returns count(*) and checks that every
	// row found what it expects.
	run := func(what, cypher string, rows []any) error {
		return chunks(rows, s.cfg.BatchSize, func(rows []any) error {
			rec, err := q.single(ctx, tx, cypher, map[string]any{"rows": rows})
			if err != nil {
				return err
			}
			if n, _ := rec.Values[0].(int64); int(n) != len(rows) {
				return &errConcurrent{fmt.Sprintf("%s: %d of %d rows matched", what, n, len(rows))}
			}
			return nil
		})
	}

	// A stored node that cs deletes and creates again (Result.Recreated)
	// still takes its edges along (DETACH DELETE) and is created anew.
	recreated := map[string]bool{}
	for _, id := range res.Recreated {
		recreated[id] = true
	}
	// Edges to delete, by type: those deleted, and stored ones that the
	// result replaces by an edge of another kind or other ends (a delete and
	// create of one id in one changeset).
	delEdges := map[landscape.EdgeKind][]any{}
	for _, id := range res.DeletedEdges {
		if e := st.Edges[id]; e != nil {
			delEdges[e.Kind] = append(delEdges[e.Kind], id)
		}
	}
	var newEdges, updEdges []*landscape.Edge
	for _, e := range res.Edges {
		old := st.Edges[e.ID]
		switch {
		case old == nil:
			newEdges = append(newEdges, e)
		case old.Kind != e.Kind || old.From != e.From || old.To != e.To:
			delEdges[old.Kind] = append(delEdges[old.Kind], e.ID)
			newEdges = append(newEdges, e)
		case recreated[old.From] || recreated[old.To]: // gone with its end
			newEdges = append(newEdges, e)
		default:
			updEdges = append(updEdges, e)
		}
	}
	for _, k := range landscape.EdgeKinds {
		if ids := delEdges[k]; len(ids) > 0 {
			cypher := fmt.Sprintf("UNWIND $rows AS id MATCH ()-[r:%s {id: id}]->() DELETE r RETURN count(*)", edgeType(k))
			if err := run("delete "+string(k)+" edges", cypher, ids); err != nil {
				return err
			}
		}
	}
	if len(res.DeletedNodes)+len(recreated) > 0 {
		var ids []any
		for _, id := range res.DeletedNodes {
			ids = append(ids, id)
		}
		for _, id := range res.Recreated {
			ids = append(ids, id)
		}
		cypher := fmt.Sprintf("UNWIND $rows AS id MATCH (n:%s {id: id}) DETACH DELETE n RETURN count(*)", EntityLabel)
		if err := run("delete nodes", cypher, ids); err != nil {
			return err
		}
	}

	// Nodes: created ones get both labels; stored ones keep theirs (Resolve
	// does not change the kind of a stored node; a node deleted and created
	// again is created anew).
	create, update := map[landscape.NodeKind][]any{}, map[landscape.NodeKind][]any{}
	for _, n := range res.Nodes {
		if old := st.Nodes[n.ID]; old == nil || recreated[n.ID] {
			create[n.Kind] = append(create[n.Kind], present(nodeProps(n)))
		} else {
			update[n.Kind] = append(update[n.Kind], nodeProps(n))
		}
	}
	for _, k := range landscape.NodeKinds {
		if rows := create[k]; len(rows) > 0 {
			cypher := fmt.Sprintf("UNWIND $rows AS row CREATE (n:%s:%s) SET n = row RETURN count(*)", EntityLabel, nodeLabel(k))
			if err := run("create "+string(k)+" nodes", cypher, rows); err != nil {
				return err
			}
		}
		if rows := update[k]; len(rows) > 0 {
			// SET += with null values removes the properties that became absent
			// and keeps properties the model does not know (set in Bloom, say).
			cypher := fmt.Sprintf("UNWIND $rows AS row MATCH (n:%s {id: row.id}) SET n += row RETURN count(*)", EntityLabel)
			if err := run("update "+string(k)+" nodes", cypher, rows); err != nil {
				return err
			}
		}
	}

	// Edges.
	createE, updateE := map[landscape.EdgeKind][]any{}, map[landscape.EdgeKind][]any{}
	for _, e := range newEdges {
		createE[e.Kind] = append(createE[e.Kind], map[string]any{"from": e.From, "to": e.To, "props": present(edgeProps(e))})
	}
	for _, e := range updEdges {
		updateE[e.Kind] = append(updateE[e.Kind], edgeProps(e))
	}
	for _, k := range landscape.EdgeKinds {
		if rows := createE[k]; len(rows) > 0 {
			cypher := fmt.Sprintf(`UNWIND $rows AS row
MATCH (a:%[1]s {id: row.from})
MATCH (b:%[1]s {id: row.to})
CREATE (a)-[r:%[2]s]->(b) SET r = row.props
RETURN count(*)`, EntityLabel, edgeType(k))
			if err := run("create "+string(k)+" edges", cypher, rows); err != nil {
				return err
			}
		}
		if rows := updateE[k]; len(rows) > 0 {
			cypher := fmt.Sprintf("UNWIND $rows AS row MATCH ()-[r:%s {id: row.id}]->() SET r += row RETURN count(*)", edgeType(k))
			if err := run("update "+string(k)+" edges", cypher, rows); err != nil {
				return err
			}
		}
	}
	return nil
}

// describeResult summarises a result for logs.
func describeResult(r *landscape.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d nodes, %d edges written, %d nodes, %d edges deleted, %d unchanged",
		len(r.Nodes), len(r.Edges), len(r.DeletedNodes), len(r.DeletedEdges), r.Unchanged)
	return b.String()
}
