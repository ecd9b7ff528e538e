package neo4jstore_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
	"github.com/bildungsgraph/bildungsgraph/internal/neo4jstore"
	"github.com/bildungsgraph/bildungsgraph/internal/neo4jtest"
	"github.com/bildungsgraph/bildungsgraph/internal/server"
)

// faultPort is the port of the Neo4j this test starts and stops itself (the
// shared test server at NEO4J_URI must not be stopped under other tests).
const faultPort = "7697"

// faultStore starts the Neo4j at faultPort (stopped again after the test)
// and opens a store on it that retries a failed transaction for maxRetry.
func faultStore(t *testing.T, maxRetry time.Duration) *neo4jstore.Store {
	t.Helper()
	if os.Getenv("NEO4J_URI") == "" && os.Getenv("BILDUNGSGRAPH_REQUIRE_NEO4J") != "1" {
		t.Skip("needs a Java and Maven to start a local Neo4j; runs in scripts/test.sh")
	}
	if testing.Short() {
		t.Skip("starts and stops a Neo4j of its own")
	}
	neo4jtest.Local(t, nil, "start", faultPort)
	t.Cleanup(func() { neo4jtest.Local(t, nil, "stop", faultPort) })
	s, err := neo4jstore.Open(context.Background(), neo4jstore.Config{URI: "bolt://127.0.0.1:" + faultPort, ConnectTimeout: time.Minute,
		TxTimeout: 10 * time.Second, MaxRetryTime: maxRetry})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestNeo4jStopsUnderWrites stops Neo4j while writes stream in and starts it
// again on the same data: writes fail with UNAVAILABLE while it is down,
// /readyz says so, the store recovers by itself (no reopen, no restart of
// the server), and no acknowledged write is lost.
func TestNeo4jStopsUnderWrites(t *testing.T) {

	ctx := context.Background()
	s := faultStore(t, time.Second)
	handler := server.New(server.Config{Store: s})
	ready := func() int {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		return rec.Code
	}

	var (
		mu       sync.Mutex
		acked    []string
		failures = map[landscape.Code]int{}
	)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // the stream of writes: one node each, as a coordinator would enter them
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			id := fmt.Sprintf("angebot-%04d", i)
			wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			_, err := s.Apply(wctx, &landscape.Changeset{Nodes: []landscape.NodeChange{{Op: landscape.OpCreate, Node: &landscape.Node{
				ID: id, Kind: landscape.Offer, Name: "Sprachcafé " + id, Source: "Test: Ausfall von Neo4j"}}}})
			cancel()
			mu.Lock()
			if err == nil {
				acked = append(acked, id)
			} else {
				failures[landscape.ErrorCode(err)]++
			}
			mu.Unlock()
			if err != nil {
				time.Sleep(200 * time.Millisecond)
			}
		}
	}()
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(acked) }
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(3 * time.Minute)
		for !cond() {
			if time.Now().After(deadline) {
				close(stop)
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitFor("first writes", func() bool { return count() >= 20 })
	if code := ready(); code != http.StatusOK {
		t.Fatalf("/readyz = %d before the stop", code)
	}

	neo4jtest.Local(t, nil, "stop", faultPort)
	before := count()
	time.Sleep(2 * time.Second)
	if code := ready(); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz = %d while Neo4j is down, want 503", code)
	}
	mu.Lock()
	down := failures[landscape.EUnavailable] + failures[landscape.ETimeout]
	mu.Unlock()
	if down == 0 {
		t.Errorf("no write failed with UNAVAILABLE or TIMEOUT while Neo4j was down (failures %v)", failures)
	}

	neo4jtest.Local(t, []string{"NEO4J_KEEP_DATA=1"}, "start", faultPort)
	waitFor("writes after the restart", func() bool { return count() >= before+20 })
	close(stop)
	<-done
	if code := ready(); code != http.StatusOK {
		t.Errorf("/readyz = %d after the restart", code)
	}

	mu.Lock()
	defer mu.Unlock()
	found, err := s.Nodes(ctx, acked, nil)
	if err != nil {
		t.Fatal(err)
	}
	var lost []string
	for _, id := range acked {
		if found[id] == nil {
			lost = append(lost, id)
		}
	}
	if len(lost) > 0 {
		t.Errorf("%d of %d acknowledged writes lost: %v", len(lost), len(acked), lost)
	}
	for code := range failures {
		if code != landscape.EUnavailable && code != landscape.ETimeout {
			t.Errorf("writes failed with %s while Neo4j was down: want UNAVAILABLE or TIMEOUT (%v)", code, failures)
		}
	}
	t.Logf("%d writes acknowledged, failures while down: %v", len(acked), failures)
}

// TestReadsAcrossARestart: reads run as auto-commit transactions, which the
// driver does not retry; the store retries them. After Neo4j restarts, the
// idle connections in the pool are dead, and reads still succeed; while it
// is down, a read fails with UNAVAILABLE once MaxRetryTime has passed,
// without hanging.
func TestReadsAcrossARestart(t *testing.T) {

	ctx := context.Background()
	s := faultStore(t, 2*time.Second)
	const id = "vhs-neustart"
	if _, err := s.Apply(ctx, &landscape.Changeset{Nodes: []landscape.NodeChange{{Op: landscape.OpCreate, Node: &landscape.Node{
		ID: id, Kind: landscape.Institution, Name: "VHS Neustart", Source: "Test: Neustart von Neo4j"}}}}); err != nil {
		t.Fatal(err)
	}
	// reads reads the node from 8 goroutines at once, which leaves (up to)
	// 8 idle connections in the pool.
	reads := func(what string) {
		t.Helper()
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Go(func() {
				rctx, cancel := context.WithTimeout(ctx, time.Minute)
				defer cancel()
				found, err := s.Nodes(rctx, []string{id}, nil)
				if err == nil && found[id] == nil {
					err = fmt.Errorf("node %s not found", id)
				}
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("%s: %v [%s]", what, err, landscape.ErrorCode(err))
			}
		}
	}
	reads("reads before the restart")
	neo4jtest.Local(t, nil, "stop", faultPort)
	neo4jtest.Local(t, []string{"NEO4J_KEEP_DATA=1"}, "start", faultPort)
	reads("reads after the restart, on the pool's dead connections")

	neo4jtest.Local(t, nil, "stop", faultPort)
	start := time.Now()
	_, err := s.Nodes(ctx, []string{id}, nil)
	if landscape.ErrorCode(err) != landscape.EUnavailable {
		t.Errorf("a read while Neo4j is down: %v [%s], want UNAVAILABLE", err, landscape.ErrorCode(err))
	}
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("a read while Neo4j is down took %v", took)
	}
	neo4jtest.Local(t, []string{"NEO4J_KEEP_DATA=1"}, "start", faultPort)
	reads("reads after the second restart")
}
