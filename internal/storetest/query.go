package storetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Filter constructors for readable tables.

func where(field landscape.Field, op landscape.Operator, values ...string) *landscape.Filter {
	return &landscape.Filter{Field: field, Operator: op, Values: values}
}

func and(fs ...*landscape.Filter) *landscape.Filter { return &landscape.Filter{And: fs} }
func or(fs ...*landscape.Filter) *landscape.Filter  { return &landscape.Filter{Or: fs} }
func not(f *landscape.Filter) *landscape.Filter     { return &landscape.Filter{Not: f} }

func some(dir landscape.Direction, node *landscape.Filter, kinds ...landscape.EdgeKind) *landscape.Filter {
	return &landscape.Filter{Relation: &landscape.RelationFilter{Kinds: kinds, Direction: dir, Quantifier: landscape.QuantSome, Node: node}}
}

func none(dir landscape.Direction, node *landscape.Filter, kinds ...landscape.EdgeKind) *landscape.Filter {
	return &landscape.Filter{Relation: &landscape.RelationFilter{Kinds: kinds, Direction: dir, Quantifier: landscape.QuantNone, Node: node}}
}

var byID = []landscape.Order{{Field: landscape.OrderID}}

// bildungsbueros are the five Bildungsbüros of the landscape fixture.
var bildungsbueros = []string{"bb-bersenbrueck", "bb-bramsche", "bb-georgsmarienhuette", "bb-melle", "bb-quakenbrueck"}

