// Package graph is the GraphQL layer: gqlgen's generated executor and thin
// resolvers that translate between GraphQL and the landscape domain. It holds
// no domain logic of its own.
package graph

import (
	"context"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/bildungsgraph/bildungsgraph/graph/model"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

//go:generate go tool gqlgen generate

// Resolver is the root resolver. It holds the store; per-request state (the
// dataloaders) lives in the request context, see WithLoaders.
type Resolver struct {
	Store landscape.Store
	// NoLookAhead turns projection pushdown off (see prefetch): every
	// nested level is then read by the loaders, one batch per level. The
	// tests compare the two ways of reading.
	NoLookAhead bool
}

// inherit returns the as-of date a nested field uses: its own argument, or
// the one its parent was loaded with.
func inherit(arg, parent *landscape.Date) *landscape.Date {
	if arg != nil {
		return arg
	}
	return parent
}

// edgesAt loads the edges at node id (batched per request).
func edgesAt(ctx context.Context, id string, dir landscape.Direction, asOf *landscape.Date, kinds ...landscape.EdgeKind) ([]*landscape.Edge, error) {
	return loadersFrom(ctx).adjacent.Load(ctx, newAdjKey(id, dir, kinds, asOf))
}

// related loads the nodes at the other end of node id's edges of the given
// kinds and direction, in edge order, each once (batched per request).
func related(ctx context.Context, id string, dir landscape.Direction, asOf *landscape.Date, kinds ...landscape.EdgeKind) ([]*landscape.Node, error) {
	edges, err := edgesAt(ctx, id, dir, asOf, kinds...)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(edges))
	for _, e := range edges {
		if o := e.Other(id); !slices.Contains(ids, o) {
			ids = append(ids, o)
		}
	}
	return loadNodes(ctx, ids, asOf)
}

// loadNodes loads nodes by id (batched per request), leaving out missing ones.
func loadNodes(ctx context.Context, ids []string, asOf *landscape.Date) ([]*landscape.Node, error) {
	keys := make([]nodeKey, len(ids))
	for i, id := range ids {
		keys[i] = newNodeKey(id, asOf)
	}
	nodes, err := loadersFrom(ctx).nodes.LoadAll(ctx, keys)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(nodes, func(n *landscape.Node) bool { return n == nil }), nil
}

func loadNode(ctx context.Context, id string, asOf *landscape.Date) (*landscape.Node, error) {
	return loadersFrom(ctx).nodes.Load(ctx, newNodeKey(id, asOf))
}

// primeNodes puts nodes read for this request, valid on asOf, into its node
// loader, so that later loads of them cost no store round trip.
func primeNodes(ctx context.Context, ns []*landscape.Node, asOf *landscape.Date) {
	l := loadersFrom(ctx).nodes
	for _, n := range ns {
		l.Prime(newNodeKey(n.ID, asOf), n)
	}
}

// nodes wraps domain nodes as GraphQL nodes.
func nodes(ns []*landscape.Node, asOf *landscape.Date) []model.Node {
	out := make([]model.Node, len(ns))
	for i, n := range ns {
		out[i] = model.WrapNode(n, asOf)
	}
	return out
}

// typed wraps the domain nodes of one kind as a GraphQL type, leaving out
// nodes of other kinds.
func typed[T any](ns []*landscape.Node, asOf *landscape.Date, kind landscape.NodeKind) []*T {
	out := []*T{}
	for _, n := range ns {
		if n.Kind == kind {
			out = append(out, model.WrapNode(n, asOf).(any).(*T))
		}
	}
	return out
}

// typedRelated is related followed by typed.
func typedRelated[T any](ctx context.Context, id string, dir landscape.Direction, asOf *landscape.Date, kind landscape.NodeKind, kinds ...landscape.EdgeKind) ([]*T, error) {
	ns, err := related(ctx, id, dir, asOf, kinds...)
	if err != nil {
		return nil, err
	}
	return typed[T](ns, asOf, kind), nil
}

// nodesRelated is related followed by nodes.
func nodesRelated(ctx context.Context, id string, dir landscape.Direction, asOf *landscape.Date, kinds ...landscape.EdgeKind) ([]model.Node, error) {
	ns, err := related(ctx, id, dir, asOf, kinds...)
	if err != nil {
		return nil, err
	}
	return nodes(ns, asOf), nil
}

