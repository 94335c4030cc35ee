package transport

import (
	"context"
	"net/http"
	"strings"

	"github.com/roadcheck/roadcheck/service"
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
		if err := DecodeJSON(r.Body, limit, &body); err != nil {
			return nil, err
		}
		req.Reason = body.Reason
		return req, nil
	}
}

type verifyRequest struct {
	Payload string `json:"payload"`
}

func decodeVerify(limit int64) func(context.Context, *http.Request) (any, error) {
	dec := decodeJSON[verifyRequest](limit)
	return func(ctx context.Context, r *http.Request) (any, error) {
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			return nil, &service.Error{Kind: service.KindUnsupportedMedia, Code: service.CodeUnsupportedMedia,
				Message:   `verification by photo is not available yet; send {"payload": "RC1:…"} as JSON`,
				MessageZH: "暂不支持照片核验，请提交二维码内容 payload"}
		}
		return dec(ctx, r)
	}
}
