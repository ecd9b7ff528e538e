// Command bgbench is the load driver of bildungsgraph's benchmark
// (BENCHMARKS.md; scripts/bench.sh runs it):
//
//	bgbench serve --store embedded --data x.db      # our server over a counting store, on a loopback port
//	bgbench run --scale 1 --docs landscape.json ... # imports, load runs, the table
//
// `run` imports the generated landscape into the embedded store and into
// Neo4j with `bildungsgraph import` (timed), then sends a fixed set of
// coordinator queries at a fixed concurrency for a bounded time to each
// target in turn — bildungsgraph on the embedded store, bildungsgraph on
// Neo4j, @neo4j/graphql on the same Neo4j database, hand-written Cypher
// through the Go driver — and reports p50/p95 latency, throughput, store
// round trips per request and the servers' RSS. Each server runs as a
// child process, one at a time.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: bgbench serve|run [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serveMain(os.Args[2:])
	case "run":
		err = runMain(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q: serve or run", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bgbench:", err)
		os.Exit(1)
	}
}
