package planeval

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// TestFastBuiltinsAreOPAs: each fast built-in gives what OPA's own implementation gives
// (undefined for an error) on every pair of a table of values of every type.
func TestFastBuiltinsAreOPAs(t *testing.T) {
	values := []*ast.Term{
		ast.NullTerm(), ast.BooleanTerm(true), ast.BooleanTerm(false),
		ast.IntNumberTerm(0), ast.IntNumberTerm(3), ast.NumberTerm("3.0"), ast.NumberTerm("-2.5"), ast.NumberTerm("1e400"),
		ast.IntNumberTerm(9), ast.IntNumberTerm(10), ast.IntNumberTerm(123456789), ast.IntNumberTerm(1234567890),
		ast.NumberTerm("007"), ast.NumberTerm("0.5"), ast.IntNumberTerm(-3), ast.NumberTerm("12345678901234567890"),
		ast.StringTerm(""), ast.StringTerm("a"), ast.StringTerm("张三"), ast.StringTerm("3"),
		ast.ArrayTerm(), ast.ArrayTerm(ast.IntNumberTerm(3), ast.StringTerm("a")),
		ast.ObjectTerm(), ast.ObjectTerm([2]*ast.Term{ast.StringTerm("k"), ast.StringTerm("a")}),
		ast.SetTerm(), ast.SetTerm(ast.IntNumberTerm(3), ast.StringTerm("a")),
	}
	fast := map[string]func([]*ast.Term) *ast.Term{}
	for name, f := range fast1 {
		fast[name] = func(a []*ast.Term) *ast.Term { return f(a[0]) }
	}
	for name, f := range fast2 {
		fast[name] = func(a []*ast.Term) *ast.Term { return f(a[0], a[1]) }
	}
	for name, f := range fast {
		impl := topdown.GetBuiltin(name)
		arity := len(ast.BuiltinMap[name].Decl.FuncArgs().Args)
		var combos [][]*ast.Term
		for _, a := range values {
			if arity == 1 {
				combos = append(combos, []*ast.Term{a})
				continue
			}
			for _, b := range values {
				combos = append(combos, []*ast.Term{a, b})
			}
		}
		for _, args := range combos {
			var want *ast.Term
			if err := impl(topdown.BuiltinContext{}, args, func(t *ast.Term) error { want = t; return nil }); err != nil {
				want = nil
			}
			got := f(args)
			if (got == nil) != (want == nil) || (got != nil && !got.Equal(want)) {
				t.Errorf("%s%v: fast %v, OPA %v", name, args, got, want)
			}
		}
	}
}

// TestReplaceNIsOPAs: the evaluation's replacer cache gives OPA's strings.replace_n results,
// for repeated and for different pattern objects, and refuses what OPA refuses.
func TestReplaceNIsOPAs(t *testing.T) {
	obj := func(kv ...string) *ast.Term {
		o := ast.NewObject()
		for i := 0; i+1 < len(kv); i += 2 {
			o.Insert(ast.StringTerm(kv[i]), ast.StringTerm(kv[i+1]))
		}
		return ast.NewTerm(o)
	}
	a, b := obj("{x}", "1", "{xy}", "2", "{", "<"), obj("a", "b", "ab", "c")
	bad := ast.ObjectTerm([2]*ast.Term{ast.StringTerm("k"), ast.IntNumberTerm(1)})
	impl := topdown.GetBuiltin(ast.ReplaceN.Name)
	e := &eval{}
	for _, c := range []struct{ p, s *ast.Term }{
		{a, ast.StringTerm("{x}{xy}{z} {")}, {a, ast.StringTerm("{xy}")}, {b, ast.StringTerm("abab a")},
		{a, ast.StringTerm("")}, {bad, ast.StringTerm("k")}, {a, ast.IntNumberTerm(3)},
	} {
		var want *ast.Term
		err := impl(topdown.BuiltinContext{}, []*ast.Term{c.p, c.s}, func(t *ast.Term) error { want = t; return nil })
		got, ok := e.replaceN([]*ast.Term{c.p, c.s})
		if (err != nil) == ok || (ok && !got.Equal(want)) {
			t.Errorf("replace_n(%v, %v): cached %v (%v), OPA %v (%v)", c.p, c.s, got, ok, want, err)
		}
	}
}

// TestIndexIsInt: index reads array indexes as ast.Number.Int does.
func TestIndexIsInt(t *testing.T) {
	for _, s := range []string{"0", "7", "9", "10", "42", "99", "100", "05", "-1", "1.5", "1e1", "3.0", "12345678901234567890"} {
		wi, wok := ast.Number(s).Int()
		gi, gok := index(ast.Number(s))
		if gi != wi || gok != wok {
			t.Errorf("index(%s) = %d, %v; Int gives %d, %v", s, gi, gok, wi, wok)
		}
	}
}

