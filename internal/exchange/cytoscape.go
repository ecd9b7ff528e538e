package exchange

import (
	"bufio"
	"encoding/json"
	"io"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// cyNode is the data of a Cytoscape.js node. The provenance of a fact is
// called "provenance" (not "source", which names an edge's start node in
// Cytoscape).
type cyNode struct {
	ID            string   `json:"id"`
	Label         string   `json:"label"`
	Kind          string   `json:"kind"`
	Description   string   `json:"description,omitempty"`
	Category      string   `json:"category,omitempty"`
	Aliases       []string `json:"aliases,omitempty"`
	Provenance    string   `json:"provenance,omitempty"`
	Illustrative  bool     `json:"illustrative,omitempty"`
	ValidFrom     string   `json:"validFrom,omitempty"`
	ValidTo       string   `json:"validTo,omitempty"`
	Scope         string   `json:"scope,omitempty"`
	MeetingRhythm string   `json:"meetingRhythm,omitempty"`
	OfficialCode  string   `json:"officialCode,omitempty"`
	Order         *int     `json:"order,omitempty"`
	AgeFrom       *int     `json:"ageFrom,omitempty"`
	AgeTo         *int     `json:"ageTo,omitempty"`
	URL           string   `json:"url,omitempty"`
	ContactEmail  string   `json:"contactEmail,omitempty"`
	ContactPhone  string   `json:"contactPhone,omitempty"`
	CreatedAt     string   `json:"createdAt,omitempty"`
	UpdatedAt     string   `json:"updatedAt,omitempty"`
}

// cyEdge is the data of a Cytoscape.js edge.
type cyEdge struct {
	ID           string `json:"id"`
	Source       string `json:"source"`
	Target       string `json:"target"`
	Kind         string `json:"kind"`
	Label        string `json:"label"`
	Role         string `json:"role,omitempty"`
	Agreement    string `json:"agreement,omitempty"`
	Description  string `json:"description,omitempty"`
	Provenance   string `json:"provenance,omitempty"`
	Illustrative bool   `json:"illustrative,omitempty"`
	ValidFrom    string `json:"validFrom,omitempty"`
	ValidTo      string `json:"validTo,omitempty"`
	CreatedAt    string `json:"createdAt,omitempty"`
	UpdatedAt    string `json:"updatedAt,omitempty"`
}

type cyElement[T any] struct {
	Data T `json:"data"`
}

type cyDocument struct {
	Elements struct {
		Nodes []cyElement[cyNode] `json:"nodes"`
		Edges []cyElement[cyEdge] `json:"edges"`
	} `json:"elements"`
}

// WriteCytoscape writes g as Cytoscape.js elements JSON
// ({"elements":{"nodes":[{"data":{…}}],"edges":[{"data":{…}}]}}), which
// cytoscape({elements}) and Cytoscape desktop (File › Import › Network, .cyjs)
// read. Node data has id, label (the name), kind and the other fields; edge
// data has id, source, target, kind and label (the kind). The provenance of
// a fact is in "provenance". Edges whose ends are not both in g are left out.
func WriteCytoscape(w io.Writer, g *landscape.Subgraph) error {
	doc := DocumentOf(g)
	var out cyDocument
	out.Elements.Nodes = []cyElement[cyNode]{}
	out.Elements.Edges = []cyElement[cyEdge]{}
	doc = connected(doc)
	for _, n := range doc.Nodes {
		out.Elements.Nodes = append(out.Elements.Nodes, cyElement[cyNode]{cyNode{
			ID: n.ID, Label: n.Name, Kind: string(n.Kind), Description: n.Description, Category: n.Category,
			Aliases: n.Aliases, Provenance: n.Source, Illustrative: n.Illustrative, ValidFrom: dateText(n.ValidFrom),
			ValidTo: dateText(n.ValidTo), Scope: n.Scope, MeetingRhythm: n.MeetingRhythm, OfficialCode: n.OfficialCode,
			Order: n.Order, AgeFrom: n.AgeFrom, AgeTo: n.AgeTo, URL: n.URL, ContactEmail: n.ContactEmail,
			ContactPhone: n.ContactPhone, CreatedAt: timeText(n.CreatedAt),
			UpdatedAt: timeText(n.UpdatedAt),
		}})
	}
	for _, e := range doc.Edges {
		out.Elements.Edges = append(out.Elements.Edges, cyElement[cyEdge]{cyEdge{
			ID: e.ID, Source: e.From, Target: e.To, Kind: string(e.Kind), Label: string(e.Kind), Role: e.Role,
			Agreement: e.Agreement, Description: e.Description, Provenance: e.Source, Illustrative: e.Illustrative,
			ValidFrom: dateText(e.ValidFrom), ValidTo: dateText(e.ValidTo), CreatedAt: timeText(e.CreatedAt),
			UpdatedAt: timeText(e.UpdatedAt),
		}})
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return landscape.Wrap(landscape.EInternal, err, "cannot write Cytoscape JSON: %v", err)
	}
	return flush(bw)
}
