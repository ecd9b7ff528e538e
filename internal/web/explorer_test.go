package web

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
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
	for _, want := range []string{`data-endpoint="/graphql"`, a.manifest.JS, a.manifest.CSS, `lang="de"`} {
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
