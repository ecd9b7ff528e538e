package neo4jstore

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// builder collects the parameters of one Cypher statement. Every value goes
// into a parameter; the text holds only variable names, property names of
// the model and labels or types from the allow-lists.
type builder struct {
	params map[string]any
	n      int // parameters
	vars   int // fresh variables
}

func newBuilder() *builder { return &builder{params: map[string]any{}} }

// param adds v and returns its reference ($p3).
func (b *builder) param(v any) string {
	name := fmt.Sprintf("p%d", b.n)
	b.n++
	b.params[name] = v
	return "$" + name
}

// named adds v under a fixed name and returns its reference.
func (b *builder) named(name string, v any) string {
	b.params[name] = v
	return "$" + name
}

// fresh returns a new variable name with the given prefix.
func (b *builder) fresh(prefix string) string {
	b.vars++
	return fmt.Sprintf("%s%d", prefix, b.vars)
}

// allNodeKinds is the allow-list of node labels as a parameter value.
func (b *builder) allNodeKinds() string {
	if _, ok := b.params["nodeKinds"]; !ok {
		ks := make([]string, len(landscape.NodeKinds))
		for i, k := range landscape.NodeKinds {
			ks[i] = string(k)
		}
		b.params["nodeKinds"] = ks
	}
	return "$nodeKinds"
}

// kindExpr is the kind of node v: its label on the allow-list.
func (b *builder) kindExpr(v string) string {
	return fmt.Sprintf("coalesce([l IN labels(%s) WHERE l IN %s][0], '')", v, b.allNodeKinds())
}

