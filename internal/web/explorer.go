package web

import (
	"io/fs"
	"net/http"
	"sync"
)

// explorerBundle returns the embedded Explorer build output (dist/explorer),
// written by web/build.mjs from web/src/explorer.{html,js,css}.
func explorerBundle() fs.FS {
	sub, err := fs.Sub(dist, "dist/explorer")
	if err != nil { // cannot happen: "dist/explorer" is a valid path
		panic(err)
	}
	return sub
}

var embeddedExplorer = sync.OnceValues(func() (*assets, error) { return loadAssets(explorerBundle()) })

// ExplorerBuilt reports whether the Explorer bundle was embedded.
func ExplorerBuilt() bool {
	_, err := embeddedExplorer()
	return err == nil
}

// Explorer returns a handler for the Explorer page (search, network view
// with filters and size by centrality, gap view of the support chains,
// shortest paths, export links, an API key field whose key goes with every
// request), which talks only to the public GraphQL API at endpoint and links
// the /export/ endpoints. Like GraphiQL it serves the page at the
// root of the path it is mounted on and its assets next to it:
//
//	mux.Handle("/explorer/", http.StripPrefix("/explorer", web.Explorer("/graphql")))
//
// When the bundle is missing, every request gets the same 503 page as
// GraphiQL, naming the build command.
func Explorer(endpoint string) http.Handler {
	a, err := embeddedExplorer()
	if err != nil {
		return notBuiltHandler{}
	}
	return assetsHandler(a, endpoint)
}
