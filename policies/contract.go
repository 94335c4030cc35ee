package policies

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/agnivade/levenshtein"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// The input contract: the declared type of every field of the application document
// (policies/data/fields.json), compiled into one JSON Schema per item. The schema is what the
// service enforces before evaluation and what GET /v1/items/{item}/schema publishes, so the
// two cannot drift. Values the rules judge (an unknown delivery, a reason not in the list) are
// published as x-values, never enforced here: they stay violations with their own codes.

// FieldSpec is one declared field of the contract.
type FieldSpec struct {
	Type        string   `json:"type"`              // string, date, integer, number, boolean, string_list, object
	Section     string   `json:"section,omitempty"` // an object's fields: the section that declares them
	MaxLength   int      `json:"max_length,omitempty"`
	MaxItems    int      `json:"max_items,omitempty"`
	Minimum     *float64 `json:"minimum,omitempty"`
	Maximum     *float64 `json:"maximum,omitempty"`
	Required    bool     `json:"required,omitempty"`
	Record      bool     `json:"record,omitempty"`
	Key         bool     `json:"key,omitempty"`
	MayBeAbsent bool     `json:"may_be_absent,omitempty"`
	ValuesFrom  string   `json:"values_from,omitempty"`
	JudgedBy    string   `json:"judged_by,omitempty"`
	Personal    string   `json:"personal,omitempty"`
	Label       string   `json:"label,omitempty"`
}

// Sections of the application document and the shape each takes.
const (
	SectionApplication   = "application"
	SectionApplicant     = "applicant"
	SectionQualification = "qualification"
	SectionVehicle       = "vehicle"
	SectionForm          = "form"
	SectionMaterial      = "material"
)

type contractData struct {
	Sections     map[string]map[string]FieldSpec `json:"sections"`
	MaxMaterials int                             `json:"max_materials"`
}

// FieldError is one place where a document breaks the contract.
type FieldError struct {
	Field     string `json:"field"`    // full path: qualification.expires, materials[1].width
	Problem   string `json:"problem"`  // type, format, missing, unknown, too_long, range, too_many, duplicate
	Expected  string `json:"expected"` // the declared type: date, string, integer, number, boolean, string_list, object, array
	Message   string `json:"message"`  // Chinese
	MessageEN string `json:"message_en"`
}

// Contract is the compiled input contract of one rulebook revision. Immutable.
type Contract struct {
	data    contractData
	schemas map[string]*jsonschema.Schema // item code → compiled document schema
	raw     map[string]json.RawMessage    // item code → the published schema
	records map[string]*jsonschema.Schema // record section → compiled whole-record schema
	fields  json.RawMessage               // the sections, published in GET /v1/items
}

// itemContract is what the contract needs of an item's policy data.
type itemContract struct {
	Name       string `json:"name"`
	Subject    string `json:"subject"`
	FormFields []struct {
		Name   string   `json:"name"`
		Values []string `json:"values"`
	} `json:"form_fields"`
	Reasons []struct {
		Code string `json:"code"`
	} `json:"reasons"`
}

