package exchange

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// jsonFields returns the JSON names of the fields of struct type t,
// including those of embedded structs.
func jsonFields(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

var (
	rootFields = jsonFields(reflect.TypeFor[landscape.Document]())
	nodeFields = jsonFields(reflect.TypeFor[landscape.Node]())
	edgeFields = jsonFields(reflect.TypeFor[landscape.Edge]())
)

// shape is what the walker expects at a place of the document.
type shape int

const (
	anyShape shape = iota
	rootShape
	nodeListShape
	edgeListShape
	nodeShape
	edgeShape
)

// jsonReader reads a bildungsgraph/v1 document and records positions.
type jsonReader struct {
	in    *Input
	data  []byte
	lines *lineIndex
	dec   *json.Decoder
	spans map[string][2]int         // path -> byte span of its value
	keys  map[string]map[string]int // object path -> key -> offset of its value
}

// ReadJSON reads a bildungsgraph/v1 document strictly: unknown or
// duplicate fields, values of the wrong type, bad dates and a wrong format
// are problems at their line and column (Input.Problems). The error is
// non-nil when the file is not a JSON object at all (not UTF-8, a syntax
// error); it is then a *landscape.Error of code EInvalid naming the place.
func ReadJSON(r io.Reader, name string) (*Input, error) {
	data, err := readAll(r, name)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, bomUTF8)
	if !utf8.Valid(data) {
		return nil, notUTF8(data, name)
	}
	x := &jsonReader{in: newInput(name), data: data, lines: newLineIndex(data),
		spans: map[string][2]int{}, keys: map[string]map[string]int{}}
	x.dec = json.NewDecoder(bytes.NewReader(data))
	x.dec.UseNumber()
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &landscape.Error{Code: landscape.EInvalid, Field: name, Message: "the file is empty"}
	}
	if err := x.walk("", "", rootShape); err != nil {
		return nil, err
	}
	end := x.next()
	if _, err := x.dec.Token(); err != io.EOF {
		return nil, problemAt(x.pos(end, ""), "unexpected data after the end of the document")
	}
	x.decode()
	return x.in.finish(), nil
}

// pos returns the position of byte offset off.
func (x *jsonReader) pos(off int, label string) Pos {
	line, col := x.lines.pos(off)
	return Pos{File: x.in.Name, Line: line, Col: col, Label: label}
}

// next returns the offset where the next token starts.
func (x *jsonReader) next() int {
	off := int(x.dec.InputOffset())
	for off < len(x.data) && strings.IndexByte(" \t\r\n,:", x.data[off]) >= 0 {
		off++
	}
	return off
}

func (x *jsonReader) syntaxError(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return problemAt(x.pos(int(se.Offset), ""), "not valid JSON: "+strings.TrimPrefix(se.Error(), "json: "))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF {
		return problemAt(x.pos(len(x.data), ""), "not valid JSON: the document ends too early")
	}
	return problemAt(x.pos(int(x.dec.InputOffset()), ""), "not valid JSON: "+err.Error())
}

