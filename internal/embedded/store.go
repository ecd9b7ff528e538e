// Package embedded is the default store of bildungsgraph: a durable,
// single-file graph store that needs no server.
//
// The data lives in a bbolt file (go.etcd.io/bbolt) with three buckets:
// "nodes" (id → JSON of landscape.Node), "edges" (id → JSON of
// landscape.Edge) and "meta" (the schema version). Every write is one bbolt
// transaction that is fsynced before Apply returns, so an acknowledged write
// survives a crash or kill -9.
//
// On Open the whole graph is loaded into an in-memory index (nodes by id and
// by kind, edges by id, out- and in-adjacency per node with edge lists sorted
// by id). Reads are answered from memory only.
//
// # Concurrency
//
// Reads take a read lock on the index and run in parallel. Writes are
// serialised by a writer lock: Apply resolves the changeset against the
// index (readers go on meanwhile), writes the result in one bbolt
// transaction (readers still go on), and only after the commit succeeded
// takes the index's write lock for the short time needed to apply the same
// changes to memory. A failed commit leaves memory untouched.
//
// # Ownership of returned values
//
// The index keeps its own deep copies of nodes and edges and never mutates
// a stored value: an update replaces it. Every *landscape.Node and
// *landscape.Edge a read method returns is a fresh deep copy that the caller
// owns and may modify; doing so never affects the store. The Result of
// Apply belongs to the caller as well (the index stores copies of it).
//
// # Writes
//
// Apply computes the writes with landscape.Resolve and stores its Result.
// Deleting a node deletes its edges (DETACH DELETE), also when the same
// changeset creates the node again; edges that changeset writes are kept.
// Timestamps (createdAt, updatedAt) are stored in UTC, and the Result's are
// converted too, so that a value read back, also after a restart, is
// identical to the one Apply returned.
//
// Sorted query results are cached per kinds and order and brought up to date
// incrementally after writes (see cache.go).
package embedded

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// SchemaVersion is the version of the file layout this package reads and
// writes; Open refuses files of any other version.
const SchemaVersion = "1"

// DefaultTimeout is how long Open waits for the file lock by default.
const DefaultTimeout = 2 * time.Second

// initialMmapSize is 1 GiB of address space (not memory, not file size) on
// 64-bit Unix systems. Windows grows the file to the mapped size, so there
// bbolt's default applies.
var initialMmapSize = func() int {
	if runtime.GOOS == "windows" || strconv.IntSize < 64 {
		return 0
	}
	return 1 << 30
}()

var (
	bucketNodes = []byte("nodes")
	bucketEdges = []byte("edges")
	bucketMeta  = []byte("meta")
	// bucketAudit holds the audit log: entry id (ordered by time) → JSON.
	bucketAudit = []byte("audit")
	keySchema   = []byte("schema")
)

var _ landscape.Store = (*Store)(nil)

// Store is the embedded store. It is safe for concurrent use.
type Store struct {
	path  string
	db    *bolt.DB
	clock func() time.Time

	// wsem serialises writers (a channel so that a waiting Apply can give up
	// when its context ends).
	wsem chan struct{}

	mu  sync.RWMutex // guards idx; write-locked only to apply a committed change
	idx *index       // nil after Close

	cache queryCache

	// beforeCommit, when set (tests only), runs inside the write
	// transaction just before the commit; an error aborts the commit.
	beforeCommit func(*bolt.Tx) error
}

// Option configures Open.
type Option func(*config)

type config struct {
	clock   func() time.Time
	timeout time.Duration
}

// WithClock sets the clock that stamps createdAt and updatedAt (tests).
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock = now }
}

// WithTimeout sets how long Open waits for the lock on a file that another
// process holds open (default DefaultTimeout). Zero or less means
// DefaultTimeout.
func WithTimeout(d time.Duration) Option {
	return func(c *config) { c.timeout = d }
}

