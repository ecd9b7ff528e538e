package landscape

import (
	"context"
	"strings"
)

// Role is what an authenticated caller may do. The zero Role is the
// anonymous caller.
type Role string

// The roles, in increasing power: an editor may do what a reader may.
const (
	RoleAnonymous Role = ""
	// RoleReader reads everything, contact data included.
	RoleReader Role = "READER"
	// RoleEditor also writes; every write is recorded in the audit log.
	RoleEditor Role = "EDITOR"
)

// Roles lists the roles a credential can carry.
var Roles = []Role{RoleReader, RoleEditor}

// ParseRole returns the role named s (case-insensitive as written in
// configuration: "reader", "EDITOR").
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if strings.EqualFold(string(r), strings.TrimSpace(s)) {
			return r, nil
		}
	}
	return "", Errorf(EInvalid, "role", "unknown role %q; one of reader, editor", s)
}

func (r Role) rank() int {
	switch r {
	case RoleReader:
		return 1
	case RoleEditor:
		return 2
	}
	return 0
}

// Principal is who makes a request: the name of a credential (an office,
// a frontend, "Bildungsbüro Nord") and its role. The zero Principal is the
// anonymous caller.
type Principal struct {
	Name string
	Role Role
}

// Anonymous is the caller without credentials.
var Anonymous = Principal{}

// Authenticated reports whether the caller presented valid credentials.
func (p Principal) Authenticated() bool { return p.Role.rank() > 0 }

// Has reports whether p may act in role r.
func (p Principal) Has(r Role) bool { return p.Role.rank() >= r.rank() }

// SeesContacts reports whether p may read contact data (personal data under
// the GDPR): authenticated readers only.
func (p Principal) SeesContacts() bool { return p.Authenticated() }

// Require returns nil when p may act in role r, otherwise an UNAUTHORIZED
// error for the anonymous caller and a FORBIDDEN one for a caller whose role
// is too weak. what names the action for the message.
func (p Principal) Require(r Role, what string) error {
	switch {
	case p.Has(r):
		return nil
	case !p.Authenticated():
		return Errorf(EUnauth, "", "%s needs an authenticated caller with role %s: send an API key as \"Authorization: Bearer <key>\"", what, r)
	}
	return Errorf(EForbidden, "", "%s needs role %s; the key %q has role %s", what, r, p.Name, p.Role)
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal ctx carries, or Anonymous.
func PrincipalFrom(ctx context.Context) Principal {
	p, _ := ctx.Value(principalKey{}).(Principal)
	return p
}
