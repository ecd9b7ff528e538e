package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/embedded"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
	"github.com/bildungsgraph/bildungsgraph/internal/server"
)

// The GraphQL-over-HTTP tests: content negotiation, Content-Type, methods
// and the status matrix of https://graphql.github.io/graphql-over-http/draft/.

const (
	mediaJSON = "application/json"
	mediaGQL  = "application/graphql-response+json"
)

// specServer returns the whole handler (server.New) over a fresh embedded
// store holding two committees; cfg.Store, when nil, is that store.
func specServer(t *testing.T, cfg server.Config) (http.Handler, landscape.Store) {
	t.Helper()
	s, err := embedded.Open(filepath.Join(t.TempDir(), "landscape.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Apply(context.Background(), committees(2)); err != nil {
		t.Fatal(err)
	}
	if cfg.Store == nil {
		cfg.Store = s
	}
	return server.New(cfg), s
}

// specResponse is an HTTP response of /graphql, decoded.
type specResponse struct {
	Status int
	Header http.Header
	Body   string
	// Fields are the top-level entries of the JSON body (nil if it is none).
	Fields map[string]json.RawMessage
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	}
}

func (r *specResponse) hasData() bool { _, ok := r.Fields["data"]; return ok }

func (r *specResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

func (r *specResponse) mediaType() string {
	mt, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	return strings.TrimSpace(mt)
}

// specDo sends one request through h. headers are name, value pairs.
func specDo(t *testing.T, h http.Handler, method, target string, body io.Reader, headers ...string) *specResponse {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return serve(h, req)
}

// newPost returns a POST of body to /graphql accepting media.
func newPost(body, media string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", mediaJSON)
	req.Header.Set("Accept", media)
	return req
}

// serve sends req through h and decodes the response.
func serve(h http.Handler, req *http.Request) *specResponse {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	resp := &specResponse{Status: rec.Code, Header: rec.Header(), Body: rec.Body.String()}
	if json.Unmarshal(rec.Body.Bytes(), &resp.Fields) == nil {
		json.Unmarshal(rec.Body.Bytes(), resp)
	}
	return resp
}

func specPost(t *testing.T, h http.Handler, body, accept string) *specResponse {
	t.Helper()
	headers := []string{"Content-Type", mediaJSON}
	if accept != "" {
		headers = append(headers, "Accept", accept)
	}
	return specDo(t, h, http.MethodPost, "/graphql", strings.NewReader(body), headers...)
}

func specGet(t *testing.T, h http.Handler, params url.Values, accept string) *specResponse {
	t.Helper()
	var headers []string
	if accept != "" {
		headers = []string{"Accept", accept}
	}
	return specDo(t, h, http.MethodGet, "/graphql?"+params.Encode(), nil, headers...)
}

func TestContentNegotiation(t *testing.T) {
	h, _ := specServer(t, server.Config{})
	for _, tc := range []struct {
		accept string
		want   string // media type, or "" for 406
	}{
		{"", mediaJSON}, // no Accept: the legacy default
		{"*/*", mediaJSON},
		{"application/*", mediaJSON},
		{"application/json", mediaJSON},
		{"application/graphql-response+json", mediaGQL},
		{"application/graphql-response+json; charset=utf-8", mediaGQL},
		{"application/graphql-response+json, application/json", mediaGQL},
		{"application/json, application/graphql-response+json", mediaGQL}, // a tie: the preferred type
		{"application/graphql-response+json;charset=utf-8, application/json;charset=utf-8", mediaGQL},
		{"application/json;q=0.9, application/graphql-response+json", mediaGQL},
		{"application/graphql-response+json;q=0.5, application/json", mediaJSON},
		{"application/graphql-response+json;q=0.5, */*", mediaJSON}, // */* is q=1
		{"application/graphql-response+json, */*;q=0.1", mediaGQL},
		{"application/json;q=0, */*", mediaGQL},
		{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", mediaJSON}, // a browser
		{"text/html", ""},
		{"application/xml, image/*", ""},
		{"application/json;q=0", ""},
		{"application/graphql-response+json;q=0, application/json;q=0", ""},
		{"nonsense", ""},
	} {
		t.Run(tc.accept, func(t *testing.T) {
			for _, method := range []string{http.MethodPost, http.MethodGet} {
				var r *specResponse
				if method == http.MethodPost {
					r = specPost(t, h, `{"query":"{ __typename }"}`, tc.accept)
				} else {
					r = specGet(t, h, url.Values{"query": {"{ __typename }"}}, tc.accept)
				}
				if tc.want == "" {
					if r.Status != http.StatusNotAcceptable || r.code() != server.CodeNotAcceptable {
						t.Errorf("%s: status %d, body %s; want 406 NOT_ACCEPTABLE", method, r.Status, r.Body)
					}
					continue
				}
				if r.Status != http.StatusOK || r.mediaType() != tc.want || !r.hasData() {
					t.Errorf("%s: status %d, Content-Type %q, body %s; want 200 %s with data", method, r.Status, r.Header.Get("Content-Type"), r.Body, tc.want)
				}
				if ct := r.Header.Get("Content-Type"); !strings.Contains(ct, "charset=utf-8") {
					t.Errorf("%s: Content-Type %q names no charset", method, ct)
				}
				if !strings.Contains(strings.Join(r.Header.Values("Vary"), ","), "Accept") {
					t.Errorf("%s: no Vary: Accept (%v)", method, r.Header)
				}
			}
		})
	}
}

// TestStatusMatrix checks the status of every kind of request error and
// result under both response media types.
func TestStatusMatrix(t *testing.T) {
	h, _ := specServer(t, server.Config{})
	for _, tc := range []struct {
		name     string
		body     string
		json     int  // status under application/json
		gql      int  // status under application/graphql-response+json
		data     bool // whether the response has a data entry
		code     string
		contains string // in the first error's message
	}{
		// Not a well-formed GraphQL-over-HTTP request: 400 under both.
		{"JSONParseFailure", `NONSENSE`, 400, 400, false, "BAD_REQUEST", "not a JSON object"},
		{"TruncatedJSON", `{"query":`, 400, 400, false, "BAD_REQUEST", ""},
		{"NotAnObject", `["{ __typename }"]`, 400, 400, false, "BAD_REQUEST", ""},
		{"TrailingData", `{"query":"{ __typename }"} {}`, 400, 400, false, "BAD_REQUEST", ""},
		{"QueryMissing", `{"qeury":"{ __typename }"}`, 400, 400, false, "BAD_REQUEST", "no query"},
		{"QueryNull", `{"query":null}`, 400, 400, false, "BAD_REQUEST", "no query"},
		{"QueryNotAString", `{"query":{"a":1}}`, 400, 400, false, "BAD_REQUEST", "query must be a string"},
		{"OperationNameNotAString", `{"query":"{ __typename }","operationName":7}`, 400, 400, false, "BAD_REQUEST", "operationName"},
		{"VariablesNotAMap", `{"query":"query Q($i: Int!) { committees(first: $i) { totalCount } }","variables":[7]}`, 400, 400, false, "BAD_REQUEST", "variables"},
		{"ExtensionsNotAMap", `{"query":"{ __typename }","extensions":"x"}`, 400, 400, false, "BAD_REQUEST", "extensions"},
		// Well-formed, but a GraphQL request error: 200 / 400, no data.
		{"DocumentParseFailure", `{"query":"{"}`, 200, 400, false, "GRAPHQL_PARSE_FAILED", ""},
		{"EmptyQuery", `{"query":""}`, 200, 400, false, "GRAPHQL_VALIDATION_FAILED", ""},
		{"DocumentValidationFailure", `{"query":"{ gibtEsNicht }"}`, 200, 400, false, "GRAPHQL_VALIDATION_FAILED", "gibtEsNicht"},
		{"OperationNotDetermined", `{"query":"query A { __typename } query B { __typename }"}`, 200, 400, false, "GRAPHQL_VALIDATION_FAILED", ""},
		{"UnknownOperationName", `{"query":"query A { __typename }","operationName":"B"}`, 200, 400, false, "GRAPHQL_VALIDATION_FAILED", "B"},
		{"VariableCoercionFailure", `{"query":"query Q($i: Int!) { committees(first: $i) { totalCount } }","variables":{"i":"sieben"}}`, 200, 400, false, "GRAPHQL_VALIDATION_FAILED", ""},
		{"PersistedQueryNotFound", `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"` + strings.Repeat("0", 64) + `"}}}`, 200, 400, false, "PERSISTED_QUERY_NOT_FOUND", ""},
		// Executed: 200 under both, with data (null when a non-null field failed).
		{"Success", `{"query":"{ committees { totalCount } }"}`, 200, 200, true, "", ""},
		{"NullsAreFine", `{"query":"{ __typename }","operationName":null,"variables":null,"extensions":null}`, 200, 200, true, "", ""},
		{"SelectedOperation", `{"query":"query A { __typename } query B { committees { totalCount } }","operationName":"B"}`, 200, 200, true, "", ""},
		{"FieldError", `{"query":"{ committees(first: 100000) { totalCount } }"}`, 200, 200, true, "INVALID", "1000"},
		{"FieldErrorOfAMutation", `{"query":"mutation { deleteNode(id: \"gremium-00\") }"}`, 200, 200, true, "UNAUTHORIZED", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for media, want := range map[string]int{mediaJSON: tc.json, mediaGQL: tc.gql} {
				r := specPost(t, h, tc.body, media)
				if r.Status != want || r.mediaType() != media {
					t.Errorf("Accept %s: status %d, Content-Type %q; want %d %s; body %s", media, r.Status, r.Header.Get("Content-Type"), want, media, r.Body)
				}
				if r.hasData() != tc.data {
					t.Errorf("Accept %s: data entry present = %v, want %v: %s", media, r.hasData(), tc.data, r.Body)
				}
				if r.code() != tc.code {
					t.Errorf("Accept %s: code %q, want %q: %s", media, r.code(), tc.code, r.Body)
				}
				if tc.code != "" && (len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Message, tc.contains)) {
					t.Errorf("Accept %s: message should contain %q: %s", media, tc.contains, r.Body)
				}
			}
		})
	}
}

