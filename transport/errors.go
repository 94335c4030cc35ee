package transport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	httptransport "github.com/go-kit/kit/transport/http"

	"github.com/roadcheck/roadcheck/service"
)

// errorBody is the one error format of the API.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageZH string `json:"message_zh"`
	Field     string `json:"field,omitempty"`
}

// statusOf maps an error kind to its HTTP status; this is the only place that does.
func statusOf(k service.Kind) int {
	switch k {
	case service.KindInvalid:
		return http.StatusBadRequest
	case service.KindUnauthenticated:
		return http.StatusUnauthorized
	case service.KindForbidden:
		return http.StatusForbidden
	case service.KindNotFound:
		return http.StatusNotFound
	case service.KindConflict:
		return http.StatusConflict
	case service.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case service.KindUnsupportedMedia:
		return http.StatusUnsupportedMediaType
	case service.KindUnprocessable:
		return http.StatusUnprocessableEntity
	case service.KindMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case service.KindUnavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// errorEncoder is the go-kit error encoder of every route. Causes of server-side failures are
// logged, never sent to the client.
func errorEncoder(log *slog.Logger) httptransport.ErrorEncoder {
	return func(ctx context.Context, err error, w http.ResponseWriter) {
		e := service.AsError(err)
		if statusOf(e.Kind) >= 500 {
			log.ErrorContext(ctx, "request failed", slog.String("code", e.Code), slog.Any("error", err))
		}
		writeError(w, e)
	}
}

func writeError(w http.ResponseWriter, e *service.Error) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(statusOf(e.Kind))
	_ = json.NewEncoder(w).Encode(errorBody{Error: errorDetail{
		Code: e.Code, Message: e.Message, MessageZH: e.MessageZH, Field: e.Field,
	}})
}

// decodeError turns a JSON decoding failure into a specific, stable API error.
func decodeError(err error, limit int64) *service.Error {
	var (
		maxErr    *http.MaxBytesError
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &maxErr):
		return &service.Error{Kind: service.KindTooLarge, Code: service.CodeBodyTooLarge, Err: err,
			Message:   fmt.Sprintf("request body is larger than %d bytes", limit),
			MessageZH: fmt.Sprintf("请求体超过 %d 字节上限", limit)}
	case errors.As(err, &syntaxErr):
		return invalidJSON("", fmt.Sprintf("malformed JSON at byte %d: %v", syntaxErr.Offset, syntaxErr),
			fmt.Sprintf("JSON 格式错误（第 %d 字节）", syntaxErr.Offset))
	case errors.As(err, &typeErr):
		field := typeErr.Field
		return invalidJSON(field, fmt.Sprintf("field %q must be %s, not a JSON %s", field, jsonKind(typeErr.Type.Kind().String()), typeErr.Value),
			fmt.Sprintf("字段 %s 的类型不正确", field))
	case errors.Is(err, io.EOF):
		return invalidJSON("", "request body is empty; a JSON object is required", "请求体为空，需要 JSON 对象")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalidJSON("", "request body ends in the middle of a JSON value", "JSON 不完整")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return invalidJSON(field, fmt.Sprintf("unknown field %q", field), fmt.Sprintf("未知字段 %s", field))
	default:
		return invalidJSON("", err.Error(), "JSON 无法解析")
	}
}

func invalidJSON(field, msg, zh string) *service.Error {
	return &service.Error{Kind: service.KindInvalid, Code: service.CodeInvalidJSON, Field: field, Message: msg, MessageZH: zh}
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "struct", "map", "ptr":
		return "an object"
	default:
		return "a number"
	}
}
