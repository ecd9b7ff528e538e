package web

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
)

func TestExplorer(t *testing.T) {
	a, err := loadAssets(explorerBundle())
	if err != nil {
		t.Fatalf("Explorer bundle missing in internal/web/dist/explorer (%v); build it first with: %s", err, BuildCommand)
	}
	if !ExplorerBuilt() {
		t.Fatal("ExplorerBuilt() = false although the bundle loads")
	}
	mux := http.NewServeMux()
	mux.Handle("/explorer/", http.StripPrefix("/explorer", Explorer("/graphql")))

	rec := get(t, mux, "/explorer/")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /explorer/: status %d", rec.Code)
	}
	body := rec.Body.Bytes()
	for _, want := range []string{
		`data-endpoint="/graphql"`, a.manifest.JS, a.manifest.CSS, `lang="de"`,
		// network filters and size measure (web/src/explorer.html)
		`id="filter-region"`, `id="filter-topic"`, `id="filter-kinds"`, `id="filter-edges"`, `id="size-by"`, `data-export="landscape.gexf"`,
		// API key control and the hint when reading needs a key
		`id="api-key"`, `type="password"`, `id="key-logout"`, `id="key-status"`, `id="auth-hint"`,
	} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("page lacks %q", want)
		}
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
	for _, name := range []string{a.manifest.JS, a.manifest.CSS} {
		rec := get(t, mux, "/explorer/"+name)
		if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s: status %d, Cache-Control %q", name, rec.Code, rec.Header().Get("Cache-Control"))
		}
	}
	// The mux (or the handler, when mounted without it) redirects to the slash.
	if rec := get(t, mux, "/explorer"); rec.Code/100 != 3 || rec.Header().Get("Location") != "/explorer/" {
		t.Errorf("GET /explorer: status %d, Location %q", rec.Code, rec.Header().Get("Location"))
	}
}

// The Explorer's queries (web/src/explorer.graphql) must be valid against the
// server's schema, and every operation the page sends (gql('Name', …) in
// web/src/explorer.js) must be in that document, and only those.
func TestExplorerQueriesMatchSchema(t *testing.T) {
	schema, err := gqlparser.LoadSchema(schemaSources(t)...)
	if err != nil {
		t.Fatalf("loading schema: %v", err)
	}
	src, err := os.ReadFile(filepath.Join(repoRoot, "web", "src", "explorer.graphql"))
	if err != nil {
		t.Fatal(err)
	}
	doc, errs := gqlparser.LoadQueryWithRules(schema, string(src), nil)
	if len(errs) > 0 {
		t.Fatalf("web/src/explorer.graphql does not match the schema: %v", errs)
	}
	inDoc := map[string]bool{}
	for _, op := range doc.Operations {
		if op.Name == "" {
			t.Errorf("web/src/explorer.graphql: anonymous operation; the page selects operations by name")
		}
		inDoc[op.Name] = true
	}
	js, err := os.ReadFile(filepath.Join(repoRoot, "web", "src", "explorer.js"))
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`\bgql\(\s*'(\w+)'`).FindAllStringSubmatch(string(js), -1) {
		used[m[1]] = true
		if !inDoc[m[1]] {
			t.Errorf("explorer.js sends operation %q, which web/src/explorer.graphql lacks", m[1])
		}
	}
	for name := range inDoc {
		if !used[name] {
			t.Errorf("web/src/explorer.graphql: operation %q is not used by explorer.js", name)
		}
	}
	if len(used) < 5 {
		t.Errorf("found only %d gql('…') calls in explorer.js: did the call syntax change?", len(used))
	}
}
