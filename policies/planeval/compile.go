package planeval

import (
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/ir"
)

type compiler struct {
	prog      *Program
	funcIndex map[string]int
	memos     int
	maxLocal  int
	fnName    string
	// lazySet is the local of the function being compiled that collects a partial set rule's
	// members, when nothing but adding to it and returning it touches it (lazySets), else -1.
	lazySet ir.Local
	// mentions counts, for the function being compiled, the statements naming each local;
	// building maps an array local being built in a loop to its builder (arrayBuilder).
	mentions map[ir.Local]int
	building map[int]int
}

// operand is a local or a constant.
type operand struct {
	local int
	konst *ast.Term
}

func (o operand) get(f frame) *ast.Term {
	if o.konst != nil {
		return o.konst
	}
	return f[o.local]
}

func (c *compiler) local(l ir.Local) int {
	c.maxLocal = max(c.maxLocal, int(l))
	return int(l)
}

// val is an operand's value. A plan read from JSON holds pointers, one built in memory holds
// values; everything after this sees values.
func val(op ir.Operand) ir.Val {
	switch v := op.Value.(type) {
	case *ir.Local:
		return *v
	case *ir.Bool:
		return *v
	case *ir.StringIndex:
		return *v
	}
	return op.Value
}

func (c *compiler) operand(op ir.Operand) (operand, error) {
	switch v := val(op).(type) {
	case ir.Local:
		return operand{local: c.local(v)}, nil
	case ir.Bool:
		return operand{konst: ast.InternedTerm(bool(v))}, nil
	case ir.StringIndex:
		if int(v) < 0 || int(v) >= len(c.prog.strings) {
			return operand{}, fmt.Errorf("string index %d out of range", v)
		}
		return operand{konst: c.prog.strings[v]}, nil
	}
	return operand{}, fmt.Errorf("operand %T", op.Value)
}

func (c *compiler) blocks(bs []*ir.Block) ([]blockFn, error) {
	out := make([]blockFn, 0, len(bs))
	for _, b := range bs {
		fn, err := c.block(b)
		if err != nil {
			return nil, err
		}
		out = append(out, fn)
	}
	return out, nil
}

// block runs its statements until one leaves: k+1 from a statement leaves this block and k
// more, so the block returns k (0: the enclosing block goes on).
func (c *compiler) block(b *ir.Block) (blockFn, error) {
	stmts, err := c.stmts(b.Stmts)
	if err != nil {
		return nil, err
	}
	return func(e *eval, f frame) int {
		for _, s := range stmts {
			if r := s(e, f); r != 0 {
				return r - 1
			}
		}
		return 0
	}, nil
}

// returnTail compiles the two blocks most functions end with, {IsDefined x; AssignVarOnce x
// → ret} then {ReturnLocal ret}, into one block: x, when a body defined it, becomes the value
// (a different value already there is a conflict, as AssignVarOnce says), and ret is returned.
// Two blocks and three statements a call were a tenth of a call's cost. nil when the
// function does not end so.
func (c *compiler) returnTail(last2, last *ir.Block, ret ir.Local) (blockFn, error) {
	if len(last2.Stmts) != 2 || len(last.Stmts) != 1 {
		return nil, nil
	}
	def, ok1 := last2.Stmts[0].(*ir.IsDefinedStmt)
	once, ok2 := last2.Stmts[1].(*ir.AssignVarOnceStmt)
	r, ok3 := last.Stmts[0].(*ir.ReturnLocalStmt)
	if !ok1 || !ok2 || !ok3 || r.Source != ret || once.Target != ret {
		return nil, nil
	}
	if src, ok := val(once.Source).(ir.Local); !ok || src != def.Source {
		return nil, nil
	}
	assign, err := c.stmt(once)
	if err != nil {
		return nil, err
	}
	x, t := c.local(def.Source), c.local(ret)
	return func(e *eval, f frame) int {
		if f[x] != nil && assign(e, f) != 0 {
			return 0 // the conflict is e.err
		}
		e.ret, e.returns = f[t], true
		return 0
	}, nil
}

func (c *compiler) stmts(ss []ir.Stmt) ([]stmtFn, error) {
	out := make([]stmtFn, 0, len(ss))
	konst := map[int]*ast.Term{} // locals holding a constant since an earlier statement of ss
	for i := 0; i < len(ss); i++ {
		if fn, n := c.fold(ss[i:], konst); fn != nil {
			out = append(out, fn)
			i += n - 1
			continue
		}
		// Runs of statements compiled into one: a value built whole, a built-in's test.
		n := 0
		for _, run := range []func([]ir.Stmt) (stmtFn, int, error){c.construct, c.test} {
			fn, m, err := run(ss[i:])
			if err != nil {
				return nil, err
			}
			if fn != nil {
				out, n = append(out, fn), m
				break
			}
		}
		if n > 0 {
			for _, st := range ss[i : i+n] {
				trackConstants(st, konst, c.prog.strings)
			}
			i += n - 1
			continue
		}
		if fns, err := c.arrayBuilder(ss[i:]); err != nil {
			return nil, err
		} else if fns != nil {
			out = append(out, fns...)
			trackConstants(ss[i], konst, c.prog.strings)
			trackConstants(ss[i+1], konst, c.prog.strings)
			i++
			continue
		}
		fn, err := c.stmt(ss[i])
		if err != nil {
			return nil, err
		}
		if fn != nil {
			out = append(out, fn)
		}
		trackConstants(ss[i], konst, c.prog.strings)
	}
	return out, nil
}

