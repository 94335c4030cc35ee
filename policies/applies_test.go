package policies

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The "Also applies" header of each items/<item>.rego lists the shared rules (rules/*.rego) that
// apply to the item. TestItemHeadersListWhatApplies derives that list from the policy data
// (data/items.json) and the shared rules themselves, and fails with the lines to write when a
// header says otherwise. The header stays free text for policy staff; the test reads it so:
//
//	#   <topic>  CODE, CODE (detail, detail), CODE (a note), ...
//
// one topic per line (a rules/<topic>.rego file), continued on lines indented further. Codes are
// compared as sets, in any order. The parenthesised details of FIELD_REQUIRED, FIELD_INVALID,
// REASON_NOT_ALLOWED (form fields, "field when other is value", reason codes) and of PHOTO_*
// (material kinds, "kind when form.flag") are compared as sets too; after any other code a
// parenthesis is a free note.

// headerTopics are the rules/ files a header lists. rules/content.rego is listed as part of
// "materials" (its codes are MATERIAL_*/PHOTO_*, checked below); rules/facts.rego
// (FIELD_MALFORMED) guards the input contract of every item alike and is not listed.
var headerTopics = []string{"applicant", "form", "qualification", "vehicle", "materials"}

// formOwnCodeFields mirrors own_code_fields in rules/form.rego: fields that FIELD_REQUIRED
// leaves to a code of their own.
var formOwnCodeFields = map[string]bool{"mail_address": true}

type itemHeaderData struct {
	Subject      string   `json:"subject"`
	SharedChecks []string `json:"shared_checks"`
	Materials    []struct {
		Kind       string `json:"kind"`
		RequiredIf string `json:"required_if"`
	} `json:"materials"`
	FormFields []struct {
		Name         string            `json:"name"`
		Required     bool              `json:"required"`
		RequiredWhen map[string]string `json:"required_when"`
		Values       []string          `json:"values"`
	} `json:"form_fields"`
	Reasons []struct {
		Code string `json:"code"`
	} `json:"reasons"`
}

// sharedRule is one deny rule of rules/<topic>.rego: its code and whether the item's
// shared_checks switch it on (a body line `"CODE" in checks`).
type sharedRule struct {
	topic, code string
	gated       bool
}

func sharedRules(t *testing.T) []sharedRule {
	t.Helper()
	var out []sharedRule
	for _, r := range denyRules(t) {
		dir, name := path.Split(r.file)
		if dir != "rules/" {
			continue
		}
		code, _ := r.custom["code"].(string)
		out = append(out, sharedRule{
			topic: strings.TrimSuffix(name, ".rego"),
			code:  code,
			gated: strings.Contains(r.text, fmt.Sprintf("%q in checks", code)),
		})
	}
	return out
}

// entry is one topic of a header: its codes, each with its parenthesised text split into items.
type entry map[string][]string

