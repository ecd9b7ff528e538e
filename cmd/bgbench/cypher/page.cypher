MATCH (i:Institution)
WHERE i.category IN $categories
  AND EXISTS { MATCH (i)-[:LOCATED_IN]->(:Region)-[:PART_OF*1..2]->(:Region {id: $region}) }
WITH i ORDER BY i.name, i.id
WITH collect(i) AS found
RETURN {
  totalCount: size(found),
  nodes: [x IN found[0..20] | x {.id, .name, .category}],
  locatedIn: [x IN found[0..20] | COLLECT { MATCH (x)-[:LOCATED_IN]->(r:Region) RETURN r {.id, .name} }]
} AS result