// arrayBuilder compiles an array the plan builds in a loop (an array comprehension: MakeArray
// x, then a statement whose scans append to x, then what reads x) into appends to a slice of
// the evaluation's and one array made when the loop is done: ast.Array.Append allocates a new
// array value at every element (the slices grow besides), so an array of n elements cost n + 2
// log n allocations, and costs four now. It applies only where nothing but the appends
// mentions x until the loop statement is done, and every other mention of x follows it in the
// same list: nothing can read the array before it is made. It returns nil otherwise.
func (c *compiler) arrayBuilder(ss []ir.Stmt) ([]stmtFn, error) {
	mk, ok := ss[0].(*ir.MakeArrayStmt)
	if !ok || len(ss) < 2 {
		return nil, nil
	}
	x := mk.Target
	if _, nested := c.building[int(x)]; nested {
		return nil, nil
	}
	loop := ss[1]
	appends, others, inScan := 0, 0, false
	var visit func(ss []ir.Stmt, scanned bool)
	visit = func(ss []ir.Stmt, scanned bool) {
		for _, s := range ss {
			if a, ok := s.(*ir.ArrayAppendStmt); ok && a.Array == x {
				appends++
				inScan = inScan || scanned
				if v, ok := val(a.Value).(ir.Local); ok && v == x {
					others++
				}
				continue
			}
			if mentions(s, x) {
				others++
			}
			_, isScan := s.(*ir.ScanStmt)
			for _, b := range innerBlocks(s) {
				visit(b.Stmts, scanned || isScan)
			}
		}
	}
	visit([]ir.Stmt{loop}, false)
	if !inScan || others > 0 || c.mentions[x] != 1+appends+mentionsIn(ss[2:], x) {
		return nil, nil
	}
	b := c.prog.builders
	c.prog.builders++
	t := c.local(x)
	start := func(e *eval, f frame) int {
		e.builders[b] = e.builders[b][:0]
		f[t] = nil
		return 0
	}
	c.building[t] = b
	body, err := c.stmt(loop)
	delete(c.building, t)
	if err != nil {
		return nil, err
	}
	made := func(e *eval, f frame) int {
		f[t] = ast.NewTerm(ast.NewArray(slices.Clone(e.builders[b])...))
		clear(e.builders[b])
		return 0
	}
	return []stmtFn{start, body, made}, nil
}

// fold compiles literal objects and arrays the plan builds statement by statement (a run of
// MakeObjectStmt/MakeArrayStmt and inserts or appends of constants into them) into
// assignments of values built here, once: the rule metadata (rego.metadata.rule()) that every
// rule body with a violation builds first is such a literal. The values are shared by every
// evaluation, so they are frozen (freeze); a value the
// statements after the run still add to (or one holding such a value) is not a literal and is
// left out, so no evaluation copies a frozen value to finish it (thaw remains the guard). It
// returns nil when ss does not start with such a run, and how many statements it replaces.
func (c *compiler) fold(ss []ir.Stmt, konst map[int]*ast.Term) (stmtFn, int) {
	n := len(ss)
	for {
		made, order, makes, m := c.foldRun(ss[:n], konst)
		// The run ends where a value made in it is still being added to later: the run
		// stops before that value was made, and is looked at again.
		cut := m
		for _, l := range order {
			if makes[l] < cut && mutatedLater(ss[m:], l) {
				cut = makes[l]
			}
		}
		if cut < m {
			n = cut
			continue
		}
		if len(order) == 0 {
			return nil, 0
		}
		locals := make([]int, len(order))
		values := make([]*ast.Term, len(order))
		for i, l := range order {
			locals[i], values[i] = c.local(l), made[l]
			konst[locals[i]] = values[i]
		}
		for _, v := range values {
			freeze(v, c.prog.frozen, c.prog.seed)
		}
		return func(_ *eval, f frame) int {
			for i, l := range locals {
				f[l] = values[i]
			}
			return 0
		}, m
	}
}

