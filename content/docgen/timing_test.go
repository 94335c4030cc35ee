package docgen

import (
	"os"
	"testing"
	"time"
)

// TestTiming logs the time per sample for each kind, clean and degraded (set DOCGEN_TIMING).
func TestTiming(t *testing.T) {
	if os.Getenv("DOCGEN_TIMING") == "" {
		t.Skip("set DOCGEN_TIMING=1 to log the time per sample")
	}
	for _, clean := range []bool{true, false} {
		var total time.Duration
		n := 0
		for _, k := range Kinds() {
			t0 := time.Now()
			ss, err := Generate(Options{Seed: 5, PerKind: 6, Kinds: []string{k}, Clean: clean})
			if err != nil {
				t.Fatal(err)
			}
			d := time.Since(t0)
			total += d
			n += len(ss)
			px := 0
			for _, s := range ss {
				px += s.Width * s.Height
			}
			t.Logf("%-30s clean=%-5v %4d ms/sample %.1f MP", k, clean, d.Milliseconds()/int64(len(ss)), float64(px)/float64(len(ss))/1e6)
		}
		t.Logf("all kinds clean=%v: %d ms/sample (fonts loaded once per Generate call)", clean, total.Milliseconds()/int64(n))
	}
}
