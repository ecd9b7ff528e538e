package neo4jstore

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
	"github.com/bildungsgraph/bildungsgraph/internal/storetest"
)

// testURI returns the URI of the test server: NEO4J_URI. Without it the
// test is skipped, or fails when BILDUNGSGRAPH_REQUIRE_NEO4J=1 (the project's
// test command sets it, so that these tests never go missing unnoticed).
func testURI(t testing.TB) string {
	t.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		if os.Getenv("BILDUNGSGRAPH_REQUIRE_NEO4J") == "1" {
			t.Fatal("NEO4J_URI is not set but BILDUNGSGRAPH_REQUIRE_NEO4J=1: start a Neo4j 5.26, e.g. with " +
				"scripts/neo4j-local.sh run -- go test ./internal/neo4jstore/")
		}
		t.Skip("NEO4J_URI is not set; run the Neo4j tests with: scripts/neo4j-local.sh run -- go test ./internal/neo4jstore/")
	}
	return uri
}

func testConfig(t testing.TB) Config {
	cfg := Config{
		URI:      testURI(t),
		User:     os.Getenv("NEO4J_USER"),
		Password: os.Getenv("NEO4J_PASSWORD"),
		Database: os.Getenv("NEO4J_DATABASE"),
		Logger:   testLogger(t),
	}
	if v := os.Getenv("BILDUNGSGRAPH_NEO4J_BATCH"); v != "" {
		fmt.Sscan(v, &cfg.BatchSize)
	}
	return cfg
}

// testLogger logs warnings and errors through t.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(b []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(b))
	return len(b), nil
}

// openEmpty opens a store on the test server and deletes every node and
// relationship of its database. The tests of this package share the one
// database, so they run one after the other (no t.Parallel).
func openEmpty(t testing.TB) *Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := Open(ctx, testConfig(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := s.wipe(ctx); err != nil {
		s.Close()
		t.Fatalf("wiping the test database: %v", err)
	}
	return s
}

// wipe deletes every relationship and node, in batches of auto-commit
// transactions (relationships first, so that a batch's size does not depend
// on the degree of its nodes).
func (s *Store) wipe(ctx context.Context) error {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.cfg.Database})
	defer sess.Close(ctx)
	for _, q := range []string{
		"MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS",
		"MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
	} {
		res, err := sess.Run(ctx, q, nil)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func TestConformance(t *testing.T) {
	testURI(t) // skip (or fail) once, not in every subtest
	storetest.Run(t, func(t *testing.T) landscape.Store {
		s := openEmpty(t)
		t.Cleanup(func() { s.Close() }) // idempotent; Run closes it first
		return s
	})
}
