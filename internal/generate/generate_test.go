package generate_test

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/data"
	"github.com/bildungsgraph/bildungsgraph/internal/embedded"
	"github.com/bildungsgraph/bildungsgraph/internal/exchange"
	"github.com/bildungsgraph/bildungsgraph/internal/generate"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

func gen(t *testing.T, scale float64, seed uint64) *landscape.Document {
	t.Helper()
	doc, err := generate.Generate(generate.Options{Scale: scale, Seed: seed})
	if err != nil {
		t.Fatalf("Generate(scale %v, seed %d): %v", scale, seed, err)
	}
	return doc
}

func encode(t *testing.T, doc *landscape.Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := generate.WriteJSON(&buf, doc); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDeterministic(t *testing.T) {
	a := encode(t, gen(t, 0.03, 7))
	b := encode(t, gen(t, 0.03, 7))
	if !bytes.Equal(a, b) {
		t.Fatal("the same options gave different documents")
	}
	if c := encode(t, gen(t, 0.03, 8)); bytes.Equal(a, c) {
		t.Fatal("seeds 7 and 8 gave the same document")
	}
}

func TestCounts(t *testing.T) {
	for _, scale := range []float64{0.01, 0.05} {
		doc := gen(t, scale, 1)
		got, want := generate.CountsOf(doc), generate.Targets(scale)
		// Everything but the actors is met exactly; actors within 10 %.
		gotActors, wantActors := got.Actors, want.Actors
		got.Actors, want.Actors = 0, 0
		if got != want {
			t.Errorf("scale %v: counts %+v, want %+v", scale, got, want)
		}
		if math.Abs(float64(gotActors-wantActors)) > 0.1*float64(wantActors) {
			t.Errorf("scale %v: %d actors, want %d ± 10 %%", scale, gotActors, wantActors)
		}
		// About 300,000 edges at scale 1, so 300,000 × scale within 15 %.
		wantEdges := 300_000 * scale
		if e := float64(len(doc.Edges)); math.Abs(e-wantEdges) > 0.15*wantEdges {
			t.Errorf("scale %v: %d edges, want %.0f ± 15 %%", scale, len(doc.Edges), wantEdges)
		}
		kinds := map[landscape.EdgeKind]int{}
		for _, e := range doc.Edges {
			kinds[e.Kind]++
		}
		for _, k := range landscape.EdgeKinds {
			if kinds[k] == 0 {
				t.Errorf("scale %v: no %s edge", scale, k)
			}
		}
	}
	if c := generate.Targets(1); c.Districts != 45 || c.Municipalities != 950 || c.Schools != 3000 || c.Kitas != 5500 ||
		c.Offers != 20000 || c.Committees != 500 || c.Actors != 20000 {
		t.Errorf("Targets(1) = %+v, not Niedersachsen", c)
	}
}

func TestRejectsScale(t *testing.T) {
	for _, s := range []float64{0, -1, math.NaN(), generate.MaxScale + 1} {
		if _, err := generate.Generate(generate.Options{Scale: s, Seed: 1}); err == nil {
			t.Errorf("scale %v accepted", s)
		}
	}
}

// TestValid checks every node and edge against the domain (Resolve against
// an empty store), the source and illustrative marks, actor names and that
// no id collides with the sample landscape.
func TestValid(t *testing.T) {
	doc := gen(t, 0.05, 3)
	res, err := landscape.Resolve(doc.Changeset(), landscape.State{}, time.Now())
	if err != nil {
		for i, p := range landscape.Problems(err) {
			if i == 10 {
				break
			}
			t.Error(p.Field, p.Message)
		}
		t.Fatal("the document does not resolve")
	}
	if len(res.Nodes) != len(doc.Nodes) || len(res.Edges) != len(doc.Edges) {
		t.Fatalf("resolve writes %d nodes and %d edges of %d and %d", len(res.Nodes), len(res.Edges), len(doc.Nodes), len(doc.Edges))
	}
	src := generate.Source(3)
	if src != "Generator bildungsgraph (synthetisch), Seed 3" {
		t.Errorf("source %q", src)
	}
	for _, n := range doc.Nodes {
		if n.Source != src || !n.Illustrative {
			t.Fatalf("node %s: source %q, illustrative %v", n.ID, n.Source, n.Illustrative)
		}
	}
	for _, e := range doc.Edges {
		if e.Source != src || !e.Illustrative {
			t.Fatalf("edge %s: source %q, illustrative %v", e.ID, e.Source, e.Illustrative)
		}
	}
	sample, err := data.Sample()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, n := range doc.Nodes {
		ids[n.ID] = true
	}
	for _, n := range sample.Nodes {
		if ids[n.ID] {
			t.Errorf("generated id %q is a node of the sample landscape", n.ID)
		}
	}
}

// TestImport writes the document to files, imports them with the JSON
// import into the embedded store, and imports them again (nothing changes).
// The file is split when it is above the size limit.
func TestImport(t *testing.T) {
	doc := gen(t, 0.02, 1)
	dir := t.TempDir()
	files, err := generate.WriteFiles(filepath.Join(dir, "landscape.json"), doc, 200_000)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 {
		t.Fatalf("a document of %d edges in files of 200 kB: %d file(s)", len(doc.Edges), len(files))
	}
	var inputs []*exchange.Input
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > 200_000 {
			t.Errorf("%s has %d bytes", f, len(b))
		}
		in, err := exchange.ReadJSON(bytes.NewReader(b), filepath.Base(f))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range in.Problems {
			t.Errorf("%s: %s", p.Field, p.Message)
		}
		inputs = append(inputs, in)
	}
	s, err := embedded.Open(filepath.Join(dir, "landscape.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	rep, err := exchange.Import(ctx, s, inputs, exchange.Options{})
	if err != nil {
		t.Fatalf("import: %v", landscape.Problems(err))
	}
	if len(rep.Result.Nodes) != len(doc.Nodes) || len(rep.Result.Edges) != len(doc.Edges) {
		t.Fatalf("import wrote %d nodes and %d edges of %d and %d", len(rep.Result.Nodes), len(rep.Result.Edges), len(doc.Nodes), len(doc.Edges))
	}
	again, err := exchange.Import(ctx, s, inputs, exchange.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !again.Result.Empty() || again.Result.Unchanged != len(doc.Nodes)+len(doc.Edges) {
		t.Errorf("re-import wrote %d nodes and %d edges, %d unchanged", len(again.Result.Nodes), len(again.Result.Edges), again.Result.Unchanged)
	}
	// The stored landscape reads back: the district has its municipalities.
	adj, err := s.Adjacent(ctx, landscape.AdjacencyQuery{NodeIDs: []string{"k03459"}, Direction: landscape.DirIn, Kinds: []landscape.EdgeKind{landscape.PartOf}})
	if err != nil {
		t.Fatal(err)
	}
	if len(adj["k03459"]) < 3 {
		t.Errorf("Landkreis Osnabrück has %d parts", len(adj["k03459"]))
	}
}

// TestWriteJSON checks the shape of the output: one item a line, default
// edge ids and unset timestamps left out, and one file equal to the
// stream when it fits.
func TestWriteJSON(t *testing.T) {
	doc := gen(t, 0.01, 1)
	b := encode(t, doc)
	if _, err := landscape.ParseDocument(b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(string(b), "\n")
	if want := len(doc.Nodes) + len(doc.Edges) + 5; lines != want {
		t.Errorf("%d lines, want %d", lines, want)
	}
	if strings.Contains(string(b), `"id":"`+doc.Edges[0].ID+`"`) || strings.Contains(string(b), "0001-01-01") {
		t.Error("default edge ids or zero timestamps are written")
	}
	path := filepath.Join(t.TempDir(), "x.json")
	files, err := generate.WriteFiles(path, doc, 0)
	if err != nil || len(files) != 1 {
		t.Fatalf("WriteFiles: %v, %v", files, err)
	}
	if f, _ := os.ReadFile(path); !bytes.Equal(f, b) {
		t.Error("the file differs from the stream")
	}
}
