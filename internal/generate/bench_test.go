package generate_test

import (
	"io"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/generate"
)

// BenchmarkGenerate generates and writes the landscape of scale 1.
func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		doc, err := generate.Generate(generate.Options{Scale: 1, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		if err := generate.WriteJSON(io.Discard, doc); err != nil {
			b.Fatal(err)
		}
	}
}
