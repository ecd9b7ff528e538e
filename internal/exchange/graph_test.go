package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

func itoa(i int) string { return strconv.Itoa(i) }

// xmlValues parses an XML document and returns every attribute value and
// text in it.
func xmlValues(t *testing.T, data []byte) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			for _, a := range tok.Attr {
				out[a.Value] = true
			}
		case xml.CharData:
			out[string(tok)] = true
		}
	}
}

const requirementsHint = "python3 -m pip install -r internal/exchange/testdata/requirements.txt"

// TestNetworkXReadsGraphMLAndGEXF writes both files for the fixture and
// has networkx read them. A missing python3 or networkx fails the test.
func TestNetworkXReadsGraphMLAndGEXF(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 is not installed; install Python 3 and then: %s", requirementsHint)
	}
	ctx, s := seededStore(t)
	dir := t.TempDir()
	graphml := filepath.Join(dir, "landkreis-osnabrück.graphml")
	gexf := filepath.Join(dir, "landkreis-osnabrück.gexf")
	os.WriteFile(graphml, exportAll(t, ctx, s, FormatGraphML), 0o644)
	os.WriteFile(gexf, exportAll(t, ctx, s, FormatGEXF), 0o644)

	const script = `
import sys
try:
    import networkx as nx
except ImportError:
    print("networkx is not installed", file=sys.stderr)
    sys.exit(3)
g = nx.read_graphml(sys.argv[1])
h = nx.read_gexf(sys.argv[2])
print(g.number_of_nodes(), g.number_of_edges(), h.number_of_nodes(), h.number_of_edges())
a = g.nodes["lk-os.bildungskoordination"]
b = h.nodes["lk-os.bildungskoordination"]
print(a["label"], a["kind"], a["illustrative"], a["validTo"], b["label"], b["start"], b["end"], sep="|")
print(g.nodes["lp-schule"]["order"] + 1, h.nodes["lp-schule"]["order"] + 1, g.nodes["sprachfoerderung"]["illustrative"], h.nodes["sprachfoerderung"]["illustrative"])
print(nx.__version__)
`
	cmd := exec.Command(python, "-c", script, graphml, gexf)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 3 {
		t.Fatalf("networkx is missing for %s: %s", python, requirementsHint)
	}
	if err != nil {
		t.Fatalf("networkx cannot read the files: %v\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 4 {
		t.Fatalf("unexpected output:\n%s", out)
	}
	n, m := len(fixtureNodes()), len(fixtureEdges())
	if want := strings.Join([]string{itoa(n), itoa(m), itoa(n), itoa(m)}, " "); lines[0] != want {
		t.Errorf("networkx counts (graphml nodes, edges, gexf nodes, edges) = %s, want %s", lines[0], want)
	}
	if want := "Bildungskoordination für Neuzugewanderte|Actor|False|2023-12-31|Bildungskoordination für Neuzugewanderte|2016-10-01|2023-12-31"; lines[1] != want {
		t.Errorf("networkx node attributes = %s, want %s", lines[1], want)
	}
	if want := "2 2 True True"; lines[2] != want {
		t.Errorf("typed attributes (int, boolean) = %s, want %s", lines[2], want)
	}
	t.Logf("networkx %s read %s nodes/edges", lines[3], lines[0])
}

// TestGraphMLIDs: ids that are not XML name tokens are escaped in GraphML
// and kept in the "id" data.
func TestGraphMLIDs(t *testing.T) {
	g := &landscape.Subgraph{
		Nodes: []*landscape.Node{
			{ID: "a~b", Kind: landscape.Actor, Name: "A"},
			{ID: "a_7E_b", Kind: landscape.Actor, Name: "B"},
			{ID: "c", Kind: landscape.Committee, Name: "C"},
		},
		Edges: []*landscape.Edge{{ID: "a~b>MEMBER_OF>c", Kind: landscape.MemberOf, From: "a~b", To: "c"}},
	}
	var buf bytes.Buffer
	if err := WriteGraphML(&buf, g); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`<node id="a_7E_b_2">`, `<data key="n_id">a~b</data>`, `<node id="a_7E_b">`,
		`<edge source="a_7E_b_2" target="c">`, `<data key="e_id">a~b&gt;MEMBER_OF&gt;c</data>`} {
		if !strings.Contains(out, want) {
			t.Errorf("GraphML lacks %s:\n%s", want, out)
		}
	}
}

