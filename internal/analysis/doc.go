// Package analysis answers the questions of a Bildungsbüro about its
// landscape, written once over the landscape.Store interface so that every
// store gives the same answers:
//
//   - Coverage: is a support chain (Förderkette) complete? For each life
//     phase and transition of a chain and each subregion of a district, the
//     offers, providers and coordinators, and the gaps — ranked, each with a
//     German explanation (Bestandsanalyse by Lebensphase × Zielgruppe ×
//     Sozialraum).
//   - ShortestPaths, SharedCommittees, Coordinators: who can reach whom,
//     through which committee, unit or cooperation; who coordinates a region
//     or topic.
//   - Centrality, ApproximateCentrality, Communities: degree, betweenness
//     and closeness, brokers and isolates, Louvain communities of a chosen
//     subgraph (gonum).
//
// # Reading the store
//
// Every function reads with a bounded number of round trips: QueryNodes
// pages of landscape.MaxPageSize, Nodes and Adjacent calls carrying up to
// landscape.MaxPageSize ids — never one call per node. Load takes a Scope
// (date, region, ids, node and edge kinds) into an in-memory Graph; the metrics
// are computed on that snapshot only, so nodes and edges outside the scope
// do not count (as Kumu's metrics ignore filtered elements).
//
// # Time
//
// Every function takes an as-of date: facts not valid on it are left out.
// Coverage, which must tell an expired offer from a missing one, reads the
// offers with their whole history and classifies them by validity itself.
//
// # Errors
//
// Invalid arguments are landscape errors naming the argument:
// EInvalid or ENotFound about "region", "targetGroup", "phases[1]",
// "fromPhase", "from", "to", "a", "b", "topic", "scope", "pivots",
// "maxPaths", "edgeKinds[0]", "ids[0]" ….
//
// # Conformance
//
// The hand-computed cases live in internal/storetest/analysis.go, so that
// every store runs them; this package runs them on the embedded store.
package analysis