// foldRun builds the values of the longest run of literal statements at the start of ss: the
// values by local, the locals in the order made, the index of each one's make, and the run's
// length.
func (c *compiler) foldRun(ss []ir.Stmt, konst map[int]*ast.Term) (map[ir.Local]*ast.Term, []ir.Local, map[ir.Local]int, int) {
	made := map[ir.Local]*ast.Term{} // locals made in the run, with their values so far
	makes := map[ir.Local]int{}
	var order []ir.Local
	constant := func(op ir.Operand) *ast.Term {
		switch v := val(op).(type) {
		case ir.StringIndex:
			return c.prog.strings[v]
		case ir.Bool:
			return ast.InternedTerm(bool(v))
		case ir.Local:
			if t, ok := made[v]; ok {
				return t
			}
			return konst[int(v)]
		}
		return nil
	}
	n := 0
run:
	for ; n < len(ss); n++ {
		switch s := ss[n].(type) {
		case *ir.MakeObjectStmt:
			if _, again := made[s.Target]; again {
				break run
			}
			made[s.Target], makes[s.Target] = ast.NewTerm(ast.NewObject()), n
			order = append(order, s.Target)
		case *ir.MakeArrayStmt:
			if _, again := made[s.Target]; again {
				break run
			}
			made[s.Target], makes[s.Target] = ast.NewTerm(ast.NewArray()), n
			order = append(order, s.Target)
		case *ir.ObjectInsertStmt:
			obj, ok := made[s.Object]
			k, v := constant(s.Key), constant(s.Value)
			if !ok || k == nil || v == nil || v == obj {
				break run
			}
			obj.Value.(ast.Object).Insert(k, v)
		case *ir.ArrayAppendStmt:
			arr, ok := made[s.Array]
			v := constant(s.Value)
			if !ok || v == nil || v == arr {
				break run
			}
			arr.Value = arr.Value.(*ast.Array).Append(v)
		default:
			break run
		}
	}
	return made, order, makes, n
}

// mutatedLater is whether a statement of ss (or of a block inside one) adds to local l or to a
// local assigned from it.
func mutatedLater(ss []ir.Stmt, l ir.Local) bool {
	aliases := map[ir.Local]bool{l: true}
	var visit func(ss []ir.Stmt) bool
	visit = func(ss []ir.Stmt) bool {
		for _, s := range ss {
			switch s := s.(type) {
			case *ir.AssignVarStmt:
				if v, ok := val(s.Source).(ir.Local); ok && aliases[v] {
					aliases[s.Target] = true
				}
			case *ir.AssignVarOnceStmt:
				if v, ok := val(s.Source).(ir.Local); ok && aliases[v] {
					aliases[s.Target] = true
				}
			case *ir.ObjectInsertStmt:
				if aliases[s.Object] {
					return true
				}
			case *ir.ObjectInsertOnceStmt:
				if aliases[s.Object] {
					return true
				}
			case *ir.ArrayAppendStmt:
				if aliases[s.Array] {
					return true
				}
			case *ir.SetAddStmt:
				if aliases[s.Set] {
					return true
				}
			case *ir.BlockStmt:
				for _, b := range s.Blocks {
					if visit(b.Stmts) {
						return true
					}
				}
			case *ir.NotStmt:
				if visit(s.Block.Stmts) {
					return true
				}
			case *ir.ScanStmt:
				if visit(s.Block.Stmts) {
					return true
				}
			case *ir.WithStmt:
				if visit(s.Block.Stmts) {
					return true
				}
			}
		}
		return false
	}
	return visit(ss)
}

// construct compiles an array or object the plan makes and fills in the next statements (a
// MakeArrayStmt and appends into it, as every tuple such as [path, type] is built; a
// MakeObjectStmt and inserts) into one statement building the value whole: one allocation
// instead of one a statement, as OPA's Array.Append copies the array each time. Values may be
// locals; fold has already taken the runs of constants. It returns nil when ss does not start
// with such a run of at least one append or insert, and how many statements it replaces.
func (c *compiler) construct(ss []ir.Stmt) (stmtFn, int, error) {
	if len(ss) < 2 {
		return nil, 0, nil
	}
	switch m := ss[0].(type) {
	case *ir.MakeArrayStmt:
		var ops []operand
		n := 1
		for ; n < len(ss); n++ {
			a, ok := ss[n].(*ir.ArrayAppendStmt)
			if !ok || a.Array != m.Target || reads(a.Value, m.Target) {
				break
			}
			op, err := c.operand(a.Value)
			if err != nil {
				return nil, 0, err
			}
			ops = append(ops, op)
		}
		if len(ops) == 0 {
			return nil, 0, nil
		}
		t := c.local(m.Target)
		return func(e *eval, f frame) int {
			elems := make([]*ast.Term, len(ops))
			for i, op := range ops {
				if elems[i] = op.get(f); elems[i] == nil {
					return e.fail(errors.New("planeval: array append of an undefined local"))
				}
			}
			f[t] = ast.ArrayTerm(elems...)
			return 0
		}, n, nil
	case *ir.MakeObjectStmt:
		var keys, values []operand
		n := 1
		for ; n < len(ss); n++ {
			ins, ok := ss[n].(*ir.ObjectInsertStmt)
			if !ok || ins.Object != m.Target || reads(ins.Key, m.Target) || reads(ins.Value, m.Target) {
				break
			}
			k, err := c.operand(ins.Key)
			if err != nil {
				return nil, 0, err
			}
			v, err := c.operand(ins.Value)
			if err != nil {
				return nil, 0, err
			}
			keys, values = append(keys, k), append(values, v)
		}
		if len(keys) == 0 {
			return nil, 0, nil
		}
		t := c.local(m.Target)
		where := fmt.Sprintf("objects made in %s row %d", c.fnName, m.Location.Row)
		return func(e *eval, f frame) int {
			if e.profCalls != nil {
				e.profCalls[where]++
			}
			pairs := make([][2]*ast.Term, len(keys))
			for i := range keys {
				k, v := keys[i].get(f), values[i].get(f)
				if k == nil || v == nil {
					return e.fail(errors.New("planeval: object insert of an undefined local"))
				}
				pairs[i] = [2]*ast.Term{k, v}
			}
			f[t] = ast.NewTerm(ast.NewObject(pairs...))
			return 0
		}, n, nil
	}
	return nil, 0, nil
}

