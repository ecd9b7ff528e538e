package exchange

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// fold returns the comparison key of a name: lower case, umlauts written
// ae/oe/ue/ss, everything but letters and digits removed. "Gültig ab",
// "gueltig_ab" and "GÜLTIG-AB" all fold to "gueltigab"; "LIFE_PHASE" and
// "LifePhase" to "lifephase".
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'ä':
			b.WriteString("ae")
		case 'ö':
			b.WriteString("oe")
		case 'ü':
			b.WriteString("ue")
		case 'ß':
			b.WriteString("ss")
		default:
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// nodeKindNames maps folded names of node kinds to kinds: the Go spelling
// (LifePhase), the GraphQL spelling (LIFE_PHASE) and German labels.
var nodeKindNames = map[string]landscape.NodeKind{}

// nodeKindGerman is the German label of each node kind, for messages.
var nodeKindGerman = map[landscape.NodeKind]string{
	landscape.Actor: "Akteur", landscape.Institution: "Einrichtung", landscape.Foundation: "Stiftung",
	landscape.Committee: "Gremium", landscape.Region: "Gebiet", landscape.Offer: "Angebot",
	landscape.LifePhase: "Lebensphase", landscape.Transition: "Übergang", landscape.TargetGroup: "Zielgruppe",
	landscape.Topic: "Thema",
}

// edgeKindNames maps folded names of edge kinds to kinds: MEMBER_OF,
// MemberOf, member of, and German phrases.
var edgeKindNames = map[string]landscape.EdgeKind{}

// edgeKindGerman is the German label of each edge kind, for messages.
var edgeKindGerman = map[landscape.EdgeKind]string{
	landscape.MemberOf: "Mitglied von", landscape.Coordinates: "koordiniert", landscape.ResponsibleFor: "verantwortlich für",
	landscape.PartOf: "Teil von", landscape.CooperatesWith: "kooperiert mit", landscape.Funds: "fördert",
	landscape.Provides: "bietet an", landscape.Supports: "unterstützt", landscape.Targets: "richtet sich an",
	landscape.Serves: "zuständig für", landscape.LocatedIn: "liegt in", landscape.RefersTo: "vermittelt an",
	landscape.WorksOn: "arbeitet an", landscape.FromPhase: "von Phase", landscape.ToPhase: "zu Phase",
}

func init() {
	for _, k := range landscape.NodeKinds {
		nodeKindNames[fold(string(k))] = k
		nodeKindNames[fold(nodeKindGerman[k])] = k
	}
	for name, k := range map[string]landscape.NodeKind{
		"Akteurin": landscape.Actor, "Rolle": landscape.Actor, "Organisationseinheit": landscape.Actor,
		"Institution": landscape.Institution, "Organisation": landscape.Institution, "Einrichtungen": landscape.Institution,
		"Gremien": landscape.Committee, "Netzwerk": landscape.Committee,
		"Region": landscape.Region, "Gebietskörperschaft": landscape.Region, "Raum": landscape.Region,
		"Programm": landscape.Offer, "Projekt": landscape.Offer, "Maßnahme": landscape.Offer,
		"Phase": landscape.LifePhase, "Bildungsphase": landscape.LifePhase,
		"Übergänge":   landscape.Transition,
		"Aktionsfeld": landscape.Topic, "Handlungsfeld": landscape.Topic, "Themenfeld": landscape.Topic,
	} {
		nodeKindNames[fold(name)] = k
	}
	for _, k := range landscape.EdgeKinds {
		edgeKindNames[fold(string(k))] = k
		edgeKindNames[fold(edgeKindGerman[k])] = k
	}
	for name, k := range map[string]landscape.EdgeKind{
		"ist Mitglied von": landscape.MemberOf, "Mitglied": landscape.MemberOf, "Mitgliedschaft": landscape.MemberOf,
		"Koordination": landscape.Coordinates, "verantwortet": landscape.ResponsibleFor,
		"Verantwortung": landscape.ResponsibleFor, "gehört zu": landscape.PartOf, "ist Teil von": landscape.PartOf,
		"Kooperation": landscape.CooperatesWith, "kooperiert": landscape.CooperatesWith,
		"finanziert": landscape.Funds, "Förderung": landscape.Funds, "bietet": landscape.Provides,
		"Angebot von": landscape.Provides, "unterstützt Phase": landscape.Supports, "Zielgruppe": landscape.Targets,
		"richtet sich an Zielgruppe": landscape.Targets, "versorgt": landscape.Serves, "Zuständigkeit": landscape.Serves,
		"Sitz in": landscape.LocatedIn, "ansässig in": landscape.LocatedIn, "Standort": landscape.LocatedIn,
		"verweist an": landscape.RefersTo, "Weitervermittlung": landscape.RefersTo, "bearbeitet": landscape.WorksOn,
		"Aktionsfeld": landscape.WorksOn, "aus Phase": landscape.FromPhase, "in Phase": landscape.ToPhase,
		"nach Phase": landscape.ToPhase,
	} {
		edgeKindNames[fold(name)] = k
	}
}

