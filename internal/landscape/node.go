package landscape

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"time"
)

// Date is a civil date (no time of day, no zone), as documents state validity:
// "seit Oktober 2019" is 2019-10-01. The zero Date is not a valid date.
type Date struct{ ymd int32 } // year*10000 + month*100 + day

// NewDate returns the date y-m-d, normalised as time.Date does.
func NewDate(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date{int32(t.Year()*10000 + int(t.Month())*100 + t.Day())}
}

// DateOf returns the civil date of t in its own location.
func DateOf(t time.Time) Date { return NewDate(t.Date()) }

// ParseDate parses "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Year() < 1 {
		return Date{}, fmt.Errorf("%q is not a date of the form YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// MustDate parses s and panics on error; for tests and fixed data.
func MustDate(s string) *Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return &d
}

// Year, Month and Day return the parts of d.
func (d Date) Year() int         { return int(d.ymd / 10000) }
func (d Date) Month() time.Month { return time.Month(d.ymd / 100 % 100) }
func (d Date) Day() int          { return int(d.ymd % 100) }

func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year(), d.Month(), d.Day())
}

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC) }

func (d Date) Before(o Date) bool { return d.ymd < o.ymd }
func (d Date) After(o Date) bool  { return d.ymd > o.ymd }
func (d Date) IsZero() bool       { return d.ymd == 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int { return cmp.Compare(d.ymd, o.ymd) }

func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Validity is the period in which a fact holds: both ends inclusive, a nil
// end is open.
type Validity struct {
	ValidFrom *Date `json:"validFrom,omitempty"`
	ValidTo   *Date `json:"validTo,omitempty"`
}

// ValidAt reports whether the fact holds on date d. A nil d means "at any
// time": every fact is returned, whatever its validity.
func (v Validity) ValidAt(d *Date) bool {
	if d == nil {
		return true
	}
	if v.ValidFrom != nil && d.Before(*v.ValidFrom) {
		return false
	}
	if v.ValidTo != nil && d.After(*v.ValidTo) {
		return false
	}
	return true
}

// Node is a node of the landscape. Common fields first, then attributes that
// only some kinds take (validation rejects them on the others).
type Node struct {
	ID          string   `json:"id"`
	Kind        NodeKind `json:"kind"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	// Category is the kind-specific type (Categories lists the values): the
	// institution type, committee type, region level, ...
	Category string `json:"category,omitempty"`
	// Aliases are other names and abbreviations ("DKBM", "BID").
	Aliases []string `json:"aliases,omitempty"`
	// Source names the document or URL that states this fact.
	Source string `json:"source"`
	// Illustrative marks an example that no document states (sample data).
	Illustrative bool `json:"illustrative,omitempty"`
	Validity

	// Committee: INTERNAL or EXTERNAL, and how often it meets.
	Scope         string `json:"scope,omitempty"`
	MeetingRhythm string `json:"meetingRhythm,omitempty"`
	// Region: Amtlicher Gemeindeschlüssel or another official code.
	OfficialCode string `json:"officialCode,omitempty"`
	// LifePhase: position in the life course; age range in years.
	Order   *int `json:"order,omitempty"`
	AgeFrom *int `json:"ageFrom,omitempty"`
	AgeTo   *int `json:"ageTo,omitempty"`
	// Web page of an institution, foundation, offer or committee.
	URL string `json:"url,omitempty"`
	// Contact of an actor, institution, foundation or committee (its office):
	// personal data under the GDPR when it reaches a person, so readers see
	// it only when authenticated (see Principal.SeesContacts).
	ContactEmail string `json:"contactEmail,omitempty"`
	ContactPhone string `json:"contactPhone,omitempty"`

	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// HasContact reports whether n carries contact data.
func (n *Node) HasContact() bool { return n.ContactEmail != "" || n.ContactPhone != "" }

// WithoutContact returns n itself when it has no contact data, otherwise a
// copy without it: what an anonymous reader may see.
func (n *Node) WithoutContact() *Node {
	if !n.HasContact() {
		return n
	}
	c := *n
	c.ContactEmail, c.ContactPhone = "", ""
	return &c
}

// ContactKinds are the node kinds that may carry contact data.
var ContactKinds = []NodeKind{Actor, Institution, Foundation, Committee}

// Edge is a directed, typed relationship between two nodes, with properties.
type Edge struct {
	ID   string   `json:"id"`
	Kind EdgeKind `json:"kind"`
	From string   `json:"from"`
	To   string   `json:"to"`
	// Role in a MEMBER_OF edge: CHAIR, MEMBER, OFFICE (Geschäftsstelle), ...
	Role string `json:"role,omitempty"`
	// Agreement on a COOPERATES_WITH edge (e.g. "Kooperationsvertrag").
	Agreement    string `json:"agreement,omitempty"`
	Description  string `json:"description,omitempty"`
	Source       string `json:"source"`
	Illustrative bool   `json:"illustrative,omitempty"`
	Validity
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Brief returns a copy of n with only its ID, Kind and Name: what a drawing
// of a graph shows of a node (ExpandQuery.Brief).
func (n *Node) Brief() *Node {
	return &Node{ID: n.ID, Kind: n.Kind, Name: n.Name}
}

// Brief returns a copy of e with only its ID, Kind, From and To: what a
// drawing of a graph shows of an edge (ExpandQuery.Brief).
func (e *Edge) Brief() *Edge {
	return &Edge{ID: e.ID, Kind: e.Kind, From: e.From, To: e.To}
}

// BriefEdges returns the brief copies of es, in a new slice.
func BriefEdges(es []*Edge) []*Edge {
	b := make([]*Edge, len(es))
	for i, e := range es {
		b[i] = e.Brief()
	}
	return b
}

// Other returns the end of e that is not id.
func (e *Edge) Other(id string) string {
	if e.From == id {
		return e.To
	}
	return e.From
}

// ValidID reports whether s is a well-formed node or edge id: 1 to 200
// letters, digits and . _ : ~ > - (ASCII), starting with a letter or digit.
// Ids are readable, e.g. "lk-osnabrueck", "bb-georgsmarienhuette",
// "lk-os.bildungskoordination>MEMBER_OF>kg-bildung". (A loop, not a regular
// expression: reads check every id they are given, thousands per query.)
func ValidID(s string) bool {
	if len(s) == 0 || len(s) > 200 || !isAlnum(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case isAlnum(c), c == '.', c == '_', c == ':', c == '~', c == '>', c == '-':
		default:
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// CheckID returns an EInvalid error naming field when s is not a well-formed id.
func CheckID(field, s string) error {
	if !ValidID(s) {
		return Errorf(EInvalid, field, "%q is not a valid id: use 1 to 200 letters, digits and . _ : ~ > - , starting with a letter or digit", s)
	}
	return nil
}

// DefaultEdgeID is the id of an edge created without one: from>KIND>to. An
// edge between the same two nodes of the same kind is thus one fact, and
// re-importing it is idempotent.
func DefaultEdgeID(from string, kind EdgeKind, to string) string {
	return from + ">" + string(kind) + ">" + to
}

// Document is the JSON exchange format of a landscape: the sample data, the
// import format and the export format.
type Document struct {
	// Format names the format and its version.
	Format string  `json:"format"`
	Nodes  []*Node `json:"nodes"`
	Edges  []*Edge `json:"edges"`
}

// DocumentFormat is the value of Document.Format this version writes and reads.
const DocumentFormat = "bildungsgraph/v1"

// ParseDocument reads a JSON document strictly: unknown fields are errors.
func ParseDocument(data []byte) (*Document, error) {
	var doc Document
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, Wrap(EInvalid, err, "not a bildungsgraph JSON document: %v", err)
	}
	if doc.Format != DocumentFormat {
		return nil, Errorf(EInvalid, "format", "unsupported format %q, want %q", doc.Format, DocumentFormat)
	}
	return &doc, nil
}

// Changeset returns the changeset that writes d: an upsert of every node and
// edge, keeping the timestamps d carries.
func (d *Document) Changeset() *Changeset {
	cs := &Changeset{KeepTimestamps: true}
	for _, n := range d.Nodes {
		cs.Nodes = append(cs.Nodes, NodeChange{Op: OpUpsert, Node: n})
	}
	for _, e := range d.Edges {
		cs.Edges = append(cs.Edges, EdgeChange{Op: OpUpsert, Edge: e})
	}
	return cs
}
