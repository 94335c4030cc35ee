package policies

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// sameInput fails unless the converter gives for m what ast.InterfaceToValue gives: an equal
// value written the same way, or an error where it errs.
func sameInput(t *testing.T, c inputConverter, m map[string]any) {
	t.Helper()
	want, werr := ast.InterfaceToValue(m)
	got, gerr := c.object(m)
	if (werr != nil) != (gerr != nil) {
		t.Fatalf("InterfaceToValue: %v; converter: %v", werr, gerr)
	}
	if werr != nil {
		return
	}
	if ast.Compare(want, got) != 0 || want.String() != got.String() {
		t.Fatalf("converter gives %v, InterfaceToValue %v", got, want)
	}
	// Equal values have equal hashes; a term reused wrongly would show as a different hash.
	if want.Hash() != got.Hash() {
		t.Fatalf("hash %d, InterfaceToValue's %d", got.Hash(), want.Hash())
	}
}

func TestInputIsInterfaceToValue(t *testing.T) {
	e := builtinEngine(t)
	for _, s := range e.Samples() {
		sameInput(t, e.input, s.Input)
	}
	rng := rand.New(rand.NewPCG(5, 2026))
	samples, items := e.Samples(), e.ItemCodes()
	for range 1000 {
		m := deepCopy(samples[rng.IntN(len(samples))].Input)
		for range 1 + rng.IntN(3) {
			mutate(rng, m, items)
		}
		sameInput(t, e.input, m)
	}
	for _, doc := range []string{
		`{}`,
		`{"undeclared": {"b": 1, "a": [1, 2.5, "x", null, true, {"z": false}]}}`,
		`{"materials": [{"width": 1e400}, {"height": -0.0}, {"size_bytes": 12345678901234567890}]}`,
		`{"name": "", "kind": "长", "phone": "\u0000"}`,
	} {
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader([]byte(doc)))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		sameInput(t, e.input, m)
	}
	// Go values that are not JSON-shaped, and a number that is not one.
	sameInput(t, e.input, map[string]any{"a": 1.5, "b": 7, "c": []string{"x"}, "d": map[string]string{"k": "v"}})
	sameInput(t, e.input, map[string]any{"width": json.Number("abc")})
	sameInput(t, e.input, map[string]any{"f": func() {}})
}

// FuzzInput: any JSON object converts as ast.InterfaceToValue converts it.
func FuzzInput(f *testing.F) {
	e := builtinEngine(f)
	for _, s := range e.Samples() {
		b, err := json.Marshal(s.Input)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(doc))
		dec.UseNumber()
		if dec.Decode(&m) != nil {
			return
		}
		sameInput(t, e.input, m)
	})
}
