package graph

import (
	"fmt"

	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/bildungsgraph/bildungsgraph/graph/model"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// filter translates a GraphQL node filter into the domain's filter tree.
// toFilter turns the GraphQL filter at path (the argument's name) into the
// domain's filter; every part carries its GraphQL path, so that problems
// name the input as the caller wrote it ("filter.id.in", not the tree's
// "filter.and[0].in").
func toFilter(f *model.NodeFilter, path string) *landscape.Filter {
	if f == nil {
		return nil
	}
	out := &landscape.Filter{Path: path}
	for i, g := range f.And {
		out.And = append(out.And, toFilter(g, fmt.Sprintf("%s.and[%d]", path, i)))
	}
	for i, g := range f.Or {
		out.Or = append(out.Or, toFilter(g, fmt.Sprintf("%s.or[%d]", path, i)))
	}
	out.Not = toFilter(f.Not, path+".not")
	for _, c := range []struct {
		name  string
		field landscape.Field
		f     *model.StringFilter
	}{
		{"id", landscape.FieldID, f.ID}, {"name", landscape.FieldName, f.Name}, {"description", landscape.FieldDescription, f.Description},
		{"source", landscape.FieldSource, f.Source}, {"category", landscape.FieldCategory, f.Category}, {"alias", landscape.FieldAlias, f.Alias},
	} {
		out.And = append(out.And, stringConditions(c.field, c.f, path+"."+c.name)...)
	}
	if k := f.Kind; k != nil {
		if k.Eq != nil {
			out.And = append(out.And, &landscape.Filter{Field: landscape.FieldKind, Operator: landscape.Eq, Values: []string{string(*k.Eq)}, Path: path + ".kind"})
		}
		if k.In != nil {
			vs := make([]string, len(k.In))
			for i, v := range k.In {
				vs[i] = string(v)
			}
			out.And = append(out.And, &landscape.Filter{Field: landscape.FieldKind, Operator: landscape.In, Values: vs, Path: path + ".kind"})
		}
	}
	if r := f.Related; r != nil {
		dir := landscape.DirBoth
		if r.Direction != nil {
			dir = *r.Direction
		}
		rel := func(q landscape.Quantifier, node *model.NodeFilter, name string) *landscape.Filter {
			return &landscape.Filter{Path: path + ".related", Relation: &landscape.RelationFilter{Kinds: r.Kinds, Direction: dir, Quantifier: q,
				Node: toFilter(node, path+".related."+name)}}
		}
		if r.Some != nil || r.None == nil {
			out.And = append(out.And, rel(landscape.QuantSome, r.Some, "some"))
		}
		if r.None != nil {
			out.And = append(out.And, rel(landscape.QuantNone, r.None, "none"))
		}
	}
	return out
}

func stringConditions(field landscape.Field, f *model.StringFilter, path string) []*landscape.Filter {
	if f == nil {
		return nil
	}
	var out []*landscape.Filter
	add := func(op landscape.Operator, vs ...string) {
		out = append(out, &landscape.Filter{Field: field, Operator: op, Values: vs, Path: path})
	}
	if f.Eq != nil {
		add(landscape.Eq, *f.Eq)
	}
	if f.In != nil {
		add(landscape.In, f.In...)
	}
	if f.Contains != nil {
		add(landscape.Contains, *f.Contains)
	}
	if f.StartsWith != nil {
		add(landscape.StartsWith, *f.StartsWith)
	}
	return out
}

var orderFields = map[model.NodeOrderField]landscape.OrderField{
	model.NodeOrderFieldName:      landscape.OrderName,
	model.NodeOrderFieldID:        landscape.OrderID,
	model.NodeOrderFieldKind:      landscape.OrderKind,
	model.NodeOrderFieldCreatedAt: landscape.OrderCreatedAt,
	model.NodeOrderFieldUpdatedAt: landscape.OrderUpdatedAt,
	model.NodeOrderFieldValidFrom: landscape.OrderValidFrom,
	model.NodeOrderFieldValidTo:   landscape.OrderValidTo,
}

func order(os []*model.NodeOrder) []landscape.Order {
	var out []landscape.Order
	for _, o := range os {
		out = append(out, landscape.Order{Field: orderFields[o.Field], Desc: o.Direction != nil && *o.Direction == model.OrderDirectionDesc})
	}
	return out
}

func pageArgs(first *int, after *string, last *int, before *string) landscape.PageArgs {
	return landscape.PageArgs{First: first, After: deref(after), Last: last, Before: deref(before)}
}

func nodeQuery(kinds []landscape.NodeKind, f *model.NodeFilter, orderBy []*model.NodeOrder, first *int, after *string, last *int, before *string, asOf *landscape.Date) landscape.NodeQuery {
	return landscape.NodeQuery{Kinds: kinds, Filter: toFilter(f, "filter"), Order: order(orderBy), Page: pageArgs(first, after, last, before), AsOf: asOf}
}

func pageInfo(hasNext, hasPrev bool, first, last string, empty bool) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: hasNext, HasPreviousPage: hasPrev}
	if !empty {
		pi.StartCursor, pi.EndCursor = &first, &last
	}
	return pi
}

