package exchange

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// emptyStore is a store with nothing in it that refuses writes: enough for
// a dry-run import.
type emptyStore struct{ landscape.Store }

func (emptyStore) Nodes(context.Context, []string, *landscape.Date) (map[string]*landscape.Node, error) {
	return map[string]*landscape.Node{}, nil
}

func (emptyStore) Edges(context.Context, []string, *landscape.Date) (map[string]*landscape.Edge, error) {
	return map[string]*landscape.Edge{}, nil
}

// checkRead checks what a reader returned for fuzzed input: no panic (the
// fuzzer sees those), errors are *landscape.Error naming the file, and a
// dry-run import places every problem in the file.
func checkRead(t *testing.T, in *Input, err error) {
	t.Helper()
	if err != nil {
		e, ok := err.(*landscape.Error)
		if !ok || e.Code != landscape.EInvalid {
			t.Fatalf("error %T %v, want a *landscape.Error of code EInvalid", err, err)
		}
		for _, p := range landscape.Problems(err) {
			if !strings.HasPrefix(p.Field, "f.") {
				t.Fatalf("problem %q does not name the file", p.Field+": "+p.Message)
			}
		}
		if in != nil {
			t.Fatalf("an input and an error")
		}
		return
	}
	for _, p := range append(append([]*landscape.Error{}, in.Problems...), in.Warnings...) {
		if p.Code != landscape.EInvalid || !strings.HasPrefix(p.Field, "f.") {
			t.Fatalf("problem %s %q does not name the file", p.Code, p.Field+": "+p.Message)
		}
	}
	if err := in.Err(); err != nil {
		if _, ok := err.(*landscape.Error); !ok {
			t.Fatalf("Input.Err() is a %T", err)
		}
	}
	_, err = Import(context.Background(), emptyStore{}, []*Input{in}, Options{DryRun: true})
	if err != nil {
		e, ok := err.(*landscape.Error)
		if !ok || e.Code != landscape.EInvalid {
			t.Fatalf("Import error %T %v, want a *landscape.Error of code EInvalid", err, err)
		}
		for _, p := range landscape.Problems(err) {
			if !strings.HasPrefix(p.Field, "f.") {
				t.Fatalf("import problem %q is not placed in the file", p.Field+": "+p.Message)
			}
		}
	}
}

var csvNodeSeeds = []string{
	"id,kind,name,source\nbb-melle,Institution,Bildungsbüro Melle,Bericht\n",
	"\uFEFFKennung;Typ;Bezeichnung;Quelle;gültig ab\nkita;Einrichtung;\"Kita \"\"Sonne\"\"\nZeile 2\";Q;01.08.2018\n",
	"id,kind,name,source,order\nlp,LIFE_PHASE,X,Q,zwei\nlp,Lebensphase,X,Q,1\n",
	"Id,Label,Type,Quelle\n\"a\",\"b\nc,Actor,Q\n",
}

var csvEdgeSeeds = []string{
	"from,to,kind,source\nbb-melle,melle,SERVES,Bericht\n",
	"Source;Target;Type;Quelle;Rolle\na;b;Mitglied von;Q;Vorsitz\na;a;MEMBER_OF;Q;\n",
	"von,nach,Beziehung,Quelle,gültig ab,gültig bis\nx,y,Teil von,Q,2020-01-01,31.12.2019\n",
}

var jsonSeeds = []string{
	`{"format":"bildungsgraph/v1","nodes":[{"id":"a","kind":"Actor","name":"A","source":"Q"}],"edges":[]}`,
	faultyJSON,
	`{"format":"bildungsgraph/v1","nodes":[{"id":"lp","kind":"LifePhase","name":"Ü","source":"Q","order":1,"validFrom":"2020-01-01"}],` +
		`"edges":[{"from":"lp","to":"x","kind":"FROM_PHASE","source":"Q","validTo":"2019-12-31","createdAt":"2024-01-01T00:00:00Z"}]}`,
	`{"nodes": [null, 1, "x", {"aliases": [1]}], "edges": {}}`,
}

func FuzzReadNodesCSV(f *testing.F) {
	for _, s := range csvNodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := ReadNodesCSV(bytes.NewReader(data), "f.csv")
		checkRead(t, in, err)
	})
}

func FuzzReadEdgesCSV(f *testing.F) {
	for _, s := range csvEdgeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := ReadEdgesCSV(bytes.NewReader(data), "f.csv")
		checkRead(t, in, err)
	})
}

func FuzzReadJSON(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := ReadJSON(bytes.NewReader(data), "f.json")
		checkRead(t, in, err)
		if err != nil || in.Err() != nil {
			return
		}
		// A document read without problems exports and reads again.
		var buf bytes.Buffer
		if err := WriteJSON(&buf, SubgraphOf(in.Doc)); err != nil {
			t.Fatal(err)
		}
		again, err := ReadJSON(&buf, "f.json")
		if err != nil || again.Err() != nil {
			t.Fatalf("the export of a document read without problems does not read again: %v %v\n%s", err, again.Err(), buf.String())
		}
	})
}
