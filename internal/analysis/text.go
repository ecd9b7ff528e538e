package analysis

import (
	"fmt"
	"strings"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// The German texts of the analysis: explanations a coordinator reads.

// germanDate formats d as 31.07.2023.
func germanDate(d landscape.Date) string {
	return fmt.Sprintf("%02d.%02d.%04d", d.Day(), d.Month(), d.Year())
}

// quoted returns „name“.
func quoted(n *landscape.Node) string { return "„" + n.Name + "“" }

// quotedList returns „A“, „B“ und „C“.
func quotedList(ns []*landscape.Node) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = quoted(n)
	}
	return enumerate(parts)
}

// nameList returns A, B und C.
func nameList(ns []*landscape.Node) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = n.Name
	}
	return enumerate(parts)
}

func enumerate(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " und " + parts[len(parts)-1]
}

// linkPhrase returns the adverbial of a link: „In der Lebensphase Kita“ or
// „Für den Übergang Kita → Grundschule“.
func linkPhrase(l Link) string {
	if l.Node.Kind == landscape.Transition {
		if strings.HasPrefix(l.Node.Name, "Übergang") {
			return "Für den " + l.Node.Name
		}
		return "Für den Übergang " + quoted(l.Node)
	}
	return "In der Lebensphase " + l.Node.Name
}

// forGroup returns " für Kinder" or "" without a target group.
func forGroup(tg *landscape.Node) string {
	if tg == nil {
		return ""
	}
	return " für " + tg.Name
}

var roleLabels = map[string]string{
	"CHAIR":        "Vorsitz",
	"DEPUTY_CHAIR": "stellv. Vorsitz",
	"OFFICE":       "Geschäftsstelle",
	"GUEST":        "Gast",
	"ADVISORY":     "beratend",
	"MEMBER":       "Mitglied",
	coordinatesTie: "koordiniert",
}

// roleLabel returns the German label of a membership role.
func roleLabel(role string) string {
	if l, ok := roleLabels[role]; ok {
		return l
	}
	return role
}

// explainEdge explains edge e walked from node a to node b (a and b are its
// ends, in either direction): „Migrationszentrum ist Mitglied (Vorsitz) in
// Koordinierungsgruppe Migration“, „Kreisverwaltung umfasst Referat“.
func explainEdge(e *landscape.Edge, a, b *landscape.Node) string {
	fwd := e.From == a.ID
	A, B := a.Name, b.Name
	pick := func(forward, backward string) string {
		if fwd {
			return fmt.Sprintf(forward, A, B)
		}
		return fmt.Sprintf(backward, A, B)
	}
	switch e.Kind {
	case landscape.MemberOf:
		role := ""
		if e.Role != "" && e.Role != landscape.DefaultMembershipRole {
			role = " (" + roleLabel(e.Role) + ")"
		}
		if fwd {
			return fmt.Sprintf("%s ist Mitglied%s in %s", A, role, B)
		}
		return fmt.Sprintf("%s hat %s als Mitglied%s", A, B, role)
	case landscape.Coordinates:
		return pick("%s koordiniert %s", "%s wird koordiniert von %s")
	case landscape.ResponsibleFor:
		return pick("%s ist verantwortlich für %s", "%s liegt in der Verantwortung von %s")
	case landscape.PartOf:
		return pick("%s ist Teil von %s", "%s umfasst %s")
	case landscape.CooperatesWith:
		s := fmt.Sprintf("%s kooperiert mit %s", A, B)
		if e.Agreement != "" {
			s += " (" + e.Agreement + ")"
		}
		return s
	case landscape.Funds:
		return pick("%s fördert %s", "%s wird gefördert von %s")
	case landscape.Provides:
		return pick("%s bietet %s an", "%s wird angeboten von %s")
	case landscape.Supports:
		return pick("%s unterstützt %s", "%s wird unterstützt durch %s")
	case landscape.Targets:
		return pick("%s richtet sich an %s", "%s ist Zielgruppe von %s")
	case landscape.Serves:
		return pick("%s ist tätig für %s", "%s ist Einsatzgebiet von %s")
	case landscape.LocatedIn:
		return pick("%s hat seinen Sitz in %s", "%s ist Sitz von %s")
	case landscape.RefersTo:
		return pick("%s verweist an %s", "%s erhält Verweise von %s")
	case landscape.WorksOn:
		return pick("%s arbeitet am Thema %s", "%s wird bearbeitet von %s")
	case landscape.FromPhase:
		return pick("%s beginnt in der Lebensphase %s", "%s ist Ausgangsphase von %s")
	case landscape.ToPhase:
		return pick("%s führt in die Lebensphase %s", "%s ist Zielphase von %s")
	}
	return fmt.Sprintf("%s —%s— %s", A, e.Kind, B)
}

