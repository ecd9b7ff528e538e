package neo4jstore

import (
	"context"
	"fmt"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// The benchmarks run on sizedLandscape(3000): 3000 nodes, about 5800 edges.
//
//	scripts/neo4j-local.sh run 7688 -- go test -run '^$' -bench . ./internal/neo4jstore/

func BenchmarkQueryNodes(b *testing.B) {
	s := openSized(b)
	ctx := context.Background()
	ten, hundred := 10, 100
	asOf := landscape.MustDate("2020-01-01")
	for _, c := range []struct {
		name string
		q    landscape.NodeQuery
	}{
		{"FirstPage", landscape.NodeQuery{Page: landscape.PageArgs{First: &hundred}}},
		{"CategoryAsOf", landscape.NodeQuery{Filter: &landscape.Filter{Field: landscape.FieldCategory, Operator: landscape.Eq, Values: []string{"KITA"}},
			AsOf: asOf, Page: landscape.PageArgs{First: &ten}}},
		{"NameContains", landscape.NodeQuery{Filter: &landscape.Filter{Field: landscape.FieldName, Operator: landscape.Contains, Values: []string{"einrichtung 01"}},
			Page: landscape.PageArgs{First: &ten}}},
		{"KindAfterCursor", landscape.NodeQuery{Kinds: []landscape.NodeKind{landscape.Institution}, Page: landscape.PageArgs{First: &hundred,
			After: landscape.CursorOf(&landscape.Node{ID: "i01000", Name: "Einrichtung 00100"}, landscape.DefaultOrder)}}},
		{"Relation", landscape.NodeQuery{Kinds: []landscape.NodeKind{landscape.Committee}, Filter: &landscape.Filter{Relation: &landscape.RelationFilter{
			Kinds: []landscape.EdgeKind{landscape.MemberOf}, Direction: landscape.DirIn, Quantifier: landscape.QuantSome,
			Node: &landscape.Filter{Field: landscape.FieldCategory, Operator: landscape.Eq, Values: []string{"VHS"}}}}, Page: landscape.PageArgs{First: &ten}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.QueryNodes(ctx, c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAdjacent(b *testing.B) {
	s := openSized(b)
	ctx := context.Background()
	var ids []string
	for i := range 50 {
		ids = append(ids, fmt.Sprintf("i%05d", i*37))
	}
	for _, c := range []struct {
		name string
		q    landscape.AdjacencyQuery
	}{
		{"50NodesBoth", landscape.AdjacencyQuery{NodeIDs: ids, Direction: landscape.DirBoth}},
		{"Committee300In", landscape.AdjacencyQuery{NodeIDs: []string{"c0001"}, Direction: landscape.DirIn, AsOf: landscape.MustDate("2020-01-01")}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Adjacent(ctx, c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNodes(b *testing.B) {
	s := openSized(b)
	ctx := context.Background()
	var ids []string
	for i := range 100 {
		ids = append(ids, fmt.Sprintf("i%05d", i*23))
	}
	for b.Loop() {
		if _, err := s.Nodes(ctx, ids, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkApply(b *testing.B) {
	s := openSized(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		id := fmt.Sprintf("bench-%d", i)
		cs := create([]*landscape.Node{{ID: id, Kind: landscape.Institution, Name: "Kita " + id, Category: "KITA", Source: "Bench"}},
			[]*landscape.Edge{{Kind: landscape.LocatedIn, From: id, To: "r0001", Source: "Bench"}, {Kind: landscape.MemberOf, From: id, To: "c0001", Source: "Bench"}})
		if _, err := s.Apply(ctx, cs); err != nil {
			b.Fatal(err)
		}
	}
}
