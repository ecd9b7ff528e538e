#!/usr/bin/env bash
# Runs the benchmark of BENCHMARKS.md and prints its tables:
#   1. builds bildungsgraph and the load driver (cmd/bgbench), installs the
#      @neo4j/graphql comparison server (bench/neo4j-graphql, npm ci),
#   2. generates the landscape (bildungsgraph generate),
#   3. starts a fresh local Neo4j 5.26 on its own port (scripts/neo4j-local.sh)
#      with heap and transaction memory for a one-transaction import,
#   4. bgbench run: imports into the embedded store and into Neo4j (timed),
#      then loads each target in turn — bildungsgraph on the embedded store
#      (twice: the second time with GOMEMLIMIT=$BENCH_MEMORY_LIMIT),
#      bildungsgraph on Neo4j, @neo4j/graphql on the same database, Cypher
#      through the Go driver — and writes .cache/bench/results.{json,md},
#   5. stops Neo4j (also on failure).
#
# Environment (defaults in brackets):
#   BENCH_SCALE [1]  BENCH_SEED [1]  BENCH_CONCURRENCY [4]  BENCH_DURATION [10s]  BENCH_WARMUP [2s]
#   BENCH_MIX_DURATION [20s]  BENCH_NEO4J_WARMUP [30s]  BENCH_TARGETS [ours-embedded,ours-embedded-capped,ours-neo4j,neo4j-graphql,cypher]
#   BENCH_MEMORY_LIMIT [256MiB]: GOMEMLIMIT of ours-embedded-capped (the embedded server again, memory bounded)
#   BENCH_NEO4J_PORT [7688]  NEO4J_HEAP_MAX [4g]  NEO4J_TX_MEMORY_MB [3072]  NEO4J_PAGECACHE_MB [1024]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

scale="${BENCH_SCALE:-1}"
seed="${BENCH_SEED:-1}"
port="${BENCH_NEO4J_PORT:-7688}"
work=.cache/bench
step() { printf '\n== %s\n' "$*" >&2; }

step "build"
mkdir -p "$work/bin"
go build -o "$work/bin/bildungsgraph" ./cmd/bildungsgraph
go build -o "$work/bin/bgbench" ./cmd/bgbench
(cd bench/neo4j-graphql && npm ci --no-audit --no-fund --loglevel=error)

step "generate scale $scale, seed $seed"
rm -f "$work"/landscape*.json
"$work/bin/bildungsgraph" generate --scale "$scale" --seed "$seed" --out "$work/landscape.json"
docs="$(ls "$work"/landscape*.json | paste -sd, -)"

step "Neo4j on port $port"
bash scripts/neo4j-local.sh build
trap 'bash scripts/neo4j-local.sh stop "$port" || true' EXIT
NEO4J_HEAP_INIT="${NEO4J_HEAP_INIT:-1g}" NEO4J_HEAP_MAX="${NEO4J_HEAP_MAX:-4g}" \
  NEO4J_TX_MEMORY_MB="${NEO4J_TX_MEMORY_MB:-3072}" NEO4J_PAGECACHE_MB="${NEO4J_PAGECACHE_MB:-1024}" \
  bash scripts/neo4j-local.sh start "$port" >/dev/null

step "run"
"$work/bin/bgbench" run --scale "$scale" --seed "$seed" --docs "$docs" \
  --bildungsgraph "$work/bin/bildungsgraph" --neo4j-uri "bolt://127.0.0.1:$port" \
  --neo4j-pid-file ".cache/neo4j-test-$port.pid" --work "$work" \
  --targets "${BENCH_TARGETS:-ours-embedded,ours-embedded-capped,ours-neo4j,neo4j-graphql,cypher}" --memory-limit "${BENCH_MEMORY_LIMIT:-256MiB}" \
  --concurrency "${BENCH_CONCURRENCY:-4}" --duration "${BENCH_DURATION:-10s}" --warmup "${BENCH_WARMUP:-2s}" \
  --mix-duration "${BENCH_MIX_DURATION:-20s}" --neo4j-warmup "${BENCH_NEO4J_WARMUP:-30s}" --out "$work/results.json" --markdown "$work/results.md"
