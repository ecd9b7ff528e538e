package graph

import (
	"github.com/bildungsgraph/bildungsgraph/graph/model"
	"github.com/bildungsgraph/bildungsgraph/internal/analysis"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Conversions of analysis results into their GraphQL types.

func wrapAs[T model.Node](n *landscape.Node, asOf *landscape.Date) T {
	var zero T
	if n == nil {
		return zero
	}
	return model.WrapNode(n, asOf).(T)
}

func wrapAllAs[T model.Node](ns []*landscape.Node, asOf *landscape.Date) []T {
	out := make([]T, len(ns))
	for i, n := range ns {
		out[i] = wrapAs[T](n, asOf)
	}
	return out
}

func coverage(m *analysis.Matrix) *model.Coverage {
	asOf := &m.AsOf
	c := &model.Coverage{
		AsOf:     m.AsOf,
		District: wrapAs[*model.Region](m.District, asOf),
		Regions:  wrapAllAs[*model.Region](m.Regions, asOf),
		Links:    []*model.ChainLink{}, Cells: []*model.CoverageCell{}, Gaps: []*model.Gap{},
	}
	if m.TargetGroup != nil {
		c.TargetGroup = wrapAs[*model.TargetGroup](m.TargetGroup, asOf)
	}
	for i, l := range m.Links {
		link := &model.ChainLink{Index: i, Node: model.WrapNode(l.Node, asOf), IsTransition: l.IsTransition()}
		if l.From != nil {
			link.FromPhase = wrapAs[*model.LifePhase](l.From, asOf)
		}
		if l.To != nil {
			link.ToPhase = wrapAs[*model.LifePhase](l.To, asOf)
		}
		c.Links = append(c.Links, link)
	}
	for i, row := range m.Cells {
		for j, cell := range row {
			c.Cells = append(c.Cells, &model.CoverageCell{
				Link: i, Region: c.Regions[j],
				Offers:       wrapAllAs[*model.Offer](cell.Offers, asOf),
				Providers:    nodes(cell.Providers, asOf),
				Coordinators: nodes(cell.Coordinators, asOf),
				Expired:      wrapAllAs[*model.Offer](cell.Expired, nil),
			})
		}
	}
	for _, g := range m.Gaps {
		gap := &model.Gap{
			Reason: string(g.Reason), Severity: g.Severity, Link: g.Link, Explanation: g.Explanation,
			Region:     wrapAs[*model.Region](g.Region, asOf),
			Offers:     wrapAllAs[*model.Offer](g.Offers, nil),
			NextOffers: wrapAllAs[*model.Offer](g.NextOffers, asOf),
			Elsewhere:  []*model.OfferPlacement{},
		}
		for _, p := range g.Elsewhere {
			gap.Elsewhere = append(gap.Elsewhere, &model.OfferPlacement{
				Offer: wrapAs[*model.Offer](p.Offer, asOf), Regions: wrapAllAs[*model.Region](p.Regions, asOf)})
		}
		c.Gaps = append(c.Gaps, gap)
	}
	return c
}

func pathResult(p *analysis.Paths, asOf *landscape.Date) *model.PathResult {
	out := &model.PathResult{
		From: model.WrapNode(p.From, asOf), To: model.WrapNode(p.To, asOf),
		Length: p.Length, Total: p.Total, Truncated: p.Truncated, Paths: []*model.Path{},
	}
	for _, path := range p.Paths {
		mp := &model.Path{Nodes: nodes(path.Nodes, asOf), Explanation: path.Text, Steps: []*model.PathStep{}}
		for _, s := range path.Steps {
			mp.Steps = append(mp.Steps, &model.PathStep{
				From: model.WrapNode(s.From, asOf), To: model.WrapNode(s.To, asOf),
				Relationships: relationshipsAmong(s.Edges, []*landscape.Node{s.From, s.To}, asOf), Explanation: s.Text,
			})
		}
		out.Paths = append(out.Paths, mp)
	}
	return out
}

func toScope(s *model.AnalysisScope) analysis.Scope {
	if s == nil {
		return analysis.Scope{}.WithDefaults()
	}
	return analysis.Scope{Region: deref(s.Region), IDs: s.Ids, NodeKinds: s.NodeKinds, EdgeKinds: s.RelationshipKinds, AsOf: s.AsOf}.WithDefaults()
}

func centralities(c *analysis.Centralities) *model.CentralityResult {
	asOf := c.Graph.AsOf
	conv := func(xs []analysis.NodeCentrality) []*model.NodeCentrality {
		out := make([]*model.NodeCentrality, len(xs))
		for i, x := range xs {
			out[i] = &model.NodeCentrality{Node: model.WrapNode(x.Node, asOf), Degree: x.Degree, Betweenness: x.Betweenness, Closeness: x.Closeness}
		}
		return out
	}
	return &model.CentralityResult{
		Approximate: c.Approximate, NodeCount: len(c.Graph.Nodes), RelationshipCount: len(c.Graph.Edges),
		Nodes: conv(c.Nodes), Brokers: conv(c.Brokers(0)), Isolates: nodes(c.Isolates(), asOf),
	}
}

func communities(p *analysis.Partition) *model.CommunityResult {
	out := &model.CommunityResult{Modularity: p.Modularity, Communities: []*model.Community{}}
	for _, c := range p.Communities {
		out.Communities = append(out.Communities, &model.Community{Size: len(c.Members), Members: nodes(c.Members, p.Graph.AsOf)})
	}
	return out
}
