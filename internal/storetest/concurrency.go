package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// applyRetrying applies cs and retries it a few times when the store reports
// a concurrent change (EConflict) or a transient unavailability. Only
// idempotent changesets (upserts, patches) may be retried.
func applyRetrying(ctx context.Context, s landscape.Store, cs *landscape.Changeset) (*landscape.Result, error) {
	var err error
	for attempt := range 5 {
		var res *landscape.Result
		res, err = s.Apply(ctx, cs)
		if c := landscape.ErrorCode(err); c != landscape.EConflict && c != landscape.EUnavailable {
			return res, err
		}
		time.Sleep(time.Duration(attempt+1) * 10 * time.Millisecond)
	}
	return nil, err
}

// testConcurrency checks that concurrent writers lose no acknowledged write
// and that readers see only whole changesets. Run it with -race.
func testConcurrency(t *testing.T, open opener) {
	t.Run("WritersAndReaders", func(t *testing.T) {
		s := newStore(t, open)
		ctx := contextWithTimeout(t, 2*time.Minute)
		nodes := landscapeNodes()
		apply(t, ctx, s, createNodes(nodes[1], nodes[14])) // lk-osnabrueck, koko-bildung

		const writers, perWriter, readers = 8, 12, 4
		kitaID := func(w, i int) string { return fmt.Sprintf("kita-w%d-%02d", w, i) }
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			acked   []string // ids of nodes whose changeset was acknowledged
			patched []string // ids of nodes whose patch was acknowledged
			done    = make(chan struct{})
		)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range perWriter {
					id := kitaID(w, i)
					cs := &landscape.Changeset{
						Nodes: []landscape.NodeChange{{Op: landscape.OpUpsert, Node: &landscape.Node{ID: id, Kind: landscape.Institution,
							Name: fmt.Sprintf("Kita %d.%d", w, i), Category: "KITA", Source: srcBeispiel, Illustrative: true}}},
						Edges: []landscape.EdgeChange{
							{Op: landscape.OpUpsert, Edge: edge(id, landscape.LocatedIn, "lk-osnabrueck")},
							{Op: landscape.OpUpsert, Edge: edge(id, landscape.MemberOf, "koko-bildung")},
						},
					}
					if _, err := applyRetrying(ctx, s, cs); err != nil {
						t.Errorf("writer %d, changeset %d: %s", w, i, describeErr(err))
						continue
					}
					mu.Lock()
					acked = append(acked, id)
					mu.Unlock()
					if i%3 == 2 { // patch an earlier node of this writer
						prev := kitaID(w, i-1)
						_, err := applyRetrying(ctx, s, updateNode(prev, landscape.NodePatch{Description: landscape.Some("geprüft von Schreiber " + fmt.Sprint(w))}))
						if err != nil {
							t.Errorf("writer %d, patch of %s: %s", w, prev, describeErr(err))
							continue
						}
						mu.Lock()
						patched = append(patched, prev)
						mu.Unlock()
					}
				}
			}()
		}
		var rg sync.WaitGroup
		for r := range readers {
			rg.Add(1)
			go func() {
				defer rg.Done()
				lastNodes, lastEdges := 0, 0
				for round := 0; ; round++ {
					// A visible edge has visible ends: changesets are atomic.
					adj, err := s.Adjacent(ctx, landscape.AdjacencyQuery{NodeIDs: []string{"lk-osnabrueck"}, Direction: landscape.DirIn,
						Kinds: []landscape.EdgeKind{landscape.LocatedIn}})
					if err != nil {
						t.Errorf("reader %d: Adjacent: %s", r, describeErr(err))
						return
					}
					var from []string
					for _, e := range adj["lk-osnabrueck"] {
						from = append(from, e.From)
					}
					found, err := s.Nodes(ctx, from, nil)
					if err != nil {
						t.Errorf("reader %d: Nodes: %s", r, describeErr(err))
						return
					}
					for _, id := range from {
						if found[id] == nil {
							t.Errorf("reader %d: edge %s>LOCATED_IN>lk-osnabrueck is visible, its start is not", r, id)
						}
					}
					// Counts only grow: no write is lost or undone.
					p, err := s.QueryNodes(ctx, landscape.NodeQuery{Kinds: []landscape.NodeKind{landscape.Institution},
						Filter: where(landscape.FieldID, landscape.StartsWith, "kita-w"), Page: first(landscape.MaxPageSize)})
					if err != nil {
						t.Errorf("reader %d: QueryNodes: %s", r, describeErr(err))
						return
					}
					if p.TotalCount < lastNodes || len(p.Nodes) != p.TotalCount {
						t.Errorf("reader %d: %d nodes (%d on the page) after %d", r, p.TotalCount, len(p.Nodes), lastNodes)
					}
					lastNodes = p.TotalCount
					ep, err := s.QueryEdges(ctx, landscape.EdgeQuery{Kinds: []landscape.EdgeKind{landscape.MemberOf}, Page: first(0)})
					if err != nil {
						t.Errorf("reader %d: QueryEdges: %s", r, describeErr(err))
						return
					}
					if ep.TotalCount < lastEdges {
						t.Errorf("reader %d: %d MEMBER_OF edges after %d", r, ep.TotalCount, lastEdges)
					}
					lastEdges = ep.TotalCount
					select {
					case <-done:
						return
					default:
					}
				}
			}()
		}
		wg.Wait()
		close(done)
		rg.Wait()

		if len(acked) != writers*perWriter {
			t.Errorf("%d of %d changesets acknowledged", len(acked), writers*perWriter)
		}
		slices.Sort(acked)
		checkIDs(t, "nodes after the writes", without(allNodeIDs(t, ctx, s), "koko-bildung", "lk-osnabrueck"), acked...)
		got := getNodes(t, ctx, s, nil, acked...)
		for _, id := range acked {
			n := got[id]
			if n == nil {
				continue
			}
			var w, i int
			fmt.Sscanf(id, "kita-w%d-%d", &w, &i)
			want := &landscape.Node{ID: id, Kind: landscape.Institution, Name: fmt.Sprintf("Kita %d.%d", w, i), Category: "KITA",
				Source: srcBeispiel, Illustrative: true}
			if slices.Contains(patched, id) {
				want.Description = "geprüft von Schreiber " + fmt.Sprint(w)
			}
			checkNode(t, "after the writes", n, want)
		}
		adj := adjacent(t, ctx, s, landscape.AdjacencyQuery{NodeIDs: []string{"lk-osnabrueck", "koko-bildung"}, Direction: landscape.DirIn})
		var located, members []string
		for _, id := range acked {
			located = append(located, id+">LOCATED_IN>lk-osnabrueck")
			members = append(members, id+">MEMBER_OF>koko-bildung")
		}
		checkIDs(t, "LOCATED_IN edges after the writes", edgeIDs(adj["lk-osnabrueck"]), located...)
		checkIDs(t, "MEMBER_OF edges after the writes", edgeIDs(adj["koko-bildung"]), members...)
	})

	t.Run("CreateSameID", func(t *testing.T) {
		// Of concurrent creates of one id exactly one wins; the others
		// fail with EConflict.
		s := newStore(t, open)
		ctx := contextWithTimeout(t, time.Minute)
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = s.Apply(ctx, createNodes(&landscape.Node{ID: "kg-bildung", Kind: landscape.Committee,
					Name: fmt.Sprintf("Koordinierungsgruppe Bildung (Entwurf %d)", i), Source: srcBeispiel}))
			}()
		}
		close(start)
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil && winner >= 0:
				t.Errorf("creates %d and %d of the same id both succeeded", winner, i)
			case err == nil:
				winner = i
			default:
				checkError(t, fmt.Sprintf("create %d", i), err, landscape.EConflict, "")
			}
		}
		if winner < 0 {
			t.Fatal("no create succeeded")
		}
		checkIDs(t, "nodes", allNodeIDs(t, ctx, s), "kg-bildung")
		if got, want := getNode(t, ctx, s, "kg-bildung").Name, fmt.Sprintf("Koordinierungsgruppe Bildung (Entwurf %d)", winner); got != want {
			t.Errorf("name = %q, want the winner's %q", got, want)
		}
	})

	t.Run("PatchesOfOneNode", func(t *testing.T) {
		// Concurrent patches of different fields of one node lose none.
		s := newStore(t, open)
		ctx := contextWithTimeout(t, time.Minute)
		apply(t, ctx, s, createNodes(&landscape.Node{ID: "koko-bildung", Kind: landscape.Committee, Name: "Kooperationskonferenz Bildung",
			Source: srcBildungsbericht}))
		patches := []landscape.NodePatch{
			{Description: landscape.Some("Jährliche Konferenz aller Bildungsakteure")},
			{Category: landscape.Some("CONFERENCE")},
			{Scope: landscape.Some(landscape.ScopeExternal)},
			{MeetingRhythm: landscape.Some("zweimal jährlich")},
			{URL: landscape.Some("https://www.landkreis-osnabrueck.de/bildung")},
			{Aliases: landscape.Some([]string{"KoKo"})},
			{Illustrative: landscape.Some(true)},
			{ValidFrom: landscape.Some(date("2015-03-01"))},
		}
		var wg sync.WaitGroup
		for i, p := range patches {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := applyRetrying(ctx, s, updateNode("koko-bildung", p)); err != nil {
					t.Errorf("patch %d: %s", i, describeErr(err))
				}
			}()
		}
		wg.Wait()
		checkNode(t, "after the patches", getNode(t, ctx, s, "koko-bildung"), &landscape.Node{ID: "koko-bildung", Kind: landscape.Committee,
			Name: "Kooperationskonferenz Bildung", Description: "Jährliche Konferenz aller Bildungsakteure", Category: "CONFERENCE",
			Scope: landscape.ScopeExternal, MeetingRhythm: "zweimal jährlich", URL: "https://www.landkreis-osnabrueck.de/bildung",
			Aliases: []string{"KoKo"}, Illustrative: true, Source: srcBildungsbericht, Validity: validity("2015-03-01", "")})
	})
}
