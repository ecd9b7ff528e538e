package exchange

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// column is a field of a table and the header names that mean it.
type column struct {
	field    string   // the field, as in NodeColumns and EdgeColumns
	names    []string // header names besides the field name, compared folded
	required bool
}

// The columns of the node table. Header names are compared folded (see
// fold): case, spaces, '_', '-', '.' do not matter and umlauts may be
// written ae/oe/ue/ss.
var nodeTableColumns = []column{
	{"id", []string{"Kennung", "Knoten-ID", "node id", "key"}, true},
	{"kind", []string{"Type", "Typ", "Art", "Knotentyp", "node type", "Knotenart"}, true},
	{"name", []string{"Label", "Bezeichnung", "Titel", "Title"}, true},
	{"description", []string{"Beschreibung", "desc", "Erläuterung"}, false},
	{"category", []string{"Kategorie", "Unterart", "Subtyp", "subtype"}, false},
	{"aliases", []string{"alias", "Aliasse", "Abkürzung", "Abkürzungen", "Kürzel", "weitere Namen", "other names"}, false},
	{"source", []string{"Quelle", "Quellen", "Beleg", "Nachweis"}, true},
	{"illustrative", []string{"illustrativ", "Beispiel", "Beispieldaten", "fiktiv", "example"}, false},
	{"validFrom", []string{"gültig ab", "gültig von", "seit", "Beginn", "start", "valid from", "von"}, false},
	{"validTo", []string{"gültig bis", "bis", "Ende", "end", "valid to", "valid until"}, false},
	{"scope", []string{"Reichweite", "Geltungsbereich"}, false},
	{"meetingRhythm", []string{"Sitzungsrhythmus", "Rhythmus", "Turnus", "Tagungsrhythmus", "meeting rhythm"}, false},
	{"officialCode", []string{"AGS", "ARS", "Gemeindeschlüssel", "amtlicher Gemeindeschlüssel", "Regionalschlüssel",
		"amtlicher Regionalschlüssel", "official code"}, false},
	{"order", []string{"Reihenfolge", "Position", "Rang"}, false},
	{"ageFrom", []string{"Alter von", "Alter ab", "Mindestalter", "age from", "min age"}, false},
	{"ageTo", []string{"Alter bis", "Höchstalter", "age to", "max age"}, false},
	{"url", []string{"Website", "Webseite", "Homepage", "Link", "Internet", "Web"}, false},
	{"contactEmail", []string{"E-Mail", "Email", "Mail", "Kontakt E-Mail", "Kontakt-E-Mail", "contact email"}, false},
	{"contactPhone", []string{"Telefon", "Tel", "Tel.", "Telefonnummer", "Phone", "Kontakt Telefon", "contact phone"}, false},
	{"createdAt", []string{"erstellt", "erstellt am", "angelegt", "created"}, false},
	{"updatedAt", []string{"geändert", "geändert am", "aktualisiert", "updated"}, false},
}

// The columns of the edge table. "Source" means the start of the edge
// (Gephi) unless another column names the start; see edgeSourceIsFrom.
var edgeTableColumns = []column{
	{"id", []string{"Kennung", "Kanten-ID", "edge id", "key"}, false},
	{"from", []string{"von", "Ausgangsknoten", "Quellknoten", "source node"}, true},
	{"to", []string{"Target", "nach", "zu", "Ziel", "Zielknoten", "target node"}, true},
	{"kind", []string{"Type", "Typ", "Art", "Beziehung", "Beziehungsart", "Beziehungstyp", "relation", "relationship",
		"Kantentyp", "connection type", "edge type"}, true},
	{"role", []string{"Rolle", "Funktion"}, false},
	{"agreement", []string{"Vereinbarung", "Vertrag", "Kooperationsvereinbarung", "Kooperationsvertrag"}, false},
	{"description", []string{"Beschreibung", "desc", "Erläuterung"}, false},
	{"source", []string{"Quelle", "Quellen", "Beleg", "Nachweis"}, true},
	{"illustrative", []string{"illustrativ", "Beispiel", "Beispieldaten", "fiktiv", "example"}, false},
	{"validFrom", []string{"gültig ab", "gültig von", "seit", "Beginn", "valid from"}, false},
	{"validTo", []string{"gültig bis", "bis", "Ende", "valid to", "valid until"}, false},
	{"createdAt", []string{"erstellt", "erstellt am", "angelegt", "created"}, false},
	{"updatedAt", []string{"geändert", "geändert am", "aktualisiert", "updated"}, false},
}

