// Command bildungsgraph serves the GraphQL knowledge graph of a municipal
// education landscape. It wires the domain to a store and the HTTP layer:
//
//	bildungsgraph serve            # embedded store, sample landscape on first start
//
// Every flag can also be set by an environment variable (see --help).
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/bildungsgraph/bildungsgraph/data"
	"github.com/bildungsgraph/bildungsgraph/internal/embedded"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
	"github.com/bildungsgraph/bildungsgraph/internal/neo4jstore"
	"github.com/bildungsgraph/bildungsgraph/internal/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stopSignals = stop
	if err := app().Run(ctx, os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "bildungsgraph:", err)
		os.Exit(1)
	}
}

// storeFlags select and configure the store; every command that opens one
// takes them.
func storeFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "store", Usage: "store backend: embedded or neo4j (default: neo4j when --neo4j-uri is set, else embedded)", Sources: cli.EnvVars("BILDUNGSGRAPH_STORE")},
		&cli.StringFlag{Name: "data", Value: filepath.Join(".bildungsgraph", "landscape.db"), Usage: "file of the embedded store", Sources: cli.EnvVars("BILDUNGSGRAPH_DATA")},
		&cli.StringFlag{Name: "neo4j-uri", Usage: "Neo4j URI: bolt://, neo4j:// (cluster), neo4j+s:// (Aura)", Sources: cli.EnvVars("NEO4J_URI")},
		&cli.StringFlag{Name: "neo4j-user", Usage: "Neo4j user (empty: no authentication)", Sources: cli.EnvVars("NEO4J_USER", "NEO4J_USERNAME")},
		&cli.StringFlag{Name: "neo4j-password", Usage: "Neo4j password", Sources: cli.EnvVars("NEO4J_PASSWORD")},
		&cli.StringFlag{Name: "neo4j-database", Value: "neo4j", Usage: "Neo4j database", Sources: cli.EnvVars("NEO4J_DATABASE")},
		&cli.StringFlag{Name: "log-format", Value: "text", Usage: "log format: text or json", Sources: cli.EnvVars("BILDUNGSGRAPH_LOG_FORMAT")},
		&cli.DurationFlag{Name: "neo4j-connect-timeout", Value: 2 * time.Minute, Usage: "how long to retry reaching Neo4j at start", Sources: cli.EnvVars("NEO4J_CONNECT_TIMEOUT")},
		&cli.DurationFlag{Name: "neo4j-retry-time", Value: 5 * time.Second, Usage: "how long a transaction is retried on transient errors (deadlocks, a lost connection) before the request fails with UNAVAILABLE", Sources: cli.EnvVars("NEO4J_RETRY_TIME")},
	}
}

