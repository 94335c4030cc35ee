package mongostore

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// extJSONDoc is the conversion toDoc replaced; toDoc must give the same documents.
func extJSONDoc(b []byte) (bson.D, error) {
	var d bson.D
	err := bson.UnmarshalExtJSON(b, false, &d)
	return d, err
}

func TestToDocMatchesExtendedJSON(t *testing.T) {
	cases := []string{
		`{}`,
		`{"a":1,"b":-2147483648,"c":2147483648,"d":-9223372036854775808,"e":9223372036854775808,"f":1.5,"g":1e3,"h":-0,"i":0.0}`,
		`{"s":"plain","u":"中文","esc":"a\"b\\c\n\u003c\u00e9\ud83d\ude00","empty":""}`,
		`{"t":true,"f":false,"n":null,"arr":[1,"x",[],{},[null,{"k":[2.5]}]]}`,
		` { "spaced" : [ 1 , 2 ] , "o" : { } } `,
		`{"dup":1,"dup":2}`,
	}
	files, _ := filepath.Glob("../../samples/*.json")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, string(b))
	}
	for _, c := range cases {
		want, err := extJSONDoc([]byte(c))
		if err != nil {
			t.Fatalf("reference failed on %s: %v", c, err)
		}
		got, err := docFromJSON([]byte(c))
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %#v\nwant %#v", c, got, want)
		}
	}
}

func TestToDocKeepsDollarKeysAsData(t *testing.T) {
	d, err := toDoc(map[string]any{"form": map[string]any{"$numberLong": "12", "$date": "x"}})
	if err != nil {
		t.Fatal(err)
	}
	form := d[0].Value.(bson.D)
	if len(form) != 2 || form[0].Key != "$date" || form[0].Value != "x" || form[1].Key != "$numberLong" || form[1].Value != "12" {
		t.Errorf("dollar keys = %#v", form)
	}
}

func TestToDocRejectsNonObjects(t *testing.T) {
	for _, v := range []any{[]int{1}, "x", 3, nil} {
		if _, err := toDoc(v); err == nil {
			t.Errorf("toDoc(%#v) accepted a non-object", v)
		}
	}
}

// FuzzDocFromJSON: on any JSON object without Extended JSON's $-keys, the walk and the
// Extended JSON parser agree.
func FuzzDocFromJSON(f *testing.F) {
	f.Add([]byte(`{"a":[1,2.5,"x",{"b":null}],"c":true}`))
	f.Add([]byte(`{"n":2147483648,"m":-1e-7,"s":"\u00e9\n"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if !json.Valid(b) || bytes.Contains(b, []byte("$")) || bytes.Contains(b, []byte(`\u0000`)) || bytes.IndexByte(b, 0) >= 0 {
			return
		}
		want, werr := extJSONDoc(b)
		got, gerr := docFromJSON(b)
		if werr != nil {
			return // not an object, or a number out of range: the reference refuses
		}
		if gerr != nil {
			t.Fatalf("%s: %v", b, gerr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\n got %#v\nwant %#v", b, got, want)
		}
	})
}

func BenchmarkToDoc(b *testing.B) {
	raw, err := os.ReadFile("../../samples/qualification_reissue_life_photo.json")
	if err != nil {
		b.Fatal(err)
	}
	var v map[string]any
	_ = json.Unmarshal(raw, &v)
	b.Run("walk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := toDoc(v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("extjson", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			j, _ := json.Marshal(v)
			if _, err := extJSONDoc(j); err != nil {
				b.Fatal(err)
			}
		}
	})
}
