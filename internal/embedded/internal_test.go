package embedded

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

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

// TestRemap opens a file big enough to be mapped anew after the load (the
// threshold lowered): the store reads and writes as before, what it wrote
// survives the next open, and another writer's transaction between the
// load and the new mapping is loaded too.
func TestRemap(t *testing.T) {
	defer func(n int) { largeFile = n }(largeFile)
	largeFile = 0
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "remap.db")
	node := func(id string) landscape.NodeChange {
		return landscape.NodeChange{Op: landscape.OpCreate, Node: &landscape.Node{ID: id, Kind: landscape.Region, Name: id, Source: "t"}}
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, &landscape.Changeset{Nodes: []landscape.NodeChange{node("a"), node("b")}}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(path) // remaps: two nodes > 0
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, &landscape.Changeset{Nodes: []landscape.NodeChange{node("c")}}); err != nil {
		t.Fatalf("write after the remap: %v", err)
	}
	got, err := s.Nodes(ctx, []string{"a", "b", "c"}, nil)
	if err != nil || len(got) != 3 {
		t.Fatalf("after the remap: %d nodes, %v", len(got), err)
	}

	// A write in the moment between the load and the new mapping: remap
	// finds another last transaction and loads the file again.
	before := len(s.idx.verts)
	betweenRemap = func(path string) {
		db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Update(func(tx *bolt.Tx) error { return nil }); err != nil { // an empty commit: a new transaction id
			t.Fatal(err)
		}
	}
	defer func() { betweenRemap = nil }()
	idx := s.idx
	if err := s.remap(&bolt.Options{Timeout: time.Second}); err != nil {
		t.Fatal(err)
	}
	if s.idx == idx {
		t.Error("remap did not load the file again after another transaction")
	}
	if len(s.idx.verts) != before {
		t.Errorf("%d nodes after loading again, want %d", len(s.idx.verts), before)
	}
	s.Close()

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err = s.Nodes(ctx, []string{"a", "b", "c"}, nil)
	if err != nil || len(got) != 3 {
		t.Fatalf("after reopening: %d nodes, %v", len(got), err)
	}
}
