#!/usr/bin/env bash
# Runs the server on the embedded store (file .bildungsgraph/landscape.db) with
# the sample landscape loaded on the first start. GraphiQL:
# http://localhost:8080/graphiql/. Arguments go to `bildungsgraph serve`
# (see `go run ./cmd/bildungsgraph serve --help`).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/build-web.sh
exec go run ./cmd/bildungsgraph serve "$@"
