package embedded_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/bildungsgraph/bildungsgraph/internal/embedded"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// sampleChanges builds a small landscape with every optional field used,
// then updates and deletes some of it.
func sampleChanges(t *testing.T, s landscape.Store) {
	t.Helper()
	lk := node(landscape.Region, "lk-os", "Landkreis Osnabrück")
	lk.Category, lk.OfficialCode = "LANDKREIS", "03459"
	bb := node(landscape.Institution, "bb-os", "Bildungsbüro")
	bb.Category, bb.Aliases, bb.URL = "BILDUNGSBUERO", []string{"BB", "Bildungsbuero"}, "https://example.org/bb"
	bb.ValidFrom = landscape.MustDate("2019-10-01")
	kg := node(landscape.Committee, "kg-bildung", "Kommission Bildung")
	kg.Category, kg.Scope, kg.MeetingRhythm = "CONFERENCE", landscape.ScopeExternal, "quarterly"
	order, from, to := 2, 3, 6
	kita := node(landscape.LifePhase, "lp-kita", "Kita-Alter")
	kita.Order, kita.AgeFrom, kita.AgeTo = &order, &from, &to
	gone := node(landscape.Institution, "vhs", "VHS")
	apply(t, s, create(
		[]*landscape.Node{lk, bb, kg, kita, gone},
		[]*landscape.Edge{
			edge("bb-os", landscape.LocatedIn, "lk-os"),
			{Kind: landscape.MemberOf, From: "bb-os", To: "kg-bildung", Role: "CHAIR", Source: "test", Validity: landscape.Validity{ValidTo: landscape.MustDate("2030-01-01")}},
			edge("vhs", landscape.MemberOf, "kg-bildung"),
			edge("vhs", landscape.CooperatesWith, "bb-os"),
		}))
	apply(t, s, &landscape.Changeset{
		Nodes: []landscape.NodeChange{
			{Op: landscape.OpUpdate, ID: "kg-bildung", Patch: &landscape.NodePatch{Description: landscape.Some("Steuert\ndie Bildung")}},
			{Op: landscape.OpDelete, ID: "vhs"},
		},
		Edges: []landscape.EdgeChange{
			{Op: landscape.OpUpdate, ID: "bb-os>MEMBER_OF>kg-bildung", Patch: &landscape.EdgePatch{Role: landscape.Some("DEPUTY_CHAIR")}},
		},
	})
}

