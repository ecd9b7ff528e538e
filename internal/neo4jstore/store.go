// Package neo4jstore is the landscape.Store over a Neo4j 5 server (5.26 and
// later; Community or Enterprise), for deployments where analysts open the
// same graph in Neo4j Browser or Bloom.
//
// # Graph model
//
// Every node carries the label of its kind (landscape.NodeKinds: Actor,
// Institution, Foundation, ...) and the shared label Entity, whose uniqueness
// constraint on id makes a lookup by id an index seek whatever the kind.
// Every edge is a relationship whose type is its kind (landscape.EdgeKinds:
// MEMBER_OF, COORDINATES, ...) from the node it starts at to the node it ends
// at; it carries its own properties, among them its id (unique per type by
// constraint; across types by Apply). Properties are named as in the domain's
// JSON (camelCase). An absent value is an absent property: no empty strings,
// no nulls, illustrative only when true. validFrom and validTo are Neo4j
// dates, createdAt and updatedAt datetimes in UTC with nanoseconds, aliases a
// list of strings, order/ageFrom/ageTo integers. The kind of a node is its
// label, the kind of an edge its type, the ends of an edge its start and end
// nodes: none of them is repeated as a property.
//
// Labels and relationship types are written into Cypher only after checking
// them against the allow-lists; every value is a query parameter.
//
// Migrate (run by Open) creates the schema: the uniqueness constraints on
// id, range indexes on the filter and sort keys of Entity (nodeIndexProps),
// and two full-text indexes: FulltextIndex (name, description and aliases,
// German analyzer) for the text search, and NameIndex (the words of the
// name, lowercased) from which a filter on a part of the name takes its
// candidates.
//
// # Transactions
//
// Reads run as managed read transactions (routed to readers in a cluster),
// writes as one managed write transaction per Apply. Apply locks the nodes
// and edges its changeset names before it reads them (the lost-update idiom
// of the Cypher manual: a no-op SET takes the write lock), resolves the
// changeset with landscape.Resolve and writes the result in UNWIND batches.
// A node or edge that another transaction creates meanwhile makes the write
// fail on a uniqueness constraint; Apply then resolves the changeset again
// against the new state, so the caller gets Resolve's answer (a CONFLICT
// naming the field, say) rather than a driver error.
//
// A changeset is one transaction however large, so its size is bounded by
// the memory the server allows a transaction (db.memory.transaction.max):
// roughly 10 KB per node and 7 KB per edge, measured on Neo4j 5.26. Beyond
// it Apply fails with an EInvalid error that says so, and writes nothing.
//
// # Reads
//
// Every read is one Cypher statement. QueryNodes translates the whole filter
// (see builder.filter), sorts the matches with ORDER BY and cuts the page out
// of the sorted matches with the positions of landscape.PageNodes, so that
// the total count and the page come from one consistent stream of matches
// even while other transactions commit (Neo4j reads committed data as it
// goes). Reads that follow relationships return an edge only when its ends
// can be found by id: when Neo4j applies a commit, it writes the records
// before it updates the indexes, and a reader that goes from the edges to
// the nodes would otherwise see half a changeset.
package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// Defaults of Config.
const (
	DefaultDatabase       = "neo4j"
	DefaultBatchSize      = 5000
	DefaultConnectTimeout = 2 * time.Minute
	DefaultApplyTimeout   = 10 * time.Minute
)

