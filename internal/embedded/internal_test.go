package embedded

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// TestFailedCommitLeavesMemoryUnchanged makes the commit fail after the puts
// and checks that neither memory nor file changed.
func TestFailedCommitLeavesMemoryUnchanged(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "test.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close() }()
	first := &landscape.Changeset{Nodes: []landscape.NodeChange{
		{Op: landscape.OpCreate, Node: &landscape.Node{ID: "r", Kind: landscape.Region, Name: "R", Source: "t"}},
		{Op: landscape.OpCreate, Node: &landscape.Node{ID: "a", Kind: landscape.Institution, Name: "A", Source: "t"}},
	}, Edges: []landscape.EdgeChange{
		{Op: landscape.OpCreate, Edge: &landscape.Edge{Kind: landscape.LocatedIn, From: "a", To: "r", Source: "t"}},
	}}
	if _, err := s.Apply(ctx, first); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk on fire")
	s.beforeCommit = func(*bolt.Tx) error { return boom }
	_, err = s.Apply(ctx, &landscape.Changeset{
		Nodes: []landscape.NodeChange{
			{Op: landscape.OpCreate, Node: &landscape.Node{ID: "b", Kind: landscape.Institution, Name: "B", Source: "t"}},
			{Op: landscape.OpDelete, ID: "a"},
		},
	})
	if !errors.Is(err, boom) || landscape.ErrorCode(err) != landscape.EUnavailable {
		t.Fatalf("Apply = %v, want EUnavailable wrapping the commit error", err)
	}
	check := func(when string, s *Store) {
		t.Helper()
		if n, e := s.Stats(); n != 2 || e != 1 {
			t.Errorf("%s: %d nodes, %d edges; want 2, 1", when, n, e)
		}
		got, _ := s.Nodes(ctx, []string{"a", "b"}, nil)
		if got["a"] == nil || got["b"] != nil {
			t.Errorf("%s: nodes %v", when, got)
		}
		adj, _ := s.Adjacent(ctx, landscape.AdjacencyQuery{NodeIDs: []string{"r"}, Direction: landscape.DirIn})
		if len(adj["r"]) != 1 {
			t.Errorf("%s: adjacency %v", when, adj)
		}
	}
	check("in memory", s)
	s.beforeCommit = nil
	s.Close()
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	check("after restart", s)
}

func TestChangeLog(t *testing.T) {
	var l changeLog[landscape.Node]
	for i := range maxChangeLog + 10 {
		l.add(string(rune('a'+i%26)), nil)
	}
	if l.gen() != maxChangeLog+10 {
		t.Errorf("gen = %d", l.gen())
	}
	if _, ok := l.since(5); ok {
		t.Error("since reaches before the log's start")
	}
	if ids, ok := l.since(l.gen() - 3); !ok || len(ids) != 3 {
		t.Errorf("since(gen-3) = %v, %v", ids, ok)
	}
}