func TestRestartKeepsIdenticalContent(t *testing.T) {
	path := tempDB(t)
	// A clock in a zone other than UTC, with a monotonic reading: the store
	// must still give back after a restart exactly what it gave before.
	cet := time.FixedZone("CET", 3600)
	s, err := embedded.Open(path, embedded.WithClock(func() time.Time { return time.Now().In(cet) }))
	if err != nil {
		t.Fatal(err)
	}
	sampleChanges(t, s)
	nodes, edges := dump(t, s)
	if len(nodes) != 4 || len(edges) != 2 {
		t.Fatalf("got %d nodes, %d edges; want 4, 2 (vhs and its edges deleted)", len(nodes), len(edges))
	}
	if n, e := s.Stats(); n != 4 || e != 2 || s.Empty() {
		t.Fatalf("Stats = %d, %d, Empty = %v", n, e, s.Empty())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openStore(t, path)
	nodes2, edges2 := dump(t, s2)
	if !reflect.DeepEqual(nodes, nodes2) {
		t.Errorf("nodes differ after restart:\nbefore %s\nafter  %s", js(nodes), js(nodes2))
	}
	if !reflect.DeepEqual(edges, edges2) {
		t.Errorf("edges differ after restart:\nbefore %s\nafter  %s", js(edges), js(edges2))
	}
	adj, err := s2.Adjacent(ctx, landscape.AdjacencyQuery{NodeIDs: []string{"kg-bildung", "bb-os"}, Direction: landscape.DirBoth})
	if err != nil {
		t.Fatal(err)
	}
	if got := edgeIDs(adj["bb-os"]); !slices.Equal(got, []string{"bb-os>LOCATED_IN>lk-os", "bb-os>MEMBER_OF>kg-bildung"}) {
		t.Errorf("adjacent(bb-os) = %v", got)
	}
	if got := edgeIDs(adj["kg-bildung"]); !slices.Equal(got, []string{"bb-os>MEMBER_OF>kg-bildung"}) {
		t.Errorf("adjacent(kg-bildung) = %v", got)
	}
	if adj["kg-bildung"][0].Role != "DEPUTY_CHAIR" {
		t.Errorf("role = %q after restart", adj["kg-bildung"][0].Role)
	}

	// Writes after the restart reach the lists built at load.
	apply(t, s2, &landscape.Changeset{Edges: []landscape.EdgeChange{
		{Op: landscape.OpCreate, Edge: edge("kg-bildung", landscape.Serves, "lk-os")},
		{Op: landscape.OpDelete, ID: "bb-os>LOCATED_IN>lk-os"},
	}})
	_, edges3 := dump(t, s2)
	if got := edgeIDs(edges3); !slices.Equal(got, []string{"bb-os>MEMBER_OF>kg-bildung", "kg-bildung>SERVES>lk-os"}) {
		t.Errorf("edges after writes following the restart: %v", got)
	}
}

func js(v any) string { return fmt.Sprintf("%+v", v) }

func edgeIDs(es []*landscape.Edge) []string {
	var ids []string
	for _, e := range es {
		ids = append(ids, e.ID)
	}
	return ids
}

func TestApplyResultEqualsRead(t *testing.T) {
	s := openStore(t, tempDB(t), embedded.WithClock(func() time.Time { return time.Now().In(time.FixedZone("X", -7200)) }))
	n := node(landscape.Institution, "a", "A")
	res := apply(t, s, create([]*landscape.Node{n, node(landscape.Region, "r", "R")}, []*landscape.Edge{edge("a", landscape.LocatedIn, "r")}))
	got, err := s.Nodes(ctx, []string{"a"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got["a"], res.Nodes[0]) {
		t.Errorf("read %+v, Apply returned %+v", got["a"], res.Nodes[0])
	}
	es, _ := s.Edges(ctx, []string{"a>LOCATED_IN>r"}, nil)
	if !reflect.DeepEqual(es["a>LOCATED_IN>r"], res.Edges[0]) {
		t.Errorf("read %+v, Apply returned %+v", es["a>LOCATED_IN>r"], res.Edges[0])
	}
}

func TestSecondOpenFailsClearly(t *testing.T) {
	path := tempDB(t)
	openStore(t, path)
	start := time.Now()
	s2, err := embedded.Open(path, embedded.WithTimeout(300*time.Millisecond))
	if err == nil {
		s2.Close()
		t.Fatal("second Open of a locked file succeeded")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("second Open took %s", d)
	}
	if landscape.ErrorCode(err) != landscape.EUnavailable || !strings.Contains(err.Error(), "locked by another process") || !strings.Contains(err.Error(), path) {
		t.Errorf("error = %v (code %s); want EUnavailable naming the file and the lock", err, landscape.ErrorCode(err))
	}
}

func TestRefusesUnknownSchemaVersion(t *testing.T) {
	path := tempDB(t)
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error {
		b, _ := tx.CreateBucket([]byte("meta"))
		return b.Put([]byte("schema"), []byte("2"))
	})
	db.Close()
	_, err = embedded.Open(path)
	if landscape.ErrorCode(err) != landscape.EInternal || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), `"2"`) {
		t.Errorf("Open of a schema 2 file: %v", err)
	}

	garbage := tempDB(t)
	os.WriteFile(garbage, []byte(strings.Repeat("not a database ", 1000)), 0o600)
	if _, err := embedded.Open(garbage); err == nil || !strings.Contains(err.Error(), garbage) {
		t.Errorf("Open of a garbage file: %v", err)
	}
}

