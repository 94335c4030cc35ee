package service

import (
	"errors"
	"fmt"
)

// Kind classifies an error for callers (the HTTP transport maps it to a status); the service
// itself knows no HTTP.
type Kind int

// Error kinds.
const (
	KindInternal Kind = iota
	KindInvalid
	KindUnauthenticated
	KindForbidden
	KindNotFound
	KindConflict
	KindTooLarge
	KindUnsupportedMedia
	KindUnavailable
	KindMethodNotAllowed
	KindUnprocessable
)

// Error is a typed error with a stable code (a public contract: portals switch on it) and
// messages in English and Chinese.
type Error struct {
	Kind      Kind
	Code      string
	Message   string
	MessageZH string
	Field     string
	Err       error // cause, never shown to callers
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Stable error codes.
const (
	CodeInvalidJSON       = "INVALID_JSON"
	CodeInvalidField      = "INVALID_FIELD"
	CodeBodyTooLarge      = "BODY_TOO_LARGE"
	CodeUnknownItem       = "UNKNOWN_ITEM"
	CodeUnauthenticated   = "UNAUTHENTICATED"
	CodeForbidden         = "FORBIDDEN"
	CodeNotFound          = "NOT_FOUND"
	CodeInvalidTransition = "INVALID_TRANSITION"
	CodeImageTooLarge     = "IMAGE_TOO_LARGE"
	CodeUnsupportedMedia  = "UNSUPPORTED_MEDIA"
	CodeStoreUnavailable  = "STORE_UNAVAILABLE"
	CodeBusy              = "BUSY"
	CodeMethodNotAllowed  = "METHOD_NOT_ALLOWED"
	CodeInternal          = "INTERNAL"
)

// ErrUnknownItem is returned for an item code the rulebook does not know.
func ErrUnknownItem(item string) *Error {
	return &Error{
		Kind: KindInvalid, Code: CodeUnknownItem, Field: "item",
		Message:   fmt.Sprintf("unknown service item %q; GET /v1/items lists the items", item),
		MessageZH: fmt.Sprintf("未知的服务事项“%s”，请查询 GET /v1/items 获取事项列表", item),
	}
}

// ErrInvalidField is returned when a field has the wrong shape (for example a date that is not
// YYYY-MM-DD).
func ErrInvalidField(field, message, messageZH string) *Error {
	return &Error{Kind: KindInvalid, Code: CodeInvalidField, Field: field, Message: message, MessageZH: messageZH}
}

// ErrStoreUnavailable wraps a storage failure.
func ErrStoreUnavailable(err error) *Error {
	return &Error{
		Kind: KindUnavailable, Code: CodeStoreUnavailable, Err: err,
		Message:   "the data store is unavailable; try again later",
		MessageZH: "数据存储暂不可用，请稍后重试",
	}
}

// AsError returns err as *Error, wrapping unknown errors as internal.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: KindInternal, Code: CodeInternal, Err: err,
		Message: "internal error", MessageZH: "服务内部错误"}
}
