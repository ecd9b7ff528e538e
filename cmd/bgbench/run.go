package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	neo4jconfig "github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
)

// Target names.
const (
	tEmbedded = "ours-embedded"
	// tCapped is the embedded store's server again, with the Go runtime's
	// soft memory limit (GOMEMLIMIT) set to --memory-limit: what bounding
	// its memory costs.
	tCapped = "ours-embedded-capped"
	tNeo4j  = "ours-neo4j"
	tNeoGQL = "neo4j-graphql"
	tCypher = "cypher"
)

var allTargets = []string{tEmbedded, tCapped, tNeo4j, tNeoGQL, tCypher}

// mixes: the nested-read mix every target answers, and the full
// coordinator mix of our server.
var (
	mixReads = []string{"nested", "page", "search", "ego", "path"}
	mixAll   = []string{"nested", "page", "search", "ego", "path", "coverage", "brokers"}
)

type config struct {
	scale                float64
	seed                 uint64
	docs                 []string
	bildungsgraph, node  string
	neoGQLDir, cypherDir string
	neo4jURI, neo4jPID   string
	work                 string
	targets              []string
	conc                 int
	dur, warm, mixDur    time.Duration
	neoWarm              time.Duration
	importEmbedded       bool
	memLimit             string
	importNeo4j          bool
	out, markdown        string
}

// results is what a run measured; BENCHMARKS.md is written from it.
type results struct {
	Started     time.Time             `json:"started"`
	Scale       float64               `json:"scale"`
	Seed        uint64                `json:"seed"`
	Nodes       int                   `json:"nodes"`
	Edges       int                   `json:"edges"`
	Concurrency int                   `json:"concurrency"`
	Duration    float64               `json:"durationSeconds"`
	Params      params                `json:"params"`
	Machine     string                `json:"machine"`
	Imports     map[string]*importRes `json:"imports"`
	Targets     map[string]*targetRes `json:"targets"`
	Titles      map[string]string     `json:"titles"`
	Order       []string              `json:"order"`
	Neo4jRSS    map[string]int64      `json:"neo4jRssKB,omitempty"`
	MemoryLimit string                `json:"memoryLimit,omitempty"` // GOMEMLIMIT of tCapped
}

type importRes struct {
	Seconds  float64 `json:"seconds"`
	MaxRSSKB int64   `json:"maxRssKB"`
	Output   string  `json:"output"`
	Error    string  `json:"error,omitempty"`
}

type targetRes struct {
	StartSeconds float64 `json:"startSeconds,omitempty"`
	Memory       *memory `json:"memory,omitempty"`
	// StartMemory is read when the server serves, before any request;
	// RestMemory after the load, once free memory went back to the system.
	StartMemory *memory `json:"startMemory,omitempty"`
	RestMemory  *memory `json:"restMemory,omitempty"`
	// PeakFromStart: Memory.HWM is the peak since the start, not the
	// load's (the peak could not be reset when the server served).
	PeakFromStart bool `json:"peakFromStart,omitempty"`
	// Heap is our server's Go heap after a collection, read after the RSS.
	Heap       map[string]uint64    `json:"heap,omitempty"`
	Queries    map[string]*queryRes `json:"queries"`
	MixReads   *stats               `json:"mixReads,omitempty"`
	MixAll     *stats               `json:"mixAll,omitempty"`
	MixReadsRT float64              `json:"mixReadsRoundTrips,omitempty"`
	MixAllRT   float64              `json:"mixAllRoundTrips,omitempty"`
	Error      string               `json:"error,omitempty"`
}

type queryRes struct {
	Size  string `json:"size"`
	Bytes int    `json:"bytes"`
	// AloneMs is the latency of one request alone (the third of three).
	AloneMs float64 `json:"aloneMs"`
	// StoreMs is the time that request spent in store calls, by method in
	// Store (our server).
	StoreMs float64                `json:"storeMs"`
	Store   map[string]methodStats `json:"store,omitempty"`
	// LoadStoreMs is the store time per request during the load run.
	LoadStoreMs float64 `json:"loadStoreMs"`
	// RoundTrips of one request alone (our server; -1: not counted).
	RoundTrips float64 `json:"roundTrips"`
	// LoadRoundTrips per request during the load run.
	LoadRoundTrips float64 `json:"loadRoundTrips"`
	Stats          stats   `json:"stats"`
	Error          string  `json:"error,omitempty"`
}

