package service

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/roadcheck/roadcheck/policies"
)

// RegistryKind names a registry collection.
type RegistryKind string

// Registry kinds.
const (
	RegistryQualifications RegistryKind = "qualifications"
	RegistryVehicles       RegistryKind = "vehicles"
)

// MaxRegistryLine bounds one JSON line of an import.
const MaxRegistryLine = 64 << 10

// ImportReport tells an administrator what an import did, line by line.
type ImportReport struct {
	Lines    int           `json:"lines"`
	Upserted int           `json:"upserted"`
	Failed   int           `json:"failed"`
	Errors   []ImportError `json:"errors"`
}

// ImportError is one refused line (one entry per field at fault).
type ImportError struct {
	Line      int    `json:"line"`
	Code      string `json:"code"`
	Field     string `json:"field,omitempty"`
	Expected  string `json:"expected,omitempty"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
}

// ImportRegistry upserts registry records from JSON lines (one record a line; blank lines
// skipped). Each record is checked against the contract as a record given whole; a bad line is
// reported with its line number and every field at fault, and skipped: it never stops the others
// or half-writes a record.
func (s *roadcheck) ImportRegistry(ctx context.Context, kind RegistryKind, r io.Reader) (ImportReport, error) {
	var section string
	switch kind {
	case RegistryQualifications:
		section = policies.SectionQualification
	case RegistryVehicles:
		section = policies.SectionVehicle
	default:
		return ImportReport{}, ErrInvalidField("kind", "unknown registry", "未知的登记库")
	}
	contract := s.rules.Load().Book.Contract()
	rep := ImportReport{Errors: []ImportError{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), MaxRegistryLine)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		rep.Lines++
		err := s.importLine(ctx, contract, section, line)
		if err == nil {
			rep.Upserted++
			continue
		}
		var e *Error
		if !errors.As(err, &e) || AsError(err).Kind == KindUnavailable {
			return rep, ErrStoreUnavailable(err) // a store failure stops the import; lines so far are in
		}
		rep.Failed++
		details := e.Details
		if len(details) == 0 {
			details = []policies.FieldError{{Field: e.Field, Expected: e.Expected, Message: e.Message, MessageEN: e.MessageEN}}
		}
		for _, d := range details {
			rep.Errors = append(rep.Errors, ImportError{Line: lineNo, Code: e.Code, Field: d.Field, Expected: d.Expected,
				Message: fmt.Sprintf("第 %d 行：%s", lineNo, d.Message), MessageEN: fmt.Sprintf("line %d: %s", lineNo, d.MessageEN)})
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return rep, ErrInvalidField("body", fmt.Sprintf("line %d is longer than %d bytes", lineNo+1, MaxRegistryLine),
				fmt.Sprintf("第 %d 行超过 %d 字节", lineNo+1, MaxRegistryLine))
		}
		return rep, err
	}
	return rep, nil
}

func (s *roadcheck) importLine(ctx context.Context, contract *policies.Contract, section string, line []byte) error {
	val, err := readOne(line)
	if err != nil {
		return err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(val))
	if err != nil {
		return newError(CodeInvalidJSON, "", "该行不是有效的 JSON 记录", err.Error())
	}
	if errs := contract.CheckRecord(section, doc); len(errs) > 0 {
		return contractError(errs)
	}
	if section == policies.SectionQualification {
		var q Qualification
		if err := DecodeStrict(val, &q); err != nil {
			return err
		}
		return storeErr(s.store.PutQualification(ctx, q))
	}
	var v Vehicle
	if err := DecodeStrict(val, &v); err != nil {
		return err
	}
	return storeErr(s.store.PutVehicle(ctx, v))
}

func storeErr(err error) error {
	if err != nil {
		return ErrStoreUnavailable(err)
	}
	return nil
}

// redact returns a copy of the application fit for the audit log: the fields the contract
// marks personal are masked (identifiers keep the first 3 and last 4 characters, names the
// surname, phones the last 4 digits; addresses are dropped). Facts and dates stay, so the
// decision can still be explained.
//
// It walks the application's own values by their JSON names, the names the contract's
// sections use, and copies what it masks; values it leaves are shared with app. (It replaced
// a walk of the application's JSON, four JSON round trips and ~7 % of a submission's CPU;
// TestRedactIsTheJSONWalk keeps that walk as the reference.)
func redact(c *policies.Contract, app Application) Application {
	out := app
	if app.Applicant != nil {
		out.Applicant = redactStructCopy(c, policies.SectionApplicant, app.Applicant)
	}
	if app.Qualification != nil {
		out.Qualification = redactStructCopy(c, policies.SectionQualification, app.Qualification)
	}
	if app.Vehicle != nil {
		out.Vehicle = redactStructCopy(c, policies.SectionVehicle, app.Vehicle)
	}
	if app.Form != nil {
		out.Form = redactObject(c, policies.SectionForm, "", reflect.ValueOf(app.Form)).Interface().(Form)
	}
	if app.Materials != nil {
		out.Materials = make([]Material, len(app.Materials))
		for i := range app.Materials {
			out.Materials[i] = *redactStructCopy(c, policies.SectionMaterial, &app.Materials[i])
		}
	}
	return out
}

func redactStructCopy[T any](c *policies.Contract, sec string, v *T) *T {
	return redactObject(c, sec, "", reflect.ValueOf(v).Elem()).Addr().Interface().(*T)
}

// redactObject returns a copy of obj (a struct or a string-keyed map: a JSON object of
// section sec) with every string the contract marks personal masked, descending into object
// fields. personal, when set, is how the object's own "value" is masked: a field marked
// personal whose value is an object ({"value": …}, read from a document) has its value
// masked the same way. The copy of a struct is addressable.
func redactObject(c *policies.Contract, sec, personal string, obj reflect.Value) reflect.Value {
	if obj.Kind() == reflect.Map {
		if obj.IsNil() {
			return obj
		}
		out := reflect.MakeMapWithSize(obj.Type(), obj.Len())
		for it := obj.MapRange(); it.Next(); {
			name := it.Key().String()
			v := it.Value()
			if name == "value" && personal != "" {
				v = maskString(personal, v, false)
			}
			spec, _ := c.Spec(sec, name)
			out.SetMapIndex(it.Key(), redactField(c, spec, v, false))
		}
		return out
	}
	out := reflect.New(obj.Type()).Elem()
	out.Set(obj)
	t := obj.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		omitEmpty := strings.Contains(opts, "omitempty")
		v := out.Field(i)
		if name == "value" && personal != "" {
			v.Set(maskString(personal, v, omitEmpty))
		}
		spec, _ := c.Spec(sec, name)
		v.Set(redactField(c, spec, v, omitEmpty))
	}
	return out
}

// redactField returns v, a field of the given spec, masked when the spec marks a string
// personal and redacted within when it is an object; omitEmpty says an empty string is absent
// from the JSON (so not masked).
func redactField(c *policies.Contract, spec policies.FieldSpec, v reflect.Value, omitEmpty bool) reflect.Value {
	switch v.Kind() {
	case reflect.String:
		if spec.Personal != "" {
			return maskString(spec.Personal, v, omitEmpty)
		}
	case reflect.Interface:
		if !v.IsNil() && (v.Elem().Kind() == reflect.String || v.Elem().Kind() == reflect.Map) {
			r := redactField(c, spec, v.Elem(), false)
			out := reflect.New(v.Type()).Elem()
			out.Set(r)
			return out
		}
	case reflect.Pointer:
		if !v.IsNil() && v.Elem().Kind() == reflect.Struct && spec.Type == "object" {
			return redactObject(c, spec.Section, spec.Personal, v.Elem()).Addr()
		}
	case reflect.Struct:
		if spec.Type == "object" {
			return redactObject(c, spec.Section, spec.Personal, v)
		}
	case reflect.Map:
		if spec.Type == "object" && v.Type().Key().Kind() == reflect.String {
			return redactObject(c, spec.Section, spec.Personal, v)
		}
	}
	return v
}

// maskString masks a string value (of any string type) by kind; an empty one the JSON leaves
// out stays as it is.
func maskString(kind string, v reflect.Value, omitEmpty bool) reflect.Value {
	if v.Kind() == reflect.Interface {
		if v.IsNil() || v.Elem().Kind() != reflect.String {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(maskString(kind, v.Elem(), false))
		return out
	}
	if v.Kind() != reflect.String || omitEmpty && v.Len() == 0 {
		return v
	}
	return reflect.ValueOf(mask(kind, v.String())).Convert(v.Type())
}

func mask(kind, s string) string {
	switch kind {
	case "id":
		return maskID(s)
	case "name":
		return maskName(s)
	case "phone":
		return maskPhone(s)
	case "plate":
		return maskPlate(s)
	default: // address and anything else marked personal
		return "[redacted]"
	}
}

// maskPlate keeps the province and the issuing letter and the last two characters: 豫A***45.
func maskPlate(s string) string {
	r := []rune(s)
	if len(r) <= 4 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:2]) + strings.Repeat("*", len(r)-4) + string(r[len(r)-2:])
}

func maskID(s string) string {
	r := []rune(s)
	if len(r) <= 7 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
}

func maskName(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return ""
	}
	return string(r[:1]) + strings.Repeat("*", len(r)-1)
}

func maskPhone(s string) string {
	r := []rune(s)
	if len(r) <= 4 {
		return strings.Repeat("*", len(r))
	}
	return strings.Repeat("*", len(r)-4) + string(r[len(r)-4:])
}
