package server

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Metric labels are bounded: routes are the mux's patterns, operation names
// are capped (see opNames), error codes are the server's own, store methods
// are the methods of landscape.Store.
const (
	// labelAnonymous is the operation label of operations without a name.
	labelAnonymous = "anonymous"
	// labelOther is the operation label of names beyond the cap, and the
	// code label of codes that do not look like ours.
	labelOther = "other"
	// labelUnknown is the operation and type label of requests that failed
	// before an operation was determined (not well-formed, parse errors).
	labelUnknown = "unknown"
	// labelUnmatched is the route label of requests no route matched.
	labelUnmatched = "unmatched"
)

// DefaultMaxOperationLabels is how many distinct operation names get their
// own label when none is configured.
const DefaultMaxOperationLabels = 100

// metrics are the server's Prometheus metrics, registered on one registry.
type metrics struct {
	registry *prometheus.Registry

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	inFlight     prometheus.Gauge

	gqlDuration   *prometheus.HistogramVec
	gqlErrors     *prometheus.CounterVec
	gqlRoundTrips *prometheus.HistogramVec

	storeDuration *prometheus.HistogramVec
	storeErrors   *prometheus.CounterVec

	ops *opNames
}

// newMetrics registers the metrics on reg (nil: a new registry with the Go
// runtime and process collectors).
// NewRegistry returns a metrics registry with the Go runtime and process
// collectors, for Config.Registry when /metrics is served elsewhere (see
// MetricsHandler).
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// MetricsHandler serves the metrics of reg in the Prometheus formats: for a
// separate listener (serve --metrics-addr), so that the metrics stay off
// the public port.
func MetricsHandler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})
}

func newMetrics(reg *prometheus.Registry, maxOperations int) *metrics {
	if reg == nil {
		reg = NewRegistry()
	}
	f := func(c prometheus.Collector) prometheus.Collector { reg.MustRegister(c); return c }
	const ns = "bildungsgraph"
	return &metrics{
		registry: reg,
		httpRequests: f(prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests by route (the pattern that matched) and status code.",
		}, []string{"route", "code"})).(*prometheus.CounterVec),
		httpDuration: f(prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: ns, Subsystem: "http", Name: "request_duration_seconds",
			Help:    "Time from receiving an HTTP request to the end of its response, by route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"})).(*prometheus.HistogramVec),
		inFlight: f(prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: ns, Subsystem: "http", Name: "requests_in_flight",
			Help: "HTTP requests being served.",
		})).(prometheus.Gauge),
		gqlDuration: f(prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: ns, Subsystem: "graphql", Name: "request_duration_seconds",
			Help: "Time to answer a GraphQL request, by operation name (anonymous for unnamed operations, " +
				"other beyond the first names seen, unknown when none could be determined) and type (query, mutation).",
			Buckets: prometheus.DefBuckets,
		}, []string{"operation", "type"})).(*prometheus.HistogramVec),
		gqlErrors: f(prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Subsystem: "graphql", Name: "errors_total",
			Help: "GraphQL errors in responses, by extensions.code.",
		}, []string{"code"})).(*prometheus.CounterVec),
		gqlRoundTrips: f(prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: ns, Subsystem: "graphql", Name: "store_round_trips",
			Help:    "Store round trips one GraphQL request made, by operation type.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 10),
		}, []string{"type"})).(*prometheus.HistogramVec),
		storeDuration: f(prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: ns, Subsystem: "store", Name: "call_duration_seconds",
			Help:    "Duration of store calls (round trips), by method of landscape.Store.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 9),
		}, []string{"method"})).(*prometheus.HistogramVec),
		storeErrors: f(prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Subsystem: "store", Name: "call_errors_total",
			Help: "Store calls that returned an error, by method and domain error code.",
		}, []string{"method", "code"})).(*prometheus.CounterVec),
		ops: &opNames{max: maxOperations, seen: map[string]bool{}},
	}
}

// handler serves the registry in the Prometheus exposition formats.
func (m *metrics) handler() http.Handler { return MetricsHandler(m.registry) }

func (m *metrics) observeHTTP(route string, status int, d time.Duration) {
	m.httpRequests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.httpDuration.WithLabelValues(route).Observe(d.Seconds())
}

// observeGraphQL records one answered GraphQL request: its latency by
// operation label and type, the codes of the errors in its response and the
// store round trips it made (only when it was executed: calls >= 0).
func (m *metrics) observeGraphQL(operation, opType string, d time.Duration, errs gqlerror.List, calls int64) {
	m.gqlDuration.WithLabelValues(operation, opType).Observe(d.Seconds())
	for _, e := range errs {
		code, _ := e.Extensions["code"].(string)
		m.gqlErrors.WithLabelValues(codeLabel(code)).Inc()
	}
	if calls >= 0 {
		m.gqlRoundTrips.WithLabelValues(opType).Observe(float64(calls))
	}
}

