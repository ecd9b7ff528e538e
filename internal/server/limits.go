package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bildungsgraph/bildungsgraph/internal/landscape"
)

// The limits of the GraphQL endpoint when none are configured. In Config, 0
// means the default and a negative value switches a limit off (the page size
// cannot be switched off: the stores refuse pages above
// landscape.MaxPageSize).
const (
	// DefaultMaxDepth is the deepest nesting of fields a query may have.
	// The deepest query of the explorer and the GraphiQL examples has depth
	// 6 (TestClientQueriesFitTheDefaultLimits).
	DefaultMaxDepth = 12
	// DefaultComplexityLimit is the complexity limit (gqlgen's measure:
	// one per field selected).
	DefaultComplexityLimit = 5000
	// DefaultMaxBodyBytes is the largest request body /graphql reads.
	DefaultMaxBodyBytes = 1 << 20
	// DefaultRequestTimeout is how long a request may take; store calls get
	// the deadline through the context.
	DefaultRequestTimeout = 30 * time.Second
)

// CodeLimitExceeded is the extensions.code of requests refused for
// exceeding a limit; extensions.limit names which (depth, complexity,
// bodySize), extensions.max the limit and extensions.actual, where known, the
// request's value.
const CodeLimitExceeded = "LIMIT_EXCEEDED"

// limitError is a GraphQL error about a limit.
func limitError(limit string, max, actual int64, format string, args ...any) *gqlerror.Error {
	ext := map[string]any{"code": CodeLimitExceeded, "limit": limit, "max": max}
	if actual >= 0 {
		ext["actual"] = actual
	}
	return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: ext}
}

// depthLimit refuses operations whose fields nest deeper than max. gqlgen
// has no depth limit of its own and no maintained Go library provides one
// for it, so this walks the validated operation: fields count one level,
// inline fragments and fragment spreads none (a fragment's depth is computed
// once per operation), introspection fields (__schema, __type, __typename)
// are left out — the introspection switch governs them, and the complexity
// limit bounds them like every other field.
type depthLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                          { return "DepthLimit" }
func (depthLimit) Validate(schema graphql.ExecutableSchema) error { return nil }

func (d depthLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if opCtx.Operation == nil {
		return nil
	}
	w := depthWalker{doc: opCtx.Doc, memo: map[string]int{}}
	if depth := w.depth(opCtx.Operation.SelectionSet); depth > d.max {
		return limitError("depth", int64(d.max), int64(depth), "query depth %d exceeds the limit of %d", depth, d.max)
	}
	return nil
}

type depthWalker struct {
	doc  *ast.QueryDocument
	memo map[string]int // fragment name → depth of its selection set; -1 while being walked
}

// depth returns how deep the fields of set nest (0 for an empty set).
func (w depthWalker) depth(set ast.SelectionSet) int {
	deepest := 0
	for _, sel := range set {
		d := 0
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue
			}
			d = 1 + w.depth(s.SelectionSet)
		case *ast.InlineFragment:
			d = w.depth(s.SelectionSet)
		case *ast.FragmentSpread:
			d = w.fragment(s)
		}
		deepest = max(deepest, d)
	}
	return deepest
}

func (w depthWalker) fragment(s *ast.FragmentSpread) int {
	if d, ok := w.memo[s.Name]; ok {
		return max(d, 0) // a cycle (validation refuses those) counts nothing
	}
	def := s.Definition
	if def == nil && w.doc != nil {
		def = w.doc.Fragments.ForName(s.Name)
	}
	if def == nil {
		return 0
	}
	w.memo[s.Name] = -1
	d := w.depth(def.SelectionSet)
	w.memo[s.Name] = d
	return d
}

// noIntrospection refuses operations selecting __schema or __type when
// introspection is switched off, as a validation error before execution.
// (Without it, gqlgen's resolvers fail with a plain error, which the error
// presenter can only treat as internal.)
type noIntrospection struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = noIntrospection{}

