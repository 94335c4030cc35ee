package planeval

import (
	"cmp"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown/builtins"
)

// direct are OPA's implementations of built-ins the rulebook calls tens of times a decision
// (object.get, substring, arithmetic, time.parse_ns, regex.match, floor), written out for
// their common arguments: for these the call protocol (the BuiltinContext copied by value into
// the implementation and its error wrapper, the result iterator) cost as much as the work.
// Each answers only where it does exactly what the topdown function named beside it does, and
// returns ok false for anything else (other types, errors, rarer forms), which leaves the call
// to OPA's own implementation; TestDirectBuiltinsAreOPAs compares them on a table of values.
var direct = map[string]func(b *builtin, args []*ast.Term) (*ast.Term, bool){
	ast.ObjectGet.Name:  objectGet,                                                                  // builtinObjectGet
	ast.Substring.Name:  substring,                                                                  // builtinSubstring
	ast.Plus.Name:       smallArith(func(x, y int64) int64 { return x + y }),                        // opPlus
	ast.Minus.Name:      smallArith(func(x, y int64) int64 { return x - y }),                        // builtinMinus, numbers
	ast.Multiply.Name:   smallArith(func(x, y int64) int64 { return x * y }),                        // opMultiply
	ast.Floor.Name:      integral,                                                                   // builtinFloor
	ast.Ceil.Name:       integral,                                                                   // builtinCeil
	ast.Round.Name:      integral,                                                                   // builtinRound
	ast.ParseNanos.Name: func(_ *builtin, a []*ast.Term) (*ast.Term, bool) { return parseNanos(a) }, // builtinTimeParseNanos
	ast.RegexMatch.Name: (*builtin).regexMatch,                                                      // builtinRegexMatch
	ast.Concat.Name:     concat,                                                                     // builtinConcat
}

// concat: an array of strings joined.
func concat(_ *builtin, a []*ast.Term) (*ast.Term, bool) {
	sep, ok := a[0].Value.(ast.String)
	if !ok {
		return nil, false
	}
	arr, ok := a[1].Value.(*ast.Array)
	if !ok || arr.Len() == 0 {
		return nil, false
	}
	n := len(sep) * (arr.Len() - 1)
	for i := range arr.Len() {
		s, ok := arr.Elem(i).Value.(ast.String)
		if !ok {
			return nil, false
		}
		n += len(s)
	}
	if arr.Len() == 1 {
		return arr.Elem(0), true
	}
	var b strings.Builder
	b.Grow(n)
	for i := range arr.Len() {
		if i > 0 {
			b.WriteString(string(sep))
		}
		b.WriteString(string(arr.Elem(i).Value.(ast.String)))
	}
	return ast.InternedTerm(b.String()), true
}

// objectGet: a key that is not a path (an array) looked up in an object.
func objectGet(_ *builtin, a []*ast.Term) (*ast.Term, bool) {
	obj, ok := a[0].Value.(ast.Object)
	if !ok {
		return nil, false
	}
	if _, path := a[1].Value.(*ast.Array); path {
		return nil, false
	}
	return cmp.Or(obj.Get(a[1]), a[2]), true
}

// substring of an ASCII string (a date's year or month, an id's birth date).
func substring(_ *builtin, a []*ast.Term) (*ast.Term, bool) {
	base, ok := a[0].Value.(ast.String)
	if !ok {
		return nil, false
	}
	start, err := builtins.IntOperand(a[1].Value, 2)
	if err != nil || start < 0 {
		return nil, false
	}
	length, err := builtins.IntOperand(a[2].Value, 3)
	if err != nil {
		return nil, false
	}
	s := string(base)
	if s == "" {
		return ast.InternedEmptyString, true
	}
	for i := range len(s) {
		if s[i] > unicode.MaxASCII {
			return nil, false
		}
	}
	switch {
	case start >= len(s):
		return ast.InternedEmptyString, true
	case length < 0:
		return ast.InternedTerm(s[start:]), true
	case start == 0 && length >= len(s):
		return a[0], true
	}
	return ast.InternedTerm(s[start : start+min(length, len(s)-start)]), true
}

// smallArith is topdown's arithOp on two integers in its int32 window, the only form it
// computes with int64s (the result is then always an integer).
func smallArith(op func(x, y int64) int64) func(*builtin, []*ast.Term) (*ast.Term, bool) {
	return func(_ *builtin, a []*ast.Term) (*ast.Term, bool) {
		x, ok := int32Window(a[0])
		if !ok {
			return nil, false
		}
		y, ok := int32Window(a[1])
		if !ok {
			return nil, false
		}
		return ast.IntNumberTerm(int(op(x, y))), true
	}
}