func app() *cli.Command {
	return &cli.Command{
		Name:  "bildungsgraph",
		Usage: "GraphQL knowledge graph of a municipal education landscape (kommunales Bildungsmanagement)",
		Commands: []*cli.Command{
			{
				Name:  "serve",
				Usage: "serve the GraphQL API, GraphiQL and health checks",
				Flags: append(storeFlags(),
					&cli.StringFlag{Name: "addr", Value: "localhost:8080", Usage: "listen address", Sources: cli.EnvVars("BILDUNGSGRAPH_ADDR")},
					&cli.BoolFlag{Name: "sample", Value: true, Usage: "load the sample landscape when the store is empty", Sources: cli.EnvVars("BILDUNGSGRAPH_SAMPLE")},
					&cli.StringSliceFlag{Name: "cors-origin", Usage: "origin allowed to call the API from a browser (repeatable)", Sources: cli.EnvVars("BILDUNGSGRAPH_CORS_ORIGINS")},
					&cli.BoolFlag{Name: "introspection", Value: true, Usage: "allow schema introspection (GraphiQL needs it)", Sources: cli.EnvVars("BILDUNGSGRAPH_INTROSPECTION")},
					&cli.BoolFlag{Name: "apq", Value: true, Usage: "allow automatic persisted queries", Sources: cli.EnvVars("BILDUNGSGRAPH_APQ")},
					&cli.IntFlag{Name: "max-depth", Value: server.DefaultMaxDepth, Usage: "deepest field nesting of a query (negative: no limit)", Sources: cli.EnvVars("BILDUNGSGRAPH_MAX_DEPTH")},
					&cli.IntFlag{Name: "max-complexity", Value: server.DefaultComplexityLimit, Usage: "highest complexity of a query, one per field (negative: no limit)", Sources: cli.EnvVars("BILDUNGSGRAPH_MAX_COMPLEXITY")},
					&cli.IntFlag{Name: "max-page-size", Value: landscape.MaxPageSize, Usage: "largest first/last/maxNodes argument (at most the store's limit)", Sources: cli.EnvVars("BILDUNGSGRAPH_MAX_PAGE_SIZE")},
					&cli.Int64Flag{Name: "max-body-bytes", Value: server.DefaultMaxBodyBytes, Usage: "largest request body of /graphql (negative: no limit)", Sources: cli.EnvVars("BILDUNGSGRAPH_MAX_BODY_BYTES")},
					&cli.DurationFlag{Name: "request-timeout", Value: server.DefaultRequestTimeout, Usage: "deadline of a GraphQL or export request (negative: none)", Sources: cli.EnvVars("BILDUNGSGRAPH_REQUEST_TIMEOUT")},
					&cli.BoolFlag{Name: "metrics", Value: true, Usage: "serve Prometheus metrics at /metrics", Sources: cli.EnvVars("BILDUNGSGRAPH_METRICS")},
					&cli.StringFlag{Name: "metrics-addr", Usage: "serve /metrics on this address instead of --addr (e.g. 127.0.0.1:9090, for a scraper on the host)", Sources: cli.EnvVars("BILDUNGSGRAPH_METRICS_ADDR")},
					&cli.StringFlag{Name: "api-keys-file", Usage: "file of API keys (hashes, roles, names; see `bildungsgraph apikey`); without it nobody can write", Sources: cli.EnvVars("BILDUNGSGRAPH_API_KEYS_FILE")},
					&cli.StringFlag{Name: "read-access", Value: "public", Usage: "public (anyone reads, contact data excepted) or token (reading needs an API key)", Sources: cli.EnvVars("BILDUNGSGRAPH_READ_ACCESS")},
				),
				Action: serve,
			},
			{
				Name:  "migrate",
				Usage: "create the Neo4j schema (constraints and indexes); idempotent",
				Flags: storeFlags(),
				Action: func(ctx context.Context, cmd *cli.Command) error {
					if cmd.String("neo4j-uri") == "" {
						return fmt.Errorf("migrate works on Neo4j: set --neo4j-uri (or NEO4J_URI); the embedded store needs no migration")
					}
					s, err := openStore(ctx, cmd) // Open migrates
					if err != nil {
						return err
					}
					fmt.Println("Neo4j schema is up to date")
					return s.Close()
				},
			},
			importCommand(),
			exportCommand(),
			generateCommand(),
			apikeyCommand(),
			{
				Name:  "healthcheck",
				Usage: "exit 0 when the server at --url answers 200 (for container health checks)",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "url", Value: "http://127.0.0.1:8080/readyz", Usage: "URL to check"},
				},
				Action: healthcheck,
			},
		},
	}
}

func newLogger(format string) (*slog.Logger, error) {
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, nil)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(os.Stderr, nil)), nil
	}
	return nil, fmt.Errorf("--log-format: %q is not text or json", format)
}

// openStore opens the configured store.
func openStore(ctx context.Context, cmd *cli.Command) (landscape.Store, error) {
	kind := cmd.String("store")
	if kind == "" {
		kind = "embedded"
		if cmd.String("neo4j-uri") != "" {
			kind = "neo4j"
		}
	}
	switch kind {
	case "neo4j":
		if cmd.String("neo4j-uri") == "" {
			return nil, fmt.Errorf("--store=neo4j needs --neo4j-uri (or NEO4J_URI)")
		}
		log, err := newLogger(cmd.String("log-format"))
		if err != nil {
			return nil, err
		}
		s, err := neo4jstore.Open(ctx, neo4jstore.Config{
			URI: cmd.String("neo4j-uri"), User: cmd.String("neo4j-user"), Password: cmd.String("neo4j-password"),
			Database: cmd.String("neo4j-database"), ConnectTimeout: cmd.Duration("neo4j-connect-timeout"),
			MaxRetryTime: cmd.Duration("neo4j-retry-time"), Logger: log,
		})
		if err != nil {
			return nil, fmt.Errorf("neo4j %s: %w", cmd.String("neo4j-uri"), err)
		}
		return s, nil
	case "embedded":
		path := cmd.String("data")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("--data: %w", err)
		}
		s, err := embedded.Open(path)
		if err != nil {
			return nil, fmt.Errorf("--data %s: %w", path, err)
		}
		return s, nil
	default:
		return nil, fmt.Errorf("--store: unknown store %q; one of: embedded, neo4j", kind)
	}
}

