// Package storetest is the conformance suite of landscape.Store. Every storage
// backend (the embedded store, the Neo4j store) runs it from a test of its own:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) landscape.Store {
//			// a fresh, EMPTY store for this subtest
//		})
//	}
//
// Each subtest calls open once and works on the store it gets; Run pings it,
// checks that it is empty and closes it when the subtest ends (cleanups that
// open registers with t.Cleanup run after that Close). Subtests do not run in
// parallel, so a backend may reuse one database and empty it in open.
//
// The expected answers are written out by hand for small fixtures (see
// fixture.go); they are not computed with the domain's reference functions,
// so that the suite also checks landscape.MatchFilter, CompareNodes,
// PageNodes and Resolve against the documented contract. Errors are checked
// by their code and field path, never by their message.
package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Run runs the conformance suite against the stores open returns.
func Run(t *testing.T, open func(t *testing.T) landscape.Store) {
	areas := []struct {
		name string
		run  func(*testing.T, opener)
	}{
		{"CRUD", testCRUD},
		{"Edges", testEdges},
		{"Validation", testValidation},
		{"Atomicity", testAtomicity},
		{"Filter", testFilter},
		{"Order", testOrder},
		{"Paging", testPaging},
		{"AsOf", testAsOf},
		{"Adjacent", testAdjacent},
		{"Neighbours", testNeighbours},
		{"Expand", testExpand},
		{"QueryEdges", testQueryEdges},
		{"Subgraph", testSubgraph},
		{"Concurrency", testConcurrency},
		{"Bulk", testBulk},
		{"Analysis", testAnalysis},
		{"Exchange", testExchange},
		{"Audit", testAudit},
	}
	for _, a := range areas {
		t.Run(a.name, func(t *testing.T) { a.run(t, open) })
	}
}

type opener = func(t *testing.T) landscape.Store

// timeout is the deadline of every subtest's context but the bulk one.
const timeout = 30 * time.Second

// newStore opens a store for t, checks that it serves and is empty, and
// closes it when t ends.
func newStore(t *testing.T, open opener) landscape.Store {
	t.Helper()
	s := open(t)
	if s == nil {
		t.Fatal("open returned a nil store")
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	ctx := testContext(t)
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping of a fresh store: %v", err)
	}
	np, err := s.QueryNodes(ctx, landscape.NodeQuery{Page: first(0)})
	if err != nil {
		t.Fatalf("QueryNodes on a fresh store: %v", err)
	}
	ep, err := s.QueryEdges(ctx, landscape.EdgeQuery{Page: first(0)})
	if err != nil {
		t.Fatalf("QueryEdges on a fresh store: %v", err)
	}
	if np.TotalCount != 0 || ep.TotalCount != 0 {
		t.Fatalf("open returned a store with %d nodes and %d edges, want an empty one", np.TotalCount, ep.TotalCount)
	}
	ap, err := s.Audit(ctx, landscape.AuditQuery{})
	if err != nil {
		t.Fatalf("Audit on a fresh store: %v", err)
	}
	if len(ap.Entries) != 0 || ap.HasNext {
		t.Fatalf("open returned a store with %d audit entries, want an empty audit log", len(ap.Entries))
	}
	return s
}

// testContext returns a context that ends with t or after timeout.
func testContext(t *testing.T) context.Context {
	return contextWithTimeout(t, timeout)
}

func contextWithTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// ---------------------------------------------------------------------------
// Small constructors.

func intp(i int) *int { return &i }

func date(s string) *landscape.Date { return landscape.MustDate(s) }

// validity returns the period from..to; "" leaves an end open.
func validity(from, to string) landscape.Validity {
	var v landscape.Validity
	if from != "" {
		v.ValidFrom = date(from)
	}
	if to != "" {
		v.ValidTo = date(to)
	}
	return v
}

func first(n int) landscape.PageArgs { return landscape.PageArgs{First: intp(n)} }

