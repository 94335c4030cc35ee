//go:build probe

package wasmeval

import (
	"context"
	"os"
	"testing"
	"time"
)

// TestProbeParse: what parsing an input costs inside the module, JSON vs Rego-value parser.
func TestProbeParse(t *testing.T) {
	if os.Getenv("PROBE") == "" {
		t.Skip()
	}
	ctx := context.Background()
	p := program(t)
	inst := <-p.pool
	defer func() { p.pool <- inst }()
	fs := fixtures(t)
	jsonParse := inst.mod.ExportedFunction("opa_json_parse")
	for _, c := range []struct {
		name string
		call func([]byte) error
	}{
		{"opa_json_parse", func(b []byte) error { _, err := inst.writeAndCall(ctx, jsonParse, b); return err }},
		{"opa_value_parse", func(b []byte) error { _, err := inst.writeAndCall(ctx, inst.valParse, b); return err }},
	} {
		start := time.Now()
		n := 0
		for range 20 {
			if _, err := inst.heapSet.Call(ctx, uint64(inst.evalHeap)); err != nil {
				t.Fatal(err)
			}
			for _, f := range fs {
				if err := c.call(f.raw); err != nil {
					t.Fatal(err)
				}
				n++
			}
		}
		t.Logf("%-16s %v per input (~%d bytes)", c.name, time.Since(start)/time.Duration(n), len(fs[0].raw))
	}
}
