package exchange

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"io"
	"strings"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// NodeColumns are the columns of the node table, in order.
var NodeColumns = []string{"id", "kind", "name", "description", "category", "aliases", "source", "illustrative",
	"validFrom", "validTo", "scope", "meetingRhythm", "officialCode", "order", "ageFrom", "ageTo", "url", "contactEmail", "contactPhone",
	"createdAt", "updatedAt"}

// EdgeColumns are the columns of the edge table, in order.
var EdgeColumns = []string{"id", "from", "to", "kind", "role", "agreement", "description", "source", "illustrative",
	"validFrom", "validTo", "createdAt", "updatedAt"}

// CSVOptions shape the CSV tables. The zero value writes RFC 4180 tables
// with ',' and LF line ends and no byte order mark, as Gephi, Kumu and
// scripts read them.
type CSVOptions struct {
	// Comma is the separator; 0 means ','.
	Comma rune
	// BOM writes a UTF-8 byte order mark first, so that Excel detects UTF-8.
	BOM bool
	// CRLF ends lines with CR LF.
	CRLF bool
}

// ExcelCSV is the form German Excel opens with a double click: ';', a byte
// order mark and CR LF.
var ExcelCSV = CSVOptions{Comma: ';', BOM: true, CRLF: true}

// WriteNodesCSV writes the node table of g (NodeColumns), sorted by id.
func WriteNodesCSV(w io.Writer, g *landscape.Subgraph) error {
	return WriteNodesCSVWith(w, g, CSVOptions{})
}

// WriteEdgesCSV writes the edge table of g (EdgeColumns), sorted by id.
func WriteEdgesCSV(w io.Writer, g *landscape.Subgraph) error {
	return WriteEdgesCSVWith(w, g, CSVOptions{})
}

// WriteNodesCSVWith writes the node table of g in the form opts gives.
func WriteNodesCSVWith(w io.Writer, g *landscape.Subgraph, opts CSVOptions) error {
	doc := DocumentOf(g)
	rows := make([][]string, 0, len(doc.Nodes))
	for _, n := range doc.Nodes {
		rows = append(rows, []string{n.ID, string(n.Kind), n.Name, n.Description, n.Category, joinMulti(n.Aliases), n.Source,
			boolText(n.Illustrative), dateText(n.ValidFrom), dateText(n.ValidTo), n.Scope, n.MeetingRhythm, n.OfficialCode,
			intText(n.Order), intText(n.AgeFrom), intText(n.AgeTo), n.URL, n.ContactEmail, n.ContactPhone, timeText(n.CreatedAt), timeText(n.UpdatedAt)})
	}
	return writeTable(w, NodeColumns, rows, opts)
}

// WriteEdgesCSVWith writes the edge table of g in the form opts gives.
func WriteEdgesCSVWith(w io.Writer, g *landscape.Subgraph, opts CSVOptions) error {
	doc := DocumentOf(g)
	rows := make([][]string, 0, len(doc.Edges))
	for _, e := range doc.Edges {
		rows = append(rows, []string{e.ID, e.From, e.To, string(e.Kind), e.Role, e.Agreement, e.Description, e.Source,
			boolText(e.Illustrative), dateText(e.ValidFrom), dateText(e.ValidTo), timeText(e.CreatedAt), timeText(e.UpdatedAt)})
	}
	return writeTable(w, EdgeColumns, rows, opts)
}

// WriteCSV writes the node table of g to nodes and its edge table to
// edges, as two files.
func WriteCSV(nodes, edges io.Writer, g *landscape.Subgraph, opts CSVOptions) error {
	if err := WriteNodesCSVWith(nodes, g, opts); err != nil {
		return err
	}
	return WriteEdgesCSVWith(edges, g, opts)
}

// WriteCSVZip writes a zip file holding nodes.csv and edges.csv. The
// entries carry the latest update time of g, so equal graphs give equal
// bytes.
func WriteCSVZip(w io.Writer, g *landscape.Subgraph, opts CSVOptions) error {
	doc := DocumentOf(g)
	sg := SubgraphOf(doc)
	mod := maxUpdated(doc.Nodes, doc.Edges)
	zw := zip.NewWriter(w)
	for _, f := range []struct {
		name  string
		write func(io.Writer, *landscape.Subgraph, CSVOptions) error
	}{{"nodes.csv", WriteNodesCSVWith}, {"edges.csv", WriteEdgesCSVWith}} {
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: mod}
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return landscape.Wrap(landscape.EUnavailable, err, "cannot write the zip file: %v", err)
		}
		if err := f.write(fw, sg, opts); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return landscape.Wrap(landscape.EUnavailable, err, "cannot write the zip file: %v", err)
	}
	return nil
}

func writeTable(w io.Writer, header []string, rows [][]string, opts CSVOptions) error {
	bw := bufio.NewWriter(w)
	if opts.BOM {
		bw.WriteString("\uFEFF")
	}
	cw := csv.NewWriter(bw)
	if opts.Comma != 0 {
		cw.Comma = opts.Comma
	}
	cw.UseCRLF = opts.CRLF
	if err := cw.Write(header); err != nil {
		return landscape.Wrap(landscape.EInvalid, err, "cannot write CSV: %v", err)
	}
	for _, row := range rows {
		for i, v := range row {
			row[i] = guardFormula(v)
		}
		if err := cw.Write(row); err != nil {
			return landscape.Wrap(landscape.EInvalid, err, "cannot write CSV: %v", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return landscape.Wrap(landscape.EUnavailable, err, "cannot write the export: %v", err)
	}
	return flush(bw)
}

// formulaStart reports whether a spreadsheet would take a cell with text s
// as a formula: it starts with = + - or @, after any apostrophes.
func formulaStart(s string) bool {
	s = strings.TrimLeft(s, "'")
	return s != "" && strings.ContainsRune("=+-@", rune(s[0]))
}

// guardFormula puts an apostrophe before text that a spreadsheet would run
// as a formula (and before text that starts with apostrophes and then such a
// character, so that unguardFormula is its inverse).
func guardFormula(s string) string {
	if formulaStart(s) {
		return "'" + s
	}
	return s
}

// unguardFormula removes the apostrophe guardFormula adds.
func unguardFormula(s string) string {
	if strings.HasPrefix(s, "'") && formulaStart(s) {
		return s[1:]
	}
	return s
}