// Config configures Open.
type Config struct {
	// URI of the server: bolt://host:7687, neo4j://host:7687 (routing),
	// neo4j+s://... (TLS).
	URI string
	// User and Password; an empty User connects without authentication.
	User, Password string
	// Database is the database to use (default "neo4j").
	Database string
	// TxTimeout is the server-side timeout of a read transaction (0: the
	// server's db.transaction.timeout).
	TxTimeout time.Duration
	// ApplyTimeout is the server-side timeout of the write transaction of
	// Apply (0: DefaultApplyTimeout; negative: the server's default). Apply
	// writes some 5,000 edges a second on a small server.
	ApplyTimeout time.Duration
	// BatchSize is the number of rows Apply writes per UNWIND statement
	// (0: DefaultBatchSize).
	BatchSize int
	// ConnectTimeout bounds how long Open waits for the server to come up,
	// retrying with exponential backoff (0: DefaultConnectTimeout). The
	// context given to Open bounds it too.
	ConnectTimeout time.Duration
	// MaxRetryTime is how long a transaction that failed with a transient
	// error (e.g. a deadlock, a lost connection) is tried again: writes by
	// the driver, reads by the store (0: the driver's 30 s).
	MaxRetryTime time.Duration
	// Logger receives connection attempts, schema changes and the details
	// (Cypher text included) of failures; nil discards them.
	Logger *slog.Logger
}

var _ landscape.Store = (*Store)(nil)

// Store is the Neo4j store. It is safe for concurrent use.
type Store struct {
	driver neo4j.DriverWithContext
	cfg    Config
	log    *slog.Logger
	closed atomic.Bool
	// clock stamps createdAt/updatedAt (tests may replace it).
	clock func() time.Time
	// replanCypher is the statement replan runs (tests may replace it).
	replanCypher string
}

// Open connects to the server, waiting for it with retries and exponential
// backoff (bounded by ctx and cfg.ConnectTimeout) so that a server that starts
// after the application works, and runs Migrate. It fails with an
// EUnavailable error when the server cannot be reached in time, rejects the
// credentials or lacks the database.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.URI == "" {
		return nil, landscape.Errorf(landscape.EInvalid, "uri", "the URI of the Neo4j server is missing (e.g. bolt://localhost:7687)")
	}
	if cfg.Database == "" {
		cfg.Database = DefaultDatabase
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	if cfg.ApplyTimeout == 0 {
		cfg.ApplyTimeout = DefaultApplyTimeout
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	logger = logger.With("component", "neo4jstore")
	auth := neo4j.NoAuth()
	if cfg.User != "" {
		auth = neo4j.BasicAuth(cfg.User, cfg.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, auth, func(c *config.Config) {
		c.SocketConnectTimeout = 5 * time.Second
		c.ConnectionAcquisitionTimeout = time.Minute
		if cfg.MaxRetryTime > 0 {
			c.MaxTransactionRetryTime = cfg.MaxRetryTime
		}
		c.Log = driverLogger{logger}
	})
	if err != nil {
		return nil, landscape.Wrap(landscape.EInvalid, err, "cannot use the Neo4j URI %q: %v", cfg.URI, err)
	}
	s := &Store{driver: driver, cfg: cfg, log: logger, clock: time.Now, replanCypher: replanCypher}
	if err := s.connect(ctx); err != nil {
		s.closeDriver()
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.closeDriver()
		return nil, err
	}
	return s, nil
}

// connect waits until the server answers a query on the database. Each
// attempt is bounded, so that the driver's own retries do not swallow the
// backoff and its log lines.
func (s *Store) connect(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ConnectTimeout)
	defer cancel()
	start := time.Now()
	delay := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := s.tryConnect(ctx)
		if err == nil {
			s.log.Info("connected to Neo4j", "uri", s.cfg.URI, "database", s.cfg.Database, "attempts", attempt)
			return nil
		}
		if permanent(err) {
			s.log.Error("Neo4j refused the connection", "uri", s.cfg.URI, "database", s.cfg.Database, "err", err)
			return s.unavailable(err)
		}
		if ctx.Err() != nil || time.Until(deadline(ctx)) < delay {
			s.log.Error("Neo4j is unreachable; giving up", "uri", s.cfg.URI, "attempts", attempt,
				"waited", time.Since(start).Round(time.Millisecond), "err", err)
			return landscape.Wrap(landscape.EUnavailable, err, "Neo4j at %s is unreachable (%d attempts in %s): %s",
				s.cfg.URI, attempt, time.Since(start).Round(time.Millisecond), driverMessage(err))
		}
		s.log.Warn("Neo4j is not reachable yet; retrying", "uri", s.cfg.URI, "attempt", attempt, "retry_in", delay, "err", driverMessage(err))
		select {
		case <-ctx.Done():
		case <-time.After(delay):
		}
		delay = min(delay*2, 5*time.Second)
	}
}

