package wasmeval

// The policy module that OPA's wasm compiler emits imports its linear memory and its host
// functions from one module, "env". wazero's host modules can export functions only, not a
// memory, so each instance gets a tiny hand-encoded "env" module that defines (and exports) the
// memory and re-exports the Go host functions, which live in a host module named "opa".

// hostFuncs are the host functions of OPA's Wasm ABI, with their parameter counts (all i32;
// opa_abort and opa_println return nothing, opa_builtinN returns an i32 value address).
var hostFuncs = []struct {
	name    string
	params  int
	results int
}{
	{"opa_abort", 1, 0},
	{"opa_println", 1, 0},
	{"opa_builtin0", 2, 1},
	{"opa_builtin1", 3, 1},
	{"opa_builtin2", 4, 1},
	{"opa_builtin3", 5, 1},
	{"opa_builtin4", 6, 1},
}

const hostModule = "opa"

// envModule encodes the glue module: one memory of minPages pages (no maximum), the host
// functions imported from "opa" and everything exported under the ABI's "env" names.
func envModule(minPages uint32) []byte {
	out := []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}
	section := func(id byte, body []byte) {
		out = append(out, id)
		out = appendU32(out, uint32(len(body)))
		out = append(out, body...)
	}
	// Type section: one function type per host function.
	var types []byte
	types = appendU32(types, uint32(len(hostFuncs)))
	for _, f := range hostFuncs {
		types = append(types, 0x60)
		types = appendU32(types, uint32(f.params))
		for range f.params {
			types = append(types, 0x7f) // i32
		}
		types = appendU32(types, uint32(f.results))
		for range f.results {
			types = append(types, 0x7f)
		}
	}
	section(1, types)
	// Import section: opa.<name> as function i with type i.
	var imports []byte
	imports = appendU32(imports, uint32(len(hostFuncs)))
	for i, f := range hostFuncs {
		imports = appendName(imports, hostModule)
		imports = appendName(imports, f.name)
		imports = append(imports, 0x00) // function
		imports = appendU32(imports, uint32(i))
	}
	section(2, imports)
	// Memory section: one memory, min pages, no max.
	mem := []byte{0x01, 0x00}
	mem = appendU32(mem, minPages)
	section(5, mem)
	// Export section: memory and the functions.
	var exports []byte
	exports = appendU32(exports, uint32(1+len(hostFuncs)))
	exports = appendName(exports, "memory")
	exports = append(exports, 0x02, 0x00)
	for i, f := range hostFuncs {
		exports = appendName(exports, f.name)
		exports = append(exports, 0x00)
		exports = appendU32(exports, uint32(i))
	}
	section(7, exports)
	return out
}

func appendU32(b []byte, v uint32) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}

func appendName(b []byte, s string) []byte {
	b = appendU32(b, uint32(len(s)))
	return append(b, s...)
}
