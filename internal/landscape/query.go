package landscape

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Field is a node field a filter can test.
type Field string

// The filterable fields.
const (
	FieldID          Field = "id"
	FieldKind        Field = "kind"
	FieldName        Field = "name"
	FieldDescription Field = "description"
	FieldSource      Field = "source"
	FieldCategory    Field = "category"
	FieldAlias       Field = "alias" // true when any alias matches
)

// Fields lists the filterable fields.
var Fields = []Field{FieldID, FieldKind, FieldName, FieldDescription, FieldSource, FieldCategory, FieldAlias}

// Operator compares a field with values. Eq and In compare exactly;
// Contains and StartsWith ignore case.
type Operator string

// The operators.
const (
	Eq         Operator = "eq"
	In         Operator = "in"
	Contains   Operator = "contains"
	StartsWith Operator = "startsWith"
)

// Direction of an edge seen from a node.
type Direction string

// The directions.
const (
	DirOut  Direction = "OUT"
	DirIn   Direction = "IN"
	DirBoth Direction = "BOTH"
)

// Quantifier of a relation filter.
type Quantifier string

// The quantifiers.
const (
	QuantSome Quantifier = "SOME" // at least one related node matches
	QuantNone Quantifier = "NONE" // no related node matches
)

// Filter selects nodes. It is the conjunction of all its parts that are set:
// every filter of And, at least one of Or (when Or is not empty), not Not,
// the field condition (when Field is set) and the relation condition. The
// empty filter selects every node.
type Filter struct {
	And []*Filter
	Or  []*Filter
	Not *Filter

	Field    Field
	Operator Operator
	Values   []string

	Relation *RelationFilter

	// Path is where this part came from in the caller's input, e.g.
	// "filter.id" or "filter.related.some" in GraphQL, when the input's
	// shape differs from the tree; problems name it instead of the path in
	// the tree ("filter.and[0]"). Empty: the path in the tree.
	Path string
}

// RelationFilter tests a node's edges: whether some (or no) edge of the given
// kinds and direction leads to a node matching Node (nil: any node). Under an
// as-of date only edges and nodes valid on that date count.
type RelationFilter struct {
	Kinds      []EdgeKind
	Direction  Direction
	Quantifier Quantifier
	Node       *Filter
}

const (
	maxFilterDepth = 8
	maxFilterParts = 200
)

// MaxFilterValues is the most values an "in" condition of a filter takes.
const MaxFilterValues = 1000

// Validate checks f and names the place of every problem below field.
func (f *Filter) Validate(field string) error {
	var p problems
	parts := 0
	f.validate(&p, field, 0, &parts)
	if parts > maxFilterParts {
		p.add(field, "has %d conditions; at most %d are allowed", parts, maxFilterParts)
	}
	return p.err()
}

func (f *Filter) validate(p *problems, field string, depth int, parts *int) {
	if f == nil {
		return
	}
	if f.Path != "" {
		field = f.Path
	}
	if depth > maxFilterDepth {
		p.add(field, "is nested deeper than %d levels", maxFilterDepth)
		return
	}
	*parts++
	for i, g := range f.And {
		g.validate(p, fmt.Sprintf("%s.and[%d]", field, i), depth+1, parts)
	}
	for i, g := range f.Or {
		g.validate(p, fmt.Sprintf("%s.or[%d]", field, i), depth+1, parts)
	}
	f.Not.validate(p, field+".not", depth+1, parts)
	if f.Field != "" {
		if !slices.Contains(Fields, f.Field) {
			p.add(field, "unknown field %q; one of %s", f.Field, joinKinds(Fields))
		}
		switch f.Operator {
		case Eq, Contains, StartsWith:
			if len(f.Values) != 1 {
				p.add(field+"."+string(f.Operator), "takes one value, not %d", len(f.Values))
			}
		case In:
			if len(f.Values) > MaxFilterValues {
				p.add(field+".in", "takes at most %d values, not %d", MaxFilterValues, len(f.Values))
			}
		default:
			p.add(field, "unknown operator %q", f.Operator)
		}
	}
	if r := f.Relation; r != nil {
		rf := field + ".relation"
		for i, k := range r.Kinds {
			if !k.Valid() {
				p.add(fmt.Sprintf("%s.kinds[%d]", rf, i), "unknown edge kind %q", k)
			}
		}
		if r.Direction != DirOut && r.Direction != DirIn && r.Direction != DirBoth {
			p.add(rf+".direction", "unknown direction %q", r.Direction)
		}
		if r.Quantifier != QuantSome && r.Quantifier != QuantNone {
			p.add(rf+".quantifier", "unknown quantifier %q", r.Quantifier)
		}
		r.Node.validate(p, rf+".node", depth+1, parts)
	}
}

