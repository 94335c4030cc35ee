package service

import (
	"bytes"
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// inputShaper turns an application into the JSON-shaped value the rulebook reads: what a JSON
// round trip (json.Marshal, then json.Unmarshal into a map) gives, built by walking the
// application's values by their JSON names, so the struct tags stay the one place that says
// what is omitted. The round trip cost a sixth of a decision (BenchmarkRegoInput);
// TestRegoInputIsTheJSONRoundTrip and FuzzRegoInput hold the walk to it.
//
// The shapes of the application's own struct types are read from their tags once, when the
// shaper is made, and never change after; a struct type met only at run time (a Go caller's
// form value) is read as it is met.
type inputShaper struct {
	structs map[reflect.Type]structShape
}

// structShape is how encoding/json writes a struct type: its fields in order, or the round
// trip itself for what the walk does not spell out.
type structShape struct {
	fields    []shapedField
	roundTrip bool
}

// maxShapeDepth bounds the walk's nesting (pointers and interfaces count): an application is
// about six levels deep and the contract admits four levels of objects in content.
const maxShapeDepth = 64

type shapedField struct {
	index     int
	name      string
	omitEmpty bool
}

func newInputShaper() *inputShaper {
	sh := &inputShaper{structs: map[reflect.Type]structShape{}}
	var visit func(t reflect.Type)
	visit = func(t reflect.Type) {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			visit(t.Elem())
		case reflect.Struct:
			if _, seen := sh.structs[t]; seen {
				return
			}
			sh.structs[t] = shapeOf(t)
			for i := range t.NumField() {
				visit(t.Field(i).Type)
			}
		}
	}
	visit(reflect.TypeFor[Application]())
	return sh
}

// input is the rulebook's input for app: numbers as float64, as json.Unmarshal gives them.
func (sh *inputShaper) input(app Application) (map[string]any, error) {
	v, err := sh.shape(reflect.ValueOf(app), false, 0)
	if err != nil {
		return nil, err
	}
	return v.(map[string]any), nil
}

// document is app as the contract's validator reads a document: numbers as json.Number
// holding the text json.Marshal writes, as jsonschema.UnmarshalJSON gives them, so limits with
// decimals compare against the written number, not its binary float.
func (sh *inputShaper) document(app Application) (map[string]any, error) {
	v, err := sh.shape(reflect.ValueOf(app), true, 0)
	if err != nil {
		return nil, err
	}
	return v.(map[string]any), nil
}

func shapeOf(t reflect.Type) structShape {
	if marshalsItself(t) {
		return structShape{roundTrip: true}
	}
	var sh structShape
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			return structShape{roundTrip: true}
		}
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" && opts == "" {
			continue
		}
		field := shapedField{index: i, name: name}
		for o := range strings.SplitSeq(opts, ",") {
			switch o {
			case "omitempty":
				field.omitEmpty = true
			case "":
			default:
				return structShape{roundTrip: true} // ",string", "omitzero": options the walk does not spell out
			}
		}
		if field.name == "" {
			field.name = f.Name
		}
		sh.fields = append(sh.fields, field)
	}
	return sh
}

// marshalsItself reports whether encoding/json would call a method of t's (or *t's) to
// marshal it, or treats it specially. Most types have no methods at all, which is cheap to see.
func marshalsItself(t reflect.Type) bool {
	if t == reflect.TypeFor[json.Number]() {
		return true
	}
	pt := reflect.PointerTo(t)
	if t.NumMethod() == 0 && pt.NumMethod() == 0 {
		return false
	}
	for _, m := range []reflect.Type{reflect.TypeFor[json.Marshaler](), reflect.TypeFor[encoding.TextMarshaler]()} {
		if t.Implements(m) || pt.Implements(m) {
			return true
		}
	}
	return false
}

// shape returns what json.Unmarshal into an any gives for json.Marshal(v): objects as
// map[string]any, arrays as []any, numbers as float64, or as json.Number when asText (a
// decoder's UseNumber). Anything the walk does not spell out (a type with its own
// marshalling, a string that is not UTF-8, a float32, byte slices) takes the round trip
// itself, so the answer is always the round trip's. So does anything nested deeper than
// maxShapeDepth, where a Go caller's value could hold a cycle: json.Marshal refuses one.
func (sh *inputShaper) shape(v reflect.Value, asText bool, depth int) (any, error) {
	if depth++; depth > maxShapeDepth {
		return jsonRoundTrip(v, asText)
	}
	switch v.Kind() {
	case reflect.Struct:
		return sh.shapeStruct(v, asText, depth)
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, nil
		}
		return sh.shape(v.Elem(), asText, depth)
	}
	if marshalsItself(v.Type()) {
		return jsonRoundTrip(v, asText)
	}
	switch v.Kind() {
	case reflect.Bool:
		return v.Bool(), nil
	case reflect.String:
		if s := v.String(); utf8.ValidString(s) {
			return s, nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if asText {
			return json.Number(strconv.FormatInt(v.Int(), 10)), nil
		}
		return float64(v.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if asText {
			return json.Number(strconv.FormatUint(v.Uint(), 10)), nil
		}
		return float64(v.Uint()), nil
	case reflect.Float64:
		if f := v.Float(); !math.IsInf(f, 0) && !math.IsNaN(f) {
			if asText {
				return json.Number(formatFloat(f)), nil
			}
			return f, nil
		}
	case reflect.Map:
		if v.Type().Key() != reflect.TypeFor[string]() {
			break
		}
		if v.IsNil() {
			return nil, nil
		}
		out := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			e, err := sh.shape(it.Value(), asText, depth)
			if err != nil {
				return nil, err
			}
			out[it.Key().String()] = e
		}
		return out, nil
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			break // base64
		}
		if v.IsNil() {
			return nil, nil
		}
		out := make([]any, v.Len())
		for i := range out {
			e, err := sh.shape(v.Index(i), asText, depth)
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	}
	return jsonRoundTrip(v, asText)
}

func (sh *inputShaper) shapeStruct(v reflect.Value, asText bool, depth int) (any, error) {
	s, ok := sh.structs[v.Type()]
	if !ok {
		s = shapeOf(v.Type())
	}
	if s.roundTrip {
		return jsonRoundTrip(v, asText)
	}
	out := make(map[string]any, len(s.fields))
	for _, f := range s.fields {
		fv := v.Field(f.index)
		if f.omitEmpty && emptyJSONValue(fv) {
			continue
		}
		e, err := sh.shape(fv, asText, depth)
		if err != nil {
			return nil, err
		}
		out[f.name] = e
	}
	return out, nil
}

// emptyJSONValue is encoding/json's meaning of empty for omitempty.
func emptyJSONValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// formatFloat writes a float64 as encoding/json does: shortest form, exponent only below 1e-6
// or from 1e21, and no leading zero in a negative exponent.
func formatFloat(f float64) string {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b := strconv.AppendFloat(nil, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1]
		b = b[:n-1]
	}
	return string(b)
}

func jsonRoundTrip(v reflect.Value, asText bool) (any, error) {
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if asText {
		dec.UseNumber()
	}
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}
