package wasmeval

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/policies"
)

// Benchmarks over the fixture mix: each op is one decision for the next fixture in turn.
// p50-ns/p99-ns are percentiles of the per-decision wall time.

func reportPercentiles(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	at := func(q float64) float64 { return float64(d[min(len(d)-1, int(q*float64(len(d))))].Nanoseconds()) }
	b.ReportMetric(at(0.50), "p50-ns")
	b.ReportMetric(at(0.99), "p99-ns")
}

func benchDecisions(b *testing.B, eval func(f fixture) error) {
	fs := fixtures(b)
	for _, f := range fs { // warm up caches and the pool
		if err := eval(f); err != nil {
			b.Fatal(err)
		}
	}
	durs := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f := fs[i%len(fs)]
		start := time.Now()
		if err := eval(f); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, durs)
}

// BenchmarkInterpreter: the top-down interpreter, prepared as the Engine prepares it, raw
// document out (the Engine's own conversion to Outcome excluded).
func BenchmarkInterpreter(b *testing.B) {
	in := newInterpreter(b)
	ctx := context.Background()
	benchDecisions(b, func(f fixture) error { _, err := in.eval(ctx, f.input); return err })
}

// BenchmarkEngine: policies.Engine.Evaluate, what the service calls today (typed Outcome).
func BenchmarkEngine(b *testing.B) {
	ctx := context.Background()
	e, err := policies.Load(ctx, policies.Builtin())
	if err != nil {
		b.Fatal(err)
	}
	benchDecisions(b, func(f fixture) error { _, err := e.Evaluate(ctx, f.input); return err })
}

// BenchmarkWasm: the Wasm program from the same Go input the interpreter gets (JSON-encode
// the map, eval, decode the decision to a Go value).
func BenchmarkWasm(b *testing.B) {
	p := program(b)
	ctx := context.Background()
	benchDecisions(b, func(f fixture) error { _, err := p.Eval(ctx, f.input); return err })
}

// BenchmarkWasmJSON: JSON bytes in, decision JSON bytes out (no Go-side encoding/decoding).
func BenchmarkWasmJSON(b *testing.B) {
	p := program(b)
	ctx := context.Background()
	benchDecisions(b, func(f fixture) error { _, err := p.EvalJSON(ctx, f.raw); return err })
}

// BenchmarkWasmParallel: the pool under GOMAXPROCS goroutines.
func BenchmarkWasmParallel(b *testing.B) {
	p := program(b)
	fs := fixtures(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := p.EvalJSON(ctx, fs[i%len(fs)].raw); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}

// BenchmarkWasmBuild: plan + Wasm compilation of the loaded rulebook (what a reload adds).
func BenchmarkWasmBuild(b *testing.B) {
	rb, err := LoadFS(policies.Builtin())
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := BuildWasm(ctx, rb, Entrypoint, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWasmCompile: Compile end to end: load files, build Wasm, wazero compile, first
// instance with the data parsed in.
func BenchmarkWasmCompile(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		p, err := Compile(ctx, policies.Builtin(), Options{})
		if err != nil {
			b.Fatal(err)
		}
		p.Close(ctx)
	}
}
