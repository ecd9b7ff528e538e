package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Short names of the order fixture's nodes.
const (
	oH  = "hagen"
	oKB = "kita-sonnenschein-bissendorf"
	oKH = "kita-sonnenschein-hagen"
	oKZ = "konferenz-zukunft"
	oBK = "lk-os.bildungskoordination"
	oMA = "messe-ausbildung"
	oUS = "uebergang-schule-beruf"
)

func asc(f landscape.OrderField) landscape.Order  { return landscape.Order{Field: f} }
func desc(f landscape.OrderField) landscape.Order { return landscape.Order{Field: f, Desc: true} }

// orderCases are the sort orders of the order fixture, worked out by hand
// from the table in fixture.go: ties are broken by id ascending, also in
// descending orders, and a missing date sorts before every date.
var orderCases = []struct {
	name  string
	order []landscape.Order
	want  []string
}{
	{"Default", nil, []string{oUS, oMA, oBK, oH, oKB, oKH, oKZ}},
	{"NameAsc", []landscape.Order{asc(landscape.OrderName)}, []string{oUS, oMA, oBK, oH, oKB, oKH, oKZ}},
	{"NameDesc", []landscape.Order{desc(landscape.OrderName)}, []string{oKZ, oKB, oKH, oH, oBK, oMA, oUS}},
	{"IDAsc", []landscape.Order{asc(landscape.OrderID)}, []string{oH, oKB, oKH, oKZ, oBK, oMA, oUS}},
	{"IDDesc", []landscape.Order{desc(landscape.OrderID)}, []string{oUS, oMA, oBK, oKZ, oKH, oKB, oH}},
	{"KindAsc", []landscape.Order{asc(landscape.OrderKind)}, []string{oBK, oKZ, oUS, oKB, oKH, oMA, oH}},
	{"KindDesc", []landscape.Order{desc(landscape.OrderKind)}, []string{oH, oMA, oKB, oKH, oKZ, oUS, oBK}},
	{"CreatedAtAsc", []landscape.Order{asc(landscape.OrderCreatedAt)}, []string{oBK, oKH, oUS, oKB, oMA, oH, oKZ}},
	{"CreatedAtDesc", []landscape.Order{desc(landscape.OrderCreatedAt)}, []string{oH, oKZ, oKB, oMA, oKH, oUS, oBK}},
	{"UpdatedAtAsc", []landscape.Order{asc(landscape.OrderUpdatedAt)}, []string{oH, oKB, oUS, oKH, oMA, oKZ, oBK}},
	{"UpdatedAtDesc", []landscape.Order{desc(landscape.OrderUpdatedAt)}, []string{oKZ, oBK, oKH, oMA, oKB, oUS, oH}},
	{"ValidFromAsc", []landscape.Order{asc(landscape.OrderValidFrom)}, []string{oH, oKB, oMA, oKZ, oBK, oKH, oUS}},
	{"ValidFromDesc", []landscape.Order{desc(landscape.OrderValidFrom)}, []string{oKH, oUS, oBK, oKZ, oH, oKB, oMA}},
	{"ValidToAsc", []landscape.Order{asc(landscape.OrderValidTo)}, []string{oH, oKH, oKZ, oMA, oUS, oKB, oBK}},
	{"ValidToDesc", []landscape.Order{desc(landscape.OrderValidTo)}, []string{oKB, oBK, oUS, oH, oKH, oKZ, oMA}},
	{"KindAscValidFromDesc", []landscape.Order{asc(landscape.OrderKind), desc(landscape.OrderValidFrom)},
		[]string{oBK, oUS, oKZ, oKH, oKB, oMA, oH}},
	{"NameDescCreatedAtAsc", []landscape.Order{desc(landscape.OrderName), asc(landscape.OrderCreatedAt)},
		[]string{oKZ, oKH, oKB, oH, oBK, oMA, oUS}},
	{"ValidToAscNameAsc", []landscape.Order{asc(landscape.OrderValidTo), asc(landscape.OrderName)},
		[]string{oMA, oH, oKH, oKZ, oUS, oBK, oKB}},
}