// tryConnect makes one attempt (of at most 15 s): connect, then RETURN 1 on
// the database.
func (s *Store) tryConnect(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := s.driver.VerifyConnectivity(ctx); err != nil {
		return err
	}
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.cfg.Database, AccessMode: neo4j.AccessModeRead})
	defer sess.Close(context.WithoutCancel(ctx))
	res, err := sess.Run(ctx, "RETURN 1", nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	return err
}

func deadline(ctx context.Context) time.Time {
	d, ok := ctx.Deadline()
	if !ok {
		return time.Now().Add(time.Hour)
	}
	return d
}

// Ping checks in one attempt, without the driver's retries, that the server
// answers RETURN 1 on the database: nil, an ETimeout error when ctx ends
// first, otherwise an EUnavailable error.
func (s *Store) Ping(ctx context.Context) error {
	if s.closed.Load() {
		return errClosed()
	}
	err := s.tryConnect(ctx)
	if err == nil {
		return nil
	}
	err = s.mapErr(ctx, "ping", "RETURN 1", err)
	switch landscape.ErrorCode(err) {
	case landscape.EUnavailable, landscape.ETimeout:
		return err
	}
	return landscape.Wrap(landscape.EUnavailable, err, "Neo4j at %s does not answer: %s", s.cfg.URI, userMessage(err))
}

// Close closes the driver and its connections; it is idempotent.
// BatchWait is the default 2 ms: a round trip to Neo4j (a transaction over
// Bolt) costs milliseconds, more than waiting for a level's keys.
func (s *Store) BatchWait() time.Duration { return 2 * time.Millisecond }

func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	return s.closeDriver()
}

func (s *Store) closeDriver() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.driver.Close(ctx); err != nil {
		s.log.Warn("closing the Neo4j driver", "err", err)
		return landscape.Wrap(landscape.EInternal, err, "closing the connection to Neo4j at %s: %v", s.cfg.URI, err)
	}
	return nil
}

func errClosed() error { return landscape.Errorf(landscape.EUnavailable, "", "the store is closed") }

// ---------------------------------------------------------------------------
// Transactions.

// stmt runs the statements of one transaction function and remembers the
// last Cypher text, so that a failure is logged with it (but never shown to
// the user).
type stmt struct{ cypher string }

// runner runs a statement: a managed transaction, or a read's autoCommit.
type runner interface {
	Run(ctx context.Context, cypher string, params map[string]any) (neo4j.ResultWithContext, error)
}

// collect runs cypher and reads all its records inside the transaction.
func (q *stmt) collect(ctx context.Context, tx runner, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	q.cypher = cypher
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, tooLarge(err)
	}
	recs, err := res.Collect(ctx)
	return recs, tooLarge(err)
}

// errTooLarge is a transaction that ran out of the memory one transaction
// may use (db.memory.transaction.max). Neo4j calls that a transient error,
// but running the same transaction again fails the same way, so errTooLarge
// hides the Neo4jError from the driver's retry (it has no Unwrap).
type errTooLarge struct{ err error }

func (e *errTooLarge) Error() string { return e.err.Error() }

func tooLarge(err error) error {
	if isTooLarge(err) {
		return &errTooLarge{err}
	}
	return err
}