// TestGEXFDynamic: GEXF 1.3 header, dynamic mode and spells from validity.
func TestGEXFDynamic(t *testing.T) {
	ctx, s := seededStore(t)
	out := string(exportAll(t, ctx, s, FormatGEXF))
	for _, want := range []string{
		`<gexf xmlns="http://gexf.net/1.3"`, `version="1.3"`, `<creator>bildungsgraph</creator>`,
		`<meta lastmodifieddate="2024-06-03">`,
		`<graph defaultedgetype="directed" mode="dynamic" timeformat="date">`,
		`<node id="stiftung-bildung" label="Bürgerstiftung &#34;Bildung &amp; Zukunft&#34;" start="2009-09-01" end="2014-08-31">`,
		`kind="FUNDS" start="2010-01-01" end="2013-12-31">`,
		`<attribute id="order" title="order" type="integer">`,
		`<attribute id="illustrative" title="illustrative" type="boolean">`,
		`<nodes count="19">`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("GEXF lacks %s", want)
		}
	}
}

// TestCytoscape: the elements JSON parses, has every node and edge, and its
// edges reference only existing node ids.
func TestCytoscape(t *testing.T) {
	ctx, s := seededStore(t)
	g, err := Select(ctx, s, Selection{})
	if err != nil {
		t.Fatal(err)
	}
	// An edge to a node outside the subgraph must not be written.
	g.Edges = append(g.Edges, &landscape.Edge{ID: "x", Kind: landscape.PartOf, From: "gmh", To: "nirgendwo"})
	var buf bytes.Buffer
	if err := WriteCytoscape(&buf, g); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Elements struct {
			Nodes []struct{ Data map[string]any } `json:"nodes"`
			Edges []struct{ Data map[string]any } `json:"edges"`
		} `json:"elements"`
	}
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("Cytoscape JSON does not parse: %v", err)
	}
	ids := map[string]bool{}
	for _, n := range doc.Elements.Nodes {
		id, _ := n.Data["id"].(string)
		if id == "" || ids[id] || n.Data["label"] == "" || n.Data["kind"] == "" {
			t.Errorf("bad node data %v", n.Data)
		}
		ids[id] = true
	}
	if len(ids) != len(fixtureNodes()) {
		t.Errorf("%d nodes, want %d", len(ids), len(fixtureNodes()))
	}
	if len(doc.Elements.Edges) != len(fixtureEdges()) {
		t.Errorf("%d edges, want %d", len(doc.Elements.Edges), len(fixtureEdges()))
	}
	edgeIDs := map[string]bool{}
	for _, e := range doc.Elements.Edges {
		src, _ := e.Data["source"].(string)
		dst, _ := e.Data["target"].(string)
		if !ids[src] || !ids[dst] {
			t.Errorf("edge %v references a node that is not there", e.Data)
		}
		if e.Data["kind"] == "" || edgeIDs[e.Data["id"].(string)] {
			t.Errorf("bad edge data %v", e.Data)
		}
		edgeIDs[e.Data["id"].(string)] = true
	}
	for _, n := range doc.Elements.Nodes {
		if n.Data["id"] == "lk-os.bildungskoordination" {
			if n.Data["provenance"] != srcBericht || n.Data["validFrom"] != "2016-10-01" {
				t.Errorf("node data %v", n.Data)
			}
			if a, _ := n.Data["aliases"].([]any); len(a) != 2 {
				t.Errorf("aliases %v", n.Data["aliases"])
			}
		}
	}
}

// TestEmptyExports: an empty subgraph gives valid, empty documents.
func TestEmptyExports(t *testing.T) {
	for _, f := range Formats {
		var buf bytes.Buffer
		if err := f.Write(&buf, &landscape.Subgraph{}); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		if buf.Len() == 0 {
			t.Errorf("%s: empty output", f)
		}
	}
	var buf bytes.Buffer
	WriteJSON(&buf, nil)
	if _, err := landscape.ParseDocument(buf.Bytes()); err != nil || !strings.Contains(buf.String(), `"nodes": []`) {
		t.Errorf("empty JSON export %s: %v", buf.String(), err)
	}
	_ = context.Background
}
