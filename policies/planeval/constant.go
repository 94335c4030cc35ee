package planeval

import (
	"context"
	"fmt"
	"hash/maphash"
	"math"
	"unsafe"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/ir"
)

// Rules that read only data (the item catalogue, indexes over the contract, literal sets) have
// the same value in every evaluation. The planner cannot know it; the compiler can: a rule
// (a function of input and data alone) is constant when none of its statements reads the input
// local, except to pass it on to constant rules, and it calls no non-deterministic built-in
// and no rule found at run time. Compile evaluates those once, and every evaluation starts
// with their values known, as if memoized: policy staff can index data in Rego at no cost per
// decision.

// inputFree reports, for each function index, whether it never depends on the input.
func inputFree(funcs []*ir.Func, index map[string]int) []bool {
	const (
		unknown = iota
		visiting
		free
		depends
	)
	state := make([]int, len(funcs))
	var visit func(i int) bool
	visit = func(i int) bool {
		switch state[i] {
		case free:
			return true
		case depends, visiting: // a cycle cannot happen in a plan; treat it as dependent
			return false
		}
		state[i] = visiting
		fn := funcs[i]
		ok := len(fn.Params) >= 1 && blocksFree(fn.Blocks, fn.Params[0], index, visit)
		if ok {
			state[i] = free
		} else {
			state[i] = depends
		}
		return ok
	}
	out := make([]bool, len(funcs))
	for i := range funcs {
		out[i] = visit(i)
	}
	return out
}

func blocksFree(bs []*ir.Block, input ir.Local, index map[string]int, free func(int) bool) bool {
	for _, b := range bs {
		for _, s := range b.Stmts {
			if !stmtFree(s, input, index, free) {
				return false
			}
		}
	}
	return true
}

func stmtFree(s ir.Stmt, input ir.Local, index map[string]int, free func(int) bool) bool {
	reads := func(ops ...ir.Operand) bool {
		for _, op := range ops {
			if v, ok := val(op).(ir.Local); ok && v == input {
				return true
			}
		}
		return false
	}
	local := func(ls ...ir.Local) ir.Operand {
		for _, l := range ls {
			if l == input {
				return ir.Operand{Value: l}
			}
		}
		return ir.Operand{Value: ir.Bool(false)}
	}
	switch s := s.(type) {
	case *ir.CallStmt:
		if i, ok := index[s.Func]; ok {
			// The input passed on as the input argument is fine if the callee is constant;
			// the input anywhere else is a dependency.
			for j, a := range s.Args {
				if j > 0 && reads(a) {
					return false
				}
			}
			return !reads(s.Args[0]) || free(i)
		}
		if b, ok := ast.BuiltinMap[s.Func]; !ok || b.Nondeterministic {
			return false
		}
		return !reads(s.Args...)
	case *ir.CallDynamicStmt:
		return false
	case *ir.WithStmt:
		return false
	case *ir.BlockStmt:
		return blocksFree(s.Blocks, input, index, free)
	case *ir.NotStmt:
		return blocksFree([]*ir.Block{s.Block}, input, index, free)
	case *ir.ScanStmt:
		return !reads(local(s.Source)) && blocksFree([]*ir.Block{s.Block}, input, index, free)
	case *ir.DotStmt:
		return !reads(s.Source, s.Key)
	case *ir.LenStmt:
		return !reads(s.Source)
	case *ir.AssignVarStmt:
		return !reads(s.Source)
	case *ir.AssignVarOnceStmt:
		return !reads(s.Source)
	case *ir.EqualStmt:
		return !reads(s.A, s.B)
	case *ir.NotEqualStmt:
		return !reads(s.A, s.B)
	case *ir.IsArrayStmt:
		return !reads(s.Source)
	case *ir.IsObjectStmt:
		return !reads(s.Source)
	case *ir.IsSetStmt:
		return !reads(s.Source)
	case *ir.IsDefinedStmt:
		return !reads(local(s.Source))
	case *ir.IsUndefinedStmt:
		return !reads(local(s.Source))
	case *ir.ArrayAppendStmt:
		return !reads(s.Value, local(s.Array))
	case *ir.ObjectInsertStmt:
		return !reads(s.Key, s.Value, local(s.Object))
	case *ir.ObjectInsertOnceStmt:
		return !reads(s.Key, s.Value, local(s.Object))
	case *ir.ObjectMergeStmt:
		return !reads(local(s.A, s.B))
	case *ir.SetAddStmt:
		return !reads(s.Value, local(s.Set))
	case *ir.ResultSetAddStmt:
		return !reads(local(s.Value))
	case *ir.ReturnLocalStmt:
		return !reads(local(s.Source))
	case *ir.ResetLocalStmt, *ir.BreakStmt, *ir.NopStmt, *ir.AssignIntStmt, *ir.MakeNullStmt,
		*ir.MakeNumberIntStmt, *ir.MakeNumberRefStmt, *ir.MakeArrayStmt, *ir.MakeObjectStmt,
		*ir.MakeSetStmt:
		return true
	}
	return false // a statement this analysis does not know: assume it reads the input
}

