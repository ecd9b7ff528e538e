package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// repoRoot is the repository root as seen from this package's directory.
const repoRoot = "../.."

// schemaSources reads the schema files listed under "schema:" in gqlgen.yml.
func schemaSources(t *testing.T) []*ast.Source {
	t.Helper()
	cfg, err := os.ReadFile(filepath.Join(repoRoot, "gqlgen.yml"))
	if err != nil {
		t.Fatalf("reading gqlgen.yml to find the schema: %v", err)
	}
	var sources []*ast.Source
	inSchema := false
	for _, line := range strings.Split(string(cfg), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "schema:"):
			inSchema = true
		case inSchema && strings.HasPrefix(trimmed, "- "):
			pattern := strings.Trim(strings.TrimSpace(strings.TrimPrefix(trimmed, "- ")), `"'`)
			files, err := filepath.Glob(filepath.Join(repoRoot, pattern))
			if err != nil {
				t.Fatalf("gqlgen.yml schema pattern %q: %v", pattern, err)
			}
			for _, f := range files {
				input, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				sources = append(sources, &ast.Source{Name: f, Input: string(input)})
			}
		case inSchema && trimmed != "" && !strings.HasPrefix(trimmed, "#"):
			inSchema = false
		}
	}
	if len(sources) == 0 {
		t.Fatal("no schema files found via gqlgen.yml")
	}
	return sources
}

// The example queries GraphiQL opens as tabs (web/src/queries/*.graphql) must
// be valid against the server's schema.
func TestExampleQueriesMatchSchema(t *testing.T) {
	schema, err := gqlparser.LoadSchema(schemaSources(t)...)
	if err != nil {
		t.Fatalf("loading schema: %v", err)
	}
	files, err := filepath.Glob(filepath.Join(repoRoot, "web", "src", "queries", "*.graphql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no example queries in web/src/queries (%v)", err)
	}
	for _, f := range files {
		query, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(query), "# ") {
			t.Errorf("%s: should start with a # comment saying what it shows", filepath.Base(f))
		}
		if _, errs := gqlparser.LoadQueryWithRules(schema, string(query), nil); len(errs) > 0 {
			t.Errorf("%s does not match the schema: %v", filepath.Base(f), errs)
		}
	}
}
