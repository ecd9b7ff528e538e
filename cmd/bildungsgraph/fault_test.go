package main

// Fault tests of the whole server process: `bildungsgraph serve` is built,
// started as a child process and hit with a stream of GraphQL writes while
// it is killed (embedded store) or while its Neo4j is stopped and started
// again. An acknowledged write is one answered with HTTP 200, data and no
// errors; it must survive. Writes that got no answer may or may not be there.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
	"github.com/bildungsgraph/bildungsgraph/internal/neo4jtest"
	"github.com/bildungsgraph/bildungsgraph/internal/server"
)

// buildServer builds the command into a temporary directory, with the race
// detector when the test runs with it (go test -race has then compiled the
// packages that way already, and races in the server show in its log).
func buildServer(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build the server: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "bildungsgraph")
	args := []string{"build", "-o", bin}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "-race" && s.Value == "true" {
				args = append(args, "-race")
			}
		}
	}
	cmd := exec.Command(goTool, append(args, ".")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// editorKey writes a keys file with one editor key and returns the file
// and the key.
func editorKey(t *testing.T) (file, key string) {
	t.Helper()
	key, line, err := server.NewKey("Fehlertest", landscape.RoleEditor)
	if err != nil {
		t.Fatal(err)
	}
	file = filepath.Join(t.TempDir(), "api-keys")
	if err := os.WriteFile(file, []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return file, key
}

// serverProc is a running `bildungsgraph serve`.
type serverProc struct {
	t    *testing.T
	cmd  *exec.Cmd
	key  string // API key sent with every GraphQL request
	base string // http://127.0.0.1:port
	log  *lineLog
	done chan struct{} // closed when the process has exited
	err  error         // its exit status, once done
}

// lineLog keeps the server's log (stderr) for failure messages.
type lineLog struct {
	mu    sync.Mutex
	lines []string
	race  bool // the race detector reported a data race
}

func (l *lineLog) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, s)
	if strings.Contains(s, "WARNING: DATA RACE") {
		l.race = true
	}
}

func (l *lineLog) raced() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.race
}

// String returns the log without the access log (one line per request),
// but with its last lines.
func (l *lineLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var lines []string
	for i, line := range l.lines {
		if i >= len(l.lines)-5 || !strings.Contains(line, `"msg":"request"`) {
			lines = append(lines, line)
		}
	}
	if len(lines) > 80 {
		lines = append([]string{"…"}, lines[len(lines)-80:]...)
	}
	return strings.Join(lines, "\n")
}

// childEnv is the environment without the settings of the server (the
// test command exports NEO4J_URI for the other tests).
func childEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "BILDUNGSGRAPH_") || strings.HasPrefix(kv, "NEO4J_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

var servingAddr = regexp.MustCompile(`http://(127\.0\.0\.1:[0-9]+)/graphql`)

// startServer starts `bildungsgraph serve` on a free loopback port, with
// the editor key of keyFile, and waits until /readyz answers 200.
func startServer(t *testing.T, bin, keyFile, key string, args ...string) *serverProc {
	t.Helper()
	args = append([]string{"serve", "--addr", "127.0.0.1:0", "--log-format", "json", "--api-keys-file", keyFile}, args...)
	cmd := exec.Command(bin, args...)
	cmd.Env = childEnv()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serverProc{t: t, cmd: cmd, key: key, log: &lineLog{}, done: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		found := false
		for sc.Scan() {
			line := sc.Text()
			p.log.add(line)
			if m := servingAddr.FindStringSubmatch(line); m != nil && !found {
				found = true
				addr <- m[1]
			}
		}
		io.Copy(io.Discard, stderr)
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.kill()
		if p.log.raced() {
			t.Errorf("the race detector reported a data race in the server:\n%s", strings.Join(p.log.lines, "\n"))
		}
	})
	select {
	case a := <-addr:
		p.base = "http://" + a
	case <-p.done:
		t.Fatalf("serve %v exited before serving: %v\n%s", args, p.err, p.log)
	case <-time.After(3 * time.Minute):
		t.Fatalf("serve %v did not say where it serves within 3 minutes\n%s", args, p.log)
	}
	p.waitReady(3 * time.Minute)
	return p
}

