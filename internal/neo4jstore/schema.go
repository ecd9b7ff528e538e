package neo4jstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// EntityLabel is the label every node carries besides its kind's.
const EntityLabel = "Entity"

// FulltextIndex is the name of the full-text index on the name, description
// and aliases of every node, with Lucene's German analyzer. Query it with
// db.index.fulltext.queryNodes(FulltextIndex, SearchQuery(text)).
const FulltextIndex = "entity_search"

// NameIndex is the name of the full-text index on the name of every node
// with Lucene's simple analyzer: the words (runs of letters) of the name,
// lowercased. The store asks it for the candidates of a filter on a part of
// the name (see namePrefilter).
const NameIndex = "entity_name_words"

// AuditLabel is the label of the audit log's nodes. They are not Entity
// nodes: no query of the landscape sees them.
const AuditLabel = "AuditEntry"

// nodeIndexProps are the node properties with a range index on :Entity: the
// filter and sort keys (id has the index of its uniqueness constraint).
var nodeIndexProps = []string{"name", "category", "source", "createdAt", "updatedAt", "validFrom", "validTo"}

// schemaStatement is one statement of the schema.
type schemaStatement struct {
	name   string
	cypher string
}

// schema returns the statements Migrate runs, all idempotent. Labels and
// types come from the allow-lists only.
func schema() []schemaStatement {
	var st []schemaStatement
	add := func(name, format string, args ...any) {
		st = append(st, schemaStatement{name, fmt.Sprintf(format, args...)})
	}
	add("entity_id", "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:%s) REQUIRE n.id IS UNIQUE", EntityLabel)
	for _, k := range landscape.EdgeKinds {
		name := strings.ToLower(string(k)) + "_id"
		add(name, "CREATE CONSTRAINT %s IF NOT EXISTS FOR ()-[r:%s]-() REQUIRE r.id IS UNIQUE", name, edgeType(k))
	}
	for _, p := range nodeIndexProps {
		name := "entity_" + snake(p)
		add(name, "CREATE RANGE INDEX %s IF NOT EXISTS FOR (n:%s) ON (n.%s)", name, EntityLabel, p)
	}
	add("audit_entry_id", "CREATE CONSTRAINT audit_entry_id IF NOT EXISTS FOR (a:%s) REQUIRE a.id IS UNIQUE", AuditLabel)
	add(FulltextIndex, "CREATE FULLTEXT INDEX %s IF NOT EXISTS FOR (n:%s) ON EACH [n.name, n.description, n.aliases] "+
		"OPTIONS {indexConfig: {`fulltext.analyzer`: 'german', `fulltext.eventually_consistent`: false}}", FulltextIndex, EntityLabel)
	add(NameIndex, "CREATE FULLTEXT INDEX %s IF NOT EXISTS FOR (n:%s) ON EACH [n.name] "+
		"OPTIONS {indexConfig: {`fulltext.analyzer`: 'simple', `fulltext.eventually_consistent`: false}}", NameIndex, EntityLabel)
	return st
}

// SchemaNames returns the names of the constraints and of the indexes
// (including the full-text index, excluding the constraints' own indexes)
// that Migrate creates.
func SchemaNames() (constraints, indexes []string) {
	for _, st := range schema() {
		if strings.HasPrefix(st.cypher, "CREATE CONSTRAINT") {
			constraints = append(constraints, st.name)
		} else {
			indexes = append(indexes, st.name)
		}
	}
	return constraints, indexes
}