// walk reads the value at path (label is its key) and records its span and
// position; it reports unknown and duplicate keys and values of the wrong
// shape as problems, and returns an error only for broken JSON.
func (x *jsonReader) walk(path, label string, want shape) error {
	start := x.next()
	tok, err := x.dec.Token()
	if err != nil {
		return x.syntaxError(err)
	}
	pos := x.pos(start, label)
	x.in.Positions[path] = pos
	delim, _ := tok.(json.Delim)
	switch {
	case want == rootShape && delim != '{':
		return problemAt(pos, "not a bildungsgraph document: it must be a JSON object with format, nodes and edges")
	case (want == nodeListShape || want == edgeListShape) && delim != '[' && tok != nil:
		x.in.problem(path, pos, "must be a list ([...])")
	case (want == nodeShape || want == edgeShape) && delim != '{':
		x.in.problem(path, pos, "must be an object ({...})")
	}
	switch delim {
	case '{':
		allowed := map[shape][]string{rootShape: rootFields, nodeShape: nodeFields, edgeShape: edgeFields}[want]
		keys := map[string]int{}
		x.keys[path] = keys
		for x.dec.More() {
			kstart := x.next()
			kt, err := x.dec.Token()
			if err != nil {
				return x.syntaxError(err)
			}
			key, _ := kt.(string)
			child := key
			if path != "" {
				child = path + "." + key
			}
			kpos := x.pos(kstart, key)
			next := anyShape
			switch {
			case allowed == nil:
			case !contains(allowed, key):
				msg := fmt.Sprintf("unknown field %q", key)
				for _, a := range allowed {
					if strings.EqualFold(a, key) {
						msg += fmt.Sprintf("; did you mean %q?", a)
					}
				}
				x.in.problem(child, kpos, "%s", msg)
			case want == rootShape && key == "nodes":
				next = nodeListShape
			case want == rootShape && key == "edges":
				next = edgeListShape
			}
			if _, dup := keys[key]; dup {
				x.in.problem(child, kpos, "field %q is given twice", key)
			}
			keys[key] = x.next()
			if err := x.walk(child, key, next); err != nil {
				return err
			}
		}
		if _, err := x.dec.Token(); err != nil {
			return x.syntaxError(err)
		}
	case '[':
		elem := map[shape]shape{nodeListShape: nodeShape, edgeListShape: edgeShape}[want]
		for i := 0; x.dec.More(); i++ {
			elabel := ""
			if elem == anyShape && label != "" {
				elabel = fmt.Sprintf("%s[%d]", label, i)
			}
			if err := x.walk(fmt.Sprintf("%s[%d]", path, i), elabel, elem); err != nil {
				return err
			}
		}
		if _, err := x.dec.Token(); err != nil {
			return x.syntaxError(err)
		}
	}
	x.spans[path] = [2]int{start, int(x.dec.InputOffset())}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// raw returns the JSON text of the value at path.
func (x *jsonReader) raw(path string) []byte {
	s, ok := x.spans[path]
	if !ok {
		return nil
	}
	return x.data[s[0]:s[1]]
}

// decode fills the document from the walked JSON.
func (x *jsonReader) decode() {
	doc := x.in.Doc
	doc.Format = ""
	if raw := x.raw("format"); raw != nil {
		if err := json.Unmarshal(raw, &doc.Format); err != nil {
			x.in.problem("format", x.in.Positions["format"], "must be the text %q", landscape.DocumentFormat)
		}
	}
	if doc.Format != landscape.DocumentFormat && !x.in.bad["format"] {
		if p, ok := x.in.Positions["format"]; ok {
			x.in.problem("format", p, "unsupported format %q, want %q", doc.Format, landscape.DocumentFormat)
		} else {
			p := x.in.Positions[""]
			p.Label = "format"
			x.in.problem("format", p, "is missing: a bildungsgraph document starts with \"format\": %q", landscape.DocumentFormat)
		}
	}
	doc.Format = landscape.DocumentFormat
	for i := 0; ; i++ {
		path := fmt.Sprintf("nodes[%d]", i)
		if _, ok := x.spans[path]; !ok {
			break
		}
		n := &landscape.Node{}
		x.decodeObject(path, n, func() any { return &landscape.Node{} })
		doc.Nodes = append(doc.Nodes, n)
	}
	for i := 0; ; i++ {
		path := fmt.Sprintf("edges[%d]", i)
		if _, ok := x.spans[path]; !ok {
			break
		}
		e := &landscape.Edge{}
		x.decodeObject(path, e, func() any { return &landscape.Edge{} })
		doc.Edges = append(doc.Edges, e)
	}
}

// decodeObject decodes the object at path into dst. When that fails it
// decodes field by field to report each bad value at its place, and keeps
// the fields that could be read.
func (x *jsonReader) decodeObject(path string, dst any, fresh func() any) {
	keys, ok := x.keys[path]
	if !ok {
		return // not an object: reported by walk
	}
	if json.Unmarshal(x.raw(path), dst) == nil && !x.anyBad(path, keys) {
		return
	}
	var fields []string
	for key := range keys {
		fields = append(fields, key)
	}
	sortStrings(fields)
	var good bytes.Buffer
	good.WriteByte('{')
	for _, key := range fields {
		child := path + "." + key
		if x.in.bad[child] {
			continue
		}
		kv, _ := json.Marshal(key)
		one := append(append(append([]byte("{"), kv...), ':'), x.raw(child)...)
		one = append(one, '}')
		dec := json.NewDecoder(bytes.NewReader(one))
		dec.DisallowUnknownFields()
		if err := dec.Decode(fresh()); err != nil {
			x.in.problem(child, x.in.Positions[child], "%s", jsonValueError(key, err))
			continue
		}
		if good.Len() > 1 {
			good.WriteByte(',')
		}
		good.Write(one[1 : len(one)-1])
	}
	good.WriteByte('}')
	reflect.ValueOf(dst).Elem().SetZero()
	_ = json.Unmarshal(good.Bytes(), dst)
}

func (x *jsonReader) anyBad(path string, keys map[string]int) bool {
	for key := range keys {
		if x.in.bad[path+"."+key] {
			return true
		}
	}
	return false
}

// jsonValueError explains why the value of key could not be decoded.
func jsonValueError(key string, err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("expected %s, not a JSON %s", goTypeText(te.Type), te.Value)
	}
	var pe *time.ParseError
	if errors.As(err, &pe) || key == "createdAt" || key == "updatedAt" {
		return "is not a time of the form 2024-01-31T12:00:00Z"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func goTypeText(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == reflect.TypeFor[landscape.Date]():
		return "a date \"YYYY-MM-DD\""
	case t == reflect.TypeFor[time.Time]():
		return "a time \"2024-01-31T12:00:00Z\""
	}
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list of " + strings.TrimPrefix(goTypeText(t.Elem()), "a ")
	case reflect.Struct:
		return "an object"
	}
	return t.String()
}
