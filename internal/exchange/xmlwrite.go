package exchange

import (
	"bufio"
	"encoding/xml"
	"io"
	"strconv"
	"strings"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// xmlWriter writes an indented XML document through encoding/xml, which
// escapes every attribute value and text (umlauts stay as they are; & < > "
// ' and line breaks become references).
type xmlWriter struct {
	bw  *bufio.Writer
	enc *xml.Encoder
	err error
}

func newXMLWriter(w io.Writer) *xmlWriter {
	bw := bufio.NewWriter(w)
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	bw.WriteString(xml.Header)
	return &xmlWriter{bw: bw, enc: enc}
}

func (x *xmlWriter) token(t xml.Token) {
	if x.err == nil {
		x.err = x.enc.EncodeToken(t)
	}
}

// start opens an element with attributes given as name, value pairs;
// pairs with an empty value are left out.
func (x *xmlWriter) start(name string, attrs ...string) {
	se := xml.StartElement{Name: xml.Name{Local: name}}
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] != "" {
			se.Attr = append(se.Attr, xml.Attr{Name: xml.Name{Local: attrs[i]}, Value: attrs[i+1]})
		}
	}
	x.token(se)
}

func (x *xmlWriter) end(name string) { x.token(xml.EndElement{Name: xml.Name{Local: name}}) }

// elem writes <name attrs...>text</name>.
func (x *xmlWriter) elem(name, text string, attrs ...string) {
	x.start(name, attrs...)
	if text != "" {
		x.token(xml.CharData(text))
	}
	x.end(name)
}

func (x *xmlWriter) close() error {
	if x.err == nil {
		x.err = x.enc.Close()
	}
	if x.err == nil {
		x.bw.WriteByte('\n')
		return flush(x.bw)
	}
	return landscape.Wrap(landscape.EInternal, x.err, "cannot write XML: %v", x.err)
}

// attribute is a typed attribute of nodes or edges in GraphML and GEXF.
type attribute struct {
	name string
	typ  string // string, boolean or int
}

var nodeAttributes = []attribute{
	{"kind", "string"}, {"description", "string"}, {"category", "string"}, {"aliases", "string"}, {"source", "string"},
	{"illustrative", "boolean"}, {"validFrom", "string"}, {"validTo", "string"}, {"scope", "string"},
	{"meetingRhythm", "string"}, {"officialCode", "string"}, {"order", "int"}, {"ageFrom", "int"}, {"ageTo", "int"},
	{"url", "string"}, {"contactEmail", "string"}, {"contactPhone", "string"}, {"createdAt", "string"}, {"updatedAt", "string"},
}

var edgeAttributes = []attribute{
	{"kind", "string"}, {"role", "string"}, {"agreement", "string"}, {"description", "string"}, {"source", "string"},
	{"illustrative", "boolean"}, {"validFrom", "string"}, {"validTo", "string"}, {"createdAt", "string"},
	{"updatedAt", "string"},
}

// nodeValues returns the values of nodeAttributes for n ("" for none).
func nodeValues(n *landscape.Node) []string {
	return []string{string(n.Kind), n.Description, n.Category, joinMulti(n.Aliases), n.Source, boolText(n.Illustrative),
		dateText(n.ValidFrom), dateText(n.ValidTo), n.Scope, n.MeetingRhythm, n.OfficialCode, intText(n.Order),
		intText(n.AgeFrom), intText(n.AgeTo), n.URL, n.ContactEmail, n.ContactPhone, timeText(n.CreatedAt), timeText(n.UpdatedAt)}
}

// edgeValues returns the values of edgeAttributes for e.
func edgeValues(e *landscape.Edge) []string {
	return []string{string(e.Kind), e.Role, e.Agreement, e.Description, e.Source, boolText(e.Illustrative),
		dateText(e.ValidFrom), dateText(e.ValidTo), timeText(e.CreatedAt), timeText(e.UpdatedAt)}
}

