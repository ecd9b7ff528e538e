package exchange

import (
	"io"
	"strings"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Format is an export format.
type Format string

// The export formats.
const (
	FormatJSON      Format = "json"      // the bildungsgraph/v1 document
	FormatCSVNodes  Format = "csv-nodes" // the node table
	FormatCSVEdges  Format = "csv-edges" // the edge table
	FormatCSVZip    Format = "csv-zip"   // both tables, nodes.csv and edges.csv, in a zip file
	FormatGraphML   Format = "graphml"   // GraphML for yEd, Cytoscape, networkx
	FormatGEXF      Format = "gexf"      // GEXF 1.3 for Gephi
	FormatCytoscape Format = "cytoscape" // Cytoscape.js elements JSON
)

// Formats lists every export format.
var Formats = []Format{FormatJSON, FormatCSVNodes, FormatCSVEdges, FormatCSVZip, FormatGraphML, FormatGEXF, FormatCytoscape}

// ParseFormat parses a format name, ignoring case and surrounding space. It
// returns an EInvalid error naming the field "format" for an unknown name.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	for _, g := range Formats {
		if f == g {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, g := range Formats {
		names[i] = string(g)
	}
	return "", landscape.Errorf(landscape.EInvalid, "format", "unknown export format %q; one of %s", s, strings.Join(names, ", "))
}

// ContentType returns the media type of f for an HTTP response.
func (f Format) ContentType() string {
	switch f {
	case FormatJSON, FormatCytoscape:
		return "application/json; charset=utf-8"
	case FormatCSVNodes, FormatCSVEdges:
		return "text/csv; charset=utf-8"
	case FormatCSVZip:
		return "application/zip"
	case FormatGraphML:
		return "application/graphml+xml; charset=utf-8"
	case FormatGEXF:
		return "application/gexf+xml; charset=utf-8"
	}
	return "application/octet-stream"
}

// Extension returns the file name extension of f, with the dot.
func (f Format) Extension() string {
	switch f {
	case FormatJSON:
		return ".json"
	case FormatCytoscape:
		return ".cyjs"
	case FormatCSVNodes, FormatCSVEdges:
		return ".csv"
	case FormatCSVZip:
		return ".zip"
	case FormatGraphML:
		return ".graphml"
	case FormatGEXF:
		return ".gexf"
	}
	return ""
}

// Filename returns a file name for an export in format f: base with the
// table name for the CSV tables and the extension ("landkreis-os-nodes.csv").
func (f Format) Filename(base string) string {
	switch f {
	case FormatCSVNodes:
		base += "-nodes"
	case FormatCSVEdges:
		base += "-edges"
	}
	return base + f.Extension()
}

// Write writes g in format f; CSV with the default CSVOptions.
func (f Format) Write(w io.Writer, g *landscape.Subgraph) error {
	switch f {
	case FormatJSON:
		return WriteJSON(w, g)
	case FormatCSVNodes:
		return WriteNodesCSV(w, g)
	case FormatCSVEdges:
		return WriteEdgesCSV(w, g)
	case FormatCSVZip:
		return WriteCSVZip(w, g, CSVOptions{})
	case FormatGraphML:
		return WriteGraphML(w, g)
	case FormatGEXF:
		return WriteGEXF(w, g)
	case FormatCytoscape:
		return WriteCytoscape(w, g)
	}
	_, err := ParseFormat(string(f))
	return err
}
