package neo4jstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// writeAudit records e (nil: nothing changed) as an :AuditEntry node in the
// transaction of the changes. Counts and targets are properties an analyst
// can query in Neo4j Browser; the list of changes is JSON text, as nested
// maps cannot be properties.
func (s *Store) writeAudit(ctx context.Context, tx neo4j.ManagedTransaction, q *stmt, e *landscape.AuditEntry) error {
	if e == nil {
		return nil
	}
	changes, err := json.Marshal(e.Changes)
	if err != nil {
		return fmt.Errorf("encoding the audit entry: %w", err)
	}
	cypher := fmt.Sprintf("CREATE (a:%s) SET a = $props RETURN count(*)", AuditLabel)
	_, err = q.single(ctx, tx, cypher, map[string]any{"props": map[string]any{
		"id": e.ID, "at": e.At, "author": e.Author, "note": str(e.Note),
		"nodesCreated": e.NodesCreated, "nodesUpdated": e.NodesUpdated, "nodesDeleted": e.NodesDeleted,
		"edgesCreated": e.EdgesCreated, "edgesUpdated": e.EdgesUpdated, "edgesDeleted": e.EdgesDeleted,
		"targets": e.Targets(), "changes": string(changes), "truncated": e.Truncated,
	}})
	return err
}

// Audit returns a page of the audit log, newest first: the id order is the
// time order, and the uniqueness constraint's index serves ORDER BY and the
// cursor.
func (s *Store) Audit(ctx context.Context, q landscape.AuditQuery) (*landscape.AuditPage, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	cypher := fmt.Sprintf("MATCH (a:%s) WHERE a.id < $after AND ($author IS NULL OR a.author = $author) "+
		"AND ($target IS NULL OR $target IN a.targets) RETURN a ORDER BY a.id DESC LIMIT $limit", AuditLabel)
	params := map[string]any{"after": "~", "author": nil, "target": nil, "limit": q.First + 1}
	if q.After != "" {
		params["after"] = q.After
	}
	if q.Author != "" {
		params["author"] = q.Author
	}
	if q.Target != "" {
		params["target"] = q.Target
	}
	v, err := s.read(ctx, "read the audit log", func(tx runner, st *stmt) (any, error) {
		return st.collect(ctx, tx, cypher, params)
	})
	if err != nil {
		return nil, err
	}
	page := &landscape.AuditPage{}
	for _, r := range v.([]*neo4j.Record) {
		if len(page.Entries) == q.First {
			page.HasNext = true
			break
		}
		e, err := decodeAudit(r.Values[0])
		if err != nil {
			return nil, landscape.Wrap(landscape.EInternal, err, "reading the audit log: %v", err)
		}
		page.Entries = append(page.Entries, e)
	}
	return page, nil
}

func decodeAudit(v any) (*landscape.AuditEntry, error) {
	n, ok := v.(neo4j.Node)
	if !ok {
		return nil, fmt.Errorf("want a node, got %T", v)
	}
	e := &landscape.AuditEntry{}
	p := n.Props
	e.ID, _ = p["id"].(string)
	at, ok := p["at"].(time.Time)
	if !ok {
		return nil, fmt.Errorf("audit entry %q: at is %T, want a datetime", e.ID, p["at"])
	}
	e.At = at.UTC()
	e.Author, _ = p["author"].(string)
	e.Note, _ = p["note"].(string)
	for name, dst := range map[string]*int{"nodesCreated": &e.NodesCreated, "nodesUpdated": &e.NodesUpdated, "nodesDeleted": &e.NodesDeleted,
		"edgesCreated": &e.EdgesCreated, "edgesUpdated": &e.EdgesUpdated, "edgesDeleted": &e.EdgesDeleted} {
		n, _ := p[name].(int64)
		*dst = int(n)
	}
	e.Truncated, _ = p["truncated"].(bool)
	changes, _ := p["changes"].(string)
	if err := json.Unmarshal([]byte(changes), &e.Changes); err != nil {
		return nil, fmt.Errorf("audit entry %q: changes: %w", e.ID, err)
	}
	return e, nil
}
