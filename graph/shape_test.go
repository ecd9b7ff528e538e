package graph

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// briefLog records whether each Expand call asks for a brief expansion;
// with whole set, it reads every expansion whole instead.
type briefLog struct {
	landscape.Store
	whole bool
	mu    sync.Mutex
	brief []bool
}

func (b *briefLog) Expand(ctx context.Context, q landscape.ExpandQuery) (*landscape.Expansion, error) {
	b.mu.Lock()
	b.brief = append(b.brief, q.Brief)
	b.mu.Unlock()
	if b.whole {
		q.Brief = false
	}
	return b.Store.Expand(ctx, q)
}

// TestNeighbourhoodShape checks which selections of a neighbourhood read it
// brief (ids, kinds, names and ends only), and that the answer is the same
// as when it is read whole.
func TestNeighbourhoodShape(t *testing.T) {
	s := sampleStore(t)
	const args = `ids: ["lk-osnabrueck"], depth: 2`
	cases := []struct {
		name, query string
		brief       bool
	}{
		{"ids, kinds, names and ends", `{ neighbourhood(` + args + `) { truncated __typename nodes { __typename id kind name }
			relationships { id kind fromId toId from { id name } to { kind } } } }`, true},
		{"fragments", `fragment N on Node { id name } fragment R on Relationship { id from { ...N } }
			{ neighbourhood(` + args + `) { nodes { ...N ... on Actor { kind } } relationships { ...R ... on Relationship { toId } } } }`, true},
		{"aliases", `{ n: neighbourhood(` + args + `) { ns: nodes { key: id title: name } rs: relationships { a: fromId b: toId } } }`, true},
		{"in a region", `{ neighbourhood(ids: ["lk-osnabrueck"], depth: 1, region: "lk-osnabrueck") { nodes { id name } relationships { id fromId toId } } }`, true},
		{"a node's description", `{ neighbourhood(` + args + `) { nodes { id description } } }`, false},
		{"a category", `{ neighbourhood(` + args + `) { nodes { id ... on Institution { category } } } }`, false},
		{"in a fragment", `fragment N on Node { id source } { neighbourhood(` + args + `) { nodes { ...N } } }`, false},
		{"a relationship's source", `{ neighbourhood(` + args + `) { relationships { id source } } }`, false},
		{"an end's code", `{ neighbourhood(` + args + `) { relationships { id from { id ... on Region { officialCode } } } } }`, false},
		{"a node's relationships", `{ neighbourhood(` + args + `) { nodes { id relationships { id } } } }`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			brief := &briefLog{Store: s}
			got := run(t, brief, c.query, nil)
			whole := &briefLog{Store: s, whole: true}
			want := run(t, whole, c.query, nil)
			if len(brief.brief) == 0 {
				t.Fatal("no Expand call")
			}
			if slices.Contains(brief.brief, !c.brief) {
				t.Errorf("Expand calls brief %v, want all %v", brief.brief, c.brief)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("answer\n%s\nread whole\n%s", got, want)
			}
			if bytes.Count(got, []byte(`"id"`))+bytes.Count(got, []byte(`"key"`))+bytes.Count(got, []byte(`"a"`)) < 10 {
				t.Errorf("answer too small to tell: %s", got)
			}
		})
	}
}