func TestRequestContentType(t *testing.T) {
	h, _ := specServer(t, server.Config{})
	for _, tc := range []struct {
		contentType string
		status      int
	}{
		{"application/json", 200},
		{"application/json; charset=utf-8", 200},
		{"application/json; charset=UTF-8", 200},
		{"APPLICATION/JSON", 200},
		{"", 415},
		{"text/plain", 415},
		{"text/plain;charset=UTF-8", 415},
		{"application/x-www-form-urlencoded", 415},
		{"multipart/form-data; boundary=x", 415},
		{"application/graphql", 415},
		{"application/graphql-response+json", 415},
		{"application/json; charset=latin1", 415},
		{"kein/typ/", 415},
	} {
		t.Run(tc.contentType, func(t *testing.T) {
			var headers []string
			if tc.contentType != "" {
				headers = []string{"Content-Type", tc.contentType}
			}
			r := specDo(t, h, http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ __typename }"}`), headers...)
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Body)
			}
			if tc.status == 415 && (r.code() != server.CodeUnsupportedMediaType || !strings.Contains(r.Errors[0].Message, "application/json")) {
				t.Errorf("body %s: want UNSUPPORTED_MEDIA_TYPE naming application/json", r.Body)
			}
		})
	}
}

func TestMethods(t *testing.T) {
	h, _ := specServer(t, server.Config{})
	get := func(params url.Values) *specResponse { return specGet(t, h, params, mediaGQL) }
	for _, tc := range []struct {
		name   string
		do     func() *specResponse
		status int
		allow  string
		code   string
	}{
		{"GETQuery", func() *specResponse { return get(url.Values{"query": {"{ committees { totalCount } }"}}) }, 200, "", ""},
		{"GETQueryWithVariables", func() *specResponse {
			return get(url.Values{"query": {"query Q($n: Int) { committees(first: $n) { totalCount } }"}, "variables": {`{"n": 1}`}})
		}, 200, "", ""},
		{"GETMutation", func() *specResponse { return get(url.Values{"query": {`mutation { deleteNode(id: "gremium-00") }`}}) }, 405, "POST", server.CodeMethodNotAllowed},
		{"GETInvalidMutation", func() *specResponse { return get(url.Values{"query": {`mutation { gibtEsNicht }`}}) }, 405, "POST", server.CodeMethodNotAllowed},
		{"GETMutationSelected", func() *specResponse {
			return get(url.Values{"query": {`query Q { __typename } mutation M { deleteNode(id: "gremium-00") }`}, "operationName": {"M"}})
		}, 405, "POST", server.CodeMethodNotAllowed},
		{"GETQuerySelected", func() *specResponse {
			return get(url.Values{"query": {`query Q { __typename } mutation M { deleteNode(id: "gremium-00") }`}, "operationName": {"Q"}})
		}, 200, "", ""},
		{"GETWithoutQuery", func() *specResponse { return get(url.Values{}) }, 400, "", server.CodeBadRequest},
		{"GETVariablesNotJSON", func() *specResponse {
			return get(url.Values{"query": {"{ __typename }"}, "variables": {"{n: 1"}})
		}, 400, "", server.CodeBadRequest},
		{"GETValidationError", func() *specResponse { return get(url.Values{"query": {"{ gibtEsNicht }"}}) }, 400, "", "GRAPHQL_VALIDATION_FAILED"},
		{"PUT", func() *specResponse {
			return specDo(t, h, http.MethodPut, "/graphql", strings.NewReader(`{"query":"{ __typename }"}`), "Content-Type", mediaJSON)
		}, 405, "GET, POST, OPTIONS", server.CodeMethodNotAllowed},
		{"DELETE", func() *specResponse { return specDo(t, h, http.MethodDelete, "/graphql", nil) }, 405, "GET, POST, OPTIONS", server.CodeMethodNotAllowed},
		{"HEAD", func() *specResponse { return specDo(t, h, http.MethodHead, "/graphql", nil) }, 405, "GET, POST, OPTIONS", server.CodeMethodNotAllowed},
		{"OPTIONS", func() *specResponse { return specDo(t, h, http.MethodOptions, "/graphql", nil) }, 204, "GET, POST, OPTIONS", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.do()
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Body)
			}
			if got := r.Header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow = %q, want %q", got, tc.allow)
			}
			if r.code() != tc.code {
				t.Errorf("code %q, want %q: %s", r.code(), tc.code, r.Body)
			}
		})
	}
}

