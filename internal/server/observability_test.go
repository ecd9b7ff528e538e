package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
	"github.com/bildungsgraph/bildungsgraph/internal/server"
)

// scrape reads /metrics through h and parses the text exposition format.
func scrape(t *testing.T, h http.Handler) map[string]*dto.MetricFamily {
	t.Helper()
	r := specDo(t, h, http.MethodGet, "/metrics", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("/metrics: %d %s", r.Status, r.Body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(strings.NewReader(r.Body))
	if err != nil {
		t.Fatalf("parse /metrics: %v\n%s", err, r.Body)
	}
	return families
}

// sample returns the value of the sample of family name with exactly the
// given labels (name, value pairs): a counter's or gauge's value, a
// histogram's count. ok is false when there is no such sample.
func sample(families map[string]*dto.MetricFamily, name string, labels ...string) (v float64, ok bool) {
	f := families[name]
	if f == nil {
		return 0, false
	}
	want := map[string]string{}
	for i := 0; i+1 < len(labels); i += 2 {
		want[labels[i]] = labels[i+1]
	}
metrics:
	for _, m := range f.Metric {
		if len(m.Label) != len(want) {
			continue
		}
		for _, l := range m.Label {
			if want[l.GetName()] != l.GetValue() {
				continue metrics
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

func TestMetrics(t *testing.T) {
	h, _ := specServer(t, server.Config{MaxOperationLabels: 3})
	post := func(query string) { specPost(t, h, `{"query":`+quote(query)+`}`, mediaJSON) }
	post(`query Gremien { committees { totalCount edges { node { id members { role member { id } } } } } }`)
	post(`query Gremien { committees { totalCount } }`)
	post(`{ committees { totalCount } }`)
	post(`query Zwei { __typename }`)
	post(`query Drei { __typename }`)
	post(`query Vier { __typename }`) // beyond the cap of 3 names
	post(`query Gremien { gibtEsNicht }`)
	post(`mutation Loeschen { deleteNode(id: "gremium-00") }`) // UNAUTHORIZED
	specPost(t, h, `NONSENSE`, mediaJSON)
	specDo(t, h, http.MethodGet, "/healthz", nil)
	specDo(t, h, http.MethodGet, "/gibt-es-nicht", nil)

	m := scrape(t, h)
	for _, tc := range []struct {
		name    string
		labels  []string
		want    float64
		atLeast bool
	}{
		{"bildungsgraph_graphql_request_duration_seconds", []string{"operation", "Gremien", "type", "query"}, 2, false},
		{"bildungsgraph_graphql_request_duration_seconds", []string{"operation", "anonymous", "type", "query"}, 1, false},
		{"bildungsgraph_graphql_request_duration_seconds", []string{"operation", "Zwei", "type", "query"}, 1, false},
		{"bildungsgraph_graphql_request_duration_seconds", []string{"operation", "other", "type", "query"}, 1, false},
		{"bildungsgraph_graphql_request_duration_seconds", []string{"operation", "other", "type", "mutation"}, 1, false},
		{"bildungsgraph_graphql_request_duration_seconds", []string{"operation", "unknown", "type", "unknown"}, 2, false}, // invalid: NONSENSE and gibtEsNicht
		{"bildungsgraph_graphql_errors_total", []string{"code", "GRAPHQL_VALIDATION_FAILED"}, 1, false},
		{"bildungsgraph_graphql_errors_total", []string{"code", "UNAUTHORIZED"}, 1, false},
		{"bildungsgraph_graphql_errors_total", []string{"code", "BAD_REQUEST"}, 1, false},
		{"bildungsgraph_graphql_store_round_trips", []string{"type", "query"}, 6, false},
		{"bildungsgraph_store_call_duration_seconds", []string{"method", "QueryNodes"}, 3, false},
		// The nested level, looked ahead: one read below the page.
		{"bildungsgraph_store_call_duration_seconds", []string{"method", "Expand"}, 1, false},
		{"bildungsgraph_http_requests_total", []string{"route", "/graphql", "code", "200"}, 8, false},
		{"bildungsgraph_http_requests_total", []string{"route", "/graphql", "code", "400"}, 1, false},
		{"bildungsgraph_http_requests_total", []string{"route", "GET /healthz", "code", "200"}, 1, false},
		{"bildungsgraph_http_requests_total", []string{"route", "unmatched", "code", "404"}, 1, false},
		{"bildungsgraph_http_request_duration_seconds", []string{"route", "/graphql"}, 9, false},
		{"bildungsgraph_http_requests_in_flight", nil, 1, false}, // the scrape itself
		{"go_goroutines", nil, 1, true},
	} {
		got, ok := sample(m, tc.name, tc.labels...)
		if !ok || got != tc.want && !(tc.atLeast && got >= tc.want) {
			t.Errorf("%s%v = %v (found: %v), want %v", tc.name, tc.labels, got, ok, tc.want)
		}
	}
	// The round trips of the six valid queries: the nested one reads its
	// page and, looked ahead, the level below it (2), the counts read a
	// page each (1 + 1), __typename reads nothing.
	var hist *dto.Histogram
	for _, s := range m["bildungsgraph_graphql_store_round_trips"].GetMetric() {
		hist = s.Histogram
	}
	if hist == nil || hist.GetSampleSum() != 4 {
		t.Errorf("store round trips: %v", hist)
	}
	// Operation names beyond the cap have no label of their own.
	if _, ok := sample(m, "bildungsgraph_graphql_request_duration_seconds", "operation", "Vier", "type", "query"); ok {
		t.Error("operation Vier has a label of its own beyond the cap")
	}
}

func TestMetricsCanBeSwitchedOff(t *testing.T) {
	h, _ := specServer(t, server.Config{DisableMetrics: true})
	if r := specDo(t, h, http.MethodGet, "/metrics", nil); r.Status != http.StatusNotFound {
		t.Errorf("/metrics with metrics off: %d", r.Status)
	}
}

// TestStoreDecoratorPassesErrorsThrough: the instrumented store changes no
// result: a domain error of the store reaches the client as it was.
func TestStoreDecoratorPassesErrorsThrough(t *testing.T) {
	_, s := specServer(t, server.Config{})
	h, _ := specServer(t, server.Config{Store: &failingStore{Store: s, err: landscape.Errorf(landscape.EUnavailable, "", "Neo4j is not reachable")}})
	r := specPost(t, h, `{"query":"{ committees { totalCount } }"}`, mediaJSON)
	if r.code() != "UNAVAILABLE" || firstMessage(r) != "Neo4j is not reachable" {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	m := scrape(t, h)
	if v, _ := sample(m, "bildungsgraph_store_call_errors_total", "method", "QueryNodes", "code", "UNAVAILABLE"); v != 1 {
		t.Errorf("store errors = %v, want 1", v)
	}
}

// failingStore fails QueryNodes with err.
type failingStore struct {
	landscape.Store
	err error
}

func (s *failingStore) QueryNodes(ctx context.Context, q landscape.NodeQuery) (*landscape.NodePage, error) {
	return nil, s.err
}

// logBuffer collects JSON log lines; safe for concurrent writers.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines returns the records logged so far.
func (b *logBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("log line is not JSON: %s", sc.Text())
		}
		out = append(out, rec)
	}
	return out
}

func TestRequestIDsInLogsAndErrors(t *testing.T) {
	logs := &logBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	_, s := specServer(t, server.Config{})
	h, _ := specServer(t, server.Config{Logger: log, Store: &failingStore{Store: s, err: errors.New("disk on fire")}})

	// The client's id is taken when sane, and echoed.
	r := specDo(t, h, http.MethodPost, "/graphql", strings.NewReader(`{"query":"query Gremien { committees { totalCount } }"}`),
		"Content-Type", mediaJSON, "X-Request-ID", "req-4711")
	if got := r.Header.Get("X-Request-ID"); got != "req-4711" {
		t.Fatalf("X-Request-ID = %q, want the client's", got)
	}
	// An internal error shows the request id, not the cause.
	if r.code() != "INTERNAL" || r.Errors[0].Extensions["requestId"] != "req-4711" || strings.Contains(r.Body, "fire") {
		t.Errorf("internal error: %s; want INTERNAL with requestId req-4711 and no details", r.Body)
	}
	var internal, access map[string]any
	for _, rec := range logs.lines(t) {
		if rec["request_id"] != "req-4711" {
			t.Errorf("log line without the request id: %v", rec)
		}
		switch rec["msg"] {
		case "internal error":
			internal = rec
		case "request":
			access = rec
		}
	}
	if internal == nil || !strings.Contains(internal["err"].(string), "disk on fire") {
		t.Errorf("no internal error logged with its cause: %v", logs.lines(t))
	}
	if access == nil || access["method"] != "POST" || access["path"] != "/graphql" || access["status"] != float64(200) ||
		access["operation"] != "Gremien" || access["operation_type"] != "query" || access["duration"] == nil {
		t.Errorf("access log line = %v", access)
	}

	// Ids that are not sane are replaced by a generated one.
	seen := map[string]bool{}
	for _, bad := range []string{"", "a b", "x\r\nInjected: 1", strings.Repeat("a", 129), `"quoted"`} {
		r := specDo(t, h, http.MethodGet, "/healthz", nil, "X-Request-ID", bad)
		id := r.Header.Get("X-Request-ID")
		if id == "" || id == bad || seen[id] || len(id) > 128 {
			t.Errorf("X-Request-ID %q answered with %q; want a fresh sane id", bad, id)
		}
		seen[id] = true
	}
	// Probes are logged at debug level, other requests at info.
	levels := map[string]string{}
	for _, rec := range logs.lines(t) {
		if rec["msg"] == "request" {
			levels[rec["path"].(string)] = rec["level"].(string)
		}
	}
	if levels["/healthz"] != "DEBUG" || levels["/graphql"] != "INFO" {
		t.Errorf("access log levels = %v", levels)
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
