package transport

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/roadcheck/roadcheck/service"
)

// TokenEntry is one line of the token file: the token itself is never stored, only its SHA-256.
type TokenEntry struct {
	Name   string       `json:"name"`
	Role   service.Role `json:"role"`
	SHA256 string       `json:"sha256"`
	// Rate (requests a second) and Burst are the token's optional quota over every
	// authenticated endpoint; unset (0) is no quota. Burst defaults to max(1, 2 × Rate).
	Rate  float64 `json:"rate,omitempty"`
	Burst int     `json:"burst,omitempty"`
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
	quota  *rate.Limiter // nil: none
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
		if e.Rate < 0 || e.Burst < 0 || math.IsNaN(e.Rate) || math.IsInf(e.Rate, 0) || (e.Burst > 0 && e.Rate == 0) {
			return nil, fmt.Errorf("tokens: entry %q: rate must be a positive number of requests a second, burst a positive whole number (with a rate)", e.Name)
		}
		if e.Rate > 0 {
			burst := e.Burst
			if burst == 0 {
				burst = max(1, int(math.Ceil(2*e.Rate)))
			}
			h.quota = rate.NewLimiter(rate.Limit(e.Rate), burst)
		}
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
	e, ok := t.authenticate(token)
	return e.caller, ok
}

func (t *Tokens) authenticate(token string) (tokenHash, bool) {
	sum := sha256.Sum256([]byte(token))
	var found tokenHash
	ok := 0
	for _, e := range t.entries {
		match := subtle.ConstantTimeCompare(sum[:], e.sum[:])
		if match == 1 {
			found = e
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
		entry, ok := tokens.authenticate(token)
		caller := entry.caller
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
		if entry.quota != nil {
			if wait, ok := take(entry.quota, time.Now()); !ok {
				e := rateLimited(wait)
				setRetryAfter(w, e)
				writeError(w, e.err)
				return
			}
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