// Open opens the store in the bbolt file at path, creating it when missing,
// and loads it into memory. It fails with an EUnavailable error when another
// process holds the file open, and with an EInternal error when the file is
// not a bildungsgraph database of schema version SchemaVersion.
func Open(path string, opts ...Option) (*Store, error) {
	cfg := config{clock: time.Now, timeout: DefaultTimeout}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.timeout <= 0 {
		cfg.timeout = DefaultTimeout
	}
	if cfg.clock == nil {
		cfg.clock = time.Now
	}
	boltOpts := &bolt.Options{
		Timeout:      cfg.timeout,
		FreelistType: bolt.FreelistMapType,
		// Reserve address space up front: growing the mapping inside a
		// large write transaction makes bbolt copy every dirty node.
		InitialMmapSize: initialMmapSize,
	}
	db, err := bolt.Open(path, 0o600, boltOpts)
	if err != nil {
		switch {
		case errors.Is(err, berrors.ErrTimeout):
			return nil, landscape.Wrap(landscape.EUnavailable, err,
				"database file %s is locked by another process (waited %s); stop the other bildungsgraph process or use another file", path, cfg.timeout)
		case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrChecksum):
			return nil, landscape.Wrap(landscape.EInternal, err, "database file %s is not a valid bildungsgraph database: %v", path, err)
		}
		return nil, landscape.Wrap(landscape.EUnavailable, err, "cannot open database file %s: %v", path, err)
	}
	s := &Store{path: path, db: db, clock: cfg.clock, wsem: make(chan struct{}, 1)}
	if err := s.init(); err != nil {
		db.Close()
		return nil, err
	}
	idx, err := s.load()
	if err != nil {
		db.Close()
		return nil, err
	}
	s.idx = idx
	if len(idx.verts)+len(idx.edges) > largeFile {
		if err := s.remap(boltOpts); err != nil {
			return nil, err
		}
		// Decoding the file left about as much garbage as the index it
		// built: give it back to the system now rather than when the
		// scavenger gets to it.
		debug.FreeOSMemory()
	}
	return s, nil
}

// largeFile is the number of nodes and edges above which Open maps the file
// anew after loading it and returns the garbage of the load at once.
var largeFile = 10000

// remap closes and reopens the file after the load. The load read every
// page through bbolt's mapping; the kernel keeps those pages mapped, and
// counted in the process's resident memory, until memory runs short —
// 150 MB at the scale of a Land — though the index now holds everything
// and only writes touch the file again. A fresh mapping starts empty. Should
// another process have written in the moment the file was not locked, its
// last transaction id differs, and the file is loaded again.
func (s *Store) remap(opts *bolt.Options) error {
	before, err := s.txID()
	if err == nil {
		err = s.db.Close()
	}
	if err == nil && betweenRemap != nil {
		betweenRemap(s.path)
	}
	if err == nil {
		s.db, err = bolt.Open(s.path, 0o600, opts)
	}
	var after int
	if err == nil {
		after, err = s.txID()
	}
	if err == nil && after != before {
		var idx *index
		if idx, err = s.load(); err == nil {
			s.idx = idx
		}
	}
	if err != nil {
		if s.db != nil {
			s.db.Close()
		}
		return landscape.Wrap(landscape.EUnavailable, err, "cannot reopen database file %s after loading it: %v", s.path, err)
	}
	return nil
}

// betweenRemap, when set (by tests), runs while remap has the file closed.
var betweenRemap func(path string)

// txID is the id of the file's last committed transaction.
func (s *Store) txID() (int, error) {
	var id int
	err := s.db.View(func(tx *bolt.Tx) error {
		id = tx.ID()
		return nil
	})
	return id, err
}

// init checks the schema version, creating the buckets in a new file.
func (s *Store) init() error {
	fresh := false
	err := s.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			if tx.Bucket(bucketNodes) != nil || tx.Bucket(bucketEdges) != nil {
				return landscape.Errorf(landscape.EInternal, "", "database file %s has no schema version; it was not written by bildungsgraph", s.path)
			}
			fresh = true
			return nil
		}
		if v := meta.Get(keySchema); string(v) != SchemaVersion {
			return landscape.Errorf(landscape.EInternal, "",
				"database file %s has schema version %q; this version of bildungsgraph reads schema version %s only", s.path, v, SchemaVersion)
		}
		if tx.Bucket(bucketNodes) == nil || tx.Bucket(bucketEdges) == nil {
			return landscape.Errorf(landscape.EInternal, "", "database file %s is damaged: a bucket is missing", s.path)
		}
		return nil
	})
	if err != nil {
		return s.fileErr(err, "cannot read")
	}
	if !fresh {
		// Files written before the audit log existed get its bucket.
		var missing bool
		s.db.View(func(tx *bolt.Tx) error { missing = tx.Bucket(bucketAudit) == nil; return nil })
		if !missing || s.db.IsReadOnly() {
			return nil
		}
		err = s.db.Update(func(tx *bolt.Tx) error {
			_, err := tx.CreateBucketIfNotExists(bucketAudit)
			return err
		})
		return s.fileErr(err, "cannot add the audit log to")
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketNodes, bucketEdges, bucketAudit} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		return meta.Put(keySchema, []byte(SchemaVersion))
	})
	return s.fileErr(err, "cannot initialise")
}

