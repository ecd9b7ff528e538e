package landscape

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// AuditEntry records one applied changeset: who wrote, when, and what
// changed. Stores write it in the same transaction as the changes, so there
// is an entry for every write and no entry for a write that failed.
type AuditEntry struct {
	// ID orders entries by time: 16 hex digits of the Unix time in
	// nanoseconds, then 8 random hex digits.
	ID string    `json:"id"`
	At time.Time `json:"at"`
	// Author is the name of the credential that wrote ("Bildungsbüro Nord"),
	// or what wrote without one ("import (cli, user ops)").
	Author string `json:"author"`
	// Note is the author's comment or the origin (an import file).
	Note string `json:"note,omitempty"`
	// Counts of what changed; detach-deleted edges of deleted nodes are
	// not counted (a node's deletion implies them).
	NodesCreated int `json:"nodesCreated"`
	NodesUpdated int `json:"nodesUpdated"`
	NodesDeleted int `json:"nodesDeleted"`
	EdgesCreated int `json:"edgesCreated"`
	EdgesUpdated int `json:"edgesUpdated"`
	EdgesDeleted int `json:"edgesDeleted"`
	// Changes lists the first MaxAuditChanges changes; Truncated says more
	// were made (a big import).
	Changes   []AuditChange `json:"changes"`
	Truncated bool          `json:"truncated,omitempty"`
}

// MaxAuditChanges is how many changes an audit entry lists one by one.
const MaxAuditChanges = 1000

// The operations of an AuditChange.
const (
	OpCreated = "CREATED"
	OpUpdated = "UPDATED"
	OpDeleted = "DELETED"
)

// AuditChange is one node or edge an entry changed.
type AuditChange struct {
	Op string `json:"op"`
	// Edge tells an edge from a node.
	Edge bool   `json:"edge,omitempty"`
	ID   string `json:"id"`
	// Kind is the node or edge kind.
	Kind string `json:"kind"`
	// Fields names the fields an update changed (JSON names: "name",
	// "validTo", "contactEmail"); values are not recorded, so the log holds
	// no contact data.
	Fields []string `json:"fields,omitempty"`
}

// Targets returns the ids of the nodes and edges e lists.
func (e *AuditEntry) Targets() []string {
	ids := make([]string, len(e.Changes))
	for i, c := range e.Changes {
		ids[i] = c.ID
	}
	return ids
}

// NewAuditEntry describes the writes res makes to the stored state st, or
// returns nil when res writes nothing. Stores call it after Resolve and
// write the entry with the changes.
func NewAuditEntry(cs *Changeset, st State, res *Result, now time.Time) *AuditEntry {
	if res.Empty() {
		return nil
	}
	e := &AuditEntry{ID: NewAuditID(now), At: now.UTC(), Author: cs.Author, Note: cs.Note}
	if e.Author == "" {
		e.Author = "unknown"
	}
	add := func(c AuditChange) {
		if len(e.Changes) < MaxAuditChanges {
			e.Changes = append(e.Changes, c)
		} else {
			e.Truncated = true
		}
	}
	recreated := map[string]bool{}
	for _, id := range res.Recreated {
		recreated[id] = true
	}
	for _, id := range res.DeletedNodes {
		e.NodesDeleted++
		kind := ""
		if n := st.Nodes[id]; n != nil {
			kind = string(n.Kind)
		}
		add(AuditChange{Op: OpDeleted, ID: id, Kind: kind})
	}
	for _, id := range res.DeletedEdges {
		e.EdgesDeleted++
		kind := ""
		if ed := st.Edges[id]; ed != nil {
			kind = string(ed.Kind)
		}
		add(AuditChange{Op: OpDeleted, Edge: true, ID: id, Kind: kind})
	}
	for _, n := range res.Nodes {
		before := st.Nodes[n.ID]
		if before == nil || recreated[n.ID] {
			e.NodesCreated++
			add(AuditChange{Op: OpCreated, ID: n.ID, Kind: string(n.Kind)})
			continue
		}
		e.NodesUpdated++
		add(AuditChange{Op: OpUpdated, ID: n.ID, Kind: string(n.Kind), Fields: changedFields(before, n)})
	}
	for _, ed := range res.Edges {
		before := st.Edges[ed.ID]
		if before == nil || recreated[ed.From] || recreated[ed.To] {
			e.EdgesCreated++
			add(AuditChange{Op: OpCreated, Edge: true, ID: ed.ID, Kind: string(ed.Kind)})
			continue
		}
		e.EdgesUpdated++
		add(AuditChange{Op: OpUpdated, Edge: true, ID: ed.ID, Kind: string(ed.Kind), Fields: changedFields(before, ed)})
	}
	return e
}

// changedFields returns the JSON names of the fields that differ between two
// nodes or two edges (pointers to the same struct type), timestamps aside.
func changedFields(a, b any) []string {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	var fields []string
	var walk func(x, y reflect.Value)
	walk = func(x, y reflect.Value) {
		t := x.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous {
				walk(x.Field(i), y.Field(i))
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" || name == "createdAt" || name == "updatedAt" {
				continue
			}
			fx, fy := x.Field(i).Interface(), y.Field(i).Interface()
			if s, ok := fx.([]string); ok && len(s) == 0 {
				fx = []string(nil)
			}
			if s, ok := fy.([]string); ok && len(s) == 0 {
				fy = []string(nil)
			}
			if !reflect.DeepEqual(fx, fy) {
				fields = append(fields, name)
			}
		}
	}
	walk(va, vb)
	return fields
}

// NewAuditID returns an entry id for time t: ids sort by time as strings.
func NewAuditID(t time.Time) string {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // never fails on supported platforms
	}
	return fmt.Sprintf("%016x%s", uint64(t.UnixNano()), hex.EncodeToString(b[:]))
}

// CheckAuditID returns an INVALID error naming field when s is not an
// audit entry id (a cursor, for instance).
func CheckAuditID(field, s string) error {
	if len(s) != 24 {
		return Errorf(EInvalid, field, "%q is not an audit entry id (24 hex digits)", s)
	}
	if _, err := hex.DecodeString(s); err != nil {
		return Errorf(EInvalid, field, "%q is not an audit entry id (24 hex digits)", s)
	}
	return nil
}

// AuditQuery asks for a page of the audit log, newest first.
type AuditQuery struct {
	// First is the page size (default 50, at most MaxPageSize).
	First int
	// After is the id of the last entry of the previous page.
	After string
	// Target keeps the entries that changed this node or edge id.
	Target string
	// Author keeps the entries of this author.
	Author string
}

// Normalize checks q and fills in defaults.
func (q *AuditQuery) Normalize() error {
	switch {
	case q.First < 0:
		return Errorf(EInvalid, "first", "must not be negative, not %d", q.First)
	case q.First == 0:
		q.First = 50
	case q.First > MaxPageSize:
		return Errorf(EInvalid, "first", "%d exceeds the maximum page size of %d", q.First, MaxPageSize)
	}
	if q.After != "" {
		if err := CheckAuditID("after", q.After); err != nil {
			return err
		}
	}
	return nil
}

// Match reports whether e passes the filters of q (not the cursor).
func (q *AuditQuery) Match(e *AuditEntry) bool {
	if q.Author != "" && e.Author != q.Author {
		return false
	}
	if q.Target != "" {
		for _, c := range e.Changes {
			if c.ID == q.Target {
				return true
			}
		}
		return false
	}
	return true
}

// AuditPage is a page of the audit log, newest first.
type AuditPage struct {
	Entries []*AuditEntry
	HasNext bool
}