// lazySet is the local a partial set rule (first block: MakeSetStmt alone) collects its members
// in, when every other statement of fn mentioning it adds a member to it or returns it: no
// alias of it can exist, so it may start as a shared empty set that the first SetAddStmt
// copies. -1 otherwise.
func lazySet(fn *ir.Func) ir.Local {
	if len(fn.Blocks) < 2 || len(fn.Blocks[0].Stmts) != 1 {
		return -1
	}
	mk, ok := fn.Blocks[0].Stmts[0].(*ir.MakeSetStmt)
	if !ok {
		return -1
	}
	r := mk.Target
	ok = true
	var visit func(ss []ir.Stmt)
	visit = func(ss []ir.Stmt) {
		for _, s := range ss {
			switch s := s.(type) {
			case *ir.SetAddStmt:
				if s.Set == r {
					if reads(s.Value, r) {
						ok = false
					}
					continue
				}
			case *ir.ReturnLocalStmt:
				if s.Source == r {
					continue
				}
			case *ir.BlockStmt:
				for _, b := range s.Blocks {
					visit(b.Stmts)
				}
				continue
			case *ir.NotStmt:
				visit(s.Block.Stmts)
				continue
			case *ir.ScanStmt:
				if s.Source == r || s.Key == r || s.Value == r {
					ok = false
				}
				visit(s.Block.Stmts)
				continue
			case *ir.WithStmt:
				ok = false
				continue
			}
			if mentions(s, r) {
				ok = false
			}
		}
	}
	for _, b := range fn.Blocks[1:] {
		visit(b.Stmts)
	}
	if !ok {
		return -1
	}
	return r
}

// mentions is whether a statement without blocks has local l in any of its fields.
func mentions(s ir.Stmt, l ir.Local) bool { return slices.Contains(localsOf(s), l) }

// reads is whether op is local l.
func reads(op ir.Operand, l ir.Local) bool {
	v, ok := val(op).(ir.Local)
	return ok && v == l
}

// trackConstants updates konst after s: scalars made from constants, and copies of constants,
// stay known; anything else written forgets the local (a statement with blocks forgets all).
func trackConstants(s ir.Stmt, konst map[int]*ast.Term, strs []*ast.Term) {
	switch s := s.(type) {
	case *ir.MakeNumberIntStmt:
		konst[int(s.Target)] = ast.InternedTerm(int(s.Value))
	case *ir.MakeNumberRefStmt:
		konst[int(s.Target)] = ast.NewTerm(ast.Number(string(strs[s.Index].Value.(ast.String))))
	case *ir.MakeNullStmt:
		konst[int(s.Target)] = ast.InternedNullTerm
	case *ir.AssignVarStmt:
		var src *ast.Term
		switch v := val(s.Source).(type) {
		case ir.Local:
			src = konst[int(v)]
		case ir.StringIndex:
			src = strs[v]
		}
		if src != nil {
			konst[int(s.Target)] = src
		} else {
			delete(konst, int(s.Target))
		}
	case *ir.BlockStmt, *ir.NotStmt, *ir.ScanStmt, *ir.WithStmt:
		clear(konst)
	default:
		for _, t := range writtenBy(s) {
			delete(konst, int(t))
		}
	}
}

var errWith = errors.New("`with` outside tests (ir.WithStmt) is not supported by the compiled path")

