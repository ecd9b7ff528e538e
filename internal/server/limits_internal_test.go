package server

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/99designs/gqlgen/complexity"
	"github.com/vektah/gqlparser/v2"

	"github.com/bildungsgraph/bildungsgraph/graph"
)

// TestClientQueriesFitTheDefaultLimits: every operation the explorer and
// GraphiQL's examples send (web/src/*.graphql, web/src/queries/*.graphql)
// stays within the default depth and complexity limits, so tightening a
// default or deepening a client query is caught here.
func TestClientQueriesFitTheDefaultLimits(t *testing.T) {
	es := graph.NewExecutableSchema(graph.NewConfig(nil))
	var files []string
	for _, pattern := range []string{"*.graphql", filepath.Join("queries", "*.graphql")} {
		m, _ := filepath.Glob(filepath.Join("..", "..", "web", "src", pattern))
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no client queries in web/src")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, errs := gqlparser.LoadQueryWithRules(es.Schema(), string(src), nil)
		if errs != nil {
			t.Errorf("%s: %v", f, errs)
			continue
		}
		for _, op := range doc.Operations {
			w := depthWalker{doc: doc, memo: map[string]int{}}
			d := w.depth(op.SelectionSet)
			t.Logf("%s: %s: depth %d", filepath.Base(f), op.Name, d)
			if d > DefaultMaxDepth || d == 0 {
				t.Errorf("%s: operation %q has depth %d; the default limit is %d", filepath.Base(f), op.Name, d, DefaultMaxDepth)
			}
			if c := complexity.Calculate(context.Background(), es, op, map[string]any{}); c > DefaultComplexityLimit {
				t.Errorf("%s: operation %q has complexity %d; the default limit is %d", filepath.Base(f), op.Name, c, DefaultComplexityLimit)
			}
		}
	}
}