func snake(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Migrate creates the constraints and indexes of the graph model when they
// are missing and waits until they are online. It is idempotent and safe to
// run while the application serves; Open runs it.
func (s *Store) Migrate(ctx context.Context) error {
	if s.closed.Load() {
		return errClosed()
	}
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.cfg.Database, AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(context.WithoutCancel(ctx))
	created := 0
	for _, st := range schema() {
		// Schema commands run in auto-commit transactions of their own.
		res, err := sess.Run(ctx, st.cypher, nil)
		var sum neo4j.ResultSummary
		if err == nil {
			sum, err = res.Consume(ctx)
		}
		if err != nil {
			return s.mapErr(ctx, "migrate the schema ("+st.name+")", st.cypher, err)
		}
		if c := sum.Counters(); c.ConstraintsAdded()+c.IndexesAdded() > 0 {
			created++
			s.log.Info("created Neo4j schema object", "name", st.name)
		}
	}
	if err := s.checkFulltextNames(ctx, sess); err != nil {
		return err
	}
	// Wait for new indexes to populate; existing ones are online already.
	timeout := 300 * time.Second
	if d, ok := ctx.Deadline(); ok {
		timeout = max(time.Until(d), time.Second)
	}
	res, err := sess.Run(ctx, "CALL db.awaitIndexes($seconds)", map[string]any{"seconds": int64(timeout / time.Second)})
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		return s.mapErr(ctx, "migrate the schema (await indexes)", "CALL db.awaitIndexes", err)
	}
	s.log.Info("Neo4j schema ready", "database", s.cfg.Database, "created", created)
	return nil
}

// checkFulltextNames checks that the full-text indexes the store queries by
// name exist. CREATE … IF NOT EXISTS creates nothing, and reports nothing,
// when an index of the same schema exists under another name (made by
// hand, say); the store's queries would then fail.
func (s *Store) checkFulltextNames(ctx context.Context, sess neo4j.SessionWithContext) error {
	const show = "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties RETURN name, labelsOrTypes, properties"
	res, err := sess.Run(ctx, show, nil)
	var recs []*neo4j.Record
	if err == nil {
		recs, err = res.Collect(ctx)
	}
	if err != nil {
		return s.mapErr(ctx, "migrate the schema (check the full-text indexes)", show, err)
	}
	have := map[string]bool{}
	var others []string
	for _, r := range recs {
		name, _ := r.Values[0].(string)
		have[name] = true
		others = append(others, fmt.Sprintf("%s on %v %v", name, r.Values[1], r.Values[2]))
	}
	for _, name := range []string{FulltextIndex, NameIndex} {
		if !have[name] {
			return landscape.Errorf(landscape.EConflict, "schema", "the full-text index %s is missing: Neo4j did not create it because an index "+
				"of the same labels and properties exists under another name (full-text indexes: %s); drop that index (DROP INDEX <name>) "+
				"and start again", name, strings.Join(others, "; "))
		}
	}
	return nil
}

// edgeType returns k as a relationship type for Cypher text; it panics on a
// kind outside the allow-list, which callers have checked.
func edgeType(k landscape.EdgeKind) string {
	if !k.Valid() {
		panic(fmt.Sprintf("neo4jstore: edge kind %q is not on the allow-list", k))
	}
	return string(k)
}

// nodeLabel returns k as a label for Cypher text, like edgeType.
func nodeLabel(k landscape.NodeKind) string {
	if !k.Valid() {
		panic(fmt.Sprintf("neo4jstore: node kind %q is not on the allow-list", k))
	}
	return string(k)
}

// SearchQuery turns user text into a Lucene query for FulltextIndex: every
// word, escaped, as a prefix, all words required. The German analyzer
// normalises umlauts and stems, but its light stemmer leaves "Büros" as it
// is, so the prefix is what lets "Bildungsbüro" find "Bildungsbüros".
func SearchQuery(text string) string {
	var terms []string
	// Lower case: the analyzer folds case anyway, and AND, OR, NOT would be
	// operators.
	for _, w := range strings.Fields(strings.ToLower(text)) {
		var b strings.Builder
		for _, r := range w {
			if strings.ContainsRune(`+-&|!(){}[]^"~*?:\/`, r) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
		terms = append(terms, "+("+b.String()+"* "+b.String()+")")
	}
	return strings.Join(terms, " ")
}
