package exchange

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

func readNodes(t *testing.T, name, text string) *Input {
	t.Helper()
	in, err := ReadNodesCSV(strings.NewReader(text), name)
	if err != nil {
		t.Fatalf("ReadNodesCSV(%s): %v", name, err)
	}
	return in
}

func readEdges(t *testing.T, name, text string) *Input {
	t.Helper()
	in, err := ReadEdgesCSV(strings.NewReader(text), name)
	if err != nil {
		t.Fatalf("ReadEdgesCSV(%s): %v", name, err)
	}
	return in
}

// TestImportRejectsFaultyLines: three faulty lines (a bad date, an unknown
// kind, an edge to a node that exists nowhere) give exactly three problems
// naming file, line and column, and nothing is written, in a dry run or not.
func TestImportRejectsFaultyLines(t *testing.T) {
	ctx, s := seededStore(t)
	before := exportAll(t, ctx, s, FormatJSON)

	nodes := "id,kind,name,source,validFrom\n" +
		"kita-sonnenschein,Institution,Kita Sonnenschein,Beispieldaten,2018-08-01\n" +
		"familienzentrum-oesede,Einrichtung,Familienzentrum Oesede,Beispieldaten,31.02.2021\n" +
		"schule-am-wald,Schule,Grundschule am Wald,Beispieldaten,\n"
	edges := "from,to,kind,source\n" +
		"kita-sonnenschein,gmh,LOCATED_IN,Beispieldaten\n" +
		"kita-sonnenschein,kita-regenbogen,REFERS_TO,Beispieldaten\n" +
		"familienzentrum-oesede,gmh.oesede,SERVES,Beispieldaten\n" +
		"schule-am-wald,gmh,LOCATED_IN,Beispieldaten\n"
	want := []struct{ field, message string }{
		{"neue-akteure.csv:3:73", `validFrom: "31.02.2021" is not a date: write YYYY-MM-DD or DD.MM.YYYY`},
		{"neue-akteure.csv:4:16", `kind: unknown node kind "Schule"; use one of Actor (Akteur), Institution (Einrichtung), ` +
			`Foundation (Stiftung), Committee (Gremium), Region (Gebiet), Offer (Angebot), LifePhase (Lebensphase), ` +
			`Transition (Übergang), TargetGroup (Zielgruppe), Topic (Thema)`},
		{"neue-beziehungen.csv:3:19", `to: no node with id "kita-regenbogen"`},
	}
	for _, dry := range []bool{true, false} {
		in1 := readNodes(t, "neue-akteure.csv", nodes)
		in2 := readEdges(t, "neue-beziehungen.csv", edges)
		rep, err := Import(ctx, s, []*Input{in1, in2}, Options{DryRun: dry})
		if err == nil {
			t.Fatalf("dry run %v: import of faulty lines succeeded: %+v", dry, rep.Result)
		}
		e, ok := err.(*landscape.Error)
		if !ok || e.Code != landscape.EInvalid {
			t.Fatalf("dry run %v: error %T %v, want a *landscape.Error of code EInvalid", dry, err, err)
		}
		got := landscape.Problems(err)
		if len(got) != len(want) {
			t.Fatalf("dry run %v: %d problems, want %d:\n%s", dry, len(got), len(want), problemList(err))
		}
		for i, w := range want {
			if got[i].Field != w.field || got[i].Message != w.message {
				t.Errorf("dry run %v: problem %d is\n  %s: %s\nwant\n  %s: %s", dry, i, got[i].Field, got[i].Message, w.field, w.message)
			}
		}
		if got[2].Code != landscape.ENotFound {
			t.Errorf("the dangling edge end has code %s, want %s", got[2].Code, landscape.ENotFound)
		}
	}
	if after := exportAll(t, ctx, s, FormatJSON); !bytes.Equal(before, after) {
		t.Errorf("the store changed although the import was rejected:\n%s", firstDiff(before, after))
	}
}

