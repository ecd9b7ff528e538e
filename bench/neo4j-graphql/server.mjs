// The comparison server of the benchmark (see BENCHMARKS.md): @neo4j/graphql 7
// with Apollo Server over the database bildungsgraph's Neo4j store writes.
//
//   node server.mjs --uri bolt://127.0.0.1:7688 --port 0 --cypher ../../cmd/bgbench/cypher
//
// It prints "LISTEN <url>" when it serves. --cypher names the directory of
// the hand-written Cypher of the ego network and the shortest paths (the
// driver's own files), which become @cypher fields here.
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const here = dirname(fileURLToPath(import.meta.url));
const uri = args.uri ?? process.env.NEO4J_URI ?? "bolt://127.0.0.1:7688";
const port = Number(args.port ?? 0);
const cypherDir = args.cypher ?? join(here, "../../cmd/bgbench/cypher");

const cypher = (name) => readFileSync(join(cypherDir, name), "utf8").replaceAll('"""', '\\"""');
const typeDefs =
  readFileSync(join(here, "typeDefs.graphql"), "utf8") +
  `
type Query {
  egoNetwork(id: ID!): EgoNetwork @cypher(statement: """${cypher("ego.cypher")}""", columnName: "result")
  shortestPaths(from: ID!, to: ID!): PathNetwork @cypher(statement: """${cypher("path.cypher")}""", columnName: "result")
}
`;

const driver = neo4j.driver(uri, undefined, { maxConnectionPoolSize: 50, disableLosslessIntegers: true });
const neoSchema = new Neo4jGraphQL({
  typeDefs,
  driver,
  features: { filters: { String: { CASE_INSENSITIVE: true } } },
});
const schema = await neoSchema.getSchema();
const server = new ApolloServer({ schema, introspection: false });
const { url } = await startStandaloneServer(server, { listen: { host: "127.0.0.1", port } });
console.log(`LISTEN ${url}`);

const stop = async () => {
  await server.stop();
  await driver.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
