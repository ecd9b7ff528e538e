package storetest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/exchange"
)

// testExchange checks that export and import, which work through the Store
// interface only, round-trip on the store: export → import into an empty
// store → export gives the identical JSON document, timestamps included, and
// importing it once more changes nothing.
func testExchange(t *testing.T, open opener) {
	ctx, s := seedLandscape(t, open)
	export := func() []byte {
		t.Helper()
		g, err := exchange.Select(ctx, s, exchange.Selection{})
		if err != nil {
			t.Fatalf("select: %v", err)
		}
		var buf bytes.Buffer
		if err := exchange.WriteJSON(&buf, g); err != nil {
			t.Fatalf("write JSON: %v", err)
		}
		return buf.Bytes()
	}
	first := export()

	s = newStore(t, open) // empty again
	in, err := exchange.ReadJSON(bytes.NewReader(first), "landscape.json")
	if err != nil {
		t.Fatalf("read JSON: %v", err)
	}
	rep, err := exchange.Import(ctx, s, []*exchange.Input{in}, exchange.Options{})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if got, want := len(rep.Result.Nodes)+len(rep.Result.Edges), len(landscapeNodeIDs)+len(landscapeEdgeIDs); got != want {
		t.Errorf("import wrote %d nodes and edges, want %d", got, want)
	}
	if second := export(); !bytes.Equal(first, second) {
		a, b := strings.Split(string(first), "\n"), strings.Split(string(second), "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("export after import differs at line %d:\n  %s\n  %s", i+1, a[i], b[i])
			}
		}
		t.Fatalf("export after import differs in length: %d vs %d lines", len(a), len(b))
	}
	rep, err = exchange.Import(ctx, s, []*exchange.Input{in}, exchange.Options{})
	if err != nil {
		t.Fatalf("second import: %v", err)
	}
	if !rep.Result.Empty() || rep.Result.Unchanged != len(landscapeNodeIDs)+len(landscapeEdgeIDs) {
		t.Errorf("second import wrote %d nodes, %d edges, %d unchanged; want nothing written",
			len(rep.Result.Nodes), len(rep.Result.Edges), rep.Result.Unchanged)
	}
}
