package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/embedded"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// TestGenerateThenImport: `generate --out` writes the same bytes for the
// same scale and seed, other bytes for another seed, and `import` reads what
// it wrote into an embedded store, every node and relationship.
func TestGenerateThenImport(t *testing.T) {
	dir := t.TempDir()
	gen := func(name, seed string) []byte {
		t.Helper()
		out := filepath.Join(dir, name)
		if err := app().Run(context.Background(), []string{"bildungsgraph", "generate", "--scale", "0.01", "--seed", seed, "--out", out}); err != nil {
			t.Fatalf("generate: %v", err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, again, other := gen("a.json", "7"), gen("b.json", "7"), gen("c.json", "8")
	if !bytes.Equal(a, again) {
		t.Error("the same scale and seed gave different documents")
	}
	if bytes.Equal(a, other) {
		t.Error("seeds 7 and 8 gave the same document")
	}
	if !bytes.Contains(a, []byte("Generator bildungsgraph (synthetisch), Seed 7")) {
		t.Error("the document does not name its source")
	}

	db := filepath.Join(dir, "landscape.db") // --store embedded: the test command sets NEO4J_URI
	if err := app().Run(context.Background(), []string{"bildungsgraph", "import", "--quiet", "--store", "embedded", "--data", db, filepath.Join(dir, "a.json")}); err != nil {
		t.Fatalf("import: %v", err)
	}
	doc, err := landscape.ParseDocument(a)
	if err != nil {
		t.Fatal(err)
	}
	s, err := embedded.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ids := make([]string, len(doc.Nodes))
	for i, n := range doc.Nodes {
		ids[i] = n.ID
	}
	nodes, err := s.Nodes(context.Background(), ids, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(nodes) != len(doc.Nodes) || len(doc.Nodes) < 500 {
		t.Errorf("the store holds %d of the %d generated nodes", len(nodes), len(doc.Nodes))
	}
	eids := make([]string, len(doc.Edges))
	for i, e := range doc.Edges {
		eids[i] = e.ID
		if e.ID == "" { // the default id, as the import gives it
			eids[i] = landscape.DefaultEdgeID(e.From, e.Kind, e.To)
		}
	}
	edges, err := s.Edges(context.Background(), eids, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(edges) != len(doc.Edges) || len(doc.Edges) < 2000 {
		t.Errorf("the store holds %d of the %d generated relationships", len(edges), len(doc.Edges))
	}

	err = app().Run(context.Background(), []string{"bildungsgraph", "generate", "--scale", "1000", "--out", filepath.Join(dir, "x.json")})
	if err == nil || !strings.Contains(err.Error(), "--scale") {
		t.Errorf("generate --scale 1000: %v, want an error naming --scale", err)
	}
}
