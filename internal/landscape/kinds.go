// Package landscape is the domain of bildungsgraph: the nodes and edges of a
// municipal education landscape (kommunale Bildungslandschaft), their
// validation, the error kinds and the Store contract every storage backend
// implements. It imports no dependency package.
package landscape

import (
	"slices"
	"strings"
)

// NodeKind is the kind of a node. In Neo4j it is the node's label.
type NodeKind string

// The node kinds. Their string values are the Neo4j labels.
const (
	// Actor is a role or organisational unit: Bildungskoordination, a
	// Fachdienst, an Integrationsbeauftragte, a person's function.
	Actor NodeKind = "Actor"
	// Institution is an organisation that educates, counsels or administers:
	// Kita, school, VHS, Jobcenter, Kammer, Bildungsbüro, Verwaltung.
	Institution NodeKind = "Institution"
	// Foundation is a Stiftung.
	Foundation NodeKind = "Foundation"
	// Committee is a Gremium: conference, steering group, advisory board,
	// working group or network.
	Committee NodeKind = "Committee"
	// Region is a territory: Land, Landkreis, Gemeinde, Bildungsbüro area,
	// Sozialraum. Regions nest through PART_OF.
	Region NodeKind = "Region"
	// Offer is an Angebot, Programm or Projekt.
	Offer NodeKind = "Offer"
	// LifePhase is a Lebensphase, ordered by its Order attribute.
	LifePhase NodeKind = "LifePhase"
	// Transition is a Übergang from one life phase to the next
	// (FROM_PHASE and TO_PHASE edges).
	Transition NodeKind = "Transition"
	// TargetGroup is a Zielgruppe.
	TargetGroup NodeKind = "TargetGroup"
	// Topic is an Aktionsfeld or Handlungsfeld.
	Topic NodeKind = "Topic"
)

// NodeKinds lists every node kind: the allow-list of Neo4j labels.
var NodeKinds = []NodeKind{Actor, Institution, Foundation, Committee, Region, Offer, LifePhase, Transition, TargetGroup, Topic}

// Valid reports whether k is a known node kind.
func (k NodeKind) Valid() bool { return slices.Contains(NodeKinds, k) }

// EdgeKind is the kind of an edge. In Neo4j it is the relationship type.
type EdgeKind string

// The edge kinds. Their string values are the Neo4j relationship types.
const (
	MemberOf       EdgeKind = "MEMBER_OF"       // membership in a Gremium, with a role
	Coordinates    EdgeKind = "COORDINATES"     // coordinates a body, offer, topic, region or transition
	ResponsibleFor EdgeKind = "RESPONSIBLE_FOR" // fachliche Verantwortung
	PartOf         EdgeKind = "PART_OF"         // organisational or territorial hierarchy
	CooperatesWith EdgeKind = "COOPERATES_WITH" // cooperation, e.g. by Kooperationsvertrag
	Funds          EdgeKind = "FUNDS"           // funding
	Provides       EdgeKind = "PROVIDES"        // a provider offers an Angebot
	Supports       EdgeKind = "SUPPORTS"        // an offer supports a life phase or transition
	Targets        EdgeKind = "TARGETS"         // an offer addresses a target group
	Serves         EdgeKind = "SERVES"          // area of responsibility or service
	LocatedIn      EdgeKind = "LOCATED_IN"      // seat or location
	RefersTo       EdgeKind = "REFERS_TO"       // Weitervermittlung (referral)
	WorksOn        EdgeKind = "WORKS_ON"        // works on an Aktionsfeld
	FromPhase      EdgeKind = "FROM_PHASE"      // a transition leaves a life phase
	ToPhase        EdgeKind = "TO_PHASE"        // a transition enters a life phase
)

// EdgeKinds lists every edge kind: the allow-list of Neo4j relationship types.
var EdgeKinds = []EdgeKind{MemberOf, Coordinates, ResponsibleFor, PartOf, CooperatesWith, Funds, Provides, Supports, Targets, Serves, LocatedIn, RefersTo, WorksOn, FromPhase, ToPhase}

// Valid reports whether k is a known edge kind.
func (k EdgeKind) Valid() bool { return slices.Contains(EdgeKinds, k) }

var (
	organisations = []NodeKind{Actor, Institution, Foundation, Committee}
	anyKind       = NodeKinds
)

// EdgeRule says which node kinds an edge kind may connect.
type EdgeRule struct {
	From, To []NodeKind
	// Symmetric edges (cooperation) have no meaningful direction.
	Symmetric bool
}