// testOrder checks the sort orders of QueryNodes.
func testOrder(t *testing.T, open opener) {
	_, s := seedOrder(t, open)
	for _, c := range orderCases {
		t.Run(c.name, func(t *testing.T) {
			ctx := testContext(t) // a deadline per subtest
			p := queryNodes(t, ctx, s, landscape.NodeQuery{Order: c.order})
			checkIDs(t, "QueryNodes", nodeIDs(p.Nodes), c.want...)
		})
	}
	t.Run("TimestampsKept", func(t *testing.T) {
		ctx := testContext(t) // a deadline per subtest
		got := getNodes(t, ctx, s, nil, nodeIDs(orderNodes())...)
		for _, n := range orderNodes() {
			if g := got[n.ID]; g != nil {
				checkTime(t, "createdAt of "+n.ID, g.CreatedAt, n.CreatedAt)
				checkTime(t, "updatedAt of "+n.ID, g.UpdatedAt, n.UpdatedAt)
			}
		}
	})
}

// testPaging checks forward and backward paging with cursors.
func testPaging(t *testing.T, open opener) {
	t.Run("Read", func(t *testing.T) { testPagingRead(t, open) })
	t.Run("CursorOfDeletedNode", func(t *testing.T) {
		// A cursor is a position, not a node: it stays usable when its
		// node is gone.
		ctx, s := seedOrder(t, open)
		byName := []landscape.Order{asc(landscape.OrderName)}
		p := queryNodes(t, ctx, s, landscape.NodeQuery{Order: byName, Page: first(3)})
		checkPage(t, p, []string{oUS, oMA, oBK}, 7, true, false)
		if len(p.Nodes) != 3 {
			return
		}
		after := landscape.CursorOf(p.Nodes[2], byName)
		apply(t, ctx, s, deleteNode(oBK))
		p = queryNodes(t, ctx, s, landscape.NodeQuery{Order: byName, Page: landscape.PageArgs{First: intp(3), After: after}})
		checkPage(t, p, []string{oH, oKB, oKH}, 6, true, true)
		p = queryNodes(t, ctx, s, landscape.NodeQuery{Order: byName, Page: landscape.PageArgs{Last: intp(3), Before: after}})
		checkPage(t, p, []string{oUS, oMA}, 6, true, false)
	})
}

