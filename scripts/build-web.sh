#!/usr/bin/env bash
# Builds the web assets (GraphiQL, bundled from npm packages with esbuild) into
# internal/web/dist, where the Go binary embeds them. Skipped when the bundle
# is newer than its sources and the lock file.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
stamp=internal/web/dist/.build-stamp
if [ -f "$stamp" ] && [ -z "$(find web/src web/build.mjs web/package-lock.json -newer "$stamp" -print -quit)" ]; then
  exit 0
fi
echo "building web assets (npm ci, esbuild) ..." >&2
npm --prefix web ci --no-audit --no-fund --loglevel=error
npm --prefix web run build --silent
touch "$stamp"
