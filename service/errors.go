package service

import (
	"errors"
	"fmt"

	"github.com/roadcheck/roadcheck/policies"
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
	KindRateLimited
)

// Error is a typed error with a stable code (a public contract: portals switch on it) and
// messages in Chinese (Message, what the applicant reads) and English (MessageEN), the same
// convention as violations.
type Error struct {
	Kind      Kind
	Code      string
	Message   string // Chinese
	MessageEN string
	Field     string
	Expected  string                // the declared type of Field, for contract errors
	Details   []policies.FieldError // every field at fault, for contract errors
	Err       error                 // cause, never shown to callers
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.MessageEN, e.Err)
	}
	return e.Code + ": " + e.MessageEN
}

func (e *Error) Unwrap() error { return e.Err }

// with records the problem of a single-field error in Details, as contract errors carry them.
func (e *Error) with(problem, expected string) *Error {
	e.Expected = expected
	e.Details = []policies.FieldError{{Field: e.Field, Problem: problem, Expected: expected, Message: e.Message, MessageEN: e.MessageEN}}
	return e
}

// Stable error codes. Each is one entry of ErrorCatalogue.
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
	CodeRateLimited       = "RATE_LIMITED"
	CodeMethodNotAllowed  = "METHOD_NOT_ALLOWED"
	CodeInternal          = "INTERNAL"
	CodePrecheckFailed    = "PRECHECK_FAILED"
	CodeIdempotencyReused = "IDEMPOTENCY_KEY_REUSED"
	CodeReasonRequired    = "REASON_REQUIRED"
	CodeGradeRequired     = "GRADE_REQUIRED"
	CodePolicyRejected    = "POLICY_REJECTED"
	CodeImageUnreadable   = "IMAGE_UNREADABLE"
	CodeUploadNotFound    = "UPLOAD_NOT_FOUND"
	CodeStoredDataInvalid = "STORED_DATA_INVALID"
)

// ErrorSpec is one entry of the error catalogue: the code, its kind (the transport maps kinds
// to HTTP statuses), and its default text in Chinese and English.
type ErrorSpec struct {
	Code      string
	Kind      Kind
	Message   string
	MessageEN string
}

// ErrorCatalogue is every error code the service and its transport return. It is built fresh
// on each call, so nothing can change it; docs/api.md lists the same codes (a test checks both
// ways).
func ErrorCatalogue() []ErrorSpec {
	return []ErrorSpec{
		{CodeInvalidJSON, KindInvalid, "请求体不是有效的 JSON", "the body is not valid JSON"},
		{CodeInvalidField, KindInvalid, "字段不符合输入约定", "a field breaks the input contract"},
		{CodeBodyTooLarge, KindTooLarge, "请求体超过大小上限", "the request body is larger than the limit"},
		{CodeUnknownItem, KindInvalid, "未知的服务事项", "unknown service item"},
		{CodeUnauthenticated, KindUnauthenticated, "缺少或无效的访问令牌", "a valid bearer token is required"},
		{CodeForbidden, KindForbidden, "当前令牌无权调用此接口", "this token's role may not call this endpoint"},
		{CodeNotFound, KindNotFound, "资源不存在", "not found"},
		{CodeInvalidTransition, KindConflict, "办件当前状态不允许此操作", "the application's state does not allow this action"},
		{CodeImageTooLarge, KindTooLarge, "图片超过大小或像素上限", "the image is over the size or pixel limit"},
		{CodeUnsupportedMedia, KindUnsupportedMedia, "不支持的请求内容类型", "unsupported content type"},
		{CodeStoreUnavailable, KindUnavailable, "数据存储暂不可用，请稍后重试", "the data store is unavailable; try again later"},
		{CodeBusy, KindUnavailable, "服务繁忙，请稍后重试", "the service is busy; try again shortly"},
		{CodeRateLimited, KindRateLimited, "请求过于频繁，请按 Retry-After 所示的秒数后重试", "too many requests; retry after the seconds in Retry-After"},
		{CodeMethodNotAllowed, KindMethodNotAllowed, "该接口不支持此请求方法", "method not allowed"},
		{CodeInternal, KindInternal, "服务内部错误", "internal error"},
		{CodePrecheckFailed, KindUnprocessable, "申请未通过预审，请按 decision.violations 中的提示修改后重新提交", "the application does not pass the pre-check; see decision.violations"},
		{CodeIdempotencyReused, KindConflict, "该 Idempotency-Key 已用于另一份不同的申请", "this Idempotency-Key was used for a different request"},
		{CodeReasonRequired, KindInvalid, "请填写原因", "a reason is required"},
		{CodeGradeRequired, KindInvalid, "诚信考核审验通过须给出等级：AAA（优良）、AA（合格）、A（基本合格）或 B（不合格）", "approving an integrity assessment needs grade AAA, AA, A or B"},
		{CodePolicyRejected, KindUnprocessable, "新规则库未通过编译或测试，已拒绝加载，继续使用当前版本", "the candidate rulebook was refused; the current revision keeps serving"},
		{CodeImageUnreadable, KindInvalid, "图片无法解码", "the image does not decode"},
		{CodeUploadNotFound, KindInvalid, "材料上传编号不存在或不属于当前调用方", "the upload does not exist or was not made with this token"},
		{CodeStoredDataInvalid, KindUnprocessable, "办件中保存的数据不符合输入约定，无法继续办理，请联系管理员", "the stored application holds data that breaks the input contract; it cannot proceed"},
	}
}

