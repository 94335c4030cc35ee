// Package planeval evaluates a rulebook compiled to OPA's intermediate representation (the IR
// plan that `opa build -t plan` writes and OPA's own Wasm compiler starts from).
//
// Why it exists: OPA's top-down interpreter spends most of a decision on unification, bindings
// and its generic evaluation stack, not on the rules' work. The planner has already turned
// every rule into straight-line statements over locals (dot, scan, call, make, insert…); this
// package turns each statement into a Go closure once, when the rulebook is loaded, and runs
// them over OPA's own values (ast.Term), calling OPA's own built-in implementations, so a
// decision is the same document the interpreter gives, several times faster. The semantics of
// blocks and breaks follow OPA's Wasm compiler (internal/compiler/wasm), the reference for the
// IR's meaning; policies compares both paths on every load.
//
// Not supported (Compile says so): `with` outside tests (ir.WithStmt), and built-ins that OPA
// has no Go implementation of.
package planeval

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/ir"
	"github.com/open-policy-agent/opa/v1/topdown"
	"github.com/open-policy-agent/opa/v1/topdown/builtins"
)

// ErrConflict is a rule producing two different values, as the interpreter's
// eval_conflict_error.
var ErrConflict = errors.New("planeval: conflicting values (eval_conflict_error)")

// Program is a compiled plan with its data. It is immutable and safe for concurrent use.
type Program struct {
	plans   map[string]*plan
	funcs   []*function
	byPath  map[string]*function
	data    *ast.Term
	strings []*ast.Term
	memos   int
	pool    sync.Pool // of *eval
	// frozen marks (as their Location) the values shared by all evaluations (the data, what
	// fold built at compile time, the constants): thaw copies one before it is changed
	// (freeze).
	frozen *ast.Location
	// seed hashes the keys of the frozen objects' tables (keyTable).
	seed maphash.Seed
	// constants are the values of the rules that read no input (constant.go), computed once;
	// every evaluation's memo table starts as a copy.
	constants     []memoEntry
	constantCount int
	// builders is how many arrays are built in loops (arrayBuilder): a slice each, per
	// evaluation.
	builders int
}

type plan struct {
	blocks []blockFn
	frame  int
}

type function struct {
	name   string
	params []ir.Local
	ret    ir.Local
	blocks []blockFn
	frame  int
	memo   int // index into the per-evaluation memo table, -1 when the function takes arguments
}

// eval is the state of one evaluation.
type eval struct {
	ctx     context.Context
	prog    *Program
	bctx    topdown.BuiltinContext
	err     error
	result  []*ast.Term
	memo    []memoEntry
	ret     *ast.Term
	returns bool

	// stack holds the frames and call arguments of the calls under way: one allocation per
	// evaluation instead of two per call.
	stack     []*ast.Term
	out       *ast.Term
	emit      func(*ast.Term) error // e.collect, bound once
	prof      map[string]time.Duration
	profCalls map[string]int
	replacers map[ast.Object]*replacer // replaceN's, for this evaluation
	scans     []*scanState             // by depth of object scans under way
	builders  [][]*ast.Term            // the arrays being built in loops, by site (arrayBuilder)
	scanDepth int
	// profChild is, for each profiled call under way, the time its callees took so far.
	profChild []time.Duration
	calls     int
}

// push returns n cleared slots on top of the stack; pop(n) releases them.
func (e *eval) push(n int) []*ast.Term {
	top := len(e.stack)
	if top+n > cap(e.stack) {
		grown := make([]*ast.Term, top, 2*cap(e.stack)+n)
		copy(grown, e.stack)
		e.stack = grown
	}
	e.stack = e.stack[:top+n]
	return e.stack[top : top+n : top+n]
}

func (e *eval) pop(n int) {
	top := len(e.stack) - n
	clear(e.stack[top:])
	e.stack = e.stack[:top]
}

// scanState is one object scan under way: visit (bound once, when the state is made) runs the
// scan's body for an entry.
type scanState struct {
	e        *eval
	f        frame
	key, val int
	body     func(*eval, frame) int
	r        int
	visit    func(k, v *ast.Term) bool
}

func (st *scanState) run(k, v *ast.Term) bool {
	st.f[st.key], st.f[st.val] = k, v
	st.r = st.body(st.e, st.f)
	return st.r != 0
}

// scanner is the state for a scan at the next depth; scanDone releases it.
func (e *eval) scanner() *scanState {
	if e.scanDepth == len(e.scans) {
		st := &scanState{e: e}
		st.visit = st.run
		e.scans = append(e.scans, st)
	}
	st := e.scans[e.scanDepth]
	e.scanDepth++
	st.r = 0
	return st
}

func (e *eval) scanDone(st *scanState) {
	st.f, st.body = nil, nil
	e.scanDepth--
}

