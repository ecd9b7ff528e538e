package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// This file is GraphQL over HTTP as the draft specification has it
// (https://graphql.github.io/graphql-over-http/draft/), as a gqlgen
// transport. gqlgen's own GET and POST transports (v0.17.98) get several of
// the spec's rules wrong and decide their status codes before the
// information the spec's rules need is known — they ignore q-values in
// Accept and answer unsupported Accept headers instead of 406, use 422 for
// validation errors under application/json (the spec: 200), 200 for request
// errors other than parse/validation under application/graphql-response+json
// (the spec: MUST be 4xx, there is no data), 406 for a mutation over GET (the
// spec: 405), 200 for an unreadable or too large body, 400 for an
// unsupported method or Content-Type, and they accept a missing query. So
// this transport replaces their two Do methods and keeps everything else of
// gqlgen: the executor (parsing, validation, the query cache, extensions,
// the error presenter) is driven through the same graphql.GraphExecutor
// calls they make.
//
// The status matrix (under application/json | application/graphql-response+json):
//
//	method other than GET, POST, OPTIONS           405, Allow: GET, POST, OPTIONS
//	no supported media type in Accept              406
//	POST body not application/json (utf-8)         415
//	body larger than the limit                     413
//	not well-formed: bad JSON, query missing or
//	  not a string, variables not an object        400
//	mutation over GET                              405, Allow: POST
//	request error: parse, validation, variable
//	  coercion, operation not found, depth or
//	  complexity limit, persisted query unknown    200 | 400, no data entry
//	executed: data present (maybe null), errors
//	  or not                                       200 | 200
//
// The response media type is the highest-q supported type of Accept; on a
// tie graphql-response+json wins when named explicitly, application/json
// when both come from a wildcard (*/*, application/*). Without an Accept
// header the answer is application/json: the spec's legacy watershed says
// a server SHOULD assume graphql-response+json from 2025 on, but the
// clients of this server (the explorer, GraphiQL, scripts with curl) expect
// 200 for validation errors, and the spec allows either (a missing Accept
// header lets the server choose).

// Media types of GraphQL responses.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// Codes of requests refused at the HTTP level.
const (
	CodeBadRequest           = "BAD_REQUEST"
	CodeMethodNotAllowed     = "METHOD_NOT_ALLOWED"
	CodeNotAcceptable        = "NOT_ACCEPTABLE"
	CodeUnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
)

// httpTransport serves GraphQL over HTTP: GET (queries only) and POST with
// a JSON body.
type httpTransport struct {
	maxBody int64 // <= 0: no limit
	apq     bool  // automatic persisted queries are on: a request may leave out the query
	metrics *metrics
	log     *slog.Logger
}

var _ graphql.Transport = httpTransport{}

// Supports takes every request but websocket upgrades: this transport
// answers unsupported methods and media types itself, with the spec's codes.
func (t httpTransport) Supports(r *http.Request) bool {
	return r.Header.Get("Upgrade") == ""
}

// httpError is a request refused before GraphQL execution.
type httpError struct {
	status int
	code   string
	msg    string
	header map[string]string
	ext    map[string]any // further extensions besides the code
}

func (e *httpError) Error() string { return e.msg }

func badRequest(format string, args ...any) *httpError {
	return &httpError{status: http.StatusBadRequest, code: CodeBadRequest, msg: fmt.Sprintf(format, args...)}
}

// httpExchange is the state of one request through the transport.
type httpExchange struct {
	t         httpTransport
	w         http.ResponseWriter
	r         *http.Request
	start     time.Time
	media     string // the response's media type
	operation string // the operation's label for metrics
	opType    string
	executed  bool
	errs      gqlerror.List
}

