package transport

import (
	"testing"

	"github.com/roadcheck/roadcheck/service"
)

func TestParseTokensRejects(t *testing.T) {
	const h = "0000000000000000000000000000000000000000000000000000000000000000"
	bad := map[string]string{
		"not JSON":      `{`,
		"no tokens":     `{"tokens":[]}`,
		"unknown role":  `{"tokens":[{"name":"a","role":"root","sha256":"` + h + `"}]}`,
		"short hash":    `{"tokens":[{"name":"a","role":"portal","sha256":"abcd"}]}`,
		"no name":       `{"tokens":[{"role":"portal","sha256":"` + h + `"}]}`,
		"repeated name": `{"tokens":[{"name":"a","role":"portal","sha256":"` + h + `"},{"name":"a","role":"admin","sha256":"` + h + `"}]}`,
		"unknown field": `{"tokens":[{"name":"a","role":"portal","sha256":"` + h + `","token":"x"}]}`,
	}
	for name, b := range bad {
		if _, err := ParseTokens([]byte(b)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestAuthenticate(t *testing.T) {
	tt := newTestTokens(t)
	if c, ok := tt.tokens.Authenticate(tt.reviewer); !ok || c.Role != service.RoleReviewer || c.Name != "test-reviewer" {
		t.Errorf("reviewer token: %+v %v", c, ok)
	}
	for _, bad := range []string{"", tt.portal[:len(tt.portal)-1], tt.portal + "0", "Bearer " + tt.portal} {
		if c, ok := tt.tokens.Authenticate(bad); ok {
			t.Errorf("token %q authenticated as %+v", bad, c)
		}
	}
}

func TestBearer(t *testing.T) {
	for h, want := range map[string]string{"Bearer abc": "abc", "bearer  abc ": "abc", "Basic abc": "", "Bearer ": "", "": ""} {
		got, ok := bearer(h)
		if got != want || ok != (want != "") {
			t.Errorf("bearer(%q) = %q, %v", h, got, ok)
		}
	}
}

func FuzzParseTokens(f *testing.F) {
	f.Add([]byte(`{"tokens":[{"name":"a","role":"portal","sha256":"0000000000000000000000000000000000000000000000000000000000000000"}]}`))
	f.Add([]byte(`{"tokens":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tok, err := ParseTokens(b)
		if err == nil && len(tok.entries) == 0 {
			t.Fatal("accepted a token file with no tokens")
		}
	})
}
