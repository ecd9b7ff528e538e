package server_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestFilterProblemsNameTheInput: a problem in a filter names the place in
// the GraphQL input as the caller wrote it.
func TestFilterProblemsNameTheInput(t *testing.T) {
	h := newHarness(t)
	many := make([]string, 1001)
	for i := range many {
		many[i] = fmt.Sprintf("%q", fmt.Sprintf("id-%d", i))
	}
	list := "[" + strings.Join(many, ",") + "]"
	for filter, want := range map[string]string{
		`{id: {in: ` + list + `}}`:                                        "filter.id.in",
		`{and: [{kind: {eq: ACTOR}}, {name: {in: ` + list + `}}]}`:        "filter.and[1].name.in",
		`{not: {alias: {in: ` + list + `}}}`:                              "filter.not.alias.in",
		`{related: {none: {or: [{source: {in: ` + list + `}}]}}}`:         "filter.related.none.or[0].source.in",
		`{name: {eq: "Kita"}, related: {some: {id: {in: ` + list + `}}}}`: "filter.related.some.id.in",
	} {
		errs := h.post(t, `{ nodes(filter: `+filter+`) { totalCount } }`, nil)
		if len(errs) != 1 || errs[0].Extensions.Code != "INVALID" || errs[0].Extensions.Field != want {
			var got []string
			for _, e := range errs {
				got = append(got, e.Extensions.Code+"@"+e.Extensions.Field)
			}
			t.Errorf("filter %.60s…: errors %v, want INVALID@%s", filter, got, want)
		}
	}
}
