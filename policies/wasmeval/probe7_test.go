//go:build probe

package wasmeval

import (
	"context"
	"os"
	"testing"
	"testing/fstest"
	"time"
)

// TestProbeFloor: the fixed cost of an eval with the fixtures' inputs (parse the input, run a
// trivial entrypoint, dump the result), and an instance's memory with the rulebook data parsed.
func TestProbeFloor(t *testing.T) {
	if os.Getenv("PROBE") == "" {
		t.Skip()
	}
	ctx := context.Background()
	fs := fixtures(t)
	fsys := fstest.MapFS{"p.rego": {Data: []byte("package roadcheck\ndecision := count(input.materials)\n")}}
	p, err := Compile(ctx, fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for range 50 {
		for _, f := range fs {
			if _, err := p.EvalJSON(ctx, f.raw); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Logf("floor with fixture inputs: %v/eval", time.Since(start)/time.Duration(50*len(fs)))
	full := program(t)
	inst := <-full.pool
	t.Logf("instance memory with the rulebook data: %d KiB (data JSON %d KiB), eval heap starts at %d KiB", inst.mem.Size()/1024, len(full.data)/1024, inst.evalHeap/1024)
	full.pool <- inst
}