// readyz returns the status of /readyz (0: no answer).
func (p *serverProc) readyz() int {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, p.base+"/readyz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// waitReady waits until /readyz answers 200; the deadline only guards
// against a hang.
func (p *serverProc) waitReady(within time.Duration) {
	p.t.Helper()
	p.waitStatus(http.StatusOK, within)
}

func (p *serverProc) waitStatus(want int, within time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(within)
	for {
		code := p.readyz()
		if code == want {
			return
		}
		select {
		case <-p.done:
			p.t.Fatalf("the server exited (%v) while waiting for /readyz %d\n%s", p.err, want, p.log)
		default:
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("/readyz = %d, still not %d after %s\n%s", code, want, within, p.log)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// kill sends SIGKILL and waits for the process to end.
func (p *serverProc) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// running reports whether the process is still there.
func (p *serverProc) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// gqlResult is the outcome of one GraphQL request.
type gqlResult struct {
	status int             // 0: no HTTP answer
	err    error           // transport or decoding error
	data   json.RawMessage // "data"
	errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	}
}

func (r *gqlResult) ok() bool {
	return r.err == nil && r.status == http.StatusOK && len(r.errors) == 0 && len(r.data) > 0 && string(r.data) != "null"
}

// code is the first error's extensions.code.
func (r *gqlResult) code() string {
	if len(r.errors) == 0 {
		return ""
	}
	c, _ := r.errors[0].Extensions["code"].(string)
	return c
}

func (r *gqlResult) String() string {
	if r.err != nil {
		return fmt.Sprintf("status %d, %v", r.status, r.err)
	}
	b, _ := json.Marshal(r.errors)
	return fmt.Sprintf("status %d, data %s, errors %s", r.status, r.data, b)
}

// client: the timeout only guards against hangs; the server answers on
// its own well before it.
var client = &http.Client{Timeout: 3 * time.Minute}

func (p *serverProc) graphql(query string, vars map[string]any) *gqlResult {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, p.base+"/graphql", bytes.NewReader(body))
	if err != nil {
		return &gqlResult{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+p.key)
	resp, err := client.Do(req)
	if err != nil {
		return &gqlResult{err: err}
	}
	defer resp.Body.Close()
	r := &gqlResult{status: resp.StatusCode}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		r.err = err
		return r
	}
	var out struct {
		Data   json.RawMessage
		Errors json.RawMessage
	}
	if err := json.Unmarshal(b, &out); err != nil {
		r.err = fmt.Errorf("response %q: %w", b, err)
		return r
	}
	r.data = out.Data
	if len(out.Errors) > 0 {
		if err := json.Unmarshal(out.Errors, &r.errors); err != nil {
			r.err = fmt.Errorf("errors %s: %w", out.Errors, err)
		}
	}
	return r
}

// acks records the acknowledged writes and the failures.
type acks struct {
	mu       sync.Mutex
	nodes    []string
	edges    []string
	failures map[string]int // by extensions.code; "transport" for no answer
	slowest  time.Duration  // of a failed request
	examples []string
}

func newAcks() *acks { return &acks{failures: map[string]int{}} }

func (a *acks) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.nodes)
}

func (a *acks) failed(r *gqlResult, took time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	code := r.code()
	if r.err != nil || r.status != http.StatusOK {
		code = "transport"
		if r.status != 0 {
			code = fmt.Sprintf("HTTP %d", r.status)
		}
	}
	a.failures[code]++
	a.slowest = max(a.slowest, took)
	if len(a.examples) < 5 {
		a.examples = append(a.examples, r.String())
	}
}

// failuresText describes the failures so far.
func (a *acks) failuresText() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return fmt.Sprintf("failures %v, e.g. %v", a.failures, a.examples)
}

func (a *acks) failureCount() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, c := range a.failures {
		n += c
	}
	return n
}

const (
	createOffer = `mutation($id: ID!, $name: String!) { createNode(input: {id: $id, kind: OFFER, name: $name, category: "COURSE",
		source: "Test: Ausfall des Servers"}) { id } }`
	applyBatch = `mutation($in: ChangesInput!) { applyChanges(input: $in) { nodes { id } relationships { id } } }`
)