// columnIndex maps folded header names to fields.
func columnIndex(cols []column) map[string]string {
	m := map[string]string{}
	for _, c := range cols {
		m[fold(c.field)] = c.field
		for _, n := range c.names {
			m[fold(n)] = c.field
		}
	}
	return m
}

var (
	nodeColumnIndex = columnIndex(nodeTableColumns)
	edgeColumnIndex = columnIndex(edgeTableColumns)
)

// table is a CSV file being read.
type table struct {
	in     *Input
	lines  *lineIndex
	r      *csv.Reader
	header []string
	fields []string // field of each header column; "" for ignored columns
}

// maxSyntaxErrors is how many CSV syntax errors a file may have before
// reading stops.
const maxSyntaxErrors = 50

// openTable reads the header of a CSV file and maps its columns.
func openTable(r io.Reader, name string, cols []column, index map[string]string, edges bool) (*table, error) {
	data, err := readAll(r, name)
	if err != nil {
		return nil, err
	}
	text, warning, err := decodeText(data, name)
	if err != nil {
		return nil, err
	}
	in := newInput(name)
	if warning != nil {
		in.Warnings = append(in.Warnings, warning)
	}
	if len(bytes.TrimSpace(text)) == 0 {
		return nil, &landscape.Error{Code: landscape.EInvalid, Field: name,
			Message: fmt.Sprintf("the file is empty: its first line must name the columns (%s)", requiredNames(cols))}
	}
	t := &table{in: in, lines: newLineIndex(text)}
	t.r = csv.NewReader(bytes.NewReader(text))
	t.r.Comma = detectSeparator(text)
	t.r.FieldsPerRecord = -1
	header, err := t.r.Read()
	if err != nil {
		return nil, t.syntaxError(err)
	}
	t.header = header
	t.fields = make([]string, len(header))

	sourceIsFrom := edges && !slices.ContainsFunc(header, func(h string) bool {
		f := fold(h)
		return f != "source" && index[f] == "from"
	})
	var problems []*landscape.Error
	seen := map[string]int{}
	for i, h := range header {
		pos := t.pos(i, "")
		f := index[fold(h)]
		if edges && fold(h) == "source" {
			f = "source"
			if sourceIsFrom {
				f = "from"
			}
		}
		switch {
		case strings.TrimSpace(h) == "":
			// An unnamed column, often an empty one Excel left: ignored.
			continue
		case f == "":
			in.warn(pos, "unknown column %q is ignored; known columns: %s", h, columnNames(cols))
			continue
		}
		if j, dup := seen[f]; dup {
			problems = append(problems, problemAt(pos, fmt.Sprintf("column %q is the %s column again (column %q, %s); keep one of them",
				h, f, header[j], t.pos(j, "").String())))
			continue
		}
		seen[f] = i
		t.fields[i] = f
	}
	for _, c := range cols {
		if _, ok := seen[c.field]; c.required && !ok {
			msg := fmt.Sprintf("the header has no %s column; name one %s", c.field, quoteNames(c))
			if edges && c.field == "source" && sourceIsFrom {
				msg = `the header has no column for the source of each fact ("Quelle"): "Source" is read as the start ` +
					`of the edge, as in Gephi; add a column "Quelle", or name the start "from" and keep "source"`
			}
			problems = append(problems, problemAt(Pos{File: name, Line: 1}, msg))
		}
	}
	if err := combine(problems); err != nil {
		return nil, err
	}
	return t, nil
}