// compileContract builds the per-item schemas from the rulebook's data (data.data). It fails
// when the data disagree: a form field of an item with no declared type, an unknown type, a
// values_from naming no data.
func compileContract(all map[string]any) (*Contract, error) {
	var c Contract
	if err := remarshal(all["fields"], &c.data); err != nil {
		return nil, fmt.Errorf("policies: data.fields: %w", err)
	}
	var items map[string]itemContract
	if err := remarshal(all["items"], &items); err != nil {
		return nil, fmt.Errorf("policies: data.items: %w", err)
	}
	for _, s := range []string{SectionApplication, SectionApplicant, SectionQualification, SectionVehicle, SectionForm, SectionMaterial} {
		if len(c.data.Sections[s]) == 0 {
			return nil, fmt.Errorf("policies: data.fields.sections.%s is missing", s)
		}
	}
	for sec, fields := range c.data.Sections {
		for name, f := range fields {
			// Every limit is explicit: a string has a maximum length, a number its bounds.
			var bad bool
			switch f.Type {
			case "date", "boolean":
			case "string":
				bad = f.MaxLength <= 0
			case "integer", "number":
				bad = f.Minimum == nil || f.Maximum == nil
			case "string_list":
				bad = f.MaxLength <= 0 || f.MaxItems <= 0
			case "object":
				if len(c.data.Sections[f.Section]) == 0 {
					return nil, fmt.Errorf("policies: fields.%s.%s: an object names the section of its fields, and %q declares none", sec, name, f.Section)
				}
			default:
				return nil, fmt.Errorf("policies: fields.%s.%s: unknown type %q", sec, name, f.Type)
			}
			if bad {
				return nil, fmt.Errorf("policies: fields.%s.%s: a %s needs its bounds (max_length, max_items, minimum, maximum)", sec, name, f.Type)
			}
			if f.ValuesFrom != "" && f.ValuesFrom != "item.reasons" {
				if _, err := valuesAt(all, f.ValuesFrom); err != nil {
					return nil, fmt.Errorf("policies: fields.%s.%s: %w", sec, name, err)
				}
			}
		}
	}
	if err := c.checkNesting(); err != nil {
		return nil, err
	}
	b, err := json.Marshal(c.data.Sections)
	if err != nil {
		return nil, err
	}
	c.fields = b

	c.schemas = make(map[string]*jsonschema.Schema, len(items))
	c.raw = make(map[string]json.RawMessage, len(items))
	for code, it := range items {
		for _, ff := range it.FormFields {
			if _, ok := c.data.Sections[SectionForm][ff.Name]; !ok {
				return nil, fmt.Errorf("policies: item %s: form field %q has no type in data/fields.json", code, ff.Name)
			}
		}
		doc := c.itemSchema(code, it, all)
		sch, raw, err := compileSchema("https://roadcheck.invalid/v1/items/"+code+"/schema", doc)
		if err != nil {
			return nil, fmt.Errorf("policies: schema of %s: %w", code, err)
		}
		c.schemas[code], c.raw[code] = sch, raw
	}
	c.records = map[string]*jsonschema.Schema{}
	for _, sec := range []string{SectionQualification, SectionVehicle} {
		doc := c.recordSchema(sec, nil, all)
		doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
		sch, _, err := compileSchema("https://roadcheck.invalid/records/"+sec, doc)
		if err != nil {
			return nil, fmt.Errorf("policies: record schema of %s: %w", sec, err)
		}
		c.records[sec] = sch
	}
	return &c, nil
}

// maxNesting bounds how deep object fields nest (material.content.fields.id_number.value is
// four): the Rego second line (rules/facts.rego) walks exactly that deep.
const maxNesting = 4