// specOf is the catalogue entry of a code; an unknown code is a programming error and is
// reported as internal rather than with a made-up status.
func specOf(code string) ErrorSpec {
	for _, s := range ErrorCatalogue() {
		if s.Code == code {
			return s
		}
	}
	return ErrorSpec{Code: CodeInternal, Kind: KindInternal, Message: "服务内部错误", MessageEN: "internal error"}
}

// NewError builds an error of a catalogued code; empty messages take the catalogue's text.
func NewError(code, field, message, messageEN string) *Error {
	return newError(code, field, message, messageEN)
}

func newError(code, field, message, messageEN string) *Error {
	s := specOf(code)
	if message == "" {
		message = s.Message
	}
	if messageEN == "" {
		messageEN = s.MessageEN
	}
	return &Error{Kind: s.Kind, Code: s.Code, Field: field, Message: message, MessageEN: messageEN}
}

// ErrUnknownItem is returned for an item code the rulebook does not know.
func ErrUnknownItem(item string) *Error {
	return newError(CodeUnknownItem, "item",
		fmt.Sprintf("未知的服务事项“%s”，请查询 GET /v1/items 获取事项列表", item),
		fmt.Sprintf("unknown service item %q; GET /v1/items lists the items", item))
}

// ErrInvalidField is returned when a field has the wrong shape (for example a date that is not
// YYYY-MM-DD).
func ErrInvalidField(field, messageEN, message string) *Error {
	return newError(CodeInvalidField, field, message, messageEN)
}

// ErrStoreUnavailable wraps a storage failure.
func ErrStoreUnavailable(err error) *Error {
	e := newError(CodeStoreUnavailable, "", "", "")
	e.Err = err
	return e
}

// AsError returns err as *Error, wrapping unknown errors as internal. An error built without
// a kind takes its code's kind from the catalogue, so one table decides every status; a kind
// set explicitly is a documented exception (POLICY_REJECTED is 409 for the built-in rulebook).
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		if e.Kind == KindInternal && e.Code != CodeInternal {
			c := *e
			c.Kind = specOf(e.Code).Kind
			return &c
		}
		return e
	}
	s := specOf(CodeInternal)
	return &Error{Kind: s.Kind, Code: s.Code, Err: err, Message: s.Message, MessageEN: s.MessageEN}
}
