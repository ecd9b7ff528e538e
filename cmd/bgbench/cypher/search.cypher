MATCH (n:Entity)
WHERE toLower(n.name) CONTAINS toLower($text)
WITH n ORDER BY n.name, n.id
WITH collect(n) AS found
RETURN {
  totalCount: size(found),
  nodes: [x IN found[0..20] | {id: x.id, kind: [l IN labels(x) WHERE l <> 'Entity'][0], name: x.name}]
} AS result