// checkNesting refuses object fields that nest deeper than maxNesting or in a cycle.
func (c *Contract) checkNesting() error {
	var depth func(sec string, seen int) error
	depth = func(sec string, seen int) error {
		if seen > maxNesting {
			return fmt.Errorf("policies: fields: objects nest deeper than %d below section %s (or in a cycle)", maxNesting, sec)
		}
		for _, f := range c.data.Sections[sec] {
			if f.Type == "object" {
				if err := depth(f.Section, seen+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, sec := range []string{SectionApplication, SectionApplicant, SectionQualification, SectionVehicle, SectionForm, SectionMaterial} {
		if err := depth(sec, 0); err != nil {
			return err
		}
	}
	return nil
}

func compileSchema(url string, doc map[string]any) (*jsonschema.Schema, json.RawMessage, error) {
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, nil, err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, nil, err
	}
	comp := jsonschema.NewCompiler()
	comp.AssertFormat()
	if err := comp.AddResource(url, v); err != nil {
		return nil, nil, err
	}
	sch, err := comp.Compile(url)
	return sch, raw, err
}

func (c *Contract) itemSchema(code string, it itemContract, all map[string]any) map[string]any {
	props := map[string]any{}
	app := c.data.Sections[SectionApplication]
	for name, f := range app {
		props[name] = c.fieldSchema(f, nil, all)
	}
	props["item"] = map[string]any{"const": code, "title": app["item"].Label}
	props[SectionApplicant] = c.objectSchema(SectionApplicant, nil, all)
	formValues := map[string][]string{}
	for _, ff := range it.FormFields {
		if len(ff.Values) > 0 {
			formValues[ff.Name] = ff.Values
		}
	}
	reasons := make([]string, 0, len(it.Reasons))
	for _, r := range it.Reasons {
		reasons = append(reasons, r.Code)
	}
	formValues["item.reasons"] = reasons
	props[SectionForm] = c.objectSchema(SectionForm, formValues, all)
	props[SectionQualification] = c.recordOrReference(SectionQualification, all)
	props[SectionVehicle] = c.recordOrReference(SectionVehicle, all)
	props["materials"] = map[string]any{
		"type":     "array",
		"maxItems": c.data.MaxMaterials,
		"items":    c.objectSchema(SectionMaterial, nil, all),
	}
	return map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  "/v1/items/" + code + "/schema",
		"title":                it.Name,
		"description":          "Application document for " + code + " (docs/api.md). Generated from the rulebook's data/fields.json and data/items.json.",
		"type":                 "object",
		"additionalProperties": false,
		"required":             requiredOf(app),
		"properties":           props,
	}
}

// objectSchema is one section as a closed object of its declared fields.
func (c *Contract) objectSchema(sec string, values map[string][]string, all map[string]any) map[string]any {
	props := map[string]any{}
	for name, f := range c.data.Sections[sec] {
		var vs []string
		if values != nil {
			if v, ok := values[name]; ok {
				vs = v
			} else if v, ok := values[f.ValuesFrom]; ok {
				vs = v
			}
		}
		props[name] = c.fieldSchema(f, vs, all)
	}
	s := map[string]any{"type": "object", "additionalProperties": false, "properties": props}
	if req := requiredOf(c.data.Sections[sec]); len(req) > 0 {
		s["required"] = req
	}
	return s
}

// recordSchema is a registry record given whole: every record fact not marked may_be_absent.
func (c *Contract) recordSchema(sec string, values map[string][]string, all map[string]any) map[string]any {
	s := c.objectSchema(sec, values, all)
	var req []string
	for name, f := range c.data.Sections[sec] {
		if f.Record && !f.MayBeAbsent {
			req = append(req, name)
		}
	}
	sort.Strings(req)
	s["required"] = req
	return s
}

// recordOrReference: {"<key>": …} alone is a reference the service resolves from its registry;
// anything more is a record given whole and must carry every fact its rules use.
func (c *Contract) recordOrReference(sec string, all map[string]any) map[string]any {
	s := c.objectSchema(sec, nil, all)
	var key string
	for name, f := range c.data.Sections[sec] {
		if f.Key {
			key = name
		}
	}
	whole := c.recordSchema(sec, nil, all)
	s["if"] = map[string]any{"maxProperties": 1}
	s["then"] = requiring([]string{key})
	s["else"] = requiring(whole["required"].([]string))
	s["description"] = "{\"" + key + "\": …} alone is a reference resolved from the registry; otherwise a record given whole, which must carry every required fact"
	return s
}

// requiring is a subschema that requires the named properties (declared by the schema it sits
// in) and names each in its own properties as true, which accepts any value: the subschema
// accepts what {"required": names} accepts, and says where each required name is, as OpenAPI
// linters ask of a required property (redocly's no-required-schema-properties-undefined).
// additionalProperties sees only its own schema's properties, so the parent stays as closed.
func requiring(names []string) map[string]any {
	props := make(map[string]any, len(names))
	for _, n := range names {
		props[n] = true
	}
	return map[string]any{"required": names, "properties": props}
}

func (c *Contract) fieldSchema(f FieldSpec, values []string, all map[string]any) map[string]any {
	s := map[string]any{}
	switch f.Type {
	case "string":
		s["type"] = "string"
		if f.MaxLength > 0 {
			s["maxLength"] = f.MaxLength
		}
		if f.Key { // a blank number or plate references nothing
			s["pattern"] = `\S`
		}
	case "date":
		s["type"] = "string"
		s["format"] = "date"
		s["pattern"] = `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`
	case "integer", "number":
		s["type"] = f.Type
		if f.Minimum != nil {
			s["minimum"] = *f.Minimum
		}
		if f.Maximum != nil {
			s["maximum"] = *f.Maximum
		}
	case "boolean":
		s["type"] = "boolean"
	case "object":
		s = c.objectSchema(f.Section, nil, all)
	case "string_list":
		item := map[string]any{"type": "string"}
		if f.MaxLength > 0 {
			item["maxLength"] = f.MaxLength
		}
		s["type"] = "array"
		s["items"] = item
		if f.MaxItems > 0 {
			s["maxItems"] = f.MaxItems
		}
	}
	if f.Label != "" {
		s["title"] = f.Label
	}
	if values == nil && f.ValuesFrom != "" && f.ValuesFrom != "item.reasons" {
		values, _ = valuesAt(all, f.ValuesFrom)
	}
	if values != nil {
		s["x-values"] = values
	}
	if f.JudgedBy != "" {
		s["x-judged-by"] = f.JudgedBy
		if values != nil {
			s["description"] = "Allowed values: " + strings.Join(values, ", ") + ". Another value is not refused: the pre-check reports it as " + f.JudgedBy + "."
		}
	}
	return s
}

func requiredOf(fields map[string]FieldSpec) []string {
	var req []string
	for name, f := range fields {
		if f.Required {
			req = append(req, name)
		}
	}
	sort.Strings(req)
	return req
}

// valuesAt lists the allowed values at a dotted path of data.data: an object's keys (sorted) or
// an array's strings.
func valuesAt(all map[string]any, path string) ([]string, error) {
	var cur any = all
	for _, p := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("values_from %q: data.data.%s is not an object", path, p)
		}
		if cur, ok = m[p]; !ok {
			return nil, fmt.Errorf("values_from %q names no policy data", path)
		}
	}
	switch v := cur.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return keys, nil
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, fmt.Errorf("values_from %q: not a list of strings", path)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("values_from %q: neither an object nor a list", path)
}

