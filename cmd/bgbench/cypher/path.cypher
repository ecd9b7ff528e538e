MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
OPTIONAL MATCH p = allShortestPaths((a)-[:MEMBER_OF|COORDINATES|RESPONSIBLE_FOR|PART_OF|COOPERATES_WITH|FUNDS|PROVIDES|REFERS_TO*..12]-(b))
WITH p LIMIT 10
WITH collect(p) AS ps
RETURN {
  length: CASE size(ps) WHEN 0 THEN -1 ELSE length(ps[0]) END,
  paths: [p IN ps | [n IN nodes(p) | {id: n.id, kind: [l IN labels(n) WHERE l <> 'Entity'][0], name: n.name}]]
} AS result
