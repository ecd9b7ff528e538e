package graph

import (
	"context"

	"github.com/bildungsgraph/bildungsgraph/graph/model"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// apply writes a changeset; errors about field paths below from are renamed
// to below to (the mutation's argument), and the request's loaders forget
// what they cached, so that later fields of the same request see the write.
//
// Writing needs an editor (the schema's @auth says so too; this check holds
// whatever the schema says); the credential's name becomes the author of the
// audit entry.
func (r *Resolver) apply(ctx context.Context, cs *landscape.Changeset, from, to string) (*landscape.Result, error) {
	p := landscape.PrincipalFrom(ctx)
	if err := p.Require(landscape.RoleEditor, "writing"); err != nil {
		return nil, err
	}
	cs.Author = p.Name
	res, err := r.Store.Apply(ctx, cs)
	if l, ok := ctx.Value(loadersCtxKey{}).(*loaders); ok {
		l.nodes.ClearAll()
		l.adjacent.ClearAll()
	}
	if err != nil {
		if from != "" {
			err = renameField(err, from, to)
		}
		return nil, err
	}
	return res, nil
}

// writeNode applies one node change and returns the node as stored.
func (r *Resolver) writeNode(ctx context.Context, c landscape.NodeChange) (model.Node, error) {
	arg := "input"
	if c.Op == landscape.OpUpdate {
		arg = "patch"
		if err := landscape.CheckID("id", c.ID); err != nil {
			return nil, err // the id argument, not a field of the patch
		}
	}
	res, err := r.apply(ctx, &landscape.Changeset{Nodes: []landscape.NodeChange{c}}, "nodes[0]", arg)
	if err != nil {
		return nil, err
	}
	if len(res.Nodes) > 0 {
		return model.WrapNode(res.Nodes[0], nil), nil
	}
	// Unchanged: answer with the stored node.
	id := c.ID
	if c.Node != nil {
		id = c.Node.ID
	}
	found, err := r.Store.Nodes(ctx, []string{id}, nil)
	if err != nil {
		return nil, err
	}
	return model.WrapNode(found[id], nil), nil
}

// writeEdge applies one edge change and returns the edge as stored.
func (r *Resolver) writeEdge(ctx context.Context, c landscape.EdgeChange) (*model.Relationship, error) {
	arg := "input"
	if c.Op == landscape.OpUpdate {
		arg = "patch"
		if err := landscape.CheckID("id", c.ID); err != nil {
			return nil, err // the id argument, not a field of the patch
		}
	}
	res, err := r.apply(ctx, &landscape.Changeset{Edges: []landscape.EdgeChange{c}}, "edges[0]", arg)
	if err != nil {
		return nil, err
	}
	if len(res.Edges) > 0 {
		return relationship(ctx, res.Edges[0], nil)
	}
	id := c.ID
	if c.Edge != nil {
		e := *c.Edge
		e.Normalize()
		id = e.ID
	}
	found, err := r.Store.Edges(ctx, []string{id}, nil)
	if err != nil {
		return nil, err
	}
	if found[id] == nil {
		return nil, landscape.Errorf(landscape.ENotFound, "id", "no relationship with id %q", id)
	}
	return relationship(ctx, found[id], nil)
}

// maxNodesArg is the maxNodes argument of neighbourhood and subgraph:
// landscape.DefaultMaxNodes when it is missing or not positive.
func maxNodesArg(n *int) int {
	if n == nil || *n <= 0 {
		return landscape.DefaultMaxNodes
	}
	return *n
}

// The subgraph's nodes prime the request's node loader: the endpoints of its
// relationships are among them, so from and to cost no further round trip
// (and no batch that a slow machine might split).
func subgraph(ctx context.Context, g *landscape.Subgraph, asOf *landscape.Date) *model.Subgraph {
	primeNodes(ctx, g.Nodes, asOf)
	return shape(g, asOf)
}

// shape wraps a subgraph without priming the loaders: for one read brief
// (selectsShape), whose nodes the loaders, which hold whole nodes, must not
// hand out.
func shape(g *landscape.Subgraph, asOf *landscape.Date) *model.Subgraph {
	return &model.Subgraph{Nodes: nodes(g.Nodes, asOf), Relationships: relationshipsAmong(g.Edges, g.Nodes, asOf), Truncated: g.Truncated}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
