#!/usr/bin/env bash
# Runs every test of the project:
#   - builds the web assets (they are embedded and tested),
#   - checks formatting, go vet, staticcheck (pinned, through the Go proxy) and
#     that the gqlgen code matches the schema,
#   - runs `go test -race ./...` with the Neo4j store's tests against a real
#     Neo4j: the one at NEO4J_URI if set, otherwise a local Neo4j 5.26 started
#     (and stopped) by scripts/neo4j-local.sh. The Neo4j tests cannot be
#     skipped here: BILDUNGSGRAPH_REQUIRE_NEO4J=1 makes them fail without a server,
#   - fuzzes every Fuzz target for a few seconds (scripts/fuzz.sh; FUZZTIME),
#   - runs the explorer page's browser test (playwright-core, Debian's Chromium).
# Extra arguments go to `go test` (e.g. -run, -v).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() { printf '\n== %s\n' "$*" >&2; }

step "web assets"
bash scripts/build-web.sh

step "gofmt"
unformatted=$(gofmt -l $(git ls-files -co --exclude-standard -- '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change: $unformatted" >&2
  exit 1
fi

step "gqlgen generated code matches schema.graphqls"
generated=(graph/generated.go graph/model/models_gen.go graph/schema.resolvers.go)
before=$(cat "${generated[@]}" | sha256sum)
go tool gqlgen generate
after=$(cat "${generated[@]}" | sha256sum)
if [ "$before" != "$after" ]; then
  echo "the generated GraphQL code was out of date with schema.graphqls; it is regenerated now: review and commit it" >&2
  exit 1
fi

step "go vet"
go vet ./...

step "staticcheck"
staticcheck=honnef.co/go/tools/cmd/staticcheck@v0.8.2
go run "$staticcheck" ./...

step "docker-compose.yml loads (compose-go, as docker compose config)"
(cd tools/composecheck && go vet ./... && go run "$staticcheck" ./... && go test -count=1 ./...)

export BILDUNGSGRAPH_REQUIRE_NEO4J=1
if [ -n "${NEO4J_URI:-}" ]; then
  step "go test (Neo4j at $NEO4J_URI)"
  go test -race -count=1 "$@" ./...
else
  step "go test (local Neo4j started by scripts/neo4j-local.sh)"
  bash scripts/neo4j-local.sh run "${NEO4J_PORT:-7687}" -- go test -race -count=1 "$@" ./...
fi

step "short fuzz runs (scripts/fuzz.sh)"
bash scripts/fuzz.sh

step "explorer in a real browser (web/test, headless Chromium)"
npm --prefix web test
