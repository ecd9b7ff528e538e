package exchange

import (
	"fmt"
	"io"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// gexfType maps the attribute types to GEXF 1.3 attribute types.
var gexfType = map[string]string{"string": "string", "boolean": "boolean", "int": "integer"}

// WriteGEXF writes g as GEXF 1.3 for Gephi: a directed graph in mode
// "dynamic" with timeformat "date", each node and edge living from its
// validFrom to its validTo (both inclusive; an open end is left out), the
// node name as label, the edge kind as label and kind, every field as a
// typed static attribute (string, boolean, integer; dates, times and
// aliases as strings), and a <meta> with creator "bildungsgraph", a
// description and the date of the latest change. Edges whose ends are not
// both in g are left out. It validates against the GEXF 1.3 schema, and
// networkx read_gexf and Gephi read it.
func WriteGEXF(w io.Writer, g *landscape.Subgraph) error {
	doc := connected(DocumentOf(g))
	x := newXMLWriter(w)
	x.start("gexf",
		"xmlns", "http://gexf.net/1.3",
		"xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance",
		"xsi:schemaLocation", "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd",
		"version", "1.3")
	var modified string
	if t := maxUpdated(doc.Nodes, doc.Edges); !t.IsZero() {
		modified = t.Format("2006-01-02")
	}
	x.start("meta", "lastmodifieddate", modified)
	x.elem("creator", "bildungsgraph")
	x.elem("description", fmt.Sprintf("Kommunale Bildungslandschaft: %d Knoten, %d Kanten (bildungsgraph-Export)",
		len(doc.Nodes), len(doc.Edges)))
	x.end("meta")

	x.start("graph", "defaultedgetype", "directed", "mode", "dynamic", "timeformat", "date")
	for _, class := range []struct {
		name  string
		attrs []attribute
	}{{"node", nodeAttributes}, {"edge", edgeAttributes}} {
		x.start("attributes", "class", class.name, "mode", "static")
		for _, a := range class.attrs {
			x.elem("attribute", "", "id", a.name, "title", a.name, "type", gexfType[a.typ])
		}
		x.end("attributes")
	}
	x.start("nodes", "count", fmt.Sprint(len(doc.Nodes)))
	for _, n := range doc.Nodes {
		x.start("node", "id", n.ID, "label", n.Name, "start", dateText(n.ValidFrom), "end", dateText(n.ValidTo))
		attvalues(x, nodeAttributes, nodeValues(n))
		x.end("node")
	}
	x.end("nodes")
	x.start("edges", "count", fmt.Sprint(len(doc.Edges)))
	for _, e := range doc.Edges {
		x.start("edge", "id", e.ID, "source", e.From, "target", e.To, "label", string(e.Kind), "kind", string(e.Kind),
			"start", dateText(e.ValidFrom), "end", dateText(e.ValidTo))
		attvalues(x, edgeAttributes, edgeValues(e))
		x.end("edge")
	}
	x.end("edges")
	x.end("graph")
	x.end("gexf")
	return x.close()
}

func attvalues(x *xmlWriter, attrs []attribute, values []string) {
	x.start("attvalues")
	for i, v := range values {
		if v != "" {
			x.elem("attvalue", "", "for", attrs[i].name, "value", v)
		}
	}
	x.end("attvalues")
}
