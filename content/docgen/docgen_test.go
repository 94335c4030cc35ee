package docgen

import (
	"bytes"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("DOCGEN_OUT")
	if dir == "" {
		t.Skip("set DOCGEN_OUT to a directory to write the samples there")
	}
	n := 2
	for _, clean := range []bool{true, false} {
		ss, err := Generate(Options{Seed: 1, PerKind: n, Clean: clean})
		if err != nil {
			t.Fatal(err)
		}
		sub := "degraded"
		if clean {
			sub = "clean"
		}
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, s := range ss {
			if err := os.WriteFile(filepath.Join(dir, sub, s.Name+".jpg"), s.Image, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestQuick(t *testing.T) {
	ss, err := Generate(Options{Seed: 3, PerKind: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ss {
		if _, err := jpeg.Decode(bytes.NewReader(s.Image)); err != nil {
			t.Fatal(s.Name, err)
		}
		t.Log(s.Name, s.Width, s.Height, s.Degrade, s.Truth.Fields)
	}
	_ = rand.New(rand.NewPCG(1, 2))
}