// MatchField reports whether n passes the field condition of f; the single
// definition of Eq, In, Contains and StartsWith.
func (f *Filter) MatchField(n *Node) bool {
	if f.Field == FieldAlias {
		for _, a := range n.Aliases {
			if f.matchValue(a) {
				return true
			}
		}
		return false
	}
	return f.matchValue(FieldValue(n, f.Field))
}

func (f *Filter) matchValue(v string) bool {
	switch f.Operator {
	case Eq:
		return v == f.Values[0]
	case In:
		return slices.Contains(f.Values, v)
	case Contains:
		return lowerContains(v, strings.ToLower(f.Values[0]))
	case StartsWith:
		return lowerHasPrefix(v, strings.ToLower(f.Values[0]))
	}
	return false
}

// lowerContains reports whether strings.ToLower(s) contains lsub, a result
// of strings.ToLower. A search tests every name of the landscape, so it
// builds no string: a name in ASCII is compared byte by byte, another one
// lowered into a buffer on the stack.
func lowerContains(s, lsub string) bool {
	if !isASCII(s) {
		var buf [128]byte // most names fit: no allocation
		return bytes.Contains(appendLower(buf[:0], s), []byte(lsub))
	}
	// The lowered s is ASCII: it holds lsub only if lsub is ASCII too.
	if len(lsub) == 0 {
		return true
	}
	first := lsub[0]
	for i := 0; i+len(lsub) <= len(s); i++ {
		if lowerASCII(s[i]) == first && asciiHasLowerPrefix(s[i:], lsub) {
			return true
		}
	}
	return false
}

// lowerHasPrefix reports whether strings.ToLower(s) starts with lsub, a
// result of strings.ToLower.
func lowerHasPrefix(s, lsub string) bool {
	if !isASCII(s) {
		var buf [128]byte
		return bytes.HasPrefix(appendLower(buf[:0], s), []byte(lsub))
	}
	return len(lsub) <= len(s) && asciiHasLowerPrefix(s, lsub)
}

// asciiHasLowerPrefix reports whether the lowered ASCII s starts with lsub
// (len(lsub) <= len(s)); a byte of lsub outside ASCII never matches.
func asciiHasLowerPrefix(s, lsub string) bool {
	for k := 0; k < len(lsub); k++ {
		if lowerASCII(s[k]) != lsub[k] {
			return false
		}
	}
	return true
}

