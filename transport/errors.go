package transport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	httptransport "github.com/go-kit/kit/transport/http"

	"github.com/roadcheck/roadcheck/policies"
	"github.com/roadcheck/roadcheck/service"
)

// errorBody is the one error format of the API.
type errorBody struct {
	Error errorDetail `json:"error"`
}

// errorDetail follows the one convention of the API for messages, as violations do: message
// is Chinese (what the applicant reads), message_en English. message_zh repeats message for
// clients written against the first contract, which had message in English.
type errorDetail struct {
	Code      string                `json:"code"`
	Message   string                `json:"message"`
	MessageEN string                `json:"message_en"`
	MessageZH string                `json:"message_zh"`
	Field     string                `json:"field,omitempty"`
	Expected  string                `json:"expected,omitempty"`
	Errors    []policies.FieldError `json:"errors,omitempty"`
}

func errorBodyOf(e *service.Error) errorBody {
	return errorBody{Error: errorDetail{Code: e.Code, Message: e.Message, MessageEN: e.MessageEN, MessageZH: e.Message,
		Field: e.Field, Expected: e.Expected, Errors: e.Details}}
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
	case service.KindRateLimited:
		return http.StatusTooManyRequests
	default:
		return http.StatusInternalServerError
	}
}

// errorEncoder is the go-kit error encoder of every route. Causes of server-side failures are
// logged, never sent to the client.
func errorEncoder(log *slog.Logger) httptransport.ErrorEncoder {
	return func(ctx context.Context, err error, w http.ResponseWriter) {
		if errors.Is(err, context.Canceled) {
			// The client went away mid-request (the store call it waited for was cancelled
			// with it): nothing failed on our side, and nobody reads the answer.
			noteClientGone(ctx)
			log.InfoContext(ctx, "client went away", slog.Any("error", err))
			writeError(w, service.AsError(err))
			return
		}
		e := service.AsError(err)
		if statusOf(e.Kind) >= 500 {
			log.ErrorContext(ctx, "request failed", slog.String("code", e.Code), slog.Any("error", err))
		}
		setRetryAfter(w, err)
		writeError(w, e)
	}
}

func writeError(w http.ResponseWriter, err *service.Error) {
	e := service.AsError(err)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(statusOf(e.Kind))
	_ = json.NewEncoder(w).Encode(errorBodyOf(e))
}

// decodeError reports a failure to read a request body: over the limit is BODY_TOO_LARGE;
// a connection that broke mid-body is INVALID_JSON (the document never arrived whole).
func decodeError(err error, limit int64) *service.Error {
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		e := service.NewError(service.CodeBodyTooLarge, "",
			fmt.Sprintf("请求体超过 %d 字节上限", limit), fmt.Sprintf("request body is larger than %d bytes", limit))
		e.Err = err
		return e
	}
	e := service.NewError(service.CodeInvalidJSON, "", "请求体读取失败", "the request body could not be read")
	e.Err = err
	return e
}
