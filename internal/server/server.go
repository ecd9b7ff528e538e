// Package server is the HTTP layer: the GraphQL endpoint (gqlgen with a
// GraphQL-over-HTTP transport, limits and extensions), GraphiQL, health
// checks, exports, CORS, Prometheus metrics, request ids and access logs.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bildungsgraph/bildungsgraph/graph"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
	"github.com/bildungsgraph/bildungsgraph/internal/web"
)

// Config configures the HTTP handler. Zero values are the defaults; limits
// take a negative value to switch them off.
type Config struct {
	Store  landscape.Store
	Logger *slog.Logger
	// CORSOrigins lists the origins of frontends allowed to call the API
	// from a browser; empty: same origin only.
	CORSOrigins []string
	// Introspection allows schema introspection (GraphiQL needs it).
	Introspection bool
	// DisableAPQ switches automatic persisted queries off.
	DisableAPQ bool
	// BatchWait is how long dataloaders collect keys (0: the store's
	// landscape.BatchWaiter, else graph.DefaultBatchWait).
	BatchWait time.Duration

	// Access (see auth.go).

	// Keys are the accepted API keys (nil: none; then nobody can write).
	Keys *Keys
	// ReadAccess says whether reading needs a key ("": public).
	ReadAccess ReadAccess

	// Limits of the GraphQL endpoint (see limits.go).

	// MaxDepth refuses queries whose fields nest deeper (0: DefaultMaxDepth).
	MaxDepth int
	// ComplexityLimit refuses queries above this complexity (0:
	// DefaultComplexityLimit).
	ComplexityLimit int
	// MaxPageSize refuses larger first/last/maxNodes arguments (0, or above
	// landscape.MaxPageSize: landscape.MaxPageSize, which the stores enforce).
	MaxPageSize int
	// MaxBodyBytes refuses larger request bodies with 413 (0:
	// DefaultMaxBodyBytes).
	MaxBodyBytes int64
	// RequestTimeout is the deadline of each GraphQL and export request (0:
	// DefaultRequestTimeout).
	RequestTimeout time.Duration

	// Observability (see metrics.go, logging.go).

	// DisableMetrics leaves out the /metrics endpoint.
	DisableMetrics bool
	// Registry receives the metrics (nil: a new registry with the Go and
	// process collectors). /metrics serves it.
	Registry *prometheus.Registry
	// MaxOperationLabels caps the distinct operation names in metric labels
	// (0: DefaultMaxOperationLabels); later names are counted as "other".
	MaxOperationLabels int
}

// withDefaults fills in the defaults and turns negative limits into "off"
// (0 for the limits, whose users check > 0).
func (cfg Config) withDefaults() Config {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Logger = slog.New(withRequestID(cfg.Logger.Handler()))
	if cfg.BatchWait <= 0 {
		cfg.BatchWait = landscape.BatchWaitOf(cfg.Store, graph.DefaultBatchWait)
	}
	cfg.MaxDepth = limitOr(cfg.MaxDepth, DefaultMaxDepth)
	cfg.ComplexityLimit = limitOr(cfg.ComplexityLimit, DefaultComplexityLimit)
	cfg.MaxBodyBytes = limitOr(cfg.MaxBodyBytes, DefaultMaxBodyBytes)
	cfg.RequestTimeout = limitOr(cfg.RequestTimeout, DefaultRequestTimeout)
	if cfg.MaxPageSize <= 0 || cfg.MaxPageSize > landscape.MaxPageSize {
		cfg.MaxPageSize = landscape.MaxPageSize
	}
	if cfg.MaxOperationLabels <= 0 {
		cfg.MaxOperationLabels = DefaultMaxOperationLabels
	}
	return cfg
}

// limitOr returns def for 0, 0 (off) for negative values, else v.
func limitOr[T int | int64 | time.Duration](v, def T) T {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}

// New returns the HTTP handler of the whole service: the routes behind a
// chain of middleware, outermost first:
//
//  1. requestContext: a request id (X-Request-ID) and the per-request info
//     in the context, which the logger adds to every line of the request;
//  2. observe: in-flight gauge, status and latency per route, access log;
//  3. CORS for browser frontends;
//  4. authenticate: the caller's principal from its API key (auth.go);
//
// then the routes, where /graphql and /export/ get the request timeout.
func New(cfg Config) http.Handler {
	cfg = cfg.withDefaults()
	m := newMetrics(cfg.Registry, cfg.MaxOperationLabels)
	cfg.Store = instrumentStore(cfg.Store, m)
	mux := http.NewServeMux()
	mux.Handle("/graphql", withTimeout(cfg.RequestTimeout, graph.LoaderMiddleware(cfg.Store, cfg.BatchWait, graphQL(cfg, m))))
	mux.Handle("GET /export/{file}", withTimeout(cfg.RequestTimeout, exportHandler(cfg.Store, cfg.Logger)))
	mux.Handle("/graphiql/", http.StripPrefix("/graphiql", web.GraphiQL("/graphql")))
	mux.Handle("/explorer/", http.StripPrefix("/explorer", web.Explorer("/graphql")))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/explorer/", http.StatusFound)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := cfg.Store.Ping(ctx); err != nil {
			cfg.Logger.WarnContext(ctx, "store not ready", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "store unavailable")
			return
		}
		fmt.Fprintln(w, "ready")
	})
	if !cfg.DisableMetrics {
		mux.Handle("GET /metrics", m.handler())
	}
	route := func(r *http.Request) string {
		if _, pattern := mux.Handler(r); pattern != "" {
			return pattern
		}
		return labelUnmatched
	}
	return chain(mux,
		requestContext,
		observe(cfg.Logger, m, route),
		corsMiddleware(cfg.CORSOrigins),
		// After CORS: browsers send preflights without credentials. Keys
		// travel in the Authorization header, never in cookies, so CORS
		// needs no credentials mode.
		func(h http.Handler) http.Handler { return authenticate(cfg.Keys, cfg.ReadAccess, h) },
	)
}

