#!/usr/bin/env bash
# Local Neo4j 5.26 Community (embedded, Bolt only, auth off) for tests and
# development, without Docker. See tools/neo4j-launcher/.
#
# Usage:
#   scripts/neo4j-local.sh build                  build the launcher (skipped if up to date)
#   scripts/neo4j-local.sh start [port]           start on 127.0.0.1:<port> (default 7687) with
#                                                 a fresh data dir; prints bolt://127.0.0.1:<port>
#   scripts/neo4j-local.sh stop [port]            stop it (SIGTERM, SIGKILL after 60 s); idempotent
#   scripts/neo4j-local.sh run [port] -- cmd...   start, run cmd with NEO4J_URI set, always stop;
#                                                 exits with cmd's exit code
#   scripts/neo4j-local.sh status [port]          exit 0 if running
#
# Environment:
#   NEO4J_PORT           default port (7687)
#   NEO4J_DATA_DIR       data dir (default .cache/neo4j-test-<port>); Neo4j's logs go to <dir>/logs
#   NEO4J_KEEP_DATA=1    start: keep the existing data dir instead of wiping it
#   NEO4J_START_TIMEOUT  seconds to wait for the READY line (180)
#   NEO4J_HEAP_INIT / NEO4J_HEAP_MAX   JVM heap (256m / 1g)
#   NEO4J_PAGECACHE_MB   page cache in MB (96)
#   NEO4J_TX_MEMORY_MB   memory one transaction may use, in MB (128; big imports need more, with NEO4J_HEAP_MAX)
#   JAVA                 java binary (java from PATH)
#
# Runtime files: .cache/neo4j-test-<port>.pid and .cache/neo4j-test-<port>.log
# (the launcher's stdout/stderr).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAUNCHER_DIR="$REPO_ROOT/tools/neo4j-launcher"
TARGET_DIR="$LAUNCHER_DIR/target"
JAR="$TARGET_DIR/neo4j-launcher.jar"
LIB_DIR="$TARGET_DIR/lib"
BUILD_STAMP="$LIB_DIR/.build-stamp"
CACHE_DIR="$REPO_ROOT/.cache"
MAIN_CLASS="bildungsgraph.neo4jlauncher.Neo4jLauncher"
HOST="127.0.0.1"
# Marker that identifies a directory this script created, so a wrong
# NEO4J_DATA_DIR never gets wiped.
DATA_MARKER=".neo4j-local-data-dir"

JAVA="${JAVA:-java}"

# JVM flags. The --add-opens/--enable-native-access set is what Neo4j 5.26
# itself recommends for server.jvm.additional (see
# org.neo4j.commandline.dbms.ConfigFileMigrator#recommendedJvmAdditionals and
# the shipped neo4j.conf); the -D/-XX flags are the relevant ones from that
# neo4j.conf. -XX:+AlwaysPreTouch is left out on purpose (it would commit the
# whole heap up front).
JVM_OPTS=(
  "-Xms${NEO4J_HEAP_INIT:-256m}"
  "-Xmx${NEO4J_HEAP_MAX:-1g}"
  -XX:+UseG1GC
  -XX:-OmitStackTraceInFastThrow
  -XX:+ExitOnOutOfMemoryError
  -Djdk.nio.maxCachedBufferSize=1024
  -Dio.netty.tryReflectionSetAccessible=true
  -Dlog4j2.disable.jmx=true
  -Dfile.encoding=UTF-8
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --enable-native-access=ALL-UNNAMED
)

log() { echo "neo4j-local: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
  # Print the comment block at the top of this file.
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2
  exit 2
}

valid_port() {
  [[ "$1" =~ ^[0-9]+$ ]] && (( $1 >= 1 && $1 <= 65535 ))
}

pid_file() { echo "$CACHE_DIR/neo4j-test-$1.pid"; }
log_file() { echo "$CACHE_DIR/neo4j-test-$1.log"; }
data_dir() { echo "${NEO4J_DATA_DIR:-$CACHE_DIR/neo4j-test-$1}"; }

# True if the pid is a live (not zombie) process.
is_alive() {
  local pid="$1" state
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/stat" ]]; then
    # Field 3 of /proc/<pid>/stat, after the "(comm)" field.
    state="$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]).*/\1/' "/proc/$pid/stat" 2>/dev/null || true)"
    [[ "$state" == "Z" || "$state" == "X" ]] && return 1
  fi
  return 0
}

# True if the pid is a live launcher JVM (guards against a recycled pid).
is_running() {
  local pid="$1"
  is_alive "$pid" || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$MAIN_CLASS" || return 1
  fi
  return 0
}

read_pid() {
  local f
  f="$(pid_file "$1")"
  if [[ -f "$f" ]]; then
    cat "$f"
  fi
}

needs_build() {
  [[ -f "$JAR" && -f "$BUILD_STAMP" ]] || return 0
  [[ -n "$(find "$LAUNCHER_DIR/pom.xml" "$LAUNCHER_DIR/src" -newer "$JAR" -print -quit)" ]] && return 0
  [[ -n "$(find "$LAUNCHER_DIR/pom.xml" "$LAUNCHER_DIR/src" -newer "$BUILD_STAMP" -print -quit)" ]] && return 0
  return 1
}