// TestRefusesInconsistentFile: a file whose edges do not fit its nodes is
// refused with an error that names the file and the edge's key.
func TestRefusesInconsistentFile(t *testing.T) {
	for _, c := range []struct {
		name   string
		damage func(nodes, edges *bolt.Bucket) error
		want   string
	}{
		{"an edge's end deleted", func(nodes, _ *bolt.Bucket) error { return nodes.Delete([]byte("lk-os")) },
			`key "bb-os>LOCATED_IN>lk-os": edge "bb-os>LOCATED_IN>lk-os" ends at the missing node "lk-os"`},
		{"an edge under another key", func(_, edges *bolt.Bucket) error {
			return edges.Put([]byte("bb-os>X>lk-os"), edges.Get([]byte("bb-os>LOCATED_IN>lk-os")))
		}, `key "bb-os>X>lk-os" holds the value of "bb-os>LOCATED_IN>lk-os"`},
		{"an edge that is not JSON", func(_, edges *bolt.Bucket) error {
			return edges.Put([]byte("bb-os>LOCATED_IN>lk-os"), []byte("{"))
		}, `bucket edges: key "bb-os>LOCATED_IN>lk-os"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := tempDB(t)
			s := openStore(t, path)
			sampleChanges(t, s)
			s.Close()
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Update(func(tx *bolt.Tx) error { return c.damage(tx.Bucket([]byte("nodes")), tx.Bucket([]byte("edges"))) }); err != nil {
				t.Fatal(err)
			}
			db.Close()
			_, err = embedded.Open(path)
			if landscape.ErrorCode(err) != landscape.EInternal || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Open: %v\nwant an internal error naming %s and containing %s", err, path, c.want)
			}
		})
	}
}

func TestFailedResolveWritesNothing(t *testing.T) {
	path := tempDB(t)
	s, err := embedded.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	sampleChanges(t, s)
	before, beforeE := dump(t, s)
	cs := create(
		[]*landscape.Node{node(landscape.Institution, "new", "Neu")},
		[]*landscape.Edge{edge("new", landscape.LocatedIn, "missing")})
	cs.Nodes = append(cs.Nodes, landscape.NodeChange{Op: landscape.OpDelete, ID: "bb-os"})
	_, err = s.Apply(ctx, cs)
	if landscape.ErrorCode(err) != landscape.ENotFound {
		t.Fatalf("Apply = %v, want ENotFound", err)
	}
	check := func(when string, s landscape.Store) {
		after, afterE := dump(t, s)
		if !reflect.DeepEqual(before, after) || !reflect.DeepEqual(beforeE, afterE) {
			t.Errorf("%s: a failed Apply changed the store", when)
		}
	}
	check("in memory", s)
	s.Close()
	check("after restart", openStore(t, path))
}

func TestCancelledApplyWritesNothing(t *testing.T) {
	s := openStore(t, tempDB(t))
	c, cancel := context.WithCancel(ctx)
	cancel()
	_, err := s.Apply(c, create([]*landscape.Node{node(landscape.Region, "r", "R")}, nil))
	if err == nil {
		t.Fatal("Apply with a cancelled context succeeded")
	}
	if !s.Empty() {
		t.Error("a cancelled Apply wrote")
	}
	c, cancel = context.WithTimeout(ctx, -time.Second)
	defer cancel()
	if _, err := s.Apply(c, create([]*landscape.Node{node(landscape.Region, "r", "R")}, nil)); landscape.ErrorCode(err) != landscape.ETimeout {
		t.Errorf("Apply past its deadline: %v, want ETimeout", err)
	}
}

func TestDetachDelete(t *testing.T) {
	path := tempDB(t)
	s, _ := embedded.Open(path)
	g := generate(300, 1500)
	apply(t, s, g.changeset())
	victim := "Institution-000003"
	adj, _ := s.Adjacent(ctx, landscape.AdjacencyQuery{NodeIDs: []string{victim}, Direction: landscape.DirBoth})
	if len(adj[victim]) == 0 {
		t.Fatal("test node has no edges")
	}
	res := apply(t, s, &landscape.Changeset{Nodes: []landscape.NodeChange{{Op: landscape.OpDelete, ID: victim}}})
	if !slices.Equal(res.DeletedNodes, []string{victim}) {
		t.Errorf("DeletedNodes = %v", res.DeletedNodes)
	}
	verify := func(s *embedded.Store) {
		t.Helper()
		ids := edgeIDs(adj[victim])
		if got, _ := s.Edges(ctx, ids, nil); len(got) != 0 {
			t.Errorf("edges of a deleted node survive: %v", got)
		}
		others := []string{}
		for _, e := range adj[victim] {
			others = append(others, e.Other(victim))
		}
		got, _ := s.Adjacent(ctx, landscape.AdjacencyQuery{NodeIDs: others, Direction: landscape.DirBoth})
		for id, es := range got {
			for _, e := range es {
				if e.From == victim || e.To == victim {
					t.Errorf("adjacency of %s still holds %s", id, e.ID)
				}
			}
		}
		if n, e := s.Stats(); n != len(g.nodes)-1 || e != len(g.edges)-len(ids) {
			t.Errorf("Stats = %d, %d; want %d, %d", n, e, len(g.nodes)-1, len(g.edges)-len(ids))
		}
	}
	verify(s)
	s.Close()
	verify(openStore(t, path))
}

func TestReturnedValuesAreCopies(t *testing.T) {
	s := openStore(t, tempDB(t))
	sampleChanges(t, s)
	before, beforeE := dump(t, s)

	ns, _ := s.Nodes(ctx, []string{"bb-os", "lp-kita"}, nil)
	for _, n := range ns {
		n.Name = "changed"
		if len(n.Aliases) > 0 {
			n.Aliases[0] = "changed"
		}
		if n.ValidFrom != nil {
			*n.ValidFrom = *landscape.MustDate("1999-01-01")
		}
		if n.Order != nil {
			*n.Order = 99
		}
	}
	p, _ := s.QueryNodes(ctx, landscape.NodeQuery{})
	for _, n := range p.Nodes {
		n.ID = "x"
	}
	p.Nodes[0] = nil
	adj, _ := s.Adjacent(ctx, landscape.AdjacencyQuery{NodeIDs: []string{"bb-os"}, Direction: landscape.DirOut})
	for _, e := range adj["bb-os"] {
		e.Role = "x"
		if e.ValidTo != nil {
			*e.ValidTo = *landscape.MustDate("1999-01-01")
		}
	}
	adj["bb-os"][0] = nil
	ep, _ := s.QueryEdges(ctx, landscape.EdgeQuery{})
	ep.Edges[0].ID = "x"

	// The result of Apply belongs to the caller as well.
	vf := landscape.MustDate("2020-01-01")
	in := node(landscape.Topic, "t", "T")
	in.ValidFrom = vf
	in.Aliases = []string{"a"}
	res := apply(t, s, create([]*landscape.Node{in}, nil))
	*vf = *landscape.MustDate("1999-01-01")
	in.Aliases[0] = "b"
	res.Nodes[0].Name = "changed"
	*res.Nodes[0].ValidFrom = *landscape.MustDate("1998-01-01")

	after, afterE := dump(t, s)
	if !reflect.DeepEqual(afterE, beforeE) {
		t.Error("mutating returned edges changed the store")
	}
	i := slices.IndexFunc(after, func(n *landscape.Node) bool { return n.ID == "t" })
	tn := after[i]
	if tn.Name != "T" || tn.ValidFrom.String() != "2020-01-01" || tn.Aliases[0] != "a" {
		t.Errorf("mutating the input or result of Apply changed the store: %+v", tn)
	}
	if !reflect.DeepEqual(slices.Delete(after, i, i+1), before) {
		t.Error("mutating returned nodes changed the store")
	}
}

func TestClosed(t *testing.T) {
	s, err := embedded.Open(tempDB(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping on an open store: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := s.Ping(ctx); landscape.ErrorCode(err) != landscape.EUnavailable {
		t.Errorf("Ping after Close = %v, want EUnavailable", err)
	}
	if _, err := s.Nodes(ctx, []string{"a"}, nil); landscape.ErrorCode(err) != landscape.EUnavailable {
		t.Errorf("Nodes after Close = %v", err)
	}
	if _, err := s.Apply(ctx, create([]*landscape.Node{node(landscape.Region, "r", "R")}, nil)); landscape.ErrorCode(err) != landscape.EUnavailable {
		t.Errorf("Apply after Close = %v", err)
	}
}

// TestQueriesAfterWrites checks the incrementally maintained sorted lists
// against a brute-force evaluation after each of many small writes.
func TestQueriesAfterWrites(t *testing.T) {
	s := openStore(t, tempDB(t))
	g := generate(400, 1200)
	apply(t, s, g.changeset())
	orders := [][]landscape.Order{
		nil,
		{{Field: landscape.OrderCreatedAt, Desc: true}},
		{{Field: landscape.OrderKind}, {Field: landscape.OrderValidTo, Desc: true}},
	}
	kindSets := [][]landscape.NodeKind{nil, {landscape.Offer}, {landscape.Actor, landscape.Region, landscape.Actor}}
	r := rand.New(rand.NewPCG(3, 4))
	all := landscape.MaxPageSize
	for step := range 60 {
		// A random write: rename, delete or create nodes, create or delete edges.
		nodes, edges := dump(t, s)
		cs := &landscape.Changeset{}
		for range 1 + r.IntN(5) {
			n := nodes[r.IntN(len(nodes))]
			switch r.IntN(4) {
			case 0:
				cs.Nodes = append(cs.Nodes, landscape.NodeChange{Op: landscape.OpDelete, ID: n.ID})
			case 1:
				cs.Nodes = append(cs.Nodes, landscape.NodeChange{Op: landscape.OpCreate, Node: node(n.Kind, fmt.Sprintf("new-%d-%d", step, r.IntN(1e6)), "Zz "+n.Name)})
			case 2:
				cs.Edges = append(cs.Edges, landscape.EdgeChange{Op: landscape.OpDelete, ID: edges[r.IntN(len(edges))].ID})
			default:
				cs.Nodes = append(cs.Nodes, landscape.NodeChange{Op: landscape.OpUpdate, ID: n.ID, Patch: &landscape.NodePatch{Name: landscape.Some(fmt.Sprintf("Renamed %d", r.IntN(1e6)))}})
			}
		}
		if _, err := s.Apply(ctx, cs); err != nil {
			continue // e.g. the same node deleted twice; a failed write is fine here
		}
		nodes, edges = dump(t, s)
		for _, order := range orders {
			for _, kinds := range kindSets {
				p, err := s.QueryNodes(ctx, landscape.NodeQuery{Kinds: kinds, Order: order, Page: landscape.PageArgs{First: &all}})
				if err != nil {
					t.Fatal(err)
				}
				q := landscape.NodeQuery{Order: order}
				q.Normalize()
				var want []*landscape.Node
				for _, n := range nodes {
					if len(kinds) == 0 || slices.Contains(kinds, n.Kind) {
						want = append(want, n)
					}
				}
				slices.SortFunc(want, func(a, b *landscape.Node) int { return landscape.CompareNodes(a, b, q.Order) })
				if !reflect.DeepEqual(p.Nodes, want[:min(len(want), all)]) {
					t.Fatalf("step %d: QueryNodes(%v, %v) differs from brute force", step, kinds, order)
				}
			}
		}
		// The reference for edges: every node's out-edges, by Adjacent.
		var ids []string
		for _, n := range nodes {
			ids = append(ids, n.ID)
		}
		adj, err := s.Adjacent(ctx, landscape.AdjacencyQuery{NodeIDs: ids, Direction: landscape.DirOut})
		if err != nil {
			t.Fatal(err)
		}
		var allEdges []*landscape.Edge
		for _, es := range adj {
			allEdges = append(allEdges, es...)
		}
		landscape.SortEdges(allEdges)
		if !reflect.DeepEqual(edges, allEdges) {
			t.Fatalf("step %d: QueryEdges differs from Adjacent", step)
		}
		for _, kinds := range [][]landscape.EdgeKind{{landscape.Provides}, {landscape.Serves, landscape.Targets}} {
			p, err := s.QueryEdges(ctx, landscape.EdgeQuery{Kinds: kinds, Page: landscape.PageArgs{First: &all}})
			if err != nil {
				t.Fatal(err)
			}
			var want []*landscape.Edge
			for _, e := range allEdges {
				if slices.Contains(kinds, e.Kind) {
					want = append(want, e)
				}
			}
			if !reflect.DeepEqual(p.Edges, want[:min(len(want), all)]) {
				t.Fatalf("step %d: QueryEdges(%v) differs from brute force", step, kinds)
			}
		}
	}
}

// TestCrashSafety kills a writing child process with SIGKILL and checks that
// every write the child saw acknowledged is in the file.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := tempDB(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "EMBEDDED_CRASH_DB="+path)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	sc := bufio.NewScanner(stdout)
	killed := false
	deadline := time.AfterFunc(30*time.Second, func() { cmd.Process.Signal(syscall.SIGKILL) })
	defer deadline.Stop()
	for sc.Scan() {
		id, ok := strings.CutPrefix(sc.Text(), "ACK ")
		if !ok {
			continue
		}
		acked = append(acked, id)
		// Kill at an arbitrary point, possibly in the middle of a commit:
		// a random time after the 400th acknowledgement.
		if !killed && len(acked) >= 400 {
			killed = true
			time.AfterFunc(time.Duration(rand.IntN(200))*time.Millisecond, func() { cmd.Process.Signal(syscall.SIGKILL) })
		}
	}
	io.Copy(io.Discard, stdout)
	err = cmd.Wait()
	if !killed {
		t.Fatalf("child ended before it was killed (%d acks): %v", len(acked), err)
	}
	s := openStore(t, path)
	got, err := s.Nodes(ctx, acked, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range acked {
		if got[id] == nil {
			t.Errorf("acknowledged node %s is missing after kill -9", id)
		}
	}
	n, e := s.Stats()
	t.Logf("%d acknowledged writes checked; the file holds %d nodes, %d edges", len(acked), n, e)
	// The file is consistent: every edge connects two stored nodes (Open
	// checks that) and each acknowledged batch is complete.
}

// TestCrashChild is the child of TestCrashSafety: it writes until killed
// and prints the id of each node whose write was acknowledged.
func TestCrashChild(t *testing.T) {
	path := os.Getenv("EMBEDDED_CRASH_DB")
	if path == "" {
		t.Skip("only run as the child of TestCrashSafety")
	}
	s, err := embedded.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r := node(landscape.Region, "r", "Region")
	if _, err := s.Apply(ctx, create([]*landscape.Node{r}, nil)); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		var ids []string
		cs := &landscape.Changeset{}
		size := 1
		if i%10 == 9 {
			size = 300 // a bigger commit now and then
		}
		for j := range size {
			id := "n-" + strconv.Itoa(i) + "-" + strconv.Itoa(j)
			ids = append(ids, id)
			cs.Nodes = append(cs.Nodes, landscape.NodeChange{Op: landscape.OpCreate, Node: node(landscape.Institution, id, "Institution "+id)})
			cs.Edges = append(cs.Edges, landscape.EdgeChange{Op: landscape.OpCreate, Edge: edge(id, landscape.LocatedIn, "r")})
		}
		if _, err := s.Apply(ctx, cs); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, id := range ids {
			b.WriteString("ACK " + id + "\n")
		}
		os.Stdout.WriteString(b.String())
	}
}

// TestConcurrentReadersAndWriters is meant for -race.
func TestConcurrentReadersAndWriters(t *testing.T) {
	path := tempDB(t)
	s, err := embedded.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	g := generate(500, 2000)
	apply(t, s, g.changeset())

	var wg, writers sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 100)
	for w := range 3 {
		writers.Go(func() {
			for i := range 40 {
				id := fmt.Sprintf("w%d-%d", w, i)
				cs := create(
					[]*landscape.Node{node(landscape.Offer, id, "Angebot "+id)},
					[]*landscape.Edge{edge("Institution-000001", landscape.Provides, id), edge(id, landscape.Serves, "Region-000002")})
				if i%5 == 4 {
					cs.Nodes = append(cs.Nodes, landscape.NodeChange{Op: landscape.OpDelete, ID: fmt.Sprintf("w%d-%d", w, i-2)})
				}
				if _, err := s.Apply(ctx, cs); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for r := range 4 {
		wg.Go(func() {
			f := &landscape.Filter{Relation: &landscape.RelationFilter{Direction: landscape.DirIn, Quantifier: landscape.QuantSome, Kinds: []landscape.EdgeKind{landscape.Provides}}}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var err error
				switch (r + i) % 4 {
				case 0:
					_, err = s.QueryNodes(ctx, landscape.NodeQuery{Kinds: []landscape.NodeKind{landscape.Offer}, Filter: f, AsOf: landscape.MustDate("2022-01-01")})
				case 1:
					var adj map[string][]*landscape.Edge
					adj, err = s.Adjacent(ctx, landscape.AdjacencyQuery{NodeIDs: []string{"Institution-000001", "Region-000002"}, Direction: landscape.DirBoth})
					for _, es := range adj {
						if !slices.IsSortedFunc(es, func(a, b *landscape.Edge) int { return strings.Compare(a.ID, b.ID) }) {
							errs <- fmt.Errorf("adjacency not sorted")
						}
					}
				case 2:
					_, err = s.QueryEdges(ctx, landscape.EdgeQuery{Kinds: []landscape.EdgeKind{landscape.Serves}})
				default:
					_, err = s.Nodes(ctx, []string{"w0-1", "w1-1", "Offer-000001"}, nil)
					s.Stats()
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	writers.Wait()
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, _ := s.Stats(); n != len(g.nodes)+3*(40-8) {
		t.Errorf("%d nodes, want %d", n, len(g.nodes)+3*(40-8))
	}
	nodes, edges := dump(t, s)
	s.Close()
	nodes2, edges2 := dump(t, openStore(t, path))
	if !reflect.DeepEqual(nodes, nodes2) || !reflect.DeepEqual(edges, edges2) {
		t.Error("memory and file differ after concurrent writes")
	}
}

// TestBulkAfterEmptyQuery: a cached list built on the empty store must be
// rebuilt after a write far larger than it.
func TestBulkAfterEmptyQuery(t *testing.T) {
	s := openStore(t, tempDB(t))
	zero := 0
	if p, _ := s.QueryEdges(ctx, landscape.EdgeQuery{Page: landscape.PageArgs{First: &zero}}); p.TotalCount != 0 {
		t.Fatal("fresh store not empty")
	}
	if p, _ := s.QueryNodes(ctx, landscape.NodeQuery{Page: landscape.PageArgs{First: &zero}}); p.TotalCount != 0 {
		t.Fatal("fresh store not empty")
	}
	g := generate(500, 1000)
	apply(t, s, g.changeset())
	if p, _ := s.QueryEdges(ctx, landscape.EdgeQuery{Page: landscape.PageArgs{First: &zero}}); p.TotalCount != len(g.edges) {
		t.Errorf("QueryEdges total %d, want %d", p.TotalCount, len(g.edges))
	}
	if p, _ := s.QueryNodes(ctx, landscape.NodeQuery{Page: landscape.PageArgs{First: &zero}}); p.TotalCount != len(g.nodes) {
		t.Errorf("QueryNodes total %d, want %d", p.TotalCount, len(g.nodes))
	}
}

// TestDeleteAndCreateAgain: a node deleted and created again in one
// changeset loses its edges, on disk too; an edge the same changeset
// writes anew survives.
func TestDeleteAndCreateAgain(t *testing.T) {
	path := tempDB(t)
	s, _ := embedded.Open(path)
	apply(t, s, create(
		[]*landscape.Node{node(landscape.Institution, "a", "A"), node(landscape.Region, "r", "R"), node(landscape.Committee, "c", "C")},
		[]*landscape.Edge{edge("a", landscape.LocatedIn, "r"), edge("a", landscape.MemberOf, "c")}))
	apply(t, s, &landscape.Changeset{
		Nodes: []landscape.NodeChange{{Op: landscape.OpDelete, ID: "a"}, {Op: landscape.OpCreate, Node: node(landscape.Institution, "a", "A neu")}},
		Edges: []landscape.EdgeChange{{Op: landscape.OpUpsert, Edge: edge("a", landscape.MemberOf, "c")}},
	})
	check := func(when string, s *embedded.Store) {
		t.Helper()
		adj, _ := s.Adjacent(ctx, landscape.AdjacencyQuery{NodeIDs: []string{"a", "r", "c"}, Direction: landscape.DirBoth})
		if got := edgeIDs(adj["a"]); !slices.Equal(got, []string{"a>MEMBER_OF>c"}) || len(adj["r"]) != 0 || len(adj["c"]) != 1 {
			t.Errorf("%s: adjacency %v", when, adj)
		}
		if n, e := s.Stats(); n != 3 || e != 1 {
			t.Errorf("%s: %d nodes, %d edges; want 3, 1", when, n, e)
		}
	}
	check("in memory", s)
	s.Close()
	check("after restart", openStore(t, path))
}

// TestPaddedIDOfStoredNode: Changeset.Refs names nodes by their raw id; the
// store must still find a stored node given with surrounding spaces.
func TestPaddedIDOfStoredNode(t *testing.T) {
	s := openStore(t, tempDB(t))
	res := apply(t, s, create([]*landscape.Node{node(landscape.Region, "r", "R")}, nil))
	_, err := s.Apply(ctx, create([]*landscape.Node{node(landscape.Region, " r ", "Other")}, nil))
	if landscape.ErrorCode(err) != landscape.EConflict {
		t.Errorf("create of a padded stored id: %v, want EConflict", err)
	}
	up := apply(t, s, &landscape.Changeset{Nodes: []landscape.NodeChange{{Op: landscape.OpUpsert, Node: node(landscape.Region, " r ", "R")}}})
	if up.Unchanged != 1 || !up.Empty() {
		t.Errorf("upsert of the same node with a padded id: %+v", up)
	}
	got, _ := s.Nodes(ctx, []string{"r"}, nil)
	if !got["r"].CreatedAt.Equal(res.Nodes[0].CreatedAt) || got["r"].Name != "R" {
		t.Errorf("node after the padded writes: %+v", got["r"])
	}
}