func (noIntrospection) ExtensionName() string                          { return "NoIntrospection" }
func (noIntrospection) Validate(schema graphql.ExecutableSchema) error { return nil }

func (noIntrospection) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if opCtx.Operation == nil {
		return nil
	}
	if field := introspectionField(opCtx.Doc, opCtx.Operation.SelectionSet, map[string]bool{}); field != "" {
		return &gqlerror.Error{
			Message:    fmt.Sprintf("introspection is switched off on this server; the query selects %s", field),
			Extensions: map[string]any{"code": errcode.ValidationFailed},
		}
	}
	return nil
}

// introspectionField returns __schema or __type when a root field of set
// (through fragments) is one, else "".
func introspectionField(doc *ast.QueryDocument, set ast.SelectionSet, seen map[string]bool) string {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				return s.Name
			}
		case *ast.InlineFragment:
			if f := introspectionField(doc, s.SelectionSet, seen); f != "" {
				return f
			}
		case *ast.FragmentSpread:
			def := s.Definition
			if def == nil && doc != nil {
				def = doc.Fragments.ForName(s.Name)
			}
			if def == nil || seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			if f := introspectionField(doc, def.SelectionSet, seen); f != "" {
				return f
			}
		}
	}
	return ""
}

// gqlgen's code for its complexity limit (extension.FixedComplexityLimit,
// whose message names the limit and the complexity: "operation has
// complexity 5012, which exceeds the limit of 5000"), which we present as
// LIMIT_EXCEEDED.
const gqlgenComplexityCode = "COMPLEXITY_LIMIT_EXCEEDED"

// presentLimit gives gqlgen's complexity error our code and the numbers.
func presentLimit(ctx context.Context, e *gqlerror.Error) bool {
	if code, _ := e.Extensions["code"].(string); code != gqlgenComplexityCode {
		return false
	}
	ext := map[string]any{"code": CodeLimitExceeded, "limit": "complexity"}
	if !graphql.HasOperationContext(ctx) {
		e.Extensions = ext
		return true
	}
	if st := extension.GetComplexityStats(ctx); st != nil {
		ext["max"], ext["actual"] = st.ComplexityLimit, st.Complexity
	}
	e.Extensions = ext
	return true
}

// pageSizeArgs are the arguments that size a page or a result.
var pageSizeArgs = [...]string{"first", "last", "maxNodes"}

// pageSizeLimit refuses page sizes above max, which is below the domain's
// landscape.MaxPageSize (the domain refuses larger pages itself, with the
// same message).
func pageSizeLimit(max int) graphql.FieldMiddleware {
	return func(ctx context.Context, next graphql.Resolver) (any, error) {
		if fc := graphql.GetFieldContext(ctx); fc != nil && fc.Args != nil {
			for _, name := range pageSizeArgs {
				if v, ok := fc.Args[name].(*int); ok && v != nil && *v > max {
					return nil, landscape.Errorf(landscape.EInvalid, name, "must be between 0 and %d, not %d", max, *v)
				}
			}
		}
		return next(ctx)
	}
}

// timeoutCause is the cause of a context cancelled by withTimeout: it names
// the limit.
type timeoutCause struct{ limit time.Duration }

func (e *timeoutCause) Error() string {
	return fmt.Sprintf("the request exceeded the time limit of %s", e.limit)
}

// withTimeout gives each request a deadline d from now (none when d <= 0).
// The store calls get it through the context; the error presenter and the
// export handler name the limit when it struck.
func withTimeout(d time.Duration, next http.Handler) http.Handler {
	if d <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeoutCause(r.Context(), d, &timeoutCause{limit: d})
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// timedOut returns the message naming the time limit when ctx ran past the
// deadline withTimeout set.
func timedOut(ctx context.Context) (string, bool) {
	var tc *timeoutCause
	if errors.As(context.Cause(ctx), &tc) {
		return tc.Error(), true
	}
	return "", false
}
