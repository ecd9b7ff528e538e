package neo4jstore

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// modelFixture is a small graph with every property type.
func modelFixture(stamp time.Time) *landscape.Changeset {
	cs := create([]*landscape.Node{
		{ID: "bb-gmh", Kind: landscape.Institution, Name: "Bildungsbüro Georgsmarienhütte", Category: "BILDUNGSBUERO",
			Aliases: []string{"BB GMH", "Bildungsbüro GMH"}, Source: "Bildungsbericht 2019", URL: "https://www.georgsmarienhuette.de",
			Validity: landscape.Validity{ValidFrom: landscape.MustDate("2009-01-01")}, CreatedAt: stamp, UpdatedAt: stamp},
		{ID: "koko", Kind: landscape.Committee, Name: "Kooperationskonferenz Bildung", Scope: landscape.ScopeExternal,
			MeetingRhythm: "zweimal jährlich", Source: "Bildungsbericht 2019", CreatedAt: stamp, UpdatedAt: stamp},
		{ID: "lp-kita", Kind: landscape.LifePhase, Name: "Frühe Bildung", Order: intp(1), AgeFrom: intp(0), AgeTo: intp(6),
			Illustrative: true, Source: "Beispieldaten", CreatedAt: stamp, UpdatedAt: stamp},
	}, []*landscape.Edge{
		{Kind: landscape.MemberOf, From: "bb-gmh", To: "koko", Role: "CHAIR", Source: "Bildungsbericht 2019",
			Validity:  landscape.Validity{ValidFrom: landscape.MustDate("2015-03-01"), ValidTo: landscape.MustDate("2030-12-31")},
			CreatedAt: stamp, UpdatedAt: stamp},
	})
	cs.KeepTimestamps = true
	return cs
}

