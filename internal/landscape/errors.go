package landscape

import (
	"errors"
	"fmt"
	"strings"
)

// Code is the kind of an error. Transports map codes to their own vocabulary
// (GraphQL extensions.code, HTTP status) in one table each.
type Code string

// The error codes.
const (
	EInvalid     Code = "INVALID"      // the input breaks a rule; Field names where
	ENotFound    Code = "NOT_FOUND"    // a referenced node or edge does not exist
	EConflict    Code = "CONFLICT"     // the id exists already, or a concurrent change won
	EUnavailable Code = "UNAVAILABLE"  // the store cannot be reached right now; try again
	ETimeout     Code = "TIMEOUT"      // the operation ran past its deadline
	EForbidden   Code = "FORBIDDEN"    // the caller may not do this
	EUnauth      Code = "UNAUTHORIZED" // the caller is not authenticated
	EInternal    Code = "INTERNAL"     // a bug or an unexpected failure; details are logged, not shown
)

// Error is a domain error: a code, the place it concerns (a field path such as
// "nodes[3].validTo" or "edge lk-os>member_of>kg-bildung"), a message meant for
// the user and, optionally, the wrapped cause and further problems found in
// the same input.
type Error struct {
	Code    Code
	Field   string
	Message string
	// Problems holds every problem when one input had several (validation of
	// a whole changeset reports them all at once).
	Problems []*Error
	Err      error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	if e.Err != nil && e.Message == "" {
		b.WriteString(e.Err.Error())
	}
	if n := len(e.Problems); n > 1 {
		fmt.Fprintf(&b, " (and %d more problems)", n-1)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an error of the given code about field.
func Errorf(code Code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an error of the given code that wraps err with a message.
func Wrap(code Code, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// ErrorCode returns the code of err: the code of the first *Error in its
// chain, EInternal for any other non-nil error, "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// AsError returns the first *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// problems collects validation problems and turns them into one error.
type problems []*Error

func (p *problems) add(field, format string, args ...any) {
	*p = append(*p, Errorf(EInvalid, field, format, args...))
}

func (p *problems) addErr(e *Error) { *p = append(*p, e) }

// err returns nil when there are no problems, the problem itself when there is
// one, and otherwise the first problem carrying all of them.
func (p problems) err() error {
	switch len(p) {
	case 0:
		return nil
	case 1:
		return p[0]
	}
	first := *p[0]
	first.Problems = p
	return &first
}
