package transport

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
)

type certificateRequest struct {
	id, format string // format: "" (JSON), "png" or "pdf"
}

// decodeCertificate reads /v1/certificates/{file}: an id, or an id with .png or .pdf.
func decodeCertificate(_ context.Context, r *http.Request) (any, error) {
	file := r.PathValue("file")
	for _, f := range []string{"png", "pdf"} {
		if id, ok := strings.CutSuffix(file, "."+f); ok {
			return certificateRequest{id: id, format: f}, nil
		}
	}
	return certificateRequest{id: file}, nil
}

// rendered is a certificate image or document.
type rendered struct {
	contentType, filename string
	body                  []byte
}

func encodeCertificate(ctx context.Context, w http.ResponseWriter, resp any) error {
	r, ok := resp.(rendered)
	if !ok {
		return encodeJSON(http.StatusOK)(ctx, w, resp)
	}
	w.Header().Set("Content-Type", r.contentType)
	w.Header().Set("Content-Disposition", `inline; filename="`+r.filename+`"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-store") // personal data
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(r.body)
	return err
}

type reasonRequest struct {
	id     string
	Reason string `json:"reason"`
}

func decodeRevoke(limit int64) func(context.Context, *http.Request) (any, error) {
	return func(_ context.Context, r *http.Request) (any, error) {
		req := reasonRequest{id: r.PathValue("id")}
		var body struct {
			Reason string `json:"reason"`
		}
		// No body is no reason: the service answers REASON_REQUIRED, as for reject and deny.
		if err := decodeOptionalJSON(r, limit, &body); err != nil {
			return nil, err
		}
		req.Reason = body.Reason
		return req, nil
	}
}

type verifyRequest struct {
	Payload string `json:"payload"`
	photo   []byte // a multipart "image" instead of a payload
}

// DefaultMaxPhotoBytes bounds an inspector's photo upload.
const DefaultMaxPhotoBytes = 20 << 20

// decodeVerify takes JSON {"payload"} or a multipart body with one "image" part.
func decodeVerify(limit int64) func(context.Context, *http.Request) (any, error) {
	dec := decodeJSON[verifyRequest](limit)
	return func(ctx context.Context, r *http.Request) (any, error) {
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt != "multipart/form-data" {
			return dec(ctx, r)
		}
		r.Body = http.MaxBytesReader(nil, r.Body, DefaultMaxPhotoBytes+64<<10)
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, invalidUpload("", "malformed multipart body: "+err.Error(), "multipart 请求体格式错误")
		}
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, uploadReadError(err, "image", DefaultMaxPhotoBytes)
			}
			if part.FormName() != "image" {
				continue // forms may add fields (a submit button); only the photo matters
			}
			b, err := io.ReadAll(io.LimitReader(part, DefaultMaxPhotoBytes+1))
			if err != nil {
				return nil, uploadReadError(err, "image", DefaultMaxPhotoBytes)
			}
			if len(b) > DefaultMaxPhotoBytes {
				return nil, tooLarge("image", DefaultMaxPhotoBytes)
			}
			return verifyRequest{photo: b}, nil
		}
		return nil, invalidUpload("image", "the image part is missing", "缺少照片 image")
	}
}