// createAll is a changeset creating the given nodes and edges.
func createAll(nodes []*landscape.Node, edges []*landscape.Edge) *landscape.Changeset {
	cs := &landscape.Changeset{}
	for _, n := range nodes {
		cs.Nodes = append(cs.Nodes, landscape.NodeChange{Op: landscape.OpCreate, Node: n})
	}
	for _, e := range edges {
		cs.Edges = append(cs.Edges, landscape.EdgeChange{Op: landscape.OpCreate, Edge: e})
	}
	return cs
}

func createNodes(nodes ...*landscape.Node) *landscape.Changeset { return createAll(nodes, nil) }

func createEdges(edges ...*landscape.Edge) *landscape.Changeset { return createAll(nil, edges) }

func updateNode(id string, p landscape.NodePatch) *landscape.Changeset {
	return &landscape.Changeset{Nodes: []landscape.NodeChange{{Op: landscape.OpUpdate, ID: id, Patch: &p}}}
}

func upsertNode(n *landscape.Node) *landscape.Changeset {
	return &landscape.Changeset{Nodes: []landscape.NodeChange{{Op: landscape.OpUpsert, Node: n}}}
}

func deleteNode(id string) *landscape.Changeset {
	return &landscape.Changeset{Nodes: []landscape.NodeChange{{Op: landscape.OpDelete, ID: id}}}
}

func updateEdge(id string, p landscape.EdgePatch) *landscape.Changeset {
	return &landscape.Changeset{Edges: []landscape.EdgeChange{{Op: landscape.OpUpdate, ID: id, Patch: &p}}}
}

func upsertEdge(e *landscape.Edge) *landscape.Changeset {
	return &landscape.Changeset{Edges: []landscape.EdgeChange{{Op: landscape.OpUpsert, Edge: e}}}
}

func deleteEdge(id string) *landscape.Changeset {
	return &landscape.Changeset{Edges: []landscape.EdgeChange{{Op: landscape.OpDelete, ID: id}}}
}

// ---------------------------------------------------------------------------
// Writing.

// apply applies cs and fails the test when the store refuses it.
func apply(t *testing.T, ctx context.Context, s landscape.Store, cs *landscape.Changeset) *landscape.Result {
	t.Helper()
	res, err := s.Apply(ctx, cs)
	if err != nil {
		t.Fatalf("Apply: %s", describeErr(err))
	}
	if res == nil {
		t.Fatal("Apply returned neither a result nor an error")
	}
	return res
}

// problem is a problem as the suite checks it: its code and field path.
type problem struct {
	code  landscape.Code
	field string
}

func (p problem) String() string { return string(p.code) + "@" + p.field }

func invalid(field string) problem  { return problem{landscape.EInvalid, field} }
func notFound(field string) problem { return problem{landscape.ENotFound, field} }
func conflict(field string) problem { return problem{landscape.EConflict, field} }

// applyFails applies cs, expects it to be refused with exactly the problems
// want (in any order) and checks that the store is unchanged.
func applyFails(t *testing.T, ctx context.Context, s landscape.Store, cs *landscape.Changeset, want ...problem) {
	t.Helper()
	before := takeSnapshot(t, ctx, s)
	res, err := s.Apply(ctx, cs)
	if err == nil {
		t.Errorf("Apply succeeded (result %s), want problems %v", describeResult(res), want)
	} else {
		checkProblems(t, err, want...)
	}
	checkUnchanged(t, before, takeSnapshot(t, ctx, s))
}

