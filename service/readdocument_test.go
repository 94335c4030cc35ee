package service

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// readOneThenUnmarshal is how ParseApplicationDocument read a body before readDocument: one
// value without duplicate names (readOne), then the validator's own reader.
func readOneThenUnmarshal(data []byte) (any, any, error) {
	val, err := readOne(data)
	if err != nil {
		return nil, nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(val))
	if err != nil {
		return nil, nil, newError(CodeInvalidJSON, "", "JSON 无法解析", err.Error())
	}
	return string(val), doc, nil
}

// sameReading fails t unless readDocument and the two readings it replaced agree on data:
// the same value bytes and document, or the same error (code, field, messages).
func sameReading(t *testing.T, data []byte) {
	t.Helper()
	wantVal, wantDoc, wantErr := readOneThenUnmarshal(data)
	val, doc, err := readDocument(data)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%q: error %v, want %v", data, err, wantErr)
	}
	if err != nil {
		got, want := AsError(err), AsError(wantErr)
		if got.Code != want.Code || got.Field != want.Field || got.Message != want.Message || got.MessageEN != want.MessageEN {
			t.Fatalf("%q: error %+v, want %+v", data, got, want)
		}
		return
	}
	if string(val) != wantVal || !reflect.DeepEqual(doc, wantDoc) {
		t.Fatalf("%q:\n got  %q %#v\n want %q %#v", data, val, doc, wantVal, wantDoc)
	}
}

func readDocumentCases(t testing.TB) [][]byte {
	cases := []string{
		`{}`, `[]`, `null`, `true`, `false`, `0`, `-0`, `1.50`, `1E+2`, `1e400`, `-12.5e-3`, `"x"`, ` {"a":1} `,
		`{"a":[1,"b",{"c":null}],"d":{"e":[[]],"f":{}},"g":"\u00e9\ud83d\ude00\n\"","h":true}`,
		`{"item":"qualification_renewal","form":{"n":123456789012345678901234567890}}`,
		``, ` `, `{`, `{"a"`, `{"a":}`, `{"a":1,}`, `[1,]`, `{"a":1}{}`, `{"a":1} x`, `{"a":1,"a":2}`,
		`{"a":{"b":1,"b":2}}`, `[1 2]`, `{"a" 1}`, `"\ud800"`, "\"\xff\"", `{'a':1}`, `01`, `1.`, `.5`, `+1`,
		`NaN`, `[` + strings.Repeat(`[`, 20) + strings.Repeat(`]`, 21), `{"a":"b"}` + "\n\n",
	}
	var out [][]byte
	for _, c := range cases {
		out = append(out, []byte(c))
	}
	files, _ := filepath.Glob("../samples/*.json")
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, raw)
	}
	return out
}

// TestReadDocumentIsReadOneThenUnmarshal: on the samples, on well-formed values of every JSON
// kind and on broken, duplicated, trailing and non-UTF-8 input, readDocument gives what
// readOne then jsonschema.UnmarshalJSON gave, errors included.
func TestReadDocumentIsReadOneThenUnmarshal(t *testing.T) {
	for _, c := range readDocumentCases(t) {
		sameReading(t, c)
	}
}

func FuzzReadDocument(f *testing.F) {
	for _, c := range readDocumentCases(f) {
		f.Add(c)
	}
	f.Fuzz(sameReading)
}
