// Package model holds the GraphQL view of the domain: thin wrappers around
// landscape nodes and edges (one Go type per GraphQL object type), and the
// marshalling of the domain's scalars and enums.
package model

import (
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Base is what every node type shares: the domain node and the as-of date
// the query asked for, which nested fields inherit.
type Base struct {
	N    *landscape.Node
	AsOf *landscape.Date
}

func (Base) IsNode() {}

func (b Base) ID() string               { return b.N.ID }
func (b Base) Kind() landscape.NodeKind { return b.N.Kind }
func (b Base) Name() string             { return b.N.Name }
func (b Base) Description() *string     { return nonEmpty(b.N.Description) }
func (b Base) Category() *string        { return nonEmpty(b.N.Category) }
func (b Base) Aliases() []string {
	if b.N.Aliases == nil {
		return []string{}
	}
	return b.N.Aliases
}
func (b Base) Source() string             { return b.N.Source }
func (b Base) Illustrative() bool         { return b.N.Illustrative }
func (b Base) ValidFrom() *landscape.Date { return b.N.ValidFrom }
func (b Base) ValidTo() *landscape.Date   { return b.N.ValidTo }
func (b Base) CreatedAt() time.Time       { return b.N.CreatedAt }
func (b Base) UpdatedAt() time.Time       { return b.N.UpdatedAt }
func (b Base) URL() *string               { return nonEmpty(b.N.URL) }

// Contact returns the contact data, nil when there is none. The schema's
// @auth directive keeps it from anonymous readers.
func (b Base) Contact() *Contact {
	if !b.N.HasContact() {
		return nil
	}
	return &Contact{Email: nonEmpty(b.N.ContactEmail), Phone: nonEmpty(b.N.ContactPhone)}
}
func (b Base) Scope() *string         { return nonEmpty(b.N.Scope) }
func (b Base) MeetingRhythm() *string { return nonEmpty(b.N.MeetingRhythm) }
func (b Base) OfficialCode() *string  { return nonEmpty(b.N.OfficialCode) }
func (b Base) AgeFrom() *int          { return b.N.AgeFrom }
func (b Base) AgeTo() *int            { return b.N.AgeTo }
func (b Base) Order() int {
	if b.N.Order == nil {
		return 0
	}
	return *b.N.Order
}

// The node types of the schema, one per node kind.
type (
	Actor       struct{ Base }
	Institution struct{ Base }
	Foundation  struct{ Base }
	Committee   struct{ Base }
	Region      struct{ Base }
	Offer       struct{ Base }
	LifePhase   struct{ Base }
	Transition  struct{ Base }
	TargetGroup struct{ Base }
	Topic       struct{ Base }
)

// WrapNode returns the GraphQL object of a domain node: the type of its kind.
// A nil node gives a nil Node.
func WrapNode(n *landscape.Node, asOf *landscape.Date) Node {
	if n == nil {
		return nil
	}
	b := Base{N: n, AsOf: asOf}
	switch n.Kind {
	case landscape.Actor:
		return &Actor{b}
	case landscape.Institution:
		return &Institution{b}
	case landscape.Foundation:
		return &Foundation{b}
	case landscape.Committee:
		return &Committee{b}
	case landscape.Region:
		return &Region{b}
	case landscape.Offer:
		return &Offer{b}
	case landscape.LifePhase:
		return &LifePhase{b}
	case landscape.Transition:
		return &Transition{b}
	case landscape.TargetGroup:
		return &TargetGroup{b}
	case landscape.Topic:
		return &Topic{b}
	}
	panic("model: node kind without GraphQL type: " + string(n.Kind))
}

// Relationship is the GraphQL view of a domain edge. From and To are its
// ends, filled in by the resolver that makes it when the query selects them
// (a plain field: no goroutine per relationship and end, as a resolver
// would cost).
type Relationship struct {
	E        *landscape.Edge
	AsOf     *landscape.Date
	From, To Node
}

func (r Relationship) ID() string                 { return r.E.ID }
func (r Relationship) Kind() landscape.EdgeKind   { return r.E.Kind }
func (r Relationship) FromID() string             { return r.E.From }
func (r Relationship) ToID() string               { return r.E.To }
func (r Relationship) Role() *string              { return nonEmpty(r.E.Role) }
func (r Relationship) Agreement() *string         { return nonEmpty(r.E.Agreement) }
func (r Relationship) Description() *string       { return nonEmpty(r.E.Description) }
func (r Relationship) Source() string             { return r.E.Source }
func (r Relationship) Illustrative() bool         { return r.E.Illustrative }
func (r Relationship) ValidFrom() *landscape.Date { return r.E.ValidFrom }
func (r Relationship) ValidTo() *landscape.Date   { return r.E.ValidTo }
func (r Relationship) CreatedAt() time.Time       { return r.E.CreatedAt }
func (r Relationship) UpdatedAt() time.Time       { return r.E.UpdatedAt }

// Membership is a MEMBER_OF edge seen from a committee or a member.
type Membership struct {
	E    *landscape.Edge
	AsOf *landscape.Date
}

func (m Membership) Role() string               { return m.E.Role }
func (m Membership) Source() string             { return m.E.Source }
func (m Membership) ValidFrom() *landscape.Date { return m.E.ValidFrom }
func (m Membership) ValidTo() *landscape.Date   { return m.E.ValidTo }

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