// checkProblems checks that err carries exactly the problems want, in any
// order, and that its own code is the code of one of them.
func checkProblems(t *testing.T, err error, want ...problem) {
	t.Helper()
	if err == nil {
		t.Errorf("no error, want problems %v", want)
		return
	}
	var got []problem
	for _, e := range landscape.Problems(err) {
		got = append(got, problem{e.Code, e.Field})
	}
	sortProblems(got)
	want = slices.Clone(want)
	sortProblems(want)
	if !slices.Equal(got, want) {
		t.Errorf("problems = %v, want %v\nerror: %s", got, want, describeErr(err))
	}
	code := landscape.ErrorCode(err)
	if !slices.ContainsFunc(want, func(p problem) bool { return p.code == code }) {
		t.Errorf("ErrorCode = %s, want the code of one of the problems %v", code, want)
	}
	if len(want) == 1 {
		if e := landscape.AsError(err); e == nil || e.Field != want[0].field {
			t.Errorf("AsError(err).Field = %q, want %q", fieldOf(err), want[0].field)
		}
	}
}

// checkError checks that err is a single error of the given code about field
// ("" skips the field check).
func checkError(t *testing.T, what string, err error, code landscape.Code, field string) {
	t.Helper()
	switch {
	case err == nil:
		t.Errorf("%s: no error, want %s@%s", what, code, field)
	case landscape.ErrorCode(err) != code:
		t.Errorf("%s: code %s, want %s\nerror: %s", what, landscape.ErrorCode(err), code, describeErr(err))
	case field != "" && fieldOf(err) != field:
		t.Errorf("%s: field %q, want %q\nerror: %s", what, fieldOf(err), field, describeErr(err))
	}
}

func fieldOf(err error) string {
	if e := landscape.AsError(err); e != nil {
		return e.Field
	}
	return ""
}

func sortProblems(ps []problem) {
	slices.SortFunc(ps, func(a, b problem) int { return strings.Compare(a.String(), b.String()) })
}

func describeErr(err error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v [%s]", err, landscape.ErrorCode(err))
	if ps := landscape.Problems(err); len(ps) > 1 {
		for _, p := range ps {
			fmt.Fprintf(&b, "\n\t%s@%s: %s", p.Code, p.Field, p.Message)
		}
	}
	return b.String()
}

func describeResult(r *landscape.Result) string {
	if r == nil {
		return "<nil>"
	}
	return fmt.Sprintf("{nodes %v, edges %v, deleted nodes %v, deleted edges %v, unchanged %d}",
		nodeIDs(r.Nodes), edgeIDs(r.Edges), r.DeletedNodes, r.DeletedEdges, r.Unchanged)
}

// ---------------------------------------------------------------------------
// Reading.

func getNodes(t *testing.T, ctx context.Context, s landscape.Store, asOf *landscape.Date, ids ...string) map[string]*landscape.Node {
	t.Helper()
	m, err := s.Nodes(ctx, ids, asOf)
	if err != nil {
		t.Fatalf("Nodes(%v, asOf %v): %s", ids, asOf, describeErr(err))
	}
	for id, n := range m {
		if n == nil || n.ID != id {
			t.Fatalf("Nodes(%v): entry %q holds %v", ids, id, n)
		}
	}
	return m
}

// getNode reads one node and fails the test when it is missing.
func getNode(t *testing.T, ctx context.Context, s landscape.Store, id string) *landscape.Node {
	t.Helper()
	n := getNodes(t, ctx, s, nil, id)[id]
	if n == nil {
		t.Fatalf("node %q is missing", id)
	}
	return n
}

func getEdges(t *testing.T, ctx context.Context, s landscape.Store, asOf *landscape.Date, ids ...string) map[string]*landscape.Edge {
	t.Helper()
	m, err := s.Edges(ctx, ids, asOf)
	if err != nil {
		t.Fatalf("Edges(%v, asOf %v): %s", ids, asOf, describeErr(err))
	}
	for id, e := range m {
		if e == nil || e.ID != id {
			t.Fatalf("Edges(%v): entry %q holds %v", ids, id, e)
		}
	}
	return m
}

func getEdge(t *testing.T, ctx context.Context, s landscape.Store, id string) *landscape.Edge {
	t.Helper()
	e := getEdges(t, ctx, s, nil, id)[id]
	if e == nil {
		t.Fatalf("edge %q is missing", id)
	}
	return e
}