// Gap explanations.

func explainNoOffer(l Link, region, tg *landscape.Node) string {
	return fmt.Sprintf("%s gibt es in %s kein Angebot%s.", linkPhrase(l), region.Name, forGroup(tg))
}

func explainExpired(l Link, region, tg *landscape.Node, expired []expiredOffer, elsewhere []Placement) string {
	parts := make([]string, len(expired))
	for i, x := range expired {
		switch {
		case x.end == nil:
			parts[i] = quoted(x.offer) + " ist ausgelaufen"
		case x.provider != nil:
			parts[i] = fmt.Sprintf("%s hat keinen Träger mehr (%s bis %s)",
				quoted(x.offer), quoted(x.provider), germanDate(*x.end))
		default:
			parts[i] = fmt.Sprintf("%s ist am %s ausgelaufen", quoted(x.offer), germanDate(*x.end))
		}
	}
	s := fmt.Sprintf("%s gibt es in %s derzeit kein Angebot%s: %s.", linkPhrase(l), region.Name, forGroup(tg), enumerate(parts))
	if len(elsewhere) > 0 {
		s += " " + transferSentence(region, elsewhere)
	}
	return s
}

func explainElsewhere(l Link, region, tg *landscape.Node, elsewhere []Placement) string {
	return fmt.Sprintf("%s gibt es in %s kein Angebot%s, wohl aber anderswo im Gebiet. %s",
		linkPhrase(l), region.Name, forGroup(tg), transferSentence(region, elsewhere))
}

func transferSentence(region *landscape.Node, elsewhere []Placement) string {
	parts := make([]string, len(elsewhere))
	for i, p := range elsewhere {
		parts[i] = fmt.Sprintf("%s (%s)", quoted(p.Offer), nameList(p.Regions))
	}
	if len(parts) == 1 {
		return fmt.Sprintf("Kandidat für einen Transfer nach %s: %s.", region.Name, parts[0])
	}
	return fmt.Sprintf("Kandidaten für einen Transfer nach %s: %s.", region.Name, enumerate(parts))
}

func explainNoHandover(first, second Link, region *landscape.Node) string {
	return fmt.Sprintf("Zwischen den Lebensphasen %s und %s fehlt in %s eine Übergabe: Es gibt Angebote in beiden Phasen, "+
		"aber kein Angebot der einen verweist an eines der anderen, und kein Träger der einen Phase kooperiert mit einem "+
		"Träger der anderen, verweist an ihn oder sitzt mit ihm in einem Gremium.",
		first.Node.Name, second.Node.Name, region.Name)
}

func explainNoCoordination(l Link, region *landscape.Node, offers []*landscape.Node) string {
	if len(offers) == 1 {
		return fmt.Sprintf("%s ist das Angebot %s in %s mit keinem Gremium und keiner koordinierenden Stelle verbunden.",
			linkPhrase(l), quoted(offers[0]), region.Name)
	}
	return fmt.Sprintf("%s sind die Angebote %s in %s mit keinem Gremium und keiner koordinierenden Stelle verbunden.",
		linkPhrase(l), quotedList(offers), region.Name)
}
