package planeval

import (
	"reflect"
	"slices"

	"github.com/open-policy-agent/opa/v1/ir"
)

// The planner copies a local into a fresh one at nearly every step: each parameter at the
// start of a function, each value a lookup or a call returns, each key and value of a scan
// (AssignVarStmt, about 1,500 a decision). A copy t := s is dropped, and t read as s, when
// that cannot change what any statement sees:
//
//   - nothing but the copy writes t (a change in place, such as an append, counts as a write);
//   - every statement that mentions t comes after the copy in the copy's own statement list
//     (or in blocks inside those statements), so t is only read once the copy has run, in the
//     same pass over the list;
//   - nothing after the copy in that list writes s, so s still holds what t would hold.
//
// Statements in a list run in order, and a list run again (a scan's body) runs the copy again
// before any of those reads, so under these conditions t and s hold the same value wherever t
// is read. Copies of copies resolve to the first source.

// dropCopies returns the function's blocks with the copies that can go removed and their
// targets renamed to their sources; the plan's own blocks are left as they were.
func dropCopies(blocks []*ir.Block, params []ir.Local) []*ir.Block {
	writes := map[ir.Local]int{}
	for _, p := range params {
		writes[p]++
	}
	for _, b := range blocks {
		walkStmts(b.Stmts, func(s ir.Stmt) {
			for _, l := range writtenBy(s) {
				writes[l]++
			}
		})
	}
	mentions := countMentions(blocks)
	alias := map[ir.Local]ir.Local{}
	var find func(ss []ir.Stmt)
	find = func(ss []ir.Stmt) {
		for i, s := range ss {
			for _, b := range innerBlocks(s) {
				find(b.Stmts)
			}
			cp, ok := s.(*ir.AssignVarStmt)
			if !ok {
				continue
			}
			src, ok := val(cp.Source).(ir.Local)
			t := cp.Target
			if !ok || src == t || writes[t] != 1 {
				continue
			}
			after, srcWritten := mentionsIn(ss[i+1:], t), false
			walkStmts(ss[i+1:], func(s ir.Stmt) {
				for _, l := range writtenBy(s) {
					if l == src {
						srcWritten = true
					}
				}
			})
			// The copy mentions t once itself.
			if after == mentions[t]-1 && !srcWritten {
				alias[t] = src
			}
		}
	}
	for _, b := range blocks {
		find(b.Stmts)
	}
	for t, s := range reusedCopies(blocks, writes, mentions, params) {
		if _, ok := alias[t]; !ok {
			alias[t] = s
		}
	}
	if len(alias) == 0 {
		return blocks
	}
	resolve := func(l ir.Local) ir.Local {
		for {
			s, ok := alias[l]
			if !ok {
				return l
			}
			l = s
		}
	}
	out := make([]*ir.Block, len(blocks))
	for i, b := range blocks {
		out[i] = renameBlock(b, alias, resolve)
	}
	return out
}

// countMentions counts, for each local, the statements of blocks (and of the blocks inside
// them) that name it.
func countMentions(blocks []*ir.Block) map[ir.Local]int {
	n := map[ir.Local]int{}
	for _, b := range blocks {
		walkStmts(b.Stmts, func(s ir.Stmt) {
			for _, l := range localsOf(s) {
				n[l]++
			}
		})
	}
	return n
}