// isTooLarge reports whether err is (or, after the driver's retries, ended
// with) a transaction over db.memory.transaction.max. The commit can fail so
// too, out of reach of tooLarge.
func isTooLarge(err error) bool {
	var big *errTooLarge
	if errors.As(err, &big) {
		return true
	}
	ne := neo4jError(err)
	return ne != nil && ne.Code == codeOutOfMemory && strings.Contains(ne.Msg, "db.memory.transaction.max")
}

// single runs cypher and returns its one record.
func (q *stmt) single(ctx context.Context, tx runner, cypher string, params map[string]any) (*neo4j.Record, error) {
	recs, err := q.collect(ctx, tx, cypher, params)
	if err != nil {
		return nil, err
	}
	if len(recs) != 1 {
		return nil, fmt.Errorf("the statement returned %d records, want 1", len(recs))
	}
	return recs[0], nil
}

type work func(tx neo4j.ManagedTransaction, q *stmt) (any, error)

// readWork runs the statements of a read (one; two for Edges by many ids)
// through tx and decodes what they return.
type readWork func(tx runner, q *stmt) (any, error)

// Pauses between the attempts of a read, as the driver makes them between
// those of a transaction function: doubling, with a fifth of jitter.
// After a dead connection (Neo4j restarted: the pool's idle connections
// are gone), the next attempt follows at once, for at most as many attempts
// as the pool holds connections. defaultMaxRetryTime is the driver's
// MaxTransactionRetryTime.
const (
	firstReadRetryPause = time.Second
	readRetryJitter     = 0.2
	maxDeadConnections  = 100 // the driver's MaxConnectionPoolSize
	defaultMaxRetryTime = 30 * time.Second
)

// read runs fn, each of whose statements is a transaction of its own (an
// auto-commit transaction: no BEGIN and COMMIT messages around it, which
// saves a read about a third of a millisecond and Neo4j the work of an
// explicit transaction), and maps its error. A read sees no less than in
// one explicit transaction: Neo4j reads at read-committed isolation, so a
// second statement sees the commits made after the first either way. The
// driver retries only transaction functions, so read retries fn as they
// are retried: while the error is retryable and MaxRetryTime has not
// passed, at once after a dead connection, else after a growing pause.
func (s *Store) read(ctx context.Context, op string, fn readWork) (any, error) {
	if s.closed.Load() {
		return nil, errClosed()
	}
	opts := txOptions(op, s.cfg.TxTimeout)
	maxRetry := s.cfg.MaxRetryTime
	if maxRetry <= 0 {
		maxRetry = defaultMaxRetryTime
	}
	start, pause, dead := time.Now(), firstReadRetryPause, 0
	for {
		q := &stmt{}
		v, err := s.readOnce(ctx, fn, q, opts)
		if err == nil {
			return v, nil
		}
		if !neo4j.IsRetryable(err) || ctx.Err() != nil || time.Since(start) > maxRetry {
			return nil, s.mapErr(ctx, op, q.cypher, err)
		}
		if isConnectivity(err) && dead < maxDeadConnections {
			dead++
			continue
		}
		wait := time.Duration(float64(pause) * (1 - readRetryJitter + 2*readRetryJitter*rand.Float64()))
		select {
		case <-ctx.Done():
			return nil, s.mapErr(ctx, op, q.cypher, err)
		case <-time.After(wait):
		}
		pause *= 2
	}
}

// readOnce makes one attempt of read in a session of its own.
func (s *Store) readOnce(ctx context.Context, fn readWork, q *stmt, opts []func(*neo4j.TransactionConfig)) (any, error) {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.cfg.Database, AccessMode: neo4j.AccessModeRead})
	defer sess.Close(context.WithoutCancel(ctx))
	return fn(&autoCommit{sess: sess, opts: opts}, q)
}

// autoCommit runs each statement as an auto-commit transaction of its
// session (the caller reads a result before it runs the next).
type autoCommit struct {
	sess neo4j.SessionWithContext
	opts []func(*neo4j.TransactionConfig)
}

