package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeDrainsInFlightRequests: when serve is told to stop (SIGTERM
// cancels its context), it stops accepting connections but lets a request in
// flight finish with a full answer before it returns.
func TestServeDrainsInFlightRequests(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	base := "http://" + addr

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		// --store embedded: the test command sets NEO4J_URI, and the Neo4j
		// database is shared with tests that write while this one runs.
		done <- app().Run(ctx, []string{"bildungsgraph", "serve", "--addr", addr, "--store", "embedded",
			"--data", filepath.Join(t.TempDir(), "landscape.db"), "--sample=false", "--log-format", "json"})
	}()
	client := &http.Client{Timeout: 30 * time.Second}
	waitFor(t, "the server to answer /healthz", func() bool {
		resp, err := client.Get(base + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})

	// A request whose body arrives in two parts: its handler is in flight
	// (reading the body) until the second part comes.
	body, bodyW := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", body)
	req.Header.Set("Content-Type", "application/json")
	type result struct {
		status int
		body   string
		err    error
	}
	answer := make(chan result, 1)
	go func() {
		resp, err := client.Do(req)
		if err != nil {
			answer <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		answer <- result{resp.StatusCode, string(b), err}
	}()
	if _, err := bodyW.Write([]byte(`{"query": "{ committees `)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the request to be in flight", func() bool { return inFlight(client, base) >= 2 }) // it and the scrape

	cancel() // what SIGTERM does
	waitFor(t, "the server to refuse new connections", func() bool {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return true
		}
		c.Close()
		return false
	})
	select {
	case err := <-done:
		t.Fatalf("serve returned (%v) with a request in flight", err)
	default:
	}

	if _, err := bodyW.Write([]byte(`{ totalCount } }"}`)); err != nil {
		t.Fatal(err)
	}
	bodyW.Close()
	select {
	case r := <-answer:
		if r.err != nil || r.status != http.StatusOK || !strings.Contains(r.body, `"totalCount":0`) {
			t.Fatalf("the request in flight got %d %q (%v); want 200 with data", r.status, r.body, r.err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the request in flight got no answer")
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not return after draining")
	}
}

// inFlight reads the in-flight gauge from /metrics (-1 when unavailable).
func inFlight(client *http.Client, base string) float64 {
	resp, err := client.Get(base + "/metrics")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "bildungsgraph_http_requests_in_flight "); ok {
			var f float64
			if json.Unmarshal([]byte(strings.TrimSpace(v)), &f) == nil {
				return f
			}
		}
	}
	return -1
}

// waitFor polls cond for up to 30 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