// TestGraphModel checks that the graph is idiomatic Neo4j: labels, types,
// property names and Neo4j property types, absent values absent.
func TestGraphModel(t *testing.T) {
	s := openEmpty(t)
	defer s.Close()
	stamp := time.Date(2024, 3, 1, 12, 30, 45, 123456789, time.UTC)
	mustApply(t, s, modelFixture(stamp))

	if got := strs(s.one(t, "MATCH (n {id: 'bb-gmh'}) RETURN labels(n)", nil)); !slices.Equal(got, []string{"Entity", "Institution"}) {
		t.Errorf("labels of bb-gmh = %v, want Entity and Institution", got)
	}
	if got := strs(s.one(t, "MATCH (n {id: 'bb-gmh'}) RETURN keys(n)", nil)); !slices.Equal(got,
		[]string{"aliases", "category", "createdAt", "id", "name", "source", "updatedAt", "url", "validFrom"}) {
		t.Errorf("properties of bb-gmh = %v", got)
	}
	types := s.cypherRows(t, `MATCH (n {id: 'bb-gmh'}), (p {id: 'lp-kita'})
RETURN valueType(n.validFrom) AS validFrom, valueType(n.createdAt) AS createdAt, valueType(n.aliases) AS aliases,
       valueType(p.order) AS order, valueType(p.ageFrom) AS ageFrom, valueType(p.illustrative) AS illustrative,
       n.createdAt = datetime('2024-03-01T12:30:45.123456789[UTC]') AS sameInstant, n.createdAt.nanosecond AS nanos,
       n.createdAt.timezone AS zone`, nil)[0]
	for k, want := range map[string]any{
		"validFrom": "DATE NOT NULL", "createdAt": "ZONED DATETIME NOT NULL", "aliases": "LIST<STRING NOT NULL> NOT NULL",
		"order": "INTEGER NOT NULL", "ageFrom": "INTEGER NOT NULL", "illustrative": "BOOLEAN NOT NULL",
		"sameInstant": true, "nanos": int64(123456789), "zone": "UTC",
	} {
		if types[k] != want {
			t.Errorf("%s = %v, want %v", k, types[k], want)
		}
	}
	rel := s.cypherRows(t, `MATCH (:Entity:Institution {id: 'bb-gmh'})-[r]->(:Entity:Committee {id: 'koko'})
RETURN type(r) AS type, keys(r) AS keys, valueType(r.validTo) AS validTo, valueType(r.updatedAt) AS updatedAt, r.role AS role, r.id AS id`, nil)
	if len(rel) != 1 {
		t.Fatalf("relationships bb-gmh -> koko: %v", rel)
	}
	for k, want := range map[string]any{"type": "MEMBER_OF", "validTo": "DATE NOT NULL", "updatedAt": "ZONED DATETIME NOT NULL",
		"role": "CHAIR", "id": "bb-gmh>MEMBER_OF>koko"} {
		if rel[0][k] != want {
			t.Errorf("relationship %s = %v, want %v", k, rel[0][k], want)
		}
	}
	if got := strs(rel[0]["keys"]); !slices.Equal(got, []string{"createdAt", "id", "role", "source", "updatedAt", "validFrom", "validTo"}) {
		t.Errorf("relationship properties = %v", got)
	}
	// No empty strings, no empty lists anywhere.
	if n := s.one(t, `MATCH (n:Entity) UNWIND keys(n) AS k WITH n[k] AS v WHERE v = '' OR v = [] RETURN count(*)`, nil); n != int64(0) {
		t.Errorf("%v empty property values", n)
	}

	// Reading back keeps the nanoseconds.
	got, err := s.Nodes(testCtx(t), []string{"bb-gmh"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := got["bb-gmh"]; n == nil || !n.CreatedAt.Equal(stamp) || n.CreatedAt.Location() != time.UTC {
		t.Errorf("createdAt read back = %v, want %v in UTC", n, stamp)
	}

	// A property the model does not know (set by an analyst in Bloom)
	// survives an update; a cleared value disappears.
	s.cypherRows(t, "MATCH (n:Entity {id: 'bb-gmh'}) SET n.bloomColour = 'red'", nil)
	mustApply(t, s, &landscape.Changeset{Nodes: []landscape.NodeChange{{Op: landscape.OpUpdate, ID: "bb-gmh",
		Patch: &landscape.NodePatch{URL: landscape.Some(""), Aliases: landscape.Some([]string(nil)), Description: landscape.Some("Kommunales Bildungsbüro")}}}})
	if got := strs(s.one(t, "MATCH (n {id: 'bb-gmh'}) RETURN keys(n)", nil)); !slices.Equal(got,
		[]string{"bloomColour", "category", "createdAt", "description", "id", "name", "source", "updatedAt", "validFrom"}) {
		t.Errorf("properties of bb-gmh after the update = %v", got)
	}
	if got := s.one(t, "MATCH (n {id: 'bb-gmh'}) RETURN n.createdAt = datetime('2024-03-01T12:30:45.123456789[UTC]')", nil); got != true {
		t.Error("the update changed createdAt")
	}
}

// TestMigrate checks that Migrate is idempotent and creates the schema.
func TestMigrate(t *testing.T) {
	s := openEmpty(t)
	defer s.Close()
	ctx := testCtx(t)
	count := func() int64 {
		return s.one(t, "SHOW CONSTRAINTS YIELD name RETURN count(*)", nil).(int64)*1000 + s.one(t, "SHOW INDEXES YIELD name RETURN count(*)", nil).(int64)
	}
	before := count()
	for range 2 {
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
	}
	if after := count(); after != before {
		t.Errorf("Migrate changed the schema: %d constraints/indexes before, %d after", before, after)
	}

	constraints := map[string]map[string]any{}
	for _, r := range s.cypherRows(t, "SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties", nil) {
		constraints[r["name"].(string)] = r
	}
	wantC, wantI := SchemaNames()
	for _, name := range wantC {
		c := constraints[name]
		if c == nil {
			t.Errorf("constraint %s is missing", name)
			continue
		}
		if !slices.Equal(strs(c["properties"]), []string{"id"}) {
			t.Errorf("constraint %s is on %v", name, c["properties"])
		}
	}
	if c := constraints["entity_id"]; c != nil && (c["type"] != "UNIQUENESS" || !slices.Equal(strs(c["labelsOrTypes"]), []string{"Entity"})) {
		t.Errorf("entity_id = %v", c)
	}
	for _, k := range landscape.EdgeKinds {
		c := constraints[strings.ToLower(string(k))+"_id"]
		if c != nil && (c["type"] != "RELATIONSHIP_UNIQUENESS" || !slices.Equal(strs(c["labelsOrTypes"]), []string{string(k)})) {
			t.Errorf("constraint of %s = %v", k, c)
		}
	}
	indexes := map[string]map[string]any{}
	for _, r := range s.cypherRows(t, "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, state, options", nil) {
		indexes[r["name"].(string)] = r
	}
	for _, name := range wantI {
		ix := indexes[name]
		if ix == nil {
			t.Errorf("index %s is missing", name)
			continue
		}
		if ix["state"] != "ONLINE" {
			t.Errorf("index %s is %v", name, ix["state"])
		}
	}
	for _, p := range nodeIndexProps {
		ix := indexes["entity_"+snake(p)]
		if ix != nil && (ix["type"] != "RANGE" || !slices.Equal(strs(ix["labelsOrTypes"]), []string{"Entity"}) || !slices.Equal(strs(ix["properties"]), []string{p})) {
			t.Errorf("index of %s = %v", p, ix)
		}
	}
	ft := indexes[FulltextIndex]
	if ft == nil {
		t.Fatal("the full-text index is missing")
	}
	cfg, _ := ft["options"].(map[string]any)["indexConfig"].(map[string]any)
	if ft["type"] != "FULLTEXT" || cfg["fulltext.analyzer"] != "german" ||
		!slices.Equal(strs(ft["properties"]), []string{"aliases", "description", "name"}) {
		t.Errorf("full-text index = %v", ft)
	}
	words := indexes[NameIndex]
	cfg, _ = words["options"].(map[string]any)["indexConfig"].(map[string]any)
	if words["type"] != "FULLTEXT" || cfg["fulltext.analyzer"] != "simple" || cfg["fulltext.eventually_consistent"] != false ||
		!slices.Equal(strs(words["properties"]), []string{"name"}) || !slices.Equal(strs(words["labelsOrTypes"]), []string{"Entity"}) {
		t.Errorf("full-text index of the names' words = %v", words)
	}
	// Every relationship type has an index on id (its constraint's).
	for _, k := range landscape.EdgeKinds {
		found := false
		for _, ix := range indexes {
			if ix["entityType"] == "RELATIONSHIP" && slices.Equal(strs(ix["labelsOrTypes"]), []string{string(k)}) &&
				slices.Equal(strs(ix["properties"]), []string{"id"}) {
				found = true
			}
		}
		if !found {
			t.Errorf("no index on %s.id", k)
		}
	}
}

// TestMigrateNameTaken: when an index of the same schema as one the store
// queries by name exists under another name, CREATE … IF NOT EXISTS creates
// nothing; Migrate then refuses with an error naming both, instead of
// leaving the store's searches to fail.
func TestMigrateNameTaken(t *testing.T) {
	s := openEmpty(t)
	defer s.Close()
	ctx := testCtx(t)
	restore := func() {
		s.cypherRows(t, "DROP INDEX hand_made_names IF EXISTS", nil)
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("Migrate after dropping the other index: %v", err)
		}
	}
	defer restore()
	s.cypherRows(t, "DROP INDEX "+NameIndex, nil)
	s.cypherRows(t, "CREATE FULLTEXT INDEX hand_made_names FOR (n:Entity) ON EACH [n.name] OPTIONS {indexConfig: {`fulltext.analyzer`: 'simple'}}", nil)
	err := s.Migrate(ctx)
	if landscape.ErrorCode(err) != landscape.EConflict || !strings.Contains(err.Error(), NameIndex) || !strings.Contains(err.Error(), "hand_made_names") {
		t.Fatalf("Migrate = %v (%s), want CONFLICT naming %s and hand_made_names", err, landscape.ErrorCode(err), NameIndex)
	}
	restore()
	if n := s.one(t, "SHOW FULLTEXT INDEXES YIELD name WHERE name = $name RETURN count(*)", map[string]any{"name": NameIndex}).(int64); n != 1 {
		t.Errorf("after dropping the other index, Migrate made %d indexes named %s, want 1", n, NameIndex)
	}
}

// TestFulltextGerman checks the full-text index with the German analyzer.
func TestFulltextGerman(t *testing.T) {
	s := openEmpty(t)
	defer s.Close()
	mustApply(t, s, create([]*landscape.Node{
		{ID: "bbs", Kind: landscape.Actor, Name: "Die Bildungsbüros im Landkreis", Source: "Bildungsbericht"},
		{ID: "netz", Kind: landscape.Committee, Name: "Netzwerk Übergang Schule–Beruf", Aliases: []string{"Regionale Bildungsnetzwerke"}, Source: "Bildungsbericht"},
		{ID: "vhs", Kind: landscape.Institution, Name: "Volkshochschule Osnabrücker Land", Description: "Sprachkurse und Integrationskurse", Source: "Bildungsbericht"},
	}, nil))
	search := func(text string) []string {
		var ids []string
		for _, r := range s.cypherRows(t, "CALL db.index.fulltext.queryNodes($index, $query) YIELD node RETURN node.id AS id",
			map[string]any{"index": FulltextIndex, "query": SearchQuery(text)}) {
			ids = append(ids, r["id"].(string))
		}
		slices.Sort(ids)
		return ids
	}
	for text, want := range map[string][]string{
		"Bildungsbüro":        {"bbs"},         // prefix of "Bildungsbüros"
		"bildungsburo":        {"bbs"},         // umlaut folded by the analyzer
		"Bildungsnetzwerk":    {"netz"},        // stemmed alias
		"Integrationskurs":    {"vhs"},         // description, stemmed
		"Übergang":            {"netz"},        // umlaut in the name
		"Landkreis Bildungs":  {"bbs"},         // all words required
		"Sprachkurse) OR (*:": {},              // Lucene syntax is escaped
		"osnabrück":           {"vhs"},         // prefix of "Osnabrücker"
		"Bildung":             {"bbs", "netz"}, // prefix
	} {
		if got := search(text); !slices.Equal(got, want) && (len(got) > 0 || len(want) > 0) {
			t.Errorf("search %q (%s) = %v, want %v", text, SearchQuery(text), got, want)
		}
	}
}

// TestOpenUnreachable checks that a server that is not there gives an
// EUnavailable error naming the URI within the context's deadline. It needs
// no server.
func TestOpenUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	uri := "bolt://" + ln.Addr().String()
	ln.Close() // nothing listens there now
	for _, c := range []struct {
		name    string
		ctx     time.Duration
		connect time.Duration
	}{{"ContextDeadline", 2 * time.Second, 0}, {"ConnectTimeout", 0, 1500 * time.Millisecond}} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			limit := c.connect
			if c.ctx > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, c.ctx)
				defer cancel()
				limit = c.ctx
			}
			start := time.Now()
			s, err := Open(ctx, Config{URI: uri, ConnectTimeout: c.connect, Logger: testLogger(t)})
			took := time.Since(start)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if landscape.ErrorCode(err) != landscape.EUnavailable || !strings.Contains(err.Error(), uri) {
				t.Errorf("Open: %v [%s], want UNAVAILABLE naming %s", err, landscape.ErrorCode(err), uri)
			}
			if took > limit+500*time.Millisecond {
				t.Errorf("Open took %v, want at most %v", took, limit)
			}
			t.Logf("Open: %v after %v", err, took.Round(time.Millisecond))
		})
	}
}

