package neo4jstore

import (
	"slices"
	"strings"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// TestLongestNameTerm: the full-text index is asked only for a text the
// filter requires of the name (at its top or under AND) that lies within
// one word of any name containing it (Latin letters only), lowercased.
func TestLongestNameTerm(t *testing.T) {
	name := func(op landscape.Operator, v string) *landscape.Filter {
		return &landscape.Filter{Field: landscape.FieldName, Operator: op, Values: []string{v}}
	}
	contains := func(v string) *landscape.Filter { return name(landscape.Contains, v) }
	and := func(fs ...*landscape.Filter) *landscape.Filter { return &landscape.Filter{And: fs} }
	cat := &landscape.Filter{Field: landscape.FieldCategory, Operator: landscape.Eq, Values: []string{"KITA"}}
	for _, c := range []struct {
		name string
		f    *landscape.Filter
		want string
	}{
		{"none", nil, ""},
		{"contains", contains("sprach"), "sprach"},
		{"lowercased", contains("SprACH"), "sprach"},
		{"umlaut and sharp s", contains("FÖRDERMAß"), "fördermaß"},
		{"three letters", contains("Kit"), "kit"},
		{"two letters: most names", contains("ki"), ""},
		{"a space", contains("kita sonne"), ""},
		{"a hyphen", contains("sprach-kita"), ""},
		{"a digit", contains("kita1"), ""},
		{"not Latin", contains("школа"), ""},
		{"starts with", name(landscape.StartsWith, "sprach"), ""},
		{"equals", name(landscape.Eq, "sprach"), ""},
		{"description", &landscape.Filter{Field: landscape.FieldDescription, Operator: landscape.Contains, Values: []string{"sprach"}}, ""},
		{"under AND", and(cat, contains("förder")), "förder"},
		{"longest under nested AND", and(contains("kita"), and(cat, contains("Familienzentrum")), contains("zentrum")), "familienzentrum"},
		{"a condition with AND beside it", &landscape.Filter{Field: landscape.FieldName, Operator: landscape.Contains, Values: []string{"kita"},
			And: []*landscape.Filter{contains("sprach")}}, "sprach"},
		{"under OR", &landscape.Filter{Or: []*landscape.Filter{contains("sprach"), cat}}, ""},
		{"under NOT", &landscape.Filter{Not: contains("sprach")}, ""},
		{"under a relation", &landscape.Filter{Relation: &landscape.RelationFilter{Kinds: []landscape.EdgeKind{landscape.Provides},
			Direction: landscape.DirIn, Quantifier: landscape.QuantSome, Node: contains("sprach")}}, ""},
	} {
		if got := longestNameTerm(c.f); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	// The query for the index: a wildcard around the text, as a parameter.
	b := newBuilder()
	pre := b.prefilter(and(cat, contains("Sprach")), "n")
	if !strings.Contains(pre.clause, "db.index.fulltext.queryNodes") || !slices.Contains(mapValues(b.params), any("*sprach*")) ||
		!slices.Contains(mapValues(b.params), any(NameIndex)) {
		t.Errorf("prefilter = %+v, params %v", pre, b.params)
	}
	if pre := newBuilder().prefilter(contains("ki"), "n"); pre.clause != "" || pre.cond != "true" {
		t.Errorf("prefilter of a two-letter text = %+v, want none", pre)
	}
}

func mapValues(m map[string]any) []any {
	var out []any
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
