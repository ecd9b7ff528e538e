package landscape

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	maxNameLen = 300
	maxTextLen = 20000
	maxAliases = 100
	// MaxNameWord is the most letters in a row a name may have. Search
	// indexes split names into words, and Lucene cuts a word after 255
	// UTF-16 units; a longer word is no name anyway.
	MaxNameWord = 100
)

// Normalize trims the text fields of n and drops empty aliases, so that
// equal facts compare equal. It is applied before validation.
func (n *Node) Normalize() {
	n.ID = strings.TrimSpace(n.ID)
	n.Name = strings.TrimSpace(n.Name)
	n.Description = strings.TrimSpace(n.Description)
	n.Category = strings.TrimSpace(n.Category)
	n.Source = strings.TrimSpace(n.Source)
	n.Scope = strings.TrimSpace(n.Scope)
	n.MeetingRhythm = strings.TrimSpace(n.MeetingRhythm)
	n.OfficialCode = strings.TrimSpace(n.OfficialCode)
	n.URL = strings.TrimSpace(n.URL)
	n.ContactEmail = strings.TrimSpace(n.ContactEmail)
	n.ContactPhone = strings.TrimSpace(n.ContactPhone)
	var aliases []string
	for _, a := range n.Aliases {
		if a = strings.TrimSpace(a); a != "" {
			aliases = append(aliases, a)
		}
	}
	n.Aliases = aliases
}

// Normalize trims the text fields of e and sets the default membership role.
func (e *Edge) Normalize() {
	e.ID = strings.TrimSpace(e.ID)
	e.From = strings.TrimSpace(e.From)
	e.To = strings.TrimSpace(e.To)
	e.Role = strings.TrimSpace(e.Role)
	e.Agreement = strings.TrimSpace(e.Agreement)
	e.Description = strings.TrimSpace(e.Description)
	e.Source = strings.TrimSpace(e.Source)
	if e.Kind == MemberOf && e.Role == "" {
		e.Role = DefaultMembershipRole
	}
	if e.ID == "" && e.From != "" && e.To != "" {
		e.ID = DefaultEdgeID(e.From, e.Kind, e.To)
	}
}

// Validate checks n on its own (not its relations) and returns every problem,
// each naming its field below prefix (e.g. "nodes[2]").
func (n *Node) Validate(prefix string) error {
	var p problems
	f := func(name string) string { return join(prefix, name) }
	if n.ID == "" {
		p.add(f("id"), "is required")
	} else if err := CheckID(f("id"), n.ID); err != nil {
		p.addErr(err.(*Error))
	}
	if !n.Kind.Valid() {
		p.add(f("kind"), "unknown node kind %q; one of %s", n.Kind, joinKinds(NodeKinds))
	}
	before := len(p)
	checkText(&p, f("name"), n.Name, true, maxNameLen, false)
	if len(p) == before {
		checkWords(&p, f("name"), n.Name, MaxNameWord)
	}
	checkText(&p, f("description"), n.Description, false, maxTextLen, true)
	checkText(&p, f("source"), n.Source, true, maxNameLen*4, false)
	checkValidity(&p, prefix, n.Validity)
	if len(n.Aliases) > maxAliases {
		p.add(f("aliases"), "has %d aliases; at most %d are allowed", len(n.Aliases), maxAliases)
		return p.err()
	}
	for i, a := range n.Aliases {
		checkText(&p, f(fmt.Sprintf("aliases[%d]", i)), a, true, maxNameLen, false)
		if slices.Index(n.Aliases, a) < i {
			p.add(f(fmt.Sprintf("aliases[%d]", i)), "%q is listed twice", a)
		}
	}
	if !n.Kind.Valid() {
		return p.err()
	}
	if n.Category != "" {
		allowed, ok := Categories[n.Kind]
		switch {
		case !ok:
			p.add(f("category"), "a %s takes no category", n.Kind)
		case !slices.Contains(allowed, n.Category):
			p.add(f("category"), "unknown %s category %q; one of %s", n.Kind, n.Category, strings.Join(allowed, ", "))
		}
	}
	only := func(field string, set bool, kinds ...NodeKind) {
		if set && !slices.Contains(kinds, n.Kind) {
			p.add(f(field), "only nodes of kind %s have %s, not %s", joinKinds(kinds), field, n.Kind)
		}
	}
	only("scope", n.Scope != "", Committee)
	only("meetingRhythm", n.MeetingRhythm != "", Committee)
	only("officialCode", n.OfficialCode != "", Region)
	only("order", n.Order != nil, LifePhase)
	only("ageFrom", n.AgeFrom != nil, LifePhase, TargetGroup)
	only("ageTo", n.AgeTo != nil, LifePhase, TargetGroup)
	if n.Scope != "" && n.Scope != ScopeInternal && n.Scope != ScopeExternal {
		p.add(f("scope"), "unknown scope %q; one of %s, %s", n.Scope, ScopeInternal, ScopeExternal)
	}
	checkText(&p, f("meetingRhythm"), n.MeetingRhythm, false, maxNameLen, false)
	checkText(&p, f("officialCode"), n.OfficialCode, false, 40, false)
	if n.Kind == LifePhase && n.Order == nil {
		p.add(f("order"), "is required for a LifePhase (its position in the life course)")
	}
	if n.Order != nil && (*n.Order < 0 || *n.Order > 1000) {
		p.add(f("order"), "must be between 0 and 1000, not %d", *n.Order)
	}
	for _, a := range []struct {
		name string
		v    *int
	}{{"ageFrom", n.AgeFrom}, {"ageTo", n.AgeTo}} {
		if a.v != nil && (*a.v < 0 || *a.v > 130) {
			p.add(f(a.name), "must be an age between 0 and 130, not %d", *a.v)
		}
	}
	if n.AgeFrom != nil && n.AgeTo != nil && *n.AgeFrom > *n.AgeTo {
		p.add(f("ageTo"), "%d is below ageFrom %d", *n.AgeTo, *n.AgeFrom)
	}
	if n.URL != "" {
		checkURL(&p, f("url"), n.URL)
	}
	only("contactEmail", n.ContactEmail != "", ContactKinds...)
	only("contactPhone", n.ContactPhone != "", ContactKinds...)
	if n.ContactEmail != "" {
		checkEmail(&p, f("contactEmail"), n.ContactEmail)
	}
	if n.ContactPhone != "" {
		checkPhone(&p, f("contactPhone"), n.ContactPhone)
	}
	return p.err()
}

