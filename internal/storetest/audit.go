package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// testAudit checks the audit log: one entry per write that changed
// something, written with it, newest first, filtered and paged.
func testAudit(t *testing.T, open opener) {
	t.Run("EntryPerWrite", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		clk := startClock()

		cs := createAll(everyKindNodes(), []*landscape.Edge{
			{Kind: landscape.MemberOf, From: "bb-georgsmarienhuette", To: "koko-bildung", Role: "MEMBER", Source: srcBildungsbericht},
			{Kind: landscape.LocatedIn, From: "bb-georgsmarienhuette", To: "lk-osnabrueck", Source: srcStatistik},
		})
		cs.Author, cs.Note = "Bildungsbüro Nord", "Ersterfassung"
		apply(t, ctx, s, cs)
		first := newestEntry(t, s)
		if first.Author != "Bildungsbüro Nord" || first.Note != "Ersterfassung" {
			t.Errorf("entry author %q, note %q; want the changeset's", first.Author, first.Note)
		}
		clk.checkStamp(t, "audit entry", first.At, first.At)
		if first.NodesCreated != 10 || first.EdgesCreated != 2 || first.NodesUpdated+first.NodesDeleted+first.EdgesUpdated+first.EdgesDeleted != 0 {
			t.Errorf("entry counts %s, want 10 nodes and 2 edges created", counts(first))
		}
		if len(first.Changes) != 12 || first.Truncated {
			t.Errorf("entry lists %d changes (truncated %v), want 12", len(first.Changes), first.Truncated)
		}
		wantChange(t, first, landscape.AuditChange{Op: landscape.OpCreated, ID: "koko-bildung", Kind: "Committee"})
		wantChange(t, first, landscape.AuditChange{Op: landscape.OpCreated, Edge: true, ID: "bb-georgsmarienhuette>LOCATED_IN>lk-osnabrueck", Kind: "LOCATED_IN"})

		// An update lists the changed fields; the values stay out of the log.
		upd := updateNode("lk-os.bildungskoordination", landscape.NodePatch{
			Name:         landscape.Some("Bildungskoordination Neuzugewanderte"),
			ContactEmail: landscape.Some("bildung@example.org")})
		upd.Author = "Bildungsbüro Süd"
		apply(t, ctx, s, upd)
		second := newestEntry(t, s)
		if second.ID <= first.ID {
			t.Errorf("entry ids do not grow with time: %q after %q", second.ID, first.ID)
		}
		if second.NodesUpdated != 1 || len(second.Changes) != 1 {
			t.Fatalf("update entry: counts %s, %d changes; want 1 node updated", counts(second), len(second.Changes))
		}
		if c := second.Changes[0]; c.Op != landscape.OpUpdated || c.ID != "lk-os.bildungskoordination" || c.Kind != "Actor" ||
			!slices.Equal(c.Fields, []string{"name", "contactEmail"}) {
			t.Errorf("update change = %+v, want UPDATED Actor lk-os.bildungskoordination fields [name contactEmail]", c)
		}

		// An upsert that changes nothing writes nothing, not even an entry.
		same := everyKindNodes()[2]
		apply(t, ctx, s, upsertNode(same))
		if e := newestEntry(t, s); e.ID != second.ID {
			t.Errorf("an unchanged upsert left the audit entry %s (%s)", e.ID, counts(e))
		}

		// A refused write leaves no entry (applyFails compares snapshots,
		// the newest entry included).
		applyFails(t, ctx, s, createNodes(everyKindNodes()[0]), conflict("nodes[0].id"))

		// Deleting a node lists the node, not the edges it takes along.
		del := deleteNode("bb-georgsmarienhuette")
		del.Author = "Bildungsbüro Nord"
		apply(t, ctx, s, del)
		third := newestEntry(t, s)
		if third.NodesDeleted != 1 || third.EdgesDeleted != 0 || len(third.Changes) != 1 {
			t.Errorf("delete entry counts %s with %d changes, want 1 node deleted", counts(third), len(third.Changes))
		}
		wantChange(t, third, landscape.AuditChange{Op: landscape.OpDeleted, ID: "bb-georgsmarienhuette", Kind: "Institution"})

		// Edge update and delete.
		apply(t, ctx, s, createEdges(&landscape.Edge{Kind: landscape.WorksOn, From: "lk-os.bildungskoordination", To: "af-uebergaenge", Source: srcBildungsbericht}))
		eid := "lk-os.bildungskoordination>WORKS_ON>af-uebergaenge"
		apply(t, ctx, s, updateEdge(eid, landscape.EdgePatch{Description: landscape.Some("seit 2017"), ValidFrom: landscape.Some(date("2017-01-01"))}))
		e := newestEntry(t, s)
		if e.EdgesUpdated != 1 || len(e.Changes) != 1 || !e.Changes[0].Edge || !slices.Equal(e.Changes[0].Fields, []string{"description", "validFrom"}) {
			t.Errorf("edge update entry = %s %+v, want 1 edge updated, fields [description validFrom]", counts(e), e.Changes)
		}
		if e.Author != "unknown" {
			t.Errorf("a changeset without author is recorded as %q, want \"unknown\"", e.Author)
		}
		apply(t, ctx, s, deleteEdge(eid))
		wantChange(t, newestEntry(t, s), landscape.AuditChange{Op: landscape.OpDeleted, Edge: true, ID: eid, Kind: "WORKS_ON"})
	})

	t.Run("PagesAndFilters", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		authors := []string{"A", "B", "A", "B", "A"}
		for i, a := range authors {
			cs := createNodes(&landscape.Node{ID: fmt.Sprintf("t%d", i), Kind: landscape.Topic, Name: fmt.Sprintf("Thema %d", i), Source: srcBeispiel})
			cs.Author = a
			apply(t, ctx, s, cs)
		}
		up := updateNode("t1", landscape.NodePatch{Name: landscape.Some("Thema eins")})
		up.Author = "C"
		apply(t, ctx, s, up)
		// Newest first: the update, then t4 .. t0.
		want := []string{"t1", "t4", "t3", "t2", "t1", "t0"}
		var got []string
		q := landscape.AuditQuery{First: 4}
		for pages := 0; ; pages++ {
			p, err := s.Audit(ctx, q)
			if err != nil {
				t.Fatalf("Audit: %s", describeErr(err))
			}
			for _, e := range p.Entries {
				got = append(got, e.Changes[0].ID)
				q.After = e.ID
			}
			if !p.HasNext {
				if pages != 1 {
					t.Errorf("the log took %d pages of 4, want 2", pages+1)
				}
				break
			}
			if pages > 3 {
				t.Fatal("the log does not end")
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("entries by page, targets %q, want %q", got, want)
		}
		byAuthor := auditTargets(t, s, landscape.AuditQuery{Author: "A"})
		if !slices.Equal(byAuthor, []string{"t4", "t2", "t0"}) {
			t.Errorf("author A: %q, want [t4 t2 t0]", byAuthor)
		}
		if byTarget := auditTargets(t, s, landscape.AuditQuery{Target: "t1"}); !slices.Equal(byTarget, []string{"t1", "t1"}) {
			t.Errorf("target t1: %q, want two entries", byTarget)
		}
		if none := auditTargets(t, s, landscape.AuditQuery{Target: "gibt-es-nicht"}); len(none) != 0 {
			t.Errorf("target gibt-es-nicht: %q, want none", none)
		}
		_, err := s.Audit(ctx, landscape.AuditQuery{After: "kein-cursor"})
		checkProblems(t, err, invalid("after"))
		_, err = s.Audit(ctx, landscape.AuditQuery{First: landscape.MaxPageSize + 1})
		checkProblems(t, err, invalid("first"))
	})

	t.Run("BigWriteIsTruncated", func(t *testing.T) {
		s := newStore(t, open)
		ctx := testContext(t)
		n := landscape.MaxAuditChanges + 5
		var nodes []*landscape.Node
		for i := range n {
			nodes = append(nodes, &landscape.Node{ID: fmt.Sprintf("o%05d", i), Kind: landscape.Offer, Name: fmt.Sprintf("Angebot %d", i), Source: srcBeispiel})
		}
		apply(t, ctx, s, createNodes(nodes...))
		e := newestEntry(t, s)
		if e.NodesCreated != n || len(e.Changes) != landscape.MaxAuditChanges || !e.Truncated {
			t.Errorf("entry of %d creations: counts %s, %d changes listed, truncated %v; want all counted, %d listed, truncated",
				n, counts(e), len(e.Changes), e.Truncated, landscape.MaxAuditChanges)
		}
	})
}