// codeLabel returns code when it looks like one of ours (upper case letters
// and underscores, at most 40), "none" when empty, else "other".
func codeLabel(code string) string {
	if code == "" {
		return "none"
	}
	if len(code) > 40 {
		return labelOther
	}
	for _, c := range []byte(code) {
		if (c < 'A' || c > 'Z') && c != '_' {
			return labelOther
		}
	}
	return code
}

// opNames caps the cardinality of the operation label: the first max
// distinct names of valid operations get their own label, later ones are
// "other". Names of invalid requests only reuse labels already given, so
// garbage cannot use up the cap.
type opNames struct {
	mu   sync.Mutex
	max  int
	seen map[string]bool
}

func (o *opNames) label(name string, register bool) string {
	if name == "" {
		return labelAnonymous
	}
	if len(name) > 64 {
		return labelOther
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.seen[name] {
		return name
	}
	if !register || len(o.seen) >= o.max {
		return labelOther
	}
	o.seen[name] = true
	return name
}

// instrumentedStore decorates a store with metrics: every call is counted
// and timed per method, errors are counted by code, and the call is counted
// as a round trip of the request whose context it carries. Values and errors
// pass through unchanged. Methods of landscape.Store not listed here pass
// through the embedded store unmeasured.
type instrumentedStore struct {
	landscape.Store
	m *metrics
}

func instrumentStore(s landscape.Store, m *metrics) landscape.Store {
	if s == nil {
		return nil
	}
	return &instrumentedStore{Store: s, m: m}
}

// measure starts measuring a call of method; the returned function ends it.
func (s *instrumentedStore) measure(ctx context.Context, method string) func(error) {
	if info := infoFrom(ctx); info != nil {
		info.storeCalls.Add(1)
	}
	start := time.Now()
	return func(err error) {
		s.m.storeDuration.WithLabelValues(method).Observe(time.Since(start).Seconds())
		if err != nil {
			s.m.storeErrors.WithLabelValues(method, string(landscape.ErrorCode(err))).Inc()
		}
	}
}

func (s *instrumentedStore) Nodes(ctx context.Context, ids []string, asOf *landscape.Date) (map[string]*landscape.Node, error) {
	done := s.measure(ctx, "Nodes")
	r, err := s.Store.Nodes(ctx, ids, asOf)
	done(err)
	return r, err
}

func (s *instrumentedStore) QueryNodes(ctx context.Context, q landscape.NodeQuery) (*landscape.NodePage, error) {
	done := s.measure(ctx, "QueryNodes")
	r, err := s.Store.QueryNodes(ctx, q)
	done(err)
	return r, err
}

func (s *instrumentedStore) Edges(ctx context.Context, ids []string, asOf *landscape.Date) (map[string]*landscape.Edge, error) {
	done := s.measure(ctx, "Edges")
	r, err := s.Store.Edges(ctx, ids, asOf)
	done(err)
	return r, err
}

func (s *instrumentedStore) QueryEdges(ctx context.Context, q landscape.EdgeQuery) (*landscape.EdgePage, error) {
	done := s.measure(ctx, "QueryEdges")
	r, err := s.Store.QueryEdges(ctx, q)
	done(err)
	return r, err
}

func (s *instrumentedStore) Adjacent(ctx context.Context, q landscape.AdjacencyQuery) (map[string][]*landscape.Edge, error) {
	done := s.measure(ctx, "Adjacent")
	r, err := s.Store.Adjacent(ctx, q)
	done(err)
	return r, err
}

func (s *instrumentedStore) Neighbours(ctx context.Context, q landscape.AdjacencyQuery) (*landscape.Adjacency, error) {
	done := s.measure(ctx, "Neighbours")
	r, err := s.Store.Neighbours(ctx, q)
	done(err)
	return r, err
}

func (s *instrumentedStore) Expand(ctx context.Context, q landscape.ExpandQuery) (*landscape.Expansion, error) {
	done := s.measure(ctx, "Expand")
	r, err := s.Store.Expand(ctx, q)
	done(err)
	return r, err
}

func (s *instrumentedStore) Apply(ctx context.Context, cs *landscape.Changeset) (*landscape.Result, error) {
	done := s.measure(ctx, "Apply")
	r, err := s.Store.Apply(ctx, cs)
	done(err)
	return r, err
}

func (s *instrumentedStore) Audit(ctx context.Context, q landscape.AuditQuery) (*landscape.AuditPage, error) {
	done := s.measure(ctx, "Audit")
	p, err := s.Store.Audit(ctx, q)
	done(err)
	return p, err
}

func (s *instrumentedStore) Ping(ctx context.Context) error {
	done := s.measure(ctx, "Ping")
	err := s.Store.Ping(ctx)
	done(err)
	return err
}
