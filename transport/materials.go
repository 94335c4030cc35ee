package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/roadcheck/roadcheck/service"
)

// DefaultMaxUploadBytes bounds a material upload. It is above the rulebook's 10 MiB material
// limit on purpose: a 12 MiB scan is stored and reported as MATERIAL_TOO_LARGE, which tells the
// applicant more than a refused request would.
const DefaultMaxUploadBytes = 32 << 20

type uploadRequest struct {
	kind string
	data []byte
}

// decodeUpload reads a multipart body with a `kind` field and a `file` part, streaming and
// bounded: the file is read to at most limit bytes, other parts are refused.
func decodeUpload(limit int64) func(context.Context, *http.Request) (any, error) {
	return func(_ context.Context, r *http.Request) (any, error) {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "multipart/form-data" {
			return nil, &service.Error{Code: service.CodeUnsupportedMedia,
				MessageEN: "upload a material as multipart/form-data with a kind field and a file part",
				Message:   "请以 multipart/form-data 上传材料（字段 kind 与文件 file）"}
		}
		// Room for the multipart framing and the kind field around the file.
		r.Body = http.MaxBytesReader(nil, r.Body, limit+64<<10)
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, invalidUpload("", "malformed multipart body: "+err.Error(), "multipart 请求体格式错误")
		}
		var req uploadRequest
		haveFile := false
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, uploadReadError(err, "file", limit)
			}
			switch part.FormName() {
			case "kind":
				b, err := io.ReadAll(io.LimitReader(part, 65))
				if err != nil {
					return nil, uploadReadError(err, "file", limit)
				}
				if len(b) > 64 {
					return nil, invalidUpload("kind", "kind is longer than 64 bytes", "材料类型 kind 过长")
				}
				req.kind = strings.TrimSpace(string(b))
			case "file":
				if haveFile {
					return nil, invalidUpload("file", "one file per upload", "每次只能上传一个文件")
				}
				haveFile = true
				b, err := io.ReadAll(io.LimitReader(part, limit+1))
				if err != nil {
					return nil, uploadReadError(err, "file", limit)
				}
				if int64(len(b)) > limit {
					return nil, tooLarge("file", limit)
				}
				req.data = b
			default:
				return nil, invalidUpload(part.FormName(), fmt.Sprintf("unexpected part %q; send kind and file", part.FormName()),
					fmt.Sprintf("多余的字段“%s”，只需 kind 与 file", part.FormName()))
			}
		}
		if !haveFile {
			return nil, invalidUpload("file", "the file part is missing", "缺少文件 file")
		}
		if req.kind == "" {
			return nil, invalidUpload("kind", "the kind field is missing", "缺少材料类型 kind")
		}
		return req, nil
	}
}

func invalidUpload(field, msg, zh string) *service.Error {
	return &service.Error{Code: service.CodeInvalidField, Field: field, MessageEN: msg, Message: zh}
}

func tooLarge(field string, limit int64) *service.Error {
	return &service.Error{Code: service.CodeImageTooLarge, Field: field,
		MessageEN: fmt.Sprintf("the file is larger than %d bytes", limit),
		Message:   fmt.Sprintf("文件超过 %d 字节上限", limit)}
}

func uploadReadError(err error, field string, limit int64) error {
	if errors.Is(err, errOverBudget) {
		return &retryError{err: errBusy, after: time.Second}
	}
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return tooLarge(field, limit)
	}
	return invalidUpload("", "malformed multipart body: "+err.Error(), "multipart 请求体格式错误")
}