// fileErr passes domain errors through and wraps others as EUnavailable.
func (s *Store) fileErr(err error, what string) error {
	if err == nil || landscape.AsError(err) != nil {
		return err
	}
	return landscape.Wrap(landscape.EUnavailable, err, "%s database file %s: %v", what, s.path, err)
}

// load reads the whole file into a new index. JSON is decoded in parallel.
// Each edge goes into its compact record as soon as it is decoded, so that
// the decoded edges do not pile up while the file loads.
func (s *Store) load() (*index, error) {
	var idx *index
	var recs []*edgeRec
	err := s.db.View(func(tx *bolt.Tx) error {
		nodes, err := decodeBucket(tx.Bucket(bucketNodes), func(n *landscape.Node) string { return n.ID },
			func(n *landscape.Node) (*landscape.Node, error) { c := *n; return &c, nil })
		if err != nil {
			return fmt.Errorf("bucket nodes: %w", err)
		}
		idx = indexNodes(nodes)
		recs, err = decodeBucket(tx.Bucket(bucketEdges), func(e *landscape.Edge) string { return e.ID }, idx.record)
		if err != nil {
			return fmt.Errorf("bucket edges: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, landscape.Wrap(landscape.EInternal, err, "cannot load database file %s: %v", s.path, err)
	}
	idx.addLoaded(recs)
	// The edges came in key order, which is the order of every edge list:
	// the list of all edges is ready without sorting.
	s.cache.seedEdges(recs)
	return idx, nil
}

// decodeBucket decodes every value of b into a T and keeps what keep makes
// of it; the T is reused, so keep must not hold on to it. id returns a
// decoded value's id, which must be its key. Values must be valid only
// during the transaction, so decoding happens inside it.
func decodeBucket[T, R any](b *bolt.Bucket, id func(*T) string, keep func(*T) (R, error)) ([]R, error) {
	type kv struct{ k, v []byte }
	var raw []kv
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		raw = append(raw, kv{k, v})
	}
	out := make([]R, len(raw))
	workers := min(runtime.GOMAXPROCS(0), 1+len(raw)/2048)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var t T
			for i := w; i < len(raw); i += workers {
				// A fresh value each time: Unmarshal would decode into the
				// slices and pointers the last value left.
				var zero T
				t = zero
				if err := json.Unmarshal(raw[i].v, &t); err != nil {
					errs[w] = fmt.Errorf("key %q: %w", raw[i].k, err)
					return
				}
				if id(&t) != string(raw[i].k) {
					errs[w] = fmt.Errorf("key %q holds the value of %q", raw[i].k, id(&t))
					return
				}
				r, err := keep(&t)
				if err != nil {
					errs[w] = fmt.Errorf("key %q: %w", raw[i].k, err)
					return
				}
				out[i] = r
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// BatchWait is short: a round trip to this store is a read transaction in
// the process (microseconds), so a GraphQL level's loaders wait 0.5 ms for
// keys and a late key costs an extra call rather than everyone's wait
// (BenchmarkQueries/nested at scale 0.05: 7.3 ms instead of 13.8 ms with
// the 2 ms default).
func (s *Store) BatchWait() time.Duration { return 500 * time.Microsecond }

// Close releases the file. It waits for a running write; it is idempotent.
func (s *Store) Close() error {
	s.wsem <- struct{}{}
	defer func() { <-s.wsem }()
	s.mu.Lock()
	open := s.idx != nil
	s.idx = nil
	s.mu.Unlock()
	if !open {
		return nil
	}
	s.cache.reset()
	if err := s.db.Close(); err != nil {
		return landscape.Wrap(landscape.EInternal, err, "closing database file %s: %v", s.path, err)
	}
	return nil
}

// Ping returns nil while the store is open, an EUnavailable error after Close.
func (s *Store) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return ctxError(err)
	}
	_, err := s.rlock()
	if err != nil {
		return err
	}
	s.mu.RUnlock()
	return nil
}

// Stats returns the number of nodes and edges (0, 0 after Close).
func (s *Store) Stats() (nodes, edges int) {
	idx, err := s.rlock()
	if err != nil {
		return 0, 0
	}
	defer s.mu.RUnlock()
	return len(idx.verts), len(idx.edges)
}

// Empty reports whether the store holds no node and no edge (true after
// Close), e.g. to decide whether to load the sample landscape.
func (s *Store) Empty() bool {
	n, e := s.Stats()
	return n == 0 && e == 0
}

// Path returns the path of the database file.
func (s *Store) Path() string { return s.path }

// rlock read-locks the index and returns it, or returns an error (and holds
// no lock) when the store is closed.
func (s *Store) rlock() (*index, error) {
	s.mu.RLock()
	if s.idx == nil {
		s.mu.RUnlock()
		return nil, errClosed()
	}
	return s.idx, nil
}

func errClosed() error {
	return landscape.Errorf(landscape.EUnavailable, "", "the store is closed")
}

// ctxError turns a context error into a domain error.
func ctxError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return landscape.Wrap(landscape.ETimeout, err, "the operation ran past its deadline")
	}
	return landscape.Wrap(landscape.EUnavailable, err, "the operation was cancelled")
}

