package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/bildungsgraph/bildungsgraph/graph/model"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// NewConfig returns the configuration of the executable schema over store:
// the resolvers and the implementation of the schema's directives.
func NewConfig(store landscape.Store) Config {
	return Config{
		Resolvers:  &Resolver{Store: store},
		Directives: DirectiveRoot{Auth: authDirective},
	}
}

// authDirective implements @auth(requires: Role): the field resolves only
// for a caller whose principal has the role; otherwise the field is null
// with an UNAUTHORIZED or FORBIDDEN error naming the field.
func authDirective(ctx context.Context, obj any, next graphql.Resolver, requires string) (any, error) {
	role, err := landscape.ParseRole(requires)
	if err != nil {
		return nil, landscape.Wrap(landscape.EInternal, err, "the schema names the unknown role %q", requires)
	}
	what := "this field"
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		what = fc.Object + "." + fc.Field.Name
	}
	if err := landscape.PrincipalFrom(ctx).Require(role, what); err != nil {
		return nil, err
	}
	return next(ctx)
}

func viewer(p landscape.Principal) *model.Viewer {
	v := &model.Viewer{SeesContacts: p.SeesContacts(), CanWrite: p.Has(landscape.RoleEditor)}
	if p.Authenticated() {
		name, role := p.Name, string(p.Role)
		v.Name, v.Role = &name, &role
	}
	return v
}

func auditPage(p *landscape.AuditPage) *model.AuditLogPage {
	out := &model.AuditLogPage{Entries: p.Entries, HasNextPage: p.HasNext}
	if out.Entries == nil {
		out.Entries = []*landscape.AuditEntry{}
	}
	if n := len(p.Entries); n > 0 {
		id := p.Entries[n-1].ID
		out.EndCursor = &id
	}
	return out
}