func (t httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	x := &httpExchange{t: t, w: w, r: r, start: time.Now(), media: mediaJSON, operation: labelUnknown, opType: labelUnknown}
	defer x.finish()
	w.Header().Add("Vary", "Accept")
	switch r.Method {
	case http.MethodGet, http.MethodPost:
	case http.MethodOptions:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		x.refuse(&httpError{status: http.StatusMethodNotAllowed, code: CodeMethodNotAllowed,
			msg:    fmt.Sprintf("method %s is not allowed; use POST, or GET for queries", r.Method),
			header: map[string]string{"Allow": "GET, POST, OPTIONS"}})
		return
	}
	media, ok := negotiate(r.Header.Values("Accept"))
	if !ok {
		x.refuse(&httpError{status: http.StatusNotAcceptable, code: CodeNotAcceptable,
			msg: fmt.Sprintf("none of the accepted media types (%s) is supported; accept %s or %s",
				truncate(strings.Join(r.Header.Values("Accept"), ", "), 200), mediaGraphQLResponse, mediaJSON)})
		return
	}
	x.media = media

	readStart := graphql.Now()
	var params *graphql.RawParams
	var err *httpError
	if r.Method == http.MethodGet {
		params, err = paramsFromURL(r.URL.RawQuery, t.apq)
		if err == nil && isMutation(params) {
			err = mutationOverGET()
		}
	} else {
		params, err = t.paramsFromBody(w, r)
	}
	if err != nil {
		x.refuse(err)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: readStart, End: graphql.Now()}

	ctx := r.Context()
	opCtx, gqlErrs := exec.CreateOperationContext(ctx, params)
	x.noteOperation(opCtx, gqlErrs == nil)
	if gqlErrs != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), gqlErrs)
		x.requestErrors(resp.Errors, resp.Extensions)
		return
	}
	if r.Method == http.MethodGet && opCtx.Operation.Operation != ast.Query {
		// A mutation that reached us as an automatic persisted query.
		x.refuse(mutationOverGET())
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, opCtx)
	resp := responses(ctx)
	if resp == nil {
		// The context ended before execution began.
		msg := "the request was cancelled"
		if m, ok := timedOut(ctx); ok {
			msg = m
		}
		e := &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": string(landscape.ETimeout)}}
		x.requestErrors(gqlerror.List{e}, nil)
		return
	}
	if resp.Data == nil {
		// Execution did not begin after all (errors of the executor itself).
		x.requestErrors(resp.Errors, resp.Extensions)
		return
	}
	x.executed = true
	x.errs = resp.Errors
	x.write(http.StatusOK, resp)
}

// noteOperation records the operation for metrics and the access log.
func (x *httpExchange) noteOperation(opCtx *graphql.OperationContext, valid bool) {
	if opCtx == nil || opCtx.Operation == nil {
		return
	}
	op := opCtx.Operation
	x.opType = string(op.Operation)
	x.operation = labelAnonymous
	if x.t.metrics != nil {
		x.operation = x.t.metrics.ops.label(op.Name, valid)
	}
	if info := infoFrom(x.r.Context()); info != nil {
		info.operation, info.opType = truncate(op.Name, 100), x.opType
	}
}

// requestErrors answers a request that raised GraphQL request errors before
// execution: no data entry; 200 under application/json, 400 (500 for
// internal errors, 504 for a timeout) under application/graphql-response+json.
func (x *httpExchange) requestErrors(errs gqlerror.List, ext map[string]any) {
	x.errs = errs
	status := http.StatusOK
	if x.media == mediaGraphQLResponse {
		status = http.StatusBadRequest
		for _, e := range errs {
			switch e.Extensions["code"] {
			case string(landscape.EInternal):
				status = http.StatusInternalServerError
			case string(landscape.ETimeout):
				status = http.StatusGatewayTimeout
			}
		}
	}
	x.write(status, requestErrorResponse{Errors: errs, Extensions: ext})
}

// requestErrorResponse is a GraphQL response without a data entry: the
// GraphQL spec leaves data out when a request error was raised before
// execution began.
type requestErrorResponse struct {
	Errors     gqlerror.List  `json:"errors"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// refuse answers a request refused at the HTTP level.
func (x *httpExchange) refuse(e *httpError) {
	for k, v := range e.header {
		x.w.Header().Set(k, v)
	}
	ext := map[string]any{"code": e.code}
	for k, v := range e.ext {
		ext[k] = v
	}
	x.errs = gqlerror.List{{Message: e.msg, Extensions: ext}}
	x.write(e.status, requestErrorResponse{Errors: x.errs})
}

func (x *httpExchange) write(status int, body any) {
	var b []byte
	var err error
	if r, ok := body.(*graphql.Response); ok && r.Label == "" && r.Path == nil && r.HasNext == nil {
		b, err = encodeResponse(r)
	} else {
		b, err = json.Marshal(body)
	}
	if err != nil {
		x.t.log.ErrorContext(x.r.Context(), "encode GraphQL response", "err", err)
		status = http.StatusInternalServerError
		b = []byte(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`)
	}
	x.w.Header().Set("Content-Type", x.media+"; charset=utf-8")
	x.w.WriteHeader(status)
	x.w.Write(b)
}