// writer writes until stop is closed: mostly single nodes, every fifth
// request a batch of two nodes and the relationship between them, and
// records what was acknowledged. It pauses a little after a failure.
func writer(srv *serverProc, prefix string, a *acks, stop <-chan struct{}) {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		start := time.Now()
		if i%5 == 4 {
			inst, offer := fmt.Sprintf("%s-%d-traeger", prefix, i), fmt.Sprintf("%s-%d-angebot", prefix, i)
			edge := inst + ">PROVIDES>" + offer
			r := srv.graphql(applyBatch, map[string]any{"in": map[string]any{
				"upsertNodes": []map[string]any{
					{"id": inst, "kind": "INSTITUTION", "name": "Träger " + inst, "source": "Test: Ausfall des Servers"},
					{"id": offer, "kind": "OFFER", "name": "Angebot " + offer, "source": "Test: Ausfall des Servers"},
				},
				"upsertRelationships": []map[string]any{{"kind": "PROVIDES", "from": inst, "to": offer, "source": "Test: Ausfall des Servers"}},
			}})
			var out struct {
				ApplyChanges struct {
					Nodes         []struct{ ID string }
					Relationships []struct{ ID string }
				}
			}
			if r.ok() && json.Unmarshal(r.data, &out) == nil && len(out.ApplyChanges.Nodes) == 2 &&
				len(out.ApplyChanges.Relationships) == 1 && out.ApplyChanges.Relationships[0].ID == edge {
				a.mu.Lock()
				a.nodes = append(a.nodes, inst, offer)
				a.edges = append(a.edges, edge)
				a.mu.Unlock()
				continue
			}
			a.failed(r, time.Since(start))
		} else {
			id := fmt.Sprintf("%s-%d", prefix, i)
			r := srv.graphql(createOffer, map[string]any{"id": id, "name": "Sprachkurs " + id})
			var out struct{ CreateNode struct{ ID string } }
			if r.ok() && json.Unmarshal(r.data, &out) == nil && out.CreateNode.ID == id {
				a.mu.Lock()
				a.nodes = append(a.nodes, id)
				a.mu.Unlock()
				continue
			}
			a.failed(r, time.Since(start))
		}
		select {
		case <-stop:
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// checkPresent reads every acknowledged node and relationship back through
// GraphQL and reports the missing ones.
func checkPresent(t *testing.T, srv *serverProc, nodes, edges []string) {
	t.Helper()
	var missing []string
	for chunk := range slices.Chunk(nodes, 200) {
		r := srv.graphql(`query($ids: [ID!]!) { nodesByIds(ids: $ids) { id } }`, map[string]any{"ids": chunk})
		var out struct{ NodesByIds []*struct{ ID string } }
		if !r.ok() || json.Unmarshal(r.data, &out) != nil || len(out.NodesByIds) != len(chunk) {
			t.Fatalf("nodesByIds: %s", r)
		}
		for i, n := range out.NodesByIds {
			if n == nil || n.ID != chunk[i] {
				missing = append(missing, chunk[i])
			}
		}
	}
	for chunk := range slices.Chunk(edges, 50) {
		var q strings.Builder
		q.WriteString("query {")
		for i, id := range chunk {
			b, _ := json.Marshal(id)
			fmt.Fprintf(&q, " e%d: relationship(id: %s) { id }", i, b)
		}
		q.WriteString(" }")
		r := srv.graphql(q.String(), nil)
		var out map[string]*struct{ ID string }
		if !r.ok() || json.Unmarshal(r.data, &out) != nil {
			t.Fatalf("relationships: %s", r)
		}
		for i, id := range chunk {
			if e := out[fmt.Sprintf("e%d", i)]; e == nil || e.ID != id {
				missing = append(missing, id)
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d of %d acknowledged writes are missing: %v", len(missing), len(nodes)+len(edges), missing)
	}
}

// TestKillServerDuringWrites kills the server (embedded store) with SIGKILL
// in the middle of a stream of concurrent writes, three times, and starts
// it again on the same file each time: the store opens, every acknowledged
// write is there, and the server takes writes again.
func TestKillServerDuringWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the server")
	}
	bin := buildServer(t)
	keyFile, key := editorKey(t)
	dataFile := filepath.Join(t.TempDir(), "landscape.db")
	args := []string{"--store", "embedded", "--data", dataFile}
	const kills, writers = 3, 4
	var nodes, edges []string
	for round := range kills {
		srv := startServer(t, bin, keyFile, key, args...)
		if round > 0 {
			checkPresent(t, srv, nodes, edges) // after the previous kill
		}
		a := newAcks()
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() { writer(srv, fmt.Sprintf("r%d-w%d", round, w), a, stop) })
		}
		// Kill at an arbitrary moment after some acknowledged writes,
		// most likely in the middle of requests and commits.
		target := 150 + rand.IntN(100)
		deadline := time.Now().Add(3 * time.Minute)
		for a.count() < target {
			if time.Now().After(deadline) || !srv.running() || a.failureCount() > 0 {
				close(stop)
				wg.Wait()
				t.Fatalf("round %d: %d writes acknowledged, want %d (%s)\n%s", round, a.count(), target, a.failuresText(), srv.log)
			}
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(time.Duration(rand.IntN(50)) * time.Millisecond)
		srv.cmd.Process.Signal(syscall.SIGKILL)
		<-srv.done
		close(stop)
		wg.Wait()
		var exit *exec.ExitError
		if !errors.As(srv.err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: the server ended with %v, not by the SIGKILL", round, srv.err)
		}
		a.mu.Lock()
		nodes, edges = append(nodes, a.nodes...), append(edges, a.edges...)
		for code := range a.failures {
			// Before the kill every write succeeds; after it, requests get no answer.
			if code != "transport" {
				t.Errorf("round %d: writes failed with %s: %v", round, code, a.examples)
			}
		}
		t.Logf("round %d: killed after %d acknowledged writes (%d nodes, %d relationships); %d requests without answer",
			round, len(a.nodes)+len(a.edges), len(a.nodes), len(a.edges), a.failures["transport"])
		a.mu.Unlock()
	}

	srv := startServer(t, bin, keyFile, key, args...)
	checkPresent(t, srv, nodes, edges)
	// The store takes writes again, and a graceful stop ends cleanly.
	r := srv.graphql(createOffer, map[string]any{"id": "nach-dem-neustart", "name": "Sprachkurs nach dem Neustart"})
	if !r.ok() {
		t.Errorf("write after the restart: %s", r)
	}
	srv.cmd.Process.Signal(syscall.SIGTERM)
	<-srv.done
	if srv.err != nil {
		t.Errorf("after SIGTERM the server exited with %v\n%s", srv.err, srv.log)
	}
}

// neo4jFaultPort is the port of the Neo4j TestNeo4jRestartUnderServerLoad
// starts and stops itself (7687 is the test command's, 7688 the
// benchmarks', 7697 the store's fault test).
const neo4jFaultPort = "7698"

// localNeo4j runs scripts/neo4j-local.sh with args, on our own data dir
// (.cache/neo4j-test-7698), whatever the caller set.
func localNeo4j(t *testing.T, env []string, args ...string) {
	t.Helper()
	neo4jtest.Local(t, append([]string{"NEO4J_DATA_DIR=", "NEO4J_KEEP_DATA=0"}, env...), args...)
}

// TestNeo4jRestartUnderServerLoad stops the server's Neo4j (SIGTERM) while
// writes stream in through GraphQL and starts it again on the same data:
// while it is down requests fail with UNAVAILABLE or TIMEOUT (no hang, no
// dropped connection, no other code) and /readyz answers 503; after the
// restart the same server process becomes ready again by itself, takes
// writes again, and no acknowledged write is lost.
func TestNeo4jRestartUnderServerLoad(t *testing.T) {
	if os.Getenv("NEO4J_URI") == "" && os.Getenv("BILDUNGSGRAPH_REQUIRE_NEO4J") != "1" {
		t.Skip("needs a Java and Maven to start a local Neo4j; runs in scripts/test.sh")
	}
	if testing.Short() {
		t.Skip("starts and stops a Neo4j of its own")
	}
	bin := buildServer(t)
	keyFile, key := editorKey(t)
	localNeo4j(t, nil, "start", neo4jFaultPort)
	t.Cleanup(func() { localNeo4j(t, nil, "stop", neo4jFaultPort) })
	srv := startServer(t, bin, keyFile, key, "--store", "neo4j", "--neo4j-uri", "bolt://127.0.0.1:"+neo4jFaultPort, "--sample=false")

	a := newAcks()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() { writer(srv, fmt.Sprintf("w%d", w), a, stop) })
	}
	stopped := false
	defer func() {
		if !stopped {
			close(stop)
			wg.Wait()
		}
	}()
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(4 * time.Minute) // only against a hang
		for !cond() {
			if !srv.running() {
				t.Fatalf("the server exited (%v) while waiting for %s\n%s", srv.err, what, srv.log)
			}
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s (%d acknowledged, %s)\n%s", what, a.count(), a.failuresText(), srv.log)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitFor("the first writes", func() bool { return a.count() >= 30 })
	if n := a.failureCount(); n > 0 {
		t.Fatalf("writes failed before Neo4j was stopped: %s", a.failuresText())
	}

	localNeo4j(t, nil, "stop", neo4jFaultPort)
	down := time.Now()
	before := a.count()
	// Down: /readyz says so, and requests get a clear error.
	srv.waitStatus(http.StatusServiceUnavailable, 2*time.Minute)
	t.Logf("Neo4j stopped after %d acknowledged writes; /readyz 503 after %s", before, time.Since(down).Round(time.Millisecond))
	start := time.Now()
	r := srv.graphql(`query { nodes(first: 1) { totalCount } }`, nil)
	// serve retries for --neo4j-retry-time (5 s), well within the request
	// timeout: the answer is UNAVAILABLE, not a timeout.
	if r.err != nil || r.status != http.StatusOK || r.code() != "UNAVAILABLE" {
		t.Errorf("a query while Neo4j is down: %s; want an UNAVAILABLE error", r)
	}
	t.Logf("a query while Neo4j is down answered after %s: %s", time.Since(start).Round(time.Millisecond), r)
	waitFor("writes failing while Neo4j is down", func() bool { return a.failureCount() > 0 })

	t.Logf("writes failing while Neo4j is down: %s", a.failuresText())
	localNeo4j(t, []string{"NEO4J_KEEP_DATA=1"}, "start", neo4jFaultPort)
	up := time.Now()
	t.Logf("Neo4j started again after %s down", up.Sub(down).Round(time.Millisecond))
	srv.waitReady(4 * time.Minute)
	t.Logf("/readyz 200 again %s after the restart", time.Since(up).Round(time.Millisecond))
	waitFor("writes after the restart", func() bool { return a.count() >= before+30 })
	t.Logf("30 more writes acknowledged %s after the restart", time.Since(up).Round(time.Millisecond))
	close(stop)
	wg.Wait()
	stopped = true
	if !srv.running() {
		t.Fatalf("the server exited: %v\n%s", srv.err, srv.log)
	}

	a.mu.Lock()
	defer a.mu.Unlock()
	checkPresent(t, srv, a.nodes, a.edges)
	for code := range a.failures {
		if code != "UNAVAILABLE" && code != "TIMEOUT" {
			t.Errorf("writes failed with %s while Neo4j was down; want UNAVAILABLE or TIMEOUT (%v, e.g. %v)", code, a.failures, a.examples)
		}
	}
	t.Logf("%d nodes and %d relationships acknowledged; failures while Neo4j was down: %v, the slowest after %s",
		len(a.nodes), len(a.edges), a.failures, a.slowest.Round(time.Millisecond))

	srv.cmd.Process.Signal(syscall.SIGTERM)
	<-srv.done
	if srv.err != nil {
		t.Errorf("after SIGTERM the server exited with %v\n%s", srv.err, srv.log)
	}
}
