package docgen

import (
	"testing"
	"time"
)

func TestTiming(t *testing.T) {
	fs, _ := loadFonts()
	t0 := time.Now()
	Generate(Options{Seed: 9, PerKind: 1, Kinds: []string{KindIDCard}})
	t.Log("setup+1", time.Since(t0))
	_ = fs
	for _, k := range Kinds() {
		for _, clean := range []bool{true, false} {
			t0 := time.Now()
			ss, _ := Generate(Options{Seed: 5, PerKind: 4, Kinds: []string{k}, Clean: clean})
			d := time.Since(t0)
			px := 0
			for _, s := range ss {
				px += s.Width * s.Height
			}
			t.Logf("%-30s clean=%v %v/sample %.1f MP", k, clean, d/4, float64(px)/4e6)
		}
	}
}
