package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// without returns ids without the excluded ones.
func without(ids []string, excluded ...string) []string {
	return slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return slices.Contains(excluded, id) })
}

func asOfName(d *landscape.Date) string {
	if d == nil {
		return "any"
	}
	return d.String()
}

// testAsOf checks reads on a date (asOf) against the validity periods of the
// landscape fixture (see fixture.go): before, inside, on the bounds of and
// after them. An edge counts on a date when it and both its ends are valid.
func testAsOf(t *testing.T, open opener) {
	_, s := seedLandscape(t, open)

	t.Run("Bildungsbueros", func(t *testing.T) {
		// Five Bildungsbüros under Lernen vor Ort (2009–2014), three today.
		three := []string{"bb-bramsche", "bb-georgsmarienhuette", "bb-melle"}
		cases := []struct {
			asOf *landscape.Date
			want []string
		}{
			{nil, bildungsbueros},
			{date("2008-12-31"), nil},
			{date("2009-01-01"), bildungsbueros},
			{date("2012-06-15"), bildungsbueros},
			{date("2014-12-31"), bildungsbueros},
			{date("2015-01-01"), three},
			{date("2024-05-01"), three},
		}
		for _, c := range cases {
			t.Run(asOfName(c.asOf), func(t *testing.T) {
				ctx := testContext(t) // a deadline per subtest
				p := queryNodes(t, ctx, s, landscape.NodeQuery{Filter: where(landscape.FieldCategory, landscape.Eq, "BILDUNGSBUERO"),
					Order: byID, AsOf: c.asOf})
				checkIDs(t, "QueryNodes", nodeIDs(p.Nodes), c.want...)
				if p.TotalCount != len(c.want) {
					t.Errorf("totalCount %d, want %d", p.TotalCount, len(c.want))
				}
				checkIDSet(t, "Nodes", mapKeys(getNodes(t, ctx, s, c.asOf, bildungsbueros...)), c.want...)
			})
		}
	})

	t.Run("Nodes", func(t *testing.T) {
		cases := []struct {
			asOf     *landscape.Date
			excluded []string
		}{
			{nil, nil},
			{date("2008-01-01"), append([]string{"lk-os.bildungskoordination", "kg-bildung", "stiftungsverbund"}, bildungsbueros...)},
			{date("2012-06-15"), []string{"lk-os.bildungskoordination", "kg-bildung"}},
			{date("2015-01-01"), []string{"lk-os.bildungskoordination", "bb-quakenbrueck", "bb-bersenbrueck", "stiftungsverbund"}},
			{date("2016-10-01"), []string{"bb-quakenbrueck", "bb-bersenbrueck", "stiftungsverbund"}},
			{date("2020-01-01"), []string{"bb-quakenbrueck", "bb-bersenbrueck", "stiftungsverbund"}},
		}
		for _, c := range cases {
			t.Run(asOfName(c.asOf), func(t *testing.T) {
				ctx := testContext(t) // a deadline per subtest
				want := without(landscapeNodeIDs, c.excluded...)
				checkIDs(t, "Nodes", mapKeys(getNodes(t, ctx, s, c.asOf, landscapeNodeIDs...)), want...)
				p := queryNodes(t, ctx, s, landscape.NodeQuery{Order: byID, AsOf: c.asOf})
				checkIDs(t, "QueryNodes", nodeIDs(p.Nodes), want...)
			})
		}
	})

	t.Run("Edges", func(t *testing.T) {
		// F: the Stiftungsverbund's funding, valid 2010–2013 itself.
		// Q: Quakenbrück's service, invalid when its Bildungsbüro is.
		// M: the Bildungskoordination's membership, valid from 2017 itself.
		// P: the Bildungskoordination's place, invalid until it exists (2016-10).
		// C: the Fachdienst's membership, invalid until its committee exists (2015).
		const F, Q, M, P, C = eStiftungFundsBBGmh, eBBQuakServesLK, eBiKoMemberKG, eBiKoPartOfVerw, eFDMemberKG
		cases := []struct {
			asOf *landscape.Date
			want []string
		}{
			{nil, []string{F, Q, M, P, C}},
			{date("2008-12-31"), nil},
			{date("2009-12-31"), []string{Q}},
			{date("2010-01-01"), []string{F, Q}},
			{date("2013-12-31"), []string{F, Q}},
			{date("2014-01-01"), []string{Q}},
			{date("2014-12-31"), []string{Q}},
			{date("2015-01-01"), []string{C}},
			{date("2016-09-30"), []string{C}},
			{date("2016-10-01"), []string{C, P}},
			{date("2016-12-31"), []string{C, P}},
			{date("2017-01-01"), []string{C, P, M}},
		}
		for _, c := range cases {
			t.Run(asOfName(c.asOf), func(t *testing.T) {
				ctx := testContext(t) // a deadline per subtest
				checkIDSet(t, "Edges", mapKeys(getEdges(t, ctx, s, c.asOf, F, Q, M, P, C)), c.want...)
			})
		}
	})

	t.Run("QueryEdges", func(t *testing.T) {
		cases := []struct {
			name  string
			q     landscape.EdgeQuery
			want  []string
			total int
		}{
			{"MembersIn2016", landscape.EdgeQuery{Kinds: []landscape.EdgeKind{landscape.MemberOf}, AsOf: date("2016-06-01")},
				[]string{eBBGmhMemberOfKoko, eJobcenterMemberKoko, eFDMemberKG}, 3},
			{"MembersIn2014", landscape.EdgeQuery{Kinds: []landscape.EdgeKind{landscape.MemberOf}, AsOf: date("2014-06-01")},
				[]string{eBBGmhMemberOfKoko, eJobcenterMemberKoko}, 2},
			{"All2020", landscape.EdgeQuery{AsOf: date("2020-01-01")}, without(landscapeEdgeIDs, eStiftungFundsBBGmh, eBBQuakServesLK), 22},
			{"All2012", landscape.EdgeQuery{AsOf: date("2012-06-15")}, without(landscapeEdgeIDs, eBiKoMemberKG, eFDCoordinatesKG, eFDMemberKG,
				eKGCoordinatesKoko, eBiKoPartOfVerw, eBiKoWorksOnSprache), 18},
			{"ToLandkreis2015", landscape.EdgeQuery{To: []string{"lk-osnabrueck"}, AsOf: date("2015-01-01")}, []string{eGmhPartOfLK, eVerwServesLK}, 2},
			{"PagedIn2012", landscape.EdgeQuery{AsOf: date("2012-06-15"), Page: landscape.PageArgs{Last: intp(2)}},
				[]string{eUeFromPhase, eUeToPhase}, 18},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ctx := testContext(t) // a deadline per subtest
				p := queryEdges(t, ctx, s, c.q)
				checkIDs(t, "QueryEdges", edgeIDs(p.Edges), c.want...)
				if p.TotalCount != c.total {
					t.Errorf("totalCount %d, want %d", p.TotalCount, c.total)
				}
			})
		}
	})

	t.Run("Adjacent", func(t *testing.T) {
		bbAll := []string{eBBGmhLocatedInGmh, eBBGmhMemberOfKoko, eBBGmhServesGmh, eJobcenterRefersBBGmh, eFDResponsibleBBGmh, eStiftungFundsBBGmh}
		cases := []struct {
			id   string
			dir  landscape.Direction
			asOf *landscape.Date
			want []string
		}{
			{"bb-georgsmarienhuette", landscape.DirBoth, nil, bbAll},
			{"bb-georgsmarienhuette", landscape.DirBoth, date("2008-06-01"), nil},
			{"bb-georgsmarienhuette", landscape.DirBoth, date("2012-06-15"), bbAll},
			{"bb-georgsmarienhuette", landscape.DirBoth, date("2020-01-01"), without(bbAll, eStiftungFundsBBGmh)},
			{"bb-georgsmarienhuette", landscape.DirIn, date("2009-12-31"), []string{eJobcenterRefersBBGmh, eFDResponsibleBBGmh}},
			{"kg-bildung", landscape.DirIn, date("2014-12-31"), nil},
			{"kg-bildung", landscape.DirIn, date("2016-12-31"), []string{eFDCoordinatesKG, eFDMemberKG}},
			{"kg-bildung", landscape.DirIn, date("2017-01-01"), []string{eBiKoMemberKG, eFDCoordinatesKG, eFDMemberKG}},
			{"lk-osnabrueck", landscape.DirIn, date("2014-12-31"), []string{eBBQuakServesLK, eGmhPartOfLK, eVerwServesLK}},
			{"lk-osnabrueck", landscape.DirIn, date("2015-01-01"), []string{eGmhPartOfLK, eVerwServesLK}},
		}
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s_%s_%s", c.id, c.dir, asOfName(c.asOf)), func(t *testing.T) {
				ctx := testContext(t) // a deadline per subtest
				adj := adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: []string{c.id}, Direction: c.dir, AsOf: c.asOf})
				checkIDs(t, "Adjacent", edgeIDs(adj[c.id]), c.want...)
			})
		}
	})

	t.Run("Filter", func(t *testing.T) {
		bbIn := func(q landscape.Quantifier) *landscape.Filter {
			return &landscape.Filter{Relation: &landscape.RelationFilter{Kinds: []landscape.EdgeKind{landscape.Serves}, Direction: landscape.DirIn,
				Quantifier: q, Node: where(landscape.FieldCategory, landscape.Eq, "BILDUNGSBUERO")}}
		}
		regions := []landscape.NodeKind{landscape.Region}
		funded := some(landscape.DirIn, nil, landscape.Funds)
		// Committees with a member that works on a topic.
		nested := some(landscape.DirIn, some(landscape.DirOut, nil, landscape.WorksOn), landscape.MemberOf)
		cases := []struct {
			name   string
			filter *landscape.Filter
			kinds  []landscape.NodeKind
			asOf   *landscape.Date
			want   []string
		}{
			{"FundedAny", funded, nil, nil, []string{"bb-georgsmarienhuette"}},
			{"Funded2009", funded, nil, date("2009-10-01"), nil},
			{"Funded2010", funded, nil, date("2010-01-01"), []string{"bb-georgsmarienhuette"}},
			{"Funded2012", funded, nil, date("2012-06-15"), []string{"bb-georgsmarienhuette"}},
			{"Funded2013", funded, nil, date("2013-12-31"), []string{"bb-georgsmarienhuette"}},
			{"Funded2014", funded, nil, date("2014-01-01"), nil},
			{"ServedByBBAny", bbIn(landscape.QuantSome), regions, nil, []string{"gmh", "lk-osnabrueck"}},
			{"ServedByBB2005", bbIn(landscape.QuantSome), regions, date("2005-01-01"), nil},
			{"ServedByBB2012", bbIn(landscape.QuantSome), regions, date("2012-06-15"), []string{"gmh", "lk-osnabrueck"}},
			{"ServedByBB2020", bbIn(landscape.QuantSome), regions, date("2020-01-01"), []string{"gmh"}},
			{"NotServedByBB2012", bbIn(landscape.QuantNone), regions, date("2012-06-15"), []string{"ni"}},
			{"NotServedByBB2020", bbIn(landscape.QuantNone), regions, date("2020-01-01"), []string{"lk-osnabrueck", "ni"}},
			{"NestedAny", nested, nil, nil, []string{"kg-bildung"}},
			{"Nested2016", nested, nil, date("2016-12-31"), nil},
			{"Nested2017", nested, nil, date("2017-01-01"), []string{"kg-bildung"}},
			{"CommitteesIn2014", nil, []landscape.NodeKind{landscape.Committee}, date("2014-01-01"), []string{"koko-bildung"}},
			{"CommitteesIn2015", nil, []landscape.NodeKind{landscape.Committee}, date("2015-01-01"), []string{"kg-bildung", "koko-bildung"}},
			{"NoEdges2020", none(landscape.DirBoth, nil), nil, date("2020-01-01"),
				[]string{"bb-bramsche", "bb-melle"}},
			{"NoEdges2016", none(landscape.DirBoth, nil), []landscape.NodeKind{landscape.Committee, landscape.Actor, landscape.Foundation},
				date("2016-06-01"), nil},
			{"NoEdges2012", none(landscape.DirBoth, nil), []landscape.NodeKind{landscape.Committee, landscape.Actor, landscape.Foundation,
				landscape.Topic}, date("2012-06-15"), []string{"af-sprache"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ctx := testContext(t) // a deadline per subtest
				p := queryNodes(t, ctx, s, landscape.NodeQuery{Kinds: c.kinds, Filter: c.filter, AsOf: c.asOf, Order: byID})
				checkIDs(t, "QueryNodes", nodeIDs(p.Nodes), c.want...)
				if p.TotalCount != len(c.want) {
					t.Errorf("totalCount %d, want %d", p.TotalCount, len(c.want))
				}
			})
		}
	})
}
