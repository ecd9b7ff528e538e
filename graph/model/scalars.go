package model

import (
	"fmt"
	"io"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// MarshalDate writes a civil date as "YYYY-MM-DD".
func MarshalDate(d landscape.Date) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { io.WriteString(w, strconv.Quote(d.String())) })
}

// UnmarshalDate reads "YYYY-MM-DD".
func UnmarshalDate(v any) (landscape.Date, error) {
	s, ok := v.(string)
	if !ok {
		return landscape.Date{}, landscape.Errorf(landscape.EInvalid, "", "a Date is a string YYYY-MM-DD, not %T", v)
	}
	d, err := landscape.ParseDate(s)
	if err != nil {
		return d, landscape.Wrap(landscape.EInvalid, err, "%v", err)
	}
	return d, nil
}

// The GraphQL enum values of the node kinds (the Go values are Neo4j labels).
var nodeKindNames = map[landscape.NodeKind]string{
	landscape.Actor:       "ACTOR",
	landscape.Institution: "INSTITUTION",
	landscape.Foundation:  "FOUNDATION",
	landscape.Committee:   "COMMITTEE",
	landscape.Region:      "REGION",
	landscape.Offer:       "OFFER",
	landscape.LifePhase:   "LIFE_PHASE",
	landscape.Transition:  "TRANSITION",
	landscape.TargetGroup: "TARGET_GROUP",
	landscape.Topic:       "TOPIC",
}

var nodeKindsByName = func() map[string]landscape.NodeKind {
	m := map[string]landscape.NodeKind{}
	for k, n := range nodeKindNames {
		m[n] = k
	}
	return m
}()

// NodeKindName returns the GraphQL enum value of a node kind.
func NodeKindName(k landscape.NodeKind) string { return nodeKindNames[k] }

// MarshalNodeKind writes a node kind as its GraphQL enum value.
func MarshalNodeKind(k landscape.NodeKind) graphql.Marshaler {
	return graphql.MarshalString(nodeKindNames[k])
}

// UnmarshalNodeKind reads a node kind from its GraphQL enum value.
func UnmarshalNodeKind(v any) (landscape.NodeKind, error) {
	s, _ := v.(string)
	k, ok := nodeKindsByName[s]
	if !ok {
		return "", fmt.Errorf("%v is not a NodeKind", v)
	}
	return k, nil
}

// MarshalEdgeKind writes an edge kind; GraphQL and Neo4j spell it alike.
func MarshalEdgeKind(k landscape.EdgeKind) graphql.Marshaler { return graphql.MarshalString(string(k)) }

// UnmarshalEdgeKind reads an edge kind.
func UnmarshalEdgeKind(v any) (landscape.EdgeKind, error) {
	s, _ := v.(string)
	if k := landscape.EdgeKind(s); k.Valid() {
		return k, nil
	}
	return "", fmt.Errorf("%v is not a RelationshipKind", v)
}

// MarshalDirection writes a direction.
func MarshalDirection(d landscape.Direction) graphql.Marshaler {
	return graphql.MarshalString(string(d))
}

// UnmarshalDirection reads a direction.
func UnmarshalDirection(v any) (landscape.Direction, error) {
	s, _ := v.(string)
	switch d := landscape.Direction(s); d {
	case landscape.DirOut, landscape.DirIn, landscape.DirBoth:
		return d, nil
	}
	return "", fmt.Errorf("%v is not a Direction", v)
}
