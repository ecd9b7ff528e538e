package graph

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Projection pushdown. A query for nodes by id, and a connection of nodes
// once its page is read, looks ahead at its selection and reads the nodes
// together with every level of relationships that the selection will
// follow, in one Store.Expand call; the answers prime the
// request's loaders, so that the nested resolvers find their edges and
// nodes there instead of making a round trip per level. What a resolver
// reads stays the resolver's business: a level the look-ahead does not
// foresee is loaded as before, one round trip per level.

// traversal is the read of a field of a node type: its edges of the kinds
// (empty: every kind) in the direction. When ends is set, the field's value
// is the nodes at their other ends, of kind end (empty: any kind), whose
// own selection is looked ahead too.
type traversal struct {
	dir   landscape.Direction
	kinds []landscape.EdgeKind
	ends  bool
	end   landscape.NodeKind
}

func follow(dir landscape.Direction, end landscape.NodeKind, kinds ...landscape.EdgeKind) traversal {
	return traversal{dir: dir, kinds: kinds, ends: true, end: end}
}

// membershipsOut and membershipsIn are the reads of memberships and members.
var (
	membershipsOut = traversal{dir: landscape.DirOut, kinds: []landscape.EdgeKind{landscape.MemberOf}}
	membershipsIn  = traversal{dir: landscape.DirIn, kinds: []landscape.EdgeKind{landscape.MemberOf}}
)

// Short names for the table below.
const (
	toOut = landscape.DirOut
	toIn  = landscape.DirIn
	anyK  = landscape.NodeKind("")
)

// traversals are the reads of the fields of each node type, as their
// resolvers make them (TestTraversalsMatchResolvers checks that they
// agree). The field relationships of every type reads what its arguments
// say.
var traversals = map[landscape.NodeKind]map[string]traversal{
	landscape.Actor: {
		"memberships":    membershipsOut,
		"responsibleFor": follow(toOut, anyK, landscape.ResponsibleFor),
		"coordinates":    follow(toOut, anyK, landscape.Coordinates),
		"partOf":         follow(toOut, anyK, landscape.PartOf),
	},
	landscape.Committee: {
		"members":       membershipsIn,
		"memberships":   membershipsOut,
		"coordinatedBy": follow(toIn, anyK, landscape.Coordinates, landscape.ResponsibleFor),
	},
	landscape.Foundation: {
		"memberships": membershipsOut,
		"funds":       follow(toOut, anyK, landscape.Funds),
	},
	landscape.Institution: {
		"memberships": membershipsOut,
		"offers":      follow(toOut, landscape.Offer, landscape.Provides),
		"partOf":      follow(toOut, anyK, landscape.PartOf),
		"parts":       follow(toIn, anyK, landscape.PartOf),
		"locatedIn":   follow(toOut, landscape.Region, landscape.LocatedIn),
		"serves":      follow(toOut, landscape.Region, landscape.Serves),
		"responsible": follow(toIn, anyK, landscape.ResponsibleFor),
	},
	landscape.LifePhase: {
		"offers":         follow(toIn, landscape.Offer, landscape.Supports),
		"transitionsOut": follow(toIn, landscape.Transition, landscape.FromPhase),
		"transitionsIn":  follow(toIn, landscape.Transition, landscape.ToPhase),
	},
	landscape.Offer: {
		"providers":    follow(toIn, anyK, landscape.Provides),
		"supports":     follow(toOut, anyK, landscape.Supports),
		"targetGroups": follow(toOut, landscape.TargetGroup, landscape.Targets),
		"regions":      follow(toOut, landscape.Region, landscape.Serves),
		"funders":      follow(toIn, anyK, landscape.Funds),
	},
	landscape.Region: {
		"partOf":     follow(toOut, landscape.Region, landscape.PartOf),
		"subregions": follow(toIn, landscape.Region, landscape.PartOf),
		"actors":     follow(toIn, anyK, landscape.LocatedIn, landscape.Serves),
	},
	landscape.TargetGroup: {
		"offers": follow(toIn, landscape.Offer, landscape.Targets),
	},
	landscape.Topic: {
		"workedOnBy": follow(toIn, anyK, landscape.WorksOn),
	},
	landscape.Transition: {
		"fromPhase": follow(toOut, landscape.LifePhase, landscape.FromPhase),
		"toPhase":   follow(toOut, landscape.LifePhase, landscape.ToPhase),
		"offers":    follow(toIn, landscape.Offer, landscape.Supports),
	},
}

// planner turns a selection into the steps of an ExpandQuery.
type planner struct {
	op    *graphql.OperationContext
	asOf  *landscape.Date
	steps []landscape.ExpandStep
	index map[stepKey]int
}

// stepKey identifies a step: the same read below the same parent is made
// once, for the union of the kinds of nodes that ask for it.
type stepKey struct {
	parent int
	dir    landscape.Direction
	kinds  string
}

