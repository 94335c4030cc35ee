// Package wasmeval evaluates roadcheck's rulebook (data.roadcheck.decision) through OPA's Wasm
// target instead of the top-down interpreter: the rulebook is compiled in-process to an OPA
// Wasm module and run on wazero (pure Go, no cgo), with the host side of OPA's Wasm ABI here:
// memory, opa_abort, opa_println and opa_builtin0..4, the last served from OPA's own Go
// implementations of the builtins the module does not implement natively.
//
// This is the feasibility spike of issue 17; the service does not use it yet.
package wasmeval

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"sort"
	"time"

	"github.com/open-policy-agent/opa/v1/topdown"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// Program is a rulebook compiled to Wasm with its data, and a pool of instances ready to
// evaluate it. It is safe for concurrent use; Close releases it.
type Program struct {
	epName    string
	wasm      []byte
	data      []byte
	cache     wazero.CompilationCache
	builtins  map[string]int32 // the builtins the module imports (not native), by name → id
	entry     int32
	pool      chan *instance
	abiMinor  int32
	buildTime time.Duration
}

// Options tune Compile.
type Options struct {
	// OptimizationLevel is opa build's -O (0, 1 or 2). 0 is the default.
	OptimizationLevel int
	// PoolSize is how many idle instances are kept; 0 means 2×GOMAXPROCS.
	PoolSize int
	// Entrypoint overrides the rule evaluated (a slash path; default roadcheck/decision).
	Entrypoint string
}

// Compile builds the Wasm module from the rulebook files of fsys (policies.Builtin() or a
// policy directory; the Engine's selection of files) and prepares one instance.
func Compile(ctx context.Context, fsys fs.FS, opts Options) (*Program, error) {
	rb, err := LoadFS(fsys)
	if err != nil {
		return nil, err
	}
	return CompileRulebook(ctx, rb, opts)
}

// CompileRulebook is Compile for already loaded modules and data.
func CompileRulebook(ctx context.Context, rb *Rulebook, opts Options) (*Program, error) {
	start := time.Now()
	ep := opts.Entrypoint
	if ep == "" {
		ep = Entrypoint
	}
	wasm, err := BuildWasm(ctx, rb, ep, opts.OptimizationLevel)
	if err != nil {
		return nil, err
	}
	data, err := dataJSON(rb)
	if err != nil {
		return nil, fmt.Errorf("wasmeval: data: %w", err)
	}
	p := &Program{epName: ep, wasm: wasm, data: data, cache: wazero.NewCompilationCache(), buildTime: time.Since(start)}
	size := opts.PoolSize
	if size <= 0 {
		size = 2 * runtime.GOMAXPROCS(0)
	}
	p.pool = make(chan *instance, size)
	// The first instance discovers the ABI version, the imported builtins and the entrypoint.
	inst, err := p.newInstance(ctx)
	if err != nil {
		p.cache.Close(ctx)
		return nil, err
	}
	p.pool <- inst
	return p, nil
}

// BuildTime is how long building the Wasm module (plan and Wasm compilation, not wazero's
// compilation to machine code) took.
func (p *Program) BuildTime() time.Duration { return p.buildTime }

// WasmModule is the module's binary.
func (p *Program) WasmModule() []byte { return p.wasm }