// labelsExpr is "v:A OR v:B" for the given node kinds (all checked against
// the allow-list); "false" for none.
func labelsExpr(v string, kinds []landscape.NodeKind) string {
	var parts []string
	for _, k := range kinds {
		if k.Valid() && !slices.Contains(parts, v+":"+string(k)) {
			parts = append(parts, v+":"+nodeLabel(k))
		}
	}
	switch len(parts) {
	case 0:
		return "false"
	case 1:
		return parts[0]
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// typesExpr is "A|B" for the given edge kinds, every kind when empty.
func typesExpr(kinds []landscape.EdgeKind) string {
	if len(kinds) == 0 {
		kinds = landscape.EdgeKinds
	}
	var parts []string
	for _, k := range kinds {
		if t := edgeType(k); !slices.Contains(parts, t) {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "|")
}

// validAt is the as-of condition on the node or relationship x: valid on the
// date $asOf, both ends inclusive, a missing end open. It never yields null.
func validAt(x, asOf string) string {
	return fmt.Sprintf("(%[1]s.validFrom IS NULL OR %[1]s.validFrom <= %[2]s) AND (%[1]s.validTo IS NULL OR %[1]s.validTo >= %[2]s)", x, asOf)
}

// and joins conditions with AND, each in parentheses; "true" for none.
func and(conds ...string) string {
	var parts []string
	for _, c := range conds {
		if c != "" && c != "true" {
			parts = append(parts, c)
		}
	}
	switch len(parts) {
	case 0:
		return "true"
	case 1:
		return parts[0]
	}
	return "(" + strings.Join(parts, ") AND (") + ")"
}

// ---------------------------------------------------------------------------
// Filters.

// filter translates f into a condition on node v with the semantics of
// landscape.MatchFilter. asOf is the parameter of the as-of date ("" for
// none). Every condition it returns is true or false, never null, so that NOT
// negates it exactly as the reference does.
//
// When f only holds for nodes related to nodes of given ids, the statement
// first collects the candidates for v, walking from those ids back (see
// landscape.Pinned and prefilter), and the condition starts with v being among them:
// the planner then seeks v by element id instead of running the
// relation's EXISTS subqueries on every node that the other conditions let
// through, which it otherwise does in an order that varies with its
// statistics. The exact condition follows unchanged. Only the top-level
// condition gets one.
func (b *builder) filter(f *landscape.Filter, v, asOf string) (pre prefiltered, cond string) {
	pre = b.prefilter(f, v)
	return pre, and(pre.cond, b.cond(f, v, asOf))
}

// cond is the exact condition of filter, without a prefilter.
func (b *builder) cond(f *landscape.Filter, v, asOf string) string {
	if f == nil {
		return "true"
	}
	var parts []string
	for _, g := range f.And {
		parts = append(parts, b.cond(g, v, asOf))
	}
	if len(f.Or) > 0 {
		ors := make([]string, len(f.Or))
		for i, g := range f.Or {
			ors[i] = b.cond(g, v, asOf)
			if ors[i] == "true" {
				ors = []string{"true"}
				break
			}
		}
		if len(ors) == 1 {
			parts = append(parts, ors[0])
		} else {
			parts = append(parts, "("+strings.Join(ors, " OR ")+")")
		}
	}
	if f.Not != nil {
		parts = append(parts, "NOT ("+b.cond(f.Not, v, asOf)+")")
	}
	if f.Field != "" {
		parts = append(parts, b.field(f, v))
	}
	if f.Relation != nil {
		parts = append(parts, b.relation(f.Relation, v, asOf))
	}
	c := and(parts...)
	if strings.Contains(c, ") AND (") {
		c = "(" + c + ")"
	}
	return c
}

// fieldProps maps the string fields to their properties.
var fieldProps = map[landscape.Field]string{
	landscape.FieldID:          "id",
	landscape.FieldName:        "name",
	landscape.FieldDescription: "description",
	landscape.FieldSource:      "source",
	landscape.FieldCategory:    "category",
}

// field translates a field condition (landscape.Filter.MatchField). A
// missing property is the empty string, as in the domain.
func (b *builder) field(f *landscape.Filter, v string) string {
	switch f.Field {
	case landscape.FieldKind:
		switch f.Operator {
		case landscape.Eq:
			return labelsExpr(v, []landscape.NodeKind{landscape.NodeKind(f.Values[0])})
		case landscape.In:
			ks := make([]landscape.NodeKind, len(f.Values))
			for i, s := range f.Values {
				ks[i] = landscape.NodeKind(s)
			}
			return labelsExpr(v, ks)
		}
		return b.textMatch(f, b.kindExpr(v))
	case landscape.FieldAlias:
		a := b.fresh("a")
		return fmt.Sprintf("any(%s IN coalesce(%s.aliases, []) WHERE %s)", a, v, b.textMatch(f, a))
	}
	prop, ok := fieldProps[f.Field]
	if !ok {
		return "false" // rejected by Validate
	}
	x := v + "." + prop
	switch f.Operator {
	case landscape.Eq:
		if f.Values[0] == "" {
			return x + " IS NULL"
		}
		return fmt.Sprintf("(%s IS NOT NULL AND %s = %s)", x, x, b.param(f.Values[0]))
	case landscape.In:
		vals := slices.DeleteFunc(slices.Clone(f.Values), func(s string) bool { return s == "" })
		c := fmt.Sprintf("(%s IS NOT NULL AND %s IN %s)", x, x, b.param(vals))
		if len(vals) < len(f.Values) { // "" is among the values
			c = fmt.Sprintf("(%s IS NULL OR %s IN %s)", x, x, b.param(vals))
		}
		return c
	}
	return b.textMatch(f, "coalesce("+x+", '')")
}

// textMatch compares the non-null string expression x with the values of f.
func (b *builder) textMatch(f *landscape.Filter, x string) string {
	switch f.Operator {
	case landscape.Eq:
		return fmt.Sprintf("%s = %s", x, b.param(f.Values[0]))
	case landscape.In:
		return fmt.Sprintf("%s IN %s", x, b.param(slices.Clone(f.Values)))
	case landscape.Contains:
		return fmt.Sprintf("toLower(%s) CONTAINS toLower(%s)", x, b.param(f.Values[0]))
	case landscape.StartsWith:
		return fmt.Sprintf("toLower(%s) STARTS WITH toLower(%s)", x, b.param(f.Values[0]))
	}
	return "false" // rejected by Validate
}

// relation translates a relation condition: whether some (or no) edge of
// the kinds in the direction, valid on asOf, leads to a node valid on asOf
// that passes the node filter.
func (b *builder) relation(r *landscape.RelationFilter, v, asOf string) string {
	rv, m := b.fresh("r"), b.fresh("m")
	types := typesExpr(r.Kinds)
	var pattern string
	switch r.Direction {
	case landscape.DirOut:
		pattern = fmt.Sprintf("(%s)-[%s:%s]->(%s)", v, rv, types, m)
	case landscape.DirIn:
		pattern = fmt.Sprintf("(%s)<-[%s:%s]-(%s)", v, rv, types, m)
	default:
		pattern = fmt.Sprintf("(%s)-[%s:%s]-(%s)", v, rv, types, m)
	}
	var conds []string
	if asOf != "" {
		conds = append(conds, validAt(rv, asOf), validAt(m, asOf))
	}
	conds = append(conds, b.cond(r.Node, m, asOf))
	c := and(conds...)
	exists := "EXISTS { MATCH " + pattern + " }"
	if c != "true" {
		exists = "EXISTS { MATCH " + pattern + " WHERE " + c + " }"
	}
	if r.Quantifier == landscape.QuantNone {
		return "NOT " + exists
	}
	return exists
}

// prefiltered is the prefilter of a statement: a clause that collects the
// element ids of the candidates into a list variable before the statement
// matches v, and the condition that v is among them. The zero value is no
// prefilter: no clause, no variable, condition "true".
type prefiltered struct {
	clause string // "WITH COLLECT { … } AS pin1\n", or ""
	list   string // "pin1", or ""
	cond   string // "elementId(n) IN pin1", or "true"
}

// prefilter collects the candidates of landscape.Pinned(f) for node v: none when f
// does not pin v over a relation (a filter on v's own id needs none: the
// planner seeks v by it). Each chain starts at the id index and follows the
// edges backwards, keeping each node once per step so that the walk touches
// every edge at most once; one MATCH per step, as the nested EXISTS of the
// exact condition may use one relationship in several steps, and so may the
// walk. The candidates are found by their element ids, which are never
// null: the condition is true or false.
//
// The list is collected in a clause of its own, before v is matched, so
// that the walk runs once whatever plan the planner picks. Inside the WHERE
// of v's MATCH, as a COLLECT subquery, the planner may place it anywhere:
// in one benchmark run after a fresh import, the page query's statement
// took 1.2 s instead of the usual 17 ms.
//
// Every node the store writes, the ends of every edge included, is an
// Entity, so the anchors are found among them. Under NOT or NONE a superset
// would not do; Pinned never looks there.
func (b *builder) prefilter(f *landscape.Filter, v string) prefiltered {
	cs, ok := landscape.Pinned(f)
	if !ok || !slices.ContainsFunc(cs, func(c landscape.Chain) bool { return len(c.Steps) > 0 }) {
		return b.namePrefilter(f, v)
	}
	col := b.fresh("e")
	branches := make([]string, len(cs))
	for i, c := range cs {
		x := b.fresh("a")
		q := fmt.Sprintf("MATCH (%[1]s:%[2]s) %[3]s WHERE %[1]s.id IN %[4]s", x, EntityLabel, idHint(x), b.param(slices.Clone(c.IDs)))
		for j, s := range c.Steps {
			y := b.fresh("x")
			if j > 0 {
				q += fmt.Sprintf(" WITH DISTINCT %s", x)
			}
			// The step was seen from y: walk it the other way.
			switch s.Direction {
			case landscape.DirOut:
				q += fmt.Sprintf(" MATCH (%s)<-[:%s]-(%s)", x, typesExpr(s.Kinds), y)
			case landscape.DirIn:
				q += fmt.Sprintf(" MATCH (%s)-[:%s]->(%s)", x, typesExpr(s.Kinds), y)
			default:
				q += fmt.Sprintf(" MATCH (%s)-[:%s]-(%s)", x, typesExpr(s.Kinds), y)
			}
			x = y
		}
		branches[i] = fmt.Sprintf("%s RETURN DISTINCT elementId(%s) AS %s", q, x, col)
	}
	list := b.fresh("pin")
	return prefiltered{
		clause: fmt.Sprintf("WITH COLLECT { %s } AS %s\n", strings.Join(branches, " UNION "), list),
		list:   list,
		cond:   fmt.Sprintf("elementId(%s) IN %s", v, list),
	}
}

// ---------------------------------------------------------------------------
// Sorting and cursors.

// sortKey is one key of a node order as Cypher sees it.
type sortKey struct {
	expr     string // the value of node n
	nullable bool   // a missing value sorts first (dates)
	desc     bool
	prop     string // the indexed property behind expr, "" if none
}

// sortKeys returns the keys of order on the node variable v, then the
// tie-breaker id.
func (b *builder) sortKeys(order []landscape.Order, v string) []sortKey {
	keys := make([]sortKey, 0, len(order)+1)
	for _, o := range order {
		k := sortKey{desc: o.Desc}
		switch o.Field {
		case landscape.OrderKind:
			k.expr = b.kindExpr(v)
		case landscape.OrderValidFrom, landscape.OrderValidTo:
			k.prop = string(o.Field)
			k.expr = v + "." + k.prop
			k.nullable = true
		case landscape.OrderName:
			// Read through a dynamic lookup: when the filter seeks names
			// in an index (name IN $list), the planner takes v.name from
			// the seek's values, and those sort by UTF-16 code units
			// ("😀" before "Ａ"), not by code points as stored values and
			// landscape.CompareNodes do. A lookup by a parameter key
			// reads the stored value.
			k.prop = string(o.Field)
			k.expr = fmt.Sprintf("%s[%s]", v, b.named("nameKey", k.prop))
		default: // id, createdAt, updatedAt
			k.prop = string(o.Field)
			k.expr = v + "." + k.prop
		}
		keys = append(keys, k)
	}
	return append(keys, sortKey{expr: v + ".id", prop: "id"})
}

// orderBy is the ORDER BY list of keys; reverse flips every key.
func orderBy(keys []sortKey, reverse bool) string {
	dir := func(desc bool) string {
		if desc != reverse {
			return " DESC"
		}
		return ""
	}
	var parts []string
	for _, k := range keys {
		if k.nullable {
			// false (missing) sorts before true (present).
			parts = append(parts, "("+k.expr+" IS NOT NULL)"+dir(k.desc))
		}
		parts = append(parts, k.expr+dir(k.desc))
	}
	return strings.Join(parts, ", ")
}

// cursorValue is a cursor's sort value as a typed parameter; nil for a
// missing date.
func cursorValue(field string, f landscape.OrderField, s string) (any, error) {
	bad := func() error { return landscape.Errorf(landscape.EInvalid, field, "is not a cursor of this connection") }
	switch f {
	case landscape.OrderCreatedAt, landscape.OrderUpdatedAt:
		t, err := time.Parse("2006-01-02T15:04:05.000000000Z", s)
		if err != nil {
			return nil, bad()
		}
		return t.UTC(), nil
	case landscape.OrderValidFrom, landscape.OrderValidTo:
		if s == "" {
			return nil, nil
		}
		d, err := landscape.ParseDate(s)
		if err != nil {
			return nil, bad()
		}
		return neo4jDate(d), nil
	case landscape.OrderKind:
		if !landscape.NodeKind(s).Valid() {
			return nil, bad()
		}
	}
	return s, nil
}

// position is a cursor turned into parameters: one per key (the id last);
// "" for a missing date.
type position []string

func (b *builder) position(field, cursor string, order []landscape.Order) (position, error) {
	c, err := landscape.ParseCursor(field, cursor, order)
	if err != nil {
		return nil, err
	}
	p := make(position, len(order)+1)
	for i, o := range order {
		v, err := cursorValue(field, o.Field, c.Values[i])
		if err != nil {
			return nil, err
		}
		if v != nil {
			p[i] = b.param(v)
		}
	}
	p[len(order)] = b.param(c.ID)
	return p, nil
}

// Comparisons of one key with a cursor value in the natural order of the
// values, where a missing value comes first. They may yield null only where
// null means false (they are never negated).
func gtNat(k sortKey, c string) string {
	if c == "" {
		return k.expr + " IS NOT NULL"
	}
	return k.expr + " > " + c
}

func ltNat(k sortKey, c string) string {
	switch {
	case c == "":
		return "false"
	case k.nullable:
		return "(" + k.expr + " IS NULL OR " + k.expr + " < " + c + ")"
	}
	return k.expr + " < " + c
}

func eqNat(k sortKey, c string) string {
	if c == "" {
		return k.expr + " IS NULL"
	}
	return k.expr + " = " + c
}

// equal is the condition that the keys have the values of position p.
func equal(keys []sortKey, p position) string {
	conds := make([]string, len(keys))
	for i, k := range keys {
		conds[i] = eqNat(k, p[i])
	}
	return and(conds...)
}

// before is the condition that the keys come before position p in their
// order (or at it, when orEqual): landscape.CompareCursor < 0 (<= 0).
func before(keys []sortKey, p position, orEqual bool) string {
	var ors, prefix []string
	for i, k := range keys {
		var c string
		if k.desc {
			c = gtNat(k, p[i])
		} else {
			c = ltNat(k, p[i])
		}
		if c != "false" {
			ors = append(ors, and(append(slices.Clone(prefix), c)...))
		}
		prefix = append(prefix, eqNat(k, p[i]))
	}
	if orEqual {
		ors = append(ors, and(prefix...))
	}
	switch len(ors) {
	case 0:
		return "false"
	case 1:
		return ors[0]
	}
	return "((" + strings.Join(ors, ") OR (") + "))"
}

// namePrefilter collects the candidates of a filter that requires (at its
// top or under AND) the name to contain a part of a word (longestNameTerm).
// The full-text index NameIndex splits names into words (runs of letters)
// and lowercases them, so every node whose lowercased name contains the
// lowercased text has a word containing it, and the index finds those words
// with a wildcard query; the exact condition follows unchanged. (Lucene
// would cut a word after 255 UTF-16 units; names have no word longer than
// landscape.MaxNameWord letters.) No prefilter when there is no such text.
func (b *builder) namePrefilter(f *landscape.Filter, v string) prefiltered {
	term := longestNameTerm(f)
	if term == "" {
		return prefiltered{cond: "true"}
	}
	col, list := b.fresh("e"), b.fresh("names")
	return prefiltered{
		clause: fmt.Sprintf("WITH COLLECT { CALL db.index.fulltext.queryNodes(%s, %s) YIELD node RETURN elementId(node) AS %s } AS %s\n",
			b.param(NameIndex), b.param("*"+term+"*"), col, list),
		list: list,
		cond: fmt.Sprintf("elementId(%s) IN %s", v, list),
	}
}

// minNameTerm is the shortest text namePrefilter asks the index for: a
// shorter one matches most names, and the index then costs more than
// testing every node.
const minNameTerm = 3

// longestNameTerm returns the longest lowercased text of a "contains"
// condition on the name that f requires (at its top or under AND) and that
// is a word part: only letters of the Latin script (so that the index's
// words, runs of letters, hold every occurrence, and the wildcard query
// needs no escaping), at least minNameTerm of them. "" if none.
func longestNameTerm(f *landscape.Filter) string {
	if f == nil {
		return ""
	}
	best := ""
	consider := func(t string) {
		if utf8.RuneCountInString(t) > utf8.RuneCountInString(best) {
			best = t
		}
	}
	for _, g := range f.And {
		consider(longestNameTerm(g))
	}
	if f.Field == landscape.FieldName && f.Operator == landscape.Contains && len(f.Values) == 1 {
		if t := strings.ToLower(f.Values[0]); wordPart(t) {
			consider(t)
		}
	}
	return best
}

// wordPart reports whether t is at least minNameTerm letters of the Latin
// script and nothing else.
func wordPart(t string) bool {
	for _, r := range t {
		if !unicode.IsLetter(r) || !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return utf8.RuneCountInString(t) >= minNameTerm
}
