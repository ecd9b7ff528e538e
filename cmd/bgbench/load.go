package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// target answers the requests of the benchmark.
type target interface {
	// Has reports whether the target has a counterpart of q.
	Has(q *query) bool
	// Do runs q once and returns the answer's data as JSON.
	Do(ctx context.Context, q *query) ([]byte, error)
}

// httpTarget is a GraphQL server on a loopback port.
type httpTarget struct {
	url    string
	neo    bool // @neo4j/graphql: the Neo requests
	client *http.Client
	bodies map[string][]byte
	rtURL  string // store statistics of our server ("" for none)
}

func newHTTPTarget(url string, neo bool, qs []*query, conc int) *httpTarget {
	t := &httpTarget{url: url, neo: neo, bodies: map[string][]byte{},
		client: &http.Client{Transport: &http.Transport{MaxIdleConns: 4 * conc, MaxIdleConnsPerHost: 4 * conc, DisableCompression: true}}}
	for _, q := range qs {
		r := q.Ours
		if neo {
			r = q.Neo
		}
		if r != nil {
			t.bodies[q.Name], _ = json.Marshal(r)
		}
	}
	if !neo {
		t.rtURL = strings.TrimSuffix(url, "/graphql") + "/bench/store"
	}
	return t
}

func (t *httpTarget) Has(q *query) bool { return t.bodies[q.Name] != nil }

func (t *httpTarget) Do(ctx context.Context, q *query) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(t.bodies[q.Name]))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := t.client.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK || bytes.Contains(body, []byte(`"errors":`)) {
		return nil, fmt.Errorf("status %d: %.300s", resp.StatusCode, body)
	}
	return body, nil
}

// storeStats returns our server's store statistics.
func (t *httpTarget) storeStats(ctx context.Context) (storeStats, error) {
	var st storeStats
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, t.rtURL, nil)
	resp, err := t.client.Do(req)
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	err = json.NewDecoder(resp.Body).Decode(&st)
	return st, err
}

// cypherTarget runs the hand-written Cypher through the Go driver: the
// floor of what any layer over Neo4j can do. The answer is marshalled to
// JSON as a server would.
type cypherTarget struct{ driver neo4j.DriverWithContext }

func (t *cypherTarget) Has(q *query) bool { return q.Cypher != "" }

func (t *cypherTarget) Do(ctx context.Context, q *query) ([]byte, error) {
	res, err := neo4j.ExecuteQuery(ctx, t.driver, cypherText(q.Cypher), q.Params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, err
	}
	if len(res.Records) == 0 {
		return []byte("null"), nil
	}
	v, _ := res.Records[0].Get("result")
	return json.Marshal(v)
}

// size decodes an answer and extracts its size for the comparison.
func size(t target, q *query, body []byte) string {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return "undecodable: " + err.Error()
	}
	switch t := t.(type) {
	case *httpTarget:
		if t.neo {
			return q.NeoSize(get(v, "data"))
		}
		return q.OursSize(get(v, "data"))
	}
	return q.CypherSize(v)
}

// stats are the latencies of a load run.
type stats struct {
	Requests   int     `json:"requests"`
	Errors     int     `json:"errors"`
	Seconds    float64 `json:"seconds"`
	RPS        float64 `json:"rps"`
	P50        float64 `json:"p50Ms"`
	P95        float64 `json:"p95Ms"`
	P99        float64 `json:"p99Ms"`
	Mean       float64 `json:"meanMs"`
	FirstError string  `json:"firstError,omitempty"`
}

// load runs conc workers for dur, each sending the queries of qs in turn
// (worker w starting at the w-th), and returns the latencies.
func load(ctx context.Context, t target, qs []*query, conc int, dur time.Duration) stats {
	var mu sync.Mutex
	var lat []float64
	var st stats
	start := time.Now()
	deadline := start.Add(dur)
	var wg sync.WaitGroup
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var mine []float64
			errs, firstErr := 0, ""
			for i := w; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				q := qs[i%len(qs)]
				rctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
				t0 := time.Now()
				_, err := t.Do(rctx, q)
				d := time.Since(t0)
				cancel()
				if err != nil {
					errs++
					if firstErr == "" {
						firstErr = q.Name + ": " + err.Error()
					}
					continue
				}
				mine = append(mine, float64(d.Microseconds())/1000)
			}
			mu.Lock()
			lat = append(lat, mine...)
			st.Errors += errs
			if st.FirstError == "" {
				st.FirstError = firstErr
			}
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	st.Seconds = time.Since(start).Seconds()
	st.Requests = len(lat)
	st.RPS = float64(len(lat)) / st.Seconds
	if len(lat) > 0 {
		slices.Sort(lat)
		st.P50, st.P95, st.P99 = percentile(lat, 50), percentile(lat, 95), percentile(lat, 99)
		sum := 0.0
		for _, x := range lat {
			sum += x
		}
		st.Mean = sum / float64(len(lat))
	}
	return st
}

// percentile returns the p-th percentile of sorted values (nearest rank).
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// memory is the resident memory of a process in kB, from /proc/<pid>/status:
// VmRSS = RssAnon (heap, stacks) + RssFile (mapped files: the binary, and
// bbolt's memory-mapped database file) + RssShmem.
type memory struct {
	RSS  int64 `json:"rssKB"`
	HWM  int64 `json:"hwmKB"`
	Anon int64 `json:"anonKB"`
	File int64 `json:"fileKB"`
}

func procStatus(pid int) memory {
	m := memory{-1, -1, -1, -1}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return m
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			m.RSS = n
		case "VmHWM":
			m.HWM = n
		case "RssAnon":
			m.Anon = n
		case "RssFile":
			m.File = n
		}
	}
	return m
}
