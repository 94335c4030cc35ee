package service

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/roadcheck/roadcheck/service/imagefacts"
)

// MaterialFacts are what the service computed from an upload's bytes.
type MaterialFacts struct {
	Format     string   `json:"format"`
	SizeBytes  int64    `json:"size_bytes"`
	Width      int      `json:"width"`
	Height     int      `json:"height"`
	SHA256     string   `json:"sha256"`
	Readable   bool     `json:"readable"`
	Background string   `json:"background,omitempty"`
	Sharpness  *float64 `json:"sharpness,omitempty"`
	Content    *Content `json:"content,omitempty"`
}

// Upload is one stored material file: who uploaded it, as which kind, and its facts.
type Upload struct {
	ID        string        `json:"upload_id"`
	Owner     string        `json:"-"`
	Kind      string        `json:"kind"`
	Facts     MaterialFacts `json:"facts"`
	CreatedAt time.Time     `json:"created_at"`
}

// Analyzer computes facts from bytes.
type Analyzer interface {
	Analyze(ctx context.Context, r io.Reader, opt imagefacts.Options) (imagefacts.Facts, error)
}

func (s *roadcheck) UploadMaterial(ctx context.Context, kind string, data []byte) (Upload, error) {
	caller, ok := CallerFrom(ctx)
	if !ok {
		return Upload{}, &Error{Code: CodeUnauthenticated,
			MessageEN: "uploads need an authenticated caller", Message: "上传材料需要身份认证"}
	}
	book := s.rules.Load().Book
	if !book.HasMaterial(kind) {
		return Upload{}, ErrInvalidField("kind",
			fmt.Sprintf("unknown material kind %q; GET /v1/items lists the kinds of each item", kind),
			fmt.Sprintf("未知的材料类型“%s”", kind))
	}
	f, err := s.analyzer.Analyze(ctx, bytes.NewReader(data), imagefacts.Options{Background: book.IDPhoto(kind), KeepImage: s.reader != nil})
	switch {
	case errors.Is(err, imagefacts.ErrTooLarge):
		return Upload{}, &Error{Code: CodeImageTooLarge, Field: "file", Err: err,
			MessageEN: "the file is larger than the upload limit",
			Message:   "文件超过上传大小上限"}
	case errors.Is(err, imagefacts.ErrTooManyPixels):
		return Upload{}, &Error{Code: CodeImageTooLarge, Field: "file", Err: err,
			MessageEN: "the image declares more pixels than the limit; upload a smaller photo or scan",
			Message:   "图片像素数超过上限，请上传较小的照片或扫描件"}
	case err != nil:
		return Upload{}, err
	}
	u := Upload{
		ID:    newUploadID(),
		Owner: caller.Name,
		Kind:  kind,
		Facts: MaterialFacts{
			Format: f.Format, SizeBytes: f.SizeBytes, Width: f.Width, Height: f.Height, SHA256: f.SHA256,
			Readable: f.Readable, Background: f.Background, Sharpness: f.Sharpness,
		},
		CreatedAt: s.now().UTC(),
	}
	if f.Image != nil {
		// What the document is, is read from the image whatever kind was declared: the point
		// is to catch the declared kind being wrong.
		c := s.reader.ReadDocument(ctx, f.Image)
		u.Facts.Content = &c
	}
	if err := s.store.PutMaterial(ctx, u, data); err != nil {
		return Upload{}, ErrStoreUnavailable(err)
	}
	return u, nil
}

// materialLabel is a material kind as a Chinese message shows it: the catalogue's name, else
// the kind itself.
func materialLabel(book Rulebook, kind string) string {
	if name := book.MaterialName(kind); name != "" {
		return name
	}
	return kind
}

func newUploadID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "m_" + hex.EncodeToString(b[:])
}

// resolveMaterials replaces upload ids with the facts computed from the stored bytes. An upload
// is usable only by the caller that made it.
func (s *roadcheck) resolveMaterials(ctx context.Context, app *Application) error {
	caller, _ := CallerFrom(ctx)
	// Resolved facts go into a copy: the caller's document is left as it was sent.
	app.Materials = append([]Material(nil), app.Materials...)
	for i := range app.Materials {
		m := &app.Materials[i]
		if m.UploadID == "" {
			continue
		}
		field := fmt.Sprintf("materials[%d].upload_id", i)
		u, err := s.store.Material(ctx, m.UploadID)
		switch {
		case errors.Is(err, ErrNotFound) || (err == nil && u.Owner != caller.Name):
			return &Error{Code: CodeUploadNotFound, Field: field,
				MessageEN: fmt.Sprintf("upload %q does not exist or was not made with this token", m.UploadID),
				Message:   fmt.Sprintf("材料上传编号“%s”不存在或不属于当前调用方", m.UploadID)}
		case err != nil:
			return ErrStoreUnavailable(err)
		case u.Kind != m.Kind:
			book := s.rules.Load().Book
			return ErrInvalidField(field,
				fmt.Sprintf("upload %q was uploaded as %s, not %s", m.UploadID, u.Kind, m.Kind),
				fmt.Sprintf("材料上传编号“%s”对应的材料为“%s”，与“%s”不符", m.UploadID, materialLabel(book, u.Kind), materialLabel(book, m.Kind)))
		}
		f := u.Facts
		*m = Material{
			Kind: m.Kind, UploadID: m.UploadID, Format: f.Format, SizeBytes: &f.SizeBytes,
			SHA256: f.SHA256, Readable: &f.Readable, Background: f.Background, Sharpness: f.Sharpness,
			Content: f.Content,
		}
		if f.Width > 0 && f.Height > 0 {
			m.Width, m.Height = &f.Width, &f.Height
		}
	}
	return nil
}
