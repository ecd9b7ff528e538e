package exchange

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// MaxAliases is the most aliases a node may have in an import.
const MaxAliases = 100

// Options control Import.
type Options struct {
	// DryRun checks everything against the store and reports what would be
	// written, but writes nothing.
	DryRun bool
	// Progress, when set, is called with the number of records (nodes and
	// edges) handled so far and their total: while the input is checked
	// (done stays below total) and once more with done == total when the
	// write has committed (or, for a dry run, the check is complete).
	Progress func(done, total int)
	// Author and Note go into the audit entry of the import (default
	// author "import", default note the names of the inputs).
	Author, Note string
}

// Report is what an import did (or, for a dry run, would do).
type Report struct {
	// Nodes and Edges count the records of the input.
	Nodes, Edges int
	// Result lists the nodes and edges written (or to be written); its
	// Unchanged counts the records that are already stored as they are, so
	// a repeated import reports every record unchanged.
	Result *landscape.Result
	// Warnings of the inputs (ignored columns, a guessed encoding).
	Warnings []*landscape.Error
	DryRun   bool
}

// origin is where a change of the merged changeset came from.
type origin struct {
	in    *Input
	order int // index of in among the inputs
	index int // index in in.Doc.Nodes or in.Doc.Edges
}

// rankedProblem is a problem with the place used to sort it.
type rankedProblem struct {
	order int
	pos   Pos
	err   *landscape.Error
}

// Import writes the nodes and edges of the inputs into s in one Apply, all
// or nothing: every node and edge is an upsert by id (an edge without id
// gets landscape.DefaultEdgeID), keeping createdAt and updatedAt where the
// input has both, so that importing the same input again changes nothing.
//
// Before writing, the whole input is checked: the problems the inputs had
// while being read, ids defined twice across all inputs, and every rule of
// the domain checked against the stored graph (landscape.Resolve, with the
// state read through the Store interface). When there is any problem,
// nothing is written and the error is a *landscape.Error of code EInvalid
// whose Problems are all of them, each with Field "file:line:column" (or
// "file:line"), in input and file order.
func Import(ctx context.Context, s landscape.Store, inputs []*Input, opts Options) (*Report, error) {
	rep := &Report{DryRun: opts.DryRun}
	inputs = slices.DeleteFunc(slices.Clone(inputs), func(in *Input) bool { return in == nil || in.Doc == nil })
	for _, in := range inputs {
		rep.Nodes += len(in.Doc.Nodes)
		rep.Edges += len(in.Doc.Edges)
		rep.Warnings = append(rep.Warnings, in.Warnings...)
	}
	total := rep.Nodes + rep.Edges
	progress := func(done int) {
		if opts.Progress != nil {
			opts.Progress(done, total)
		}
	}
	progress(0)

	m := merge(inputs, func(done int) {
		if done%1000 == 0 {
			progress(min(done, max(total-1, 0)))
		}
	})
	st, err := loadState(ctx, s, m.cs)
	if err != nil {
		return nil, err
	}
	res, err := landscape.Resolve(m.cs, st, time.Now())
	m.add(err)
	if err := m.err(); err != nil {
		return nil, err
	}
	if !opts.DryRun {
		m.cs.Author, m.cs.Note = opts.Author, opts.Note
		if m.cs.Author == "" {
			m.cs.Author = "import"
		}
		if m.cs.Note == "" {
			var names []string
			for _, in := range inputs {
				names = append(names, in.Name)
			}
			m.cs.Note = "import of " + strings.Join(names, ", ")
		}
		res, err = s.Apply(ctx, m.cs)
		if err != nil {
			if landscape.ErrorCode(err) != landscape.EInvalid && landscape.ErrorCode(err) != landscape.ENotFound &&
				landscape.ErrorCode(err) != landscape.EConflict {
				return nil, err
			}
			// The store changed since the check: place its problems too.
			m.add(err)
			if merr := m.err(); merr != nil {
				return nil, merr
			}
			return nil, err
		}
	}
	rep.Result = res
	progress(total)
	return rep, nil
}

// merged is the changeset of all inputs and what is needed to place its
// problems.
type merged struct {
	cs       *landscape.Changeset
	nodes    []origin        // origin of cs.Nodes[i]
	edges    []origin        // origin of cs.Edges[i]
	defined  map[string]bool // node ids the inputs define
	problems []rankedProblem
	unplaced []*landscape.Error
}

