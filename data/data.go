// Package data holds the sample landscape of bildungsgraph: the facts of the
// source documents (Landkreis Osnabrück, Stadt Osnabrück, Landkreis
// Cloppenburg) plus illustrative offers that make a Förderkette and its gaps
// visible. The server loads it on first start.
package data

import (
	_ "embed"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// SampleLandscape is the sample landscape as a bildungsgraph/v1 JSON document.
//
//go:embed sample/landscape.json
var SampleLandscape []byte

// IllustrativeSource is the source of every node and edge of the sample that
// no document states (Illustrative is set on them).
const IllustrativeSource = "Illustratives Beispiel (in den Quelldokumenten nicht genannt)"

// Sample parses SampleLandscape. Each call returns a fresh document.
func Sample() (*landscape.Document, error) {
	return landscape.ParseDocument(SampleLandscape)
}
