package planeval

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"
	"github.com/open-policy-agent/opa/v1/util"
)

// builtin is OPA's Go implementation of a built-in function, called as the interpreter calls
// it: an error is the call being undefined (the interpreter collects such errors and goes on,
// unless they halt), and a relation's outputs are collected into an array, which the plan
// then scans.
type builtin struct {
	name     string
	impl     topdown.BuiltinFunc
	relation bool
	// fast1 or fast2 is the direct implementation of one of the cheapest built-ins (fast1,
	// fast2), nil for the others.
	fast1 func(a *ast.Term) *ast.Term
	fast2 func(a, b *ast.Term) *ast.Term
	// cached is an implementation keeping work for the evaluation (replaceN); ok false leaves
	// the call to OPA's.
	cached func(e *eval, args []*ast.Term) (*ast.Term, bool)
	// direct is the built-in written out for its common arguments (direct); ok false leaves
	// the call to OPA's. re is regex.match's compiled pattern at this call site.
	direct func(b *builtin, args []*ast.Term) (*ast.Term, bool)
	re     atomic.Pointer[siteRegexp]
}

// fast1 and fast2 are OPA's own implementations of its cheapest, most called built-ins (type
// tests, comparisons, count, membership), written out without the call protocol (context,
// iterator, argument slice), which costs more than they do. Each is the body of the topdown
// function named beside it, and TestFastBuiltinsAreOPAs compares them with those on a table
// of values of every type.
var fast1 = map[string]func(a *ast.Term) *ast.Term{
	ast.IsString.Name:  func(a *ast.Term) *ast.Term { _, ok := a.Value.(ast.String); return ast.InternedTerm(ok) },  // builtinIsString
	ast.IsNumber.Name:  func(a *ast.Term) *ast.Term { _, ok := a.Value.(ast.Number); return ast.InternedTerm(ok) },  // builtinIsNumber
	ast.IsBoolean.Name: func(a *ast.Term) *ast.Term { _, ok := a.Value.(ast.Boolean); return ast.InternedTerm(ok) }, // builtinIsBoolean
	ast.IsArray.Name:   func(a *ast.Term) *ast.Term { _, ok := a.Value.(*ast.Array); return ast.InternedTerm(ok) },  // builtinIsArray
	ast.IsObject.Name:  func(a *ast.Term) *ast.Term { _, ok := a.Value.(ast.Object); return ast.InternedTerm(ok) },  // builtinIsObject
	ast.IsSet.Name:     func(a *ast.Term) *ast.Term { _, ok := a.Value.(ast.Set); return ast.InternedTerm(ok) },     // builtinIsSet
	ast.IsNull.Name:    func(a *ast.Term) *ast.Term { _, ok := a.Value.(ast.Null); return ast.InternedTerm(ok) },    // builtinIsNull
	ast.Count.Name: func(a *ast.Term) *ast.Term { // builtinCount
		switch v := a.Value.(type) {
		case *ast.Array:
			return ast.InternedTerm(v.Len())
		case ast.Object:
			return ast.InternedTerm(v.Len())
		case ast.Set:
			return ast.InternedTerm(v.Len())
		case ast.String:
			return ast.InternedTerm(utf8.RuneCountInString(string(v)))
		}
		return nil // a type error: undefined
	},
}

var fast2 = map[string]func(a, b *ast.Term) *ast.Term{
	ast.GreaterThan.Name:   func(a, b *ast.Term) *ast.Term { return ast.InternedTerm(compare(a, b) > 0) },  // builtinGreaterThan
	ast.GreaterThanEq.Name: func(a, b *ast.Term) *ast.Term { return ast.InternedTerm(compare(a, b) >= 0) }, // builtinGreaterThanEq
	ast.LessThan.Name:      func(a, b *ast.Term) *ast.Term { return ast.InternedTerm(compare(a, b) < 0) },  // builtinLessThan
	ast.LessThanEq.Name:    func(a, b *ast.Term) *ast.Term { return ast.InternedTerm(compare(a, b) <= 0) }, // builtinLessThanEq
	ast.NotEqual.Name:      func(a, b *ast.Term) *ast.Term { return ast.InternedTerm(!a.Equal(b)) },        // builtinNotEqual
	ast.Equal.Name:         func(a, b *ast.Term) *ast.Term { return ast.InternedTerm(a.Equal(b)) },         // builtinEqual
	ast.Member.Name: func(a, b *ast.Term) *ast.Term { // builtinMember
		switch c := b.Value.(type) {
		case ast.Set:
			return ast.InternedTerm(c.Contains(a))
		case *ast.Array:
			return ast.InternedTerm(c.Until(a.Equal))
		case ast.Object:
			return ast.InternedTerm(c.Until(func(_, v *ast.Term) bool { return a.Equal(v) }))
		}
		return ast.InternedTerm(false)
	},
}

// compare is a.Value.Compare(b.Value) (ast.Compare), with the common case of two small
// non-negative integers (lengths, counts, limits) compared without parsing them into
// big numbers or int64s.
func compare(a, b *ast.Term) int {
	if x, ok := a.Value.(ast.Number); ok {
		if y, ok := b.Value.(ast.Number); ok {
			if i, ok := smallInt(x); ok {
				if j, ok := smallInt(y); ok {
					return cmp.Compare(i, j)
				}
			}
		}
	}
	return a.Value.Compare(b.Value)
}

