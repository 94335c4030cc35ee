package planeval

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/ir"
)

// TestDropCopies: which copies go, and what reads their targets then read.
func TestDropCopies(t *testing.T) {
	loc := func(l ir.Local) ir.Operand { return ir.Operand{Value: l} }
	str := ir.Operand{Value: ir.StringIndex(0)}
	cp := func(s, t ir.Local) ir.Stmt { return &ir.AssignVarStmt{Source: loc(s), Target: t} }
	dot := func(s, t ir.Local) ir.Stmt { return &ir.DotStmt{Source: loc(s), Key: str, Target: t} }
	block := func(ss ...ir.Stmt) *ir.Block { return &ir.Block{Stmts: ss} }
	bodies := func(bs ...*ir.Block) ir.Stmt { return &ir.BlockStmt{Blocks: bs} } // an else chain's
	params := []ir.Local{0, 1, 3}
	for _, c := range []struct {
		name string
		in   []ir.Stmt
		kept int      // copies left
		read ir.Local // what the last statement (a DotStmt) reads then
	}{
		{"a parameter's copy", []ir.Stmt{cp(3, 7), dot(7, 8)}, 0, 3},
		{"a copy of a copy", []ir.Stmt{cp(3, 7), cp(7, 9), dot(9, 10)}, 0, 3},
		{"a lookup's copy", []ir.Stmt{dot(0, 4), cp(4, 5), dot(5, 6)}, 0, 4},
		{"the target written twice", []ir.Stmt{cp(3, 7), dot(0, 7), dot(7, 8)}, 1, 7},
		{"the source written after the copy", []ir.Stmt{dot(0, 4), cp(4, 7), dot(0, 4), dot(7, 8)}, 1, 7},
		{"the source changed in place after the copy", []ir.Stmt{cp(3, 7), &ir.ArrayAppendStmt{Value: loc(0), Array: 3}, dot(7, 8)}, 1, 7},
		{"the target changed in place", []ir.Stmt{cp(3, 7), &ir.ArrayAppendStmt{Value: loc(0), Array: 7}, dot(7, 8)}, 1, 7},
		{"the target read outside the copy's list", []ir.Stmt{&ir.BlockStmt{Blocks: []*ir.Block{block(cp(3, 7))}}, dot(7, 8)}, 1, 7},
		{"the source reset after the copy", []ir.Stmt{dot(0, 4), cp(4, 7), &ir.ResetLocalStmt{Target: 4}, dot(7, 8)}, 1, 7},
		{"a parameter copied into one local by each body", []ir.Stmt{bodies(block(cp(3, 7), dot(7, 8)), block(cp(3, 7), dot(7, 9))), dot(3, 10)}, 0, 3},
		{"a reused target read before its copy in a body", []ir.Stmt{bodies(block(cp(3, 7), dot(7, 8)), block(dot(7, 9), cp(3, 7))), dot(3, 10)}, 2, 3},
		{"a reused target copied from two parameters", []ir.Stmt{bodies(block(cp(3, 7), dot(7, 8)), block(cp(0, 7), dot(7, 9))), dot(3, 10)}, 2, 3},
		{"a reused target copied from a local that is written", []ir.Stmt{dot(0, 4), bodies(block(cp(4, 7), dot(7, 8)), block(cp(4, 7), dot(7, 9))), dot(3, 10)}, 2, 3},
		{"a reused target read after the bodies", []ir.Stmt{bodies(block(cp(3, 7)), block(cp(3, 7))), dot(7, 10)}, 2, 7},
		{"a reused target also written otherwise", []ir.Stmt{bodies(block(cp(3, 7), dot(7, 8)), block(dot(0, 7), dot(7, 9))), dot(3, 10)}, 1, 3},
	} {
		orig := val(c.in[len(c.in)-1].(*ir.DotStmt).Source)
		out := dropCopies([]*ir.Block{block(c.in...)}, params)
		kept := 0
		walkStmts(out[0].Stmts, func(s ir.Stmt) {
			if _, ok := s.(*ir.AssignVarStmt); ok {
				kept++
			}
		})
		last, ok := out[0].Stmts[len(out[0].Stmts)-1].(*ir.DotStmt)
		if kept != c.kept || !ok || val(last.Source) != c.read {
			t.Errorf("%s: %d copies left, the last lookup reads %v; want %d and L%d", c.name, kept, last, c.kept, c.read)
		}
		if val(c.in[len(c.in)-1].(*ir.DotStmt).Source) != orig {
			t.Errorf("%s: the plan's own statements were changed", c.name)
		}
	}

	// In a scan's body: the value's copy goes, and the body reads the scan's value.
	scan := &ir.ScanStmt{Source: 3, Key: 4, Value: 5, Block: block(cp(5, 6), dot(6, 8))}
	out := dropCopies([]*ir.Block{block(scan)}, params)
	body := out[0].Stmts[0].(*ir.ScanStmt).Block.Stmts
	if len(body) != 1 || val(body[0].(*ir.DotStmt).Source) != ir.Local(5) {
		t.Errorf("scan body after dropping copies: %v", body)
	}
	if len(scan.Block.Stmts) != 2 {
		t.Error("the plan's own scan body was changed")
	}
}
