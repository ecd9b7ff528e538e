package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
	"github.com/bildungsgraph/bildungsgraph/internal/server"
)

// testKeys makes a reader's and an editor's key and the Keys that accept
// them, through the keys-file format.
func testKeys(t *testing.T) (*server.Keys, map[landscape.Role]string) {
	t.Helper()
	keys := map[landscape.Role]string{}
	var file strings.Builder
	file.WriteString("# test keys\n\n")
	for role, name := range map[landscape.Role]string{landscape.RoleReader: "Testleser", landscape.RoleEditor: "Testredaktion"} {
		key, line, err := server.NewKey(name, role)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(key, server.KeyPrefix) || strings.Contains(line, key) {
			t.Fatalf("NewKey = %q, line %q: want a prefixed key and a line without it", key, line)
		}
		keys[role] = key
		file.WriteString(line + "\n")
	}
	k, err := server.ParseKeys(strings.NewReader(file.String()), "keys.txt")
	if err != nil {
		t.Fatalf("ParseKeys of NewKey's lines: %v", err)
	}
	if k.Len() != 2 {
		t.Fatalf("ParseKeys read %d keys, want 2", k.Len())
	}
	return k, keys
}

const createTopic = `mutation { createNode(input: {id: "af-sprache", kind: TOPIC, name: "Sprachbildung", source: "Test"}) { id } }`

func TestAnonymousAndReaderCannotWrite(t *testing.T) {
	h := newHarness(t)
	_, keys := testKeys(t) // keys the harness does not know
	for _, tc := range []struct {
		name, key, code string
	}{
		{"anonymous", "", "UNAUTHORIZED"},
		{"reader", "", "FORBIDDEN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.key = tc.key
			if tc.name == "reader" {
				h.key = h.readerKey(t)
			}
			errs := h.post(t, createTopic, nil)
			if len(errs) != 1 || errs[0].Extensions.Code != tc.code || !strings.Contains(errs[0].Message, "EDITOR") {
				t.Fatalf("errors %+v, want one %s naming the role EDITOR", errs, tc.code)
			}
			got, err := h.store.Nodes(t.Context(), []string{"af-sprache"}, nil)
			if err != nil || len(got) != 0 {
				t.Fatalf("the refused write wrote %v (%v)", got, err)
			}
			if p, _ := h.store.Audit(t.Context(), landscape.AuditQuery{}); len(p.Entries) != 0 {
				t.Errorf("the refused write left %d audit entries", len(p.Entries))
			}
		})
	}
	t.Run("unknown key", func(t *testing.T) {
		for _, auth := range []string{"Bearer " + keys[landscape.RoleEditor], "Bearer bg_falsch", "Basic dXNlcjpwYXNz", "Bearer"} {
			req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ viewer { name } }"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", auth)
			rec := httptest.NewRecorder()
			h.handler.ServeHTTP(rec, req)
			var body struct{ Errors []gqlError }
			json.Unmarshal(rec.Body.Bytes(), &body)
			if rec.Code != http.StatusUnauthorized || !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") ||
				len(body.Errors) != 1 || body.Errors[0].Extensions.Code != "UNAUTHORIZED" {
				t.Errorf("Authorization %.20q: %d %s %s, want 401 with a Bearer challenge and an UNAUTHORIZED error",
					auth, rec.Code, rec.Header().Get("WWW-Authenticate"), rec.Body)
			}
		}
	})
}

// readerKey returns a reader's key the harness accepts: it rebuilds the
// handler with fresh keys, keeping the store.
func (h *harness) readerKey(t *testing.T) string {
	t.Helper()
	keys, key := testKeys(t)
	h.handler = server.New(server.Config{Store: h.store, Introspection: true, Keys: keys})
	return key[landscape.RoleReader]
}

func TestEditorWriteIsAudited(t *testing.T) {
	h := newHarness(t)
	h.mustPost(t, createTopic, nil)
	h.mustPost(t, `mutation { applyChanges(input: {note: "Abgleich Bildungsbericht",
		upsertNodes: [{id: "af-sprache", kind: TOPIC, name: "Sprachbildung und Mehrsprachigkeit", source: "Test"}]}) { unchanged } }`, nil)
	var out struct {
		AuditLog struct {
			Entries []struct {
				Author, Note               string
				NodesCreated, NodesUpdated int
				Changes                    []struct {
					Op, ID, Kind string
					Relationship bool
					Fields       []string
				}
			}
			HasNextPage bool
			EndCursor   *string
		}
		Viewer struct {
			Name         *string
			Role         *string
			CanWrite     bool
			SeesContacts bool
		}
	}
	h.mustPost(t, `{ viewer { name role canWrite seesContacts }
		auditLog(target: "af-sprache") { entries { author note nodesCreated nodesUpdated changes { op id kind relationship fields } } hasNextPage endCursor } }`, &out)
	v := out.Viewer
	if v.Name == nil || *v.Name != "Testredaktion" || v.Role == nil || *v.Role != "EDITOR" || !v.CanWrite || !v.SeesContacts {
		t.Errorf("viewer = %+v, want Testredaktion, EDITOR, may write and see contacts", v)
	}
	e := out.AuditLog.Entries
	if len(e) != 2 || out.AuditLog.HasNextPage || out.AuditLog.EndCursor == nil {
		t.Fatalf("audit log = %+v, want two entries on one page", out.AuditLog)
	}
	if e[0].Author != "Testredaktion" || e[0].Note != "Abgleich Bildungsbericht" || e[0].NodesUpdated != 1 ||
		len(e[0].Changes) != 1 || e[0].Changes[0].Op != "UPDATED" || strings.Join(e[0].Changes[0].Fields, ",") != "name" {
		t.Errorf("newest entry = %+v, want the update of name by Testredaktion with the note", e[0])
	}
	if e[1].Author != "Testredaktion" || e[1].NodesCreated != 1 || e[1].Changes[0].Op != "CREATED" || e[1].Changes[0].Kind != "Topic" {
		t.Errorf("older entry = %+v, want the creation by Testredaktion", e[1])
	}

	// The audit log is for editors only.
	h.key = h.readerKey(t)
	errs := h.post(t, `{ auditLog { entries { id } } }`, nil)
	if len(errs) != 1 || errs[0].Extensions.Code != "FORBIDDEN" {
		t.Errorf("reader reading the audit log: %+v, want FORBIDDEN", errs)
	}
	h.key = ""
	errs = h.post(t, `{ auditLog { entries { id } } }`, nil)
	if len(errs) != 1 || errs[0].Extensions.Code != "UNAUTHORIZED" {
		t.Errorf("anonymous reading the audit log: %+v, want UNAUTHORIZED", errs)
	}
}

