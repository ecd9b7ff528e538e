package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/data"
	"github.com/bildungsgraph/bildungsgraph/internal/embedded"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
	"github.com/bildungsgraph/bildungsgraph/internal/server"
)

// fuzzServer is the real HTTP handler over an embedded store holding the
// sample landscape, shared by the inputs of one fuzz process (inputs run
// one after the other). Every log record of level ERROR (internal errors,
// recovered panics) is kept: bad input must never produce one.
type fuzzServer struct {
	handler http.Handler
	key     string // API key of an editor
	known   string // id of a node of the sample landscape
	errLog  *syncBuffer
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// take returns what was logged since the last call.
func (b *syncBuffer) take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	b.buf.Reset()
	return s
}

func newFuzzServer(f *testing.F) *fuzzServer {
	f.Helper()
	s, err := embedded.Open(filepath.Join(f.TempDir(), "landscape.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	doc, err := data.Sample()
	if err != nil {
		f.Fatal(err)
	}
	if _, err := s.Apply(context.Background(), doc.Changeset()); err != nil {
		f.Fatal(err)
	}
	key, line, err := server.NewKey("Fuzzing", landscape.RoleEditor)
	if err != nil {
		f.Fatal(err)
	}
	keys, err := server.ParseKeys(strings.NewReader(line), "keys")
	if err != nil {
		f.Fatal(err)
	}
	errLog := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(errLog, &slog.HandlerOptions{Level: slog.LevelError}))
	return &fuzzServer{
		handler: server.New(server.Config{Store: s, Logger: log, Introspection: true, Keys: keys, DisableMetrics: true}),
		key:     key,
		known:   doc.Nodes[0].ID,
		errLog:  errLog,
	}
}

// fuzzResponse is a GraphQL response as the client sees it.
type fuzzResponse struct {
	Status int
	Data   json.RawMessage
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	}
	body string
}

func (r *fuzzResponse) codes() []string {
	var out []string
	for _, e := range r.Errors {
		c, _ := e.Extensions["code"].(string)
		out = append(out, c)
	}
	return out
}

// only reports whether the response has exactly one error, of code and
// naming field.
func (r *fuzzResponse) only(code, field string) bool {
	return len(r.Errors) == 1 && r.Errors[0].Extensions["code"] == code && r.Errors[0].Extensions["field"] == field
}

// do sends a raw request body to /graphql, as the editor or anonymously,
// and checks what holds for every request, well-formed or not: an allowed
// status, never a server error, a JSON body with data or errors, errors on
// every refusal, no INTERNAL error and nothing logged at level ERROR.
func (s *fuzzServer) do(t *testing.T, body []byte, anonymous bool) *fuzzResponse {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if !anonymous {
		req.Header.Set("Authorization", "Bearer "+s.key)
	}
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	resp := &fuzzResponse{Status: rec.Code, body: rec.Body.String()}
	switch rec.Code {
	case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
	default:
		t.Fatalf("status %d for request %s\nresponse %s", rec.Code, body, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/") || !strings.Contains(ct, "json") {
		t.Fatalf("Content-Type %q for request %s", ct, body)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &fields); err != nil {
		t.Fatalf("response is not a JSON object (%v): %s\nrequest %s", err, rec.Body, body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), resp); err != nil {
		t.Fatalf("response is not a GraphQL response (%v): %s\nrequest %s", err, rec.Body, body)
	}
	if len(resp.Errors) == 0 {
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d without errors: %s\nrequest %s", rec.Code, rec.Body, body)
		}
		if len(resp.Data) == 0 || string(resp.Data) == "null" {
			t.Fatalf("neither data nor errors: %s\nrequest %s", rec.Body, body)
		}
	}
	for _, e := range resp.Errors {
		if e.Message == "" {
			t.Fatalf("error without a message: %s\nrequest %s", rec.Body, body)
		}
		if e.Extensions["code"] == string(landscape.EInternal) {
			t.Fatalf("INTERNAL error for request %s\nresponse %s\nlog %s", body, rec.Body, s.errLog.take())
		}
	}
	if logged := s.errLog.take(); logged != "" {
		t.Fatalf("logged at level ERROR for request %s:\n%s\nresponse %s", body, logged, rec.Body)
	}
	return resp
}

// request sends a query with variables (marshalled) as the editor.
func (s *fuzzServer) request(t *testing.T, query string, vars map[string]any) *fuzzResponse {
	t.Helper()
	b, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	return s.do(t, b, false)
}

