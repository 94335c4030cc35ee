package transport

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/roadcheck/roadcheck/service"
)

// TokenEntry is one line of the token file: the token itself is never stored, only its SHA-256.
type TokenEntry struct {
	Name   string       `json:"name"`
	Role   service.Role `json:"role"`
	SHA256 string       `json:"sha256"`
}

// TokenFile is the --tokens file format.
type TokenFile struct {
	Tokens []TokenEntry `json:"tokens"`
}

// Tokens authenticates bearer tokens against the hashes of a token file.
type Tokens struct {
	entries []tokenHash
}

type tokenHash struct {
	caller service.Caller
	sum    [sha256.Size]byte
}

// ParseTokens validates a token file.
func ParseTokens(b []byte) (*Tokens, error) {
	var f TokenFile
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	t := &Tokens{}
	names := map[string]bool{}
	for i, e := range f.Tokens {
		if e.Name == "" || names[e.Name] {
			return nil, fmt.Errorf("tokens: entry %d: name is empty or repeated", i)
		}
		names[e.Name] = true
		if !e.Role.Valid() {
			return nil, fmt.Errorf("tokens: entry %q: role %q is not portal, reviewer or admin", e.Name, e.Role)
		}
		raw, err := hex.DecodeString(e.SHA256)
		if err != nil || len(raw) != sha256.Size {
			return nil, fmt.Errorf("tokens: entry %q: sha256 must be 64 hex digits", e.Name)
		}
		var h tokenHash
		h.caller = service.Caller{Name: e.Name, Role: e.Role}
		copy(h.sum[:], raw)
		t.entries = append(t.entries, h)
	}
	if len(t.entries) == 0 {
		return nil, errors.New("tokens: the file has no tokens")
	}
	return t, nil
}

// LoadTokens reads and validates a token file.
func LoadTokens(path string) (*Tokens, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseTokens(b)
}

// Authenticate returns the caller a token belongs to. Every entry is compared, in constant
// time, so the time taken does not tell which entry (or how much of one) matched.
func (t *Tokens) Authenticate(token string) (service.Caller, bool) {
	sum := sha256.Sum256([]byte(token))
	var found service.Caller
	ok := 0
	for _, e := range t.entries {
		match := subtle.ConstantTimeCompare(sum[:], e.sum[:])
		if match == 1 {
			found = e.caller
		}
		ok |= match
	}
	return found, ok == 1
}

// NewToken returns a random 256-bit token, hex encoded, and its file entry.
func NewToken(name string, role service.Role) (string, TokenEntry, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", TokenEntry{}, err
	}
	token := "rc_" + hex.EncodeToString(b[:])
	sum := sha256.Sum256([]byte(token))
	return token, TokenEntry{Name: name, Role: role, SHA256: hex.EncodeToString(sum[:])}, nil
}

var (
	errUnauthenticated = &service.Error{Code: service.CodeUnauthenticated,
		MessageEN: "a valid bearer token is required", Message: "需要有效的访问令牌（Authorization: Bearer …）"}
	errForbidden = &service.Error{Code: service.CodeForbidden,
		MessageEN: "this token's role may not call this endpoint", Message: "当前令牌的角色无权调用此接口"}
)

// requireRole authenticates the request and admits it when the caller's role is one of roles
// (admin is always admitted).
func requireRole(tokens *Tokens, roles []service.Role, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearer(r.Header.Get("Authorization"))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="roadcheck"`)
			writeError(w, errUnauthenticated)
			return
		}
		caller, ok := tokens.Authenticate(token)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="roadcheck", error="invalid_token"`)
			writeError(w, errUnauthenticated)
			return
		}
		noteCaller(r, caller.Name)
		if !admits(roles, caller.Role) {
			writeError(w, errForbidden)
			return
		}
		next.ServeHTTP(w, r.WithContext(service.WithCaller(r.Context(), caller)))
	})
}

func admits(roles []service.Role, role service.Role) bool {
	if role == service.RoleAdmin {
		return true
	}
	for _, r := range roles {
		if r == role {
			return true
		}
	}
	return false
}

func bearer(header string) (string, bool) {
	const prefix = "bearer "
	if len(header) <= len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return "", false
	}
	token := strings.TrimSpace(header[len(prefix):])
	return token, token != ""
}