// rows calls row for every record after the header that has a value,
// with a cell getter, and collects syntax errors as problems.
func (t *table) rows(row func(record []string, line int)) {
	syntaxErrors := 0
	for {
		record, err := t.r.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.in.probs = append(t.in.probs, located{t.errPos(err), t.syntaxError(err)})
			if syntaxErrors++; syntaxErrors >= maxSyntaxErrors {
				t.in.probs = append(t.in.probs, located{Pos{File: t.in.Name}, problemAt(Pos{File: t.in.Name},
					"too many CSV syntax errors; reading stopped")})
				return
			}
			continue
		}
		if !slices.ContainsFunc(record, func(s string) bool { return strings.TrimSpace(s) != "" }) {
			continue
		}
		line, _ := t.r.FieldPos(0)
		for i := len(t.header); i < len(record); i++ {
			if strings.TrimSpace(record[i]) != "" {
				t.in.problem("", t.pos(i, ""), "this row has %d cells but the header names only %d columns: "+
					"put values that contain %q in quotes", len(record), len(t.header), t.r.Comma)
				break
			}
		}
		row(record, line)
	}
}

// cells returns the values of a record's mapped columns by field, and
// records their positions under prefix ("nodes[3]").
func (t *table) cells(record []string, line int, prefix string) map[string]cell {
	t.in.Positions[prefix] = Pos{File: t.in.Name, Line: line}
	out := map[string]cell{}
	for i, f := range t.fields {
		if f == "" || i >= len(record) {
			continue
		}
		p := t.pos(i, strings.TrimSpace(t.header[i]))
		t.in.Positions[prefix+"."+f] = p
		out[f] = cell{value: unguardFormula(strings.TrimSpace(record[i])), pos: p, field: prefix + "." + f}
	}
	return out
}

// cell is one value of a row.
type cell struct {
	value string
	pos   Pos
	field string // path in the document
}

// pos returns the position of field i of the current record.
func (t *table) pos(i int, label string) Pos {
	line, bcol := t.r.FieldPos(i)
	return Pos{File: t.in.Name, Line: line, Col: t.lines.col(line, bcol), Label: label}
}

func (t *table) errPos(err error) Pos {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Pos{File: t.in.Name, Line: pe.Line, Col: t.lines.col(pe.Line, pe.Column)}
	}
	return Pos{File: t.in.Name}
}

// syntaxError explains a CSV syntax error.
func (t *table) syntaxError(err error) *landscape.Error {
	pos := t.errPos(err)
	var pe *csv.ParseError
	msg := err.Error()
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrBareQuote):
			msg = `a quote (") inside a cell that does not start with a quote: put the whole cell in quotes and double the quote ("")`
		case errors.Is(pe.Err, csv.ErrQuote):
			msg = fmt.Sprintf(`a quoted cell (starting on line %d) is not closed, or a quote inside it is not doubled ("")`, pe.StartLine)
		default:
			msg = pe.Err.Error()
		}
	}
	return problemAt(pos, msg)
}

// detectSeparator returns the most frequent of ';', ',' and tab in the first
// line outside quotes; ',' on a tie.
func detectSeparator(text []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, c := range text {
		if c == '"' {
			quoted = !quoted
		}
		if !quoted && c == '\n' {
			break
		}
		if !quoted && (c == ';' || c == ',' || c == '\t') {
			counts[c]++
		}
	}
	best := byte(',')
	for _, c := range []byte{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best)
}

func requiredNames(cols []column) string {
	var names []string
	for _, c := range cols {
		if c.required {
			names = append(names, c.field)
		}
	}
	return strings.Join(names, ", ")
}

func columnNames(cols []column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.field
	}
	return strings.Join(names, ", ")
}

func quoteNames(c column) string {
	names := []string{fmt.Sprintf("%q", c.field)}
	for _, n := range c.names[:min(len(c.names), 3)] {
		names = append(names, fmt.Sprintf("%q", n))
	}
	return strings.Join(names, " or ")
}