// plan adds the steps that the selection sel makes on nodes of the given
// kinds (reached by step parent, -1 for the roots).
func (p *planner) plan(sel ast.SelectionSet, kinds []landscape.NodeKind, parent int) {
	for _, kind := range kinds {
		for _, f := range graphql.CollectFields(p.op, sel, []string{string(kind), "Node"}) {
			tr, ok := p.traversal(kind, f)
			if !ok || len(p.steps) >= landscape.MaxExpandSteps {
				continue
			}
			key := stepKey{parent, tr.dir, newAdjKey("", tr.dir, tr.kinds, nil).kinds}
			i, seen := p.index[key]
			if !seen {
				i = len(p.steps)
				p.index[key] = i
				p.steps = append(p.steps, landscape.ExpandStep{Parent: parent, Direction: tr.dir, Kinds: tr.kinds})
			}
			if st := &p.steps[i]; !slices.Contains(st.FromKinds, kind) {
				st.FromKinds = append(st.FromKinds, kind)
			}
			if !tr.ends {
				continue
			}
			next := landscape.NodeKinds
			if tr.end != anyK {
				next = []landscape.NodeKind{tr.end}
			}
			p.plan(f.Selections, next, i)
		}
	}
}

// traversal is the read field f of a node of the kind makes, if it is one
// and reads on the date of the plan.
func (p *planner) traversal(kind landscape.NodeKind, f graphql.CollectedField) (traversal, bool) {
	args := f.ArgumentMap(p.op.Variables)
	if v, ok := args["asOf"].(string); ok {
		d, err := landscape.ParseDate(v)
		if err != nil || p.asOf == nil || d != *p.asOf {
			return traversal{}, false
		}
	}
	if f.Name == "relationships" {
		tr := traversal{dir: landscape.DirBoth}
		if v, ok := args["direction"].(string); ok {
			tr.dir = landscape.Direction(v)
		}
		if list, ok := args["kinds"].([]any); ok {
			for _, k := range list {
				s, _ := k.(string)
				tr.kinds = append(tr.kinds, landscape.EdgeKind(s))
			}
		}
		return tr, true
	}
	tr, ok := traversals[kind][f.Name]
	return tr, ok
}

// prefetch reads the nodes ids (valid on asOf) and the levels below them
// that the selection of the current field will follow, in one Store.Expand
// call, and primes the request's loaders with the answer. It returns the
// nodes found, or nil when the selection follows no relationship (the
// caller then loads the nodes as usual).
func (r *Resolver) prefetch(ctx context.Context, ids []string, asOf *landscape.Date) (map[string]*landscape.Node, error) {
	fc := graphql.GetFieldContext(ctx)
	if r.NoLookAhead || fc == nil || !graphql.HasOperationContext(ctx) || len(ids) > landscape.MaxWithin {
		return nil, nil
	}
	p := &planner{op: graphql.GetOperationContext(ctx), asOf: asOf, index: map[stepKey]int{}}
	p.plan(fc.Field.Selections, landscape.NodeKinds, -1)
	return p.run(ctx, r.Store, ids)
}

// prefetchPage looks ahead from a connection whose page holds the nodes:
// the selections of its edges' node and of its nodes field are planned on
// the kinds of the page's nodes, and the levels below the page are read in
// one Store.Expand call. Without it, each level would be one loader batch,
// and a batch collects only the keys that arrive within its wait.
func (r *Resolver) prefetchPage(ctx context.Context, nodes []*landscape.Node, asOf *landscape.Date) error {
	fc := graphql.GetFieldContext(ctx)
	if r.NoLookAhead || fc == nil || !graphql.HasOperationContext(ctx) || len(nodes) == 0 || len(nodes) > landscape.MaxWithin {
		return nil
	}
	op := graphql.GetOperationContext(ctx)
	var sels []ast.SelectionSet
	for _, f := range graphql.CollectFields(op, fc.Field.Selections, []string{fc.Field.Definition.Type.Name()}) {
		switch f.Name {
		case "nodes":
			sels = append(sels, f.Selections)
		case "edges":
			for _, g := range graphql.CollectFields(op, f.Selections, []string{f.Definition.Type.Name()}) {
				if g.Name == "node" {
					sels = append(sels, g.Selections)
				}
			}
		}
	}
	if len(sels) == 0 {
		return nil
	}
	ids := make([]string, len(nodes))
	var kinds []landscape.NodeKind
	for i, n := range nodes {
		ids[i] = n.ID
		if !slices.Contains(kinds, n.Kind) {
			kinds = append(kinds, n.Kind)
		}
	}
	p := &planner{op: op, asOf: asOf, index: map[stepKey]int{}}
	for _, sel := range sels {
		p.plan(sel, kinds, -1)
	}
	_, err := p.run(ctx, r.Store, ids)
	return err
}

// run reads the roots ids and the planned steps in one Store.Expand call
// and primes the request's loaders with the answer. Without steps it reads
// nothing and returns nil.
func (p *planner) run(ctx context.Context, s landscape.Store, ids []string) (map[string]*landscape.Node, error) {
	if len(p.steps) == 0 {
		return nil, nil
	}
	x, err := s.Expand(ctx, landscape.ExpandQuery{Roots: ids, AsOf: p.asOf, Steps: p.steps})
	if err != nil {
		return nil, err
	}
	l := loadersFrom(ctx)
	for id, n := range x.Nodes {
		l.nodes.Prime(newNodeKey(id, p.asOf), n)
	}
	for i, st := range p.steps {
		for id, es := range x.Steps[i] {
			l.adjacent.Prime(newAdjKey(id, st.Direction, st.Kinds, p.asOf), es)
		}
	}
	return x.Nodes, nil
}