// TestImportGermanExcel: a ';'-separated table with byte order mark, German
// headers and values, DD.MM.YYYY dates and quoted cells with line breaks
// imports; importing it again reports everything unchanged.
func TestImportGermanExcel(t *testing.T) {
	ctx, s := seededStore(t)
	nodes := "\uFEFFKennung;Typ;Bezeichnung;Beschreibung;Abkürzungen;Quelle;Gültig ab;Gültig bis;Kategorie;Beispiel;Reihenfolge;Alter von;Alter bis;AGS;Sitzungsrhythmus;Reichweite\r\n" +
		"kita-sonnenschein;Einrichtung;Kita Sonnenschein;\"Städtische Kita; Schwerpunkt \"\"Sprache & Bewegung\"\"\r\nmit Familienzentrum\";KiTa S.|Sonnenschein;Bildungsbericht 2019;01.08.2018;;Kita;ja;;;;;\r\n" +
		"ak-uebergang;Gremium;Arbeitskreis Übergang Kita–Schule;;AK Übergang;Protokoll AK 03/2020;1.3.2020;31.12.2024;Working Group;nein;;;;;vierteljährlich;intern\r\n" +
		"lp-ausbildung;LIFE_PHASE;Berufsausbildung;;;Bildungsbericht 2019;;;;;2;16;25;;;\r\n" +
		"hagen;Gebiet;Gemeinde Hagen a.T.W.;;;Statistik Niedersachsen;;;Gemeinde;;;;;03459018;;\r\n" +
		"af-fruehe-bildung;Aktionsfeld;Frühe Bildung;;;Bildungsbericht 2019;;;Aktionsfeld;;;;;;;\r\n" +
		";;;;;;;;;;;;;;;\r\n"
	edges := "\uFEFFVon;Nach;Beziehung;Rolle;Quelle;gültig ab\r\n" +
		"kita-sonnenschein;gmh;liegt in;;Bildungsbericht 2019;\r\n" +
		"lk-os.fachdienst-bildung;ak-uebergang;Mitglied von;Vorsitz;Protokoll AK 03/2020;01.03.2020\r\n" +
		"kita-sonnenschein;ak-uebergang;MEMBER_OF;;Protokoll AK 03/2020;01.03.2020\r\n" +
		"hagen;lk-osnabrueck;Teil von;;Statistik Niedersachsen;\r\n" +
		"ak-uebergang;af-fruehe-bildung;arbeitet an;;Protokoll AK 03/2020;\r\n"
	imp := func() *Report {
		t.Helper()
		in1 := readNodes(t, "Akteure.csv", nodes)
		in2 := readEdges(t, "Beziehungen.csv", edges)
		if len(in1.Warnings)+len(in2.Warnings) > 0 {
			t.Errorf("warnings: %v %v", in1.Warnings, in2.Warnings)
		}
		rep, err := Import(ctx, s, []*Input{in1, in2}, Options{})
		if err != nil {
			t.Fatalf("Import:\n%s", problemList(err))
		}
		return rep
	}
	rep := imp()
	if rep.Nodes != 5 || rep.Edges != 5 || len(rep.Result.Nodes) != 5 || len(rep.Result.Edges) != 5 || rep.Result.Unchanged != 0 {
		t.Errorf("first import: %d/%d records, wrote %d nodes, %d edges, %d unchanged; want 5/5, 5, 5, 0",
			rep.Nodes, rep.Edges, len(rep.Result.Nodes), len(rep.Result.Edges), rep.Result.Unchanged)
	}
	got, err := s.Nodes(ctx, []string{"kita-sonnenschein", "ak-uebergang", "lp-ausbildung", "hagen", "af-fruehe-bildung"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	kita := got["kita-sonnenschein"]
	if kita.Kind != landscape.Institution || kita.Category != "KITA" || !kita.Illustrative ||
		kita.Description != "Städtische Kita; Schwerpunkt \"Sprache & Bewegung\"\r\nmit Familienzentrum" && kita.Description != "Städtische Kita; Schwerpunkt \"Sprache & Bewegung\"\nmit Familienzentrum" ||
		strings.Join(kita.Aliases, "|") != "KiTa S.|Sonnenschein" || kita.ValidFrom.String() != "2018-08-01" || kita.ValidTo != nil {
		t.Errorf("kita-sonnenschein stored as %+v", kita)
	}
	ak := got["ak-uebergang"]
	if ak.Kind != landscape.Committee || ak.Category != "WORKING_GROUP" || ak.Scope != landscape.ScopeInternal ||
		ak.MeetingRhythm != "vierteljährlich" || ak.ValidFrom.String() != "2020-03-01" || ak.ValidTo.String() != "2024-12-31" || ak.Illustrative {
		t.Errorf("ak-uebergang stored as %+v", ak)
	}
	if lp := got["lp-ausbildung"]; lp.Kind != landscape.LifePhase || *lp.Order != 2 || *lp.AgeFrom != 16 || *lp.AgeTo != 25 {
		t.Errorf("lp-ausbildung stored as %+v", lp)
	}
	if h := got["hagen"]; h.Kind != landscape.Region || h.Category != "GEMEINDE" || h.OfficialCode != "03459018" {
		t.Errorf("hagen stored as %+v", h)
	}
	if a := got["af-fruehe-bildung"]; a.Kind != landscape.Topic || a.Category != "AKTIONSFELD" {
		t.Errorf("af-fruehe-bildung stored as %+v", a)
	}
	es, err := s.Edges(ctx, []string{"lk-os.fachdienst-bildung>MEMBER_OF>ak-uebergang", "kita-sonnenschein>MEMBER_OF>ak-uebergang",
		"kita-sonnenschein>LOCATED_IN>gmh", "hagen>PART_OF>lk-osnabrueck", "ak-uebergang>WORKS_ON>af-fruehe-bildung"}, nil)
	if err != nil || len(es) != 5 {
		t.Fatalf("edges stored: %v, %v", es, err)
	}
	if e := es["lk-os.fachdienst-bildung>MEMBER_OF>ak-uebergang"]; e.Role != "CHAIR" || e.ValidFrom.String() != "2020-03-01" {
		t.Errorf("membership stored as %+v", e)
	}
	if e := es["kita-sonnenschein>MEMBER_OF>ak-uebergang"]; e.Role != landscape.DefaultMembershipRole {
		t.Errorf("membership without role stored as %+v", e)
	}

	again := imp()
	if !again.Result.Empty() || again.Result.Unchanged != 10 {
		t.Errorf("re-import wrote %d nodes, %d edges with %d unchanged; want nothing written, 10 unchanged",
			len(again.Result.Nodes), len(again.Result.Edges), again.Result.Unchanged)
	}
}

// TestImportWindows1252: a table Excel saved as "CSV (Trennzeichen-getrennt)"
// is decoded as Windows-1252 with a warning.
func TestImportWindows1252(t *testing.T) {
	text := "Kennung;Typ;Bezeichnung;Quelle\r\nbuero-gmh;Einrichtung;Bildungsbüro Georgsmarienhütte – Außenstelle;Bildungsbericht 2019\r\n"
	data, err := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	in, err := ReadNodesCSV(bytes.NewReader(data), "akteure.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Warnings) != 1 || in.Warnings[0].Field != "akteure.csv:2:32" || !strings.Contains(in.Warnings[0].Message, "not UTF-8") {
		t.Errorf("warnings %v, want one at akteure.csv:2:32 saying the file is not UTF-8", in.Warnings)
	}
	if n := in.Doc.Nodes[0]; n.Name != "Bildungsbüro Georgsmarienhütte – Außenstelle" {
		t.Errorf("name decoded as %q", n.Name)
	}
}

// TestReadCSVTables covers headers, encodings and cell values.
func TestReadCSVTables(t *testing.T) {
	for _, tc := range []struct {
		name     string
		edges    bool
		text     string
		fatal    string // the error, when reading fails
		problems string // Input.Problems, one per line
		warnings string
		check    func(t *testing.T, doc *landscape.Document)
	}{
		{name: "gephi nodes", text: "Id,Label,Type,Quelle,timeset\nbb-melle,Bildungsbüro Melle,INSTITUTION,Bericht,\n",
			warnings: `t.csv:1:22: unknown column "timeset" is ignored; known columns: id, kind, name, description, category, aliases, source, illustrative, validFrom, validTo, scope, meetingRhythm, officialCode, order, ageFrom, ageTo, url, contactEmail, contactPhone, createdAt, updatedAt` + "\n",
			check: func(t *testing.T, doc *landscape.Document) {
				if n := doc.Nodes[0]; n.ID != "bb-melle" || n.Name != "Bildungsbüro Melle" || n.Kind != landscape.Institution || n.Source != "Bericht" {
					t.Errorf("node %+v", n)
				}
			}},
		{name: "gephi edges", edges: true, text: "Source,Target,Type,Quelle\nbb-melle,melle,SERVES,Bericht\n",
			check: func(t *testing.T, doc *landscape.Document) {
				if e := doc.Edges[0]; e.From != "bb-melle" || e.To != "melle" || e.Kind != landscape.Serves || e.Source != "Bericht" {
					t.Errorf("edge %+v", e)
				}
			}},
		{name: "gephi edges without provenance", edges: true, text: "Source,Target,Type\nbb-melle,melle,SERVES\n",
			fatal: `t.csv:1: the header has no column for the source of each fact ("Quelle"): "Source" is read as the start of the edge, as in Gephi; add a column "Quelle", or name the start "from" and keep "source"`},
		{name: "kumu without id", text: "Label,Type,Description\nBildungsbüro Melle,Institution,\n",
			fatal: "t.csv:1: the header has no id column; name one \"id\" or \"Kennung\" or \"Knoten-ID\" or \"node id\"\n" +
				"t.csv:1: the header has no source column; name one \"source\" or \"Quelle\" or \"Quellen\" or \"Beleg\""},
		{name: "duplicate column", text: "id,Label,name,kind,source\n",
			fatal: `t.csv:1:10: column "name" is the name column again (column "Label", t.csv:1:4); keep one of them`},
		{name: "empty file", text: "\uFEFF \n", fatal: "t.csv: the file is empty: its first line must name the columns (id, kind, name, source)"},
		{name: "not text", text: "id\x00kind", fatal: "t.csv: the file contains NUL bytes and is not a text file: save it as CSV UTF-8"},
		{name: "kinds in every spelling", text: "id;kind;name;source\n" +
			"a;ACTOR;A;Q\nb;Akteur;B;Q\nc;lifephase;C;Q\nd;Lebensphase;D;Q\ne;Übergang;E;Q\nf;Uebergang;F;Q\ng;TARGET_GROUP;G;Q\n" +
			"h;Zielgruppe;H;Q\ni;Thema;I;Q\nj;Aktionsfeld;J;Q\nk;Gebiet;K;Q\nl;Region;L;Q\nm;Stiftung;M;Q\nn;Gremium;N;Q\no;Angebot;O;Q\np;Einrichtung;P;Q\n",
			check: func(t *testing.T, doc *landscape.Document) {
				want := "Actor Actor LifePhase LifePhase Transition Transition TargetGroup TargetGroup Topic Topic Region Region Foundation Committee Offer Institution"
				var got []string
				for _, n := range doc.Nodes {
					got = append(got, string(n.Kind))
				}
				if strings.Join(got, " ") != want {
					t.Errorf("kinds %v, want %s", got, want)
				}
			}},
		{name: "bad cells", text: "id,kind,name,source,illustrative,order,ageFrom,validTo,createdAt\n" +
			"lp-x,LifePhase,X,Q,vielleicht,zwei,3.5,2020-13-01,gestern\n",
			problems: `t.csv:2:20: illustrative: "vielleicht" is not a yes/no value: write true or false (ja or nein)` + "\n" +
				`t.csv:2:31: order: "zwei" is not a whole number` + "\n" +
				`t.csv:2:36: ageFrom: "3.5" is not a whole number` + "\n" +
				`t.csv:2:40: validTo: "2020-13-01" is not a date: write YYYY-MM-DD or DD.MM.YYYY` + "\n" +
				`t.csv:2:51: createdAt: "gestern" is not a time of the form 2024-01-31T12:00:00Z` + "\n"},
		{name: "csv syntax", text: "id,kind,name,source\n" +
			"a,Actor,Die \"Koordination\",Q\n" +
			"b,Actor,B,Q,extra\n" +
			"c,Actor,\"C\nnicht geschlossen,Q\n",
			problems: `t.csv:2:13: a quote (") inside a cell that does not start with a quote: put the whole cell in quotes and double the quote ("")` + "\n" +
				`t.csv:3:13: this row has 5 cells but the header names only 4 columns: put values that contain ',' in quotes` + "\n" +
				`t.csv:5:21: a quoted cell (starting on line 4) is not closed, or a quote inside it is not doubled ("")` + "\n"},
		{name: "utf-16 with bom", text: string([]byte{0xFF, 0xFE, 'i', 0, 'd', 0, '\t', 0, 'k', 0, 'i', 0, 'n', 0, 'd', 0, '\t', 0, 'n', 0, 'a', 0, 'm', 0, 'e', 0, '\t', 0, 's', 0, 'o', 0, 'u', 0, 'r', 0, 'c', 0, 'e', 0, '\n', 0,
			'x', 0, '\t', 0, 'T', 0, 'h', 0, 'e', 0, 'm', 0, 'a', 0, '\t', 0, 0xDC, 0, '\t', 0, 'Q', 0, '\n', 0}),
			check: func(t *testing.T, doc *landscape.Document) {
				if n := doc.Nodes[0]; n.Name != "Ü" || n.Kind != landscape.Topic {
					t.Errorf("node %+v", n)
				}
			}},
		{name: "formula guard and multi-values", text: "id,kind,name,source,aliases\n" +
			"x,Actor,'=SUMME(A1),Q,a\\|b| c |\\\\d||\n",
			check: func(t *testing.T, doc *landscape.Document) {
				if n := doc.Nodes[0]; n.Name != "=SUMME(A1)" || strings.Join(n.Aliases, "/") != `a|b/c/\d` {
					t.Errorf("node %+v", n)
				}
			}},
		{name: "edge spellings", edges: true, text: "von;nach;Beziehung;Rolle;Quelle;Vereinbarung\n" +
			"a;b;Mitglied von;stellv. Vorsitz;Q;\nc;d;kooperiert mit;;Q;Kooperationsvertrag\ne;f;member of;Geschäftsstelle;Q;\n",
			check: func(t *testing.T, doc *landscape.Document) {
				e0, e1, e2 := doc.Edges[0], doc.Edges[1], doc.Edges[2]
				if e0.Kind != landscape.MemberOf || e0.Role != "DEPUTY_CHAIR" || e1.Kind != landscape.CooperatesWith ||
					e1.Agreement != "Kooperationsvertrag" || e2.Kind != landscape.MemberOf || e2.Role != "OFFICE" {
					t.Errorf("edges %+v %+v %+v", e0, e1, e2)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			read := ReadNodesCSV
			if tc.edges {
				read = ReadEdgesCSV
			}
			in, err := read(strings.NewReader(tc.text), "t.csv")
			if tc.fatal != "" {
				if _, ok := err.(*landscape.Error); !ok || strings.TrimSpace(problemList(err)) != tc.fatal {
					t.Fatalf("error\n%s\nwant\n%s", problemList(err), tc.fatal)
				}
				return
			}
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if got := problemList(in.Err()); got != tc.problems {
				t.Errorf("problems\n%s\nwant\n%s", got, tc.problems)
			}
			var warnings string
			for _, w := range in.Warnings {
				warnings += w.Field + ": " + w.Message + "\n"
			}
			if warnings != tc.warnings {
				t.Errorf("warnings\n%s\nwant\n%s", warnings, tc.warnings)
			}
			if tc.check != nil {
				tc.check(t, in.Doc)
			}
		})
	}
}

func TestParseValues(t *testing.T) {
	for in, want := range map[string]string{
		"2020-03-01": "2020-03-01", "01.03.2020": "2020-03-01", "1.3.2020": "2020-03-01", "31.12.2024": "2024-12-31",
		"29.02.2024": "2024-02-29", "29.02.2023": "", "2020-3-1": "", "03/01/2020": "", "31.02.2021": "", "0000-01-01": "",
	} {
		d, err := parseDate(in)
		if got := dateText(d); got != want || (err == nil) != (want != "") {
			t.Errorf("parseDate(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{"true": "true", "Ja": "true", "x": "true", "1": "true", "": "false",
		"nein": "false", "FALSE": "false", "0": "false", "vielleicht": "error"} {
		b, err := parseBool(in)
		got := boolText(b)
		if err != nil {
			got = "error"
		}
		if got != want {
			t.Errorf("parseBool(%q) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]landscape.EdgeKind{"MEMBER_OF": landscape.MemberOf, "memberOf": landscape.MemberOf,
		"Teil von": landscape.PartOf, "fördert": landscape.Funds, "foerdert": landscape.Funds, "zuständig für": landscape.Serves,
		"FROM_PHASE": landscape.FromPhase, "zu Phase": landscape.ToPhase, "liegt in": landscape.LocatedIn} {
		if got, err := parseEdgeKind(in); got != want || err != nil {
			t.Errorf("parseEdgeKind(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, tc := range [][]string{{"BB GMH", `Büro A|B`, `C:\Bildung`, `x\`}, {"a"}, nil} {
		if got := splitMulti(joinMulti(tc)); strings.Join(got, "\x00") != strings.Join(tc, "\x00") {
			t.Errorf("splitMulti(joinMulti(%q)) = %q", tc, got)
		}
	}
	for _, s := range []string{"=1+1", "'=1+1", "''@x", "-", "+49 541", "normal", "'zitiert'", ""} {
		if got := unguardFormula(guardFormula(s)); got != s {
			t.Errorf("unguard(guard(%q)) = %q", s, got)
		}
	}
}

// TestImportDuplicatesAndProgress: ids defined twice across files are
// reported at the second definition; progress ends at the total.
func TestImportDuplicatesAndProgress(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	a := readNodes(t, "a.csv", "id,kind,name,source\nmelle,Region,Melle,Q\nbb-melle,Institution,Bildungsbüro Melle,Q\n")
	b := readNodes(t, "b.csv", "id,kind,name,source\nmelle,Gebiet,Stadt Melle,Q\n")
	e := readEdges(t, "e.csv", "from,to,kind,source\nbb-melle,melle,SERVES,Q\nbb-melle,melle,SERVES,Q2\n")
	_, err := Import(ctx, s, []*Input{a, b, e}, Options{})
	want := "b.csv:2:1: id: node \"melle\" is defined twice (first at a.csv:2)\n" +
		"e.csv:3: edge \"bb-melle>SERVES>melle\" is defined twice (first at e.csv:2)\n"
	if got := problemList(err); got != want {
		t.Errorf("problems\n%s\nwant\n%s", got, want)
	}

	var calls [][2]int
	rep, err := Import(ctx, s, []*Input{a, e.withoutLast(t)}, Options{Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) < 2 || calls[0] != [2]int{0, 3} || calls[len(calls)-1] != [2]int{3, 3} || len(rep.Result.Nodes) != 2 {
		t.Errorf("progress calls %v, result %+v", calls, rep.Result)
	}
	for i := 1; i < len(calls)-1; i++ {
		if calls[i][0] >= 3 || calls[i][0] < calls[i-1][0] {
			t.Errorf("progress calls %v are not increasing below the total before the write", calls)
		}
	}
}

// withoutLast returns a copy of an edge input without its last edge.
func (in *Input) withoutLast(t *testing.T) *Input {
	t.Helper()
	c := *in
	doc := *in.Doc
	doc.Edges = doc.Edges[:len(doc.Edges)-1]
	c.Doc = &doc
	return &c
}

// TestImportDomainProblems: validation problems of the domain point at the
// cell, or at the row when the table has no such column.
func TestImportDomainProblems(t *testing.T) {
	ctx, s := seededStore(t)
	nodes := readNodes(t, "n.csv", "id;Typ;name;Quelle;gültig ab;gültig bis;Kategorie\n"+
		"lp-beruf;Lebensphase;Beruf;Q;;;\n"+
		"ak-x;Gremium;AK X;Q;01.01.2020;31.12.2019;Stammtisch\n"+
		"gmh;Einrichtung;Georgsmarienhütte;Q;;;\n"+
		"ungültige id;Akteur;Y;Q;;;\n")
	edges := readEdges(t, "e.csv", "from,to,kind,source,role\n"+
		"lk-osnabrueck,ak-x,MEMBER_OF,Q,Chefin\n"+
		"af-sprache,gmh,LOCATED_IN,Q,\n")
	_, err := Import(ctx, s, []*Input{nodes, edges}, Options{DryRun: true})
	want := "n.csv:2: order: is required for a LifePhase (its position in the life course)\n" +
		"n.csv:3:32: gültig bis: 2019-12-31 is before validFrom 2020-01-01\n" +
		"n.csv:3:43: Kategorie: unknown Committee category \"Stammtisch\"; one of CONFERENCE, STEERING_GROUP, ADVISORY_BOARD, WORKING_GROUP, NETWORK, BOARD, TASK_FORCE\n" +
		"n.csv:4:5: Typ: node \"gmh\" is a Region; its kind cannot change to Institution\n" +
		"n.csv:5:1: id: \"ungültige id\" is not a valid id: use 1 to 200 letters, digits and . _ : ~ > - , starting with a letter or digit\n" +
		"e.csv:2:32: role: unknown membership role \"Chefin\"; one of CHAIR, DEPUTY_CHAIR, MEMBER, OFFICE, GUEST, ADVISORY\n" +
		"e.csv:3:1: from: a LOCATED_IN edge cannot start at a node of kind Topic; it starts at one of Actor, Institution, Committee, Foundation, Offer\n"
	if got := problemList(err); got != want {
		t.Errorf("problems\n%s\nwant\n%s", got, want)
	}
}

func TestImportTooManyAliases(t *testing.T) {
	aliases := make([]string, MaxAliases+1)
	for i := range aliases {
		aliases[i] = "K" + itoa(i)
	}
	in := readNodes(t, "n.csv", "id,kind,name,source,aliases\nkita,Institution,Kita,Q,"+strings.Join(aliases, "|")+"\n")
	_, err := Import(context.Background(), emptyStore{}, []*Input{in}, Options{DryRun: true})
	if got, want := problemList(err), "n.csv:2:25: aliases: has 101 aliases; at most 100 are allowed\n"; got != want {
		t.Errorf("problems\n%s\nwant\n%s", got, want)
	}
}

// TestImportDocument: a document built in code imports through NewInput;
// its problems name the field path.
func TestImportDocument(t *testing.T) {
	doc := fixtureDocument()
	doc.Nodes[0].ValidTo = landscape.MustDate("2010-01-01")
	doc.Edges = append(doc.Edges, &landscape.Edge{From: "gmh", To: "nirgendwo", Kind: landscape.PartOf, Source: "Q"})
	_, err := Import(context.Background(), openStore(t), []*Input{NewInput("beispieldaten", doc)}, Options{})
	want := "beispieldaten: nodes[0].validTo: 2010-01-01 is before validFrom 2016-10-01\n" +
		"beispieldaten: edges[26].to: no node with id \"nirgendwo\"\n"
	if got := problemList(err); got != want {
		t.Errorf("problems\n%s\nwant\n%s", got, want)
	}
	rep, err := Import(context.Background(), openStore(t), []*Input{NewInput("beispieldaten", fixtureDocument())}, Options{})
	if err != nil || len(rep.Result.Nodes) != len(fixtureNodes()) {
		t.Errorf("import of the fixture document: %v", err)
	}
}