func newestEntry(t *testing.T, s landscape.Store) *landscape.AuditEntry {
	t.Helper()
	p, err := s.Audit(testContext(t), landscape.AuditQuery{First: 1})
	if err != nil {
		t.Fatalf("Audit: %s", describeErr(err))
	}
	if len(p.Entries) != 1 {
		t.Fatalf("the audit log has %d entries on its first page of 1", len(p.Entries))
	}
	return p.Entries[0]
}

func auditTargets(t *testing.T, s landscape.Store, q landscape.AuditQuery) []string {
	t.Helper()
	p, err := s.Audit(testContext(t), q)
	if err != nil {
		t.Fatalf("Audit %+v: %s", q, describeErr(err))
	}
	var ids []string
	for _, e := range p.Entries {
		ids = append(ids, e.Changes[0].ID)
	}
	return ids
}

func wantChange(t *testing.T, e *landscape.AuditEntry, want landscape.AuditChange) {
	t.Helper()
	for _, c := range e.Changes {
		if c.ID == want.ID && c.Edge == want.Edge {
			if c.Op != want.Op || c.Kind != want.Kind {
				t.Errorf("audit change of %s = %+v, want %+v", want.ID, c, want)
			}
			return
		}
	}
	t.Errorf("audit entry %s lists no change of %s: %+v", e.ID, want.ID, e.Changes)
}

func counts(e *landscape.AuditEntry) string {
	return fmt.Sprintf("nodes +%d ~%d -%d, edges +%d ~%d -%d", e.NodesCreated, e.NodesUpdated, e.NodesDeleted,
		e.EdgesCreated, e.EdgesUpdated, e.EdgesDeleted)
}