// relationships wraps domain edges as GraphQL relationships. When the
// query selects their ends (from, to) below the current field, the ends are
// loaded at once (one batch; usually primed, so no round trip) and filled
// in.
func relationships(ctx context.Context, es []*landscape.Edge, asOf *landscape.Date) ([]*model.Relationship, error) {
	if len(es) == 0 || !selectsEnds(ctx) {
		out := make([]*model.Relationship, len(es))
		for i, e := range es {
			out[i] = &model.Relationship{E: e, AsOf: asOf}
		}
		return out, nil
	}
	var ids []string
	seen := map[string]bool{}
	for _, e := range es {
		for _, id := range []string{e.From, e.To} {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	ns, err := loadNodes(ctx, ids, asOf)
	if err != nil {
		return nil, err
	}
	return relationshipsAmong(es, ns, asOf), nil
}

// relationshipsAmong wraps edges whose ends are among the given nodes
// (a subgraph, the step of a path), filling in the ends from them.
func relationshipsAmong(es []*landscape.Edge, ns []*landscape.Node, asOf *landscape.Date) []*model.Relationship {
	byID := make(map[string]*landscape.Node, len(ns))
	for _, n := range ns {
		byID[n.ID] = n
	}
	out := make([]*model.Relationship, len(es))
	for i, e := range es {
		out[i] = &model.Relationship{E: e, AsOf: asOf, From: model.WrapNode(byID[e.From], asOf), To: model.WrapNode(byID[e.To], asOf)}
	}
	return out
}

// relationship is relationships for one edge.
func relationship(ctx context.Context, e *landscape.Edge, asOf *landscape.Date) (*model.Relationship, error) {
	rs, err := relationships(ctx, []*landscape.Edge{e}, asOf)
	if err != nil {
		return nil, err
	}
	return rs[0], nil
}

// selectsEnds reports whether the selection of the current field asks for
// Relationship.from or Relationship.to anywhere below it (true when there
// is no field context).
func selectsEnds(ctx context.Context) bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil {
		return true
	}
	var walk func(ast.SelectionSet) bool
	walk = func(sel ast.SelectionSet) bool {
		for _, s := range sel {
			switch s := s.(type) {
			case *ast.Field:
				if s.ObjectDefinition != nil && s.ObjectDefinition.Name == "Relationship" && (s.Name == "from" || s.Name == "to") {
					return true
				}
				if walk(s.SelectionSet) {
					return true
				}
			case *ast.InlineFragment:
				if walk(s.SelectionSet) {
					return true
				}
			case *ast.FragmentSpread:
				if s.Definition != nil && walk(s.Definition.SelectionSet) {
					return true
				}
			}
		}
		return false
	}
	return walk(fc.Field.Selections)
}

// shapeFields are the fields a selection may ask of a Subgraph, and of its
// nodes and relationships, for the subgraph to be read brief
// (landscape.Node.Brief and Edge.Brief keep what they answer): for each
// type of object, its fields and the type of object each one selects from
// ("" for a scalar).
var shapeFields = map[string]map[string]string{
	"Subgraph":     {"__typename": "", "truncated": "", "nodes": "Node", "relationships": "Relationship"},
	"Node":         {"__typename": "", "id": "", "kind": "", "name": ""},
	"Relationship": {"__typename": "", "id": "", "kind": "", "fromId": "", "toId": "", "from": "Node", "to": "Node"},
}

// selectsShape reports whether the current field (a Subgraph) selects no
// more of its nodes and relationships than their brief forms keep: ids,
// kinds, names and ends (false when there is no field context).
func selectsShape(ctx context.Context) bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil {
		return false
	}
	var within func(sel ast.SelectionSet, typ string) bool
	within = func(sel ast.SelectionSet, typ string) bool {
		for _, s := range sel {
			switch s := s.(type) {
			case *ast.Field:
				sub, ok := shapeFields[typ][s.Name]
				if !ok || (sub == "") != (len(s.SelectionSet) == 0) || sub != "" && !within(s.SelectionSet, sub) {
					return false
				}
			case *ast.InlineFragment:
				if !within(s.SelectionSet, typ) {
					return false
				}
			case *ast.FragmentSpread:
				if s.Definition == nil || !within(s.Definition.SelectionSet, typ) {
					return false
				}
			default:
				return false
			}
		}
		return true
	}
	return within(fc.Field.Selections, "Subgraph")
}

// relationshipsAt answers the relationships field every node type has.
func relationshipsAt(ctx context.Context, b model.Base, kinds []landscape.EdgeKind, dir *landscape.Direction, asOf *landscape.Date) ([]*model.Relationship, error) {
	d := landscape.DirBoth
	if dir != nil {
		d = *dir
	}
	asOf = inherit(asOf, b.AsOf)
	es, err := edgesAt(ctx, b.N.ID, d, asOf, kinds...)
	if err != nil {
		return nil, err
	}
	return relationships(ctx, es, asOf)
}

// memberships answers memberships of a member (OUT) or members of a
// committee (IN), optionally only those with one of roles.
func memberships(ctx context.Context, b model.Base, dir landscape.Direction, roles []string, asOf *landscape.Date) ([]*model.Membership, error) {
	asOf = inherit(asOf, b.AsOf)
	es, err := edgesAt(ctx, b.N.ID, dir, asOf, landscape.MemberOf)
	if err != nil {
		return nil, err
	}
	out := []*model.Membership{}
	for _, e := range es {
		if len(roles) == 0 || slices.Contains(roles, e.Role) {
			out = append(out, &model.Membership{E: e, AsOf: asOf})
		}
	}
	return out, nil
}

// renameField rewrites the field paths of a domain error, so that an error of
// the one-change changeset a mutation builds names the mutation's argument
// ("input.name" rather than "nodes[0].name").
func renameField(err error, from, to string) error {
	e := landscape.AsError(err)
	if e == nil {
		return err
	}
	re := func(f string) string {
		if f == from {
			return to
		}
		if rest, ok := strings.CutPrefix(f, from+"."); ok {
			return to + "." + rest
		}
		return f
	}
	c := *e
	c.Field = re(c.Field)
	c.Problems = nil
	for _, p := range e.Problems {
		q := *p
		q.Field = re(q.Field)
		c.Problems = append(c.Problems, &q)
	}
	return &c
}
