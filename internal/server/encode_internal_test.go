package server

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestEncodeResponse: an executed response is encoded as json.Marshal
// encodes it, byte for byte where the data needs no HTML escaping; data
// with <, > or & is copied as it is and decodes to the same value.
func TestEncodeResponse(t *testing.T) {
	errs := gqlerror.List{{Message: "not found", Path: ast.Path{ast.PathName("node")},
		Extensions: map[string]any{"code": "NOT_FOUND", "field": "id"}}}
	ext := map[string]any{"storeCalls": 3}
	for name, r := range map[string]*graphql.Response{
		"data":             {Data: json.RawMessage(`{"node":{"id":"k03459","name":"Landkreis Osnabrück"}}`)},
		"null data":        {Data: json.RawMessage(`null`)},
		"errors":           {Errors: errs, Data: json.RawMessage(`{"node":null}`)},
		"extensions":       {Data: json.RawMessage(`{"a":[1,2,{"b":"c"}]}`), Extensions: ext},
		"both":             {Errors: errs, Data: json.RawMessage(`{}`), Extensions: ext},
		"no data at all":   {Errors: errs},
		"escaped in error": {Errors: gqlerror.List{{Message: "a <b> & c"}}, Data: json.RawMessage(`null`)},
	} {
		got, err := encodeResponse(r)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}

	r := &graphql.Response{Data: json.RawMessage(`{"name":"Kita <Am Bach> & Familienzentrum","n":[1,2]}`)}
	got, err := encodeResponse(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(got, []byte(`"Kita <Am Bach> & Familienzentrum"`)) {
		t.Errorf("data not copied as it is: %s", got)
	}
	want, _ := json.Marshal(r)
	var a, b any
	if err := json.Unmarshal(got, &a); err != nil {
		t.Fatalf("not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal(want, &b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("decodes to %v, want %v", a, b)
	}
}