func (c *compiler) stmt(s ir.Stmt) (stmtFn, error) {
	switch s := s.(type) {
	case *ir.NopStmt:
		return nil, nil
	case *ir.ResultSetAddStmt:
		src := c.local(s.Value)
		return func(e *eval, f frame) int {
			if v := f[src]; v != nil {
				e.result = append(e.result, v)
			}
			return 0
		}, nil
	case *ir.ReturnLocalStmt:
		src := c.local(s.Source)
		return func(e *eval, f frame) int {
			e.ret, e.returns = f[src], true
			return unwind
		}, nil
	case *ir.BreakStmt:
		k := int(s.Index) + 1
		return func(*eval, frame) int { return k }, nil
	case *ir.BlockStmt:
		// An else chain is planned as inner blocks that each start by testing that no
		// earlier body gave the value (IsUndefinedStmt): that test is made here, before the
		// block is entered, and a body after the one that answered costs no call.
		guards := make([]int, len(s.Blocks))
		inner := make([]*ir.Block, len(s.Blocks))
		for i, b := range s.Blocks {
			guards[i], inner[i] = -1, b
			if len(b.Stmts) > 0 {
				if u, ok := b.Stmts[0].(*ir.IsUndefinedStmt); ok {
					guards[i], inner[i] = c.local(u.Source), &ir.Block{Stmts: b.Stmts[1:]}
				}
			}
		}
		bs, err := c.blocks(inner)
		if err != nil {
			return nil, err
		}
		// The inner blocks are not a level of their own: what leaves one leaves the statement.
		return func(e *eval, f frame) int {
			for i, b := range bs {
				if g := guards[i]; g >= 0 && f[g] != nil {
					continue
				}
				if r := b(e, f); r != 0 {
					return r
				}
			}
			return 0
		}, nil
	case *ir.NotStmt:
		stmts, err := c.stmts(s.Block.Stmts)
		if err != nil {
			return nil, err
		}
		return func(e *eval, f frame) int {
			for _, st := range stmts {
				if r := st(e, f); r != 0 {
					if r == 1 { // the negated block is undefined: not succeeds
						return 0
					}
					return r - 1
				}
			}
			return 1
		}, nil
	case *ir.ScanStmt:
		return c.scan(s)
	case *ir.CallStmt:
		return c.call(s)
	case *ir.CallDynamicStmt:
		return c.callDynamic(s)
	case *ir.DotStmt:
		src, err := c.operand(s.Source)
		if err != nil {
			return nil, err
		}
		key, err := c.operand(s.Key)
		if err != nil {
			return nil, err
		}
		t := c.local(s.Target)
		seed := c.prog.seed
		if k, ok := konstString(key); ok {
			// A constant key is hashed here, once, for the frozen objects' tables.
			name, h := string(k), maphash.String(seed, string(k))
			return func(_ *eval, f frame) int {
				var v *ast.Term
				if st := src.get(f); st != nil {
					if keys := frozenKeys(st); keys != nil {
						hk := h // the closure's own is shared by every evaluation
						if keys.seed != seed {
							hk = maphash.String(keys.seed, name)
						}
						v = keys.get(name, hk)
					} else {
						v = dot(st, key.konst)
					}
				}
				if v == nil {
					return 1
				}
				f[t] = v
				return 0
			}, nil
		}
		return func(_ *eval, f frame) int {
			v := dot(src.get(f), key.get(f))
			if v == nil {
				return 1
			}
			f[t] = v
			return 0
		}, nil
	case *ir.LenStmt:
		src, err := c.operand(s.Source)
		if err != nil {
			return nil, err
		}
		t := c.local(s.Target)
		return func(_ *eval, f frame) int {
			n, ok := length(src.get(f))
			if !ok {
				return 1
			}
			f[t] = ast.InternedTerm(n)
			return 0
		}, nil
	case *ir.AssignIntStmt:
		v := ast.InternedTerm(int(s.Value))
		t := c.local(s.Target)
		return func(_ *eval, f frame) int { f[t] = v; return 0 }, nil
	case *ir.MakeNumberIntStmt:
		v := ast.InternedTerm(int(s.Value))
		t := c.local(s.Target)
		return func(_ *eval, f frame) int { f[t] = v; return 0 }, nil
	case *ir.MakeNumberRefStmt:
		if s.Index < 0 || s.Index >= len(c.prog.strings) {
			return nil, fmt.Errorf("number string index %d out of range", s.Index)
		}
		v := ast.NewTerm(ast.Number(string(c.prog.strings[s.Index].Value.(ast.String))))
		t := c.local(s.Target)
		return func(_ *eval, f frame) int { f[t] = v; return 0 }, nil
	case *ir.MakeNullStmt:
		t := c.local(s.Target)
		return func(_ *eval, f frame) int { f[t] = ast.InternedNullTerm; return 0 }, nil
	case *ir.AssignVarStmt:
		src, err := c.operand(s.Source)
		if err != nil {
			return nil, err
		}
		t := c.local(s.Target)
		return func(_ *eval, f frame) int { f[t] = src.get(f); return 0 }, nil
	case *ir.AssignVarOnceStmt:
		src, err := c.operand(s.Source)
		if err != nil {
			return nil, err
		}
		t := c.local(s.Target)
		return func(e *eval, f frame) int {
			v := src.get(f)
			if cur := f[t]; cur != nil && !cur.Equal(v) {
				return e.fail(ErrConflict)
			}
			f[t] = v
			return 0
		}, nil
	case *ir.ResetLocalStmt:
		t := c.local(s.Target)
		return func(_ *eval, f frame) int { f[t] = nil; return 0 }, nil
	case *ir.MakeArrayStmt:
		t, n := c.local(s.Target), int(s.Capacity)
		return func(_ *eval, f frame) int {
			f[t] = ast.NewTerm(ast.NewArrayWithCapacity(n))
			return 0
		}, nil
	case *ir.MakeObjectStmt:
		t := c.local(s.Target)
		where := fmt.Sprintf("objects made in %s row %d", c.fnName, s.Location.Row)
		return func(e *eval, f frame) int {
			if e.profCalls != nil {
				e.profCalls[where]++
			}
			f[t] = ast.NewTerm(ast.NewObject())
			return 0
		}, nil
	case *ir.MakeSetStmt:
		t := c.local(s.Target)
		if s.Target == c.lazySet {
			// Most deny rules are empty for most applications: they start from one shared
			// empty set, which the first member added copies (thaw).
			empty := ast.NewTerm(ast.NewSet())
			empty.Location = c.prog.frozen
			return func(_ *eval, f frame) int { f[t] = empty; return 0 }, nil
		}
		return func(_ *eval, f frame) int { f[t] = ast.NewTerm(ast.NewSet()); return 0 }, nil
	case *ir.EqualStmt, *ir.NotEqualStmt:
		var a, b ir.Operand
		want := true
		if eq, ok := s.(*ir.EqualStmt); ok {
			a, b = eq.A, eq.B
		} else {
			ne := s.(*ir.NotEqualStmt)
			a, b, want = ne.A, ne.B, false
		}
		x, err := c.operand(a)
		if err != nil {
			return nil, err
		}
		y, err := c.operand(b)
		if err != nil {
			return nil, err
		}
		if x.konst != nil {
			x, y = y, x
		}
		// A local against a string or boolean constant (every test of a built-in's or a
		// function's result against false, every `spec.type == "string"`): the comparison
		// without ast.Compare's dispatch on both types; another type is simply unequal.
		if k := y.konst; k != nil && x.konst == nil {
			l := x.local
			switch kv := k.Value.(type) {
			case ast.String:
				return func(_ *eval, f frame) int {
					v := f[l]
					if v == nil {
						return 1
					}
					if s, ok := v.Value.(ast.String); (ok && s == kv) != want {
						return 1
					}
					return 0
				}, nil
			case ast.Boolean:
				return func(_ *eval, f frame) int {
					v := f[l]
					if v == nil {
						return 1
					}
					if b, ok := v.Value.(ast.Boolean); (ok && b == kv) != want {
						return 1
					}
					return 0
				}, nil
			}
		}
		return func(_ *eval, f frame) int {
			av, bv := x.get(f), y.get(f)
			if av == nil || bv == nil {
				return 1
			}
			if (ast.Compare(av.Value, bv.Value) == 0) != want {
				return 1
			}
			return 0
		}, nil
	case *ir.IsArrayStmt:
		return c.isType(s.Source, func(v ast.Value) bool { _, ok := v.(*ast.Array); return ok })
	case *ir.IsObjectStmt:
		return c.isType(s.Source, func(v ast.Value) bool { _, ok := v.(ast.Object); return ok })
	case *ir.IsSetStmt:
		return c.isType(s.Source, func(v ast.Value) bool { _, ok := v.(ast.Set); return ok })
	case *ir.IsDefinedStmt:
		src := c.local(s.Source)
		return func(_ *eval, f frame) int {
			if f[src] == nil {
				return 1
			}
			return 0
		}, nil
	case *ir.IsUndefinedStmt:
		src := c.local(s.Source)
		return func(_ *eval, f frame) int {
			if f[src] != nil {
				return 1
			}
			return 0
		}, nil
	case *ir.ArrayAppendStmt:
		v, err := c.operand(s.Value)
		if err != nil {
			return nil, err
		}
		arr := c.local(s.Array)
		if b, ok := c.building[arr]; ok {
			return func(e *eval, f frame) int {
				x := v.get(f)
				if x == nil {
					return e.fail(errors.New("planeval: array append of an undefined value"))
				}
				e.builders[b] = append(e.builders[b], x)
				return 0
			}, nil
		}
		return func(e *eval, f frame) int {
			t := e.thaw(f, arr)
			a, ok := t.Value.(*ast.Array)
			x := v.get(f)
			if !ok || x == nil {
				return e.fail(fmt.Errorf("planeval: array append to %T", t.Value))
			}
			t.Value = a.Append(x)
			return 0
		}, nil
	case *ir.ObjectInsertStmt, *ir.ObjectInsertOnceStmt:
		var key, value ir.Operand
		var obj ir.Local
		once := false
		if ins, ok := s.(*ir.ObjectInsertStmt); ok {
			key, value, obj = ins.Key, ins.Value, ins.Object
		} else {
			ins := s.(*ir.ObjectInsertOnceStmt)
			key, value, obj, once = ins.Key, ins.Value, ins.Object, true
		}
		k, err := c.operand(key)
		if err != nil {
			return nil, err
		}
		v, err := c.operand(value)
		if err != nil {
			return nil, err
		}
		o := c.local(obj)
		return func(e *eval, f frame) int {
			t := e.thaw(f, o)
			if t == nil {
				return e.fail(errors.New("planeval: object insert into an undefined local"))
			}
			m, ok := t.Value.(ast.Object)
			kt, vt := k.get(f), v.get(f)
			if !ok || kt == nil || vt == nil {
				return e.fail(fmt.Errorf("planeval: object insert into %T", t.Value))
			}
			if once {
				if cur := m.Get(kt); cur != nil && !cur.Equal(vt) {
					return e.fail(ErrConflict)
				}
			}
			m.Insert(kt, vt)
			return 0
		}, nil
	case *ir.ObjectMergeStmt:
		a, b, t := c.local(s.A), c.local(s.B), c.local(s.Target)
		return func(e *eval, f frame) int {
			x, ok1 := f[a].Value.(ast.Object)
			y, ok2 := f[b].Value.(ast.Object)
			if !ok1 || !ok2 {
				return e.fail(ErrConflict)
			}
			m, ok := x.Merge(y)
			if !ok {
				return e.fail(ErrConflict)
			}
			f[t] = ast.NewTerm(m)
			return 0
		}, nil
	case *ir.SetAddStmt:
		v, err := c.operand(s.Value)
		if err != nil {
			return nil, err
		}
		set := c.local(s.Set)
		return func(e *eval, f frame) int {
			t := e.thaw(f, set)
			st, ok := t.Value.(ast.Set)
			x := v.get(f)
			if !ok || x == nil {
				return e.fail(fmt.Errorf("planeval: set add to %T", t.Value))
			}
			st.Add(x)
			return 0
		}, nil
	case *ir.WithStmt:
		return nil, errWith
	}
	return nil, fmt.Errorf("statement %T is not supported", s)
}

