package exchange

import (
	"context"
	"strings"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

const faultyJSON = `{
  "format": "bildungsgraph/v1",
  "nodes": [
    {"id": "kita-sonnenschein", "kind": "Institution", "name": "Kita Sonnenschein", "source": "Q", "validfrom": "2018-08-01"},
    {"id": "lp-x", "kind": "LifePhase", "name": "X", "source": "Q", "order": "zwei", "validTo": "31.12.2020"},
    {"id": "a", "kind": "Actor", "name": "A", "source": "Q", "name": "B", "aliases": ["A", ""]},
    {"id": "b", "kind": "Akteur", "name": "B", "source": "Q", "aliases": ["B1", "B1"]}
  ],
  "edges": [
    {"from": "kita-sonnenschein", "to": "nirgendwo", "kind": "LOCATED_IN", "source": "Q"}
  ]
}
`

// TestReadJSONProblems: strict reading reports each problem at its line and
// column, and Import adds the domain's problems at theirs.
func TestReadJSONProblems(t *testing.T) {
	in, err := ReadJSON(strings.NewReader(faultyJSON), "export.json")
	if err != nil {
		t.Fatal(err)
	}
	want := "export.json:4:100: validfrom: unknown field \"validfrom\"; did you mean \"validFrom\"?\n" +
		"export.json:5:78: order: expected a whole number, not a JSON string\n" +
		"export.json:5:97: validTo: \"31.12.2020\" is not a date of the form YYYY-MM-DD\n" +
		"export.json:6:62: name: field \"name\" is given twice\n"
	if got := problemList(in.Err()); got != want {
		t.Errorf("problems\n%s\nwant\n%s", got, want)
	}
	ctx := context.Background()
	_, err = Import(ctx, openStore(t), []*Input{in}, Options{DryRun: true})
	want += "export.json:7:25: kind: unknown node kind \"Akteur\"; one of Actor, Institution, Foundation, Committee, Region, Offer, LifePhase, Transition, TargetGroup, Topic\n" +
		"export.json:7:81: aliases[1]: \"B1\" is listed twice\n" +
		"export.json:10:41: to: no node with id \"nirgendwo\"\n"
	if got := problemList(err); got != want {
		t.Errorf("import problems\n%s\nwant\n%s", got, want)
	}
}

func TestReadJSONFatal(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"syntax", "{\n  \"format\": \"bildungsgraph/v1\",\n  \"nodes\": [\n    {\"id\": \"a\",}\n  ]\n}",
			"j.json:4:16: not valid JSON: invalid character '}' looking for beginning of object key string"},
		{"truncated", "{\"format\": \"bildungsgraph/v1\", \"nodes\": [", "j.json:1:42: not valid JSON: the document ends too early"},
		{"not an object", "[1, 2]", "j.json:1:1: not a bildungsgraph document: it must be a JSON object with format, nodes and edges"},
		{"trailing data", `{"format": "bildungsgraph/v1"} {}`, "j.json:1:32: unexpected data after the end of the document"},
		{"latin-1", "{\"format\": \"bildungsgraph/v1\",\n \"nodes\": [{\"name\": \"B\xfcro\"}]}", "j.json:2:23: file is not UTF-8: save it as UTF-8"},
		{"empty", " \n", "j.json: the file is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tc.text), "j.json")
			if _, ok := err.(*landscape.Error); !ok || strings.TrimSpace(problemList(err)) != tc.want {
				t.Errorf("error\n%s\nwant\n%s", problemList(err), tc.want)
			}
		})
	}
	for _, tc := range []struct{ name, text, want string }{
		{"format", `{"format": "bildungsgraph/v0", "nodes": [], "edges": []}`,
			`j.json:1:12: format: unsupported format "bildungsgraph/v0", want "bildungsgraph/v1"`},
		{"no format", `{"nodes": []}`, `j.json:1:1: format: is missing: a bildungsgraph document starts with "format": "bildungsgraph/v1"`},
		{"nodes not a list", `{"format": "bildungsgraph/v1", "nodes": {"id": "x"}}`, `j.json:1:41: nodes: must be a list ([...])`},
		{"node not an object", `{"format": "bildungsgraph/v1", "nodes": [17]}`, `j.json:1:42: must be an object ({...})`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, err := ReadJSON(strings.NewReader(tc.text), "j.json")
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(problemList(in.Err())); got != tc.want {
				t.Errorf("problems\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}
