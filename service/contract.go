package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/roadcheck/roadcheck/policies"
)

// The input contract is enforced before any rule runs: a value no rule can read is refused here
// with its full path (400 INVALID_FIELD), so the rulebook never says yes to facts it could not
// read. The contract is the rulebook's (policies/data/fields.json), reloaded with it.

// DecodeStrict decodes exactly one JSON value into v: keys match exactly (case-sensitive), a
// duplicate key, an unknown field or a value of the wrong type is INVALID_FIELD with its path,
// broken syntax INVALID_JSON. Every JSON body of the API and every registry line goes through it.
func DecodeStrict(data []byte, v any) error {
	val, err := readOne(data)
	if err != nil {
		return err
	}
	if err := jsonv2.Unmarshal(val, v, jsonv2.RejectUnknownMembers(true)); err != nil {
		return semanticError(err)
	}
	return nil
}

// readOne checks that data is exactly one syntactically valid JSON value without duplicate keys.
func readOne(data []byte) (jsontext.Value, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(data))
	if _, err := dec.ReadValue(); err != nil {
		return nil, syntaxError(err)
	}
	// The decoder's value is only valid until its next read; the input itself is.
	val := jsontext.Value(data[:dec.InputOffset()])
	if _, err := dec.ReadToken(); !errors.Is(err, io.EOF) {
		return nil, newError(CodeInvalidJSON, "", "请求体只能包含一个 JSON 值", "the body holds more than one JSON value")
	}
	return val, nil
}

// readDocument is readOne that also returns the value as the contract's validator reads a
// document (jsonschema.UnmarshalJSON: objects as map[string]any, arrays as []any, numbers as
// json.Number with their literal text), built from the same reading of the bytes instead of a
// second parse. Its errors are readOne's: on any error the bytes are read again by readOne,
// so which error a broken document gets does not depend on this reader
// (TestReadDocumentIsReadOneThenUnmarshal, FuzzReadDocument).
func readDocument(data []byte) (jsontext.Value, any, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(data))
	doc, err := buildDocument(dec)
	if err == nil {
		val := jsontext.Value(data[:dec.InputOffset()])
		if _, err := dec.ReadToken(); errors.Is(err, io.EOF) {
			return val, doc, nil
		}
	}
	val, err := readOne(data)
	if err != nil {
		return nil, nil, err
	}
	doc, err = jsonschema.UnmarshalJSON(bytes.NewReader(val))
	if err != nil {
		return nil, nil, newError(CodeInvalidJSON, "", "JSON 无法解析", err.Error())
	}
	return val, doc, nil
}

// buildDocument reads the next value from dec as jsonschema.UnmarshalJSON would give it.
func buildDocument(dec *jsontext.Decoder) (any, error) {
	switch dec.PeekKind() {
	case '{':
		if _, err := dec.ReadToken(); err != nil {
			return nil, err
		}
		obj := map[string]any{}
		for dec.PeekKind() != '}' {
			name, err := dec.ReadToken()
			if err != nil {
				return nil, err
			}
			key := name.String() // a token is valid until the next read
			v, err := buildDocument(dec)
			if err != nil {
				return nil, err
			}
			obj[key] = v
		}
		_, err := dec.ReadToken()
		return obj, err
	case '[':
		if _, err := dec.ReadToken(); err != nil {
			return nil, err
		}
		arr := []any{}
		for dec.PeekKind() != ']' {
			v, err := buildDocument(dec)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err := dec.ReadToken()
		return arr, err
	}
	tok, err := dec.ReadToken()
	if err != nil {
		return nil, err
	}
	switch tok.Kind() {
	case '"':
		return tok.String(), nil
	case '0':
		return json.Number(tok.String()), nil
	case 't', 'f':
		return tok.Bool(), nil
	case 'n':
		return nil, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok.Kind())
}

func syntaxError(err error) *Error {
	var se *jsontext.SyntacticError
	switch {
	case errors.Is(err, io.EOF):
		return newError(CodeInvalidJSON, "", "请求体为空，需要 JSON 对象", "the body is empty; a JSON object is required")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return newError(CodeInvalidJSON, "", "JSON 不完整", "the body ends in the middle of a JSON value")
	case errors.As(err, &se) && errors.Is(se.Err, jsontext.ErrDuplicateName):
		field := pointerPath(se.JSONPointer)
		return newError(CodeInvalidField, field,
			fmt.Sprintf("字段 %s 重复出现：每个字段只能给出一次", field),
			fmt.Sprintf("duplicate field %s: each field may be given once", field)).with("duplicate", "")
	case errors.As(err, &se):
		return newError(CodeInvalidJSON, pointerPath(se.JSONPointer),
			fmt.Sprintf("JSON 格式错误（第 %d 字节）", se.ByteOffset),
			fmt.Sprintf("malformed JSON at byte %d: %v", se.ByteOffset, se.Err))
	}
	return newError(CodeInvalidJSON, "", "JSON 无法解析", err.Error())
}

func semanticError(err error) *Error {
	var se *jsonv2.SemanticError
	if errors.As(err, &se) {
		field := pointerPath(se.JSONPointer)
		if se.Err != nil && strings.Contains(se.Err.Error(), "unknown object member") {
			return newError(CodeInvalidField, field, fmt.Sprintf("未知字段 %s", field), fmt.Sprintf("unknown field %s", field)).with("unknown", "")
		}
		want := goTypeName(se)
		return newError(CodeInvalidField, field,
			fmt.Sprintf("字段 %s 的类型不正确：应为%s", field, want[0]),
			fmt.Sprintf("field %s must be %s", field, want[1])).with("type", want[1])
	}
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) {
		return syntaxError(err)
	}
	return newError(CodeInvalidJSON, "", "JSON 无法解析", err.Error())
}

