package exchange

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// TestJSONRoundTrip: export → import into an empty store → export gives
// the same bytes, and importing again changes nothing.
func TestJSONRoundTrip(t *testing.T) {
	ctx, a := seededStore(t)
	first := exportAll(t, ctx, a, FormatJSON)

	in, err := ReadJSON(bytes.NewReader(first), "export.json")
	if err != nil {
		t.Fatalf("ReadJSON: %v", err)
	}
	if err := in.Err(); err != nil {
		t.Fatalf("ReadJSON found problems in its own export:\n%s", problemList(err))
	}
	b := openStore(t)
	rep, err := Import(ctx, b, []*Input{in}, Options{})
	if err != nil {
		t.Fatalf("Import:\n%s", problemList(err))
	}
	if len(rep.Result.Nodes) != len(fixtureNodes()) || len(rep.Result.Edges) != len(fixtureEdges()) || rep.Result.Unchanged != 0 {
		t.Errorf("import into an empty store wrote %d nodes, %d edges, %d unchanged; want %d, %d, 0",
			len(rep.Result.Nodes), len(rep.Result.Edges), rep.Result.Unchanged, len(fixtureNodes()), len(fixtureEdges()))
	}
	second := exportAll(t, ctx, b, FormatJSON)
	if !bytes.Equal(first, second) {
		t.Fatalf("export after import differs from the first export:\n%s", firstDiff(first, second))
	}

	again, err := Import(ctx, b, []*Input{in}, Options{})
	if err != nil {
		t.Fatalf("re-import: %v", err)
	}
	if !again.Result.Empty() || again.Result.Unchanged != len(fixtureNodes())+len(fixtureEdges()) {
		t.Errorf("re-import wrote %d nodes and %d edges with %d unchanged; want nothing written, all %d unchanged",
			len(again.Result.Nodes), len(again.Result.Edges), again.Result.Unchanged, len(fixtureNodes())+len(fixtureEdges()))
	}

	// The export is the document format of the domain, readable by it too,
	// and holds the fixture exactly (timestamps in UTC).
	doc, err := landscape.ParseDocument(first)
	if err != nil {
		t.Fatalf("landscape.ParseDocument: %v", err)
	}
	byID := map[string]*landscape.Node{}
	for _, n := range doc.Nodes {
		byID[n.ID] = n
	}
	for _, want := range fixtureNodes() {
		got := byID[want.ID]
		if got == nil {
			t.Errorf("node %s is missing from the export", want.ID)
			continue
		}
		if !want.CreatedAt.IsZero() && (!got.CreatedAt.Equal(want.CreatedAt) || got.CreatedAt.Location() != time.UTC ||
			!got.UpdatedAt.Equal(want.UpdatedAt)) {
			t.Errorf("node %s: createdAt %v, updatedAt %v; want %v, %v in UTC", want.ID, got.CreatedAt, got.UpdatedAt,
				want.CreatedAt, want.UpdatedAt)
		}
		if want.CreatedAt.IsZero() && (!got.CreatedAt.Equal(clock) || !got.UpdatedAt.Equal(clock)) {
			t.Errorf("node %s: timestamps %v, %v; want the store's %v", want.ID, got.CreatedAt, got.UpdatedAt, clock)
		}
		g, w := *got, *want
		g.CreatedAt, g.UpdatedAt, w.CreatedAt, w.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if gj, wj := mustJSON(t, g), mustJSON(t, w); gj != wj {
			t.Errorf("node %s exported as\n%s\nwant\n%s", want.ID, gj, wj)
		}
	}
	for _, s := range []string{`"name": "Bürgerstiftung \"Bildung & Zukunft\""`, `"Büro A|B"`, `"C:\\Bildung"`,
		`"updatedAt": "2023-01-02T13:05:06.0000007Z"`, `"validTo": "2023-12-31"`} {
		if !bytes.Contains(first, []byte(s)) {
			t.Errorf("the JSON export lacks %s", s)
		}
	}
}

