//go:build !cgo

package ocr

import (
	"context"
	"fmt"
	"image"
)

// Engine is a stand-in when the binary is built without cgo (CGO_ENABLED=0, or no C
// compiler): ONNX Runtime is reached through cgo, so there is no OCR and Open says so.
type Engine struct{}

// Open always fails with ErrUnavailable in a build without cgo.
func Open(opt Options) (*Engine, error) {
	return nil, fmt.Errorf("%w: built without cgo", ErrUnavailable)
}

// Read always fails with ErrUnavailable in a build without cgo.
func (e *Engine) Read(ctx context.Context, img image.Image) ([]Line, error) {
	return nil, fmt.Errorf("%w: built without cgo", ErrUnavailable)
}

// Version is empty in a build without cgo.
func (e *Engine) Version() string { return "" }

// Close does nothing in a build without cgo.
func (e *Engine) Close() error { return nil }
