MATCH (i:Institution {id: $id})
RETURN i {
  .id, .name, .category,
  offers: COLLECT {
    MATCH (i)-[:PROVIDES]->(o:Offer)
    RETURN o {
      .id, .name, .category,
      targetGroups: COLLECT { MATCH (o)-[:TARGETS]->(t:TargetGroup) RETURN t {.id, .name} },
      regions: COLLECT { MATCH (o)-[:SERVES]->(r:Region) RETURN r {.id, .name} }
    }
  }
} AS result
