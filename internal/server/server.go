// Package server is the HTTP layer: the GraphQL endpoint (gqlgen with explicit
// transports and extensions), GraphiQL, health checks, exports and CORS.
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
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bildungsgraph/bildungsgraph/graph"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
	"github.com/bildungsgraph/bildungsgraph/internal/web"
)

// Config configures the HTTP handler.
type Config struct {
	Store  landscape.Store
	Logger *slog.Logger
	// CORSOrigins lists the origins of frontends allowed to call the API
	// from a browser; empty: same origin only.
	CORSOrigins []string
	// Introspection allows schema introspection (GraphiQL needs it).
	Introspection bool
	// ComplexityLimit refuses queries above this complexity (0: default).
	ComplexityLimit int
	// BatchWait is how long dataloaders collect keys (0: default).
	BatchWait time.Duration
}

// DefaultComplexityLimit is the complexity limit when none is configured.
const DefaultComplexityLimit = 5000

// New returns the HTTP handler of the whole service.
func New(cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.ComplexityLimit <= 0 {
		cfg.ComplexityLimit = DefaultComplexityLimit
	}
	if cfg.BatchWait <= 0 {
		cfg.BatchWait = graph.DefaultBatchWait
	}
	mux := http.NewServeMux()
	mux.Handle("/graphql", graph.LoaderMiddleware(cfg.Store, cfg.BatchWait, GraphQL(cfg)))
	mux.Handle("GET /export/{file}", exportHandler(cfg.Store, cfg.Logger))
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
			cfg.Logger.Warn("store not ready", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "store unavailable")
			return
		}
		fmt.Fprintln(w, "ready")
	})
	c := cors.New(cors.Options{
		AllowedOrigins: cfg.CORSOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders: []string{"Content-Type", "Accept", "Authorization"},
		MaxAge:         600,
	})
	return c.Handler(mux)
}

// GraphQL returns the GraphQL handler: POST and GET (queries only) over
// HTTP, with query caching, automatic persisted queries and a complexity
// limit. It expects the dataloaders in the request context.
func GraphQL(cfg Config) http.Handler {
	srv := handler.New(graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{Store: cfg.Store}}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if cfg.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	srv.Use(extension.FixedComplexityLimit(cfg.ComplexityLimit))
	srv.SetErrorPresenter(errorPresenter(cfg.Logger))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		cfg.Logger.Error("panic in resolver", "panic", p, "path", pathOf(ctx))
		return landscape.Errorf(landscape.EInternal, "", "internal error")
	})
	return srv
}

// errorPresenter turns domain errors into GraphQL errors with
// extensions.code (the domain code), extensions.field and, for inputs with
// several problems, extensions.problems. Internal errors are logged and shown
// without details.
func errorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		var already *gqlerror.Error
		if e := landscape.AsError(err); e != nil {
			if e.Code == landscape.EInternal {
				log.Error("internal error", "err", err, "path", gqlErr.Path.String())
				gqlErr.Message = "internal error"
				gqlErr.Extensions = map[string]any{"code": string(landscape.EInternal)}
				return gqlErr
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
			return gqlErr // a parser or validation error: it carries its own code
		}
		if errors.Is(err, context.DeadlineExceeded) {
			gqlErr.Message = "the request took too long"
			gqlErr.Extensions = map[string]any{"code": string(landscape.ETimeout)}
			return gqlErr
		}
		if errors.Is(err, context.Canceled) {
			gqlErr.Message = "the request was cancelled"
			gqlErr.Extensions = map[string]any{"code": string(landscape.ETimeout)}
			return gqlErr
		}
		log.Error("internal error", "err", err, "path", gqlErr.Path.String())
		gqlErr.Message = "internal error"
		gqlErr.Extensions = map[string]any{"code": string(landscape.EInternal)}
		return gqlErr
	}
}

func pathOf(ctx context.Context) string {
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		return fc.Path().String()
	}
	return ""
}