// Apply writes cs all or nothing with the semantics of landscape.Resolve.
// Deleting a node deletes its edges too. When Apply returns without error,
// the change is on disk (fsynced) and visible to every later read.
func (s *Store) Apply(ctx context.Context, cs *landscape.Changeset) (*landscape.Result, error) {
	if cs == nil {
		return &landscape.Result{}, nil
	}
	select {
	case s.wsem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctxError(ctx.Err())
	}
	defer func() { <-s.wsem }()
	// Only writers change the index and we are the only writer: reading it
	// without the read lock is safe here, and readers keep going.
	idx := s.idx
	if idx == nil {
		return nil, errClosed()
	}
	if err := ctx.Err(); err != nil {
		return nil, ctxError(err)
	}

	st := idx.state(cs)
	now := s.clock()
	res, err := landscape.Resolve(cs, st, now)
	if err != nil {
		return nil, err
	}
	if res.Empty() {
		return res, nil
	}
	w := prepare(idx, res)
	w.audit = landscape.NewAuditEntry(cs, st, res, now)
	if err := s.commit(ctx, w); err != nil {
		return nil, err
	}
	s.mu.Lock()
	idx.apply(w)
	s.mu.Unlock()
	return res, nil
}

// write is a Result made ready for disk and memory: deep copies with UTC
// timestamps, sorted by id, every edge id to delete (including the edges of
// deleted nodes), and the new edges grouped by node and sorted, so that
// little work is left for the time the index is write-locked.
type write struct {
	nodes        []*landscape.Node
	edges        []*landscape.Edge
	deletedNodes []string
	deletedEdges []string
	// outAdds and inAdds hold the edges new to the index per start and end
	// node, sorted by id; the other edges of edges replace stored ones.
	outAdds, inAdds map[string][]*landscape.Edge
	audit           *landscape.AuditEntry
}

// prepare runs in the writer, which alone changes the index, so it reads
// the index without lock.
func prepare(idx *index, res *landscape.Result) *write {
	w := &write{
		nodes:        make([]*landscape.Node, len(res.Nodes)),
		edges:        make([]*landscape.Edge, len(res.Edges)),
		deletedNodes: slices.Clone(res.DeletedNodes),
		outAdds:      map[string][]*landscape.Edge{},
		inAdds:       map[string][]*landscape.Edge{},
	}
	for i, n := range res.Nodes {
		n.CreatedAt, n.UpdatedAt = n.CreatedAt.UTC(), n.UpdatedAt.UTC()
		w.nodes[i] = cloneNode(n)
	}
	seen := make(map[string]bool, len(res.DeletedEdges))
	del := func(id string) {
		if !seen[id] {
			seen[id] = true
			w.deletedEdges = append(w.deletedEdges, id)
		}
	}
	for _, id := range res.DeletedEdges {
		del(id)
	}
	// DETACH DELETE: the edges of a deleted node go with it, also when the
	// changeset creates the node again (Result.Recreated). Edges the
	// changeset writes are put back after the deletions.
	for _, id := range slices.Concat(res.DeletedNodes, res.Recreated) {
		for _, dir := range []landscape.Direction{landscape.DirOut, landscape.DirIn} {
			for _, r := range idx.at(id, dir) {
				del(r.id)
			}
		}
	}
	for i, e := range res.Edges {
		e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
		w.edges[i] = cloneEdge(e)
	}
	landscape.SortEdges(w.edges)
	slices.SortFunc(w.nodes, func(a, b *landscape.Node) int { return strings.Compare(a.ID, b.ID) })
	// Grouped in id order, each group is sorted.
	for _, e := range w.edges {
		old := idx.edges[e.ID]
		if old != nil && !seen[e.ID] && old.from.n.ID == e.From && old.to.n.ID == e.To {
			continue // replaced in place
		}
		if old != nil { // deleted first; Resolve forbids moving an edge, but stay consistent anyway
			del(e.ID)
		}
		w.outAdds[e.From] = append(w.outAdds[e.From], e)
		w.inAdds[e.To] = append(w.inAdds[e.To], e)
	}
	slices.Sort(w.deletedNodes)
	slices.Sort(w.deletedEdges)
	return w
}