func (a *autoCommit) Run(ctx context.Context, cypher string, params map[string]any) (neo4j.ResultWithContext, error) {
	return a.sess.Run(ctx, cypher, params, a.opts...)
}

// writeTx runs fn in a managed write transaction, which the driver retries,
// and maps its error.
func (s *Store) writeTx(ctx context.Context, op string, timeout time.Duration, fn work) (any, error) {
	if s.closed.Load() {
		return nil, errClosed()
	}
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.cfg.Database, AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(context.WithoutCancel(ctx))
	q := &stmt{}
	v, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) { return fn(tx, q) }, txOptions(op, timeout)...)
	if err != nil {
		return nil, s.mapErr(ctx, op, q.cypher, err)
	}
	return v, nil
}

// txOptions names the operation in the transaction's metadata (seen in
// SHOW TRANSACTIONS and the query log) and sets its timeout (0: Neo4j's).
func txOptions(op string, timeout time.Duration) []func(*neo4j.TransactionConfig) {
	opts := []func(*neo4j.TransactionConfig){neo4j.WithTxMetadata(map[string]any{"app": "bildungsgraph", "op": op})}
	if timeout > 0 {
		opts = append(opts, neo4j.WithTxTimeout(timeout))
	}
	return opts
}

// ---------------------------------------------------------------------------
// Errors.

// Neo4j status codes the store maps.
const (
	codeConstraint        = "Neo.ClientError.Schema.ConstraintValidationFailed"
	codeTimedOut          = "Neo.ClientError.Transaction.TransactionTimedOut"
	codeTimedOutClient    = "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"
	codeDatabaseNotFound  = "Neo.ClientError.Database.DatabaseNotFound"
	codeEntityNotFound    = "Neo.ClientError.Statement.EntityNotFound"
	codeLockClientStopped = "Neo.ClientError.Transaction.LockClientStopped"
	codeTerminated        = "Neo.ClientError.Transaction.Terminated"
	codeOutOfMemory       = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
)

func neo4jError(err error) *neo4j.Neo4jError {
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) {
		return ne
	}
	if lim, ok := errors.AsType[*neo4j.TransactionExecutionLimit](err); ok && len(lim.Errors) > 0 {
		return neo4jError(lim.Errors[len(lim.Errors)-1])
	}
	return nil
}

func hasCode(err error, codes ...string) bool {
	ne := neo4jError(err)
	if ne == nil {
		return false
	}
	for _, c := range codes {
		if ne.Code == c {
			return true
		}
	}
	return false
}

// permanent reports whether a connection failure will not go away by
// waiting: rejected credentials, a missing database, a misuse of the driver.
func permanent(err error) bool {
	if ne := neo4jError(err); ne != nil {
		return ne.HasSecurityCode() || ne.Code == codeDatabaseNotFound
	}
	var auth *neo4j.InvalidAuthenticationError
	var usage *neo4j.UsageError
	return errors.As(err, &auth) || errors.As(err, &usage)
}

// unavailable maps a failure to reach the server to an EUnavailable error.
func (s *Store) unavailable(err error) error {
	ne := neo4jError(err)
	switch {
	case ne != nil && ne.HasSecurityCode():
		return landscape.Wrap(landscape.EUnavailable, err, "Neo4j at %s refused the credentials of user %q: %s", s.cfg.URI, s.cfg.User, ne.Msg)
	case ne != nil && ne.Code == codeDatabaseNotFound:
		return landscape.Wrap(landscape.EUnavailable, err, "Neo4j at %s has no database %q", s.cfg.URI, s.cfg.Database)
	}
	return landscape.Wrap(landscape.EUnavailable, err, "Neo4j at %s is unreachable: %s", s.cfg.URI, driverMessage(err))
}

