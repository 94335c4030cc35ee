package wasmeval

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// dispatch serves opa_builtinN: the arguments (OPA values in the module heap) are dumped to
// Rego text and parsed to AST terms, OPA's Go implementation runs, and its result is written
// back and parsed by the module. 0 is "undefined": a builtin error that is not a halt makes the
// call undefined, as in the interpreter's default (non-strict) mode.
func (inst *instance) dispatch(ctx context.Context, id uint32, argAddrs []uint64) uint32 {
	if int(id) >= len(inst.builtins) || inst.builtins[id] == nil {
		panic(abortError{msg: fmt.Sprintf("unknown builtin id %d", id)})
	}
	name := inst.names[id]
	var addrs [4]uint64
	n := copy(addrs[:], argAddrs)
	args := make([]*ast.Term, n)
	for i := range n {
		t, err := inst.fromWasm(ctx, addrs[i])
		if err != nil {
			panic(builtinError{name: name, err: err})
		}
		args[i] = t
	}
	var out *ast.Term
	err := inst.builtins[id](inst.bctx, args, func(t *ast.Term) error {
		out = t
		return nil
	})
	if err != nil {
		var halt topdown.Halt
		if errors.As(err, &halt) {
			panic(builtinError{name: name, err: err})
		}
		return 0
	}
	if out == nil {
		return 0
	}
	addr, err := inst.toWasm(ctx, out)
	if err != nil {
		panic(builtinError{name: name, err: err})
	}
	return addr
}

// OPA's Wasm value layout (wasm/src/value.h, wasm32): every value starts with its type byte;
// a string (opa_string_t) is {type u8, free u8, len u32 at +4, bytes pointer u32 at +8}.
const (
	opaString         = 4
	opaStringInterned = 8
)

func (inst *instance) fromWasm(ctx context.Context, addr uint64) (*ast.Term, error) {
	// Strings, most arguments here, are read straight from the value; the rest are dumped.
	if typ, ok := inst.mem.ReadByte(uint32(addr)); ok && (typ == opaString || typ == opaStringInterned) {
		n, ok1 := inst.mem.ReadUint32Le(uint32(addr) + 4)
		p, ok2 := inst.mem.ReadUint32Le(uint32(addr) + 8)
		if b, ok3 := inst.mem.Read(p, n); ok1 && ok2 && ok3 {
			return ast.StringTerm(string(b)), nil
		}
	}
	r, err := inst.valueDump.Call(ctx, addr)
	if err != nil {
		return nil, err
	}
	s, err := inst.cstring(uint32(r[0]))
	if err != nil {
		return nil, err
	}
	// The dump is Rego text; it is JSON unless it holds a set. JSON goes through the JSON
	// decoder (ast.ParseTerm sets up a parser per call, which was most of a call's cost).
	if v, err := jsonTerm(s); err == nil {
		return v, nil
	}
	return ast.ParseTerm(string(s))
}

func jsonTerm(s []byte) (*ast.Term, error) {
	dec := json.NewDecoder(bytes.NewReader(s))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data")
	}
	v, err := ast.InterfaceToValue(x)
	if err != nil {
		return nil, err
	}
	return ast.NewTerm(v), nil
}

func (inst *instance) toWasm(ctx context.Context, t *ast.Term) (uint32, error) {
	raw := []byte(t.String())
	addr, err := inst.writeAndCall(ctx, inst.valParse, raw)
	if err != nil {
		return 0, err
	}
	if addr == 0 {
		return 0, fmt.Errorf("opa_value_parse failed on %.100s", raw)
	}
	return addr, nil
}