func TestContactDataOnlyForAuthenticatedReaders(t *testing.T) {
	h := newHarness(t)
	n := node("lk-os.bildungskoordination", landscape.Actor, "Bildungskoordination", "COORDINATION")
	n.ContactEmail, n.ContactPhone = "bildungskoordination@example.org", "+49 541 0000-0"
	h.apply(t, &landscape.Changeset{Nodes: []landscape.NodeChange{{Op: landscape.OpCreate, Node: n}}})
	const q = `{ node(id: "lk-os.bildungskoordination") { name ... on Actor { contact { email phone } } } }`
	type answer struct {
		Node struct {
			Name    string
			Contact *struct{ Email, Phone string }
		}
	}
	export := func() string {
		req := httptest.NewRequest(http.MethodGet, "/export/landscape.json", nil)
		if h.key != "" {
			req.Header.Set("Authorization", "Bearer "+h.key)
		}
		rec := httptest.NewRecorder()
		h.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("export: %d %s", rec.Code, rec.Body)
		}
		return rec.Body.String()
	}

	h.key = h.readerKey(t)
	var got answer
	h.mustPost(t, q, &got)
	if c := got.Node.Contact; c == nil || c.Email != n.ContactEmail || c.Phone != n.ContactPhone {
		t.Errorf("reader sees contact %+v, want %s, %s", c, n.ContactEmail, n.ContactPhone)
	}
	if !strings.Contains(export(), n.ContactEmail) {
		t.Errorf("the reader's export lacks the contact data")
	}

	h.key = ""
	got = answer{}
	errs := h.post(t, q, &got)
	if len(errs) != 1 || errs[0].Extensions.Code != "UNAUTHORIZED" || !strings.Contains(errs[0].Message, "Actor.contact") {
		t.Errorf("anonymous contact: errors %+v, want one UNAUTHORIZED naming Actor.contact", errs)
	}
	if got.Node.Name != "Bildungskoordination" || got.Node.Contact != nil {
		t.Errorf("anonymous answer = %+v, want the name and no contact", got.Node)
	}
	if body := export(); strings.Contains(body, n.ContactEmail) || strings.Contains(body, n.ContactPhone) || !strings.Contains(body, n.ID) {
		t.Errorf("the anonymous export carries contact data or lacks the node: %.300s", body)
	}
}

func TestReadAccessToken(t *testing.T) {
	h := newHarness(t)
	keys, key := testKeys(t)
	h.handler = server.New(server.Config{Store: h.store, Keys: keys, ReadAccess: server.ReadToken})
	for _, tc := range []struct {
		path, key string
		status    int
	}{
		{"/graphql?query=%7Bviewer%7Bname%7D%7D", "", http.StatusUnauthorized},
		{"/export/landscape.json", "", http.StatusUnauthorized},
		{"/graphql?query=%7Bviewer%7Bname%7D%7D", key[landscape.RoleReader], http.StatusOK},
		{"/export/landscape.json", key[landscape.RoleReader], http.StatusOK},
		{"/healthz", "", http.StatusOK},
		{"/readyz", "", http.StatusOK},
	} {
		req := httptest.NewRequest(http.MethodGet, tc.path, nil)
		if tc.key != "" {
			req.Header.Set("Authorization", "Bearer "+tc.key)
		}
		rec := httptest.NewRecorder()
		h.handler.ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Errorf("GET %s (key %v) = %d %.200s, want %d", tc.path, tc.key != "", rec.Code, rec.Body, tc.status)
		}
	}
}

func TestParseKeysNamesTheLine(t *testing.T) {
	good := "sha256:" + strings.Repeat("ab", 32)
	other := "sha256:" + strings.Repeat("cd", 32)
	for _, tc := range []struct{ file, want string }{
		{"# Kommentar\n" + good + " editor Bildungsbüro Nord\nsha256:xyz reader Leser\n", "keys.txt:3:"},
		{good + " admin Bildungsbüro Nord\n", "keys.txt:1: unknown role"},
		{good + " reader\n", "keys.txt:1:"},
		{good + " reader A\n" + good + " editor B\n", "keys.txt:2: the key hash is listed twice"},
		{good + " reader A\n" + other + " editor A\n", "keys.txt:2: the name \"A\" is used by line 1"},
	} {
		_, err := server.ParseKeys(strings.NewReader(tc.file), "keys.txt")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseKeys(%q) = %v, want an error with %q", tc.file, err, tc.want)
		}
	}
	k, err := server.ParseKeys(strings.NewReader(good+" EDITOR Bildungsbüro Nord, Fachdienst 40\n"), "keys.txt")
	if err != nil || k.Len() != 1 {
		t.Errorf("a valid line: %v, %d keys", err, k.Len())
	}
}
