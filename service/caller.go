package service

import "context"

// Role is what an authenticated caller may do.
type Role string

// Roles of the API contract. Admin may also do what portals and reviewers do.
const (
	RolePortal   Role = "portal"
	RoleReviewer Role = "reviewer"
	RoleAdmin    Role = "admin"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return r == RolePortal || r == RoleReviewer || r == RoleAdmin }

// Caller is the authenticated client of a request: a portal, a reviewer or an administrator.
type Caller struct {
	Name string
	Role Role
}

type callerKey struct{}

// WithCaller returns ctx carrying the caller.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller of ctx, if any.
func CallerFrom(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(Caller)
	return c, ok
}