// chain wraps h in the middleware, the first outermost.
func chain(h http.Handler, middleware ...func(http.Handler) http.Handler) http.Handler {
	for i := len(middleware) - 1; i >= 0; i-- {
		h = middleware[i](h)
	}
	return h
}

func corsMiddleware(origins []string) func(http.Handler) http.Handler {
	return cors.New(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders: []string{"Content-Type", "Accept", "Authorization", RequestIDHeader},
		ExposedHeaders: []string{RequestIDHeader},
		MaxAge:         600,
	}).Handler
}

// GraphQL returns the GraphQL handler on its own: GraphQL over HTTP (POST,
// and GET for queries) with query caching, automatic persisted queries and
// the depth, complexity, page size and body size limits. It expects the
// dataloaders in the request context, and applies no timeout; request ids,
// metrics and the timeout come with New.
func GraphQL(cfg Config) http.Handler {
	cfg = cfg.withDefaults()
	return graphQL(cfg, newMetrics(nil, cfg.MaxOperationLabels))
}

func graphQL(cfg Config, m *metrics) http.Handler {
	srv := handler.New(graph.NewExecutableSchema(graph.NewConfig(cfg.Store)))
	srv.AddTransport(httpTransport{maxBody: cfg.MaxBodyBytes, apq: !cfg.DisableAPQ, metrics: m, log: cfg.Logger})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if cfg.Introspection {
		srv.Use(extension.Introspection{})
	} else {
		srv.Use(noIntrospection{})
	}
	if !cfg.DisableAPQ {
		srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	}
	if cfg.MaxDepth > 0 {
		srv.Use(depthLimit{max: cfg.MaxDepth})
	}
	if cfg.ComplexityLimit > 0 {
		srv.Use(extension.FixedComplexityLimit(cfg.ComplexityLimit))
	}
	if cfg.MaxPageSize < landscape.MaxPageSize {
		srv.AroundFields(pageSizeLimit(cfg.MaxPageSize))
	}
	srv.SetErrorPresenter(errorPresenter(cfg.Logger))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		cfg.Logger.ErrorContext(ctx, "panic in resolver", "panic", p, "path", pathOf(ctx))
		return landscape.Errorf(landscape.EInternal, "", "internal error")
	})
	return srv
}

// errorPresenter turns domain errors into GraphQL errors with
// extensions.code (the domain code), extensions.field and, for inputs with
// several problems, extensions.problems. Internal errors are logged and shown
// without details but with extensions.requestId; timeouts name the limit;
// gqlgen's complexity error gets our LIMIT_EXCEEDED.
func errorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		internal := func() *gqlerror.Error {
			log.ErrorContext(ctx, "internal error", "err", err, "path", gqlErr.Path.String())
			gqlErr.Message = "internal error"
			gqlErr.Extensions = map[string]any{"code": string(landscape.EInternal)}
			if id := RequestID(ctx); id != "" {
				gqlErr.Extensions["requestId"] = id
			}
			return gqlErr
		}
		timeout := func(msg string) *gqlerror.Error {
			if m, ok := timedOut(ctx); ok {
				msg = m
			}
			gqlErr.Message = msg
			gqlErr.Extensions = map[string]any{"code": string(landscape.ETimeout)}
			return gqlErr
		}
		var already *gqlerror.Error
		if e := landscape.AsError(err); e != nil {
			switch e.Code {
			case landscape.EInternal:
				return internal()
			case landscape.ETimeout:
				return timeout(e.Error())
			}
			gqlErr.Message = e.Error()
			ext := map[string]any{"code": string(e.Code)}
			if e.Field != "" {
				ext["field"] = e.Field
			}
			if len(e.Problems) > 0 {
				ps := make([]map[string]any, len(e.Problems))
				for i, p := range e.Problems {
					ps[i] = map[string]any{"code": string(p.Code), "field": p.Field, "message": p.Message}
				}
				ext["problems"] = ps
			}
			gqlErr.Extensions = ext
			return gqlErr
		}
		if errors.As(err, &already) && already.Err == nil {
			// A parser, validation or limit error: it carries its own code.
			presentLimit(ctx, gqlErr)
			return gqlErr
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return timeout("the request took too long")
		}
		if errors.Is(err, context.Canceled) {
			gqlErr.Message = "the request was cancelled"
			gqlErr.Extensions = map[string]any{"code": string(landscape.ETimeout)}
			return gqlErr
		}
		return internal()
	}
}

func pathOf(ctx context.Context) string {
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		return fc.Path().String()
	}
	return ""
}
