package analysis

import (
	"context"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// DefaultPivots is the number of sampled sources of an approximate
// betweenness when the caller names none.
const DefaultPivots = 64

// WithDefaults returns the scope with the defaults of the network metrics:
// organisations (OrganisationKinds) joined by coordination edges
// (CoordinationEdgeKinds) when no kinds are named.
func (s Scope) WithDefaults() Scope {
	if len(s.NodeKinds) == 0 {
		s.NodeKinds = OrganisationKinds
	}
	if len(s.EdgeKinds) == 0 {
		s.EdgeKinds = CoordinationEdgeKinds
	}
	return s
}

// AutoExactNodes is the largest scope AutoCentrality computes exactly: about
// a second on the reference machine (see MaxExactNodes), quick enough for
// the explorer, which sizes its nodes by these metrics.
const AutoExactNodes = 5000

// AutoCentrality computes the metrics of a scope exactly up to
// AutoExactNodes nodes and approximately (pivots sampled sources,
// DefaultPivots when 0) above, so that a query never runs for minutes.
func AutoCentrality(ctx context.Context, s landscape.Store, scope Scope, pivots int) (*Centralities, error) {
	g, err := Load(ctx, s, scope)
	if err != nil {
		return nil, err
	}
	if pivots < 0 {
		return nil, landscape.Errorf(landscape.EInvalid, "pivots", "must not be negative")
	}
	if len(g.Nodes) <= AutoExactNodes && pivots == 0 {
		return CentralityOf(ctx, g)
	}
	if pivots == 0 {
		pivots = DefaultPivots
	}
	return ApproximateCentralityOf(ctx, g, pivots)
}