func (e *eval) collect(t *ast.Term) error {
	e.out = t
	return nil
}

type memoEntry struct {
	done  bool
	value *ast.Term
}

// frame is one function's locals; nil is undefined.
type frame []*ast.Term

// A compiled statement returns 0 to go on to the next statement, or k+1 to leave k+1
// enclosing blocks (k is ir.BreakStmt's index; an undefined statement leaves its own block,
// k = 0). unwind leaves every block up to the function (errors, returns).
type stmtFn func(e *eval, f frame) int

type blockFn func(e *eval, f frame) int

const unwind = 1 << 30

// Compile turns policy's plans and functions into closures over data (the base documents,
// data.* as JSON-shaped Go values or an ast.Value).
func Compile(policy *ir.Policy, data any) (*Program, error) {
	var dv ast.Value
	switch d := data.(type) {
	case ast.Value:
		dv = ast.NewTerm(d).Copy().Value // frozen below: the caller's value is left as it was
	default:
		var err error
		if dv, err = ast.InterfaceToValue(data); err != nil {
			return nil, fmt.Errorf("planeval: data: %w", err)
		}
	}
	p := &Program{plans: map[string]*plan{}, byPath: map[string]*function{}, data: ast.NewTerm(dv), frozen: &ast.Location{Row: frozenRow}, seed: maphash.MakeSeed()}
	freeze(p.data, p.frozen, p.seed)
	if policy.Static != nil {
		for _, s := range policy.Static.Strings {
			p.strings = append(p.strings, ast.StringTerm(s.Value))
		}
	}
	c := &compiler{prog: p, funcIndex: map[string]int{}, lazySet: -1}
	if policy.Funcs != nil {
		for i, fn := range policy.Funcs.Funcs {
			f := &function{name: fn.Name, params: fn.Params, ret: fn.Return, memo: -1}
			if len(fn.Params) == 2 { // input and data only: a rule, the same value all evaluation long
				f.memo = c.memos
				c.memos++
			}
			p.funcs = append(p.funcs, f)
			c.funcIndex[fn.Name] = i
			if len(fn.Path) > 0 {
				p.byPath[strings.Join(fn.Path, "/")] = f
			}
		}
		for i, fn := range policy.Funcs.Funcs {
			c.maxLocal = maxLocal(fn.Params, fn.Return)
			c.fnName = fn.Name
			c.lazySet = lazySet(fn)
			blocks := dropCopies(fn.Blocks, fn.Params)
			c.mentions, c.building = countMentions(blocks), map[int]int{}
			body, tail := blocks, blockFn(nil)
			if n := len(blocks); n >= 2 {
				var err error
				if tail, err = c.returnTail(blocks[n-2], blocks[n-1], fn.Return); err != nil {
					return nil, fmt.Errorf("planeval: %s: %w", fn.Name, err)
				}
				if tail != nil {
					body = blocks[:n-2]
				}
			}
			bs, err := c.blocks(body)
			if err != nil {
				return nil, fmt.Errorf("planeval: %s: %w", fn.Name, err)
			}
			if tail != nil {
				bs = append(bs, tail)
			}
			p.funcs[i].blocks = bs
			p.funcs[i].frame = c.maxLocal + 1
		}
	}
	if policy.Plans != nil {
		for _, pl := range policy.Plans.Plans {
			c.maxLocal = 1
			c.lazySet = -1
			c.mentions, c.building = countMentions(pl.Blocks), map[int]int{}
			bs, err := c.blocks(pl.Blocks)
			if err != nil {
				return nil, fmt.Errorf("planeval: plan %s: %w", pl.Name, err)
			}
			p.plans[pl.Name] = &plan{blocks: bs, frame: c.maxLocal + 1}
		}
	}
	p.memos = c.memos
	p.pool.New = p.newEval
	if policy.Funcs != nil {
		if err := p.precompute(inputFree(policy.Funcs.Funcs, c.funcIndex)); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func maxLocal(params []ir.Local, ret ir.Local) int {
	m := int(ret)
	for _, l := range params {
		m = max(m, int(l))
	}
	return m
}

// Constants is how many rules read no input and were computed once, at Compile.
func (p *Program) Constants() int { return p.constantCount }

// Options of one evaluation.
type Options struct {
	// Time is what time.now_ns would read; the rulebook never reads the clock, so zero is
	// fine there.
	Time time.Time

	// Profile, when not nil, adds each function's own time (without its callees, which are
	// counted under theirs) under its name: where a decision's time goes, by rule.
	Profile map[string]time.Duration
	// Calls, with Profile, counts each function's calls (memoized answers included).
	Calls map[string]int
}

// Eval runs the plan name over input and returns the result set's values (for a query plan
// of one entrypoint: one object {"result": decision}, or none when it is undefined).
func (p *Program) Eval(ctx context.Context, name string, input ast.Value, opts Options) ([]*ast.Term, error) {
	pl, ok := p.plans[name]
	if !ok {
		return nil, fmt.Errorf("planeval: no plan %q", name)
	}
	now := opts.Time
	if now.IsZero() {
		now = time.Now()
	}
	e := p.pool.Get().(*eval)
	defer p.release(e)
	e.ctx = ctx
	copy(e.memo, p.constants)
	e.prof, e.profCalls = opts.Profile, opts.Calls
	if e.prof != nil && e.profCalls == nil {
		e.profCalls = map[string]int{}
	}
	e.bctx = topdown.BuiltinContext{
		Context: ctx,
		Time:    ast.UIntNumberTerm(uint64(now.UnixNano())),
		Cache:   builtins.Cache{},
	}
	f := frame(e.push(pl.frame))
	if input != nil {
		f[0] = ast.NewTerm(input)
	}
	f[1] = p.data
	for _, b := range pl.blocks {
		b(e, f)
		if e.err != nil {
			return nil, e.err
		}
		if e.returns {
			break
		}
	}
	return e.result, nil
}

func (p *Program) newEval() any {
	e := &eval{prog: p, memo: make([]memoEntry, p.memos), stack: make([]*ast.Term, 0, 256), builders: make([][]*ast.Term, p.builders)}
	e.emit = e.collect
	return e
}

// release readies e for the next evaluation: an evaluation's state is pooled, as its stack
// and memo table would otherwise be most of what it allocates besides the values.
func (p *Program) release(e *eval) {
	clear(e.stack[:cap(e.stack)])
	e.stack = e.stack[:0]
	clear(e.memo)
	e.ctx, e.err, e.result, e.ret, e.returns, e.out = nil, nil, nil, nil, false, nil
	e.prof, e.profCalls, e.profChild, e.calls = nil, nil, e.profChild[:0], 0
	e.bctx = topdown.BuiltinContext{}
	e.scanDepth = 0
	clear(e.replacers)
	for i, b := range e.builders { // a loop left early keeps its elements
		clear(b[:cap(b)])
		e.builders[i] = b[:0]
	}
	if cap(e.stack) > 1<<16 { // an unusually deep evaluation does not pin its stack
		e.stack = make([]*ast.Term, 0, 256)
	}
	p.pool.Put(e)
}

// thaw returns local l's value ready to be changed in place: a frozen value is copied into a
// fresh term for this frame first.
func (e *eval) thaw(f frame, l int) *ast.Term {
	t := f[l]
	if t != nil && isFrozen(t.Location) {
		t = t.Copy()
		t.Location = nil
		f[l] = t
	}
	return t
}

// cancelled reports (and fails the evaluation with) a cancelled context. Calls and scan
// steps count in e.calls and look every 256 (reading ctx.Err takes a lock), so a loop that
// calls no function stops too.
func (e *eval) cancelled() bool {
	if err := e.ctx.Err(); err != nil {
		e.fail(err)
		return true
	}
	return false
}

func (e *eval) fail(err error) int {
	if e.err == nil {
		e.err = err
	}
	return unwind
}

// call runs a function with args (input and data first) and returns its value, nil when
// undefined.
func (e *eval) call(fn *function, args []*ast.Term) *ast.Term {
	if fn.memo >= 0 {
		if m := &e.memo[fn.memo]; m.done {
			return m.value
		}
	}
	f := frame(e.push(fn.frame))
	for i, l := range fn.params {
		f[l] = args[i]
	}
	return e.run(fn, f)
}

// run runs fn in frame f (pushed, its parameters set), pops f and returns fn's value.
func (e *eval) run(fn *function, f frame) *ast.Term {
	if e.calls++; e.calls&255 == 0 && e.cancelled() {
		e.pop(fn.frame)
		return nil
	}
	if e.prof != nil {
		// Self time: what the callees took is taken off the caller's share.
		start := time.Now()
		e.profChild = append(e.profChild, 0)
		defer func() {
			d := time.Since(start)
			n := len(e.profChild) - 1
			e.prof[fn.name] += d - e.profChild[n]
			e.profCalls[fn.name]++
			e.profChild = e.profChild[:n]
			if n > 0 {
				e.profChild[n-1] += d
			}
		}()
	}
	saved, savedReturns := e.ret, e.returns
	e.ret, e.returns = nil, false
	for _, b := range fn.blocks {
		b(e, f)
		if e.err != nil || e.returns {
			break
		}
	}
	var v *ast.Term
	if e.returns {
		v = e.ret
	}
	e.ret, e.returns = saved, savedReturns
	e.pop(fn.frame)
	if e.err != nil {
		return nil
	}
	if fn.memo >= 0 {
		e.memo[fn.memo] = memoEntry{done: true, value: v}
	}
	return v
}