// ImportedBuiltins lists the builtins the module calls back to the host for (the ones OPA's
// Wasm library does not implement natively), sorted.
func (p *Program) ImportedBuiltins() []string {
	names := make([]string, 0, len(p.builtins))
	for n := range p.builtins {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ABIVersion is the module's Wasm ABI version, 1.minor.
func (p *Program) ABIVersion() string { return fmt.Sprintf("1.%d", p.abiMinor) }

// Close releases the pooled instances and the compilation cache.
func (p *Program) Close(ctx context.Context) error {
	for {
		select {
		case inst := <-p.pool:
			inst.close(ctx)
		default:
			return p.cache.Close(ctx)
		}
	}
}

// EvalJSON evaluates data.roadcheck.decision for the JSON input document and returns the
// decision as JSON (the module's serialization); an undefined decision is an error.
func (p *Program) EvalJSON(ctx context.Context, input []byte) ([]byte, error) {
	inst, err := p.get(ctx)
	if err != nil {
		return nil, err
	}
	out, err := inst.eval(ctx, p.entry, input)
	if err != nil {
		if inst.broken {
			inst.close(ctx)
		} else {
			p.put(ctx, inst)
		}
		return nil, err
	}
	p.put(ctx, inst)
	return out, nil
}

// Eval evaluates data.roadcheck.decision for input (a JSON-shaped Go value, or []byte /
// json.RawMessage holding JSON) and returns the decision decoded with json.Number numbers.
func (p *Program) Eval(ctx context.Context, input any) (any, error) {
	var raw []byte
	switch v := input.(type) {
	case []byte:
		raw = v
	case json.RawMessage:
		raw = v
	default:
		var err error
		if raw, err = json.Marshal(v); err != nil {
			return nil, fmt.Errorf("wasmeval: input: %w", err)
		}
	}
	out, err := p.EvalJSON(ctx, raw)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("wasmeval: result: %w", err)
	}
	return doc, nil
}

func (p *Program) get(ctx context.Context) (*instance, error) {
	select {
	case inst := <-p.pool:
		return inst, nil
	default:
		return p.newInstance(ctx)
	}
}

func (p *Program) put(ctx context.Context, inst *instance) {
	select {
	case p.pool <- inst:
	default:
		inst.close(ctx)
	}
}

// instance is one wazero runtime holding the glue, host and policy modules, with the data
// parsed into its memory once; an eval resets the heap to just above the data.
type instance struct {
	rt        wazero.Runtime
	mod       api.Module
	mem       api.Memory
	eval1     api.Function // opa_eval
	malloc    api.Function
	valueDump api.Function
	valParse  api.Function
	jsonDump  api.Function
	heapSet   api.Function
	dataAddr  uint32
	evalHeap  uint32 // the heap pointer after the data: where an eval's input goes
	builtins  []topdown.BuiltinFunc
	names     []string
	bctx      topdown.BuiltinContext
	broken    bool // a trap or cancellation left the instance unusable
}

type abortError struct{ msg string }

func (e abortError) Error() string { return "wasmeval: opa_abort: " + e.msg }

type builtinError struct {
	name string
	err  error
}

func (e builtinError) Error() string { return fmt.Sprintf("wasmeval: builtin %s: %v", e.name, e.err) }
func (e builtinError) Unwrap() error { return e.err }

func (p *Program) newInstance(ctx context.Context) (*instance, error) {
	cfg := wazero.NewRuntimeConfig().WithCompilationCache(p.cache).WithCloseOnContextDone(true)
	rt := wazero.NewRuntimeWithConfig(ctx, cfg)
	inst := &instance{rt: rt}
	fail := func(err error) (*instance, error) {
		rt.Close(ctx)
		return nil, err
	}
	compiled, err := rt.CompileModule(ctx, p.wasm)
	if err != nil {
		return fail(fmt.Errorf("wasmeval: compile module: %w", err))
	}
	minPages := uint32(2)
	for _, m := range compiled.ImportedMemories() {
		if m.Min() > minPages {
			minPages = m.Min()
		}
	}
	if err := inst.hostModule(ctx); err != nil {
		return fail(fmt.Errorf("wasmeval: host module: %w", err))
	}
	if _, err := rt.InstantiateWithConfig(ctx, envModule(minPages), wazero.NewModuleConfig().WithName("env")); err != nil {
		return fail(fmt.Errorf("wasmeval: env module: %w", err))
	}
	mod, err := rt.InstantiateModule(ctx, compiled, wazero.NewModuleConfig().WithName("policy"))
	if err != nil {
		return fail(fmt.Errorf("wasmeval: instantiate policy: %w", err))
	}
	inst.mod = mod
	inst.mem = mod.Memory()
	if inst.mem == nil {
		return fail(errors.New("wasmeval: policy module has no memory"))
	}
	major, minor := mod.ExportedGlobal("opa_wasm_abi_version"), mod.ExportedGlobal("opa_wasm_abi_minor_version")
	if major == nil || minor == nil || int32(major.Get()) != 1 || int32(minor.Get()) < 2 {
		return fail(errors.New("wasmeval: module is not OPA Wasm ABI 1.2 or later"))
	}
	p.abiMinor = int32(minor.Get())
	fn := func(name string) api.Function {
		f := mod.ExportedFunction(name)
		if f == nil && err == nil {
			err = fmt.Errorf("wasmeval: module does not export %s", name)
		}
		return f
	}
	inst.eval1 = fn("opa_eval")
	inst.malloc = fn("opa_malloc")
	inst.valueDump = fn("opa_value_dump")
	inst.valParse = fn("opa_value_parse")
	inst.jsonDump = fn("opa_json_dump")
	inst.heapSet = fn("opa_heap_ptr_set")
	heapGet := fn("opa_heap_ptr_get")
	jsonParse := fn("opa_json_parse")
	builtinsFn := fn("builtins")
	entrypointsFn := fn("entrypoints")
	if err != nil {
		return fail(err)
	}
	// Data: parsed once into this instance's memory, below the eval heap.
	addr, err := inst.writeAndCall(ctx, jsonParse, p.data)
	if err != nil {
		return fail(fmt.Errorf("wasmeval: data: %w", err))
	}
	if addr == 0 {
		return fail(errors.New("wasmeval: data: opa_json_parse failed"))
	}
	inst.dataAddr = addr
	r, err := heapGet.Call(ctx)
	if err != nil {
		return fail(err)
	}
	inst.evalHeap = uint32(r[0])

	// The builtins the module imports, by name → id, and the entrypoints.
	var ids map[string]int32
	if err := inst.dumpJSON(ctx, builtinsFn, &ids); err != nil {
		return fail(fmt.Errorf("wasmeval: builtins: %w", err))
	}
	n := 0
	for _, id := range ids {
		n = max(n, int(id)+1)
	}
	inst.builtins = make([]topdown.BuiltinFunc, n)
	inst.names = make([]string, n)
	for name, id := range ids {
		impl := name
		if b, ok := hostServed[name]; ok {
			impl = b.Name
		}
		f := topdown.GetBuiltin(impl)
		if f == nil {
			return fail(fmt.Errorf("wasmeval: module imports builtin %s, which OPA's Go side lacks", name))
		}
		inst.builtins[id], inst.names[id] = f, name
	}
	var eps map[string]int32
	if err := inst.dumpJSON(ctx, entrypointsFn, &eps); err != nil {
		return fail(fmt.Errorf("wasmeval: entrypoints: %w", err))
	}
	id, ok := eps[p.epName]
	if !ok {
		return fail(fmt.Errorf("wasmeval: module has no entrypoint %s (has %v)", p.epName, eps))
	}
	p.entry, p.builtins = id, ids
	return inst, nil
}

// writeAndCall copies b into a fresh block of the module heap and calls f(addr, len).
func (inst *instance) writeAndCall(ctx context.Context, f api.Function, b []byte) (uint32, error) {
	r, err := inst.malloc.Call(ctx, uint64(len(b)))
	if err != nil {
		return 0, err
	}
	p := uint32(r[0])
	if !inst.mem.Write(p, b) {
		return 0, fmt.Errorf("write %d bytes at %d", len(b), p)
	}
	r, err = f.Call(ctx, uint64(p), uint64(len(b)))
	if err != nil {
		return 0, err
	}
	return uint32(r[0]), nil
}

// dumpJSON calls a no-argument export returning a value address and decodes its JSON dump.
func (inst *instance) dumpJSON(ctx context.Context, f api.Function, out any) error {
	r, err := f.Call(ctx)
	if err != nil {
		return err
	}
	r, err = inst.jsonDump.Call(ctx, r[0])
	if err != nil {
		return err
	}
	s, err := inst.cstring(uint32(r[0]))
	if err != nil {
		return err
	}
	return json.Unmarshal(s, out)
}

// cstring is the NUL-terminated string at addr, aliasing the module memory.
func (inst *instance) cstring(addr uint32) ([]byte, error) {
	size := inst.mem.Size()
	if addr >= size {
		return nil, fmt.Errorf("address %d outside memory", addr)
	}
	b, ok := inst.mem.Read(addr, size-addr)
	if !ok {
		return nil, fmt.Errorf("read at %d", addr)
	}
	n := bytes.IndexByte(b, 0)
	if n < 0 {
		return nil, fmt.Errorf("unterminated string at %d", addr)
	}
	return b[:n], nil
}

// eval runs the opa_eval fast path (ABI 1.2): input is copied to the eval heap, the module
// parses it, evaluates the entrypoint against the instance's data, and serializes the result
// set as JSON; opa_eval resets the heap pointer to the heap address it is given, so every
// eval starts from the same heap.
func (inst *instance) eval(ctx context.Context, entry int32, input []byte) ([]byte, error) {
	inputAddr := inst.evalHeap
	end := uint64(inputAddr) + uint64(len(input))
	if size := uint64(inst.mem.Size()); end > size {
		pages := (end - size + 65535) / 65536
		if _, ok := inst.mem.Grow(uint32(pages)); !ok {
			return nil, fmt.Errorf("wasmeval: cannot grow memory for %d bytes of input", len(input))
		}
	}
	if !inst.mem.Write(inputAddr, input) {
		return nil, errors.New("wasmeval: write input")
	}
	inst.bctx = topdown.BuiltinContext{Context: ctx}
	r, err := inst.eval1.Call(ctx, 0, uint64(entry), uint64(inst.dataAddr), uint64(inputAddr), uint64(len(input)), uint64(inputAddr)+uint64(len(input)), 0 /* JSON */)
	inst.bctx = topdown.BuiltinContext{}
	if err != nil {
		inst.broken = true
		var ae abortError
		var be builtinError
		switch {
		case errors.As(err, &ae):
			return nil, ae
		case errors.As(err, &be):
			return nil, be
		}
		return nil, fmt.Errorf("wasmeval: eval: %w", err)
	}
	res, err := inst.cstring(uint32(r[0]))
	if err != nil {
		inst.broken = true
		return nil, fmt.Errorf("wasmeval: result: %w", err)
	}
	// The result set: [{"result": decision}] or [] when undefined.
	const prefix, suffix = `[{"result":`, `}]`
	if !bytes.HasPrefix(res, []byte(prefix)) || !bytes.HasSuffix(res, []byte(suffix)) {
		if string(res) == "[]" {
			return nil, errors.New("wasmeval: decision is undefined")
		}
		return nil, fmt.Errorf("wasmeval: unexpected result set %.200s", res)
	}
	out := make([]byte, len(res)-len(prefix)-len(suffix))
	copy(out, res[len(prefix):len(res)-len(suffix)])
	return out, nil
}

func (inst *instance) close(ctx context.Context) { inst.rt.Close(ctx) }

// hostModule instantiates the "opa" host module: opa_abort, opa_println and opa_builtin0..4.
func (inst *instance) hostModule(ctx context.Context) error {
	i32 := api.ValueTypeI32
	params := func(n int) []api.ValueType {
		ps := make([]api.ValueType, n)
		for i := range ps {
			ps[i] = i32
		}
		return ps
	}
	b := inst.rt.NewHostModuleBuilder(hostModule)
	b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(_ context.Context, _ api.Module, stack []uint64) {
		msg, err := inst.cstring(uint32(stack[0]))
		if err != nil {
			panic(abortError{msg: "(unreadable abort message)"})
		}
		panic(abortError{msg: string(msg)})
	}), params(1), nil).Export("opa_abort")
	b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(_ context.Context, _ api.Module, stack []uint64) {
		if msg, err := inst.cstring(uint32(stack[0])); err == nil {
			fmt.Fprintf(os.Stderr, "%s\n", msg)
		}
	}), params(1), nil).Export("opa_println")
	for arity := 0; arity <= 4; arity++ {
		b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, _ api.Module, stack []uint64) {
			// stack: builtin id, reserved context address, then arity argument addresses.
			stack[0] = uint64(inst.dispatch(ctx, uint32(stack[0]), stack[2:2+arity]))
		}), params(2+arity), []api.ValueType{i32}).Export(fmt.Sprintf("opa_builtin%d", arity))
	}
	_, err := b.Instantiate(ctx)
	return err
}