func (c *compiler) isType(op ir.Operand, is func(ast.Value) bool) (stmtFn, error) {
	src, err := c.operand(op)
	if err != nil {
		return nil, err
	}
	return func(_ *eval, f frame) int {
		if v := src.get(f); v == nil || !is(v.Value) {
			return 1
		}
		return 0
	}, nil
}

// scan runs the block for each key and value of an array, object or set; the block leaving
// k+1 levels stops the scan, which then leaves k (the scan is a level, as a Wasm loop is).
func (c *compiler) scan(s *ir.ScanStmt) (stmtFn, error) {
	src, key, val := c.local(s.Source), c.local(s.Key), c.local(s.Value)
	stmts, err := c.stmts(s.Block.Stmts)
	if err != nil {
		return nil, err
	}
	body := func(e *eval, f frame) int {
		if e.calls++; e.calls&255 == 0 && e.cancelled() {
			return unwind
		}
		for _, st := range stmts {
			if r := st(e, f); r != 0 {
				return r - 1
			}
		}
		return 0
	}
	return func(e *eval, f frame) int {
		t := f[src]
		if t == nil {
			return 0
		}
		r := 0
		switch v := t.Value.(type) {
		case *ast.Array:
			for i := 0; i < v.Len(); i++ {
				f[key], f[val] = ast.InternedTerm(i), v.Elem(i)
				if r = body(e, f); r != 0 {
					break
				}
			}
		case ast.Object:
			// Until walks the sorted entries in place (Keys would copy them, and Get hash
			// each key again), calling a visitor kept by the evaluation for this depth of
			// scans: a closure made here would be allocated at every scan.
			st := e.scanner()
			st.f, st.key, st.val, st.body = f, key, val, body
			v.Until(st.visit)
			r = st.r
			e.scanDone(st)
		case ast.Set:
			for _, x := range v.Slice() {
				f[key], f[val] = x, x
				if r = body(e, f); r != 0 {
					break
				}
			}
		}
		if r > 0 {
			return r - 1
		}
		return 0
	}, nil
}

