package planeval

import (
	"errors"
	"fmt"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// builtin is OPA's Go implementation of a built-in function, called as the interpreter calls
// it: an error is the call being undefined (the interpreter collects such errors and goes on,
// unless they halt), and a relation's outputs are collected into an array, which the plan
// then scans.
type builtin struct {
	name     string
	impl     topdown.BuiltinFunc
	relation bool
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
	return &builtin{name: name, impl: impl, relation: decl.Relation}, nil
}

func (b *builtin) call(e *eval, args []*ast.Term) (*ast.Term, error) {
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