// commit writes w in one bbolt transaction and fsyncs it. Nothing is
// written when it fails.
func (s *Store) commit(ctx context.Context, w *write) error {
	nodeVals, err := marshalAll(w.nodes, func(n *landscape.Node) string { return n.ID })
	if err != nil {
		return err
	}
	edgeVals, err := marshalAll(w.edges, func(e *landscape.Edge) string { return e.ID })
	if err != nil {
		return err
	}
	auditVal, err := json.Marshal(w.audit)
	if err != nil {
		return landscape.Wrap(landscape.EInternal, err, "encoding the audit entry: %v", err)
	}
	if err := ctx.Err(); err != nil {
		return ctxError(err)
	}
	tx, err := s.db.Begin(true)
	if err != nil {
		return landscape.Wrap(landscape.EUnavailable, err, "writing to database file %s failed: %v", s.path, err)
	}
	defer tx.Rollback() // no-op after a successful commit
	nb, eb, ab := tx.Bucket(bucketNodes), tx.Bucket(bucketEdges), tx.Bucket(bucketAudit)
	if nb == nil || eb == nil || ab == nil {
		return landscape.Errorf(landscape.EInternal, "", "database file %s is damaged: a bucket is missing", s.path)
	}
	err = func() error {
		if w.audit != nil {
			if err := ab.Put([]byte(w.audit.ID), auditVal); err != nil {
				return err
			}
		}
		for _, id := range w.deletedEdges {
			if err := eb.Delete([]byte(id)); err != nil {
				return err
			}
		}
		for _, id := range w.deletedNodes {
			if err := nb.Delete([]byte(id)); err != nil {
				return err
			}
		}
		if err := putAll(nb, w.nodes, nodeVals, func(n *landscape.Node) string { return n.ID }); err != nil {
			return err
		}
		return putAll(eb, w.edges, edgeVals, func(e *landscape.Edge) string { return e.ID })
	}()
	if err == nil && s.beforeCommit != nil {
		err = s.beforeCommit(tx)
	}
	if err != nil {
		return landscape.Wrap(landscape.EUnavailable, err, "writing to database file %s failed, nothing was written: %v", s.path, err)
	}
	if err := ctx.Err(); err != nil {
		return ctxError(err) // the last point where the write can be given up
	}
	if err := tx.Commit(); err != nil {
		// bbolt rolls back; only a failed fsync of the meta page can leave
		// the outcome open, which the message must not hide.
		return landscape.Wrap(landscape.EUnavailable, err, "committing to database file %s failed: %v", s.path, err)
	}
	return nil
}

// putAll puts the values, whose keys are sorted. A batch that only appends
// to the bucket (the first load of a landscape, say) fills pages densely.
func putAll[T any](b *bolt.Bucket, items []*T, vals [][]byte, id func(*T) string) error {
	if len(items) == 0 {
		return nil
	}
	if len(items) >= 64 {
		last, _ := b.Cursor().Last()
		if last == nil || bytes.Compare([]byte(id(items[0])), last) > 0 {
			b.FillPercent = 0.95
		}
	}
	for i, it := range items {
		if err := b.Put([]byte(id(it)), vals[i]); err != nil {
			return err
		}
	}
	return nil
}

// marshalAll encodes items to JSON, in parallel for large batches.
func marshalAll[T any](items []*T, id func(*T) string) ([][]byte, error) {
	out := make([][]byte, len(items))
	workers := min(runtime.GOMAXPROCS(0), 1+len(items)/2048)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(items); i += workers {
				b, err := json.Marshal(items[i])
				if err != nil {
					errs[w] = landscape.Wrap(landscape.EInvalid, err, "%s cannot be stored: %v", id(items[i]), err)
					return
				}
				out[i] = b
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