// reusedCopies are the targets the planner copies a parameter into more than once (each body
// of an else chain starts by copying the parameters into the same locals) that can read the
// parameter instead: every write of t is a copy of the same parameter s, which nothing else
// writes, and every mention of t follows one of those copies in the copy's own statement list,
// so t holds what s holds wherever it is read. A target copied in a list and again in a list
// inside it is left alone (its mentions would count twice).
func reusedCopies(blocks []*ir.Block, writes, mentions map[ir.Local]int, params []ir.Local) map[ir.Local]ir.Local {
	source := map[ir.Local]ir.Local{}
	copies := map[ir.Local]int{}
	bad := map[ir.Local]bool{}
	for _, b := range blocks {
		walkStmts(b.Stmts, func(st ir.Stmt) {
			cp, ok := st.(*ir.AssignVarStmt)
			if !ok {
				return
			}
			src, ok := val(cp.Source).(ir.Local)
			t := cp.Target
			if prev, seen := source[t]; !ok || src == t || (seen && prev != src) {
				bad[t] = true
				return
			}
			source[t] = src
			copies[t]++
		})
	}
	covered := map[ir.Local]int{}
	var visit func(ss []ir.Stmt)
	visit = func(ss []ir.Stmt) {
		first := map[ir.Local]bool{}
		for i, st := range ss {
			if cp, ok := st.(*ir.AssignVarStmt); ok && !first[cp.Target] && copies[cp.Target] > 1 {
				first[cp.Target] = true
				covered[cp.Target] += mentionsIn(ss[i:], cp.Target)
			}
			for _, b := range innerBlocks(st) {
				visit(b.Stmts)
			}
		}
	}
	for _, b := range blocks {
		visit(b.Stmts)
	}
	out := map[ir.Local]ir.Local{}
	for t, s := range source {
		if bad[t] || copies[t] < 2 || writes[t] != copies[t] || !slices.Contains(params, s) || writes[s] != 1 {
			continue
		}
		if covered[t] == mentions[t] {
			out[t] = s
		}
	}
	return out
}

// mentionsIn counts the mentions of l in ss and the blocks inside them (once a field, as
// countMentions counts).
func mentionsIn(ss []ir.Stmt, l ir.Local) int {
	n := 0
	walkStmts(ss, func(s ir.Stmt) {
		for _, m := range localsOf(s) {
			if m == l {
				n++
			}
		}
	})
	return n
}

// walkStmts calls fn for each statement of ss and of the blocks inside them.
func walkStmts(ss []ir.Stmt, fn func(ir.Stmt)) {
	for _, s := range ss {
		fn(s)
		for _, b := range innerBlocks(s) {
			walkStmts(b.Stmts, fn)
		}
	}
}

func innerBlocks(s ir.Stmt) []*ir.Block {
	switch s := s.(type) {
	case *ir.BlockStmt:
		return s.Blocks
	case *ir.NotStmt:
		return []*ir.Block{s.Block}
	case *ir.ScanStmt:
		return []*ir.Block{s.Block}
	case *ir.WithStmt:
		return []*ir.Block{s.Block}
	}
	return nil
}

// writtenBy are the locals a statement assigns or changes in place (not those of the blocks
// inside it); for a statement this does not know, every local it names.
func writtenBy(s ir.Stmt) []ir.Local {
	switch s := s.(type) {
	case *ir.CallStmt:
		return []ir.Local{s.Result}
	case *ir.CallDynamicStmt:
		return []ir.Local{s.Result}
	case *ir.DotStmt:
		return []ir.Local{s.Target}
	case *ir.LenStmt:
		return []ir.Local{s.Target}
	case *ir.ScanStmt:
		return []ir.Local{s.Key, s.Value}
	case *ir.AssignIntStmt:
		return []ir.Local{s.Target}
	case *ir.AssignVarStmt:
		return []ir.Local{s.Target}
	case *ir.AssignVarOnceStmt:
		return []ir.Local{s.Target}
	case *ir.ResetLocalStmt:
		return []ir.Local{s.Target}
	case *ir.MakeNullStmt:
		return []ir.Local{s.Target}
	case *ir.MakeNumberIntStmt:
		return []ir.Local{s.Target}
	case *ir.MakeNumberRefStmt:
		return []ir.Local{s.Target}
	case *ir.MakeArrayStmt:
		return []ir.Local{s.Target}
	case *ir.MakeObjectStmt:
		return []ir.Local{s.Target}
	case *ir.MakeSetStmt:
		return []ir.Local{s.Target}
	case *ir.ArrayAppendStmt:
		return []ir.Local{s.Array}
	case *ir.ObjectInsertStmt:
		return []ir.Local{s.Object}
	case *ir.ObjectInsertOnceStmt:
		return []ir.Local{s.Object}
	case *ir.ObjectMergeStmt:
		return []ir.Local{s.Target}
	case *ir.SetAddStmt:
		return []ir.Local{s.Set}
	case *ir.WithStmt:
		return []ir.Local{s.Local}
	case *ir.ReturnLocalStmt, *ir.BlockStmt, *ir.BreakStmt, *ir.NotStmt, *ir.EqualStmt,
		*ir.NotEqualStmt, *ir.IsArrayStmt, *ir.IsObjectStmt, *ir.IsSetStmt, *ir.IsDefinedStmt,
		*ir.IsUndefinedStmt, *ir.NopStmt, *ir.ResultSetAddStmt:
		return nil
	}
	return localsOf(s)
}

