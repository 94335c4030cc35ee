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
	"time"
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

// ImportError is one refused line.
type ImportError struct {
	Line    int    `json:"line"`
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// ImportRegistry upserts registry records from JSON lines (one record a line; blank lines
// skipped). A bad line is reported and skipped; it never stops the others or half-writes a record.
func (s *roadcheck) ImportRegistry(ctx context.Context, kind RegistryKind, r io.Reader) (ImportReport, error) {
	if kind != RegistryQualifications && kind != RegistryVehicles {
		return ImportReport{}, ErrInvalidField("kind", "unknown registry", "未知的登记库")
	}
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
		var err error
		switch kind {
		case RegistryQualifications:
			var q Qualification
			if err = decodeLine(line, &q); err == nil {
				if err = validQualification(q); err == nil {
					err = s.store.PutQualification(ctx, q)
				}
			}
		case RegistryVehicles:
			var v Vehicle
			if err = decodeLine(line, &v); err == nil {
				if err = validVehicle(v); err == nil {
					err = s.store.PutVehicle(ctx, v)
				}
			}
		}
		if err == nil {
			rep.Upserted++
			continue
		}
		var e *Error
		if !errors.As(err, &e) {
			return rep, ErrStoreUnavailable(err) // a store failure stops the import; lines so far are in
		}
		rep.Failed++
		rep.Errors = append(rep.Errors, ImportError{Line: lineNo, Code: e.Code, Field: e.Field, Message: e.Message})
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

func decodeLine(line []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &Error{Kind: KindInvalid, Code: CodeInvalidJSON, Message: err.Error(), MessageZH: "该行不是有效的 JSON 记录"}
	}
	if dec.More() {
		return &Error{Kind: KindInvalid, Code: CodeInvalidJSON, Message: "more than one JSON value on the line", MessageZH: "一行只能有一条记录"}
	}
	return nil
}

func validDate(field, v string) error {
	if v == "" {
		return nil
	}
	if _, err := time.Parse(DateLayout, v); err != nil {
		return ErrInvalidField(field, fmt.Sprintf("%s %q is not a YYYY-MM-DD date", field, v), fmt.Sprintf("%s 不是 YYYY-MM-DD 格式的日期", field))
	}
	return nil
}

func validQualification(q Qualification) error {
	if strings.TrimSpace(q.Number) == "" {
		return ErrInvalidField("number", "number is required", "缺少证件号 number")
	}
	if q.Found != nil {
		return ErrInvalidField("found", "found is not a registry field", "found 不是登记库字段")
	}
	for field, v := range map[string]string{"first_issued": q.FirstIssued, "expires": q.Expires, "last_assessed_cycle_end": q.LastAssessedCycleEnd} {
		if err := validDate(field, v); err != nil {
			return err
		}
	}
	return nil
}

func validVehicle(v Vehicle) error {
	if strings.TrimSpace(v.Plate) == "" {
		return ErrInvalidField("plate", "plate is required", "缺少号牌 plate")
	}
	if v.Found != nil {
		return ErrInvalidField("found", "found is not a registry field", "found 不是登记库字段")
	}
	for field, d := range map[string]string{"cert_issued": v.CertIssued, "cert_expires": v.CertExpires, "last_review": v.LastReview} {
		if err := validDate(field, d); err != nil {
			return err
		}
	}
	if v.GrossMassKg != nil && *v.GrossMassKg < 0 {
		return ErrInvalidField("gross_mass_kg", "gross_mass_kg must not be negative", "总质量不能为负数")
	}
	return nil
}

// Redact returns a copy of the application fit for the audit log: identifiers keep only what
// a reviewer needs to tell records apart (first 3 and last 4 characters), names keep the
// surname, phones the last 4 digits, addresses are dropped. Facts and dates stay, so the
// decision can still be explained.
func Redact(app Application) Application {
	out := app
	if a := app.Applicant; a != nil {
		c := *a
		c.IDNumber, c.Name, c.Phone = maskID(c.IDNumber), maskName(c.Name), maskPhone(c.Phone)
		out.Applicant = &c
	}
	if q := app.Qualification; q != nil {
		c := *q
		c.HolderIDNumber, c.HolderName = maskID(c.HolderIDNumber), maskName(c.HolderName)
		out.Qualification = &c
	}
	if f := app.Form; f != nil {
		c := *f
		c.ContactName, c.ContactPhone = maskName(c.ContactName), maskPhone(c.ContactPhone)
		if c.MailAddress != "" {
			c.MailAddress = "[redacted]"
		}
		out.Form = &c
	}
	out.Materials = append([]Material(nil), app.Materials...)
	return out
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