// testFilter checks QueryNodes filters on the landscape fixture against
// answers worked out by hand. Results are sorted by id.
func testFilter(t *testing.T, open opener) {
	const (
		id, kind, name, desc, source, category, alias = landscape.FieldID, landscape.FieldKind, landscape.FieldName,
			landscape.FieldDescription, landscape.FieldSource, landscape.FieldCategory, landscape.FieldAlias
		eq, in, contains, startsWith = landscape.Eq, landscape.In, landscape.Contains, landscape.StartsWith
		out, inward, both            = landscape.DirOut, landscape.DirIn, landscape.DirBoth
	)
	cases := []struct {
		name   string
		filter *landscape.Filter
		kinds  []landscape.NodeKind
		want   []string
	}{
		// Field conditions.
		{"EmptyFilter", &landscape.Filter{}, nil, landscapeNodeIDs},
		{"NameEq", where(name, eq, "Bildungsbüro Melle"), nil, []string{"bb-melle"}},
		{"NameEqIsExact", where(name, eq, "bildungsbüro melle"), nil, nil},
		{"NameEqWholeValue", where(name, eq, "Bildungsbüro"), nil, nil},
		{"NameIn", where(name, in, "Bildungsbüro Melle", "Kita Regenbogen", "Kita Sonnenschein"), nil, []string{"bb-melle", "kita-regenbogen"}},
		{"NameInNothing", where(name, in), nil, nil},
		{"NameContains", where(name, contains, "bildungsbüro"), nil, bildungsbueros},
		{"NameContainsUpperUmlaut", where(name, contains, "BILDUNGSBÜRO"), nil, bildungsbueros},
		{"NameContainsNoUmlautFolding", where(name, contains, "bildungsburo"), nil, nil},
		{"NameContainsMiddle", where(name, contains, "osnabrück"), nil, []string{"jobcenter", "lk-os.verwaltung", "lk-osnabrueck"}},
		{"NameContainsKita", where(name, contains, "KITA"), nil, []string{"kita-regenbogen", "sprachfoerderung", "ue-kita-schule"}},
		{"NameContainsSharpS", where(name, contains, "MAßARBEIT"), nil, []string{"jobcenter"}},
		{"NameStartsWith", where(name, startsWith, "bildungsbüro g"), nil, []string{"bb-georgsmarienhuette"}},
		{"NameStartsWithKita", where(name, startsWith, "kita"), nil, []string{"kita-regenbogen"}},
		{"NameStartsWithUpperUmlaut", where(name, startsWith, "ÜBER"), nil, []string{"ue-kita-schule"}},
		{"NameStartsWithIsAPrefix", where(name, startsWith, "bildung"), nil,
			[]string{"bb-bersenbrueck", "bb-bramsche", "bb-georgsmarienhuette", "bb-melle", "bb-quakenbrueck", "lk-os.bildungskoordination"}},
		{"IDEq", where(id, eq, "gmh"), nil, []string{"gmh"}},
		{"IDIn", where(id, in, "gmh", "ni", "gibt-es-nicht"), nil, []string{"gmh", "ni"}},
		{"IDStartsWith", where(id, startsWith, "lk-os"), nil,
			[]string{"lk-os.bildungskoordination", "lk-os.fachdienst-bildung", "lk-os.verwaltung", "lk-osnabrueck"}},
		{"IDStartsWithDot", where(id, startsWith, "LK-OS."), nil,
			[]string{"lk-os.bildungskoordination", "lk-os.fachdienst-bildung", "lk-os.verwaltung"}},
		{"KindEq", where(kind, eq, "LifePhase"), nil, []string{"lp-fruehe-bildung", "lp-schule"}},
		{"KindEqIsExact", where(kind, eq, "lifephase"), nil, nil},
		{"KindIn", where(kind, in, "Topic", "TargetGroup"), nil, []string{"af-sprache", "tg-neuzugewanderte"}},
		{"CategoryEq", where(category, eq, "BILDUNGSBUERO"), nil, bildungsbueros},
		{"CategoryIn", where(category, in, "KITA", "JOBCENTER"), nil, []string{"jobcenter", "kita-regenbogen"}},
		{"CategoryStartsWith", where(category, startsWith, "bildungs"), nil, bildungsbueros},
		{"CategoryEqEmpty", where(category, eq, ""), nil, []string{"lp-fruehe-bildung", "lp-schule", "tg-neuzugewanderte", "ue-kita-schule"}},
		{"DescriptionContains", where(desc, contains, "SPRACH"), nil, []string{"af-sprache", "lk-os.bildungskoordination", "sprachfoerderung"}},
		{"DescriptionStartsWith", where(desc, startsWith, "verwaltungsintern"), nil, []string{"kg-bildung"}},
		{"SourceEq", where(source, eq, srcLvO), nil, []string{"bb-bersenbrueck", "bb-quakenbrueck", "stiftungsverbund"}},
		{"SourceStartsWith", where(source, startsWith, "HTTPS://"), nil, []string{"gmh", "ni"}},
		{"SourceContains", where(source, contains, "beispiel"), nil, []string{"kita-regenbogen"}},
		{"AliasEq", where(alias, eq, "BB GMH"), nil, []string{"bb-georgsmarienhuette"}},
		{"AliasEqIsExact", where(alias, eq, "bb gmh"), nil, nil},
		{"AliasContains", where(alias, contains, "MAß"), nil, []string{"jobcenter"}},
		{"AliasContainsUmlaut", where(alias, contains, "OSNABRÜCK"), nil, []string{"lk-osnabrueck"}},
		{"AliasStartsWith", where(alias, startsWith, "k"), nil, []string{"kg-bildung", "koko-bildung"}},
		{"AliasIn", where(alias, in, "KoKo", "LK OS", "KGB"), nil, []string{"koko-bildung", "lk-osnabrueck"}},
		{"AliasAnyOfSeveral", where(alias, eq, "Osnabrücker Land"), nil, []string{"lk-osnabrueck"}},

		// Boolean structure.
		{"And", and(where(kind, eq, "Institution"), where(name, contains, "bildungsbüro"), not(where(name, contains, "brück"))), nil,
			[]string{"bb-bramsche", "bb-georgsmarienhuette", "bb-melle"}},
		{"Or", or(where(kind, eq, "Committee"), where(kind, eq, "Foundation")), nil, []string{"kg-bildung", "koko-bildung", "stiftungsverbund"}},
		{"OrOfAnds", or(and(where(kind, eq, "Institution"), where(category, eq, "KITA")), and(where(kind, eq, "Region"), not(where(category, eq, "LAND")))),
			nil, []string{"gmh", "kita-regenbogen", "lk-osnabrueck"}},
		{"Not", not(where(kind, in, "Institution", "Region", "Actor")), nil, []string{"af-sprache", "kg-bildung", "koko-bildung",
			"lp-fruehe-bildung", "lp-schule", "sprachfoerderung", "stiftungsverbund", "tg-neuzugewanderte", "ue-kita-schule"}},
		{"NotNot", not(not(where(category, eq, "STADT"))), nil, []string{"gmh"}},
		{"NotOr", not(or(where(id, startsWith, "bb-"), where(id, startsWith, "lk-"), where(id, startsWith, "k"))), nil,
			[]string{"af-sprache", "gmh", "jobcenter", "lp-fruehe-bildung", "lp-schule", "ni", "sprachfoerderung", "stiftungsverbund",
				"tg-neuzugewanderte", "ue-kita-schule"}},
		{"FieldAndOrInOneFilter", &landscape.Filter{Field: kind, Operator: eq, Values: []string{"Institution"},
			Or: []*landscape.Filter{where(name, contains, "melle"), where(name, contains, "bramsche"), where(id, eq, "ni")}}, nil,
			[]string{"bb-bramsche", "bb-melle"}},
		{"FieldAndNotInOneFilter", &landscape.Filter{Field: category, Operator: eq, Values: []string{"BILDUNGSBUERO"},
			Not: where(source, eq, srcLvO)}, nil, []string{"bb-bramsche", "bb-georgsmarienhuette", "bb-melle"}},
		{"EmptyOr", &landscape.Filter{Or: []*landscape.Filter{}, Field: id, Operator: eq, Values: []string{"ni"}}, nil, []string{"ni"}},

		// Kinds.
		{"Kinds", nil, []landscape.NodeKind{landscape.Committee, landscape.Foundation}, []string{"kg-bildung", "koko-bildung", "stiftungsverbund"}},
		{"KindsAndFilter", where(name, contains, "bildung"), []landscape.NodeKind{landscape.Actor, landscape.LifePhase},
			[]string{"lk-os.bildungskoordination", "lk-os.fachdienst-bildung", "lp-fruehe-bildung"}},

		// Relation conditions.
		{"SomeOut", some(out, nil, landscape.MemberOf), nil,
			[]string{"bb-georgsmarienhuette", "jobcenter", "lk-os.bildungskoordination", "lk-os.fachdienst-bildung"}},
		{"SomeIn", some(inward, nil, landscape.MemberOf), nil, []string{"kg-bildung", "koko-bildung"}},
		{"SomeOutToNode", some(out, where(name, eq, "Koordinierungsgruppe Bildung"), landscape.MemberOf), nil,
			[]string{"lk-os.bildungskoordination", "lk-os.fachdienst-bildung"}},
		{"NoneAtAll", none(both, nil), nil, []string{"bb-bersenbrueck", "bb-bramsche", "bb-melle"}},
		{"CooperationBoth", some(both, nil, landscape.CooperatesWith), nil, []string{"jobcenter", "lk-os.verwaltung"}},
		{"CooperationOut", some(out, nil, landscape.CooperatesWith), nil, []string{"jobcenter"}},
		{"CooperationIn", some(inward, nil, landscape.CooperatesWith), nil, []string{"lk-os.verwaltung"}},
		{"NestedRelation", some(out, some(inward, where(kind, eq, "Actor"), landscape.Coordinates), landscape.MemberOf), nil,
			[]string{"lk-os.bildungskoordination", "lk-os.fachdienst-bildung"}},
		{"NoneOutWithKind", and(where(kind, eq, "Region"), none(out, nil, landscape.PartOf)), nil, []string{"ni"}},
		{"SomeOfSeveralKinds", some(inward, where(id, eq, "bb-georgsmarienhuette"), landscape.Serves, landscape.LocatedIn), nil, []string{"gmh"}},
		{"AnyKindToTopic", some(out, where(kind, eq, "Topic")), nil, []string{"lk-os.bildungskoordination"}},
		{"AnyKindBothToTopic", some(both, where(kind, eq, "Topic")), nil, []string{"lk-os.bildungskoordination"}},
		{"AnyKindInFromTopic", some(inward, where(kind, eq, "Topic")), nil, nil},
		{"NoneWithKinds", none(out, nil, landscape.MemberOf), []landscape.NodeKind{landscape.Institution},
			[]string{"bb-bersenbrueck", "bb-bramsche", "bb-melle", "bb-quakenbrueck", "kita-regenbogen", "lk-os.verwaltung"}},
		{"OrOfRelations", or(some(inward, nil, landscape.Funds), some(out, nil, landscape.Provides)), nil,
			[]string{"bb-georgsmarienhuette", "kita-regenbogen"}},
		{"NotRelation", not(some(inward, nil)), []landscape.NodeKind{landscape.Committee, landscape.Foundation}, []string{"stiftungsverbund"}},
		{"SomeInFromCategory", some(inward, where(category, eq, "ADMINISTRATIVE_UNIT"), landscape.MemberOf, landscape.Coordinates), nil,
			[]string{"kg-bildung"}},
		{"RelationAndField", &landscape.Filter{Field: name, Operator: contains, Values: []string{"bildung"},
			Relation: &landscape.RelationFilter{Direction: both, Quantifier: landscape.QuantSome, Node: where(kind, eq, "Institution")}}, nil,
			[]string{"bb-georgsmarienhuette", "koko-bildung", "lk-os.bildungskoordination", "lk-os.fachdienst-bildung"}},
		{"TwoHops", some(out, some(out, where(id, eq, "ni"), landscape.PartOf), landscape.PartOf), nil, []string{"gmh"}},
	}

	_, s := seedLandscape(t, open)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := testContext(t) // a deadline per subtest
			p := queryNodes(t, ctx, s, landscape.NodeQuery{Kinds: c.kinds, Filter: c.filter, Order: byID})
			checkIDs(t, "QueryNodes", nodeIDs(p.Nodes), c.want...)
			if p.TotalCount != len(c.want) || p.HasNextPage || p.HasPreviousPage {
				t.Errorf("totalCount %d, hasNextPage %v, hasPreviousPage %v; want %d, false, false",
					p.TotalCount, p.HasNextPage, p.HasPreviousPage, len(c.want))
			}
			// The same query in another order finds the same nodes.
			p = queryNodes(t, ctx, s, landscape.NodeQuery{Kinds: c.kinds, Filter: c.filter,
				Order: []landscape.Order{{Field: landscape.OrderName, Desc: true}}})
			checkIDSet(t, "QueryNodes by name desc", nodeIDs(p.Nodes), c.want...)
		})
	}

	t.Run("Invalid", func(t *testing.T) {
		deep := &landscape.Filter{Field: id, Operator: eq, Values: []string{"ni"}}
		for range 9 {
			deep = not(deep)
		}
		many := make([]string, 1001)
		for i := range many {
			many[i] = fmt.Sprintf("kita-%04d", i)
		}
		cases := []struct {
			name string
			q    landscape.NodeQuery
			want []problem
		}{
			{"UnknownOrder", landscape.NodeQuery{Order: []landscape.Order{{Field: landscape.OrderName}, {Field: "population"}}},
				[]problem{invalid("orderBy[1]")}},
			{"UnknownKind", landscape.NodeQuery{Kinds: []landscape.NodeKind{landscape.Actor, "School"}}, []problem{invalid("kinds[1]")}},
			{"UnknownField", landscape.NodeQuery{Filter: where("city", eq, "Melle")}, []problem{invalid("filter")}},
			{"UnknownOperator", landscape.NodeQuery{Filter: where(name, "like", "Kita%")}, []problem{invalid("filter")}},
			{"EqWithTwoValues", landscape.NodeQuery{Filter: where(name, eq, "Melle", "Bramsche")}, []problem{invalid("filter.eq")}},
			{"ContainsWithoutValue", landscape.NodeQuery{Filter: and(where(kind, eq, "Region"), where(name, contains))},
				[]problem{invalid("filter.and[1].contains")}},
			{"InTooMany", landscape.NodeQuery{Filter: or(where(id, in, many...))}, []problem{invalid("filter.or[0].in")}},
			{"RelationDirection", landscape.NodeQuery{Filter: not(&landscape.Filter{Relation: &landscape.RelationFilter{Direction: "UP",
				Quantifier: landscape.QuantSome}})}, []problem{invalid("filter.not.relation.direction")}},
			{"RelationQuantifier", landscape.NodeQuery{Filter: &landscape.Filter{Relation: &landscape.RelationFilter{Direction: both,
				Quantifier: "ALL"}}}, []problem{invalid("filter.relation.quantifier")}},
			{"RelationKind", landscape.NodeQuery{Filter: some(both, nil, landscape.MemberOf, "KNOWS")}, []problem{invalid("filter.relation.kinds[1]")}},
			{"RelationNode", landscape.NodeQuery{Filter: some(out, where(name, startsWith, "a", "b"))}, []problem{invalid("filter.relation.node.startsWith")}},
			{"TooDeep", landscape.NodeQuery{Filter: deep}, []problem{invalid("filter" + strings.Repeat(".not", 9))}},
			{"SeveralProblems", landscape.NodeQuery{Kinds: []landscape.NodeKind{"School"}, Filter: or(where("city", eq, "Melle"), where(name, eq)),
				Page: landscape.PageArgs{First: intp(-1)}},
				[]problem{invalid("kinds[0]"), invalid("filter.or[0]"), invalid("filter.or[1].eq"), invalid("first")}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ctx := testContext(t) // a deadline per subtest
				p, err := s.QueryNodes(ctx, c.q)
				if err == nil {
					t.Errorf("QueryNodes succeeded with %d nodes, want problems %v", len(p.Nodes), c.want)
					return
				}
				checkProblems(t, err, c.want...)
			})
		}
	})
}
