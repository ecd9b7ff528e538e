// Package web serves the bildungsgraph GraphiQL page from the Go binary.
//
// The page is the official GraphiQL (npm package "graphiql", 3.x), bundled by
// esbuild from the npm project in web/ into internal/web/dist/graphiql and
// embedded here. Nothing is loaded from a CDN: scripts, styles and fonts all
// come from this binary, so the page also works on networks without internet
// access.
//
// The bundle is a build artefact and never committed (only dist/.gitkeep is).
// Build it before `go build` / `go test`:
//
//	npm --prefix web ci && npm --prefix web run build
//
// Without it the binary still builds; GraphiQL then answers 503 with a page
// that names that command, and Built reports false.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"html"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// BuildCommand builds the embedded bundle (run from the repository root).
const BuildCommand = "npm --prefix web ci && npm --prefix web run build"

// endpointMarker is the placeholder in index.html that GraphiQL's handler
// replaces with the GraphQL endpoint (see web/src/index.html).
const endpointMarker = "__BILDUNGSGRAPH_GRAPHQL_ENDPOINT__"

//go:embed all:dist
var dist embed.FS

// bundle returns the embedded build output (dist/graphiql).
func bundle() fs.FS {
	sub, err := fs.Sub(dist, "dist/graphiql")
	if err != nil { // cannot happen: "dist/graphiql" is a valid path
		panic(err)
	}
	return sub
}

// embedded is the loaded bundle (read and hashed once).
var embedded = sync.OnceValues(func() (*assets, error) { return loadAssets(bundle()) })

// Built reports whether the GraphiQL bundle was embedded, i.e. whether
// `npm --prefix web run build` ran before the Go build.
func Built() bool {
	_, err := embedded()
	return err == nil
}

// GraphiQL returns a handler for the GraphiQL page that sends its queries to
// endpoint (e.g. "/graphql", or an absolute URL). It serves the page at the
// root of the path it is mounted on and its assets next to it, so mount it
// under a prefix with a trailing slash:
//
//	mux.Handle("/graphiql/", http.StripPrefix("/graphiql", web.GraphiQL("/graphql")))
//
// When the bundle is missing, every request gets 503 and a page (German and
// English) that names the build command.
func GraphiQL(endpoint string) http.Handler {
	a, err := embedded()
	if err != nil {
		return notBuiltHandler{}
	}
	return assetsHandler(a, endpoint)
}

// manifest is dist/graphiql/manifest.json, written by web/build.mjs.
type manifest struct {
	JS  string `json:"js"`
	CSS string `json:"css"`
}

type asset struct {
	body        []byte
	etag        string
	contentType string
	immutable   bool   // content-hashed name: may be cached for good
	gzip        *asset // precompressed variant, if the build made one
}

type assets struct {
	manifest manifest
	index    []byte // index.html, endpoint not yet filled in
	files    map[string]*asset
}

// hashedName matches the names esbuild gives with entryNames "[name]-[hash]".
var hashedName = regexp.MustCompile(`-[A-Z0-9]{8}\.(js|css)$`)

var errNotBuilt = fs.ErrNotExist

// loadAssets reads the bundle; it fails unless index.html, the manifest and
// the script and stylesheet named in it are all there.
func loadAssets(fsys fs.FS) (*assets, error) {
	index, err := fs.ReadFile(fsys, "index.html")
	if err != nil {
		return nil, err
	}
	raw, err := fs.ReadFile(fsys, "manifest.json")
	if err != nil {
		return nil, err
	}
	a := &assets{index: index, files: map[string]*asset{}}
	if err := json.Unmarshal(raw, &a.manifest); err != nil {
		return nil, err
	}
	if a.manifest.JS == "" || a.manifest.CSS == "" {
		return nil, errNotBuilt
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || name == "index.html" || name == "manifest.json" || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".gz") {
			continue
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		f := newAsset(name, body)
		if gz, err := fs.ReadFile(fsys, name+".gz"); err == nil {
			f.gzip = newAsset(name, gz)
		}
		a.files[name] = f
	}
	for _, name := range []string{a.manifest.JS, a.manifest.CSS} {
		if a.files[name] == nil {
			return nil, errNotBuilt
		}
	}
	return a, nil
}

