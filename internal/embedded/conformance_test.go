package embedded_test

import (
	"path/filepath"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/embedded"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
	"github.com/bildungsgraph/bildungsgraph/internal/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) landscape.Store {
		s, err := embedded.Open(filepath.Join(t.TempDir(), "test.db"))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		// storetest closes the store; closing again is harmless.
		t.Cleanup(func() { s.Close() })
		return s
	})
}