// loadSample writes the sample landscape into an empty store.
func loadSample(ctx context.Context, s landscape.Store, log *slog.Logger) error {
	page, err := s.QueryNodes(ctx, landscape.NodeQuery{Page: landscape.PageArgs{First: ptr(1)}})
	if err != nil {
		return err
	}
	if page.TotalCount > 0 {
		return nil
	}
	doc, err := data.Sample()
	if err != nil {
		return fmt.Errorf("sample landscape: %w", err)
	}
	cs := doc.Changeset()
	cs.Author, cs.Note = "bildungsgraph serve", "sample landscape (data/sample/landscape.json), loaded into an empty store"
	res, err := s.Apply(ctx, cs)
	if err != nil {
		return fmt.Errorf("load sample landscape: %w", err)
	}
	log.Info("loaded the sample landscape", "nodes", len(res.Nodes), "relationships", len(res.Edges))
	return nil
}

func serve(ctx context.Context, cmd *cli.Command) error {
	log, err := newLogger(cmd.String("log-format"))
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cmd)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, resident := store.(*embedded.Store); server.TuneGC(!resident) {
		log.Info("garbage collector", "gogc", server.GCPercentRemote, "because", "the store keeps no data in this process; GOGC overrides")
	}
	if cmd.Bool("sample") {
		if err := loadSample(ctx, store, log); err != nil {
			return err
		}
	}
	access, err := server.ParseReadAccess(cmd.String("read-access"))
	if err != nil {
		return fmt.Errorf("--read-access: %w", err)
	}
	var keys *server.Keys
	if path := cmd.String("api-keys-file"); path != "" {
		if keys, err = server.LoadKeys(path); err != nil {
			return fmt.Errorf("--api-keys-file: %w", err)
		}
	}
	if access == server.ReadToken && keys.Len() == 0 {
		return fmt.Errorf("--read-access=token needs --api-keys-file with at least one key: nobody could read")
	}
	log.Info("access", "read", access, "keys", keys.Len())
	metricsAddr := cmd.String("metrics-addr")
	registry := server.NewRegistry()
	handler := server.New(server.Config{
		Registry:        registry,
		Keys:            keys,
		ReadAccess:      access,
		Store:           store,
		Logger:          log,
		CORSOrigins:     cmd.StringSlice("cors-origin"),
		Introspection:   cmd.Bool("introspection"),
		DisableAPQ:      !cmd.Bool("apq"),
		MaxDepth:        cmd.Int("max-depth"),
		ComplexityLimit: cmd.Int("max-complexity"),
		MaxPageSize:     cmd.Int("max-page-size"),
		MaxBodyBytes:    cmd.Int64("max-body-bytes"),
		RequestTimeout:  cmd.Duration("request-timeout"),
		DisableMetrics:  !cmd.Bool("metrics") || metricsAddr != "",
	})
	ln, err := net.Listen("tcp", cmd.String("addr"))
	if err != nil {
		return fmt.Errorf("--addr: %w", err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	log.Info("serving", "graphiql", "http://"+ln.Addr().String()+"/graphiql/", "graphql", "http://"+ln.Addr().String()+"/graphql", "store", fmt.Sprintf("%T", store))
	done := make(chan error, 2)
	go func() { done <- srv.Serve(ln) }()
	if metricsAddr != "" && cmd.Bool("metrics") {
		mln, err := net.Listen("tcp", metricsAddr)
		if err != nil {
			return fmt.Errorf("--metrics-addr: %w", err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", server.MetricsHandler(registry))
		msrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		defer msrv.Close()
		log.Info("serving metrics", "metrics", "http://"+mln.Addr().String()+"/metrics")
		go func() {
			if err := msrv.Serve(mln); !errors.Is(err, http.ErrServerClosed) {
				done <- fmt.Errorf("metrics listener: %w", err)
			}
		}()
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	// Drain for as long as a request may run, so that no request within its
	// deadline is cut off (a second signal ends the process at once).
	drain := cmd.Duration("request-timeout")
	if drain <= 0 {
		drain = server.DefaultRequestTimeout
	}
	drain += 5 * time.Second
	stopSignals()
	log.Info("shutting down: draining requests", "within", drain)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// stopSignals restores the default handling of SIGINT and SIGTERM once the
// first one has started the shutdown, so that a second one ends the process.
var stopSignals = func() {}

func ptr[T any](v T) *T { return &v }

func healthcheck(ctx context.Context, cmd *cli.Command) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cmd.String("url"), nil)
	if err != nil {
		return fmt.Errorf("--url: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", cmd.String("url"), resp.Status)
	}
	return nil
}