// precompute evaluates the constant rules once and keeps their values, frozen, for every
// evaluation to start from.
func (p *Program) precompute(free []bool) error {
	p.constants = make([]memoEntry, p.memos)
	e := p.pool.Get().(*eval)
	defer p.release(e)
	e.ctx = context.Background()
	args := []*ast.Term{nil, p.data}
	for i, fn := range p.funcs {
		if fn.memo < 0 || !free[i] {
			continue
		}
		v := e.call(fn, args)
		if e.err != nil {
			// An error that does not depend on the input happens in every evaluation; leave
			// it to them, where it is reported as usual.
			e.err = nil
			clear(e.memo)
			continue
		}
		if v != nil {
			freeze(v, p.frozen, p.seed)
		}
		p.constants[fn.memo] = memoEntry{done: true, value: v}
		p.constantCount++
	}
	if p.constantCount > 0 && len(p.constants) != len(e.memo) {
		return fmt.Errorf("planeval: %d constants for %d memoized rules", len(p.constants), len(e.memo))
	}
	return nil
}

// freeze marks v and every composite value inside it as shared (thaw copies before a change),
// and gives each object a table of its string keys (frozenObject): a shared value is read
// far more often than it is made, and most of what a rule reads is a shared object's field
// (the contract, the catalogue, indexes built in Rego). seed is the Program's key hash seed.
func freeze(t *ast.Term, mark *ast.Location, seed maphash.Seed) {
	if isFrozen(t.Location) { // and so is everything in it
		return
	}
	switch v := t.Value.(type) {
	case ast.Object:
		fo := &frozenObject{Location: *mark}
		fo.Col = indexed
		fo.keys.init(v.Len(), seed)
		v.Foreach(func(k, x *ast.Term) {
			if s, ok := k.Value.(ast.String); ok {
				fo.keys.put(string(s), maphash.String(seed, string(s)), x)
			}
			freeze(k, mark, seed)
			freeze(x, mark, seed)
		})
		t.Location = &fo.Location
	case *ast.Array:
		t.Location = mark
		v.Foreach(func(x *ast.Term) { freeze(x, mark, seed) })
	case ast.Set:
		t.Location = mark
		v.Foreach(func(x *ast.Term) { freeze(x, mark, seed) })
	}
}

// keyTable is a frozen object's entries by string key: open addressing over a power-of-two
// array at most half full, each slot keeping its key's hash. A field read with a constant key
// (most are: spec.type, item.materials) hashes the key once, at Compile, and finds its slot in
// a probe or two: about a fifth of a Go map lookup, which hashes the key at every read, and a
// twentieth of ast.Object's (xxhash, then a bucket chain).
type keyTable struct {
	slots []keySlot
	mask  uint64
	// seed is the one the keys were hashed with: a value frozen by another Program (none is
	// shared today: each Compile copies its data) is still read right, hashed again.
	seed maphash.Seed
}

type keySlot struct {
	hash uint64
	key  string
	val  *ast.Term
}

func (t *keyTable) init(n int, seed maphash.Seed) {
	t.seed = seed
	size := 4
	for size < 2*n {
		size *= 2
	}
	t.slots = make([]keySlot, size)
	t.mask = uint64(size - 1)
}

func (t *keyTable) put(key string, h uint64, v *ast.Term) {
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		if s := &t.slots[i]; s.val == nil || (s.hash == h && s.key == key) {
			*s = keySlot{hash: h, key: key, val: v}
			return
		}
	}
}

// get is key's value (h its hash under t.seed: a caller hashing under another seed hashes
// again, see dot), nil when the object has no such key. Small enough to be inlined.
func (t *keyTable) get(key string, h uint64) *ast.Term {
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.val == nil {
			return nil
		}
		if s.hash == h && s.key == key {
			return s.val
		}
	}
}

// A frozen value's Location has Row frozenRow, which no parsed term has; a frozen object's
// has Col indexed too, and is the first field of its frozenObject.
const (
	frozenRow = math.MinInt32
	indexed   = 1
)

// frozenObject is the Location of a frozen object (the mark's, with Col indexed) and the
// object's entries by string key (the same entries: the object never changes).
type frozenObject struct {
	ast.Location
	keys keyTable
}

func isFrozen(l *ast.Location) bool { return l != nil && l.Row == frozenRow }

// frozenKeys is the table of an object term's string keys when it is frozen, nil otherwise.
func frozenKeys(t *ast.Term) *keyTable {
	if l := t.Location; l != nil && l.Row == frozenRow && l.Col == indexed {
		// l is the first field of a frozenObject (freeze made it so): the pointer converts
		// back to the value it was taken from.
		return &(*frozenObject)(unsafe.Pointer(l)).keys
	}
	return nil
}