// encodeResponse encodes an executed response (not an incremental one) as
// json.Marshal does, except that it copies the data as gqlgen wrote it:
// compact JSON. json.Marshal would scan and compact it once more (for a
// coverage matrix, 1.1 MB and a few milliseconds), and escape <, > and & in
// its strings.
func encodeResponse(r *graphql.Response) ([]byte, error) {
	var errs, ext []byte
	var err error
	if len(r.Errors) > 0 {
		if errs, err = json.Marshal(r.Errors); err != nil {
			return nil, err
		}
	}
	if len(r.Extensions) > 0 {
		if ext, err = json.Marshal(r.Extensions); err != nil {
			return nil, err
		}
	}
	data := []byte(r.Data)
	if len(data) == 0 {
		data = []byte("null")
	}
	b := make([]byte, 0, len(data)+len(errs)+len(ext)+40)
	b = append(b, '{')
	if errs != nil {
		b = append(b, `"errors":`...)
		b = append(b, errs...)
		b = append(b, ',')
	}
	b = append(b, `"data":`...)
	b = append(b, data...)
	if ext != nil {
		b = append(b, `,"extensions":`...)
		b = append(b, ext...)
	}
	return append(b, '}'), nil
}

// finish records the request in the metrics.
func (x *httpExchange) finish() {
	if x.t.metrics == nil || x.r.Method == http.MethodOptions {
		return
	}
	calls := int64(-1)
	if info := infoFrom(x.r.Context()); info != nil && x.executed {
		calls = info.storeCalls.Load()
	}
	x.t.metrics.observeGraphQL(x.operation, x.opType, time.Since(x.start), x.errs, calls)
}

func mutationOverGET() *httpError {
	return &httpError{status: http.StatusMethodNotAllowed, code: CodeMethodNotAllowed,
		msg: "a mutation cannot be sent with GET; use POST", header: map[string]string{"Allow": "POST"}}
}

// isMutation reports whether the GET request's query names a mutation. It
// parses the document once more (gqlgen parses it again, through its query
// cache) so that a mutation is refused with 405 even when it would not
// validate; documents that do not parse are left to gqlgen's errors.
func isMutation(p *graphql.RawParams) bool {
	if p.Query == "" {
		return false
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: p.Query})
	if err != nil {
		return false
	}
	op := doc.Operations.ForName(p.OperationName)
	return op != nil && op.Operation == ast.Mutation
}

// paramsFromURL reads the GraphQL-over-HTTP parameters of a GET request from
// the query component.
func paramsFromURL(rawQuery string, apq bool) (*graphql.RawParams, *httpError) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, badRequest("the query string is malformed: %v", err)
	}
	p := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	for _, v := range []struct {
		name string
		dst  *map[string]any
	}{{"variables", &p.Variables}, {"extensions", &p.Extensions}} {
		if s := q.Get(v.name); s != "" && s != "null" {
			if err := decodeObject([]byte(s), v.dst); err != nil {
				return nil, badRequest("%s must be a JSON object: %v", v.name, err)
			}
		}
	}
	if !q.Has("query") && !(apq && persisted(p)) {
		return nil, badRequest("the request has no query parameter")
	}
	return p, nil
}

// paramsFromBody reads the GraphQL-over-HTTP parameters of a POST request
// from its JSON body, refusing other media types (415), bodies above the
// limit (413) and bodies that are not a well-formed request (400).
func (t httpTransport) paramsFromBody(w http.ResponseWriter, r *http.Request) (*graphql.RawParams, *httpError) {
	unsupported := func(format string, args ...any) *httpError {
		return &httpError{status: http.StatusUnsupportedMediaType, code: CodeUnsupportedMediaType, msg: fmt.Sprintf(format, args...)}
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil, unsupported("a POST request needs the header Content-Type: %s", mediaJSON)
	}
	mt, mtParams, err := mime.ParseMediaType(ct)
	if err != nil || mt != mediaJSON {
		return nil, unsupported("Content-Type %q is not supported; send %s", ct, mediaJSON)
	}
	if cs, ok := mtParams["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, unsupported("Content-Type %q is not supported; send %s in utf-8", ct, mediaJSON)
	}
	body := r.Body
	if t.maxBody > 0 {
		if r.ContentLength > t.maxBody {
			return nil, bodyTooLarge(t.maxBody)
		}
		body = http.MaxBytesReader(w, r.Body, t.maxBody)
	}
	b, err := io.ReadAll(body)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, bodyTooLarge(t.maxBody)
	}
	if err != nil {
		return nil, badRequest("could not read the request body: %v", err)
	}
	return decodeBody(b, t.apq)
}

