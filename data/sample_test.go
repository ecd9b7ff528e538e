package data_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/data"
	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// seedFiles are the source documents of the sample (see the seeds README).
var seedFiles = []string{
	"seeds/000_5191681cd89a354e.txt",
	"seeds/001_f74af7e5966b5083.txt",
	"seeds/002_212dedc243d2a114.txt",
	"seeds/003_7b807251272d6816.txt",
	"seeds/004_e179a5438322e277.txt",
}

// personNames are the names of real persons in the source documents; the
// sample names roles instead. Surnames are matched anywhere, first names as
// whole words.
var (
	surnames   = []string{"Hecht", "Niermann", "Wimberg", "Tapken", "Schwabedissen", "Meyer zu", "Gausmann", "Hinners"}
	firstNames = []string{"Franziska", "Annette", "Johann", "Anne", "Katja"}
	// contactData are the addresses and contact strings of the documents.
	contactData = []string{"Schölerberg", "Natruper", "Stadthaus", "49082", "49076", "LKOS.de", "osnabrueck.de", "0541"}
)

func sample(t *testing.T) *landscape.Document {
	t.Helper()
	doc, err := data.Sample()
	if err != nil {
		t.Fatalf("Sample: %v", err)
	}
	return doc
}

func TestSampleResolves(t *testing.T) {
	doc := sample(t)
	cs := doc.Changeset()
	res, err := landscape.Resolve(cs, landscape.State{}, time.Now())
	if err != nil {
		for _, p := range landscape.Problems(err) {
			t.Errorf("%v", p)
		}
		t.Fatalf("Resolve: %v", err)
	}
	if len(res.Nodes) != len(doc.Nodes) || len(res.Edges) != len(doc.Edges) {
		t.Errorf("Resolve wrote %d nodes and %d edges, want %d and %d", len(res.Nodes), len(res.Edges), len(doc.Nodes), len(doc.Edges))
	}
	if n, e := len(doc.Nodes), len(doc.Edges); n < 120 || n > 250 || e < 250 || e > 600 {
		t.Errorf("sample has %d nodes and %d edges; want 120–250 and 250–600", n, e)
	}
}

