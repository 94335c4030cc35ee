//go:build probe

package wasmeval

import (
	"context"
	"os"
	"testing"
	"testing/fstest"
	"time"
)

func TestProbeMicro(t *testing.T) {
	if os.Getenv("PROBE") == "" {
		t.Skip()
	}
	ctx := context.Background()
	cases := map[string]string{
		"empty":     `x := 1`,
		"regex":     "x if regex.match(`^[0-9]{17}[0-9Xx]$`, input.s)",
		"regex10":   "x := [1 | some i in numbers.range(1, 10); regex.match(`^[0-9]{17}[0-9Xx]$`, input.s)]",
		"parse_ns":  `x := time.parse_ns("2006-01-02", "2020-01-02")`,
		"parse10":   `x := [time.parse_ns("2006-01-02", "2020-01-02") | some i in numbers.range(1, 10)]`,
		"sprintf10": `x := [sprintf("%v %s", [i, "a"]) | some i in numbers.range(1, 10)]`,
		"bigobj":    `x := {"a": {"title": "t", "description": "d", "custom": {"code": "C", "severity": "error", "fix": "f", "message_en": "m", "basis": "b"}}, "b": [1,2,3,4,5,6,7,8,9,10], "c": "ccccccccccccccccccccccccccc"}`,
	}
	for name, body := range cases {
		if f := os.Getenv("PROBE_CASE"); f != "" && f != name {
			continue
		}
		fsys := fstest.MapFS{"p.rego": {Data: []byte("package roadcheck\n" + body + "\ndecision := x\n")}}
		p, err := Compile(ctx, fsys, Options{})
		if err != nil {
			t.Logf("%s: %v", name, err)
			continue
		}
		in := []byte(`{"s": "410105198005170018"}`)
		p.EvalJSON(ctx, in)
		start := time.Now()
		n := 200
		if os.Getenv("PROBE_N") != "" {
			n = 5000
		}
		for range n {
			if _, err := p.EvalJSON(ctx, in); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("%-10s %8v/eval", name, time.Since(start)/time.Duration(n))
		p.Close(ctx)
	}
}
