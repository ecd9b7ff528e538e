package server

import (
	"os"
	"runtime/debug"
)

// GCPercentRemote is the garbage collector's target (GOGC) that TuneGC sets
// for a server whose store keeps the landscape outside the process.
const GCPercentRemote = 400

// TuneGC sets the garbage collector's target of a server process whose
// store keeps none of the landscape in the process (the Neo4j store),
// unless the environment sets GOGC; it reports whether it set it. Such a
// server's live heap is small (about 20 MB under load at Niedersachsen
// scale) and nearly all it allocates is the garbage of requests: at Go's
// default target of 100 the collector runs every few requests. At 400 it
// runs a quarter as often, for some tens of MB more (BENCHMARKS.md, the
// GC item). A server over the embedded store keeps the default: its live
// heap is the landscape itself (140 MB), which the target multiplies.
func TuneGC(remoteStore bool) bool {
	if !remoteStore || os.Getenv("GOGC") != "" {
		return false
	}
	debug.SetGCPercent(GCPercentRemote)
	return true
}
