package graph

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Loaders batch the store reads of one GraphQL request, so that nested lists
// cost one store round trip per level rather than one per item (no N+1):
// a level of relationships brings the nodes at their other ends along
// (Store.Neighbours), which prime the node loader.
type loaders struct {
	nodes    *dataloadgen.Loader[nodeKey, *landscape.Node]
	adjacent *dataloadgen.Loader[adjKey, []*landscape.Edge]
}

type nodeKey struct {
	id   string
	asOf landscape.Date // zero: no as-of date
}

func newNodeKey(id string, asOf *landscape.Date) nodeKey {
	k := nodeKey{id: id}
	if asOf != nil {
		k.asOf = *asOf
	}
	return k
}

type adjKey struct {
	id    string
	dir   landscape.Direction
	kinds string // sorted, comma-separated
	asOf  landscape.Date
}

func newAdjKey(id string, dir landscape.Direction, kinds []landscape.EdgeKind, asOf *landscape.Date) adjKey {
	ks := make([]string, len(kinds))
	for i, k := range kinds {
		ks[i] = string(k)
	}
	slices.Sort(ks)
	k := adjKey{id: id, dir: dir, kinds: strings.Join(slices.Compact(ks), ",")}
	if asOf != nil {
		k.asOf = *asOf
	}
	return k
}

func datePtr(d landscape.Date) *landscape.Date {
	if d.IsZero() {
		return nil
	}
	return &d
}

// DefaultBatchWait is how long a loader collects keys before it asks the
// store: long enough for the sibling resolvers gqlgen runs concurrently.
const DefaultBatchWait = 2 * time.Millisecond

func newLoaders(s landscape.Store, wait time.Duration) *loaders {
	l := &loaders{}
	fetchNodes := func(ctx context.Context, keys []nodeKey) ([]*landscape.Node, []error) {
		out := make([]*landscape.Node, len(keys))
		errs := make([]error, len(keys))
		groups := map[landscape.Date][]int{}
		for i, k := range keys {
			groups[k.asOf] = append(groups[k.asOf], i)
		}
		// Each group is one store call; they run at once (a level's latency
		// is one round trip), each writing its own indexes of out and errs.
		var wg sync.WaitGroup
		for asOf, idx := range groups {
			wg.Go(func() {
				ids := make([]string, len(idx))
				for j, i := range idx {
					ids[j] = keys[i].id
				}
				found, err := s.Nodes(ctx, ids, datePtr(asOf))
				for _, i := range idx {
					out[i], errs[i] = found[keys[i].id], err
				}
			})
		}
		wg.Wait()
		return out, errs
	}
	fetchAdjacent := func(ctx context.Context, keys []adjKey) ([][]*landscape.Edge, []error) {
		out := make([][]*landscape.Edge, len(keys))
		errs := make([]error, len(keys))
		type group struct {
			dir   landscape.Direction
			kinds string
			asOf  landscape.Date
		}
		groups := map[group][]int{}
		for i, k := range keys {
			g := group{k.dir, k.kinds, k.asOf}
			groups[g] = append(groups[g], i)
		}
		var wg sync.WaitGroup
		for g, idx := range groups {
			wg.Go(func() {
				q := landscape.AdjacencyQuery{Direction: g.dir, AsOf: datePtr(g.asOf)}
				if g.kinds != "" {
					for _, k := range strings.Split(g.kinds, ",") {
						q.Kinds = append(q.Kinds, landscape.EdgeKind(k))
					}
				}
				for _, i := range idx {
					q.NodeIDs = append(q.NodeIDs, keys[i].id)
				}
				// The other ends come along (Neighbours) and prime the node
				// loader: the nodes of the next level cost no round trip.
				found, err := s.Neighbours(ctx, q)
				if err != nil {
					for _, i := range idx {
						errs[i] = err
					}
					return
				}
				for _, i := range idx {
					out[i] = found.Edges[keys[i].id]
				}
				for id, n := range found.Nodes {
					l.nodes.Prime(newNodeKey(id, q.AsOf), n)
				}
			})
		}
		wg.Wait()
		return out, errs
	}
	l.nodes = dataloadgen.NewLoader(fetchNodes, dataloadgen.WithWait(wait))
	l.adjacent = dataloadgen.NewLoader(fetchAdjacent, dataloadgen.WithWait(wait))
	return l
}

type loadersCtxKey struct{}

// WithLoaders returns ctx with fresh dataloaders over s: one set per request.
func WithLoaders(ctx context.Context, s landscape.Store, wait time.Duration) context.Context {
	return context.WithValue(ctx, loadersCtxKey{}, newLoaders(s, wait))
}

// LoaderMiddleware puts fresh dataloaders into every request's context.
func LoaderMiddleware(s landscape.Store, wait time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(WithLoaders(r.Context(), s, wait)))
	})
}

func loadersFrom(ctx context.Context) *loaders {
	l, ok := ctx.Value(loadersCtxKey{}).(*loaders)
	if !ok {
		panic("graph: no dataloaders in the context; wrap the handler with LoaderMiddleware")
	}
	return l
}