// smallInt is n as an int when n is written as up to nine decimal digits (no sign, point or
// exponent), the form every count and length takes.
func smallInt(n ast.Number) (int, bool) {
	s := string(n)
	if len(s) == 0 || len(s) > 9 {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func newBuiltin(name string) (*builtin, error) {
	decl, ok := ast.BuiltinMap[name]
	if !ok {
		return nil, fmt.Errorf("built-in %s is not known", name)
	}
	impl := topdown.GetBuiltin(name)
	if impl == nil {
		return nil, fmt.Errorf("built-in %s has no Go implementation", name)
	}
	b := &builtin{name: name, impl: impl, relation: decl.Relation, fast1: fast1[name], fast2: fast2[name], direct: direct[name]}
	if name == ast.ReplaceN.Name {
		b.cached = (*eval).replaceN
	}
	return b, nil
}

func (b *builtin) call(e *eval, args []*ast.Term) (*ast.Term, error) {
	if e.prof == nil {
		if b.fast1 != nil {
			return b.fast1(args[0]), nil
		}
		if b.fast2 != nil {
			return b.fast2(args[0], args[1]), nil
		}
	}
	if e.prof != nil {
		start := time.Now()
		defer func() {
			d := time.Since(start)
			e.prof["builtin "+b.name] += d
			e.profCalls["builtin "+b.name]++
			if n := len(e.profChild); n > 0 {
				e.profChild[n-1] += d
			}
		}()
	}
	if b.cached != nil {
		if t, ok := b.cached(e, args); ok {
			return t, nil
		}
	}
	if b.direct != nil {
		if t, ok := b.direct(b, args); ok {
			return t, nil
		}
	}
	if b.relation {
		var out []*ast.Term
		err := b.impl(e.bctx, args, func(t *ast.Term) error {
			out = append(out, t)
			return nil
		})
		if err != nil {
			return nil, halted(err)
		}
		return ast.NewTerm(ast.NewArray(out...)), nil
	}
	e.out = nil
	if err := b.impl(e.bctx, args, e.emit); err != nil {
		return nil, halted(err)
	}
	return e.out, nil
}

// halted is err when it must stop the evaluation (topdown.Halt, as the interpreter), nil when
// it only makes the call undefined.
func halted(err error) error {
	var h topdown.Halt
	if errors.As(err, &h) {
		return h.Err
	}
	return nil
}

// replaceN is topdown's builtinReplaceN with the pattern pairs kept for the evaluation: the
// rulebook's violation builder fills several templates (title, message_en, fix) from one
// pattern object, and each violation has its own object, so building a strings.Replacer for
// it (a trie, ~14,000 instructions) cost more than the replacing. The pattern object is the
// same value each time (values are never changed once complete). ok is false when the
// arguments are not what OPA accepts, which OPA's own implementation then reports.
func (e *eval) replaceN(args []*ast.Term) (*ast.Term, bool) {
	patterns, ok := args[0].Value.(ast.Object)
	if !ok {
		return nil, false
	}
	s, ok := args[1].Value.(ast.String)
	if !ok {
		return nil, false
	}
	r, ok := e.replacers[patterns]
	if !ok {
		keys := util.SortedFunc(patterns.Keys(), ast.TermValueCompare)
		pairs := make([]string, 0, len(keys)*2)
		for _, k := range keys {
			kv, ok := k.Value.(ast.String)
			if !ok {
				return nil, false
			}
			sv, ok := patterns.Get(k).Value.(ast.String)
			if !ok {
				return nil, false
			}
			pairs = append(pairs, string(kv), string(sv))
		}
		r = newReplacer(pairs)
		if e.replacers == nil {
			e.replacers = map[ast.Object]*replacer{}
		}
		e.replacers[patterns] = r
	}
	return ast.InternedTerm(r.replace(string(s))), true
}

// replacer replaces as strings.NewReplacer(pairs...) does: left to right, without overlaps,
// and at each position the first old string in argument order that matches. It scans
// directly, skipping bytes no old string starts with; an empty old string (which matches
// everywhere) is left to strings.Replacer.
type replacer struct {
	pairs []string // old, new, old, new, ...
	first [256]bool
	std   *strings.Replacer
}

func newReplacer(pairs []string) *replacer {
	r := &replacer{pairs: pairs}
	for i := 0; i < len(pairs); i += 2 {
		if pairs[i] == "" {
			r.std = strings.NewReplacer(pairs...)
			return r
		}
		r.first[pairs[i][0]] = true
	}
	return r
}

func (r *replacer) replace(s string) string {
	if r.std != nil {
		return r.std.Replace(s)
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if r.first[s[i]] {
			if old, nw, ok := r.match(s[i:]); ok {
				if b.Len() == 0 {
					b.Grow(len(s))
				}
				b.WriteString(s[last:i])
				b.WriteString(nw)
				i += len(old)
				last = i
				continue
			}
		}
		i++
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// match is the first old string in argument order that s starts with.
func (r *replacer) match(s string) (old, nw string, ok bool) {
	for j := 0; j < len(r.pairs); j += 2 {
		if strings.HasPrefix(s, r.pairs[j]) {
			return r.pairs[j], r.pairs[j+1], true
		}
	}
	return "", "", false
}