// TestMutationOverGETAsPersistedQuery: a mutation known to the APQ cache is
// refused over GET too, although the request carries only its hash.
func TestMutationOverGETAsPersistedQuery(t *testing.T) {
	h, _ := specServer(t, server.Config{})
	const mutation = `mutation { deleteNode(id: "gremium-00") }`
	sum := sha256.Sum256([]byte(mutation))
	ext := `{"persistedQuery":{"version":1,"sha256Hash":"` + hex.EncodeToString(sum[:]) + `"}}`
	body, _ := json.Marshal(map[string]any{"query": mutation, "extensions": json.RawMessage(ext)})
	if r := specPost(t, h, string(body), mediaGQL); r.Status != 200 {
		t.Fatalf("registering the persisted mutation: %d %s", r.Status, r.Body)
	}
	r := specGet(t, h, url.Values{"extensions": {ext}}, mediaGQL)
	if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "POST" || r.code() != server.CodeMethodNotAllowed {
		t.Fatalf("GET of a persisted mutation: %d, Allow %q: %s", r.Status, r.Header.Get("Allow"), r.Body)
	}
	// A persisted query works over GET.
	const query = `{ committees { totalCount } }`
	sum = sha256.Sum256([]byte(query))
	ext = `{"persistedQuery":{"version":1,"sha256Hash":"` + hex.EncodeToString(sum[:]) + `"}}`
	r = specGet(t, h, url.Values{"extensions": {ext}}, mediaGQL)
	if r.Status != 400 || r.code() != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("unknown persisted query: %d %s", r.Status, r.Body)
	}
	if r = specGet(t, h, url.Values{"query": {query}, "extensions": {ext}}, mediaGQL); r.Status != 200 {
		t.Fatalf("registering the persisted query: %d %s", r.Status, r.Body)
	}
	if r = specGet(t, h, url.Values{"extensions": {ext}}, mediaGQL); r.Status != 200 || !strings.Contains(r.Body, `"totalCount":2`) {
		t.Fatalf("persisted query over GET: %d %s", r.Status, r.Body)
	}
}

