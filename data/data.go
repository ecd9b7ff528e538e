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

// SampleChangeset returns the sample as a changeset that upserts every node
// and edge, ready for landscape.Resolve or a store's Apply.
func SampleChangeset() (*landscape.Changeset, error) {
	doc, err := Sample()
	if err != nil {
		return nil, err
	}
	return UpsertAll(doc), nil
}

// UpsertAll returns a changeset that upserts every node and edge of doc.
func UpsertAll(doc *landscape.Document) *landscape.Changeset {
	cs := &landscape.Changeset{
		Nodes: make([]landscape.NodeChange, 0, len(doc.Nodes)),
		Edges: make([]landscape.EdgeChange, 0, len(doc.Edges)),
	}
	for _, n := range doc.Nodes {
		cs.Nodes = append(cs.Nodes, landscape.NodeChange{Op: landscape.OpUpsert, Node: n})
	}
	for _, e := range doc.Edges {
		cs.Edges = append(cs.Edges, landscape.EdgeChange{Op: landscape.OpUpsert, Edge: e})
	}
	return cs
}