// TestOpenWaitsForServer starts a proxy to the test server only after Open
// has begun: Open retries until it answers.
func TestOpenWaitsForServer(t *testing.T) {
	cfg := testConfig(t)
	u, err := url.Parse(cfg.URI)
	if err != nil {
		t.Fatal(err)
	}
	target := u.Host
	if u.Port() == "" {
		target += ":7687"
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	go func() {
		time.Sleep(1500 * time.Millisecond)
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Errorf("proxy: %v", err)
			return
		}
		t.Cleanup(func() { ln.Close() })
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go proxy(c, target)
		}
	}()
	cfg.URI = "bolt://" + addr
	start := time.Now()
	s, err := Open(testCtx(t), cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	if took := time.Since(start); took < time.Second {
		t.Errorf("Open returned after %v, before the server was there", took)
	}
	if err := s.Ping(testCtx(t)); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func proxy(c net.Conn, target string) {
	defer c.Close()
	up, err := net.Dial("tcp", target)
	if err != nil {
		return
	}
	defer up.Close()
	done := make(chan struct{}, 2)
	cp := func(dst, src net.Conn) {
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				if _, werr := dst.Write(buf[:n]); werr != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		done <- struct{}{}
	}
	go cp(up, c)
	go cp(c, up)
	<-done
}

// TestInjection checks that values that look like Cypher stay values.
func TestInjection(t *testing.T) {
	s := openEmpty(t)
	defer s.Close()
	ctx := testCtx(t)
	evil := []string{
		`'}) DETACH DELETE n //`,
		"`}) DETACH DELETE n //",
		`"}) MATCH (m) DETACH DELETE m RETURN 1 //`,
		`\'; MATCH (n) DETACH DELETE n; //`,
		`$ids`,
		"{id: 'x'}",
	}
	var nodes []*landscape.Node
	for i, name := range evil {
		nodes = append(nodes, &landscape.Node{ID: fmt.Sprintf("n%d", i), Kind: landscape.Actor, Name: name,
			Description: name + "\n" + name, Aliases: []string{name}, Source: name})
	}
	mustApply(t, s, create(nodes, []*landscape.Edge{{Kind: landscape.CooperatesWith, From: "n0", To: "n1", Description: evil[0], Source: evil[1]}}))
	// Every node of the database counts: the evil ones and the audit entry
	// of their write.
	total := func() int64 { return s.one(t, "MATCH (n) RETURN count(n)", nil).(int64) }
	if n := total(); n != int64(len(evil))+1 {
		t.Fatalf("%d nodes, want %d and an audit entry", n, len(evil))
	}
	for i, name := range evil {
		for _, f := range []*landscape.Filter{
			{Field: landscape.FieldName, Operator: landscape.Eq, Values: []string{name}},
			{Field: landscape.FieldAlias, Operator: landscape.In, Values: []string{name, "x"}},
			{Field: landscape.FieldSource, Operator: landscape.Contains, Values: []string{name}},
			{Field: landscape.FieldDescription, Operator: landscape.StartsWith, Values: []string{strings.ToUpper(name)}},
			{Field: landscape.FieldKind, Operator: landscape.Contains, Values: []string{"act"}, And: []*landscape.Filter{
				{Field: landscape.FieldName, Operator: landscape.Eq, Values: []string{name}}}},
		} {
			p, err := s.QueryNodes(ctx, landscape.NodeQuery{Filter: f})
			if err != nil {
				t.Fatalf("filter %+v: %v", f, err)
			}
			if got := nodeIDList(p.Nodes); !slices.Equal(got, []string{fmt.Sprintf("n%d", i)}) {
				t.Errorf("filter %s %s %q: %v", f.Field, f.Operator, name, got)
			}
		}
		// A cursor made of evil sort values is a value too.
		cur := landscape.CursorOf(&landscape.Node{ID: name, Name: name}, landscape.DefaultOrder)
		if _, err := s.QueryNodes(ctx, landscape.NodeQuery{Page: landscape.PageArgs{After: cur}}); err != nil {
			t.Errorf("cursor of %q: %v", name, err)
		}
	}
	m, err := s.Nodes(ctx, evil, nil)
	if err != nil || len(m) != 0 {
		t.Errorf("Nodes(evil ids) = %v, %v", m, err)
	}
	if e, err := s.Edges(ctx, evil, nil); err != nil || len(e) != 0 {
		t.Errorf("Edges(evil ids) = %v, %v", e, err)
	}
	if p, err := s.QueryEdges(ctx, landscape.EdgeQuery{From: evil, To: evil, Roles: evil}); err != nil || p.TotalCount != 0 {
		t.Errorf("QueryEdges(evil) = %v, %v", p, err)
	}
	if a, err := s.Adjacent(ctx, landscape.AdjacencyQuery{NodeIDs: evil, Direction: landscape.DirBoth}); err != nil || len(a) != 0 {
		t.Errorf("Adjacent(evil) = %v, %v", a, err)
	}
	// Labels and types outside the allow-lists are refused before Cypher.
	badKind := landscape.NodeKind("Actor) DETACH DELETE n //")
	if _, err := s.QueryNodes(ctx, landscape.NodeQuery{Kinds: []landscape.NodeKind{badKind}}); landscape.ErrorCode(err) != landscape.EInvalid {
		t.Errorf("QueryNodes with kind %q: %v, want INVALID", badKind, err)
	}
	badType := landscape.EdgeKind("MEMBER_OF]-() DETACH DELETE n //")
	if _, err := s.Adjacent(ctx, landscape.AdjacencyQuery{NodeIDs: []string{"n0"}, Direction: landscape.DirOut, Kinds: []landscape.EdgeKind{badType}}); landscape.ErrorCode(err) != landscape.EInvalid {
		t.Errorf("Adjacent with kind %q: %v, want INVALID", badType, err)
	}
	if _, err := s.QueryNodes(ctx, landscape.NodeQuery{Filter: &landscape.Filter{Relation: &landscape.RelationFilter{Kinds: []landscape.EdgeKind{badType},
		Direction: landscape.DirOut, Quantifier: landscape.QuantSome}}}); landscape.ErrorCode(err) != landscape.EInvalid {
		t.Errorf("relation filter with kind %q: %v, want INVALID", badType, err)
	}
	if _, err := s.Apply(ctx, create([]*landscape.Node{{ID: "x", Kind: badKind, Name: "x", Source: "x"}}, nil)); landscape.ErrorCode(err) != landscape.EInvalid {
		t.Errorf("Apply of kind %q: %v, want INVALID", badKind, err)
	}
	if _, err := s.Apply(ctx, create([]*landscape.Node{{ID: "`x`", Kind: landscape.Actor, Name: "x", Source: "x"}}, nil)); landscape.ErrorCode(err) != landscape.EInvalid {
		t.Errorf("Apply of id `x`: %v, want INVALID", err)
	}
	// A forged cursor with a kind outside the allow-list is refused.
	order := []landscape.Order{{Field: landscape.OrderKind}}
	forged := landscape.CursorOf(&landscape.Node{ID: "n0", Kind: badKind}, order)
	if _, err := s.QueryNodes(ctx, landscape.NodeQuery{Order: order, Page: landscape.PageArgs{After: forged}}); landscape.ErrorCode(err) != landscape.EInvalid {
		t.Errorf("forged cursor: %v, want INVALID", err)
	}
	if n := total(); n != int64(len(evil))+1 {
		t.Errorf("%d nodes after the evil queries, want %d and an audit entry", n, len(evil))
	}
	got, _ := s.Nodes(ctx, []string{"n0"}, nil)
	if n := got["n0"]; n == nil || n.Name != evil[0] || n.Description != evil[0]+"\n"+evil[0] {
		t.Errorf("n0 read back = %+v", n)
	}
}

// TestErrors checks the mapping of driver errors to domain codes, and that
// no Cypher reaches the user.
func TestErrors(t *testing.T) {
	s := &Store{cfg: Config{URI: "bolt://db.example:7687", Database: "neo4j"}, log: testLogger(t)}
	ctx := context.Background()
	secret := "MATCH (n:Secret) RETURN n"
	for _, c := range []struct {
		err  error
		code landscape.Code
	}{
		{&neo4j.Neo4jError{Code: codeTimedOut, Msg: "timed out"}, landscape.ETimeout},
		{&neo4j.Neo4jError{Code: codeTimedOutClient, Msg: "timed out"}, landscape.ETimeout},
		{&neo4j.Neo4jError{Code: codeConstraint, Msg: "already exists"}, landscape.EConflict},
		{&neo4j.Neo4jError{Code: "Neo.TransientError.Transaction.DeadlockDetected", Msg: "deadlock"}, landscape.EUnavailable},
		{&neo4j.Neo4jError{Code: "Neo.TransientError.General.DatabaseUnavailable", Msg: "starting"}, landscape.EUnavailable},
		{&neo4j.Neo4jError{Code: "Neo.ClientError.Security.Unauthorized", Msg: "bad credentials"}, landscape.EUnavailable},
		{&neo4j.Neo4jError{Code: codeDatabaseNotFound, Msg: "no such database"}, landscape.EUnavailable},
		{&neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError", Msg: "Invalid input: " + secret}, landscape.EInternal},
		{tooLarge(&neo4j.Neo4jError{Code: codeOutOfMemory, Msg: "The allocation of an extra 2.0 MiB would use more than the limit 128.0 MiB. " +
			"Currently using 126.0 MiB. db.memory.transaction.max threshold reached"}), landscape.EInvalid},
		{&neo4j.TransactionExecutionLimit{Cause: "timeout", Errors: []error{&neo4j.Neo4jError{Code: codeOutOfMemory, Msg: "The allocation of an extra 2.0 MiB " +
			"would use more than the limit 128.0 MiB. Currently using 127.0 MiB. db.memory.transaction.max threshold reached"}}}, landscape.EInvalid},
		{tooLarge(&neo4j.Neo4jError{Code: codeOutOfMemory, Msg: "The allocation of an extra 2.0 MiB would use more than the limit 256.0 MiB. " +
			"Currently using 255.0 MiB. dbms.memory.transaction.total.max threshold reached"}), landscape.EUnavailable},
		{&neo4j.ConnectivityError{Inner: fmt.Errorf("dial tcp: connection refused")}, landscape.EUnavailable},
		{&neo4j.TransactionExecutionLimit{Cause: "timeout", Errors: []error{&neo4j.ConnectivityError{Inner: fmt.Errorf("reset")}}}, landscape.EUnavailable},
		{fmt.Errorf("wrapped: %w", context.DeadlineExceeded), landscape.ETimeout},
		{context.Canceled, landscape.EUnavailable},
	} {
		err := s.mapErr(ctx, "query nodes", secret, c.err)
		if landscape.ErrorCode(err) != c.code {
			t.Errorf("%v: code %s, want %s", c.err, landscape.ErrorCode(err), c.code)
		}
		if strings.Contains(err.Error(), "Secret") {
			t.Errorf("%v: the message %q shows Cypher", c.err, err)
		}
		if c.code == landscape.EUnavailable && c.err != context.Canceled && !strings.Contains(err.Error(), s.cfg.URI) {
			t.Errorf("%v: the message %q does not name the server", c.err, err)
		}
	}
	// A domain error passes unchanged.
	dom := landscape.Errorf(landscape.EConflict, "nodes[0].id", "exists")
	if err := s.mapErr(ctx, "apply", "", dom); err != dom {
		t.Errorf("domain error mapped to %v", err)
	}
}

// TestTimeouts checks the server-side transaction timeout and a context
// deadline against the server.
func TestTimeouts(t *testing.T) {
	cfg := testConfig(t)
	cfg.TxTimeout = 200 * time.Millisecond
	s, err := Open(testCtx(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	_, err = s.read(testCtx(t), "slow read", func(tx runner, q *stmt) (any, error) {
		return q.collect(testCtx(t), tx, "UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 0 RETURN count(x)", nil)
	})
	if landscape.ErrorCode(err) != landscape.ETimeout {
		t.Errorf("read past TxTimeout: %v [%s], want TIMEOUT", err, landscape.ErrorCode(err))
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("the timeout took %v", took)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = s.read(ctx, "slow read", func(tx runner, q *stmt) (any, error) {
		return q.collect(ctx, tx, "UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 0 RETURN count(x)", nil)
	})
	if landscape.ErrorCode(err) != landscape.ETimeout {
		t.Errorf("read past the context deadline: %v [%s], want TIMEOUT", err, landscape.ErrorCode(err))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(testCtx(t)); landscape.ErrorCode(err) != landscape.EUnavailable {
		t.Errorf("Ping after Close: %v, want UNAVAILABLE", err)
	}
	if _, err := s.Nodes(testCtx(t), []string{"x"}, nil); landscape.ErrorCode(err) != landscape.EUnavailable {
		t.Errorf("Nodes after Close: %v, want UNAVAILABLE", err)
	}
}

// TestDecodeErrors checks that a property of the wrong type, as Neo4j
// Browser or Bloom may write one, is named with the node or relationship
// it belongs to.
func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		dec  func() error
		want string
	}{
		{"node", func() error {
			_, err := decodeNode(neo4j.Node{Labels: []string{EntityLabel, "Offer"}, Props: map[string]any{"id": "angebot-1", "name": int64(5)}})
			return err
		}, `node "angebot-1": property name is a int64, want a string`},
		{"node without id", func() error {
			_, err := decodeNode(neo4j.Node{Labels: []string{EntityLabel, "Offer"}, Props: map[string]any{"id": 7.5}})
			return err
		}, `node: property id is a float64, want a string`},
		{"edge", func() error {
			_, err := decodeEdge(neo4j.Relationship{Type: "FUNDS", Props: map[string]any{"id": "f-1", "validFrom": "2024"}}, "a", "b")
			return err
		}, `edge "f-1": property validFrom is a string, want a date`},
		{"valid", func() error {
			_, err := decodeEdge(neo4j.Relationship{Type: "FUNDS", Props: map[string]any{"id": "f-1", "role": "Träger"}}, "a", "b")
			return err
		}, ``},
	} {
		err := tc.dec()
		if got := fmt.Sprint(err); tc.want == "" && err != nil || tc.want != "" && got != tc.want {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestOrderByCodePoints checks that names sort by code points, as
// landscape.CompareNodes does, also when the filter seeks the names in the
// index: the planner then takes the names from the seek's values, which
// Neo4j sorts by UTF-16 code units ("😀" before "Ａ").
func TestOrderByCodePoints(t *testing.T) {
	s := openEmpty(t)
	defer s.Close()
	names := []string{"Ａ fullwidth", "😀 Emoji", "r", "Bildungsbüro"}
	var nodes []*landscape.Node
	for i, n := range names {
		nodes = append(nodes, &landscape.Node{ID: fmt.Sprintf("o%d", i), Kind: landscape.Topic, Name: n, Source: "Test"})
	}
	mustApply(t, s, create(nodes, nil))
	in := &landscape.Filter{Field: landscape.FieldName, Operator: landscape.In, Values: names[:3]}
	for _, tc := range []struct {
		name   string
		filter *landscape.Filter
		desc   bool
		want   string
	}{
		{"all", nil, false, "[Bildungsbüro r Ａ fullwidth 😀 Emoji]"},
		{"name in", in, false, "[r Ａ fullwidth 😀 Emoji]"},
		{"name in, descending", in, true, "[😀 Emoji Ａ fullwidth r]"},
		{"name in or contains", &landscape.Filter{Or: []*landscape.Filter{in,
			{Field: landscape.FieldName, Operator: landscape.Contains, Values: []string{"BILDUNG"}}}}, false, "[Bildungsbüro r Ａ fullwidth 😀 Emoji]"},
	} {
		page, err := s.QueryNodes(testCtx(t), landscape.NodeQuery{Filter: tc.filter, Order: []landscape.Order{{Field: landscape.OrderName, Desc: tc.desc}}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, n := range page.Nodes {
			got = append(got, n.Name)
		}
		if fmt.Sprint(got) != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, got, tc.want)
		}
	}
}