func runMain(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	var c config
	var docs, targets string
	fs.Float64Var(&c.scale, "scale", 1, "scale of the generated landscape (to choose the query parameters)")
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the generated landscape")
	fs.StringVar(&docs, "docs", "", "comma-separated JSON files of the landscape (bildungsgraph generate --out)")
	fs.StringVar(&c.bildungsgraph, "bildungsgraph", "bildungsgraph", "the bildungsgraph command (for the imports)")
	fs.StringVar(&c.node, "node", "node", "node (for @neo4j/graphql)")
	fs.StringVar(&c.neoGQLDir, "neo4j-graphql", "bench/neo4j-graphql", "directory of the @neo4j/graphql server")
	fs.StringVar(&c.cypherDir, "cypher", "cmd/bgbench/cypher", "directory of the Cypher files")
	fs.StringVar(&c.neo4jURI, "neo4j-uri", "bolt://127.0.0.1:7688", "Neo4j (empty: no Neo4j targets)")
	fs.StringVar(&c.neo4jPID, "neo4j-pid-file", "", "pid file of the Neo4j process (for its RSS)")
	fs.StringVar(&c.work, "work", ".cache/bench", "working directory (embedded store file)")
	fs.StringVar(&targets, "targets", strings.Join(allTargets, ","), "targets to run")
	fs.IntVar(&c.conc, "concurrency", 4, "concurrent requests")
	fs.DurationVar(&c.dur, "duration", 10*time.Second, "measured time per query and target")
	fs.DurationVar(&c.warm, "warmup", 2*time.Second, "warm-up time per query and target")
	fs.DurationVar(&c.mixDur, "mix-duration", 20*time.Second, "measured time per mix and target")
	fs.DurationVar(&c.neoWarm, "neo4j-warmup", 30*time.Second, "before any measurement on Neo4j, load each Neo4j target this long with every query (JIT, page cache)")
	fs.BoolVar(&c.importEmbedded, "import-embedded", true, "import into a new embedded store (else use the one in --work)")
	fs.StringVar(&c.memLimit, "memory-limit", "256MiB", "GOMEMLIMIT of the target "+tCapped)
	fs.BoolVar(&c.importNeo4j, "import-neo4j", true, "import into Neo4j (else use what it holds)")
	fs.StringVar(&c.out, "out", ".cache/bench/results.json", "results file")
	fs.StringVar(&c.markdown, "markdown", "", "also write the tables to this file")
	fs.Parse(args)
	for _, d := range strings.Split(docs, ",") {
		if d != "" {
			c.docs = append(c.docs, d)
		}
	}
	c.targets = strings.Split(targets, ",")

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	doc, err := generated(c.scale, c.seed)
	if err != nil {
		return err
	}
	p, err := chooseParams(doc)
	if err != nil {
		return err
	}
	qs := queries(p)
	res := &results{Started: time.Now().UTC(), Scale: c.scale, Seed: c.seed, Nodes: len(doc.Nodes), Edges: len(doc.Edges), MemoryLimit: c.memLimit,
		Concurrency: c.conc, Duration: c.dur.Seconds(), Params: p, Machine: machine(),
		Imports: map[string]*importRes{}, Targets: map[string]*targetRes{}, Titles: map[string]string{}, Neo4jRSS: map[string]int64{}}
	for _, q := range qs {
		res.Titles[q.Name] = q.Title
		res.Order = append(res.Order, q.Name)
	}
	doc = nil
	logf("landscape scale %v seed %d: %d nodes, %d relationships; parameters %+v", c.scale, c.seed, res.Nodes, res.Edges, p)

	has := func(t string) bool {
		for _, x := range c.targets {
			if x == t {
				return true
			}
		}
		return false
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	save := func() {
		if err := writeResults(c, res); err != nil {
			logf("writing results: %v", err)
		}
	}
	defer save()
	// serveTarget loads a server target: the server as a child process,
	// then the queries against it.
	serveTarget := func(name string, cmd *exec.Cmd, neo bool) {
		tr := &targetRes{Queries: map[string]*queryRes{}}
		res.Targets[name] = tr
		if err := withChild(ctx, cmd, tr, func(url string, pid int) {
			runTarget(ctx, c, newHTTPTarget(url, neo, qs, c.conc), qs, tr)
		}); err != nil {
			tr.Error = err.Error()
		}
		save()
	}

	if has(tEmbedded) || has(tCapped) {
		db := filepath.Join(c.work, "bench-embedded.db")
		if c.importEmbedded {
			os.Remove(db)
			res.Imports["embedded"] = runImport(ctx, c, "--data", db)
			save()
		}
		if has(tEmbedded) {
			serveTarget(tEmbedded, exec.Command(self, "serve", "--store", "embedded", "--data", db), false)
		}
		if has(tCapped) {
			cmd := exec.Command(self, "serve", "--store", "embedded", "--data", db)
			cmd.Env = append(os.Environ(), "GOMEMLIMIT="+c.memLimit)
			serveTarget(tCapped, cmd, false)
		}
	}
	if c.neo4jURI != "" && (has(tNeo4j) || has(tNeoGQL) || has(tCypher)) {
		if c.importNeo4j {
			res.Imports["neo4j"] = runImport(ctx, c, "--neo4j-uri", c.neo4jURI)
			res.Neo4jRSS["afterImport"] = neo4jRSS(c)
			save()
		}
		// Warm Neo4j up for every target before measuring any, so that the
		// order of the targets does not favour the last.
		if c.neoWarm > 0 {
			logf("warming Neo4j up: %s per target", c.neoWarm)
			warm := func(t target) {
				var l []*query
				for _, q := range qs {
					if t.Has(q) {
						l = append(l, q)
					}
				}
				st := load(ctx, t, l, c.conc, c.neoWarm)
				logf("  %d requests, %d errors %s", st.Requests, st.Errors, st.FirstError)
			}
			scratch := &targetRes{}
			if has(tNeo4j) {
				withChild(ctx, exec.Command(self, "serve", "--store", "neo4j", "--neo4j-uri", c.neo4jURI), scratch, func(url string, pid int) {
					warm(newHTTPTarget(url, false, qs, c.conc))
				})
			}
			if has(tNeoGQL) {
				withChild(ctx, neoGQLCommand(c), scratch, func(url string, pid int) { warm(newHTTPTarget(url, true, qs, c.conc)) })
			}
			if has(tCypher) {
				if drv, err := neo4j.NewDriverWithContext(c.neo4jURI, neo4j.NoAuth()); err == nil {
					warm(&cypherTarget{driver: drv})
					drv.Close(context.Background())
				}
			}
			res.Neo4jRSS["afterWarmup"] = neo4jRSS(c)
		}
		if has(tNeo4j) {
			serveTarget(tNeo4j, exec.Command(self, "serve", "--store", "neo4j", "--neo4j-uri", c.neo4jURI), false)
			res.Neo4jRSS[tNeo4j] = neo4jRSS(c)
		}
		if has(tNeoGQL) {
			serveTarget(tNeoGQL, neoGQLCommand(c), true)
			res.Neo4jRSS[tNeoGQL] = neo4jRSS(c)
		}
		if has(tCypher) {
			tr := &targetRes{Queries: map[string]*queryRes{}}
			res.Targets[tCypher] = tr
			drv, err := neo4j.NewDriverWithContext(c.neo4jURI, neo4j.NoAuth(), func(cfg *neo4jconfig.Config) { cfg.MaxConnectionPoolSize = 4 * c.conc })
			if err == nil {
				err = drv.VerifyConnectivity(ctx)
			}
			if err != nil {
				tr.Error = err.Error()
			} else {
				runTarget(ctx, c, &cypherTarget{driver: drv}, qs, tr)
				drv.Close(context.Background())
			}
			res.Neo4jRSS[tCypher] = neo4jRSS(c)
			save()
		}
	}
	save()
	fmt.Print(report(res))
	return nil
}

func neoGQLCommand(c config) *exec.Cmd {
	cmd := exec.Command(c.node, filepath.Join(c.neoGQLDir, "server.mjs"), "--uri", c.neo4jURI, "--port", "0", "--cypher", c.cypherDir)
	cmd.Env = append(os.Environ(), "NODE_ENV=production")
	return cmd
}

// runTarget checks each query once (its answer's size, its round trips),
// then loads the target with each query alone and with the mixes.
func runTarget(ctx context.Context, c config, t target, qs []*query, tr *targetRes) {
	ht, _ := t.(*httpTarget)
	snap := func() (storeStats, bool) {
		if ht == nil || ht.rtURL == "" {
			return storeStats{}, false
		}
		st, err := ht.storeStats(ctx)
		return st, err == nil
	}
	byName := map[string]*query{}
	for _, q := range qs {
		byName[q.Name] = q
		if !t.Has(q) {
			continue
		}
		qr := &queryRes{RoundTrips: -1, LoadRoundTrips: -1}
		tr.Queries[q.Name] = qr
		var body []byte
		var err error
		for i := 0; i < 3; i++ { // the third, warm request counts
			before, ok := snap()
			t0 := time.Now()
			body, err = t.Do(ctx, q)
			qr.AloneMs = float64(time.Since(t0).Microseconds()) / 1000
			if after, ok2 := snap(); ok && ok2 {
				d := after.minus(before)
				qr.RoundTrips, qr.StoreMs, qr.Store = float64(d.Calls), d.ms(), d.Methods
			}
			if err != nil {
				break
			}
		}
		if err != nil {
			qr.Error = err.Error()
			logf("  %-9s error: %.300s", q.Name, qr.Error)
			continue
		}
		qr.Size, qr.Bytes = size(t, q, body), len(body)
		logf("  %-9s %s; %d bytes; alone %.1f ms, round trips %v taking %.1f ms %v", q.Name, qr.Size, qr.Bytes, qr.AloneMs, qr.RoundTrips, qr.StoreMs, qr.Store)
	}
	for _, q := range qs {
		qr := tr.Queries[q.Name]
		if qr == nil || qr.Error != "" || ctx.Err() != nil {
			continue
		}
		load(ctx, t, []*query{q}, c.conc, c.warm)
		before, ok := snap()
		qr.Stats = load(ctx, t, []*query{q}, c.conc, c.dur)
		if after, ok2 := snap(); ok && ok2 && qr.Stats.Requests+qr.Stats.Errors > 0 {
			d := after.minus(before)
			n := float64(qr.Stats.Requests + qr.Stats.Errors)
			qr.LoadRoundTrips, qr.LoadStoreMs = float64(d.Calls)/n, d.ms()/n
		}
		logf("  %-9s p50 %7.1f ms  p95 %7.1f ms  %7.1f req/s  errors %d %s", q.Name, qr.Stats.P50, qr.Stats.P95, qr.Stats.RPS, qr.Stats.Errors, qr.Stats.FirstError)
	}
	mix := func(names []string) (*stats, float64) {
		var l []*query
		for _, n := range names {
			if qr := tr.Queries[n]; qr == nil || qr.Error != "" {
				return nil, 0 // the target lacks a query of the mix
			}
			l = append(l, byName[n])
		}
		load(ctx, t, l, c.conc, c.warm)
		before, ok := snap()
		st := load(ctx, t, l, c.conc, c.mixDur)
		perReq := -1.0
		if after, ok2 := snap(); ok && ok2 && st.Requests > 0 {
			perReq = float64(after.minus(before).Calls) / float64(st.Requests+st.Errors)
		}
		logf("  mix of %d: p50 %7.1f ms  p95 %7.1f ms  %7.1f req/s  errors %d %s", len(l), st.P50, st.P95, st.RPS, st.Errors, st.FirstError)
		return &st, perReq
	}
	if ctx.Err() == nil {
		tr.MixReads, tr.MixReadsRT = mix(mixReads)
	}
	if ctx.Err() == nil {
		tr.MixAll, tr.MixAllRT = mix(mixAll)
	}
}

// withChild starts a server process, waits for its "LISTEN <url>" line,
// runs fn, records the server's RSS and stops it.
func withChild(ctx context.Context, cmd *exec.Cmd, tr *targetRes, fn func(url string, pid int)) error {
	logf("starting %s", strings.Join(cmd.Args, " "))
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			if rest, ok := strings.CutPrefix(line, "LISTEN "); ok {
				urls <- strings.Fields(rest)[0]
				logf("  %s", line)
			}
		}
		io.Copy(io.Discard, out)
		close(urls)
	}()
	var url string
	select {
	case u, ok := <-urls:
		if !ok {
			return fmt.Errorf("%s exited before it served", cmd.Path)
		}
		url = u
	case <-time.After(10 * time.Minute):
		return fmt.Errorf("%s did not serve within 10 minutes", cmd.Path)
	case <-ctx.Done():
		return ctx.Err()
	}
	tr.StartSeconds = time.Since(start).Seconds()
	started := procStatus(cmd.Process.Pid)
	tr.StartMemory = &started
	// The peak so far is the start's (loading the landscape); it stays in
	// StartMemory. Reset it, so that the peak read after the load is the
	// load's own.
	if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", cmd.Process.Pid), []byte("5"), 0); err != nil {
		logf("  cannot reset the server's peak RSS (the peak reported includes the start): %v", err)
		tr.PeakFromStart = true
	}
	fn(url, cmd.Process.Pid)
	m := procStatus(cmd.Process.Pid)
	tr.Memory = &m
	logf("  server RSS %d MB (anonymous %d MB, files %d MB; peak under load %d MB)", m.RSS/1024, m.Anon/1024, m.File/1024, m.HWM/1024)
	if strings.HasSuffix(url, "/graphql") && cmd.Path != "" && !strings.HasSuffix(cmd.Path, "node") {
		if resp, err := http.Get(strings.TrimSuffix(url, "/graphql") + "/bench/heap"); err == nil {
			if json.NewDecoder(resp.Body).Decode(&tr.Heap) == nil {
				logf("  Go heap after a collection: %d MB", tr.Heap["heapAllocKB"]/1024)
			}
			resp.Body.Close()
			rest := procStatus(cmd.Process.Pid)
			tr.RestMemory = &rest
			logf("  server RSS at rest (free memory returned): %d MB (anonymous %d MB, files %d MB)", rest.RSS/1024, rest.Anon/1024, rest.File/1024)
		}
	}
	return nil
}