var (
	localType    = reflect.TypeFor[ir.Local]()
	operandType  = reflect.TypeFor[ir.Operand]()
	operandsType = reflect.TypeFor[[]ir.Operand]()
	localsType   = reflect.TypeFor[[]ir.Local]()
	blockType    = reflect.TypeFor[*ir.Block]()
	blocksType   = reflect.TypeFor[[]*ir.Block]()
)

// localsOf are the locals a statement's own fields name (read or written), once per field.
func localsOf(s ir.Stmt) []ir.Local {
	var out []ir.Local
	v := reflect.ValueOf(s).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Type() {
		case localType:
			out = append(out, f.Interface().(ir.Local))
		case operandType:
			if l, ok := val(f.Interface().(ir.Operand)).(ir.Local); ok {
				out = append(out, l)
			}
		case operandsType:
			for _, op := range f.Interface().([]ir.Operand) {
				if l, ok := val(op).(ir.Local); ok {
					out = append(out, l)
				}
			}
		case localsType:
			out = append(out, f.Interface().([]ir.Local)...)
		}
	}
	return out
}

func renameBlock(b *ir.Block, alias map[ir.Local]ir.Local, resolve func(ir.Local) ir.Local) *ir.Block {
	out := &ir.Block{Stmts: make([]ir.Stmt, 0, len(b.Stmts))}
	for _, s := range b.Stmts {
		if cp, ok := s.(*ir.AssignVarStmt); ok {
			if _, dropped := alias[cp.Target]; dropped {
				continue
			}
		}
		out.Stmts = append(out.Stmts, renameStmt(s, alias, resolve))
	}
	return out
}

// renameStmt is a copy of s with every local read through resolve and the blocks inside it
// renamed too.
func renameStmt(s ir.Stmt, alias map[ir.Local]ir.Local, resolve func(ir.Local) ir.Local) ir.Stmt {
	orig := reflect.ValueOf(s).Elem()
	cp := reflect.New(orig.Type())
	cp.Elem().Set(orig)
	v := cp.Elem()
	operand := func(op ir.Operand) ir.Operand {
		if l, ok := val(op).(ir.Local); ok {
			return ir.Operand{Value: resolve(l)}
		}
		return op
	}
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Type() {
		case localType:
			f.Set(reflect.ValueOf(resolve(f.Interface().(ir.Local))))
		case operandType:
			f.Set(reflect.ValueOf(operand(f.Interface().(ir.Operand))))
		case operandsType:
			ops := f.Interface().([]ir.Operand)
			n := make([]ir.Operand, len(ops))
			for j, op := range ops {
				n[j] = operand(op)
			}
			f.Set(reflect.ValueOf(n))
		case localsType:
			ls := f.Interface().([]ir.Local)
			n := make([]ir.Local, len(ls))
			for j, l := range ls {
				n[j] = resolve(l)
			}
			f.Set(reflect.ValueOf(n))
		case blockType:
			if b := f.Interface().(*ir.Block); b != nil {
				f.Set(reflect.ValueOf(renameBlock(b, alias, resolve)))
			}
		case blocksType:
			bs := f.Interface().([]*ir.Block)
			n := make([]*ir.Block, len(bs))
			for j, b := range bs {
				n[j] = renameBlock(b, alias, resolve)
			}
			f.Set(reflect.ValueOf(n))
		}
	}
	return cp.Interface().(ir.Stmt)
}