func (c *compiler) args(ops []ir.Operand) ([]operand, error) {
	out := make([]operand, len(ops))
	for i, op := range ops {
		o, err := c.operand(op)
		if err != nil {
			return nil, err
		}
		out[i] = o
	}
	return out, nil
}

func (c *compiler) call(s *ir.CallStmt) (stmtFn, error) {
	args, err := c.args(s.Args)
	if err != nil {
		return nil, err
	}
	t := c.local(s.Result)
	if i, ok := c.funcIndex[s.Func]; ok {
		fn := c.prog.funcs[i]
		return func(e *eval, f frame) int {
			var v *ast.Term
			if e.prof != nil { // e.call counts memoized answers too
				in := e.push(len(args))
				for j, a := range args {
					in[j] = a.get(f)
				}
				v = e.call(fn, in)
				e.pop(len(args))
			} else {
				// A rule already evaluated answers from the memo table, without a frame:
				// rules such as a package's `sections := data...` are read inside loops.
				if fn.memo >= 0 {
					if m := &e.memo[fn.memo]; m.done {
						if m.value == nil {
							return 1
						}
						f[t] = m.value
						return 0
					}
				}
				// The arguments go straight into the callee's frame.
				callee := frame(e.push(fn.frame))
				for j, a := range args {
					callee[fn.params[j]] = a.get(f)
				}
				v = e.run(fn, callee)
			}
			if e.err != nil {
				return unwind
			}
			if v == nil {
				return 1
			}
			f[t] = v
			return 0
		}, nil
	}
	b, err := newBuiltin(s.Func)
	if err != nil {
		return nil, err
	}
	if fn := c.fastCall(b, args); fn != nil {
		return func(e *eval, f frame) int {
			v := fn(e, f)
			if v == nil {
				return 1
			}
			f[t] = v
			return 0
		}, nil
	}
	return func(e *eval, f frame) int {
		in := e.push(len(args))
		for j, a := range args {
			if in[j] = a.get(f); in[j] == nil {
				e.pop(len(args))
				return 1
			}
		}
		v, err := b.call(e, in)
		e.pop(len(args))
		if err != nil {
			return e.fail(err)
		}
		if v == nil {
			return 1
		}
		f[t] = v
		return 0
	}, nil
}