// TestReplacerIsStringsReplacer: the direct replacer gives strings.NewReplacer's result on
// random pattern sets (overlapping prefixes, single bytes, empty old or new strings) and
// subjects drawn from the same small alphabet, where the choice between matches matters.
func TestReplacerIsStringsReplacer(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	word := func(max int) string {
		b := make([]byte, rnd.IntN(max+1))
		for i := range b {
			b[i] = "{}ab"[rnd.IntN(4)]
		}
		return string(b)
	}
	for range 20000 {
		pairs := make([]string, 2*(1+rnd.IntN(4)))
		for i := range pairs {
			pairs[i] = word(3)
		}
		s := word(12)
		if got, want := newReplacer(pairs).replace(s), strings.NewReplacer(pairs...).Replace(s); got != want {
			t.Fatalf("replace(%q) with %q = %q, strings.Replacer gives %q", s, pairs, got, want)
		}
	}
}

// TestDirectBuiltinsAreOPAs: where a direct built-in answers, it gives exactly what OPA's own
// implementation gives (the same value, a number written the same way); where OPA fails, it
// does not answer. Every combination of a table of values is tried, and each direct built-in
// must answer some of them (a direct built-in that never answers would pass vacuously).
func TestDirectBuiltinsAreOPAs(t *testing.T) {
	num := func(s string) *ast.Term { return ast.NewTerm(ast.Number(s)) }
	str := ast.StringTerm
	obj := ast.ObjectTerm([2]*ast.Term{str("k"), str("a")}, [2]*ast.Term{ast.IntNumberTerm(1), ast.BooleanTerm(false)})
	values := []*ast.Term{
		ast.NullTerm(), ast.BooleanTerm(false), obj, ast.ObjectTerm(), ast.ArrayTerm(str("k")), ast.SetTerm(str("k")),
		num("0"), num("-0"), num("3"), num("-3"), num("007"), num("1.0"), num("1e3"), num("310.5"), num("-2.5"),
		num("2147483647"), num("2147483648"), num("-2147483648"), num("-2147483649"), num("12345678901234567890"),
		str(""), str("k"), str("2026-11-23"), str("2026-02-30"), str("-001-01-01"), str("张三abc"), str("abcdef"),
		str("2006-01-02"), str("RFC3339"), str("2026-11-23T10:00:00Z"), str("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
		str(`\S`), str("("), str("  "),
		ast.ArrayTerm(str("a"), str("长"), str("")), ast.ArrayTerm(str("k"), num("1")), ast.SetTerm(str("b"), str("a")),
	}
	for name, f := range direct {
		impl := topdown.GetBuiltin(name)
		arity := len(ast.BuiltinMap[name].Decl.FuncArgs().Args)
		combos := [][]*ast.Term{nil}
		for range arity {
			var next [][]*ast.Term
			for _, c := range combos {
				for _, v := range values {
					next = append(next, append(slices.Clone(c), v))
				}
			}
			combos = next
		}
		b := &builtin{name: name}
		answered := 0
		for _, args := range combos {
			var want *ast.Term
			err := impl(topdown.BuiltinContext{}, args, func(t *ast.Term) error { want = t; return nil })
			for range 2 { // twice: regex.match's second call reads the site's compiled pattern
				got, ok := f(b, args)
				if !ok {
					continue
				}
				answered++
				if err != nil || want == nil || !got.Equal(want) || got.String() != want.String() {
					t.Errorf("%s%v: direct %v, OPA %v (%v)", name, args, got, want, err)
				}
			}
		}
		if answered == 0 {
			t.Errorf("%s: the direct implementation answered none of %d calls", name, len(combos))
		}
	}
}

// TestCivilNanosIsTimeParse: the date fast path of time.parse_ns gives what time.Parse gives
// for every day from 1699 to 2201 (the range and past it) and for near misses, and leaves to
// time.Parse what it does not read.
func TestCivilNanosIsTimeParse(t *testing.T) {
	var cases []string
	for d := time.Date(1699, 12, 20, 0, 0, 0, 0, time.UTC); d.Year() < 2202; d = d.AddDate(0, 0, 1) {
		cases = append(cases, d.Format(dateLayout))
	}
	for y := 1698; y <= 2203; y++ {
		for _, md := range []string{"02-29", "02-30", "04-31", "13-01", "00-10", "01-00", "01-32", "12-31"} {
			cases = append(cases, fmt.Sprintf("%04d-%s", y, md))
		}
	}
	cases = append(cases, "2026-1-01", "2026-01-1", "2026/01/01", "+026-01-01", "2026-0a-01", "２０２６-01-01", "2026-01-01 ", "")
	answered := 0
	for _, s := range cases {
		want, werr := time.Parse(dateLayout, s)
		got, ok := civilNanos(s)
		if !ok {
			continue
		}
		answered++
		if werr != nil || got != want.UnixNano() {
			t.Errorf("%q: fast path %d, time.Parse %v (%v)", s, got, want.UnixNano(), werr)
		}
	}
	if answered < 180000 {
		t.Errorf("the fast path answered only %d of %d dates", answered, len(cases))
	}
}