// FuzzGraphQL sends arbitrary query documents with arbitrary variables (raw
// JSON, possibly malformed) through the real HTTP handler, as an editor (who
// may write) or anonymously. Whatever comes in, the answer is a GraphQL response with an allowed status (200, 400,
// 413, 422), never a server error, and no INTERNAL error: bad input is the
// client's problem and must be told so clearly.
func FuzzGraphQL(f *testing.F) {
	f.Add(`query { nodes(first: 3) { totalCount edges { node { id name } } } }`, ``, false)
	srv := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, query, variables string, anonymous bool) {
		var body bytes.Buffer
		q, err := json.Marshal(query)
		if err != nil {
			t.Fatal(err)
		}
		body.WriteString(`{"query":`)
		body.Write(q)
		if variables != "" {
			body.WriteString(`,"variables":`)
			body.WriteString(variables)
		}
		body.WriteString(`}`)
		srv.do(t, body.Bytes(), anonymous)
	})
}

// FuzzIDs sends an arbitrary string wherever the API takes an id (node,
// nodesByIds, relationship, cursors, createNode/deleteNode and the export
// endpoint's around). A well-formed id (landscape.ValidID) is looked up —
// found or not, never an error — and a node created with it (writes trim
// it first) can be read back under exactly that id and deleted; any other
// string is refused with INVALID naming the argument, and nothing is
// written.
func FuzzIDs(f *testing.F) {
	f.Add("lk-osnabrueck")
	srv := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, raw string) {
		// What the server sees: JSON carries text, invalid UTF-8 becomes U+FFFD.
		var id string
		b, _ := json.Marshal(raw)
		if err := json.Unmarshal(b, &id); err != nil {
			t.Fatal(err)
		}
		valid := landscape.ValidID(id)
		vars := map[string]any{"id": id}

		var node struct{ Node *struct{ ID string } }
		r := srv.request(t, `query($id: ID!) { node(id: $id) { id } }`, vars)
		decodeData(t, r, &node)
		switch {
		case valid && len(r.Errors) > 0:
			t.Fatalf("node(id: %q): errors %s", id, r.body)
		case valid && node.Node != nil && node.Node.ID != id:
			t.Fatalf("node(id: %q) returned node %q", id, node.Node.ID)
		case !valid && (!r.only("INVALID", "id") || node.Node != nil):
			t.Fatalf("node(id: %q): want one INVALID error on id and no node, got %s", id, r.body)
		}
		exists := node.Node != nil

		var byIDs struct{ NodesByIds []*struct{ ID string } }
		r = srv.request(t, `query($ids: [ID!]!) { nodesByIds(ids: $ids) { id } }`, map[string]any{"ids": []string{id, srv.known}})
		decodeData(t, r, &byIDs)
		if valid {
			if len(r.Errors) > 0 || len(byIDs.NodesByIds) != 2 || byIDs.NodesByIds[1] == nil || byIDs.NodesByIds[1].ID != srv.known ||
				(byIDs.NodesByIds[0] != nil) != exists || exists && byIDs.NodesByIds[0].ID != id {
				t.Fatalf("nodesByIds([%q, %q]) = %s; node(id) found it: %v", id, srv.known, r.body, exists)
			}
		} else if !r.only("INVALID", "ids[0]") {
			t.Fatalf("nodesByIds([%q, ...]): want one INVALID error on ids[0], got %s", id, r.body)
		}

		r = srv.request(t, `query($id: ID!) { relationship(id: $id) { id } }`, vars)
		if valid && len(r.Errors) > 0 || !valid && !r.only("INVALID", "id") {
			t.Fatalf("relationship(id: %q) = %s", id, r.body)
		}

		// A cursor is an opaque string: accepted or refused as INVALID on after.
		r = srv.request(t, `query($id: String) { nodes(first: 2, after: $id) { totalCount } }`, vars)
		if len(r.Errors) > 0 && !r.only("INVALID", "after") {
			t.Fatalf("nodes(after: %q) = %s", id, r.body)
		}

		srv.checkWrite(t, id)
		srv.checkExport(t, id, valid)
	})
}