func TestSampleIDsUnique(t *testing.T) {
	doc := sample(t)
	seen := map[string]bool{}
	for _, n := range doc.Nodes {
		if seen[n.ID] {
			t.Errorf("node id %q twice", n.ID)
		}
		seen[n.ID] = true
		if !regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`).MatchString(n.ID) {
			t.Errorf("node id %q: want lowercase ASCII with - and .", n.ID)
		}
	}
	edges := map[string]bool{}
	for _, e := range doc.Edges {
		id := e.ID
		if id == "" {
			id = landscape.DefaultEdgeID(e.From, e.Kind, e.To)
		}
		if edges[id] {
			t.Errorf("edge id %q twice", id)
		}
		edges[id] = true
	}
}

func namesSeed(s string) bool {
	for _, f := range seedFiles {
		if strings.Contains(s, f) {
			return true
		}
	}
	return false
}

func TestSampleSources(t *testing.T) {
	doc := sample(t)
	illustrative := map[string]bool{}
	for _, n := range doc.Nodes {
		switch {
		case n.Illustrative && n.Source != data.IllustrativeSource:
			t.Errorf("node %s is illustrative but its source is %q", n.ID, n.Source)
		case !n.Illustrative && n.Source == data.IllustrativeSource:
			t.Errorf("node %s has the illustrative source but is not marked illustrative", n.ID)
		case !n.Illustrative && !namesSeed(n.Source):
			t.Errorf("node %s: source %q names no seed document", n.ID, n.Source)
		}
		illustrative[n.ID] = n.Illustrative
	}
	for _, e := range doc.Edges {
		name := landscape.DefaultEdgeID(e.From, e.Kind, e.To)
		switch {
		case e.Illustrative && e.Source != data.IllustrativeSource:
			t.Errorf("edge %s is illustrative but its source is %q", name, e.Source)
		case !e.Illustrative && e.Source == data.IllustrativeSource:
			t.Errorf("edge %s has the illustrative source but is not marked illustrative", name)
		case !e.Illustrative && !namesSeed(e.Source):
			t.Errorf("edge %s: source %q names no seed document", name, e.Source)
		}
		if (illustrative[e.From] || illustrative[e.To]) && !e.Illustrative {
			t.Errorf("edge %s touches an illustrative node but is not illustrative", name)
		}
	}
}

func TestSampleStructure(t *testing.T) {
	doc := sample(t)
	kinds := map[string]landscape.NodeKind{}
	for _, n := range doc.Nodes {
		kinds[n.ID] = n.Kind
	}
	degree := map[string]int{}
	from, to := map[string]int{}, map[string]int{}
	for _, e := range doc.Edges {
		degree[e.From]++
		degree[e.To]++
		switch e.Kind {
		case landscape.FromPhase:
			from[e.From]++
		case landscape.ToPhase:
			to[e.From]++
		}
	}
	for _, n := range doc.Nodes {
		if degree[n.ID] == 0 {
			t.Errorf("node %s has no edge", n.ID)
		}
		if n.Kind == landscape.Transition && (from[n.ID] != 1 || to[n.ID] != 1) {
			t.Errorf("transition %s has %d FROM_PHASE and %d TO_PHASE edges, want 1 each", n.ID, from[n.ID], to[n.ID])
		}
		if n.Kind == landscape.Offer {
			var supports bool
			for _, e := range doc.Edges {
				if e.From == n.ID && e.Kind == landscape.Supports {
					supports = true
				}
			}
			if n.Illustrative && !supports {
				t.Errorf("illustrative offer %s supports no phase or transition", n.ID)
			}
		}
	}
}

func TestSampleCurrentBildungsbueros(t *testing.T) {
	doc := sample(t)
	today := landscape.DateOf(time.Now())
	nodes := map[string]*landscape.Node{}
	for _, n := range doc.Nodes {
		nodes[n.ID] = n
	}
	for _, id := range []string{"lk-os.bb-georgsmarienhuette", "lk-os.bb-bersenbrueck", "lk-os.bb-bohmte"} {
		n := nodes[id]
		if n == nil {
			t.Errorf("Bildungsbüro %s missing", id)
			continue
		}
		if n.Kind != landscape.Institution || n.Category != "BILDUNGSBUERO" {
			t.Errorf("%s is a %s/%s, want Institution/BILDUNGSBUERO", id, n.Kind, n.Category)
		}
		if !n.ValidAt(&today) {
			t.Errorf("%s is not valid today (%v–%v)", id, n.ValidFrom, n.ValidTo)
		}
		var responsible bool
		for _, e := range doc.Edges {
			if e.Kind == landscape.ResponsibleFor && e.From == "lk-os.bildungskoordination" && e.To == id && e.ValidAt(&today) {
				responsible = true
			}
		}
		if !responsible {
			t.Errorf("no RESPONSIBLE_FOR edge valid today from lk-os.bildungskoordination to %s", id)
		}
	}
	// The earlier plan of five Bildungsbüros is in the sample, but not valid today.
	if n := nodes["lk-os.lvo-bildungsbueros"]; n == nil || n.ValidAt(&today) {
		t.Errorf("the plan of five Bildungsbüros (lk-os.lvo-bildungsbueros) should exist and be expired")
	}
}

// strings collects every string (keys and values) of a JSON value.
func collectStrings(v any, out *[]string) {
	switch x := v.(type) {
	case string:
		*out = append(*out, x)
	case []any:
		for _, y := range x {
			collectStrings(y, out)
		}
	case map[string]any:
		for k, y := range x {
			*out = append(*out, k)
			collectStrings(y, out)
		}
	}
}

var (
	emailRE   = regexp.MustCompile(`[^\s@]+@[^\s@]+\.[A-Za-z]{2,}|@`)
	digitRun  = regexp.MustCompile(`[+(]?\d[\d ()/.\-]{4,}\d`)
	isoDateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	phoneHint = regexp.MustCompile(`(?i)\b(tel|telefon|fax|mobil)\b`)
)

func looksLikePhone(s string) bool {
	if phoneHint.MatchString(s) {
		return true
	}
	for _, m := range digitRun.FindAllString(s, -1) {
		m = strings.TrimSpace(m)
		if isoDateRE.MatchString(m) || regexp.MustCompile(`^\d{2}\.\d{2}\.\d{4}$`).MatchString(m) {
			continue
		}
		digits := 0
		for _, r := range m {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if digits >= 6 {
			return true
		}
	}
	return false
}

func TestSampleNoPersonalData(t *testing.T) {
	var v any
	if err := json.Unmarshal(data.SampleLandscape, &v); err != nil {
		t.Fatal(err)
	}
	var all []string
	collectStrings(v, &all)
	lowerFile := strings.ToLower(string(data.SampleLandscape))
	for _, name := range append(append([]string{}, surnames...), contactData...) {
		if strings.Contains(lowerFile, strings.ToLower(name)) {
			t.Errorf("the sample contains %q from the source documents' personal or contact data", name)
		}
	}
	for _, name := range firstNames {
		if regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(name) + `\b`).MatchString(string(data.SampleLandscape)) {
			t.Errorf("the sample contains the first name %q", name)
		}
	}
	for _, s := range all {
		for _, f := range seedFiles { // file names carry hex digits
			s = strings.ReplaceAll(s, f, "seeds/…")
		}
		if emailRE.MatchString(s) {
			t.Errorf("looks like an e-mail address: %q", s)
		}
		if looksLikePhone(s) {
			t.Errorf("looks like a phone number: %q", s)
		}
	}
}

func TestLooksLikePhone(t *testing.T) {
	for _, s := range []string{"(0541) - 501 4801", "Tel.: 0541 501-3071", "0541 501-3071", "(0541) -323 2366", "+49 541 5010"} {
		if !looksLikePhone(s) {
			t.Errorf("looksLikePhone(%q) = false", s)
		}
	}
	for _, s := range []string{"2015-01-01", "ab 01.09.2009", "Ordnung 110–130", "Klassen 5 bis 10", "12- bis 27-Jährige"} {
		if looksLikePhone(s) {
			t.Errorf("looksLikePhone(%q) = true", s)
		}
	}
	for _, s := range []string{"lernen-vor-ort@example.de", "a.b@c.de"} {
		if !emailRE.MatchString(s) {
			t.Errorf("emailRE misses %q", s)
		}
	}
}
