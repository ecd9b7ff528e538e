package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// requireBuilt fails (not skips) the test when the bundle is missing: the
// project's test command always builds it first, so a missing bundle is a
// broken build, not an optional feature.
func requireBuilt(t *testing.T) *assets {
	t.Helper()
	a, err := loadAssets(bundle())
	if err != nil {
		t.Fatalf("GraphiQL bundle missing in internal/web/dist/graphiql (%v); build it first with: %s", err, BuildCommand)
	}
	return a
}

// mounted mounts GraphiQL the way the server does.
func mounted(endpoint string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/graphiql/", http.StripPrefix("/graphiql", GraphiQL(endpoint)))
	return mux
}

func get(t *testing.T, h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestBuilt(t *testing.T) {
	requireBuilt(t)
	if !Built() {
		t.Fatalf("Built() = false although the bundle loads; build with: %s", BuildCommand)
	}
}

func TestIndexServesPageWithEndpoint(t *testing.T) {
	a := requireBuilt(t)
	h := mounted("/graphql")
	for _, target := range []string{"/graphiql/", "/graphiql/index.html"} {
		rec := get(t, h, target)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: status %d, want 200", target, rec.Code)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", target, ct)
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", target, cc)
		}
		csp := rec.Header().Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "connect-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy %q", target, csp)
		}
		body := rec.Body.String()
		for _, want := range []string{
			`<title>bildungsgraph – GraphiQL</title>`,
			`data-endpoint="/graphql"`,
			`src="` + a.manifest.JS + `"`,
			`href="` + a.manifest.CSS + `"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s: page lacks %q:\n%s", target, want, body)
			}
		}
		if strings.Contains(body, endpointMarker) {
			t.Errorf("GET %s: endpoint marker not replaced", target)
		}
		if m := regexp.MustCompile(`(?:src|href)="(?:https?:)?//`).FindString(body); m != "" {
			t.Errorf("GET %s: page loads from another host: %s", target, m)
		}
	}
}

func TestIndexEscapesEndpoint(t *testing.T) {
	requireBuilt(t)
	rec := get(t, mounted(`https://example.test/q?a="b"&c`), "/graphiql/")
	body := rec.Body.String()
	if !strings.Contains(body, `data-endpoint="https://example.test/q?a=&#34;b&#34;&amp;c"`) {
		t.Errorf("endpoint not HTML-escaped in page:\n%s", body)
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self' https://example.test;") {
		t.Errorf("CSP does not allow the absolute endpoint's origin: %q", csp)
	}
}

func TestRedirectsToTrailingSlash(t *testing.T) {
	requireBuilt(t)
	h := http.StripPrefix("/graphiql", GraphiQL("/graphql"))
	rec := get(t, h, "/graphiql?x=1")
	if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "/graphiql/?x=1" {
		t.Fatalf("GET /graphiql: %d Location %q, want 301 to /graphiql/?x=1", rec.Code, rec.Header().Get("Location"))
	}
}