func int32Window(t *ast.Term) (int64, bool) {
	n, ok := t.Value.(ast.Number)
	if !ok {
		return 0, false
	}
	i, ok := n.Int64()
	return i, ok && -1<<31 <= i && i <= 1<<31-1
}

// integral: floor, ceil and round of an integer written canonically (no leading zero, point
// or exponent; not -0) are the number itself, as OPA writes them.
func integral(_ *builtin, a []*ast.Term) (*ast.Term, bool) {
	n, ok := a[0].Value.(ast.Number)
	if !ok {
		return nil, false
	}
	s := string(n)
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	if s == "" || (s[0] == '0' && len(s) > 1) || (s == "0" && len(n) > 1) {
		return nil, false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return nil, false
		}
	}
	return a[0], true
}

// layouts are the names time.parse_ns accepts for Go's layout constants (topdown's
// acceptedTimeFormats).
var layouts = map[string]string{
	"ANSIC": time.ANSIC, "UnixDate": time.UnixDate, "RubyDate": time.RubyDate,
	"RFC822": time.RFC822, "RFC822Z": time.RFC822Z, "RFC850": time.RFC850,
	"RFC1123": time.RFC1123, "RFC1123Z": time.RFC1123Z,
	"RFC3339": time.RFC3339, "RFC3339Nano": time.RFC3339Nano,
}

var (
	minNanos = time.Unix(0, -1<<63)
	maxNanos = time.Unix(0, 1<<63-1)
)

// twoStrings is the first two arguments when both are strings.
func twoStrings(a []*ast.Term) (ast.String, ast.String, bool) {
	x, ok1 := a[0].Value.(ast.String)
	y, ok2 := a[1].Value.(ast.String)
	return x, y, ok1 && ok2
}

// parseNanos: a time that parses, within the range of int64 nanoseconds.
func parseNanos(a []*ast.Term) (*ast.Term, bool) {
	layout, value, ok := twoStrings(a)
	if !ok {
		return nil, false
	}
	l := string(layout)
	if l == dateLayout {
		if n, ok := civilNanos(string(value)); ok {
			return ast.NewTerm(ast.Number(strconv.FormatInt(n, 10))), true
		}
	}
	if named, ok := layouts[l]; ok {
		l = named
	}
	t, err := time.Parse(l, string(value))
	if err != nil || t.Before(minNanos) || t.After(maxNanos) {
		return nil, false
	}
	return ast.NewTerm(ast.Number(strconv.FormatInt(t.UnixNano(), 10))), true
}

// dateLayout is the calendar-date layout, the one the rulebook parses with.
const dateLayout = "2006-01-02"

// civilNanos reads a date written YYYY-MM-DD (digits only) from 1700 to 2200 without
// time.Parse, which costs ~2,000 instructions a call for it: the nanoseconds at UTC midnight
// of a real date; ok false for anything else (a day past its month's end, other forms), which
// goes to time.Parse. TestCivilNanosIsTimeParse compares them on every day of the range.
func civilNanos(s string) (int64, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	n := 0
	num := func(from, to int) int {
		v := 0
		for i := from; i < to; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				n = -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, m, d := num(0, 4), num(5, 7), num(8, 10)
	if n < 0 || y < 1700 || y > 2200 || m < 1 || m > 12 || d < 1 {
		return 0, false
	}
	// The day after the month's last is the first of the next month (time.Date normalizes).
	if time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Day() != d {
		return 0, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).UnixNano(), true
}

// siteRegexp is the pattern last compiled at one call site of regex.match: the rulebook's
// patterns are constants, so each site compiles once, without OPA's cache lock and lookup.
type siteRegexp struct {
	pattern string
	re      *regexp.Regexp
}

// regexMatch: a pattern that compiles, against a string.
func (b *builtin) regexMatch(a []*ast.Term) (*ast.Term, bool) {
	pattern, s, ok := twoStrings(a)
	if !ok {
		return nil, false
	}
	site := b.re.Load()
	if site == nil || site.pattern != string(pattern) {
		re, err := regexp.Compile(string(pattern))
		if err != nil {
			return nil, false
		}
		site = &siteRegexp{pattern: string(pattern), re: re}
		b.re.Store(site)
	}
	return ast.InternedTerm(site.re.MatchString(string(s))), true
}