cmd_build() {
  command -v mvn >/dev/null || die "mvn not found (install Maven 3.8+ and JDK 17+)"
  mkdir -p "$CACHE_DIR"
  # Serialise concurrent builds (e.g. two test runs starting at once).
  exec 9>"$CACHE_DIR/neo4j-launcher-build.lock"
  flock 9
  if needs_build; then
    log "building tools/neo4j-launcher (first build downloads Neo4j from Maven Central)..."
    local build_log="$CACHE_DIR/neo4j-launcher-build.log"
    if ! (cd "$LAUNCHER_DIR" && mvn -q -B package -DskipTests) >"$build_log" 2>&1; then
      # Strip the colour-reset codes that Debian's Maven 3.8 prints even with -q -B.
      sed 's/\x1b\[[0-9;]*m//g' "$build_log" | tail -n 50 >&2
      die "maven build failed (full log: $build_log)"
    fi
    touch "$BUILD_STAMP"
  fi
  flock -u 9
  exec 9>&-
}

cmd_start() {
  local port="${1:-${NEO4J_PORT:-7687}}"
  valid_port "$port" || die "invalid port: $port"
  local pidf logf dir timeout pid
  pidf="$(pid_file "$port")"
  logf="$(log_file "$port")"
  dir="$(data_dir "$port")"
  timeout="${NEO4J_START_TIMEOUT:-180}"

  cmd_build
  command -v "$JAVA" >/dev/null || die "java not found (JDK 17+ required)"

  pid="$(read_pid "$port")"
  if is_running "$pid"; then
    die "a local Neo4j is already running on port $port (pid $pid); run: $0 stop $port"
  fi
  rm -f "$pidf"

  if [[ "${NEO4J_KEEP_DATA:-0}" == "1" ]]; then
    mkdir -p "$dir"
  else
    if [[ -d "$dir" && -n "$(ls -A "$dir")" && ! -f "$dir/$DATA_MARKER" ]]; then
      die "refusing to wipe $dir: it is not empty and was not created by this script"
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    touch "$dir/$DATA_MARKER"
  fi

  mkdir -p "$CACHE_DIR"
  : >"$logf"
  (
    cd "$REPO_ROOT"
    exec nohup "$JAVA" "${JVM_OPTS[@]}" -cp "$JAR:$LIB_DIR/*" "$MAIN_CLASS" \
      --port "$port" --data-dir "$dir" </dev/null >>"$logf" 2>&1
  ) &
  pid=$!
  echo "$pid" >"$pidf"

  local ready="NEO4J READY bolt://$HOST:$port" start=$SECONDS
  while ! grep -qxF "$ready" "$logf"; do
    if ! is_alive "$pid"; then
      # Give a just-exited process a moment to flush its last lines.
      sleep 0.2
      if grep -qxF "$ready" "$logf"; then break; fi
      log "Neo4j exited during startup; last 50 lines of $logf:"
      tail -n 50 "$logf" >&2
      rm -f "$pidf"
      exit 1
    fi
    if (( SECONDS - start >= timeout )); then
      log "Neo4j did not become ready within ${timeout}s; last 50 lines of $logf:"
      tail -n 50 "$logf" >&2
      cmd_stop "$port" >/dev/null 2>&1 || true
      exit 1
    fi
    sleep 0.5
  done
  log "ready after $((SECONDS - start))s (pid $pid, data $dir, log $logf)"
  echo "bolt://$HOST:$port"
}

cmd_stop() {
  local port="${1:-${NEO4J_PORT:-7687}}"
  valid_port "$port" || die "invalid port: $port"
  local pidf pid i
  pidf="$(pid_file "$port")"
  pid="$(read_pid "$port")"
  if ! is_running "$pid"; then
    rm -f "$pidf"
    log "not running on port $port"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 600; i++)); do
    is_running "$pid" || break
    sleep 0.1
  done
  if is_running "$pid"; then
    log "pid $pid did not exit within 60s after SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      is_running "$pid" || break
      sleep 0.1
    done
  fi
  # Reap it if it is our own child (the `run` case); harmless otherwise.
  wait "$pid" 2>/dev/null || true
  rm -f "$pidf"
  log "stopped (port $port, pid $pid)"
}

cmd_status() {
  local port="${1:-${NEO4J_PORT:-7687}}"
  local pid
  pid="$(read_pid "$port")"
  if is_running "$pid"; then
    echo "running on bolt://$HOST:$port (pid $pid)"
  else
    echo "not running on port $port"
    return 1
  fi
}

cmd_run() {
  local port="${NEO4J_PORT:-7687}"
  if [[ $# -gt 0 && "$1" != "--" ]]; then
    port="$1"
    shift
  fi
  [[ $# -gt 0 && "$1" == "--" ]] || die "usage: $0 run [port] -- cmd..."
  shift
  [[ $# -gt 0 ]] || die "run: no command given"
  valid_port "$port" || die "invalid port: $port"

  trap 'cmd_stop "$port" || true' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  cmd_start "$port" >/dev/null
  export NEO4J_URI="bolt://$HOST:$port"
  log "NEO4J_URI=$NEO4J_URI"
  local rc=0
  "$@" || rc=$?
  exit "$rc"
}

main() {
  [[ $# -ge 1 ]] || usage
  local cmd="$1"
  shift
  case "$cmd" in
    build) cmd_build ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    run) cmd_run "$@" ;;
    -h | --help | help) usage ;;
    *) log "unknown command: $cmd"; usage ;;
  esac
}

main "$@"