// EdgeRules is the schema of the graph: which kinds each edge kind connects.
var EdgeRules = map[EdgeKind]EdgeRule{
	MemberOf:       {From: []NodeKind{Actor, Institution, Foundation, Committee, Region}, To: []NodeKind{Committee}},
	Coordinates:    {From: []NodeKind{Actor, Institution, Committee}, To: anyKind},
	ResponsibleFor: {From: []NodeKind{Actor, Institution, Committee, Region}, To: anyKind},
	PartOf: {From: []NodeKind{Actor, Institution, Committee, Region, Offer, Topic, Foundation},
		To: []NodeKind{Actor, Institution, Committee, Region, Offer, Topic, Foundation}},
	CooperatesWith: {From: append(slices.Clone(organisations), Region), To: append(slices.Clone(organisations), Region), Symmetric: true},
	Funds:          {From: []NodeKind{Foundation, Institution, Actor, Region}, To: []NodeKind{Offer, Institution, Actor, Committee}},
	Provides:       {From: []NodeKind{Actor, Institution, Foundation, Committee}, To: []NodeKind{Offer}},
	Supports:       {From: []NodeKind{Offer}, To: []NodeKind{LifePhase, Transition}},
	Targets:        {From: []NodeKind{Offer, Committee, Institution}, To: []NodeKind{TargetGroup}},
	Serves:         {From: []NodeKind{Actor, Institution, Offer, Committee, Foundation}, To: []NodeKind{Region}},
	LocatedIn:      {From: []NodeKind{Actor, Institution, Committee, Foundation, Offer}, To: []NodeKind{Region}},
	RefersTo:       {From: []NodeKind{Actor, Institution, Offer}, To: []NodeKind{Actor, Institution, Offer}},
	WorksOn:        {From: []NodeKind{Actor, Institution, Committee, Offer, Foundation}, To: []NodeKind{Topic}},
	FromPhase:      {From: []NodeKind{Transition}, To: []NodeKind{LifePhase}},
	ToPhase:        {From: []NodeKind{Transition}, To: []NodeKind{LifePhase}},
}

// Categories lists, per node kind, the allowed values of Node.Category.
// A kind without an entry takes no category.
var Categories = map[NodeKind][]string{
	Actor: {"COORDINATION", "ADMINISTRATIVE_UNIT", "STAFF_UNIT", "LEADERSHIP", "ROLE", "VOLUNTEER", "OTHER"},
	Institution: {"KITA", "GRUNDSCHULE", "WEITERFUEHRENDE_SCHULE", "BBS", "HOCHSCHULE", "VHS", "JOBCENTER",
		"AGENTUR_FUER_ARBEIT", "KAMMER", "BERATUNGSSTELLE", "MIGRATIONSZENTRUM", "BILDUNGSBUERO", "VERWALTUNG",
		"LANDESEINRICHTUNG", "JUGENDHILFE", "VEREIN", "UNTERNEHMEN", "BIBLIOTHEK", "SONSTIGE"},
	Foundation: {"COMMUNITY", "CORPORATE", "PUBLIC", "PRIVATE", "CHURCH", "OTHER"},
	Committee:  {"CONFERENCE", "STEERING_GROUP", "ADVISORY_BOARD", "WORKING_GROUP", "NETWORK", "BOARD", "TASK_FORCE"},
	Region: {"LAND", "LANDKREIS", "KREISFREIE_STADT", "STADT", "SAMTGEMEINDE", "GEMEINDE", "BILDUNGSBUERO_AREA",
		"SOZIALRAUM", "OTHER"},
	Offer: {"SERVICE", "COURSE", "COUNSELLING", "PROGRAMME", "PROJECT", "OTHER"},
	Topic: {"AKTIONSFELD", "HANDLUNGSFELD", "THEME"},
}

// Committee scopes.
const (
	ScopeInternal = "INTERNAL" // verwaltungsintern
	ScopeExternal = "EXTERNAL" // with actors outside the administration
)

// Membership roles (MEMBER_OF.role).
var MembershipRoles = []string{"CHAIR", "DEPUTY_CHAIR", "MEMBER", "OFFICE", "GUEST", "ADVISORY"}

// DefaultMembershipRole is the role of a MEMBER_OF edge that names none.
const DefaultMembershipRole = "MEMBER"

// ParseNodeKind reads a node kind in its label spelling ("LifePhase") or its
// GraphQL enum spelling ("LIFE_PHASE"), ignoring case.
func ParseNodeKind(s string) (NodeKind, bool) {
	key := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "_", ""))
	for _, k := range NodeKinds {
		if strings.ToLower(string(k)) == key {
			return k, true
		}
	}
	return "", false
}

// ParseEdgeKind reads an edge kind ("MEMBER_OF"), ignoring case.
func ParseEdgeKind(s string) (EdgeKind, bool) {
	k := EdgeKind(strings.ToUpper(strings.TrimSpace(s)))
	return k, k.Valid()
}