func bodyTooLarge(limit int64) *httpError {
	return &httpError{status: http.StatusRequestEntityTooLarge, code: CodeLimitExceeded,
		msg: fmt.Sprintf("the request body exceeds the limit of %d bytes", limit),
		ext: map[string]any{"limit": "bodySize", "max": limit}}
}

// decodeBody decodes a JSON-encoded GraphQL-over-HTTP request: an object
// whose query is a string (or missing, for an automatic persisted query),
// operationName a string or null, variables and extensions objects or null.
func decodeBody(b []byte, apq bool) (*graphql.RawParams, *httpError) {
	var raw map[string]json.RawMessage
	if err := decodeObject(b, &raw); err != nil {
		return nil, badRequest("the request body is not a JSON object: %v", err)
	}
	p := &graphql.RawParams{}
	isNull := func(v json.RawMessage) bool { return len(v) == 0 || string(v) == "null" }
	hasQuery := !isNull(raw["query"])
	if hasQuery {
		if err := json.Unmarshal(raw["query"], &p.Query); err != nil {
			return nil, badRequest("query must be a string")
		}
	}
	if v := raw["operationName"]; !isNull(v) {
		if err := json.Unmarshal(v, &p.OperationName); err != nil {
			return nil, badRequest("operationName must be a string or null")
		}
	}
	for _, v := range []struct {
		name string
		dst  *map[string]any
	}{{"variables", &p.Variables}, {"extensions", &p.Extensions}} {
		if s := raw[v.name]; !isNull(s) {
			if err := decodeObject(s, v.dst); err != nil {
				return nil, badRequest("%s must be an object or null", v.name)
			}
		}
	}
	if !hasQuery && !(apq && persisted(p)) {
		return nil, badRequest("the request has no query")
	}
	return p, nil
}

// persisted reports whether the request is an automatic persisted query,
// which may leave out the query.
func persisted(p *graphql.RawParams) bool {
	_, ok := p.Extensions["persistedQuery"]
	return ok
}

// decodeObject decodes one JSON object into dst, numbers as json.Number (as
// gqlgen does), and refuses anything after it.
func decodeObject[T any](b []byte, dst *T) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	if b := bytes.TrimSpace(b); len(b) == 0 || b[0] != '{' {
		return errors.New("not an object")
	}
	return nil
}

// negotiate picks the response media type from the Accept header values:
// the supported type with the highest q, by the most specific range that
// matches it (RFC 9110, 12.5.1); on a tie graphql-response+json when named
// explicitly, application/json when both match by wildcard. No Accept
// header: application/json. ok is false when no supported type is
// acceptable.
func negotiate(accept []string) (media string, ok bool) {
	header := strings.TrimSpace(strings.Join(accept, ","))
	if header == "" {
		return mediaJSON, true
	}
	type pref struct {
		q           float64
		specificity int // 2: type/subtype, 1: type/*, 0: */*, -1: no match
	}
	prefs := map[string]pref{mediaJSON: {0, -1}, mediaGraphQLResponse: {0, -1}}
	for part := range strings.SplitSeq(header, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		mt, params, err := mime.ParseMediaType(part)
		if err != nil {
			continue
		}
		if mt == "*" {
			mt = "*/*"
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			f, err := strconv.ParseFloat(s, 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		for supported, p := range prefs {
			spec := -1
			switch {
			case mt == supported:
				spec = 2
			case mt == "application/*":
				spec = 1
			case mt == "*/*":
				spec = 0
			}
			if spec > p.specificity || spec == p.specificity && spec >= 0 && q > p.q {
				prefs[supported] = pref{q, spec}
			}
		}
	}
	j, g := prefs[mediaJSON], prefs[mediaGraphQLResponse]
	if j.specificity < 0 {
		j.q = 0
	}
	if g.specificity < 0 {
		g.q = 0
	}
	switch {
	case j.q == 0 && g.q == 0:
		return "", false
	case g.q > j.q:
		return mediaGraphQLResponse, true
	case j.q > g.q:
		return mediaJSON, true
	case g.specificity > j.specificity || g.specificity == 2:
		return mediaGraphQLResponse, true
	}
	return mediaJSON, true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
