package neo4jstore

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// nodeProps returns the properties of n as Neo4j stores them, every domain
// property present: an absent value is nil, which SET n += removes.
func nodeProps(n *landscape.Node) map[string]any {
	return map[string]any{
		"id":            n.ID,
		"name":          str(n.Name),
		"description":   str(n.Description),
		"category":      str(n.Category),
		"aliases":       strList(n.Aliases),
		"source":        str(n.Source),
		"illustrative":  flag(n.Illustrative),
		"validFrom":     date(n.ValidFrom),
		"validTo":       date(n.ValidTo),
		"scope":         str(n.Scope),
		"meetingRhythm": str(n.MeetingRhythm),
		"officialCode":  str(n.OfficialCode),
		"order":         integer(n.Order),
		"ageFrom":       integer(n.AgeFrom),
		"ageTo":         integer(n.AgeTo),
		"url":           str(n.URL),
		"contactEmail":  str(n.ContactEmail),
		"contactPhone":  str(n.ContactPhone),
		"createdAt":     n.CreatedAt.UTC(),
		"updatedAt":     n.UpdatedAt.UTC(),
	}
}

// edgeProps returns the properties of e's relationship, like nodeProps. The
// kind is the relationship type and the ends are its nodes.
func edgeProps(e *landscape.Edge) map[string]any {
	return map[string]any{
		"id":           e.ID,
		"role":         str(e.Role),
		"agreement":    str(e.Agreement),
		"description":  str(e.Description),
		"source":       str(e.Source),
		"illustrative": flag(e.Illustrative),
		"validFrom":    date(e.ValidFrom),
		"validTo":      date(e.ValidTo),
		"createdAt":    e.CreatedAt.UTC(),
		"updatedAt":    e.UpdatedAt.UTC(),
	}
}

// present drops the nil values of props (for CREATE, which has nothing to
// remove).
func present(props map[string]any) map[string]any {
	for k, v := range props {
		if v == nil {
			delete(props, k)
		}
	}
	return props
}

func str(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func strList(l []string) any {
	if len(l) == 0 {
		return nil
	}
	return slices.Clone(l)
}

func flag(b bool) any {
	if !b {
		return nil
	}
	return true
}

func date(d *landscape.Date) any {
	if d == nil {
		return nil
	}
	return neo4jDate(*d)
}

func neo4jDate(d landscape.Date) neo4j.Date { return neo4j.Date(d.Time()) }

func integer(i *int) any {
	if i == nil {
		return nil
	}
	return int64(*i)
}

// kindOfLabels returns the node kind among labels: the first label on the
// allow-list (a node carries exactly one; others, e.g. added in Bloom, are
// ignored).
func kindOfLabels(labels []string) (landscape.NodeKind, bool) {
	for _, l := range labels {
		if k := landscape.NodeKind(l); k.Valid() {
			return k, true
		}
	}
	return "", false
}

// decodeNode turns a Neo4j node into a landscape node.
func decodeNode(v any) (*landscape.Node, error) {
	if m, ok := v.(map[string]any); ok {
		return decodeBriefNode(m)
	}
	nd, ok := v.(neo4j.Node)
	if !ok {
		return nil, fmt.Errorf("want a node, got %T", v)
	}
	kind, ok := kindOfLabels(nd.Labels)
	if !ok {
		return nil, fmt.Errorf("node %v has no node-kind label: %v", nd.Props["id"], nd.Labels)
	}
	d := decoder{props: nd.Props, what: "node"}
	n := &landscape.Node{Kind: kind}
	d.str("id", &n.ID)
	d.id = n.ID
	d.str("name", &n.Name)
	d.str("description", &n.Description)
	d.str("category", &n.Category)
	d.strs("aliases", &n.Aliases)
	d.str("source", &n.Source)
	d.flag("illustrative", &n.Illustrative)
	d.date("validFrom", &n.ValidFrom)
	d.date("validTo", &n.ValidTo)
	d.str("scope", &n.Scope)
	d.str("meetingRhythm", &n.MeetingRhythm)
	d.str("officialCode", &n.OfficialCode)
	d.int("order", &n.Order)
	d.int("ageFrom", &n.AgeFrom)
	d.int("ageTo", &n.AgeTo)
	d.str("url", &n.URL)
	d.str("contactEmail", &n.ContactEmail)
	d.str("contactPhone", &n.ContactPhone)
	d.time("createdAt", &n.CreatedAt)
	d.time("updatedAt", &n.UpdatedAt)
	return n, d.err
}

// decodeNodes adds the nodes of a list of Neo4j nodes to into, by id.
func decodeNodes(v any, into map[string]*landscape.Node) error {
	list, _ := v.([]any)
	for _, x := range list {
		n, err := decodeNode(x)
		if err != nil {
			return err
		}
		into[n.ID] = n
	}
	return nil
}

// decodeEdge turns a relationship with the ids of its start and end node into
// a landscape edge.
func decodeEdge(v any, from, to any) (*landscape.Edge, error) {
	if m, ok := v.(map[string]any); ok {
		return decodeBriefEdge(m, from, to)
	}
	r, ok := v.(neo4j.Relationship)
	if !ok {
		return nil, fmt.Errorf("want a relationship, got %T", v)
	}
	kind := landscape.EdgeKind(r.Type)
	if !kind.Valid() {
		return nil, fmt.Errorf("relationship %v has the unknown type %q", r.Props["id"], r.Type)
	}
	e := &landscape.Edge{Kind: kind}
	var ok1, ok2 bool
	e.From, ok1 = from.(string)
	e.To, ok2 = to.(string)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("relationship %v: the ids of its ends are %T and %T, want strings", r.Props["id"], from, to)
	}
	d := decoder{props: r.Props, what: "edge"}
	d.str("id", &e.ID)
	d.id = e.ID
	d.str("role", &e.Role)
	d.str("agreement", &e.Agreement)
	d.str("description", &e.Description)
	d.str("source", &e.Source)
	d.flag("illustrative", &e.Illustrative)
	d.date("validFrom", &e.ValidFrom)
	d.date("validTo", &e.ValidTo)
	d.time("createdAt", &e.CreatedAt)
	d.time("updatedAt", &e.UpdatedAt)
	return e, d.err
}