// mapErr turns an error of a transaction into a domain error, logging the
// details (the Cypher text included) that the user does not see. Domain
// errors (those of Resolve) pass unchanged.
func (s *Store) mapErr(ctx context.Context, op, cypher string, err error) error {
	if err == nil || landscape.AsError(err) != nil {
		return err
	}
	ne := neo4jError(err)
	code := ""
	if ne != nil {
		code = ne.Code
	}
	var out *landscape.Error
	var conc *errConcurrent
	switch {
	case s.closed.Load():
		out = landscape.Wrap(landscape.EUnavailable, err, "the store is closed")
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		out = landscape.Wrap(landscape.ETimeout, err, "%s: the operation ran past its deadline", op)
	case errors.Is(err, context.Canceled) || errors.Is(ctx.Err(), context.Canceled):
		out = landscape.Wrap(landscape.EUnavailable, err, "%s: the operation was cancelled", op)
	case code == codeTimedOut || code == codeTimedOutClient:
		out = landscape.Wrap(landscape.ETimeout, err, "%s: the Neo4j transaction ran past its timeout", op)
	case code == codeConstraint || code == codeEntityNotFound || errors.As(err, &conc):
		out = landscape.Wrap(landscape.EConflict, err, "%s: a concurrent change won; try again", op)
	case isTooLarge(err):
		out = landscape.Wrap(landscape.EInvalid, err, "%s: too large for one Neo4j transaction: it needs more memory than the server "+
			"allows a transaction (db.memory.transaction.max); write it in parts or raise the limit", op)
	case code == codeTerminated || code == codeLockClientStopped:
		out = landscape.Wrap(landscape.EUnavailable, err, "%s: Neo4j terminated the transaction; try again", op)
	case ne != nil && (ne.HasSecurityCode() || code == codeDatabaseNotFound):
		out = s.unavailable(err).(*landscape.Error)
	case neo4j.IsRetryable(err) || isConnectivity(err) || ne != nil && ne.IsRetriable():
		out = landscape.Wrap(landscape.EUnavailable, err, "%s: Neo4j at %s is unavailable: %s", op, s.cfg.URI, driverMessage(err))
	default:
		out = landscape.Wrap(landscape.EInternal, err, "%s failed in Neo4j; the details are in the server log", op)
	}
	level := slog.LevelWarn
	if out.Code == landscape.EInternal {
		level = slog.LevelError
	}
	s.log.Log(ctx, level, "Neo4j operation failed", "op", op, "code", out.Code, "neo4j_code", code, "err", err, "cypher", cypher)
	return out
}

func isConnectivity(err error) bool {
	var ce *neo4j.ConnectivityError
	if errors.As(err, &ce) {
		return true
	}
	if lim, ok := errors.AsType[*neo4j.TransactionExecutionLimit](err); ok && len(lim.Errors) > 0 {
		return isConnectivity(lim.Errors[len(lim.Errors)-1])
	}
	return false
}

// driverMessage is the text of a connection error without Cypher: a
// Neo4jError's message may quote the statement, the others do not.
func driverMessage(err error) string {
	if ne := neo4jError(err); ne != nil {
		return ne.Code
	}
	return err.Error()
}

// userMessage is the text of err fit for the user.
func userMessage(err error) string {
	if e := landscape.AsError(err); e != nil {
		return e.Error()
	}
	return driverMessage(err)
}

// driverLogger passes the driver's errors and warnings to slog at the debug
// level: they are mostly about connections it retries, and the store logs
// the failures that reach it.
type driverLogger struct{ log *slog.Logger }

func (l driverLogger) Error(name, id string, err error) {
	l.log.Debug("neo4j driver: "+name, "id", id, "err", err)
}

func (l driverLogger) Warnf(name, id, msg string, args ...any) {
	l.log.Debug("neo4j driver: "+name+": "+strings.TrimSpace(fmt.Sprintf(msg, args...)), "id", id)
}

func (l driverLogger) Infof(string, string, string, ...any)  {}
func (l driverLogger) Debugf(string, string, string, ...any) {}