// merge builds one changeset from the inputs, taking over their reading
// problems and reporting ids defined twice (the second definition is left
// out of the changeset).
func merge(inputs []*Input, step func(done int)) *merged {
	m := &merged{cs: &landscape.Changeset{KeepTimestamps: true}, defined: map[string]bool{}}
	firstNode := map[string]Pos{}
	firstEdge := map[string]Pos{}
	done := 0
	for order, in := range inputs {
		if len(in.probs) == len(in.Problems) {
			for _, p := range in.probs {
				m.problems = append(m.problems, rankedProblem{order, p.pos, p.err})
			}
		} else { // an Input whose Problems were set by hand
			for _, p := range in.Problems {
				m.problems = append(m.problems, rankedProblem{order, Pos{}, p})
			}
		}
		for i, n := range in.Doc.Nodes {
			done++
			step(done)
			if n == nil {
				continue
			}
			field := fmt.Sprintf("nodes[%d]", i)
			id := strings.TrimSpace(n.ID)
			if id != "" {
				m.defined[id] = true
				if first, dup := firstNode[id]; dup {
					m.problemAt(order, in.Locate(field+".id"), fmt.Sprintf("node %q is defined twice (first at %s)", id, first.String()))
					continue
				}
				firstNode[id] = in.Locate(field)
			}
			if len(n.Aliases) > MaxAliases {
				// The domain compares every alias with every other: cap them
				// before validation.
				m.problemAt(order, in.Locate(field+".aliases"), fmt.Sprintf("has %d aliases; at most %d are allowed", len(n.Aliases), MaxAliases))
				c := *n
				c.Aliases = c.Aliases[:MaxAliases]
				n = &c
			}
			m.cs.Nodes = append(m.cs.Nodes, landscape.NodeChange{Op: landscape.OpUpsert, Node: n})
			m.nodes = append(m.nodes, origin{in, order, i})
		}
		for i, e := range in.Doc.Edges {
			done++
			step(done)
			if e == nil {
				continue
			}
			field := fmt.Sprintf("edges[%d]", i)
			c := *e
			c.Normalize()
			if c.ID != "" {
				if first, dup := firstEdge[c.ID]; dup {
					idField := field + ".id"
					if strings.TrimSpace(e.ID) == "" {
						idField = field
					}
					m.problemAt(order, in.Locate(idField), fmt.Sprintf("edge %q is defined twice (first at %s)", c.ID, first.String()))
					continue
				}
				firstEdge[c.ID] = in.Locate(field)
			}
			m.cs.Edges = append(m.cs.Edges, landscape.EdgeChange{Op: landscape.OpUpsert, Edge: e})
			m.edges = append(m.edges, origin{in, order, i})
		}
	}
	return m
}

func (m *merged) problemAt(order int, pos Pos, msg string) {
	m.problems = append(m.problems, rankedProblem{order, pos, problemAt(pos, msg)})
}

// add places the problems of a Resolve or Apply error in the inputs. A
// problem is dropped when the value it concerns could not be read (its
// reading problem says more), and so is "no node" at an edge end that the
// input defines (the node has a problem of its own).
func (m *merged) add(err error) {
	if err == nil {
		return
	}
	for _, p := range landscape.Problems(err) {
		o, rest, ok := m.origin(p.Field)
		if !ok {
			m.unplaced = append(m.unplaced, p)
			continue
		}
		local := fmt.Sprintf("%s[%d]%s", strings.SplitN(p.Field, "[", 2)[0], o.index, rest)
		if o.in.isBad(local) {
			continue
		}
		if p.Code == landscape.ENotFound && (rest == ".from" || rest == ".to") {
			e := o.in.Doc.Edges[o.index]
			end := strings.TrimSpace(e.From)
			if rest == ".to" {
				end = strings.TrimSpace(e.To)
			}
			if m.defined[end] {
				continue
			}
		}
		pos := o.in.Locate(local)
		q := problemAt(pos, p.Message)
		q.Code = p.Code
		m.problems = append(m.problems, rankedProblem{o.order, pos, q})
	}
}

// origin returns the origin of the change a field of the merged changeset
// names ("edges[4].to") and the rest of the field (".to").
func (m *merged) origin(field string) (origin, string, bool) {
	list, rest, ok := strings.Cut(field, "[")
	if !ok {
		return origin{}, "", false
	}
	num, rest, ok := strings.Cut(rest, "]")
	if !ok {
		return origin{}, "", false
	}
	i, err := strconv.Atoi(num)
	var origins []origin
	switch list {
	case "nodes":
		origins = m.nodes
	case "edges":
		origins = m.edges
	}
	if err != nil || i < 0 || i >= len(origins) {
		return origin{}, "", false
	}
	return origins[i], rest, true
}

// err returns every problem as one EInvalid error, or nil.
func (m *merged) err() error {
	slices.SortStableFunc(m.problems, func(a, b rankedProblem) int {
		if c := cmp.Compare(a.order, b.order); c != 0 {
			return c
		}
		return comparePos(a.pos, b.pos)
	})
	var all []*landscape.Error
	for _, p := range m.problems {
		all = append(all, p.err)
	}
	all = append(all, m.unplaced...)
	m.problems, m.unplaced = nil, nil
	return combine(all)
}

// loadState reads what Resolve needs of the stored graph through the Store
// interface: the nodes and edges cs refers to and the kinds of the ends of
// those edges. Three round trips at most.
func loadState(ctx context.Context, s landscape.Store, cs *landscape.Changeset) (landscape.State, error) {
	nodeIDs, edgeIDs := cs.Refs()
	st := landscape.State{Nodes: map[string]*landscape.Node{}, Edges: map[string]*landscape.Edge{}, Kinds: map[string]landscape.NodeKind{}}
	var err error
	if len(nodeIDs) > 0 {
		if st.Nodes, err = s.Nodes(ctx, nodeIDs, nil); err != nil {
			return st, err
		}
	}
	if len(edgeIDs) > 0 {
		if st.Edges, err = s.Edges(ctx, edgeIDs, nil); err != nil {
			return st, err
		}
	}
	var ends []string
	seen := map[string]bool{}
	for _, e := range st.Edges {
		for _, id := range []string{e.From, e.To} {
			if n, ok := st.Nodes[id]; ok {
				st.Kinds[id] = n.Kind
			} else if !seen[id] {
				seen[id] = true
				ends = append(ends, id)
			}
		}
	}
	slices.Sort(ends)
	if len(ends) > 0 {
		more, err := s.Nodes(ctx, ends, nil)
		if err != nil {
			return st, err
		}
		for id, n := range more {
			st.Kinds[id] = n.Kind
		}
	}
	return st, nil
}
