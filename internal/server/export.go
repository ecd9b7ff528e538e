package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"

	"github.com/bildungsgraph/bildungsgraph/internal/exchange"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// exportBase is the base name of exported files: /export/landscape.gexf.
const exportBase = "landscape"

// exportHandler serves the landscape (or a selection of it) in every export
// format for visualisation tools and frontends:
//
//	GET /export/landscape.gexf?region=lk-osnabrueck&asOf=2024-01-01
//
// Parameters: region, topic, around + depth, kind (repeatable), edgeKind
// (repeatable), asOf, maxNodes.
func exportHandler(s landscape.Store, log *slog.Logger) http.Handler {
	formats := map[string]exchange.Format{}
	for _, f := range exchange.Formats {
		formats[f.Filename(exportBase)] = f
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := formats[r.PathValue("file")]
		if !ok {
			names := make([]string, 0, len(exchange.Formats))
			for _, f := range exchange.Formats {
				names = append(names, f.Filename(exportBase))
			}
			writeProblem(w, r, log, landscape.Errorf(landscape.ENotFound, "file", "no export %q; one of %v", r.PathValue("file"), names))
			return
		}
		sel, err := selection(r.URL.Query())
		if err != nil {
			writeProblem(w, r, log, err)
			return
		}
		g, err := exchange.Select(r.Context(), s, sel)
		if err != nil {
			writeProblem(w, r, log, err)
			return
		}
		if !landscape.PrincipalFrom(r.Context()).SeesContacts() {
			g = g.WithoutContacts() // personal data: authenticated readers only
		}
		var buf bytes.Buffer // written whole, so that an error still gets a proper status
		if err := f.Write(&buf, g); err != nil {
			writeProblem(w, r, log, err)
			return
		}
		w.Header().Set("Content-Type", f.ContentType())
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", f.Filename(exportBase)))
		if g.Truncated {
			w.Header().Set("X-Bildungsgraph-Truncated", "true")
		}
		w.Write(buf.Bytes())
	})
}

// selection reads an export selection from query parameters.
func selection(q url.Values) (exchange.Selection, error) {
	sel := exchange.Selection{Region: q.Get("region"), Topic: q.Get("topic"), Around: q.Get("around")}
	for _, s := range q["kind"] {
		k, ok := landscape.ParseNodeKind(s)
		if !ok {
			return sel, landscape.Errorf(landscape.EInvalid, "kind", "unknown node kind %q", s)
		}
		sel.Kinds = append(sel.Kinds, k)
	}
	for _, s := range q["edgeKind"] {
		k, ok := landscape.ParseEdgeKind(s)
		if !ok {
			return sel, landscape.Errorf(landscape.EInvalid, "edgeKind", "unknown edge kind %q", s)
		}
		sel.EdgeKinds = append(sel.EdgeKinds, k)
	}
	if s := q.Get("asOf"); s != "" {
		d, err := landscape.ParseDate(s)
		if err != nil {
			return sel, landscape.Errorf(landscape.EInvalid, "asOf", "%v", err)
		}
		sel.AsOf = &d
	}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"depth", &sel.Depth}, {"maxNodes", &sel.MaxNodes}} {
		if s := q.Get(p.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				return sel, landscape.Errorf(landscape.EInvalid, p.name, "%q is not a whole number", s)
			}
			*p.dst = n
		}
	}
	if sel.Around != "" && q.Get("depth") == "" {
		sel.Depth = 1
	}
	return sel, nil
}

// statusOf maps domain error codes to HTTP statuses: the one table of the
// plain HTTP endpoints.
var statusOf = map[landscape.Code]int{
	landscape.EInvalid:     http.StatusBadRequest,
	landscape.ENotFound:    http.StatusNotFound,
	landscape.EConflict:    http.StatusConflict,
	landscape.EUnavailable: http.StatusServiceUnavailable,
	landscape.ETimeout:     http.StatusGatewayTimeout,
	landscape.EForbidden:   http.StatusForbidden,
	landscape.EUnauth:      http.StatusUnauthorized,
	landscape.EInternal:    http.StatusInternalServerError,
}

// writeProblem answers a plain HTTP request with a domain error as JSON
// {code, field, message}; internal details are logged, not shown (the
// requestId in the body finds them in the log); a timeout names the limit.
func writeProblem(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	ctx := r.Context()
	code := landscape.ErrorCode(err)
	if code == landscape.EInternal && errors.Is(err, context.DeadlineExceeded) {
		code = landscape.ETimeout
	}
	body := map[string]string{"code": string(code), "message": err.Error()}
	if e := landscape.AsError(err); e != nil && e.Field != "" {
		body["field"] = e.Field
	}
	switch code {
	case landscape.EInternal:
		log.ErrorContext(ctx, "internal error", "err", err)
		body["message"] = "internal error"
		if id := RequestID(ctx); id != "" {
			body["requestId"] = id
		}
	case landscape.ETimeout:
		if msg, ok := timedOut(ctx); ok {
			body["message"] = msg
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(statusOf[code])
	json.NewEncoder(w).Encode(body)
}
