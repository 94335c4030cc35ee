package mongostore

// Why this file is kept (issue 16, measured 2026-12-02 on the shared 2-core machine at load
// 5–7, medians of -count 5, BenchmarkJSONTagsAlternative): mongo-driver v2 can encode the
// service's structs itself on their json tags (UseJSONStructTags, IntMinSize; DefaultDocumentMap
// to read), and does it with fewer allocations on a submission's input document: encode 65 µs
// and 41 allocs against 81 µs and 250 here, decode 121 µs and 358 allocs against 302 µs and 810
// through fromDoc. It cannot keep the stored shape (testdata/stored-v1.bson,
// TestStoredShapeUnchanged), in four ways: integral floats (sharpness 300.0, numbers in form
// and violation params) become doubles, not int32/int64; map keys (form, params, content
// fields) go in Go's random map order, not sorted; time.Time (history "at", the certificate's
// times) becomes a BSON date cut to milliseconds instead of an RFC 3339 string with nanoseconds
// and its offset; and the untagged certs.Certificate gets lowercased keys ("issuedat") instead
// of the Go names ("IssuedAt"). Reading stored data back would also change the Go types inside
// any (int32 and bson.A where JSON gives float64 and []any). Keeping the shape would take
// custom codecs for float64, time.Time, maps and any plus a mirror of certs.Certificate: the
// rules of this file again, in another form. And the gain is small end to end: a
// submission's write converts in ~0.3 ms of CPU (BenchmarkConvertSubmission/encode), against
// 5–29 ms of the 2 cores per submission under 32 clients (BenchmarkSubmit32, 35–185
// submissions/s across runs of the same code as the machine's load changed), so at most a
// few per cent, well inside that noise.

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// jsonValues is how the store writes the service's JSON-shaped values (a submission's input
// and decision, an audit record's redacted input, a certificate, a material's content).
// Readers take either form (fromDoc), so a store holds both after an upgrade and needs no
// migration.
type jsonValues int

const (
	// asDocuments writes bson documents (toDoc), which MongoDB stores cheaply and an operator
	// can query field by field.
	asDocuments jsonValues = iota
	// asText writes the value's JSON text as one string, for the embedded FerretDB: its
	// SQLite backend stores each document as JSON with a type schema for every nested field
	// (per array element too), builds both under the write lock every submission waits for,
	// and answers no query on a nested field anyway (it pushes down only {_id: value}).
	// A submission's application insert took 2.2 ms of CPU as documents and 0.6 ms as text
	// (BenchmarkInsertShape).
	asText
)

// encode converts v (a struct with json tags, a map) to its stored form.
func (j jsonValues) encode(v any) (any, error) {
	if j == asText {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		return string(b), nil
	}
	return toDoc(v)
}

// toDoc converts a JSON-shaped value (a struct with json tags, a map) into a bson document:
// json.Marshal, then a direct walk of the bytes. Numbers get the types Extended JSON's relaxed
// parser would give them (int32 when an integer fits, else int64, else double), so documents
// read back through fromDoc as before; but unlike Extended JSON, keys such as "$date" are
// plain keys, not type markers. The walk replaced bson.UnmarshalExtJSON, which was 8 % of
// the CPU of a submission.
func toDoc(v any) (bson.D, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return docFromJSON(b)
}

// docFromJSON converts one JSON object to a bson document.
func docFromJSON(b []byte) (bson.D, error) {
	p := jsonWalker{b: b}
	p.space()
	if p.i >= len(p.b) || p.b[p.i] != '{' {
		return nil, errors.New("mongostore: value is not a JSON object")
	}
	d, err := p.object()
	if err != nil {
		return nil, err
	}
	if p.space(); p.i != len(p.b) {
		return nil, p.errorf("trailing data")
	}
	return d, nil
}

// jsonWalker reads json.Marshal output: valid JSON, so errors are defensive only.
type jsonWalker struct {
	b []byte
	i int
}

func (p *jsonWalker) errorf(msg string) error {
	return fmt.Errorf("mongostore: JSON to bson: %s at offset %d", msg, p.i)
}

func (p *jsonWalker) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonWalker) value() (any, error) {
	p.space()
	if p.i >= len(p.b) {
		return nil, p.errorf("unexpected end")
	}
	switch c := p.b[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		return p.str()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	default:
		return nil, p.errorf("unexpected character")
	}
}

func (p *jsonWalker) literal(word string) error {
	if len(p.b)-p.i < len(word) || string(p.b[p.i:p.i+len(word)]) != word {
		return p.errorf("bad literal")
	}
	p.i += len(word)
	return nil
}

func (p *jsonWalker) object() (bson.D, error) {
	p.i++ // '{'
	d := bson.D{}
	p.space()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return d, nil
	}
	for {
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return nil, p.errorf("expected a key")
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return nil, p.errorf("expected ':'")
		}
		p.i++
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		d = append(d, bson.E{Key: k, Value: v})
		p.space()
		if p.i >= len(p.b) {
			return nil, p.errorf("unterminated object")
		}
		p.i++
		switch p.b[p.i-1] {
		case ',':
		case '}':
			return d, nil
		default:
			return nil, p.errorf("expected ',' or '}'")
		}
	}
}

func (p *jsonWalker) array() (bson.A, error) {
	p.i++ // '['
	a := bson.A{}
	p.space()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return a, nil
	}
	for {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		a = append(a, v)
		p.space()
		if p.i >= len(p.b) {
			return nil, p.errorf("unterminated array")
		}
		p.i++
		switch p.b[p.i-1] {
		case ',':
		case ']':
			return a, nil
		default:
			return nil, p.errorf("expected ',' or ']'")
		}
	}
}

// str reads a string; one with escapes goes through encoding/json for the exact rules
// (surrogate pairs, \u escapes).
func (p *jsonWalker) str() (string, error) {
	start := p.i
	p.i++ // '"'
	escaped := false
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case '\\':
			escaped = true
			p.i += 2
			continue
		case '"':
			p.i++
			if !escaped {
				return string(p.b[start+1 : p.i-1]), nil
			}
			var s string
			if err := json.Unmarshal(p.b[start:p.i], &s); err != nil {
				return "", err
			}
			return s, nil
		}
		p.i++
	}
	return "", p.errorf("unterminated string")
}

func (p *jsonWalker) number() (any, error) {
	start := p.i
	integer := true
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c == '.' || c == 'e' || c == 'E' {
			integer = false
		} else if c != '-' && c != '+' && (c < '0' || c > '9') {
			break
		}
		p.i++
	}
	s := string(p.b[start:p.i])
	if integer {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			if n >= math.MinInt32 && n <= math.MaxInt32 {
				return int32(n), nil
			}
			return n, nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, p.errorf("bad number")
	}
	return f, nil
}