// ReadNodesCSV reads a node table: one node per row, columns by header name
// (NodeColumns, or the German, Kumu and Gephi names listed in
// nodeTableColumns). The returned Input holds every row that has a value;
// Input.Problems lists the cells that could not be read. The error is
// non-nil only when the file cannot be read as a table at all (not text,
// empty, a broken header, a required column missing); it is then a
// *landscape.Error of code EInvalid.
func ReadNodesCSV(r io.Reader, name string) (*Input, error) {
	t, err := openTable(r, name, nodeTableColumns, nodeColumnIndex, false)
	if err != nil {
		return nil, err
	}
	in := t.in
	t.rows(func(record []string, line int) {
		prefix := fmt.Sprintf("nodes[%d]", len(in.Doc.Nodes))
		c := t.cells(record, line, prefix)
		n := &landscape.Node{ID: c["id"].value, Name: c["name"].value, Description: c["description"].value,
			Source: c["source"].value, MeetingRhythm: c["meetingRhythm"].value, OfficialCode: c["officialCode"].value,
			URL: c["url"].value, ContactEmail: c["contactEmail"].value, ContactPhone: c["contactPhone"].value, Aliases: splitMulti(c["aliases"].value)}
		k, err := parseNodeKind(c["kind"].value)
		if err != nil {
			in.problem(prefix+".kind", t.cellPos(c, "kind", prefix), "%v", err)
			k = landscape.NodeKind(c["kind"].value)
		}
		n.Kind = k
		n.Category = enumValue(c["category"].value, landscape.Categories[k], nil)
		n.Scope = enumValue(c["scope"].value, []string{landscape.ScopeInternal, landscape.ScopeExternal}, scopeSynonyms)
		t.boolean(c["illustrative"], &n.Illustrative)
		t.date(c["validFrom"], &n.ValidFrom)
		t.date(c["validTo"], &n.ValidTo)
		t.integer(c["order"], &n.Order)
		t.integer(c["ageFrom"], &n.AgeFrom)
		t.integer(c["ageTo"], &n.AgeTo)
		t.time(c["createdAt"], &n.CreatedAt)
		t.time(c["updatedAt"], &n.UpdatedAt)
		in.Doc.Nodes = append(in.Doc.Nodes, n)
	})
	return in.finish(), nil
}

// ReadEdgesCSV reads an edge table: one edge per row, columns by header
// name (EdgeColumns, or the German, Kumu and Gephi names listed in
// edgeTableColumns). An edge without id gets landscape.DefaultEdgeID. Results
// and errors as for ReadNodesCSV.
func ReadEdgesCSV(r io.Reader, name string) (*Input, error) {
	t, err := openTable(r, name, edgeTableColumns, edgeColumnIndex, true)
	if err != nil {
		return nil, err
	}
	in := t.in
	t.rows(func(record []string, line int) {
		prefix := fmt.Sprintf("edges[%d]", len(in.Doc.Edges))
		c := t.cells(record, line, prefix)
		e := &landscape.Edge{ID: c["id"].value, From: c["from"].value, To: c["to"].value, Agreement: c["agreement"].value,
			Description: c["description"].value, Source: c["source"].value}
		k, err := parseEdgeKind(c["kind"].value)
		if err != nil {
			in.problem(prefix+".kind", t.cellPos(c, "kind", prefix), "%v", err)
			k = landscape.EdgeKind(c["kind"].value)
		}
		e.Kind = k
		e.Role = enumValue(c["role"].value, landscape.MembershipRoles, roleSynonyms)
		t.boolean(c["illustrative"], &e.Illustrative)
		t.date(c["validFrom"], &e.ValidFrom)
		t.date(c["validTo"], &e.ValidTo)
		t.time(c["createdAt"], &e.CreatedAt)
		t.time(c["updatedAt"], &e.UpdatedAt)
		in.Doc.Edges = append(in.Doc.Edges, e)
	})
	return in.finish(), nil
}

// cellPos returns the position of field f in the row, or of the row when
// the row has no such cell.
func (t *table) cellPos(c map[string]cell, f, prefix string) Pos {
	if x, ok := c[f]; ok {
		return x.pos
	}
	return t.in.Positions[prefix]
}

func (t *table) boolean(c cell, dst *bool) {
	v, err := parseBool(c.value)
	if err != nil {
		t.in.problem(c.field, c.pos, "%v", err)
	}
	*dst = v
}

func (t *table) date(c cell, dst **landscape.Date) {
	if c.value == "" {
		return
	}
	d, err := parseDate(c.value)
	if err != nil {
		t.in.problem(c.field, c.pos, "%v", err)
	}
	*dst = d
}

func (t *table) integer(c cell, dst **int) {
	v, err := parseInt(c.value)
	if err != nil {
		t.in.problem(c.field, c.pos, "%v", err)
	}
	*dst = v
}

func (t *table) time(c cell, dst *time.Time) {
	v, err := parseTime(c.value)
	if err != nil {
		t.in.problem(c.field, c.pos, "%v", err)
	}
	*dst = v
}
