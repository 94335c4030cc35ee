package service

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
func redact(c *policies.Contract, app Application) (Application, error) {
	b, err := json.Marshal(app)
	if err != nil {
		return Application{}, err
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return Application{}, err
	}
	for _, sec := range []string{policies.SectionApplicant, policies.SectionQualification, policies.SectionVehicle, policies.SectionForm} {
		fields, _ := doc[sec].(map[string]any)
		redactObject(c, sec, fields)
	}
	// Materials: what was read from the images (content.fields) is personal data too.
	materials, _ := doc["materials"].([]any)
	for _, m := range materials {
		obj, _ := m.(map[string]any)
		redactObject(c, policies.SectionMaterial, obj)
	}
	b, err = json.Marshal(doc)
	if err != nil {
		return Application{}, err
	}
	var out Application
	if err := json.Unmarshal(b, &out); err != nil {
		return Application{}, err
	}
	return out, nil
}

// redactObject masks, in place, every string the contract marks personal in an object of
// section sec, and descends into object fields. An object field marked personal (a value read
// from a document: {"value": …}) has its value masked the same way.
func redactObject(c *policies.Contract, sec string, fields map[string]any) {
	for name, v := range fields {
		spec, _ := c.Spec(sec, name)
		switch v := v.(type) {
		case string:
			if spec.Personal != "" {
				fields[name] = mask(spec.Personal, v)
			}
		case map[string]any:
			if spec.Type != "object" {
				continue
			}
			if s, ok := v["value"].(string); ok && spec.Personal != "" {
				v["value"] = mask(spec.Personal, s)
			}
			redactObject(c, spec.Section, v)
		}
	}
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
