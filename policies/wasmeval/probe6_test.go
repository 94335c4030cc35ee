//go:build probe

package wasmeval

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/policies"
)

func TestProbeBuild(t *testing.T) {
	if os.Getenv("PROBE") == "" {
		t.Skip()
	}
	rb, err := LoadFS(policies.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		start := time.Now()
		if _, err := BuildWasm(context.Background(), rb, Entrypoint, 0); err != nil {
			t.Fatal(err)
		}
		t.Logf("build %d: %v", i, time.Since(start))
	}
}