func remarshal(in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

// Schema is the published JSON Schema of an item's application document; nil for an unknown item.
func (c *Contract) Schema(item string) json.RawMessage { return c.raw[item] }

// Fields is the contract's sections as published in GET /v1/items.
func (c *Contract) Fields() json.RawMessage { return c.fields }

// Spec returns the declared field of a section.
func (c *Contract) Spec(section, name string) (FieldSpec, bool) {
	f, ok := c.data.Sections[section][name]
	return f, ok
}

// Check validates a JSON-shaped document (as decoded with json.Number or float64) against the
// item's schema and returns every place where it breaks the contract, sorted by field.
func (c *Contract) Check(item string, doc any) []FieldError {
	sch, ok := c.schemas[item]
	if !ok {
		return []FieldError{{Field: "item", Problem: "unknown", Expected: "string",
			Message: "未知的服务事项", MessageEN: "unknown service item"}}
	}
	return c.explain(sch.Validate(doc), "")
}

// CheckRecord validates one registry record given whole (a registry import line).
func (c *Contract) CheckRecord(section string, rec any) []FieldError {
	sch, ok := c.records[section]
	if !ok {
		return []FieldError{{Field: "", Problem: "unknown", Message: "未知的登记库", MessageEN: "unknown registry"}}
	}
	return c.explain(sch.Validate(rec), section)
}

// explain turns a validation error tree into field errors: one per field, the leaves only.
func (c *Contract) explain(err error, section string) []FieldError {
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []FieldError{{Problem: "type", Message: "文档无法校验", MessageEN: err.Error()}}
	}
	seen := map[string]bool{}
	var out []FieldError
	add := func(fe FieldError) {
		if seen[fe.Field] {
			return
		}
		seen[fe.Field] = true
		out = append(out, fe)
	}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, cause := range e.Causes {
				walk(cause)
			}
			return
		}
		loc := e.InstanceLocation
		switch k := e.ErrorKind.(type) {
		case *kind.AdditionalProperties:
			for _, p := range k.Properties {
				add(c.fieldError(section, append(loc[:len(loc):len(loc)], p), "unknown", nil))
			}
		case *kind.Required:
			for _, p := range k.Missing {
				add(c.fieldError(section, append(loc[:len(loc):len(loc)], p), "missing", nil))
			}
		case *kind.Type:
			add(c.fieldError(section, loc, "type", k.Got))
		case *kind.Format:
			add(c.fieldError(section, loc, "format", k.Got))
		case *kind.Pattern: // dates: the format check says the same, in the same words
			add(c.fieldError(section, loc, "format", k.Got))
		case *kind.MaxLength:
			add(c.fieldError(section, loc, "too_long", nil))
		case *kind.Minimum, *kind.Maximum:
			add(c.fieldError(section, loc, "range", nil))
		case *kind.MaxItems:
			add(c.fieldError(section, loc, "too_many", nil))
		default:
			add(c.fieldError(section, loc, "type", nil))
		}
	}
	walk(ve)
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// locate maps an instance location to its section and field name, descending into object
// fields (materials[0].content.fields.id_number.value is field value of section content_field).
func (c *Contract) locate(section string, loc []string) (sec, name string) {
	sec, name, rest := locateTop(section, loc)
	for len(rest) > 0 {
		spec, ok := c.data.Sections[sec][name]
		if !ok || spec.Type != "object" {
			break
		}
		sec, name, rest = spec.Section, rest[0], rest[1:]
	}
	return sec, name
}