// Validate checks e on its own, without its ends' kinds (see CheckEnds).
func (e *Edge) Validate(prefix string) error {
	var p problems
	f := func(name string) string { return join(prefix, name) }
	if e.ID != "" {
		if err := CheckID(f("id"), e.ID); err != nil {
			p.addErr(err.(*Error))
		}
	}
	if !e.Kind.Valid() {
		p.add(f("kind"), "unknown edge kind %q; one of %s", e.Kind, joinKinds(EdgeKinds))
	}
	for _, end := range []struct{ name, id string }{{"from", e.From}, {"to", e.To}} {
		if end.id == "" {
			p.add(f(end.name), "is required")
		} else if err := CheckID(f(end.name), end.id); err != nil {
			p.addErr(err.(*Error))
		}
	}
	if e.From != "" && e.From == e.To {
		p.add(f("to"), "an edge cannot connect %q with itself", e.From)
	}
	checkText(&p, f("description"), e.Description, false, maxTextLen, true)
	checkText(&p, f("source"), e.Source, true, maxNameLen*4, false)
	checkText(&p, f("agreement"), e.Agreement, false, maxNameLen, false)
	checkValidity(&p, prefix, e.Validity)
	if e.Role != "" {
		if e.Kind != MemberOf {
			p.add(f("role"), "only a %s edge has a role, not %s", MemberOf, e.Kind)
		} else if !slices.Contains(MembershipRoles, e.Role) {
			p.add(f("role"), "unknown membership role %q; one of %s", e.Role, strings.Join(MembershipRoles, ", "))
		}
	}
	if e.Agreement != "" && e.Kind != CooperatesWith {
		p.add(f("agreement"), "only a %s edge has an agreement, not %s", CooperatesWith, e.Kind)
	}
	return p.err()
}

// CheckEnds checks that an edge of kind k may connect a from-node of kind
// fromKind with a to-node of kind toKind.
func CheckEnds(prefix string, k EdgeKind, fromKind, toKind NodeKind) error {
	rule, ok := EdgeRules[k]
	if !ok {
		return nil // an unknown kind is reported by Validate
	}
	var p problems
	if !slices.Contains(rule.From, fromKind) {
		p.add(join(prefix, "from"), "a %s edge cannot start at a node of kind %s; it starts at one of %s", k, fromKind, joinKinds(rule.From))
	}
	if !slices.Contains(rule.To, toKind) {
		p.add(join(prefix, "to"), "a %s edge cannot end at a node of kind %s; it ends at one of %s", k, toKind, joinKinds(rule.To))
	}
	return p.err()
}

func checkText(p *problems, field, s string, required bool, max int, multiline bool) {
	switch {
	case s == "" && required:
		p.add(field, "is required")
	case !utf8.ValidString(s):
		p.add(field, "is not valid UTF-8")
	case utf8.RuneCountInString(s) > max:
		p.add(field, "is longer than %d characters", max)
	default:
		for _, r := range s {
			if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t' || r == '\r')) {
				p.add(field, "contains the control character %U", r)
				return
			}
		}
	}
}

// checkWords reports a run of more than max letters in s.
func checkWords(p *problems, field, s string, max int) {
	run := 0
	for _, r := range s {
		if !unicode.IsLetter(r) {
			run = 0
			continue
		}
		if run++; run > max {
			p.add(field, "has a word of more than %d letters", max)
			return
		}
	}
}

func checkValidity(p *problems, prefix string, v Validity) {
	if v.ValidFrom != nil && v.ValidTo != nil && v.ValidTo.Before(*v.ValidFrom) {
		p.add(join(prefix, "validTo"), "%s is before validFrom %s", v.ValidTo, v.ValidFrom)
	}
}

// checkEmail accepts one plain address (local@domain), no display name.
func checkEmail(p *problems, field, s string) {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(s) > 254 || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") ||
		strings.HasSuffix(domain, ".") || strings.ContainsAny(s, " \t<>,;\"()[]\\") || strings.Contains(domain, "@") {
		p.add(field, "%q is not an e-mail address like buero@example.org", s)
	}
}

// checkPhone accepts digits with the usual separators and an optional
// leading +, as written in German directories: "+49 541 501-0", "(0541) 501 0".
func checkPhone(p *problems, field, s string) {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '-', r == '/', r == '(', r == ')':
		default:
			p.add(field, "%q is not a phone number: only digits, spaces and + - / ( ) are allowed", s)
			return
		}
	}
	if digits < 3 || digits > 20 {
		p.add(field, "%q is not a phone number: it has %d digits", s, digits)
	}
}

func checkURL(p *problems, field, s string) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.add(field, "%q is not an http(s) URL", s)
	}
}

func join(prefix, field string) string {
	if prefix == "" {
		return field
	}
	return prefix + "." + field
}

func joinKinds[T ~string](ks []T) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}
