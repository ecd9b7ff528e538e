package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/embedded"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
	"github.com/bildungsgraph/bildungsgraph/internal/neo4jstore"
	"github.com/bildungsgraph/bildungsgraph/internal/server"
)

// countingStore counts the round trips the server makes to the store —
// every method of the Store contract is one — and the time they take.
type countingStore struct {
	landscape.Store
	calls atomic.Int64
	stats [nMethods]struct{ calls, nanos atomic.Int64 }
}

const (
	mNodes = iota
	mQueryNodes
	mEdges
	mQueryEdges
	mAdjacent
	mNeighbours
	mExpand
	mApply
	nMethods
)

var methodNames = [nMethods]string{"Nodes", "QueryNodes", "Edges", "QueryEdges", "Adjacent", "Neighbours", "Expand", "Apply"}

func (c *countingStore) count(m int, start time.Time) {
	c.calls.Add(1)
	c.stats[m].calls.Add(1)
	c.stats[m].nanos.Add(int64(time.Since(start)))
}

func (c *countingStore) Nodes(ctx context.Context, ids []string, asOf *landscape.Date) (map[string]*landscape.Node, error) {
	defer c.count(mNodes, time.Now())
	return c.Store.Nodes(ctx, ids, asOf)
}

func (c *countingStore) QueryNodes(ctx context.Context, q landscape.NodeQuery) (*landscape.NodePage, error) {
	defer c.count(mQueryNodes, time.Now())
	return c.Store.QueryNodes(ctx, q)
}

func (c *countingStore) Edges(ctx context.Context, ids []string, asOf *landscape.Date) (map[string]*landscape.Edge, error) {
	defer c.count(mEdges, time.Now())
	return c.Store.Edges(ctx, ids, asOf)
}

func (c *countingStore) QueryEdges(ctx context.Context, q landscape.EdgeQuery) (*landscape.EdgePage, error) {
	defer c.count(mQueryEdges, time.Now())
	return c.Store.QueryEdges(ctx, q)
}

func (c *countingStore) Adjacent(ctx context.Context, q landscape.AdjacencyQuery) (map[string][]*landscape.Edge, error) {
	defer c.count(mAdjacent, time.Now())
	return c.Store.Adjacent(ctx, q)
}

func (c *countingStore) Neighbours(ctx context.Context, q landscape.AdjacencyQuery) (*landscape.Adjacency, error) {
	defer c.count(mNeighbours, time.Now())
	return c.Store.Neighbours(ctx, q)
}

func (c *countingStore) Expand(ctx context.Context, q landscape.ExpandQuery) (*landscape.Expansion, error) {
	defer c.count(mExpand, time.Now())
	return c.Store.Expand(ctx, q)
}

func (c *countingStore) Apply(ctx context.Context, cs *landscape.Changeset) (*landscape.Result, error) {
	defer c.count(mApply, time.Now())
	return c.Store.Apply(ctx, cs)
}

// storeStats is the answer of GET /bench/store: round trips and the time
// spent in the store, by method.
type storeStats struct {
	Calls   int64                  `json:"calls"`
	Methods map[string]methodStats `json:"methods"`
}

type methodStats struct {
	Calls int64   `json:"calls"`
	Ms    float64 `json:"ms"`
}

func (c *countingStore) snapshot() storeStats {
	st := storeStats{Calls: c.calls.Load(), Methods: map[string]methodStats{}}
	for m := range nMethods {
		st.Methods[methodNames[m]] = methodStats{c.stats[m].calls.Load(), float64(c.stats[m].nanos.Load()) / 1e6}
	}
	return st
}

// minus returns the calls and store time between two snapshots.
func (a storeStats) minus(b storeStats) storeStats {
	d := storeStats{Calls: a.Calls - b.Calls, Methods: map[string]methodStats{}}
	for k, v := range a.Methods {
		if x := v.Calls - b.Methods[k].Calls; x > 0 {
			d.Methods[k] = methodStats{x, v.Ms - b.Methods[k].Ms}
		}
	}
	return d
}

// ms is the store time of the snapshot difference.
func (a storeStats) ms() float64 {
	sum := 0.0
	for _, v := range a.Methods {
		sum += v.Ms
	}
	return sum
}

// serveMain runs bildungsgraph's HTTP handler (internal/server, as
// `bildungsgraph serve` does) over a counting store, on a loopback port. It
// prints "LISTEN <url>" when it serves; GET /bench/roundtrips answers the
// store round trips so far and the time they took, by method.
func serveMain(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	storeKind := fs.String("store", "embedded", "embedded or neo4j")
	data := fs.String("data", "", "file of the embedded store")
	uri := fs.String("neo4j-uri", "", "Neo4j URI")
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	fs.Parse(args)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	var s landscape.Store
	var err error
	switch *storeKind {
	case "embedded":
		s, err = embedded.Open(*data)
	case "neo4j":
		s, err = neo4jstore.Open(ctx, neo4jstore.Config{URI: *uri, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	default:
		err = fmt.Errorf("unknown store %q", *storeKind)
	}
	if err != nil {
		return err
	}
	defer s.Close()
	server.TuneGC(*storeKind == "neo4j") // as bildungsgraph serve does
	counting := &countingStore{Store: s}
	mux := http.NewServeMux()
	mux.Handle("/", server.New(server.Config{Store: counting, BatchWait: landscape.BatchWaitOf(s, 0), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	mux.HandleFunc("GET /bench/store", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(counting.snapshot())
	})
	// The Go heap after a collection: what the store keeps alive, against
	// the process's RSS. The free memory goes back to the system
	// (debug.FreeOSMemory, as the scavenger would in time), so that the RSS
	// read after this is what the server holds at rest.
	mux.HandleFunc("GET /bench/heap", func(w http.ResponseWriter, r *http.Request) {
		debug.FreeOSMemory()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		json.NewEncoder(w).Encode(map[string]uint64{"heapAllocKB": m.HeapAlloc >> 10, "heapSysKB": m.HeapSys >> 10,
			"heapReleasedKB": m.HeapReleased >> 10, "sysKB": m.Sys >> 10, "numGC": uint64(m.NumGC)})
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("LISTEN http://%s/graphql (store open in %.2fs)\n", ln.Addr(), time.Since(start).Seconds())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
