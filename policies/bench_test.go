package policies

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Benchmarks over the samples' mix (one op is one decision for the next sample in turn);
// p50-ns and p99-ns are percentiles of the per-decision wall time. Run:
//
//	go test -run '^$' -bench 'Decide|Input|Output' -benchtime 5000x -count 5 ./policies/

func reportPercentiles(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	at := func(q float64) float64 { return float64(d[min(len(d)-1, int(q*float64(len(d))))].Nanoseconds()) }
	b.ReportMetric(at(0.50), "p50-ns")
	b.ReportMetric(at(0.99), "p99-ns")
}

func benchSamples(b *testing.B, op func(s Sample) error) {
	samples := builtinEngine(b).Samples()
	for _, s := range samples { // warm up
		if err := op(s); err != nil {
			b.Fatal(err)
		}
	}
	durs := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := samples[i%len(samples)]
		start := time.Now()
		if err := op(s); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, durs)
}

// BenchmarkDecide: Engine.Evaluate end to end (input conversion, evaluation, Outcome) on each
// path.
func BenchmarkDecide(b *testing.B) {
	ctx := context.Background()
	for _, ev := range []Evaluator{Compiled, Interpreter} {
		e := builtinEngine(b)
		if ev == Interpreter {
			var err error
			if e, err = Load(ctx, Builtin(), WithEvaluator(ev)); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(string(ev), func(b *testing.B) {
			benchSamples(b, func(s Sample) error { _, err := e.Evaluate(ctx, s.Input); return err })
		})
	}
}

// BenchmarkDecideParallel: the compiled path under GOMAXPROCS goroutines.
func BenchmarkDecideParallel(b *testing.B) {
	ctx := context.Background()
	e := builtinEngine(b)
	samples := e.Samples()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := e.Evaluate(ctx, samples[i%len(samples)].Input); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}

// BenchmarkInput: the application document to the evaluator's input value, alone, by the
// engine's converter and by ast.InterfaceToValue.
func BenchmarkInput(b *testing.B) {
	e := builtinEngine(b)
	b.Run("converter", func(b *testing.B) {
		benchSamples(b, func(s Sample) error { _, err := e.input.object(s.Input); return err })
	})
	b.Run("InterfaceToValue", func(b *testing.B) {
		benchSamples(b, func(s Sample) error { _, err := ast.InterfaceToValue(s.Input); return err })
	})
}

// BenchmarkOutput: the decision document to the typed Outcome, alone.
func BenchmarkOutput(b *testing.B) {
	e := builtinEngine(b)
	ctx := context.Background()
	docs := map[string]ast.Value{}
	for _, s := range e.Samples() {
		v, err := ast.InterfaceToValue(s.Input)
		if err != nil {
			b.Fatal(err)
		}
		if docs[s.Name], err = e.compiled(ctx, v); err != nil {
			b.Fatal(err)
		}
	}
	benchSamples(b, func(s Sample) error { _, err := e.keys.outcome(docs[s.Name]); return err })
}