func goTypeName(se *jsonv2.SemanticError) [2]string {
	if se.GoType == nil {
		return [2]string{"正确的类型", "of the right type"}
	}
	switch strings.TrimLeft(se.GoType.Kind().String(), "*") {
	case "string":
		return [2]string{"字符串", "a string"}
	case "bool":
		return [2]string{"true 或 false", "true or false"}
	case "slice", "array":
		return [2]string{"数组", "an array"}
	case "struct", "map", "ptr":
		return [2]string{"对象", "an object"}
	case "int", "int64", "int32", "uint", "uint64":
		return [2]string{"整数", "an integer"}
	}
	return [2]string{"数值", "a number"}
}

// pointerPath renders a JSON pointer as the API's field path: qualification.expires, materials[1].kind.
func pointerPath(p jsontext.Pointer) string {
	var toks []string
	for t := range p.Tokens() {
		toks = append(toks, t)
	}
	return policies.Path(toks)
}

// ParseApplication reads one application document against the serving rulebook's contract.
// Every contract error is reported at once, each with its path.
func (s *roadcheck) ParseApplication(_ context.Context, raw []byte) (Application, error) {
	return ParseApplicationDocument(s.rules.Load().Book, raw)
}

// ParseApplicationDocument reads an application document against a rulebook's contract.
func ParseApplicationDocument(book Rulebook, raw []byte) (Application, error) {
	val, doc, err := readDocument(raw)
	if err != nil {
		return Application{}, err
	}
	top, ok := doc.(map[string]any)
	if !ok {
		return Application{}, newError(CodeInvalidJSON, "", "申请文档应为 JSON 对象", "the application document must be a JSON object")
	}
	item, err := itemOf(book, top["item"])
	if err != nil {
		return Application{}, err
	}
	if errs := book.Contract().Check(item, doc); len(errs) > 0 {
		return Application{}, contractError(errs)
	}
	var app Application
	if err := jsonv2.Unmarshal(val, &app, jsonv2.RejectUnknownMembers(true)); err != nil {
		return Application{}, semanticError(err)
	}
	app.checked = book.Contract()
	return app, nil
}

func itemOf(book Rulebook, v any) (string, error) {
	switch item := v.(type) {
	case nil:
		return "", newError(CodeUnknownItem, "item", "缺少服务事项 item", "item is required")
	case string:
		if !book.HasItem(item) {
			return "", ErrUnknownItem(item)
		}
		return item, nil
	default:
		return "", newError(CodeInvalidField, "item", "item 应为服务事项代码字符串", "item must be a string: a service item code").with("type", "string")
	}
}

// checkContract validates an application already in Go form (a Go caller, a stored document
// in replay, a certificate's source) against the contract, reading it as the validator reads
// its JSON. A document ParseApplication read with the same contract is not checked twice.
func (sh *inputShaper) checkContract(c *policies.Contract, app *Application) error {
	if app.checked == c {
		return nil
	}
	doc, err := sh.document(*app)
	if err != nil {
		return err
	}
	if errs := c.Check(app.Item, doc); len(errs) > 0 {
		return contractError(errs)
	}
	return nil
}

// contractError is the one error for a document that breaks the contract: INVALID_FIELD naming
// the first field, with every field in Details.
func contractError(errs []policies.FieldError) *Error {
	first := errs[0]
	e := newError(CodeInvalidField, first.Field, first.Message, first.MessageEN)
	e.Expected = first.Expected
	if len(errs) > 1 {
		e.Message = fmt.Sprintf("%d 处不符合输入约定，第一处：%s", len(errs), first.Message)
		e.MessageEN = fmt.Sprintf("%d fields break the input contract; the first: %s", len(errs), first.MessageEN)
	}
	e.Details = errs
	return e
}