func TestAPQCanBeSwitchedOff(t *testing.T) {
	h, _ := specServer(t, server.Config{DisableAPQ: true})
	const query = `{ __typename }`
	sum := sha256.Sum256([]byte(query))
	body := `{"query":"` + query + `","extensions":{"persistedQuery":{"version":1,"sha256Hash":"` + hex.EncodeToString(sum[:]) + `"}}}`
	if r := specPost(t, h, body, ""); r.Status != 200 || !r.hasData() {
		t.Fatalf("with the query: %d %s", r.Status, r.Body)
	}
	r := specPost(t, h, `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"`+hex.EncodeToString(sum[:])+`"}}}`, "")
	if r.Status != 400 || r.code() != server.CodeBadRequest {
		t.Fatalf("hash only, APQ off: %d %s; want 400 (no query)", r.Status, r.Body)
	}
}

func TestIntrospectionSwitch(t *testing.T) {
	queries := map[string]string{
		"__schema": `{ __schema { queryType { name } } }`,
		"__type":   `query { ...F } fragment F on Query { ... on Query { __type(name: \"Actor\") { name } } }`,
	}
	for _, on := range []bool{true, false} {
		h, _ := specServer(t, server.Config{Introspection: on})
		for field, q := range queries {
			r := specPost(t, h, `{"query":"`+q+`"}`, mediaGQL)
			if on && (r.Status != 200 || len(r.Errors) > 0) {
				t.Errorf("introspection on, %s: %d %s", field, r.Status, r.Body)
			}
			if !on && (r.Status != 400 || r.code() != "GRAPHQL_VALIDATION_FAILED" || !strings.Contains(r.Errors[0].Message, field)) {
				t.Errorf("introspection off: %d %s; want 400, a validation error naming %s", r.Status, r.Body, field)
			}
		}
		if r := specPost(t, h, `{"query":"{ __typename }"}`, mediaGQL); r.Status != 200 || len(r.Errors) > 0 {
			t.Errorf("introspection on=%v: __typename: %d %s", on, r.Status, r.Body)
		}
	}
}

// TestBodyOfTheRequestIsNotEchoed: a malformed body is not repeated in the
// error (gqlgen's POST transport did that).
func TestBodyOfTheRequestIsNotEchoed(t *testing.T) {
	h, _ := specServer(t, server.Config{})
	r := specPost(t, h, `{"query": "geheim`, mediaJSON)
	if r.Status != 400 || strings.Contains(r.Body, "geheim") {
		t.Fatalf("status %d body %s", r.Status, r.Body)
	}
}