func queryNodes(t *testing.T, ctx context.Context, s landscape.Store, q landscape.NodeQuery) *landscape.NodePage {
	t.Helper()
	p, err := s.QueryNodes(ctx, q)
	if err != nil {
		t.Fatalf("QueryNodes: %s", describeErr(err))
	}
	return p
}

func queryEdges(t *testing.T, ctx context.Context, s landscape.Store, q landscape.EdgeQuery) *landscape.EdgePage {
	t.Helper()
	p, err := s.QueryEdges(ctx, q)
	if err != nil {
		t.Fatalf("QueryEdges: %s", describeErr(err))
	}
	return p
}

func adjacent(t *testing.T, ctx context.Context, s landscape.Store, q landscape.AdjacencyQuery) map[string][]*landscape.Edge {
	t.Helper()
	m, err := s.Adjacent(ctx, q)
	if err != nil {
		t.Fatalf("Adjacent: %s", describeErr(err))
	}
	return m
}

// allNodeIDs returns the ids of every node in the store, in id order.
func allNodeIDs(t *testing.T, ctx context.Context, s landscape.Store) []string {
	t.Helper()
	return nodeIDs(takeSnapshot(t, ctx, s).nodeList)
}

func nodeIDs(ns []*landscape.Node) []string {
	ids := make([]string, len(ns))
	for i, n := range ns {
		ids[i] = n.ID
	}
	return ids
}

func edgeIDs(es []*landscape.Edge) []string {
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	return ids
}

func mapKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// checkIDs compares a list of ids with the expected one, in order.
func checkIDs(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

// checkIDSet compares two sets of ids.
func checkIDSet(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	got, want = slices.Clone(got), slices.Clone(want)
	slices.Sort(got)
	slices.Sort(want)
	checkIDs(t, what, got, want...)
}

// ---------------------------------------------------------------------------
// Comparing content.

// content renders the content of a node or edge without its timestamps, for
// comparison and diagnostics.
func nodeContent(n *landscape.Node) string {
	c := *n
	c.CreatedAt, c.UpdatedAt = time.Time{}, time.Time{}
	if len(c.Aliases) == 0 {
		c.Aliases = nil
	}
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Sprintf("%#v", c)
	}
	return string(b)
}

func edgeContent(e *landscape.Edge) string {
	c := *e
	c.CreatedAt, c.UpdatedAt = time.Time{}, time.Time{}
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Sprintf("%#v", c)
	}
	return string(b)
}

// checkNode compares every field of got but the timestamps with want.
func checkNode(t *testing.T, what string, got, want *landscape.Node) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: node %q is missing", what, want.ID)
		return
	}
	if g, w := nodeContent(got), nodeContent(want); g != w {
		t.Errorf("%s: node %q differs:\n got  %s\n want %s", what, want.ID, g, w)
	}
}

// checkEdge compares every field of got but the timestamps with want.
func checkEdge(t *testing.T, what string, got, want *landscape.Edge) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: edge %q is missing", what, want.ID)
		return
	}
	if g, w := edgeContent(got), edgeContent(want); g != w {
		t.Errorf("%s: edge %q differs:\n got  %s\n want %s", what, want.ID, g, w)
	}
}

// checkSameNode checks that got is want, timestamps included.
func checkSameNode(t *testing.T, what string, got, want *landscape.Node) {
	t.Helper()
	checkNode(t, what, got, want)
	if got != nil {
		checkTime(t, what+": createdAt of "+want.ID, got.CreatedAt, want.CreatedAt)
		checkTime(t, what+": updatedAt of "+want.ID, got.UpdatedAt, want.UpdatedAt)
	}
}

// checkSameEdge checks that got is want, timestamps included.
func checkSameEdge(t *testing.T, what string, got, want *landscape.Edge) {
	t.Helper()
	checkEdge(t, what, got, want)
	if got != nil {
		checkTime(t, what+": createdAt of "+want.ID, got.CreatedAt, want.CreatedAt)
		checkTime(t, what+": updatedAt of "+want.ID, got.UpdatedAt, want.UpdatedAt)
	}
}

func checkTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s = %s, want %s", what, got.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
	}
}

// clock brackets a write, to check that the store stamps it with the time of
// the write.
type clock struct{ before time.Time }

func startClock() clock { return clock{before: time.Now()} }

// checkStamp checks that created and updated are set, equal, and taken
// during the write that the clock brackets (with a minute of slack for a
// server clock or a coarse precision).
func (c clock) checkStamp(t *testing.T, what string, created, updated time.Time) {
	t.Helper()
	after := time.Now()
	if created.IsZero() || updated.IsZero() {
		t.Errorf("%s: timestamps not set: createdAt %v, updatedAt %v", what, created, updated)
		return
	}
	if !created.Equal(updated) {
		t.Errorf("%s: createdAt %s != updatedAt %s on create", what, created.Format(time.RFC3339Nano), updated.Format(time.RFC3339Nano))
	}
	if created.Before(c.before.Add(-time.Minute)) || created.After(after.Add(time.Minute)) {
		t.Errorf("%s: createdAt %s is not the time of the write (%s .. %s)", what, created.Format(time.RFC3339Nano),
			c.before.Format(time.RFC3339Nano), after.Format(time.RFC3339Nano))
	}
}

// ---------------------------------------------------------------------------
// Snapshots: the whole content of a store, to check that a refused write
// changed nothing.

type snapshot struct {
	nodeList []*landscape.Node
	edgeList []*landscape.Edge
	// newestAudit is the id of the newest audit entry ("" for none).
	newestAudit string
}

func takeSnapshot(t *testing.T, ctx context.Context, s landscape.Store) snapshot {
	t.Helper()
	var snap snapshot
	order := []landscape.Order{{Field: landscape.OrderID}}
	q := landscape.NodeQuery{Order: order, Page: first(landscape.MaxPageSize)}
	for {
		p := queryNodes(t, ctx, s, q)
		snap.nodeList = append(snap.nodeList, p.Nodes...)
		if !p.HasNextPage || len(p.Nodes) == 0 {
			break
		}
		q.Page.After = landscape.CursorOf(p.Nodes[len(p.Nodes)-1], order)
	}
	eq := landscape.EdgeQuery{Page: first(landscape.MaxPageSize)}
	for {
		p := queryEdges(t, ctx, s, eq)
		snap.edgeList = append(snap.edgeList, p.Edges...)
		if !p.HasNextPage || len(p.Edges) == 0 {
			break
		}
		eq.Page.After = landscape.EdgeCursor(p.Edges[len(p.Edges)-1])
	}
	ap, err := s.Audit(ctx, landscape.AuditQuery{First: 1})
	if err != nil {
		t.Fatalf("Audit: %s", describeErr(err))
	}
	if len(ap.Entries) > 0 {
		snap.newestAudit = ap.Entries[0].ID
	}
	return snap
}

func checkUnchanged(t *testing.T, before, after snapshot) {
	t.Helper()
	if before.newestAudit != after.newestAudit {
		t.Errorf("a refused write left an audit entry: newest entry %q before, %q after", before.newestAudit, after.newestAudit)
	}
	if !slices.Equal(nodeIDs(before.nodeList), nodeIDs(after.nodeList)) {
		t.Errorf("the nodes changed although the write was refused:\n before %q\n after  %q",
			nodeIDs(before.nodeList), nodeIDs(after.nodeList))
	} else {
		for i, n := range after.nodeList {
			checkSameNode(t, "after a refused write", n, before.nodeList[i])
		}
	}
	if !slices.Equal(edgeIDs(before.edgeList), edgeIDs(after.edgeList)) {
		t.Errorf("the edges changed although the write was refused:\n before %q\n after  %q",
			edgeIDs(before.edgeList), edgeIDs(after.edgeList))
	} else {
		for i, e := range after.edgeList {
			checkSameEdge(t, "after a refused write", e, before.edgeList[i])
		}
	}
}