// connection runs a node query and builds a Relay connection of its page:
// wrap turns each node into the connection's node type, edge makes a
// connection edge, build the connection.
func connection[C, E, T any](ctx context.Context, r *Resolver, q landscape.NodeQuery, wrap func(model.Node) T,
	edge func(cursor string, n T) *E, build func(edges []*E, nodes []T, pi *model.PageInfo, total int) *C) (*C, error) {
	page, err := r.Store.QueryNodes(ctx, q)
	if err != nil {
		return nil, err
	}
	if err := r.prefetchPage(ctx, page.Nodes, q.AsOf); err != nil {
		return nil, err
	}
	order := q.Order
	if len(order) == 0 {
		order = landscape.DefaultOrder
	}
	edges := make([]*E, len(page.Nodes))
	ns := make([]T, len(page.Nodes))
	var firstC, lastC string
	for i, n := range page.Nodes {
		c := landscape.CursorOf(n, order)
		if i == 0 {
			firstC = c
		}
		lastC = c
		ns[i] = wrap(model.WrapNode(n, q.AsOf))
		edges[i] = edge(c, ns[i])
	}
	return build(edges, ns, pageInfo(page.HasNextPage, page.HasPreviousPage, firstC, lastC, len(ns) == 0), page.TotalCount), nil
}

// as asserts a GraphQL node to its concrete type.
func as[T model.Node](n model.Node) T { return n.(T) }

func nodeFromInput(in *model.NodeInput) *landscape.Node {
	return &landscape.Node{
		ID: in.ID, Kind: in.Kind, Name: in.Name, Description: deref(in.Description), Category: deref(in.Category),
		Aliases: in.Aliases, Source: in.Source, Illustrative: in.Illustrative != nil && *in.Illustrative,
		Validity: landscape.Validity{ValidFrom: in.ValidFrom, ValidTo: in.ValidTo},
		Scope:    deref(in.Scope), MeetingRhythm: deref(in.MeetingRhythm), OfficialCode: deref(in.OfficialCode),
		Order: in.Order, AgeFrom: in.AgeFrom, AgeTo: in.AgeTo, URL: deref(in.URL),
		ContactEmail: deref(in.ContactEmail), ContactPhone: deref(in.ContactPhone),
	}
}

func edgeFromInput(in *model.RelationshipInput) *landscape.Edge {
	return &landscape.Edge{
		ID: deref(in.ID), Kind: in.Kind, From: in.From, To: in.To, Role: deref(in.Role), Agreement: deref(in.Agreement),
		Description: deref(in.Description), Source: in.Source, Illustrative: in.Illustrative != nil && *in.Illustrative,
		Validity: landscape.Validity{ValidFrom: in.ValidFrom, ValidTo: in.ValidTo},
	}
}

func nodePatch(p *model.NodePatch) *landscape.NodePatch {
	return &landscape.NodePatch{
		Name: optString(p.Name), Description: optString(p.Description), Category: optString(p.Category),
		Source: optString(p.Source), Scope: optString(p.Scope), MeetingRhythm: optString(p.MeetingRhythm),
		OfficialCode: optString(p.OfficialCode), URL: optString(p.URL), Aliases: opt(p.Aliases),
		Illustrative: optBool(p.Illustrative), ValidFrom: opt(p.ValidFrom), ValidTo: opt(p.ValidTo),
		Order: opt(p.Order), AgeFrom: opt(p.AgeFrom), AgeTo: opt(p.AgeTo),
		ContactEmail: optString(p.ContactEmail), ContactPhone: optString(p.ContactPhone),
	}
}

func edgePatch(p *model.RelationshipPatch) *landscape.EdgePatch {
	return &landscape.EdgePatch{
		Role: optString(p.Role), Agreement: optString(p.Agreement), Description: optString(p.Description),
		Source: optString(p.Source), Illustrative: optBool(p.Illustrative), ValidFrom: opt(p.ValidFrom), ValidTo: opt(p.ValidTo),
	}
}

// opt turns a GraphQL omittable into a domain option: absent is unset,
// null is set to the zero value.
func opt[T any](o graphql.Omittable[T]) landscape.Opt[T] {
	v, set := o.ValueOK()
	if !set {
		return landscape.Opt[T]{}
	}
	return landscape.Some(v)
}

func optString(o graphql.Omittable[*string]) landscape.Opt[string] {
	v := opt(o)
	return landscape.Opt[string]{Set: v.Set, Value: deref(v.Value)}
}

func optBool(o graphql.Omittable[*bool]) landscape.Opt[bool] {
	v := opt(o)
	return landscape.Opt[bool]{Set: v.Set, Value: v.Value != nil && *v.Value}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
