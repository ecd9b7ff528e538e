package server_test

import (
	"runtime/debug"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/server"
)

func TestTuneGC(t *testing.T) {
	restore := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(restore) })
	for _, tc := range []struct {
		name   string
		remote bool
		gogc   string
		want   int
	}{
		{"remote store", true, "", server.GCPercentRemote},
		{"remote store, GOGC set", true, "150", 123},
		{"embedded store", false, "", 123},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOGC", tc.gogc)
			debug.SetGCPercent(123)
			set := server.TuneGC(tc.remote)
			if got := debug.SetGCPercent(100); got != tc.want || set != (tc.want == server.GCPercentRemote) {
				t.Errorf("TuneGC(%v) with GOGC=%q: target %d (set %v), want %d", tc.remote, tc.gogc, got, set, tc.want)
			}
		})
	}
}
