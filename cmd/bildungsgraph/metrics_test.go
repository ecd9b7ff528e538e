package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMetricsOnTheirOwnAddress: with --metrics-addr, /metrics is served
// there and not on the public port.
func TestMetricsOnTheirOwnAddress(t *testing.T) {
	addr, metricsAddr := loopbackAddr(t), loopbackAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- app().Run(ctx, []string{"bildungsgraph", "serve", "--addr", addr, "--metrics-addr", metricsAddr,
			"--data", filepath.Join(t.TempDir(), "landscape.db"), "--sample=false", "--log-format", "json"})
	}()
	defer func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(time.Minute):
			t.Error("serve did not stop")
		}
	}()
	client := &http.Client{Timeout: 30 * time.Second}
	get := func(url string) (int, string) {
		resp, err := client.Get(url)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	waitFor(t, "the metrics listener", func() bool { code, _ := get("http://" + metricsAddr + "/metrics"); return code == http.StatusOK })
	if code, _ := get("http://" + addr + "/healthz"); code != http.StatusOK {
		t.Fatalf("/healthz on the public port: %d", code)
	}
	if code, _ := get("http://" + addr + "/metrics"); code != http.StatusNotFound {
		t.Errorf("/metrics on the public port = %d, want 404 when --metrics-addr is set", code)
	}
	code, body := get("http://" + metricsAddr + "/metrics")
	if code != http.StatusOK || !strings.Contains(body, `bildungsgraph_http_requests_total{code="200",route="GET /healthz"}`) ||
		!strings.Contains(body, "go_goroutines") {
		t.Errorf("/metrics on --metrics-addr = %d without the request counters of the public port or the Go collector:\n%.500s", code, body)
	}
}

func loopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