// TestCSVRoundTrip: both tables, in the default and the Excel form, import
// into an empty store to the same graph.
func TestCSVRoundTrip(t *testing.T) {
	ctx, a := seededStore(t)
	want := exportAll(t, ctx, a, FormatJSON)
	g, err := Select(ctx, a, Selection{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		opts CSVOptions
	}{{"default", CSVOptions{}}, {"excel", ExcelCSV}, {"tab", CSVOptions{Comma: '\t'}}} {
		t.Run(tc.name, func(t *testing.T) {
			var nodes, edges bytes.Buffer
			if err := WriteCSV(&nodes, &edges, g, tc.opts); err != nil {
				t.Fatal(err)
			}
			if tc.opts.BOM && !bytes.HasPrefix(nodes.Bytes(), bomUTF8) {
				t.Errorf("the Excel table has no byte order mark")
			}
			for _, s := range []string{"'=VHS", "'- Sprachkurse", "'@Kita"} {
				if !strings.Contains(nodes.String(), s) {
					t.Errorf("the node table does not guard the formula-like text %q", s)
				}
			}
			in1, err := ReadNodesCSV(bytes.NewReader(nodes.Bytes()), "nodes.csv")
			if err != nil {
				t.Fatal(err)
			}
			in2, err := ReadEdgesCSV(bytes.NewReader(edges.Bytes()), "edges.csv")
			if err != nil {
				t.Fatal(err)
			}
			if len(in1.Warnings)+len(in2.Warnings) > 0 {
				t.Errorf("warnings reading our own tables: %v %v", in1.Warnings, in2.Warnings)
			}
			b := openStore(t)
			if _, err := Import(ctx, b, []*Input{in1, in2}, Options{}); err != nil {
				t.Fatalf("Import:\n%s", problemList(err))
			}
			if got := exportAll(t, ctx, b, FormatJSON); !bytes.Equal(got, want) {
				t.Fatalf("CSV round trip changed the graph:\n%s", firstDiff(want, got))
			}
		})
	}
}

func TestCSVZip(t *testing.T) {
	ctx, s := seededStore(t)
	data := exportAll(t, ctx, s, FormatCSVZip)
	if again := exportAll(t, ctx, s, FormatCSVZip); !bytes.Equal(data, again) {
		t.Errorf("two zip exports of the same graph differ")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{"nodes.csv": exportAll(t, ctx, s, FormatCSVNodes), "edges.csv": exportAll(t, ctx, s, FormatCSVEdges)}
	if len(zr.File) != 2 {
		t.Fatalf("zip has %d files, want 2", len(zr.File))
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(got, want[f.Name]) {
			t.Errorf("%s in the zip differs from the single table", f.Name)
		}
	}
}

func TestCSVHeaders(t *testing.T) {
	ctx, s := seededStore(t)
	nodes := string(exportAll(t, ctx, s, FormatCSVNodes))
	edges := string(exportAll(t, ctx, s, FormatCSVEdges))
	if h, _, _ := strings.Cut(nodes, "\n"); h != "id,kind,name,description,category,aliases,source,illustrative,validFrom,validTo,scope,meetingRhythm,officialCode,order,ageFrom,ageTo,url,contactEmail,contactPhone,createdAt,updatedAt" {
		t.Errorf("node header %q", h)
	}
	if h, _, _ := strings.Cut(edges, "\n"); h != "id,from,to,kind,role,agreement,description,source,illustrative,validFrom,validTo,createdAt,updatedAt" {
		t.Errorf("edge header %q", h)
	}
	if !strings.Contains(nodes, `"BiKo|Koordination ""Neuzugewanderte"""`) || !strings.Contains(nodes, `BB GMH|Büro A\|B|C:\\Bildung`) {
		t.Errorf("aliases are not pipe-separated with escapes:\n%s", nodes)
	}
}

func TestFormats(t *testing.T) {
	for _, tc := range []struct {
		in          string
		want        Format
		contentType string
		file        string
	}{
		{"json", FormatJSON, "application/json; charset=utf-8", "lk-os.json"},
		{" CSV-Nodes ", FormatCSVNodes, "text/csv; charset=utf-8", "lk-os-nodes.csv"},
		{"csv-edges", FormatCSVEdges, "text/csv; charset=utf-8", "lk-os-edges.csv"},
		{"csv-zip", FormatCSVZip, "application/zip", "lk-os.zip"},
		{"graphml", FormatGraphML, "application/graphml+xml; charset=utf-8", "lk-os.graphml"},
		{"GEXF", FormatGEXF, "application/gexf+xml; charset=utf-8", "lk-os.gexf"},
		{"cytoscape", FormatCytoscape, "application/json; charset=utf-8", "lk-os.cyjs"},
	} {
		f, err := ParseFormat(tc.in)
		if err != nil || f != tc.want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", tc.in, f, err, tc.want)
			continue
		}
		if f.ContentType() != tc.contentType || f.Filename("lk-os") != tc.file {
			t.Errorf("%s: content type %q, file %q; want %q, %q", f, f.ContentType(), f.Filename("lk-os"), tc.contentType, tc.file)
		}
	}
	_, err := ParseFormat("xlsx")
	if e := landscape.AsError(err); e == nil || e.Code != landscape.EInvalid || e.Field != "format" {
		t.Errorf("ParseFormat(xlsx) = %v, want EInvalid on format", err)
	}
}

// TestXMLEscaping: every value with umlauts, '&', quotes, '<' and line
// breaks survives GraphML and GEXF as XML text.
func TestXMLEscaping(t *testing.T) {
	n := &landscape.Node{ID: "x", Kind: landscape.Institution, Name: `Schule <am> "Wald" & 'Feld' – Über`,
		Description: "Zeile 1\nZeile 2\tTab", Source: "Quelle & Co"}
	g := &landscape.Subgraph{Nodes: []*landscape.Node{n}}
	for _, w := range []func(io.Writer, *landscape.Subgraph) error{WriteGraphML, WriteGEXF} {
		var buf bytes.Buffer
		if err := w(&buf, g); err != nil {
			t.Fatal(err)
		}
		values := xmlValues(t, buf.Bytes())
		for _, want := range []string{n.Name, n.Description, n.Source} {
			if !values[want] {
				t.Errorf("value %q does not survive:\n%s", want, buf.String())
			}
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// firstDiff shows the first line where a and b differ.
func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "line " + itoa(i+1) + ":\n- " + al[i] + "\n+ " + bl[i]
		}
	}
	return "lengths differ: " + itoa(len(al)) + " and " + itoa(len(bl)) + " lines"
}
