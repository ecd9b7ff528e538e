package main

import (
	"embed"
	"fmt"
	"strings"

	"github.com/bildungsgraph/bildungsgraph/internal/generate"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// The hand-written Cypher of the raw-driver target; ego.cypher and
// path.cypher are also the @cypher fields of the @neo4j/graphql server.
//
//go:embed cypher/*.cypher
var cypherFiles embed.FS

func cypherText(name string) string {
	b, err := cypherFiles.ReadFile("cypher/" + name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// gql is a GraphQL request.
type gql struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables,omitempty"`
}

// query is one query of the benchmark, as each target asks it. A nil
// request or an empty Cypher file means the target has no counterpart.
type query struct {
	Name, Title string
	Ours        *gql
	Neo         *gql
	Cypher      string // file in cypher/
	Params      map[string]any
	// Size extracts a comparable size of the answer (items returned) from
	// the data of each target, to check that they answer the same.
	OursSize, NeoSize, CypherSize func(v any) string
}

// params are the ids the queries ask about, chosen from the generated
// landscape.
type params struct {
	District    string // a Landkreis
	Institution string // its Volkshochschule
	EgoActor    string // its Bildungskoordination
	PathFrom    string // a Kita-Leitung in its seat
	PathTo      string // a Koordination Berufsorientierung in the next district
	Search      string
	AsOf        string
}

// chooseParams picks the ids from the landscape of scale and seed: the
// first district (Landkreis Osnabrück at every scale) and the next one.
func chooseParams(doc *landscape.Document) (params, error) {
	p := params{Search: "sprach", AsOf: "2025-06-30"}
	var districts []string
	for _, n := range doc.Nodes {
		if n.Kind == landscape.Region && (n.Category == "LANDKREIS" || n.Category == "KREISFREIE_STADT") {
			districts = append(districts, n.ID)
		}
	}
	if len(districts) == 0 {
		return p, fmt.Errorf("the landscape has no district")
	}
	p.District = districts[0]
	other := districts[len(districts)-1]
	if len(districts) > 1 {
		other = districts[1]
	}
	p.Institution = p.District + ".vhs"
	p.EgoActor = p.District + ".bb.bb-koordination"
	for _, n := range doc.Nodes {
		if p.PathFrom == "" && n.Kind == landscape.Actor && strings.HasPrefix(n.ID, p.District+".") && strings.HasSuffix(n.ID, ".kita1.leitung") {
			p.PathFrom = n.ID
		}
		if n.Kind == landscape.Actor && strings.HasPrefix(n.ID, other+".") && strings.HasSuffix(n.ID, ".berufsorientierung") {
			p.PathTo = n.ID // the last one
		}
	}
	if p.PathFrom == "" || p.PathTo == "" {
		return p, fmt.Errorf("no actors for the path query in %s and %s", p.District, other)
	}
	return p, nil
}

// coordinationKinds are the relationship kinds of the ego network and the
// paths (analysis.CoordinationEdgeKinds).
var coordinationKinds = []string{"MEMBER_OF", "COORDINATES", "RESPONSIBLE_FOR", "PART_OF", "COOPERATES_WITH", "FUNDS", "PROVIDES", "REFERS_TO"}

func queries(p params) []*query {
	schoolCats := []string{"GRUNDSCHULE", "WEITERFUEHRENDE_SCHULE"}
	return []*query{
		{
			Name: "nested", Title: "node by id, two nested levels (VHS → offers → target groups, regions)",
			Ours: &gql{Query: `query($id: ID!) { node(id: $id) { id name ... on Institution { category
  offers { id name category targetGroups { id name } regions { id name } } } } }`, Variables: map[string]any{"id": p.Institution}},
			Neo: &gql{Query: `query($id: ID!) { institutions(where: {id: {eq: $id}}) { id name category
  offers { id name category targetGroups { id name } regions { id name } } } }`, Variables: map[string]any{"id": p.Institution}},
			Cypher: "nested.cypher", Params: map[string]any{"id": p.Institution},
			OursSize:   func(v any) string { return nestedSize(get(v, "node")) },
			NeoSize:    func(v any) string { return nestedSize(first(get(v, "institutions"))) },
			CypherSize: func(v any) string { return nestedSize(v) },
		},
		{
			Name: "page", Title: "filtered, sorted page: schools located in the municipalities of the district (20 of n, by name)",
			Ours: &gql{Query: `query($d: String!, $cats: [String!]) { institutions(
  filter: {category: {in: $cats}, related: {kinds: [LOCATED_IN], direction: OUT, some: {
    related: {kinds: [PART_OF], direction: OUT, some: {or: [{id: {eq: $d}},
      {related: {kinds: [PART_OF], direction: OUT, some: {id: {eq: $d}}}}]}}}}},
  orderBy: [{field: NAME}], first: 20) {
  totalCount edges { cursor node { id name category locatedIn { id name } } } pageInfo { hasNextPage endCursor } } }`,
				Variables: map[string]any{"d": p.District, "cats": schoolCats}},
			Neo: &gql{Query: `query($d: ID!, $cats: [String!]) { institutionsConnection(
  where: {category: {in: $cats}, locatedIn: {some: {
    partOf: {some: {OR: [{id: {eq: $d}}, {partOf: {some: {id: {eq: $d}}}}]}}}}},
  sort: [{name: ASC}], first: 20) {
  totalCount edges { cursor node { id name category locatedIn { id name } } } pageInfo { hasNextPage endCursor } } }`,
				Variables: map[string]any{"d": p.District, "cats": schoolCats}},
			Cypher: "page.cypher", Params: map[string]any{"region": p.District, "categories": schoolCats},
			OursSize:   func(v any) string { return pageSize(get(v, "institutions"), "edges") },
			NeoSize:    func(v any) string { return pageSize(get(v, "institutionsConnection"), "edges") },
			CypherSize: func(v any) string { return pageSize(v, "nodes") },
		},
		{
			Name: "search", Title: "search: every kind, name contains \"" + p.Search + "\" ignoring case (20 of n, by name)",
			Ours: &gql{Query: `query($q: String!) { nodes(filter: {name: {contains: $q}}, orderBy: [{field: NAME}], first: 20) {
  totalCount nodes { id kind name } } }`, Variables: map[string]any{"q": p.Search}},
			Neo: &gql{Query: `query($q: String!) { entitiesConnection(where: {name: {caseInsensitive: {contains: $q}}}, sort: [{name: ASC}], first: 20) {
  totalCount edges { node { __typename id name } } } }`, Variables: map[string]any{"q": p.Search}},
			Cypher: "search.cypher", Params: map[string]any{"text": p.Search},
			OursSize:   func(v any) string { return pageSize(get(v, "nodes"), "nodes") },
			NeoSize:    func(v any) string { return pageSize(get(v, "entitiesConnection"), "edges") },
			CypherSize: func(v any) string { return pageSize(v, "nodes") },
		},
		{
			Name: "ego", Title: "ego network, depth 2, coordination relationships (Bildungskoordination)",
			Ours: &gql{Query: `query($id: ID!, $kinds: [RelationshipKind!]) { neighbourhood(ids: [$id], depth: 2, relationshipKinds: $kinds) {
  truncated nodes { id kind name } relationships { id kind fromId toId } } }`,
				Variables: map[string]any{"id": p.EgoActor, "kinds": coordinationKinds}},
			Neo: &gql{Query: `query($id: ID!) { egoNetwork(id: $id) { nodes { id kind name } relationships { id kind from to } } }`,
				Variables: map[string]any{"id": p.EgoActor}},
			Cypher: "ego.cypher", Params: map[string]any{"id": p.EgoActor},
			OursSize:   func(v any) string { return egoSize(get(v, "neighbourhood")) },
			NeoSize:    func(v any) string { return egoSize(get(v, "egoNetwork")) },
			CypherSize: func(v any) string { return egoSize(v) },
		},
		{
			Name: "path", Title: "shortest paths between two actors of two districts (up to 10)",
			Ours: &gql{Query: `query($a: ID!, $b: ID!) { shortestPaths(from: $a, to: $b, maxPaths: 10, maxLength: 12) {
  length total truncated paths { nodes { id kind name } steps { explanation } } } }`,
				Variables: map[string]any{"a": p.PathFrom, "b": p.PathTo}},
			Neo: &gql{Query: `query($a: ID!, $b: ID!) { shortestPaths(from: $a, to: $b) { length paths { id kind name } } }`,
				Variables: map[string]any{"a": p.PathFrom, "b": p.PathTo}},
			Cypher: "path.cypher", Params: map[string]any{"from": p.PathFrom, "to": p.PathTo},
			OursSize:   func(v any) string { return pathSize(get(v, "shortestPaths")) },
			NeoSize:    func(v any) string { return pathSize(get(v, "shortestPaths")) },
			CypherSize: func(v any) string { return pathSize(v) },
		},
		{
			Name: "coverage", Title: "coverage matrix of the district's support chain from Frühe Kindheit, with gaps",
			Ours: &gql{Query: `query($d: ID!, $asOf: Date) { coverage(fromPhase: "lp.fruehe-kindheit", region: $d, asOf: $asOf) {
  links { index isTransition node { id name } } regions { id name }
  cells { link region { id } offers { id name } providers { id name } coordinators { id name } expired { id } }
  gaps { reason severity link region { id name } explanation } } }`,
				Variables: map[string]any{"d": p.District, "asOf": p.AsOf}},
			OursSize: func(v any) string {
				c := get(v, "coverage")
				return fmt.Sprintf("%d links × %d regions, %d gaps", length(get(c, "links")), length(get(c, "regions")), length(get(c, "gaps")))
			},
		},
		{
			Name: "brokers", Title: "brokers of the district (betweenness centrality, top 10)",
			Ours: &gql{Query: `query($d: ID!) { centrality(scope: {region: $d}) { approximate nodeCount relationshipCount
  brokers(top: 10) { node { id name } degree betweenness } } }`, Variables: map[string]any{"d": p.District}},
			OursSize: func(v any) string {
				c := get(v, "centrality")
				return fmt.Sprintf("%v nodes, %v relationships, approximate %v, %d brokers", get(c, "nodeCount"), get(c, "relationshipCount"), get(c, "approximate"), length(get(c, "brokers")))
			},
		},
	}
}

// Helpers reading decoded JSON.

func get(v any, key string) any {
	m, _ := v.(map[string]any)
	return m[key]
}

func length(v any) int {
	l, _ := v.([]any)
	return len(l)
}

func first(v any) any {
	if l, _ := v.([]any); len(l) > 0 {
		return l[0]
	}
	return nil
}

func nestedSize(v any) string {
	offers, _ := get(v, "offers").([]any)
	tg, rg := 0, 0
	for _, o := range offers {
		tg += length(get(o, "targetGroups"))
		rg += length(get(o, "regions"))
	}
	return fmt.Sprintf("%d offers, %d target groups, %d regions", len(offers), tg, rg)
}

func pageSize(v any, list string) string {
	return fmt.Sprintf("%d of %v", length(get(v, list)), get(v, "totalCount"))
}

func egoSize(v any) string {
	return fmt.Sprintf("%d nodes, %d relationships", length(get(v, "nodes")), length(get(v, "relationships")))
}

func pathSize(v any) string {
	return fmt.Sprintf("length %v, %d paths", get(v, "length"), length(get(v, "paths")))
}

// generated regenerates the landscape of the benchmark to choose the ids.
func generated(scale float64, seed uint64) (*landscape.Document, error) {
	return generate.Generate(generate.Options{Scale: scale, Seed: seed})
}