// runImport imports the landscape with `bildungsgraph import` and times it.
func runImport(ctx context.Context, c config, storeArgs ...string) *importRes {
	args := append([]string{"import", "--quiet"}, storeArgs...)
	args = append(args, c.docs...)
	cmd := exec.CommandContext(ctx, c.bildungsgraph, args...)
	logf("import: %s", strings.Join(cmd.Args, " "))
	start := time.Now()
	out, err := cmd.CombinedOutput()
	r := &importRes{Seconds: time.Since(start).Seconds(), Output: strings.TrimSpace(lastLines(string(out), 3))}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && cmd.ProcessState != nil {
		r.MaxRSSKB = ru.Maxrss
	}
	if err != nil {
		r.Error = err.Error()
	}
	logf("  %.1f s, peak RSS %d MB: %s %s", r.Seconds, r.MaxRSSKB/1024, r.Output, r.Error)
	return r
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func neo4jRSS(c config) int64 {
	if c.neo4jPID == "" {
		return -1
	}
	b, err := os.ReadFile(c.neo4jPID)
	if err != nil {
		return -1
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return -1
	}
	return procStatus(pid).RSS
}

func machine() string {
	cpu := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		mem = strings.Fields(strings.SplitN(string(b), "\n", 2)[0])[1] + " kB"
	}
	return fmt.Sprintf("%s, %d logical CPUs, %s RAM", cpu, runtime.NumCPU(), mem)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05")+" "+format+"\n", args...)
}

func writeResults(c config, res *results) error {
	if c.out != "" {
		b, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(c.out, b, 0o644); err != nil {
			return err
		}
	}
	if c.markdown != "" {
		return os.WriteFile(c.markdown, []byte(report(res)), 0o644)
	}
	return nil
}
