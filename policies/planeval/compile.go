package planeval

import (
	"errors"
	"fmt"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/ir"
)

type compiler struct {
	prog      *Program
	funcIndex map[string]int
	memos     int
	maxLocal  int
	fnName    string
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

func (c *compiler) stmts(ss []ir.Stmt) ([]stmtFn, error) {
	out := make([]stmtFn, 0, len(ss))
	konst := map[int]*ast.Term{} // locals holding a constant since an earlier statement of ss
	for i := 0; i < len(ss); i++ {
		if fn, n := c.fold(ss[i:], konst); fn != nil {
			out = append(out, fn)
			i += n - 1
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

// fold compiles literal objects and arrays the plan builds statement by statement (a run of
// MakeObjectStmt/MakeArrayStmt and inserts or appends of constants into them) into
// assignments of values built here, once: the rule metadata (rego.metadata.rule()) that every
// rule body with a violation builds first is such a literal. The values are shared by every
// evaluation, so they are frozen (their Location is the Program's sentinel) and a later insert
// or append into one copies it first. It returns nil when ss does not start with such a run,
// and how many statements it replaces.
func (c *compiler) fold(ss []ir.Stmt, konst map[int]*ast.Term) (stmtFn, int) {
	made := map[ir.Local]*ast.Term{} // locals made in the run, with their values so far
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
			made[s.Target] = ast.NewTerm(ast.NewObject())
			order = append(order, s.Target)
		case *ir.MakeArrayStmt:
			if _, again := made[s.Target]; again {
				break run
			}
			made[s.Target] = ast.NewTerm(ast.NewArray())
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
	if len(order) == 0 {
		return nil, 0
	}
	locals := make([]int, len(order))
	values := make([]*ast.Term, len(order))
	for i, l := range order {
		locals[i], values[i] = c.local(l), made[l]
		values[i].Location = c.prog.frozen
		konst[locals[i]] = values[i]
	}
	return func(_ *eval, f frame) int {
		for i, l := range locals {
			f[l] = values[i]
		}
		return 0
	}, n
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
		for _, t := range written(s) {
			delete(konst, t)
		}
	}
}

// written are the locals a statement without blocks assigns.
func written(s ir.Stmt) []int {
	switch s := s.(type) {
	case *ir.DotStmt:
		return []int{int(s.Target)}
	case *ir.LenStmt:
		return []int{int(s.Target)}
	case *ir.CallStmt:
		return []int{int(s.Result)}
	case *ir.CallDynamicStmt:
		return []int{int(s.Result)}
	case *ir.AssignVarOnceStmt:
		return []int{int(s.Target)}
	case *ir.AssignIntStmt:
		return []int{int(s.Target)}
	case *ir.ResetLocalStmt:
		return []int{int(s.Target)}
	case *ir.MakeArrayStmt:
		return []int{int(s.Target)}
	case *ir.MakeObjectStmt:
		return []int{int(s.Target)}
	case *ir.MakeSetStmt:
		return []int{int(s.Target)}
	case *ir.ObjectMergeStmt:
		return []int{int(s.Target)}
	case *ir.ArrayAppendStmt:
		return []int{int(s.Array)}
	case *ir.ObjectInsertStmt:
		return []int{int(s.Object)}
	case *ir.ObjectInsertOnceStmt:
		return []int{int(s.Object)}
	case *ir.SetAddStmt:
		return []int{int(s.Set)}
	}
	return nil
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
		bs, err := c.blocks(s.Blocks)
		if err != nil {
			return nil, err
		}
		// The inner blocks are not a level of their own: what leaves one leaves the statement.
		return func(e *eval, f frame) int {
			for _, b := range bs {
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
			f[t] = ast.NewTerm(ast.NewArray(make([]*ast.Term, 0, n)...))
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
			for _, k := range v.Keys() {
				f[key], f[val] = k, v.Get(k)
				if r = body(e, f); r != 0 {
					break
				}
			}
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
			in := e.push(len(args))
			for j, a := range args {
				in[j] = a.get(f)
			}
			v := e.call(fn, in)
			e.pop(len(args))
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

// dot is src[key], nil when undefined.
func dot(src, key *ast.Term) *ast.Term {
	if src == nil || key == nil {
		return nil
	}
	switch v := src.Value.(type) {
	case ast.Object:
		return v.Get(key)
	case *ast.Array:
		n, ok := key.Value.(ast.Number)
		if !ok {
			return nil
		}
		i, ok := n.Int()
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
		return len([]rune(string(v))), true
	}
	return 0, false
}