// decodeBriefNode decodes what a brief read returns of a node (a map of
// its id, its name and its labels) into landscape.Node.Brief's fields.
func decodeBriefNode(m map[string]any) (*landscape.Node, error) {
	d := decoder{props: m, what: "node"}
	n := &landscape.Node{}
	d.str("id", &n.ID)
	d.id = n.ID
	d.str("name", &n.Name)
	var labels []string
	d.strs("labels", &labels)
	if d.err != nil {
		return nil, d.err
	}
	kind, ok := kindOfLabels(labels)
	if !ok {
		return nil, fmt.Errorf("node %q has no node-kind label: %v", n.ID, labels)
	}
	n.Kind = kind
	return n, nil
}

// decodeBriefEdge decodes what a brief read returns of a relationship (a
// map of its id and its type) with the ids of its ends into
// landscape.Edge.Brief's fields.
func decodeBriefEdge(m map[string]any, from, to any) (*landscape.Edge, error) {
	d := decoder{props: m, what: "edge"}
	e := &landscape.Edge{}
	d.str("id", &e.ID)
	d.id = e.ID
	var typ string
	d.str("type", &typ)
	if d.err != nil {
		return nil, d.err
	}
	e.Kind = landscape.EdgeKind(typ)
	if !e.Kind.Valid() {
		return nil, fmt.Errorf("relationship %q has the unknown type %q", e.ID, typ)
	}
	var ok1, ok2 bool
	e.From, ok1 = from.(string)
	e.To, ok2 = to.(string)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("relationship %q: the ids of its ends are %T and %T, want strings", e.ID, from, to)
	}
	return e, nil
}

// decoder reads typed properties and keeps the first type error, which
// names what it decodes ("node", "edge") and, once read, its id.
type decoder struct {
	props map[string]any
	what  string
	id    string
	err   error
}

func (d *decoder) fail(key string, v any, want string) {
	if d.err != nil {
		return
	}
	what := d.what
	if d.id != "" {
		what = fmt.Sprintf("%s %q", d.what, d.id)
	}
	d.err = fmt.Errorf("%s: property %s is a %T, want %s", what, key, v, want)
}

func (d *decoder) str(key string, dst *string) {
	switch v := d.props[key].(type) {
	case nil:
	case string:
		*dst = v
	default:
		d.fail(key, v, "a string")
	}
}

func (d *decoder) strs(key string, dst *[]string) {
	switch v := d.props[key].(type) {
	case nil:
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				d.fail(key, x, "a list of strings")
				return
			}
			out = append(out, s)
		}
		if len(out) > 0 {
			*dst = out
		}
	case string: // a single alias set by hand in the Browser
		*dst = []string{v}
	default:
		d.fail(key, v, "a list of strings")
	}
}

func (d *decoder) flag(key string, dst *bool) {
	switch v := d.props[key].(type) {
	case nil:
	case bool:
		*dst = v
	default:
		d.fail(key, v, "a boolean")
	}
}

func (d *decoder) int(key string, dst **int) {
	switch v := d.props[key].(type) {
	case nil:
	case int64:
		i := int(v)
		*dst = &i
	case float64:
		if v != math.Trunc(v) {
			d.fail(key, v, "an integer")
			return
		}
		i := int(v)
		*dst = &i
	default:
		d.fail(key, v, "an integer")
	}
}

func (d *decoder) date(key string, dst **landscape.Date) {
	switch v := d.props[key].(type) {
	case nil:
	case dbtype.Date:
		t := time.Time(v)
		x := landscape.NewDate(t.Date())
		*dst = &x
	case string: // a date typed by hand as text
		x, err := landscape.ParseDate(v)
		if err != nil {
			d.fail(key, v, "a date")
			return
		}
		*dst = &x
	default:
		d.fail(key, v, "a date")
	}
}

func (d *decoder) time(key string, dst *time.Time) {
	switch v := d.props[key].(type) {
	case nil:
	case time.Time:
		*dst = v.UTC()
	case dbtype.LocalDateTime:
		*dst = time.Time(v).UTC()
	default:
		d.fail(key, v, "a datetime")
	}
}