func (e entry) String() string {
	codes := make([]string, 0, len(e))
	for c := range e {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	parts := make([]string, 0, len(codes))
	for _, c := range codes {
		if d := e[c]; len(d) > 0 {
			c += " (" + strings.Join(d, ", ") + ")"
		}
		parts = append(parts, c)
	}
	return strings.Join(parts, ", ")
}

// expectedHeader derives what applies to one item.
func expectedHeader(it itemHeaderData, rules []sharedRule) map[string]entry {
	want := map[string]entry{}
	checks := map[string]bool{}
	for _, c := range it.SharedChecks {
		checks[c] = true
	}
	// applicant: every rule, for every item; qualification, vehicle: the item's subject,
	// the gated codes only when listed in shared_checks.
	for _, r := range rules {
		switch {
		case r.topic == "applicant",
			(r.topic == "qualification" || r.topic == "vehicle") && r.topic == it.Subject && (!r.gated || checks[r.code]):
			if want[r.topic] == nil {
				want[r.topic] = entry{}
			}
			want[r.topic][r.code] = nil
		}
	}
	// form: driven by form_fields and reasons, as rules/form.rego reads them.
	form := entry{}
	var required, invalid []string
	names := map[string]bool{}
	for _, f := range it.FormFields {
		names[f.Name] = true
		switch {
		case formOwnCodeFields[f.Name]:
		case f.Required:
			required = append(required, f.Name)
		case len(f.RequiredWhen) > 0:
			var conds []string
			for k, v := range f.RequiredWhen {
				conds = append(conds, k+" is "+v)
			}
			sort.Strings(conds)
			required = append(required, f.Name+" when "+strings.Join(conds, " and "))
		}
		if len(f.Values) > 0 {
			invalid = append(invalid, f.Name)
		}
	}
	if len(required) > 0 {
		form["FIELD_REQUIRED"] = required
	}
	if len(invalid) > 0 {
		form["FIELD_INVALID"] = invalid
	}
	if names["reason"] {
		var codes []string
		for _, r := range it.Reasons {
			codes = append(codes, r.Code)
		}
		form["REASON_NOT_ALLOWED"] = codes
	}
	if names["delivery"] {
		form["MAIL_ADDRESS_REQUIRED"] = nil
	}
	if len(form) > 0 {
		want["form"] = form
	}
	// materials (rules/materials.rego, rules/content.rego): every item, with its kinds.
	var kinds []string
	for _, m := range it.Materials {
		k := m.Kind
		if m.RequiredIf != "" {
			k += " when form." + m.RequiredIf
		}
		kinds = append(kinds, k)
	}
	want["materials"] = entry{"MATERIAL_*": nil, "PHOTO_*": kinds}
	return want
}

var (
	headerTopicLine = regexp.MustCompile(`^#   ([a-z]+)\s+(.*)$`)
	headerContLine  = regexp.MustCompile(`^#\s{4,}(\S.*)$`)
	headerCode      = regexp.MustCompile(`^[A-Z][A-Z0-9_]*\*?`)
)

// detailed are the codes whose parenthesis lists data the test compares.
var detailed = map[string]bool{"FIELD_REQUIRED": true, "FIELD_INVALID": true, "REASON_NOT_ALLOWED": true, "PHOTO_*": true}

// parseHeader reads the topics of the comment block above the package line.
func parseHeader(src string) (map[string]entry, error) {
	texts := map[string]string{}
	var order []string
	in, cur := false, ""
	for _, line := range strings.Split(src, "\n") {
		if strings.HasPrefix(line, "package ") {
			break
		}
		if !in {
			in = strings.Contains(line, "applies")
			continue
		}
		if m := headerTopicLine.FindStringSubmatch(line); m != nil && slices.Contains(headerTopics, m[1]) {
			cur = m[1]
			if _, dup := texts[cur]; dup {
				return nil, fmt.Errorf("topic %s listed twice", cur)
			}
			texts[cur] = m[2]
			order = append(order, cur)
			continue
		}
		if m := headerContLine.FindStringSubmatch(line); m != nil && cur != "" {
			texts[cur] += " " + m[1]
			continue
		}
		if m := headerTopicLine.FindStringSubmatch(line); m != nil {
			return nil, fmt.Errorf("unknown topic %q (want one of %v)", m[1], headerTopics)
		}
		break // the block ends at the first other line
	}
	if !in {
		return nil, fmt.Errorf("no \"Also applies\" header")
	}
	out := map[string]entry{}
	for _, topic := range order {
		e, err := parseTopic(texts[topic])
		if err != nil {
			return nil, fmt.Errorf("%s: %v", topic, err)
		}
		out[topic] = e
	}
	return out, nil
}

func parseTopic(s string) (entry, error) {
	e := entry{}
	last := ""
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimLeft(s, " ,") {
		if s[0] == '(' {
			depth, end := 0, -1
			for i, r := range s {
				if r == '(' {
					depth++
				} else if r == ')' {
					if depth--; depth == 0 {
						end = i
						break
					}
				}
			}
			if end < 0 || last == "" {
				return nil, fmt.Errorf("stray parenthesis in %q", s)
			}
			if detailed[last] {
				for _, d := range strings.FieldsFunc(s[1:end], func(r rune) bool { return r == ',' || r == ';' }) {
					e[last] = append(e[last], strings.Join(strings.Fields(d), " "))
				}
			}
			s = s[end+1:]
			continue
		}
		code := headerCode.FindString(s)
		if code == "" {
			return nil, fmt.Errorf("expected a code at %q", s)
		}
		e[code] = []string{}
		last = code
		s = s[len(code):]
	}
	return e, nil
}

func sameEntry(a, b entry) bool {
	if len(a) != len(b) {
		return false
	}
	for code, da := range a {
		db, ok := b[code]
		if !ok {
			return false
		}
		x, y := slices.Clone(da), slices.Clone(db)
		sort.Strings(x)
		sort.Strings(y)
		if !slices.Equal(x, y) {
			return false
		}
	}
	return true
}

func TestItemHeadersListWhatApplies(t *testing.T) {
	rules := sharedRules(t)
	for _, r := range rules {
		if r.topic == "materials" || r.topic == "content" {
			if !strings.HasPrefix(r.code, "MATERIAL_") && !strings.HasPrefix(r.code, "PHOTO_") {
				t.Errorf("rules/%s.rego: code %s is not MATERIAL_*/PHOTO_*, which the item headers list for it", r.topic, r.code)
			}
		}
	}
	b, err := fs.ReadFile(Builtin(), "data/items.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Items map[string]itemHeaderData `json:"items"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	for code, it := range f.Items {
		file := "items/" + code + ".rego"
		src, err := fs.ReadFile(Builtin(), file)
		if err != nil {
			t.Errorf("%s: %v", code, err)
			continue
		}
		have, err := parseHeader(string(src))
		if err != nil {
			t.Errorf("policies/%s header: %v", file, err)
			continue
		}
		want := expectedHeader(it, rules)
		for _, topic := range headerTopics {
			w, inWant := want[topic]
			h, inHave := have[topic]
			switch {
			case !inWant && inHave:
				t.Errorf("policies/%s header lists %s, which does not apply to this item:\n\thave: %s", file, topic, h)
			case inWant && !inHave:
				t.Errorf("policies/%s header lacks %s:\n\twant: %-13s %s", file, topic, topic, w)
			case inWant && !sameEntry(w, h):
				t.Errorf("policies/%s header, %s differs from the policy data (data/items.json, rules/%s.rego):\n\thave: %s\n\twant: %s", file, topic, topic, h, w)
			}
		}
	}
}