// testPagingRead pages through the order fixture, which it does not change.
func testPagingRead(t *testing.T, open opener) {
	ctx, s := seedOrder(t, open)

	t.Run("Walk", func(t *testing.T) {
		for _, c := range orderCases {
			if c.order == nil {
				continue
			}
			for _, size := range []int{1, 3, 7} {
				t.Run(fmt.Sprintf("%s/%d", c.name, size), func(t *testing.T) {
					ctx := testContext(t) // a deadline per subtest
					walkForward(t, ctx, s, landscape.NodeQuery{Order: c.order}, size, c.want)
					walkBackward(t, ctx, s, landscape.NodeQuery{Order: c.order}, size, c.want)
				})
			}
		}
	})

	byName := []landscape.Order{asc(landscape.OrderName)}
	all := orderCases[1].want // by name: US, MA, BK, H, KB, KH, KZ
	cursor := func(i int) string {
		return landscape.CursorOf(getNode(t, ctx, s, all[i]), byName)
	}
	cases := []struct {
		name      string
		q         landscape.NodeQuery
		want      []string
		total     int
		next, prv bool
	}{
		{"FirstPageDefaultOrder", landscape.NodeQuery{Page: first(3)}, all[:3], 7, true, false},
		{"First0", landscape.NodeQuery{Order: byName, Page: first(0)}, nil, 7, true, false},
		{"Last0", landscape.NodeQuery{Order: byName, Page: landscape.PageArgs{Last: intp(0)}}, nil, 7, false, true},
		{"FirstMax", landscape.NodeQuery{Order: byName, Page: first(landscape.MaxPageSize)}, all, 7, false, false},
		{"NoPageArgs", landscape.NodeQuery{Order: byName}, all, 7, false, false},
		{"AfterLast", landscape.NodeQuery{Order: byName, Page: landscape.PageArgs{After: cursor(6)}}, nil, 7, false, true},
		{"BeforeFirst", landscape.NodeQuery{Order: byName, Page: landscape.PageArgs{Last: intp(3), Before: cursor(0)}}, nil, 7, true, false},
		{"BeforeWithoutLast", landscape.NodeQuery{Order: byName, Page: landscape.PageArgs{Before: cursor(5)}}, all[:5], 7, true, false},
		{"BeforeWithFirst", landscape.NodeQuery{Order: byName, Page: landscape.PageArgs{First: intp(2), Before: cursor(5)}}, all[:2], 7, true, false},
		{"AfterWithLast", landscape.NodeQuery{Order: byName, Page: landscape.PageArgs{Last: intp(2), After: cursor(2)}}, all[5:], 7, false, true},
		{"AsOf", landscape.NodeQuery{Order: byName, AsOf: date("2024-01-01"), Page: first(2)}, []string{oMA, oH}, 4, true, false},
		{"Kinds", landscape.NodeQuery{Order: byName, Kinds: []landscape.NodeKind{landscape.Committee, landscape.Institution},
			Page: landscape.PageArgs{Last: intp(3)}}, []string{oKB, oKH, oKZ}, 4, false, true},
		{"FilterAfter", landscape.NodeQuery{Order: byName, Filter: where(landscape.FieldName, landscape.Contains, "s"),
			Page: landscape.PageArgs{First: intp(2), After: cursor(1)}}, []string{oBK, oKB}, 6, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := testContext(t) // a deadline per subtest
			p := queryNodes(t, ctx, s, c.q)
			checkPage(t, p, c.want, c.total, c.next, c.prv)
		})
	}

	t.Run("AsOfWalk", func(t *testing.T) {
		ctx := testContext(t) // a deadline per subtest
		q := landscape.NodeQuery{Order: byName, AsOf: date("2024-01-01")}
		walkForward(t, ctx, s, q, 2, []string{oMA, oH, oKH, oKZ})
		walkBackward(t, ctx, s, q, 3, []string{oMA, oH, oKH, oKZ})
	})

	t.Run("Invalid", func(t *testing.T) {
		ctx := testContext(t) // a deadline per subtest
		n := getNode(t, ctx, s, oKH)
		byNameCursor := landscape.CursorOf(n, byName)
		cases := []struct {
			name string
			q    landscape.NodeQuery
			want []problem
		}{
			{"CursorOfAnotherOrder", landscape.NodeQuery{Order: byID, Page: landscape.PageArgs{After: byNameCursor}}, []problem{invalid("after")}},
			{"CursorOfTheOtherDirection", landscape.NodeQuery{Order: []landscape.Order{desc(landscape.OrderName)},
				Page: landscape.PageArgs{Before: byNameCursor}}, []problem{invalid("before")}},
			{"CursorOfTheDefaultOrderForAnother", landscape.NodeQuery{Order: []landscape.Order{asc(landscape.OrderName), asc(landscape.OrderKind)},
				Page: landscape.PageArgs{After: byNameCursor}}, []problem{invalid("after")}},
			{"NotACursor", landscape.NodeQuery{Page: landscape.PageArgs{After: "kita-sonnenschein-hagen"}}, []problem{invalid("after")}},
			{"EdgeCursor", landscape.NodeQuery{Page: landscape.PageArgs{Before: landscape.EdgeCursor(&landscape.Edge{ID: "x"})}},
				[]problem{invalid("before")}},
			{"FirstTooLarge", landscape.NodeQuery{Page: first(landscape.MaxPageSize + 1)}, []problem{invalid("first")}},
			{"LastTooLarge", landscape.NodeQuery{Page: landscape.PageArgs{Last: intp(landscape.MaxPageSize + 1)}}, []problem{invalid("last")}},
			{"FirstNegative", landscape.NodeQuery{Page: first(-1)}, []problem{invalid("first")}},
			{"FirstAndLast", landscape.NodeQuery{Page: landscape.PageArgs{First: intp(2), Last: intp(2)}}, []problem{invalid("last")}},
			{"AfterAndBefore", landscape.NodeQuery{Page: landscape.PageArgs{After: byNameCursor, Before: byNameCursor}}, []problem{invalid("before")}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ctx := testContext(t) // a deadline per subtest
				p, err := s.QueryNodes(ctx, c.q)
				if err == nil {
					t.Errorf("QueryNodes succeeded with %v, want %v", nodeIDs(p.Nodes), c.want)
					return
				}
				checkProblems(t, err, c.want...)
			})
		}
	})

}

