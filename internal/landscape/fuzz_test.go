package landscape

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// FuzzValidID: ValidID accepts exactly the strings of the id grammar,
// written here as a regular expression (the oracle).
func FuzzValidID(f *testing.F) {
	grammar := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:~>-]{0,199}$`)
	for _, s := range []string{"", "a", "k03459", "lk-os.bildungskoordination>MEMBER_OF>kg-bildung", "-a", ".a", "a b",
		"a/b", "ä", "aä", "a\n", "Z9._:~>-", strings.Repeat("a", 200), strings.Repeat("a", 201), "a\x00", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ValidID(s), grammar.MatchString(s); got != want {
			t.Fatalf("ValidID(%q) = %v, want %v", s, got, want)
		}
	})
}

// FuzzParseCursor: any client-supplied cursor is either accepted for its
// order or refused with EInvalid naming the argument; never a panic.
func FuzzParseCursor(f *testing.F) {
	n := &Node{ID: "lk-os.bb-bohmte", Name: "Bildungsbüro Bohmte", Validity: Validity{ValidFrom: MustDate("2015-01-01")}}
	order := []Order{{Field: OrderName}, {Field: OrderValidFrom, Desc: true}}
	f.Add(CursorOf(n, order))
	f.Add(CursorOf(n, DefaultOrder))
	f.Add("")
	f.Add("e30")
	f.Add("!!!")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCursor("after", s, order)
		if err != nil {
			if e := AsError(err); e == nil || e.Code != EInvalid || e.Field != "after" {
				t.Fatalf("ParseCursor(%q) = %v, want EInvalid on after", s, err)
			}
			return
		}
		if len(c.Values) != len(order) {
			t.Fatalf("accepted cursor with %d values for %d keys", len(c.Values), len(order))
		}
		CompareCursor(n, c, order)
	})
}

// FuzzResolve: a document of any content resolves or is refused with
// domain errors naming a field; never a panic, and a resolved document
// validates again.
func FuzzResolve(f *testing.F) {
	f.Add([]byte(`{"format":"bildungsgraph/v1","nodes":[{"id":"a","kind":"Region","name":"A","source":"s"},{"id":"b","kind":"Institution","name":"B","source":"s"}],"edges":[{"from":"b","to":"a","kind":"SERVES","source":"s"}]}`))
	f.Add([]byte(`{"format":"bildungsgraph/v1","nodes":[{"id":"x","kind":"LifePhase","name":"Kita","source":"s","validFrom":"2020-01-01","validTo":"2019-01-01"}],"edges":[]}`))
	f.Add([]byte(`{"format":"bildungsgraph/v1","nodes":[],"edges":[{"from":"a","to":"a","kind":"MEMBER_OF","source":""}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseDocument(data)
		if err != nil {
			if AsError(err) == nil {
				t.Fatalf("ParseDocument: not a domain error: %v", err)
			}
			return
		}
		res, err := Resolve(doc.Changeset(), State{}, time.Unix(0, 0))
		if err != nil {
			for _, p := range Problems(err) {
				if p.Field == "" || p.Code == "" {
					t.Fatalf("problem without field or code: %+v", p)
				}
			}
			return
		}
		for _, n := range res.Nodes {
			if err := n.Validate(""); err != nil {
				t.Fatalf("resolved node does not validate: %v", err)
			}
		}
	})
}