// fastCall is a call of a fast built-in (fast1, fast2) reading its arguments straight from
// the frame, nil for other built-ins. Its value is nil when an argument is undefined or the
// built-in is; under a profile it goes through builtin.call, which times it.
func (c *compiler) fastCall(b *builtin, args []operand) func(e *eval, f frame) *ast.Term {
	switch {
	case b.fast1 != nil && len(args) == 1:
		x, fn := args[0], b.fast1
		return func(e *eval, f frame) *ast.Term {
			a := x.get(f)
			if a == nil {
				return nil
			}
			if e.prof != nil {
				v, _ := b.call(e, []*ast.Term{a})
				return v
			}
			return fn(a)
		}
	case b.fast2 != nil && len(args) == 2:
		x, y, fn := args[0], args[1], b.fast2
		return func(e *eval, f frame) *ast.Term {
			a, b2 := x.get(f), y.get(f)
			if a == nil || b2 == nil {
				return nil
			}
			if e.prof != nil {
				v, _ := b.call(e, []*ast.Term{a, b2})
				return v
			}
			return fn(a, b2)
		}
	}
	return nil
}

// test compiles a call of a fast built-in followed by the test that its value is not false
// (every built-in called as a condition, such as is_string(v) or count(v) <= n, is planned
// so) into one statement. It returns nil when ss does not start so, and how many statements
// it replaces.
func (c *compiler) test(ss []ir.Stmt) (stmtFn, int, error) {
	if len(ss) < 2 {
		return nil, 0, nil
	}
	call, ok := ss[0].(*ir.CallStmt)
	if !ok {
		return nil, 0, nil
	}
	ne, ok := ss[1].(*ir.NotEqualStmt)
	if !ok || !reads(ne.A, call.Result) {
		return nil, 0, nil
	}
	if b, ok := val(ne.B).(ir.Bool); !ok || bool(b) {
		return nil, 0, nil
	}
	if _, ok := c.funcIndex[call.Func]; ok {
		return nil, 0, nil
	}
	b, err := newBuiltin(call.Func)
	if err != nil {
		return nil, 0, err
	}
	args, err := c.args(call.Args)
	if err != nil {
		return nil, 0, err
	}
	fn := c.fastCall(b, args)
	if fn == nil {
		return nil, 0, nil
	}
	t := c.local(call.Result)
	return func(e *eval, f frame) int {
		v := fn(e, f)
		if v == nil {
			return 1
		}
		f[t] = v
		if b, ok := v.Value.(ast.Boolean); ok && !bool(b) {
			return 1
		}
		return 0
	}, 2, nil
}

// callDynamic calls the function at a path known only at run time (data.x[k] over rules).
// As OPA's Wasm compiler: no function there leaves this block (the planner then reads the
// path from data); a function whose value is undefined leaves four levels.
func (c *compiler) callDynamic(s *ir.CallDynamicStmt) (stmtFn, error) {
	path, err := c.args(s.Path)
	if err != nil {
		return nil, err
	}
	args := make([]int, len(s.Args))
	for i, a := range s.Args {
		args[i] = c.local(a)
	}
	t := c.local(s.Result)
	return func(e *eval, f frame) int {
		parts := make([]string, len(path))
		for i, p := range path {
			v := p.get(f)
			if v == nil {
				return 1
			}
			s, ok := v.Value.(ast.String)
			if !ok {
				return 1
			}
			parts[i] = string(s)
		}
		fn, ok := e.prog.byPath[strings.Join(parts, "/")]
		if !ok {
			return 1
		}
		in := e.push(len(args))
		for i, a := range args {
			in[i] = f[a]
		}
		v := e.call(fn, in)
		e.pop(len(args))
		if e.err != nil {
			return unwind
		}
		if v == nil {
			return 4
		}
		f[t] = v
		return 0
	}, nil
}

// konstString is a constant string operand's string.
func konstString(o operand) (ast.String, bool) {
	if o.konst == nil {
		return "", false
	}
	s, ok := o.konst.Value.(ast.String)
	return s, ok
}

// dot is src[key], nil when undefined.
func dot(src, key *ast.Term) *ast.Term {
	if src == nil || key == nil {
		return nil
	}
	switch v := src.Value.(type) {
	case ast.Object:
		if keys := frozenKeys(src); keys != nil {
			if s, ok := key.Value.(ast.String); ok {
				return keys.get(string(s), maphash.String(keys.seed, string(s)))
			}
		}
		return v.Get(key)
	case *ast.Array:
		n, ok := key.Value.(ast.Number)
		if !ok {
			return nil
		}
		i, ok := index(n)
		if !ok || i < 0 || i >= v.Len() {
			return nil
		}
		return v.Elem(i)
	case ast.Set:
		if v.Contains(key) {
			return key
		}
	}
	return nil
}

// index is n.Int(), without a parse for the one- and two-digit indexes that tuples and most
// arrays are read with.
func index(n ast.Number) (int, bool) {
	switch s := string(n); {
	case len(s) == 1 && s[0] >= '0' && s[0] <= '9':
		return int(s[0] - '0'), true
	case len(s) == 2 && s[0] >= '1' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9':
		return int(s[0]-'0')*10 + int(s[1]-'0'), true
	}
	return n.Int()
}

func length(t *ast.Term) (int, bool) {
	if t == nil {
		return 0, false
	}
	switch v := t.Value.(type) {
	case *ast.Array:
		return v.Len(), true
	case ast.Object:
		return v.Len(), true
	case ast.Set:
		return v.Len(), true
	case ast.String:
		return utf8.RuneCountInString(string(v)), true
	}
	return 0, false
}
