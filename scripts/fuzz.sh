#!/usr/bin/env bash
# Short fuzz runs of every Fuzz target of the module (their seeds already run
# as ordinary tests in `go test ./...`; this mutates beyond them).
#
# Usage: scripts/fuzz.sh [package pattern...]      (default ./...)
#
# Environment:
#   FUZZTIME     fuzzing time per target (default 8s), as go test -fuzztime
#   FUZZ_BUDGET  seconds of fuzzing for all targets together (default 64):
#                when targets × FUZZTIME would exceed it, each target gets
#                an equal share (at least 2 s)
#
# `go test -fuzz` takes one target of one package per run, so each target
# runs on its own. A crash fails the script; go test writes the failing input
# to <package>/testdata/fuzz/<Target>/ — commit it with the fix as a seed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

fuzztime="${FUZZTIME:-8s}"
budget="${FUZZ_BUDGET:-64}"
patterns=("$@")
[ ${#patterns[@]} -gt 0 ] || patterns=(./...)

# Candidates: packages with a `func Fuzz…` in a test file; `go test -list`
# then names the targets that really are there (build tags and all).
mapfile -t pkgs < <(go list -f '{{.ImportPath}} {{.Dir}} {{join .TestGoFiles " "}} {{join .XTestGoFiles " "}}' "${patterns[@]}" |
  while read -r pkg dir files; do
    [ -n "$files" ] || continue
    for f in $files; do
      if grep -q '^func Fuzz[A-Z0-9_]' "$dir/$f"; then echo "$pkg"; break; fi
    done
  done)
if [ ${#pkgs[@]} -eq 0 ]; then
  echo "fuzz: no Fuzz targets in ${patterns[*]}" >&2
  exit 0
fi

# go test prints each package's list, then "ok <package> <time>".
listing=$(go test -list '^Fuzz' "${pkgs[@]}")
targets=() # "package target"
names=()
while read -r line; do
  case "$line" in
    Fuzz*) names+=("$line") ;;
    "ok "*)
      pkg=$(awk '{print $2}' <<<"$line")
      for n in "${names[@]}"; do targets+=("$pkg $n"); done
      names=()
      ;;
  esac
done <<<"$listing"
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz: go test -list found no Fuzz targets in ${pkgs[*]}" >&2
  exit 1
fi

# Share the budget.
seconds() { # 8s, 1m30s → whole seconds; other forms (500ms, 100x): nothing, no budget
  local d="$1"
  if [[ "$d" =~ ^([0-9]+m)?([0-9]+s)?$ ]] && [ -n "$d" ]; then
    local m=0 s=0
    [[ "$d" =~ ([0-9]+)m ]] && m=${BASH_REMATCH[1]}
    [[ "$d" =~ ([0-9]+)s ]] && s=${BASH_REMATCH[1]}
    echo $((m * 60 + s))
  fi
}
per=$(seconds "$fuzztime")
if [ -n "$per" ] && [ $((per * ${#targets[@]})) -gt "$budget" ]; then
  per=$((budget / ${#targets[@]}))
  [ "$per" -ge 2 ] || per=2
  fuzztime="${per}s"
fi

echo "fuzz: ${#targets[@]} targets, $fuzztime each" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# deadline_race reports whether a failed run is Go's own race at the end of
# -fuzztime (golang/go#75804, fixed in Go 1.27): the coordinator reports
# "context deadline exceeded" as the target's failure although no input
# failed. A real failure writes its input ("Failing input written to") or
# panics; such a run is never retried.
deadline_race() {
  grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written to\|panic:' "$log"
}
failed=()
for t in "${targets[@]}"; do
  read -r pkg name <<<"$t"
  # -fuzzminimizetime bounds the minimisation of a crasher.
  run() { go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime 20s "$pkg" >"$log" 2>&1; }
  ok=0
  if run; then
    ok=1
  elif deadline_race; then
    echo "fuzz: $pkg $name ended with Go's fuzztime deadline race (golang/go#75804), no failing input; running it again" >&2
    run && ok=1
  fi
  if [ "$ok" = 1 ]; then
    echo "fuzz: ok $pkg $name" >&2
  else
    cat "$log" >&2
    echo "fuzz: FAIL $pkg $name" >&2
    failed+=("$pkg $name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  printf 'fuzz: FAILED %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets passed" >&2