func newAsset(name string, body []byte) *asset {
	sum := sha256.Sum256(body)
	ct := mime.TypeByExtension(path.Ext(name))
	switch path.Ext(name) { // don't depend on the host's mime.types
	case ".js":
		ct = "text/javascript; charset=utf-8"
	case ".css":
		ct = "text/css; charset=utf-8"
	case ".txt":
		ct = "text/plain; charset=utf-8"
	case ".html":
		ct = "text/html; charset=utf-8"
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	return &asset{
		body:        body,
		etag:        `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`,
		contentType: ct,
		immutable:   hashedName.MatchString(name),
	}
}

func newHandler(fsys fs.FS, endpoint string) http.Handler {
	a, err := loadAssets(fsys)
	if err != nil {
		return notBuiltHandler{}
	}
	return assetsHandler(a, endpoint)
}

func assetsHandler(a *assets, endpoint string) http.Handler {
	page := bytes.ReplaceAll(a.index, []byte(endpointMarker), []byte(html.EscapeString(endpoint)))
	return &handler{
		assets: a,
		page:   newAsset("index.html", page),
		csp:    contentSecurityPolicy(endpoint),
	}
}

type handler struct {
	assets *assets
	page   *asset
	csp    string
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if p == "" {
		// Mounted as http.StripPrefix("/graphiql", …) and requested as
		// "/graphiql": the page's relative asset URLs need the slash.
		target := r.URL.EscapedPath()
		if u, err := url.ParseRequestURI(r.RequestURI); err == nil {
			target = u.EscapedPath()
		}
		target += "/"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return
	}
	name := strings.TrimPrefix(p, "/")
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	switch {
	case name == "" || name == "index.html":
		hdr.Set("Content-Security-Policy", h.csp)
		hdr.Set("Referrer-Policy", "no-referrer")
		hdr.Set("Cache-Control", "no-cache")
		serve(w, r, h.page)
	case h.assets.files[name] != nil:
		f := h.assets.files[name]
		if f.immutable {
			hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			hdr.Set("Cache-Control", "no-cache")
		}
		if f.gzip != nil {
			hdr.Add("Vary", "Accept-Encoding")
			if acceptsGzip(r) {
				hdr.Set("Content-Encoding", "gzip")
				gz := *f.gzip
				gz.contentType = f.contentType
				f = &gz
			}
		}
		serve(w, r, f)
	default:
		http.NotFound(w, r)
	}
}

func serve(w http.ResponseWriter, r *http.Request, f *asset) {
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("ETag", f.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip.
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for _, part := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(part, ";")
			if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
				continue
			}
			k, q, ok := strings.Cut(strings.TrimSpace(params), "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
				return true
			}
			weight, err := strconv.ParseFloat(strings.TrimSpace(q), 64)
			return err != nil || weight > 0
		}
	}
	return false
}

// contentSecurityPolicy allows the page nothing from other origins, except
// queries to the endpoint's origin when the endpoint is an absolute URL.
// GraphiQL sets inline style attributes; fonts and icons are data: URLs.
func contentSecurityPolicy(endpoint string) string {
	connect := "'self'"
	if u, err := url.Parse(endpoint); err == nil && u.Scheme != "" && u.Host != "" {
		connect += " " + u.Scheme + "://" + u.Host
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data:",
		"font-src 'self' data:",
		"connect-src " + connect,
		"object-src 'none'",
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'self'",
	}, "; ")
}

type notBuiltHandler struct{}

func (notBuiltHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusServiceUnavailable)
	if r.Method != http.MethodHead {
		_, _ = w.Write([]byte(notBuiltPage))
	}
}

var notBuiltPage = `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bildungsgraph – GraphiQL nicht gebaut / not built</title>
<link rel="icon" href="data:,">
<style>
body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; color: #1b1b1b; }
pre { background: #f3f3f3; padding: .75rem 1rem; border-radius: 4px; overflow-x: auto; }
</style>
</head>
<body>
<h1>GraphiQL ist in diesem Build nicht enthalten</h1>
<p>Dieses bildungsgraph-Programm wurde ohne die GraphiQL-Oberfläche gebaut.
Die GraphQL-Schnittstelle selbst funktioniert trotzdem.
Um GraphiQL einzubinden, im Wurzelverzeichnis des Repositorys ausführen und danach das Programm neu bauen:</p>
<pre><code>` + html.EscapeString(BuildCommand) + `</code></pre>
<hr>
<h1 lang="en">GraphiQL is not included in this build</h1>
<p lang="en">This bildungsgraph binary was built without the GraphiQL bundle.
The GraphQL API itself still works.
To include GraphiQL, run this in the repository root and then rebuild the binary:</p>
<pre lang="en"><code>` + html.EscapeString(BuildCommand) + `</code></pre>
</body>
</html>
`