// checkWrite creates a node with the id, reads it back and deletes it.
// Writes trim the id (landscape.Node.Normalize: a padded id is the same
// fact), reads do not.
func (s *fuzzServer) checkWrite(t *testing.T, id string) {
	t.Helper()
	wid := strings.TrimSpace(id)
	valid := landscape.ValidID(wid)
	exists := false
	var node struct{ Node *struct{ ID, Name string } }
	if valid {
		r := s.request(t, `query($id: ID!) { node(id: $id) { id name } }`, map[string]any{"id": wid})
		decodeData(t, r, &node)
		if len(r.Errors) > 0 {
			t.Fatalf("node(id: %q) = %s", wid, r.body)
		}
		exists = node.Node != nil
	}
	var created struct{ CreateNode *struct{ ID, Name string } }
	r := s.request(t, `mutation($id: ID!) { createNode(input: {id: $id, kind: TOPIC, name: "Fuzz", source: "Test: fuzzing"}) { id name } }`,
		map[string]any{"id": id})
	decodeData(t, r, &created)
	switch {
	case !valid:
		if !r.only("INVALID", "input.id") {
			t.Fatalf("createNode(id: %q): want one INVALID error on input.id, got %s", id, r.body)
		}
		r = s.request(t, `mutation($id: ID!) { deleteNode(id: $id) }`, map[string]any{"id": id})
		if c := r.codes(); len(c) != 1 || c[0] != "INVALID" && c[0] != "NOT_FOUND" {
			t.Fatalf("deleteNode(id: %q): want one INVALID or NOT_FOUND error, got %s", id, r.body)
		}
		return
	case exists:
		if !r.only("CONFLICT", "input.id") {
			t.Fatalf("createNode(id: %q) of an existing node: want one CONFLICT error on input.id, got %s", id, r.body)
		}
		return
	case len(r.Errors) > 0 || created.CreateNode == nil || created.CreateNode.ID != wid:
		t.Fatalf("createNode(id: %q) = %s, want node %q", id, r.body, wid)
	}
	r = s.request(t, `query($id: ID!) { node(id: $id) { id name } }`, map[string]any{"id": wid})
	decodeData(t, r, &node)
	if len(r.Errors) > 0 || node.Node == nil || node.Node.ID != wid || node.Node.Name != "Fuzz" {
		t.Fatalf("node(id: %q) after createNode = %s", wid, r.body)
	}
	var deleted struct{ DeleteNode string }
	r = s.request(t, `mutation($id: ID!) { deleteNode(id: $id) }`, map[string]any{"id": wid})
	decodeData(t, r, &deleted)
	if len(r.Errors) > 0 || deleted.DeleteNode != wid {
		t.Fatalf("deleteNode(id: %q) = %s", wid, r.body)
	}
	r = s.request(t, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": wid})
	if len(r.Errors) > 0 || string(r.Data) != `{"node":null}` {
		t.Fatalf("node(id: %q) after deleteNode = %s", wid, r.body)
	}
}

// checkExport asks the export endpoint for the neighbourhood of the id.
func (s *fuzzServer) checkExport(t *testing.T, id string, valid bool) {
	t.Helper()
	if id == "" {
		return // no around: the whole landscape
	}
	req := httptest.NewRequest(http.MethodGet, "/export/landscape.json?around="+url.QueryEscape(id), nil)
	req.Header.Set("Authorization", "Bearer "+s.key)
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	if logged := s.errLog.take(); logged != "" {
		t.Fatalf("export around %q logged at level ERROR:\n%s", id, logged)
	}
	var problem struct{ Code, Field, Message string }
	switch {
	case valid && rec.Code == http.StatusOK:
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("export around %q: 200 with invalid JSON", id)
		}
		return
	case valid && rec.Code == http.StatusNotFound, !valid && rec.Code == http.StatusBadRequest:
		if err := json.Unmarshal(rec.Body.Bytes(), &problem); err != nil || problem.Message == "" {
			t.Fatalf("export around %q: status %d with body %s", id, rec.Code, rec.Body)
		}
		if !valid && (problem.Code != "INVALID" || problem.Field != "around") {
			t.Fatalf("export around %q: want INVALID on around, got %s", id, rec.Body)
		}
	default:
		t.Fatalf("export around %q (valid id: %v): status %d, body %s", id, valid, rec.Code, rec.Body)
	}
}

func decodeData(t *testing.T, r *fuzzResponse, out any) {
	t.Helper()
	if len(r.Data) == 0 || string(r.Data) == "null" {
		return
	}
	if err := json.Unmarshal(r.Data, out); err != nil {
		t.Fatalf("data %s: %v", r.Data, err)
	}
}