// locateTop maps an instance location to its top-level section and field name, and the
// location left below that field.
func locateTop(section string, loc []string) (sec, name string, rest []string) {
	if section != "" { // a record: the location is within it
		if len(loc) >= 1 {
			return section, loc[0], loc[1:]
		}
		return section, "", nil
	}
	switch {
	case len(loc) == 0:
		return "", "", nil
	case len(loc) == 1:
		if loc[0] == "materials" {
			return "", "materials", nil
		}
		return SectionApplication, loc[0], nil
	case loc[0] == "materials":
		if len(loc) >= 3 {
			return SectionMaterial, loc[2], loc[3:]
		}
		return SectionMaterial, "", nil
	default:
		return loc[0], loc[1], loc[2:]
	}
}

// fieldPath renders an instance location as the API's field path: qualification.expires,
// materials[1].width.
func fieldPath(section string, loc []string) string {
	var b strings.Builder
	if section != "" {
		b.WriteString(section)
	}
	for _, p := range loc {
		if isIndex(p) {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

func isIndex(p string) bool {
	_, err := strconv.Atoi(p)
	return err == nil
}

// Path renders an instance location (JSON pointer tokens) as the API's field path.
func Path(loc []string) string { return fieldPath("", loc) }

func (c *Contract) fieldError(section string, loc []string, problem string, got any) FieldError {
	field := fieldPath(section, loc)
	sec, name := c.locate(section, loc)
	spec, declared := c.data.Sections[sec][name]
	fe := FieldError{Field: field, Problem: problem}
	switch {
	case declared:
		fe.Expected = spec.Type
	case sec == "" && name == "materials":
		fe.Expected = "array"
	case len(loc) == 1 || (sec == SectionMaterial && name == ""):
		fe.Expected = "object"
	}
	expZH, expEN := describe(spec, fe.Expected)
	if spec.Type == "string_list" && len(loc) > 0 && isIndex(loc[len(loc)-1]) {
		expZH, expEN = describe(FieldSpec{MaxLength: spec.MaxLength}, "string") // an element of the list
	}
	label := ""
	if spec.Label != "" {
		label = "（" + spec.Label + "）"
	}
	switch problem {
	case "unknown":
		fe.Expected = ""
		fe.Message = fmt.Sprintf("未知字段 %s", field)
		fe.MessageEN = fmt.Sprintf("unknown field %s", field)
		if s := c.suggest(sec, name); s != "" {
			fe.Message += fmt.Sprintf("，是否应为 %s？", s)
			fe.MessageEN += fmt.Sprintf("; did you mean %s?", s)
		}
	case "missing":
		if spec.Record {
			fe.Message = fmt.Sprintf("缺少 %s%s：整条给出的登记记录必须包含此项（只给出 %s 时由系统从登记库查询）", field, label, keyOf(c.data.Sections[sec]))
			fe.MessageEN = fmt.Sprintf("%s is required: a registry record given whole must carry it (give only %s to have it looked up)", field, keyOf(c.data.Sections[sec]))
		} else {
			fe.Message = fmt.Sprintf("缺少 %s%s", field, label)
			fe.MessageEN = fmt.Sprintf("%s is required", field)
		}
	case "type":
		if got == "null" {
			fe.Message = fmt.Sprintf("%s%s 不能为 null：应为%s；没有此项时请省略该字段", field, label, expZH)
			fe.MessageEN = fmt.Sprintf("%s must be %s, not null; omit the field when there is no value", field, expEN)
		} else {
			fe.Message = fmt.Sprintf("%s%s 应为%s", field, label, expZH)
			fe.MessageEN = fmt.Sprintf("%s must be %s", field, expEN)
			if g, ok := got.(string); ok && g != "" {
				if g == "number" && fe.Expected == "integer" {
					g = "fraction"
				}
				fe.MessageEN += ", not " + jsonTypeName(g)
			}
		}
	case "format":
		fe.Message = fmt.Sprintf("%s%s 格式不正确：应为%s，收到“%s”", field, label, expZH, clip(got))
		fe.MessageEN = fmt.Sprintf("%s must be %s, got %q", field, expEN, clip(got))
	case "too_long", "range", "too_many":
		fe.Message = fmt.Sprintf("%s%s 超出范围：应为%s", field, label, expZH)
		fe.MessageEN = fmt.Sprintf("%s is out of bounds: it must be %s", field, expEN)
	}
	return fe
}

func keyOf(fields map[string]FieldSpec) string {
	for name, f := range fields {
		if f.Key {
			return name
		}
	}
	return ""
}

// suggest names the declared field closest to an unknown one, when it is a likely misspelling.
func (c *Contract) suggest(sec, name string) string {
	best, bestD := "", 3
	for cand := range c.data.Sections[sec] {
		if d := levenshtein.ComputeDistance(strings.ToLower(name), cand); d < bestD || (d == bestD && cand < best && best != "") {
			best, bestD = cand, d
		}
	}
	if best == "" {
		return ""
	}
	if sec == SectionApplication || sec == "" {
		return best
	}
	return sec + "." + best
}

// describe is the expected type in words, Chinese and English.
func describe(f FieldSpec, typ string) (zh, en string) {
	bound := func(unitZH, unitEN string) (string, string) {
		lo, hi := "", ""
		if f.Minimum != nil {
			lo = strconv.FormatFloat(*f.Minimum, 'f', -1, 64)
		}
		if f.Maximum != nil {
			hi = strconv.FormatFloat(*f.Maximum, 'f', -1, 64)
		}
		if lo != "" && hi != "" {
			return fmt.Sprintf("%s 至 %s 之间的%s", lo, hi, unitZH), fmt.Sprintf("%s from %s to %s", unitEN, lo, hi)
		}
		return unitZH, unitEN
	}
	switch typ {
	case "date":
		return "YYYY-MM-DD 格式的真实日期", "a real calendar date YYYY-MM-DD"
	case "string":
		if f.Key {
			return fmt.Sprintf("不超过 %d 个字符的非空字符串", f.MaxLength), fmt.Sprintf("a non-blank string of at most %d characters", f.MaxLength)
		}
		if f.MaxLength > 0 {
			return fmt.Sprintf("不超过 %d 个字符的字符串", f.MaxLength), fmt.Sprintf("a string of at most %d characters", f.MaxLength)
		}
		return "字符串", "a string"
	case "integer":
		return bound("整数", "an integer")
	case "number":
		return bound("数值", "a number")
	case "boolean":
		return "true 或 false", "true or false"
	case "string_list":
		return fmt.Sprintf("字符串数组（最多 %d 项，每项不超过 %d 个字符）", f.MaxItems, f.MaxLength),
			fmt.Sprintf("an array of at most %d strings of at most %d characters", f.MaxItems, f.MaxLength)
	case "array":
		return "数组", "an array"
	case "object":
		return "对象", "an object"
	}
	return "正确的类型", "of the declared type"
}

func jsonTypeName(t string) string {
	switch t {
	case "object":
		return "an object"
	case "array":
		return "an array"
	case "integer", "number":
		return "a number"
	case "boolean":
		return "true/false"
	case "fraction":
		return "a fraction"
	}
	return "a " + t
}

// clip shows at most 32 characters of a received value.
func clip(v any) string {
	s := fmt.Sprint(v)
	if r := []rune(s); len(r) > 32 {
		return string(r[:32]) + "…"
	}
	return s
}
