package embedded

import (
	"slices"
	"strings"
	"sync"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// The query caches keep sorted lists of nodes (per set of kinds and sort
// order) and of edges (per set of kinds, by id), so that a query does not
// sort tens of thousands of nodes each time. A write does not touch them:
// it only appends to the index's change log. The next query that uses a
// list brings it up to date from the log: it removes the old versions of
// the changed nodes and merges in their new versions, at the cost of a
// binary search per change and one copy of the list, without comparing
// every element.

// change is one entry of a change log: the id changed and the value it had
// before (nil when it did not exist).
type change[T any] struct {
	id  string
	old *T
}

// changeLog numbers the changes of nodes or edges by a generation counter.
// It forgets old entries when it grows long; lists older than that are
// rebuilt from scratch. It is written under the index's write lock and read
// under its read lock.
type changeLog[T any] struct {
	base    uint64      // generation before entries[0]
	entries []change[T] // entries[i] is change base+i+1
}

const maxChangeLog = 1 << 15

func (l *changeLog[T]) gen() uint64 { return l.base + uint64(len(l.entries)) }

func (l *changeLog[T]) add(id string, old *T) {
	if len(l.entries) >= maxChangeLog {
		l.base = l.gen()
		clear(l.entries) // drop the references to old values
		l.entries = l.entries[:0]
	}
	l.entries = append(l.entries, change[T]{id, old})
}

// since returns the changes after generation g, or false when the log no
// longer reaches back to g.
func (l *changeLog[T]) since(g uint64) ([]change[T], bool) {
	if g < l.base || g > l.gen() {
		return nil, false
	}
	return l.entries[g-l.base:], true
}

// queryCache holds the sorted lists of a store.
type queryCache struct {
	nodes listSet[landscape.Node]
	edges listSet[edgeRec]
}

// seedEdges caches recs, the records of all edges of a new index, as the
// list of all edges, if they are sorted by id.
func (c *queryCache) seedEdges(recs []*edgeRec) {
	if !slices.IsSortedFunc(recs, func(a, b *edgeRec) int { return strings.Compare(a.id, b.id) }) {
		return
	}
	l := c.edges.list("")
	l.mu.Lock()
	l.list, l.gen, l.built = recs, 0, true
	l.mu.Unlock()
}

func (c *queryCache) reset() {
	c.nodes.reset()
	c.edges.reset()
}

// kindsKey returns the sorted distinct kinds and a key naming them.
func kindsKey[K ~string](kinds []K) ([]K, string) {
	ks := slices.Clone(kinds)
	slices.Sort(ks)
	ks = slices.Compact(ks)
	var b strings.Builder
	for _, k := range ks {
		b.WriteString(string(k))
		b.WriteByte(',')
	}
	return ks, b.String()
}

// sortedNodes returns every node of the kinds (all kinds when empty) sorted
// by order, whatever its validity. Call it under the read lock; the list is
// shared and must not be modified.
func (c *queryCache) sortedNodes(x *index, kinds []landscape.NodeKind, order []landscape.Order) []*landscape.Node {
	ks, key := kindsKey(kinds)
	belongs := func(n *landscape.Node) bool { return len(ks) == 0 || slices.Contains(ks, n.Kind) }
	return c.nodes.list(key+"|"+landscape.OrderKey(order)).get(&x.nodeLog,
		func() []*landscape.Node {
			var all []*landscape.Node
			if len(ks) == 0 {
				all = make([]*landscape.Node, 0, len(x.verts))
				for _, v := range x.verts {
					all = append(all, v.n)
				}
				return all
			}
			for _, k := range ks {
				for _, v := range x.byKind[k] {
					all = append(all, v.n)
				}
			}
			return all
		},
		belongs,
		func(id string) *landscape.Node {
			if v := x.verts[id]; v != nil {
				return v.n
			}
			return nil
		},
		func(a, b *landscape.Node) int { return landscape.CompareNodes(a, b, order) },
	)
}

// sortedEdges returns the records of every edge of the kinds (all when
// empty) sorted by id, whatever its validity. Call it under the read lock;
// the list is shared and must not be modified.
func (c *queryCache) sortedEdges(x *index, kinds []landscape.EdgeKind) []*edgeRec {
	ks, key := kindsKey(kinds)
	belongs := func(r *edgeRec) bool { return len(ks) == 0 || slices.Contains(ks, r.kind()) }
	return c.edges.list(key).get(&x.edgeLog,
		func() []*edgeRec {
			all := make([]*edgeRec, 0, len(x.edges))
			for _, r := range x.edges {
				if belongs(r) {
					all = append(all, r)
				}
			}
			return all
		},
		belongs,
		func(id string) *edgeRec { return x.edges[id] },
		byID,
	)
}

// listSet is a bounded set of cached lists by key.
type listSet[T any] struct {
	mu    sync.Mutex
	lists map[string]*sortedList[T]
}

// maxLists bounds the number of lists of a listSet; when it is reached the
// set starts afresh.
const maxLists = 32

func (s *listSet[T]) list(key string) *sortedList[T] {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lists == nil || len(s.lists) >= maxLists && s.lists[key] == nil {
		s.lists = map[string]*sortedList[T]{}
	}
	l := s.lists[key]
	if l == nil {
		l = &sortedList[T]{}
		s.lists[key] = l
	}
	return l
}

func (s *listSet[T]) reset() {
	s.mu.Lock()
	s.lists = nil
	s.mu.Unlock()
}

// sortedList is a cached sorted list, up to date as of generation gen of a
// change log. A list once returned is never modified: a refresh makes a new
// one, so readers may keep using the list they got.
type sortedList[T any] struct {
	mu    sync.Mutex
	built bool
	gen   uint64
	list  []*T
}

// get returns the list brought up to date with log. all returns every
// element that belongs to the list (unsorted), belongs tells whether a value
// belongs, current returns the value of an id (nil when missing), and cmp is
// the order, a total one (ids break ties). Stored values are immutable, so
// the old value of a change still sorts where it was.
func (l *sortedList[T]) get(log *changeLog[T], all func() []*T, belongs func(*T) bool, current func(string) *T, cmp func(a, b *T) int) []*T {
	l.mu.Lock()
	defer l.mu.Unlock()
	gen := log.gen()
	if l.built && l.gen == gen {
		return l.list
	}
	var changes []change[T]
	ok := l.built
	if ok {
		changes, ok = log.since(l.gen)
	}
	if ok {
		// Many changes: sorting afresh is cheaper than merging.
		ok = len(changes) <= len(l.list)+64 && l.refresh(changes, belongs, current, cmp)
	}
	if !ok {
		list := all()
		slices.SortFunc(list, cmp)
		l.list = list
	}
	l.gen, l.built = gen, true
	return l.list
}

// refresh applies changes to the list; false means the list is not what
// the log says it should be (it is then rebuilt).
func (l *sortedList[T]) refresh(changes []change[T], belongs func(*T) bool, current func(string) *T, cmp func(a, b *T) int) bool {
	// The list holds, for each changed id, the old value of its first
	// change (when that belongs), and must hold its current value instead.
	seen := make(map[string]bool, len(changes))
	var drop []int
	var adds []*T
	for _, c := range changes {
		if seen[c.id] {
			continue
		}
		seen[c.id] = true
		if c.old != nil && belongs(c.old) {
			i, found := slices.BinarySearchFunc(l.list, c.old, cmp)
			if !found || l.list[i] != c.old {
				return false
			}
			drop = append(drop, i)
		}
		if v := current(c.id); v != nil && belongs(v) {
			adds = append(adds, v)
		}
	}
	slices.Sort(drop)
	slices.SortFunc(adds, cmp)

	// kept is the list without the dropped positions; merged adds the new
	// values, each at its binary-searched position.
	kept := make([]*T, 0, len(l.list)-len(drop))
	prev := 0
	for _, i := range drop {
		kept = append(kept, l.list[prev:i]...)
		prev = i + 1
	}
	kept = append(kept, l.list[prev:]...)
	if len(adds) == 0 {
		l.list = kept
		return true
	}
	merged := make([]*T, 0, len(kept)+len(adds))
	prev = 0
	for _, a := range adds {
		i, _ := slices.BinarySearchFunc(kept[prev:], a, cmp)
		merged = append(merged, kept[prev:prev+i]...)
		merged = append(merged, a)
		prev += i
	}
	l.list = append(merged, kept[prev:]...)
	return true
}
