MATCH (s:Entity {id: $id})
CALL (s) {
  MATCH (s)-[:MEMBER_OF|COORDINATES|RESPONSIBLE_FOR|PART_OF|COOPERATES_WITH|FUNDS|PROVIDES|REFERS_TO]-(n1:Entity)
  RETURN collect(DISTINCT n1) AS l1
}
CALL (l1) {
  UNWIND l1 AS x
  MATCH (x)-[:MEMBER_OF|COORDINATES|RESPONSIBLE_FOR|PART_OF|COOPERATES_WITH|FUNDS|PROVIDES|REFERS_TO]-(n2:Entity)
  RETURN collect(DISTINCT n2) AS l2
}
UNWIND [s] + l1 + l2 AS n
WITH collect(DISTINCT n) AS nodes
CALL (nodes) {
  UNWIND nodes AS a
  MATCH (a)-[r:MEMBER_OF|COORDINATES|RESPONSIBLE_FOR|PART_OF|COOPERATES_WITH|FUNDS|PROVIDES|REFERS_TO]->(b)
  WHERE b IN nodes
  RETURN collect(r) AS rels
}
RETURN {
  nodes: [n IN nodes | {id: n.id, kind: [l IN labels(n) WHERE l <> 'Entity'][0], name: n.name}],
  relationships: [r IN rels | {id: r.id, kind: type(r), from: startNode(r).id, to: endNode(r).id}]
} AS result