func nodeKindList() string {
	var parts []string
	for _, k := range landscape.NodeKinds {
		parts = append(parts, fmt.Sprintf("%s (%s)", k, nodeKindGerman[k]))
	}
	return strings.Join(parts, ", ")
}

func edgeKindList() string {
	var parts []string
	for _, k := range landscape.EdgeKinds {
		parts = append(parts, fmt.Sprintf("%s (%s)", k, edgeKindGerman[k]))
	}
	return strings.Join(parts, ", ")
}

// parseNodeKind reads a node kind in any accepted spelling.
func parseNodeKind(s string) (landscape.NodeKind, error) {
	if s == "" {
		return "", fmt.Errorf("is required: one of %s", nodeKindList())
	}
	if k, ok := nodeKindNames[fold(s)]; ok {
		return k, nil
	}
	return "", fmt.Errorf("unknown node kind %q; use one of %s", s, nodeKindList())
}

// parseEdgeKind reads an edge kind in any accepted spelling.
func parseEdgeKind(s string) (landscape.EdgeKind, error) {
	if s == "" {
		return "", fmt.Errorf("is required: one of %s", edgeKindList())
	}
	if k, ok := edgeKindNames[fold(s)]; ok {
		return k, nil
	}
	return "", fmt.Errorf("unknown edge kind %q; use one of %s", s, edgeKindList())
}

// enumValue returns the value of allowed that s names, folding case,
// umlauts and separators ("weiterführende Schule" is WEITERFUEHRENDE_SCHULE),
// or German synonyms; s itself when none matches (validation reports it).
func enumValue(s string, allowed []string, synonyms map[string]string) string {
	if s == "" || slices.Contains(allowed, s) {
		return s
	}
	f := fold(s)
	for _, a := range allowed {
		if fold(a) == f {
			return a
		}
	}
	if v, ok := synonyms[f]; ok {
		return v
	}
	return s
}

var scopeSynonyms = map[string]string{
	"intern": landscape.ScopeInternal, "verwaltungsintern": landscape.ScopeInternal,
	"extern": landscape.ScopeExternal, "verwaltungsextern": landscape.ScopeExternal, "offen": landscape.ScopeExternal,
}

var roleSynonyms = map[string]string{
	"vorsitz": "CHAIR", "vorsitzende": "CHAIR", "vorsitzender": "CHAIR", "leitung": "CHAIR",
	"stellvvorsitz": "DEPUTY_CHAIR", "stellvertretendervorsitz": "DEPUTY_CHAIR", "stellvertretung": "DEPUTY_CHAIR",
	"mitglied": "MEMBER", "geschaeftsstelle": "OFFICE", "gast": "GUEST", "beratend": "ADVISORY", "beratung": "ADVISORY",
}

// parseDate reads YYYY-MM-DD or the German DD.MM.YYYY (also D.M.YYYY).
func parseDate(s string) (*landscape.Date, error) {
	if d, err := landscape.ParseDate(s); err == nil {
		return &d, nil
	}
	if strings.Count(s, ".") == 2 {
		if t, err := time.Parse("2.1.2006", s); err == nil && t.Year() >= 1 {
			d := landscape.DateOf(t)
			return &d, nil
		}
	}
	return nil, fmt.Errorf("%q is not a date: write YYYY-MM-DD or DD.MM.YYYY", s)
}

// parseBool reads true/false, ja/nein, yes/no, wahr/falsch, 1/0 and x
// (ticked); empty is false.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "true", "ja", "yes", "wahr", "1", "x", "j", "y":
		return true, nil
	case "", "false", "nein", "no", "falsch", "0", "n":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a yes/no value: write true or false (ja or nein)", s)
}

// parseInt reads a whole number; empty is nil.
func parseInt(s string) (*int, error) {
	if s == "" {
		return nil, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a whole number", s)
	}
	return &v, nil
}

// parseTime reads an RFC 3339 time; empty is the zero time.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a time of the form 2024-01-31T12:00:00Z", s)
	}
	return t, nil
}

func sortStrings(s []string) { slices.Sort(s) }
