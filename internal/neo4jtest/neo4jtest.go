// Package neo4jtest starts and stops local Neo4j servers for tests, through
// scripts/neo4j-local.sh (Neo4j 5.26 embedded, Bolt on 127.0.0.1, auth off).
// Tests that stop and restart Neo4j use a server of their own on a port of
// their own, apart from the one the test command starts.
package neo4jtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// script is scripts/neo4j-local.sh of this repository.
func script(tb testing.TB) string {
	tb.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		tb.Fatal("neo4jtest: cannot locate the repository")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "scripts", "neo4j-local.sh")
}

// Local runs scripts/neo4j-local.sh with args ("start", "7697"; "stop",
// "7697"; …) and the environment plus env, and fails tb when it fails.
func Local(tb testing.TB, env []string, args ...string) {
	tb.Helper()
	cmd := exec.Command("bash", append([]string{script(tb)}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("neo4j-local.sh %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}
