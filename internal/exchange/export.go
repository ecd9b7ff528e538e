package exchange

import (
	"bufio"
	"cmp"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// DocumentOf returns g as a document: copies of its nodes and edges sorted
// by id, with timestamps in UTC. g is not modified.
func DocumentOf(g *landscape.Subgraph) *landscape.Document {
	doc := &landscape.Document{Format: landscape.DocumentFormat, Nodes: []*landscape.Node{}, Edges: []*landscape.Edge{}}
	if g == nil {
		return doc
	}
	for _, n := range g.Nodes {
		c := *n
		c.Aliases = slices.Clone(n.Aliases)
		c.CreatedAt, c.UpdatedAt = n.CreatedAt.UTC(), n.UpdatedAt.UTC()
		doc.Nodes = append(doc.Nodes, &c)
	}
	for _, e := range g.Edges {
		c := *e
		c.CreatedAt, c.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
		doc.Edges = append(doc.Edges, &c)
	}
	slices.SortFunc(doc.Nodes, func(a, b *landscape.Node) int { return cmp.Compare(a.ID, b.ID) })
	landscape.SortEdges(doc.Edges)
	return doc
}

// SubgraphOf returns the nodes and edges of doc as a subgraph, to export a
// document with the Write functions.
func SubgraphOf(doc *landscape.Document) *landscape.Subgraph {
	return &landscape.Subgraph{Nodes: doc.Nodes, Edges: doc.Edges}
}

// WriteJSON writes g as a bildungsgraph/v1 document: nodes and edges sorted
// by id, indented by two spaces, timestamps in UTC, '&', '<' and '>'
// unescaped, a final newline. ReadJSON (and landscape.ParseDocument) read it.
func WriteJSON(w io.Writer, g *landscape.Subgraph) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(DocumentOf(g)); err != nil {
		return landscape.Wrap(landscape.EInternal, err, "cannot write JSON: %v", err)
	}
	return flush(bw)
}

func flush(bw *bufio.Writer) error {
	if err := bw.Flush(); err != nil {
		return landscape.Wrap(landscape.EUnavailable, err, "cannot write the export: %v", err)
	}
	return nil
}

// Text forms of values shared by the table and XML writers.

func dateText(d *landscape.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func intText(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func boolText(b bool) string { return strconv.FormatBool(b) }

// joinMulti joins multi-values with '|', escaping '|' and '\' in them so that
// splitMulti gives them back.
func joinMulti(vs []string) string {
	var b strings.Builder
	for i, v := range vs {
		if i > 0 {
			b.WriteByte('|')
		}
		for _, r := range v {
			if r == '|' || r == '\\' {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// splitMulti splits a cell at every '|' that no backslash escapes; "\|"
// stands for '|' and "\\" for '\', any other backslash for itself. Values are
// trimmed; empty ones are dropped.
func splitMulti(s string) []string {
	var out []string
	var b strings.Builder
	add := func() {
		if v := strings.TrimSpace(b.String()); v != "" {
			out = append(out, v)
		}
		b.Reset()
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s) && (s[i+1] == '|' || s[i+1] == '\\'):
			b.WriteByte(s[i+1])
			i++
		case c == '|':
			add()
		default:
			b.WriteByte(c)
		}
	}
	add()
	return out
}

// maxUpdated returns the latest update time in g, zero for none.
func maxUpdated(nodes []*landscape.Node, edges []*landscape.Edge) time.Time {
	var t time.Time
	for _, n := range nodes {
		if n.UpdatedAt.After(t) {
			t = n.UpdatedAt
		}
	}
	for _, e := range edges {
		if e.UpdatedAt.After(t) {
			t = e.UpdatedAt
		}
	}
	return t.UTC()
}

// connected drops the edges of doc whose ends are not both among its nodes:
// the graph formats cannot express them.
func connected(doc *landscape.Document) *landscape.Document {
	ids := make(map[string]bool, len(doc.Nodes))
	for _, n := range doc.Nodes {
		ids[n.ID] = true
	}
	doc.Edges = slices.DeleteFunc(doc.Edges, func(e *landscape.Edge) bool { return !ids[e.From] || !ids[e.To] })
	return doc
}