// appendLower appends strings.ToLower(s) to b: each rune lowered, a byte
// that is not UTF-8 as U+FFFD, as strings.Map writes it.
func appendLower(b []byte, s string) []byte {
	for _, c := range s {
		b = utf8.AppendRune(b, unicode.ToLower(c))
	}
	return b
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// FieldValue returns the value of a string field of n.
func FieldValue(n *Node, f Field) string {
	switch f {
	case FieldID:
		return n.ID
	case FieldKind:
		return string(n.Kind)
	case FieldName:
		return n.Name
	case FieldDescription:
		return n.Description
	case FieldSource:
		return n.Source
	case FieldCategory:
		return n.Category
	}
	return ""
}

// OrderField is a node field results can be sorted by.
type OrderField string

// The sort keys. Ties are always broken by id, ascending.
const (
	OrderName      OrderField = "name"
	OrderID        OrderField = "id"
	OrderKind      OrderField = "kind"
	OrderCreatedAt OrderField = "createdAt"
	OrderUpdatedAt OrderField = "updatedAt"
	OrderValidFrom OrderField = "validFrom" // a missing date sorts first
	OrderValidTo   OrderField = "validTo"   // a missing date sorts first
)

// OrderFields lists the sort keys.
var OrderFields = []OrderField{OrderName, OrderID, OrderKind, OrderCreatedAt, OrderUpdatedAt, OrderValidFrom, OrderValidTo}

// Order is one sort key.
type Order struct {
	Field OrderField
	Desc  bool
}

// DefaultOrder sorts by name.
var DefaultOrder = []Order{{Field: OrderName}}

// SortValue returns n's value of sort key f as a comparable string: names and
// kinds as they are, times as fixed-width UTC text, dates as YYYY-MM-DD ("" when
// missing). Comparing these strings byte-wise gives the order of the values.
func SortValue(n *Node, f OrderField) string {
	switch f {
	case OrderName:
		return n.Name
	case OrderID:
		return n.ID
	case OrderKind:
		return string(n.Kind)
	case OrderCreatedAt:
		return TimeKey(n.CreatedAt)
	case OrderUpdatedAt:
		return TimeKey(n.UpdatedAt)
	case OrderValidFrom:
		return dateKey(n.ValidFrom)
	case OrderValidTo:
		return dateKey(n.ValidTo)
	}
	return ""
}

// TimeKey formats t as fixed-width UTC text that sorts like t.
func TimeKey(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

func dateKey(d *Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// CompareNodes orders a and b by the sort keys, then by id.
func CompareNodes(a, b *Node, order []Order) int {
	for _, o := range order {
		c := strings.Compare(SortValue(a, o.Field), SortValue(b, o.Field))
		if o.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return cmp.Compare(a.ID, b.ID)
}

// PageArgs are Relay connection arguments: First/After pages forward,
// Last/Before backward.
type PageArgs struct {
	First  *int
	After  string
	Last   *int
	Before string
}

// Page sizes.
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000
	// MaxWithin bounds AdjacencyQuery.Within.
	MaxWithin = 100 * MaxPageSize
)

// Validate checks the page arguments.
func (a PageArgs) Validate() error {
	var p problems
	if a.First != nil && a.Last != nil {
		p.add("last", "give first or last, not both")
	}
	for _, x := range []struct {
		name string
		v    *int
	}{{"first", a.First}, {"last", a.Last}} {
		if x.v != nil && (*x.v < 0 || *x.v > MaxPageSize) {
			p.add(x.name, "must be between 0 and %d, not %d", MaxPageSize, *x.v)
		}
	}
	if a.After != "" && a.Before != "" {
		p.add("before", "give after or before, not both")
	}
	return p.err()
}

// Limit returns the page size and whether the page is taken from the end.
func (a PageArgs) Limit() (n int, backward bool) {
	switch {
	case a.First != nil:
		return *a.First, false
	case a.Last != nil:
		return *a.Last, true
	case a.Before != "":
		return DefaultPageSize, true
	}
	return DefaultPageSize, false
}

// Cursor is a position in a sorted result: the sort values of a node and
// its id. It is opaque to clients.
type Cursor struct {
	Order  string   `json:"o"`
	Values []string `json:"v"`
	ID     string   `json:"id"`
}

// OrderKey names an order, to tie cursors to the order they were made for.
func OrderKey(order []Order) string {
	var b strings.Builder
	for _, o := range order {
		b.WriteString(string(o.Field))
		if o.Desc {
			b.WriteString(" desc")
		}
		b.WriteString(",")
	}
	return b.String()
}

// CursorOf returns the cursor of n in a result sorted by order.
func CursorOf(n *Node, order []Order) string {
	c := Cursor{Order: OrderKey(order), ID: n.ID}
	for _, o := range order {
		c.Values = append(c.Values, SortValue(n, o.Field))
	}
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ParseCursor decodes a cursor made for order.
func ParseCursor(field, s string, order []Order) (*Cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c Cursor
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || len(c.Values) != len(order) {
		return nil, Errorf(EInvalid, field, "is not a cursor of this connection")
	}
	if c.Order != OrderKey(order) {
		return nil, Errorf(EInvalid, field, "belongs to another sort order; page again from the start")
	}
	return &c, nil
}

// CompareCursor orders n against the position c, like CompareNodes.
func CompareCursor(n *Node, c *Cursor, order []Order) int {
	for i, o := range order {
		r := strings.Compare(SortValue(n, o.Field), c.Values[i])
		if o.Desc {
			r = -r
		}
		if r != 0 {
			return r
		}
	}
	return cmp.Compare(n.ID, c.ID)
}

// NodeQuery selects a page of nodes.
type NodeQuery struct {
	Kinds  []NodeKind // empty: every kind
	Filter *Filter
	Order  []Order // empty: DefaultOrder
	Page   PageArgs
	AsOf   *Date // only nodes valid on this date (nil: all)
}

// Normalize fills defaults and validates q.
func (q *NodeQuery) Normalize() error {
	var p problems
	if len(q.Order) == 0 {
		q.Order = DefaultOrder
	}
	for i, o := range q.Order {
		if !slices.Contains(OrderFields, o.Field) {
			p.add(fmt.Sprintf("orderBy[%d]", i), "unknown sort key %q", o.Field)
		}
	}
	for i, k := range q.Kinds {
		if !k.Valid() {
			p.add(fmt.Sprintf("kinds[%d]", i), "unknown node kind %q", k)
		}
	}
	if q.Filter != nil {
		if err := q.Filter.Validate("filter"); err != nil {
			p.addAll(err)
		}
	}
	if err := q.Page.Validate(); err != nil {
		p.addAll(err)
	}
	return p.err()
}

// NodePage is a page of a node query.
type NodePage struct {
	Nodes           []*Node
	TotalCount      int
	HasNextPage     bool
	HasPreviousPage bool
}

// PageNodes cuts a page out of all matching nodes, sorted by q.Order; the
// single definition of cursor semantics for stores that sort in memory.
func PageNodes(sorted []*Node, q *NodeQuery) (*NodePage, error) {
	lo, hi := 0, len(sorted)
	if q.Page.After != "" {
		c, err := ParseCursor("after", q.Page.After, q.Order)
		if err != nil {
			return nil, err
		}
		lo, _ = slices.BinarySearchFunc(sorted, c, func(n *Node, c *Cursor) int { return CompareCursor(n, c, q.Order) })
		if lo < len(sorted) && CompareCursor(sorted[lo], c, q.Order) == 0 {
			lo++
		}
	}
	if q.Page.Before != "" {
		c, err := ParseCursor("before", q.Page.Before, q.Order)
		if err != nil {
			return nil, err
		}
		hi, _ = slices.BinarySearchFunc(sorted, c, func(n *Node, c *Cursor) int { return CompareCursor(n, c, q.Order) })
	}
	n, backward := q.Page.Limit()
	from, to := lo, min(lo+n, hi)
	if backward {
		from, to = max(hi-n, lo), hi
	}
	if from > to {
		from = to
	}
	return &NodePage{
		Nodes:           slices.Clone(sorted[from:to]),
		TotalCount:      len(sorted),
		HasNextPage:     to < len(sorted),
		HasPreviousPage: from > 0,
	}, nil
}

// EdgeQuery selects a page of edges, sorted by id.
type EdgeQuery struct {
	Kinds []EdgeKind // empty: every kind
	From  []string   // empty: any start
	To    []string   // empty: any end
	Roles []string   // empty: any role
	Page  PageArgs
	AsOf  *Date // only edges valid on this date whose ends are valid too
}

// Validate checks q.
func (q *EdgeQuery) Validate() error {
	var p problems
	for i, k := range q.Kinds {
		if !k.Valid() {
			p.add(fmt.Sprintf("kinds[%d]", i), "unknown edge kind %q", k)
		}
	}
	for _, ids := range []struct {
		name string
		ids  []string
	}{{"from", q.From}, {"to", q.To}} {
		if len(ids.ids) > MaxFilterValues {
			p.add(ids.name, "takes at most %d ids", MaxFilterValues)
		}
	}
	if err := q.Page.Validate(); err != nil {
		p.addAll(err)
	}
	return p.err()
}

// Match reports whether e passes the kind, end and role conditions of q.
func (q *EdgeQuery) Match(e *Edge) bool { return q.MatchParts(e.Kind, e.From, e.To, e.Role) }

// MatchParts is Match for an edge given by the parts it looks at.
func (q *EdgeQuery) MatchParts(kind EdgeKind, from, to, role string) bool {
	return (len(q.Kinds) == 0 || slices.Contains(q.Kinds, kind)) &&
		(len(q.From) == 0 || slices.Contains(q.From, from)) &&
		(len(q.To) == 0 || slices.Contains(q.To, to)) &&
		(len(q.Roles) == 0 || slices.Contains(q.Roles, role))
}

// EdgePage is a page of an edge query.
type EdgePage struct {
	Edges           []*Edge
	TotalCount      int
	HasNextPage     bool
	HasPreviousPage bool
}

// EdgeCursor returns the cursor of e in a result sorted by id.
func EdgeCursor(e *Edge) string {
	return base64.RawURLEncoding.EncodeToString([]byte("e:" + e.ID))
}

// ParseEdgeCursor returns the edge id an edge cursor points at.
func ParseEdgeCursor(field, s string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !strings.HasPrefix(string(b), "e:") {
		return "", Errorf(EInvalid, field, "is not a cursor of this connection")
	}
	return string(b[2:]), nil
}

// PageEdges cuts a page out of all matching edges sorted by id.
func PageEdges(sorted []*Edge, page PageArgs) (*EdgePage, error) {
	return PageEdgesOf(sorted, func(e *Edge) string { return e.ID }, func(e *Edge) *Edge { return e }, page)
}

// PageEdgesOf is PageEdges over a store's own records of edges, sorted by
// id: id returns a record's edge id, and edge the edge of a record on the
// page (called for those records only).
func PageEdgesOf[T any](sorted []T, id func(T) string, edge func(T) *Edge, page PageArgs) (*EdgePage, error) {
	lo, hi := 0, len(sorted)
	byID := func(r T, s string) int { return cmp.Compare(id(r), s) }
	if page.After != "" {
		s, err := ParseEdgeCursor("after", page.After)
		if err != nil {
			return nil, err
		}
		lo, _ = slices.BinarySearchFunc(sorted, s, byID)
		if lo < len(sorted) && id(sorted[lo]) == s {
			lo++
		}
	}
	if page.Before != "" {
		s, err := ParseEdgeCursor("before", page.Before)
		if err != nil {
			return nil, err
		}
		hi, _ = slices.BinarySearchFunc(sorted, s, byID)
	}
	n, backward := page.Limit()
	from, to := lo, min(lo+n, hi)
	if backward {
		from, to = max(hi-n, lo), hi
	}
	if from > to {
		from = to
	}
	edges := make([]*Edge, to-from)
	for i, r := range sorted[from:to] {
		edges[i] = edge(r)
	}
	return &EdgePage{
		Edges:           edges,
		TotalCount:      len(sorted),
		HasNextPage:     to < len(sorted),
		HasPreviousPage: from > 0,
	}, nil
}

// AdjacencyQuery asks for the edges at each of a set of nodes.
type AdjacencyQuery struct {
	NodeIDs   []string
	Direction Direction  // OUT: edges starting at the node; IN: ending there; BOTH
	Kinds     []EdgeKind // empty: every kind
	AsOf      *Date      // only edges valid on this date whose ends are valid too
	// Within, when not empty, keeps only the edges whose other end is one
	// of these ids: the edges among a set of nodes, read without the edges
	// that leave it (for a set larger than one call carries, NodeIDs are
	// its chunks and Within is the whole set).
	Within []string
}

// Validate checks q.
func (q *AdjacencyQuery) Validate() error {
	var p problems
	if len(q.Within) > MaxWithin {
		p.add("within", "at most %d ids, not %d", MaxWithin, len(q.Within))
	}
	if q.Direction != DirOut && q.Direction != DirIn && q.Direction != DirBoth {
		p.add("direction", "unknown direction %q", q.Direction)
	}
	for i, k := range q.Kinds {
		if !k.Valid() {
			p.add(fmt.Sprintf("kinds[%d]", i), "unknown edge kind %q", k)
		}
	}
	return p.err()
}

// SortEdges sorts edges by id, the order of every edge list.
func SortEdges(es []*Edge) {
	slices.SortFunc(es, func(a, b *Edge) int { return cmp.Compare(a.ID, b.ID) })
}