func checkPage(t *testing.T, p *landscape.NodePage, want []string, total int, next, prev bool) {
	t.Helper()
	checkIDs(t, "page", nodeIDs(p.Nodes), want...)
	if p.TotalCount != total || p.HasNextPage != next || p.HasPreviousPage != prev {
		t.Errorf("totalCount %d, hasNextPage %v, hasPreviousPage %v; want %d, %v, %v",
			p.TotalCount, p.HasNextPage, p.HasPreviousPage, total, next, prev)
	}
}

// walkForward pages through q with first=size and after the last node of
// each page, and checks every page against the slice of want it should be.
func walkForward(t *testing.T, ctx context.Context, s landscape.Store, q landscape.NodeQuery, size int, want []string) {
	t.Helper()
	order := q.Order
	if len(order) == 0 {
		order = landscape.DefaultOrder
	}
	q.Page = first(size)
	for from, step := 0, 0; ; step++ {
		to := min(from+size, len(want))
		p := queryNodes(t, ctx, s, q)
		what := fmt.Sprintf("forward page %d (first %d)", step, size)
		checkIDs(t, what, nodeIDs(p.Nodes), want[from:to]...)
		if p.TotalCount != len(want) || p.HasNextPage != (to < len(want)) || p.HasPreviousPage != (from > 0) {
			t.Errorf("%s: totalCount %d, hasNextPage %v, hasPreviousPage %v; want %d, %v, %v", what,
				p.TotalCount, p.HasNextPage, p.HasPreviousPage, len(want), to < len(want), from > 0)
		}
		if !p.HasNextPage || len(p.Nodes) == 0 || step > len(want) {
			if to < len(want) {
				t.Errorf("%s: the walk ended before %v", what, want[to:])
			}
			return
		}
		q.Page.After = landscape.CursorOf(p.Nodes[len(p.Nodes)-1], order)
		from = to
	}
}

// walkBackward pages through q from the end with last=size and before the
// first node of each page.
func walkBackward(t *testing.T, ctx context.Context, s landscape.Store, q landscape.NodeQuery, size int, want []string) {
	t.Helper()
	order := q.Order
	if len(order) == 0 {
		order = landscape.DefaultOrder
	}
	q.Page = landscape.PageArgs{Last: intp(size)}
	for to, step := len(want), 0; ; step++ {
		from := max(to-size, 0)
		p := queryNodes(t, ctx, s, q)
		what := fmt.Sprintf("backward page %d (last %d)", step, size)
		checkIDs(t, what, nodeIDs(p.Nodes), want[from:to]...)
		if p.TotalCount != len(want) || p.HasNextPage != (to < len(want)) || p.HasPreviousPage != (from > 0) {
			t.Errorf("%s: totalCount %d, hasNextPage %v, hasPreviousPage %v; want %d, %v, %v", what,
				p.TotalCount, p.HasNextPage, p.HasPreviousPage, len(want), to < len(want), from > 0)
		}
		if !p.HasPreviousPage || len(p.Nodes) == 0 || step > len(want) {
			if from > 0 {
				t.Errorf("%s: the walk ended after %v", what, want[:from])
			}
			return
		}
		q.Page.Before = landscape.CursorOf(p.Nodes[0], order)
		to = from
	}
}
