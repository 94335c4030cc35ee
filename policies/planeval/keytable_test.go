package planeval

import (
	"fmt"
	"hash/maphash"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/ir"
)

// TestKeyTable: the table answers as a Go map of the same entries, for tables of every size
// up to 100 keys, for keys it lacks, and when keys share a hash (every probe path).
func TestKeyTable(t *testing.T) {
	seed := maphash.MakeSeed()
	for n := range 101 {
		var tab keyTable
		tab.init(n, seed)
		want := map[string]*ast.Term{}
		for i := range n {
			k := fmt.Sprintf("k%d", i)
			if i%7 == 0 {
				k = fmt.Sprintf("长%d", i)
			}
			want[k] = ast.IntNumberTerm(i)
			tab.put(k, maphash.String(seed, k), want[k])
		}
		if n > 1 { // a key put again keeps the last value
			k := "k1"
			want[k] = ast.StringTerm("again")
			tab.put(k, maphash.String(seed, k), want[k])
		}
		for k, v := range want {
			if got := tab.get(k, maphash.String(seed, k)); got != v {
				t.Fatalf("n=%d: get(%q) = %v, want %v", n, k, got, v)
			}
		}
		for _, k := range []string{"", "absent", fmt.Sprintf("k%d", n)} {
			if got := tab.get(k, maphash.String(seed, k)); got != want[k] {
				t.Fatalf("n=%d: get(%q) = %v, want none", n, k, got)
			}
		}
	}
	// Keys of one hash: found by probing, and a missing key of that hash is not confused.
	var tab keyTable
	tab.init(5, seed)
	for i := range 5 {
		tab.put(fmt.Sprint(i), 42, ast.IntNumberTerm(i))
	}
	for i := range 5 {
		if got := tab.get(fmt.Sprint(i), 42); got == nil || !got.Equal(ast.IntNumberTerm(i)) {
			t.Fatalf("colliding key %d: %v", i, got)
		}
	}
	if got := tab.get("5", 42); got != nil {
		t.Fatalf("missing colliding key: %v", got)
	}
}

// TestFrozenObjectUnderAnotherSeed: an object frozen by one Program is read right by a field
// read compiled for another (constant and computed keys), hashed again with the table's seed.
func TestFrozenObjectUnderAnotherSeed(t *testing.T) {
	obj := ast.ObjectTerm([2]*ast.Term{ast.StringTerm("kind"), ast.StringTerm("x")})
	freeze(obj, &ast.Location{Row: frozenRow}, maphash.MakeSeed())
	p := &Program{seed: maphash.MakeSeed(), strings: []*ast.Term{ast.StringTerm("kind")}}
	c := &compiler{prog: p}
	read, err := c.stmt(&ir.DotStmt{Source: ir.Operand{Value: ir.Local(2)}, Key: ir.Operand{Value: ir.StringIndex(0)}, Target: 3})
	if err != nil {
		t.Fatal(err)
	}
	f := frame(make([]*ast.Term, 4))
	f[2] = obj
	if read(nil, f) != 0 || f[3] == nil || !f[3].Equal(ast.StringTerm("x")) {
		t.Fatalf("constant key: %v", f[3])
	}
	if v := dot(obj, ast.StringTerm("kind")); v == nil || !v.Equal(ast.StringTerm("x")) {
		t.Fatalf("computed key: %v", v)
	}
}