// WriteGraphML writes g as a directed GraphML graph: the node name as
// "label", every other field as a <data> of a typed <key> (string, boolean,
// int; dates and times as strings, aliases joined by '|'), empty values left
// out, and edges with the edge kind as "label". GraphML ids are XML name
// tokens: a node id with '~' or '>' is written with those characters
// escaped (_7E_, _3E_) and its real id in the "id" data; every edge carries
// its id in the "id" data, and in the id attribute only when that is a name
// token (default edge ids contain '>'). Edges whose ends are not both in g
// are left out. yEd, Cytoscape, Gephi and networkx read it.
func WriteGraphML(w io.Writer, g *landscape.Subgraph) error {
	doc := connected(DocumentOf(g))
	x := newXMLWriter(w)
	x.start("graphml",
		"xmlns", "http://graphml.graphdrawing.org/xmlns",
		"xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance",
		"xsi:schemaLocation", "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd")
	x.elem("key", "", "id", "n_id", "for", "node", "attr.name", "id", "attr.type", "string")
	x.elem("key", "", "id", "n_label", "for", "node", "attr.name", "label", "attr.type", "string")
	for _, a := range nodeAttributes {
		x.elem("key", "", "id", "n_"+a.name, "for", "node", "attr.name", a.name, "attr.type", a.typ)
	}
	x.elem("key", "", "id", "e_id", "for", "edge", "attr.name", "id", "attr.type", "string")
	x.elem("key", "", "id", "e_label", "for", "edge", "attr.name", "label", "attr.type", "string")
	for _, a := range edgeAttributes {
		x.elem("key", "", "id", "e_"+a.name, "for", "edge", "attr.name", a.name, "attr.type", a.typ)
	}
	x.start("graph", "id", "bildungsgraph", "edgedefault", "directed")
	xmlIDs := nameTokens(doc.Nodes)
	for _, n := range doc.Nodes {
		x.start("node", "id", xmlIDs[n.ID])
		if xmlIDs[n.ID] != n.ID {
			x.elem("data", n.ID, "key", "n_id")
		}
		x.elem("data", n.Name, "key", "n_label")
		for i, v := range nodeValues(n) {
			if v != "" {
				x.elem("data", v, "key", "n_"+nodeAttributes[i].name)
			}
		}
		x.end("node")
	}
	for _, e := range doc.Edges {
		id := ""
		if isNameToken(e.ID) {
			id = e.ID
		}
		x.start("edge", "id", id, "source", xmlIDs[e.From], "target", xmlIDs[e.To])
		x.elem("data", e.ID, "key", "e_id")
		x.elem("data", string(e.Kind), "key", "e_label")
		for i, v := range edgeValues(e) {
			if v != "" {
				x.elem("data", v, "key", "e_"+edgeAttributes[i].name)
			}
		}
		x.end("edge")
	}
	x.end("graph")
	x.end("graphml")
	return x.close()
}

// isNameToken reports whether id is an XML name token (xs:NMTOKEN), as
// GraphML ids must be. Ids are ASCII letters, digits and . _ : ~ > -; of
// these only '~' and '>' are not name characters.
func isNameToken(id string) bool {
	return id != "" && !strings.ContainsAny(id, "~>")
}

// nameTokens maps every node id to a distinct name token: the id itself
// when it is one, else the id with '~' and '>' escaped.
func nameTokens(nodes []*landscape.Node) map[string]string {
	out := make(map[string]string, len(nodes))
	used := make(map[string]bool, len(nodes))
	for _, n := range nodes {
		if isNameToken(n.ID) {
			out[n.ID] = n.ID
			used[n.ID] = true
		}
	}
	r := strings.NewReplacer("~", "_7E_", ">", "_3E_")
	for _, n := range nodes {
		if _, ok := out[n.ID]; ok {
			continue
		}
		t := r.Replace(n.ID)
		for i := 2; used[t]; i++ {
			t = r.Replace(n.ID) + "_" + strconv.Itoa(i)
		}
		out[n.ID] = t
		used[t] = true
	}
	return out
}