func TestAssets(t *testing.T) {
	a := requireBuilt(t)
	h := mounted("/graphql")
	for _, tc := range []struct {
		name, contentType string
		contains          []string
	}{
		{a.manifest.JS, "text/javascript; charset=utf-8", []string{"query Gremien", "query Bildungsbueros", "query Nachbarschaft", "lk-osnabrueck"}},
		{a.manifest.CSS, "text/css; charset=utf-8", []string{".graphiql-container", ".bildungsgraph-logo"}},
	} {
		rec := get(t, h, "/graphiql/"+tc.name)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: status %d", tc.name, rec.Code)
		}
		if ct := rec.Header().Get("Content-Type"); ct != tc.contentType {
			t.Errorf("GET %s: Content-Type %q, want %q", tc.name, ct, tc.contentType)
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s: Cache-Control %q", tc.name, cc)
		}
		if rec.Header().Get("Content-Encoding") != "" {
			t.Errorf("GET %s without Accept-Encoding: Content-Encoding %q", tc.name, rec.Header().Get("Content-Encoding"))
		}
		plain := rec.Body.Bytes()
		for _, want := range tc.contains {
			if !bytes.Contains(plain, []byte(want)) {
				t.Errorf("GET %s: body lacks %q", tc.name, want)
			}
		}

		// Conditional request.
		etag := rec.Header().Get("ETag")
		if etag == "" {
			t.Errorf("GET %s: no ETag", tc.name)
		} else if rec := get(t, h, "/graphiql/"+tc.name, "If-None-Match", etag); rec.Code != http.StatusNotModified {
			t.Errorf("GET %s If-None-Match: status %d, want 304", tc.name, rec.Code)
		}

		// Precompressed variant.
		rec = get(t, h, "/graphiql/"+tc.name, "Accept-Encoding", "br, gzip;q=0.8")
		if rec.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("GET %s with gzip: Content-Encoding %q", tc.name, rec.Header().Get("Content-Encoding"))
			continue
		}
		if ct := rec.Header().Get("Content-Type"); ct != tc.contentType {
			t.Errorf("GET %s with gzip: Content-Type %q", tc.name, ct)
		}
		if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
			t.Errorf("GET %s with gzip: no Vary: Accept-Encoding", tc.name)
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatalf("GET %s with gzip: %v", tc.name, err)
		}
		unzipped, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(unzipped, plain) {
			t.Errorf("GET %s with gzip: decompressed body differs from plain one (err %v)", tc.name, err)
		}
		if rec := get(t, h, "/graphiql/"+tc.name, "Accept-Encoding", "gzip;q=0"); rec.Header().Get("Content-Encoding") != "" {
			t.Errorf("GET %s with gzip;q=0: got Content-Encoding %q", tc.name, rec.Header().Get("Content-Encoding"))
		}
	}

	rec := get(t, h, "/graphiql/THIRD_PARTY_LICENSES.txt")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") ||
		!strings.Contains(rec.Body.String(), "graphiql@") {
		t.Errorf("GET THIRD_PARTY_LICENSES.txt: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
}

func TestStylesheetLoadsNothingElsewhere(t *testing.T) {
	a := requireBuilt(t)
	css, err := fs.ReadFile(bundle(), a.manifest.CSS)
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`@import|url\(\s*['"]?(?:https?:)?//`).Find(css); m != nil {
		t.Errorf("stylesheet references another host: %s", m)
	}
}

func TestUnknownAssets(t *testing.T) {
	requireBuilt(t)
	h := mounted("/graphql")
	for _, target := range []string{
		"/graphiql/nope.js",
		"/graphiql/graphiql.css",
		"/graphiql/manifest.json",
		"/graphiql/sub/index.html",
	} {
		if rec := get(t, h, target); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", target, rec.Code)
		}
	}
}

func TestMethodNotAllowed(t *testing.T) {
	requireBuilt(t)
	rec := httptest.NewRecorder()
	mounted("/graphql").ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphiql/", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /graphiql/: status %d, want 405", rec.Code)
	}
}

func TestRealServer(t *testing.T) {
	requireBuilt(t)
	srv := httptest.NewServer(mounted("/graphql"))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/graphiql") // mux redirects to /graphiql/
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(`data-endpoint="/graphql"`)) {
		t.Fatalf("GET /graphiql: %d\n%s", res.StatusCode, body)
	}
}

// The 503 page does not need the bundle: it is what a build without it shows.
func TestNotBuilt(t *testing.T) {
	broken := fstest.MapFS{"index.html": {Data: []byte("<html></html>")}} // no manifest, no assets
	if _, err := loadAssets(broken); err == nil {
		t.Fatal("loadAssets accepted a bundle without manifest and assets")
	}
	manifestOnly, _ := json.Marshal(manifest{JS: "graphiql-AAAAAAAA.js", CSS: "graphiql-AAAAAAAA.css"})
	for name, fsys := range map[string]fs.FS{
		"empty":         fstest.MapFS{},
		"index only":    broken,
		"assets absent": fstest.MapFS{"index.html": {Data: []byte("x")}, "manifest.json": {Data: manifestOnly}},
	} {
		h := http.StripPrefix("/graphiql", newHandler(fsys, "/graphql"))
		for _, target := range []string{"/graphiql/", "/graphiql/graphiql-AAAAAAAA.js"} {
			rec := get(t, h, target)
			if rec.Code != http.StatusServiceUnavailable {
				t.Errorf("%s: GET %s: status %d, want 503", name, target, rec.Code)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("%s: Content-Type %q", name, ct)
			}
			body := rec.Body.String()
			for _, want := range []string{
				"npm --prefix web ci &amp;&amp; npm --prefix web run build", // BuildCommand, HTML-escaped
				"nicht enthalten",
				"not included",
			} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: 503 page lacks %q", name, want)
				}
			}
		}
	}
	if BuildCommand != "npm --prefix web ci && npm --prefix web run build" {
		t.Errorf("BuildCommand = %q", BuildCommand)
	}
}
