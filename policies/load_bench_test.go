package policies

import (
	"context"
	"testing"
)

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(context.Background(), Builtin()); err != nil {
			b.Fatal(err)
		}
	}
}
