package server

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"
)

// RequestIDHeader carries the request id: taken from the request when it is
// sane (see saneRequestID), generated otherwise, and echoed in the response.
const RequestIDHeader = "X-Request-ID"

// requestInfo is what the layers of one request learn about it and the
// outermost middleware reports when the request is done: the id, the GraphQL
// operation (set by the GraphQL transport) and the store round trips (counted
// by the instrumented store).
type requestInfo struct {
	id string
	// operation and opType are set once by the GraphQL transport, in the
	// request's own goroutine, before the handler returns.
	operation string
	opType    string
	// storeCalls is incremented by the instrumented store, possibly from
	// resolver goroutines.
	storeCalls atomic.Int64
}

type requestInfoKey struct{}

func infoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(requestInfoKey{}).(*requestInfo)
	return info
}

// RequestID returns the id of the request ctx belongs to, or "" outside a
// request served by New.
func RequestID(ctx context.Context) string {
	if info := infoFrom(ctx); info != nil {
		return info.id
	}
	return ""
}

// saneRequestID reports whether a client's request id may be used as ours:
// 1 to 128 characters of letters, digits and -_.:+/=@ — enough for UUIDs,
// trace ids and base64, nothing that could break a log line or a header.
func saneRequestID(id string) bool {
	if len(id) == 0 || len(id) > 128 {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-' || c == '_' || c == '.' || c == ':' || c == '+' || c == '/' || c == '=' || c == '@':
		default:
			return false
		}
	}
	return true
}

// requestContext gives every request an id (the client's X-Request-ID when
// sane, else a random one), echoes it in the response header and puts the
// per-request info into the context, where the logger's handler finds it.
func requestContext(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !saneRequestID(id) {
			id = rand.Text()
		}
		w.Header().Set(RequestIDHeader, id)
		ctx := context.WithValue(r.Context(), requestInfoKey{}, &requestInfo{id: id})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// contextHandler adds the request id of the context to every record, so that
// every line logged with a request's context (log.InfoContext(ctx, …)) names
// the request.
type contextHandler struct{ slog.Handler }

// withRequestID wraps h so that records logged with a request's context carry
// its id as request_id; wrapping twice is harmless.
func withRequestID(h slog.Handler) slog.Handler {
	if _, ok := h.(contextHandler); ok {
		return h
	}
	return contextHandler{h}
}

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r = r.Clone()
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(attrs)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}

// statusRecorder remembers the status and size of a response.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer
// (Flush, deadlines).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// quietPaths are probed often by orchestrators and scrapers: their access
// log lines are logged at debug level.
var quietPaths = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// observe measures every request (in flight, status and latency by route)
// and writes one access log line per request. route names the route of a
// request (a bounded set: the patterns of the mux).
func observe(log *slog.Logger, m *metrics, route func(*http.Request) string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rt := route(r)
			m.inFlight.Inc()
			defer m.inFlight.Dec()
			rec := &statusRecorder{ResponseWriter: w}
			next.ServeHTTP(rec, r)
			if rec.status == 0 {
				rec.status = http.StatusOK
			}
			d := time.Since(start)
			m.observeHTTP(rt, rec.status, d)
			level := slog.LevelInfo
			if quietPaths[r.URL.Path] {
				level = slog.LevelDebug
			}
			attrs := []slog.Attr{
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.String("route", rt),
				slog.Int("status", rec.status),
				slog.Duration("duration", d),
				slog.Int64("bytes", rec.bytes),
			}
			if info := infoFrom(r.Context()); info != nil && info.opType != "" {
				attrs = append(attrs, slog.String("operation", info.operation), slog.String("operation_type", info.opType),
					slog.Int64("store_calls", info.storeCalls.Load()))
			}
			log.LogAttrs(r.Context(), level, "request", attrs...)
		})
	}
}
