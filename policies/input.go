package policies

import (
	"encoding/json"
	"slices"

	"github.com/open-policy-agent/opa/v1/ast"
)

// inputConverter turns an application document into the evaluator's input value: the value
// ast.InterfaceToValue gives (TestInputIsInterfaceToValue, FuzzInput), for less work. The
// names the contract declares (every section's field names and the sections themselves) are
// key terms made once per revision and shared by every decision: a key made per document was
// a fifth of a decision's allocations, and no evaluator changes an input term (OPA shares its
// own interned terms the same way). An object's entries are put in key order, so its first
// scan finds them sorted instead of sorting them. Immutable after newInputConverter.
type inputConverter struct {
	keys map[string]*ast.Term
}

func newInputConverter(c *Contract) inputConverter {
	keys := map[string]*ast.Term{"materials": ast.StringTerm("materials")}
	for sec, fields := range c.data.Sections {
		keys[sec] = ast.StringTerm(sec)
		for name := range fields {
			keys[name] = ast.StringTerm(name)
		}
	}
	return inputConverter{keys: keys}
}

// value converts a JSON-shaped document (map[string]any, []any, string, json.Number, float64,
// bool, nil); other types go to ast.InterfaceToValue, which also says what it cannot convert.
func (c inputConverter) value(x any) (ast.Value, error) {
	switch x := x.(type) {
	case map[string]any:
		return c.object(x)
	case []any:
		terms := make([]ast.Term, len(x))
		elems := make([]*ast.Term, len(x))
		for i, e := range x {
			v, err := c.value(e)
			if err != nil {
				return nil, err
			}
			terms[i].Value = v
			elems[i] = &terms[i]
		}
		return ast.NewArray(elems...), nil
	case string:
		return ast.String(x), nil
	case bool:
		return ast.Boolean(x), nil
	case nil:
		return ast.NullValue, nil
	case json.Number:
		if t := ast.InternedIntNumberTermFromString(string(x)); t != nil {
			return t.Value, nil
		}
		return ast.NumberChecked(string(x))
	}
	return ast.InterfaceToValue(x)
}

// object: the keys in order (at most 32 sorted on the stack), one allocation for all the
// value terms.
func (c inputConverter) object(m map[string]any) (ast.Value, error) {
	var buf [32]string
	names := buf[:0]
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	terms := make([]ast.Term, len(names))
	entries := make([][2]*ast.Term, len(names))
	for i, k := range names {
		v, err := c.value(m[k])
		if err != nil {
			return nil, err
		}
		key := c.keys[k]
		if key == nil {
			key = ast.StringTerm(k)
		}
		terms[i].Value = v
		entries[i] = [2]*ast.Term{key, &terms[i]}
	}
	return ast.NewObject(entries...), nil
}
