package main

import (
	"context"
	"fmt"
	"image"
	"log/slog"
	"time"

	"github.com/roadcheck/roadcheck/content"
	"github.com/roadcheck/roadcheck/content/ocr"
	"github.com/roadcheck/roadcheck/service"
)

// ocrConfig is how serve reads documents: where the OCR assets are (make ocr-assets), how many
// images are read at once and how long one may take.
type ocrConfig struct {
	dir     string
	workers int
	budget  time.Duration
	threads int
}

func ocrFlags(f *flagSet, c *ocrConfig) {
	f.StringVar(&c.dir, "ocr-dir", "ocr-assets", "OCR assets (ONNX Runtime and PP-OCRv4 models, fetched by make ocr-assets), relative to the working directory; empty: no OCR")
	f.IntVar(&c.workers, "ocr-workers", 1, "documents read at once (each takes one core and about 400 MB while it runs)")
	f.DurationVar(&c.budget, "ocr-budget", 6*time.Second, "time one upload's document reading may take; over it the content is unverified")
	f.IntVar(&c.threads, "ocr-threads", 1, "ONNX Runtime threads per reading")
	f.withEnv("ocr-dir", "ocr-workers", "ocr-budget", "ocr-threads")
}

func (c ocrConfig) check() error {
	if c.workers <= 0 || c.threads <= 0 || c.budget <= 0 {
		return usageErr("--ocr-workers, --ocr-threads and --ocr-budget must be more than zero")
	}
	return nil
}

// openReader loads the OCR engine when its assets are there. Without them the service still
// reads faces, and the pre-check warns MATERIAL_CONTENT_UNVERIFIED instead of guessing.
func openReader(c ocrConfig, log *slog.Logger) (service.DocumentReader, func(), error) {
	var text content.TextEngine
	closeText := func() {}
	if c.dir == "" {
		log.Warn("ocr off (--ocr-dir empty): uploads are not read; content unverified")
	} else if eng, err := ocr.Open(ocr.Options{Dir: c.dir, Threads: c.threads}); err != nil {
		log.Warn("ocr unavailable: uploads are not read (run make ocr-assets); content unverified",
			slog.String("dir", c.dir), slog.Any("error", err))
	} else {
		text = eng
		closeText = func() { _ = eng.Close() }
		log.Info("ocr ready", slog.String("dir", c.dir), slog.String("engine", eng.Version()),
			slog.Int("workers", c.workers), slog.Duration("budget", c.budget))
	}
	r, err := content.NewReader(text, content.Options{Workers: c.workers, Budget: c.budget})
	if err != nil {
		closeText()
		return nil, nil, fmt.Errorf("serve: document reader: %w", err)
	}
	return documentReader{r: r, budget: c.budget}, closeText, nil
}

// documentReader adapts content.Reader to the service's DocumentReader: the service keeps its
// own domain types, so the engine can change without touching stored documents.
type documentReader struct {
	r      *content.Reader
	budget time.Duration
}

func (d documentReader) TextAvailable() bool { return d.r.TextAvailable() }

// ReadDocument bounds the whole reading, the wait for a worker included, by the budget: an
// upload never waits longer than that for its content (it is then "timeout", unverified).
func (d documentReader) ReadDocument(ctx context.Context, img image.Image) service.Content {
	ctx, cancel := context.WithTimeout(ctx, d.budget)
	defer cancel()
	return contentFacts(d.r.Read(ctx, img))
}

func contentFacts(f content.Facts) service.Content {
	c := service.Content{Status: f.Status, Kind: f.Kind, Rotation: f.Rotation}
	if f.Kind != "" {
		conf := f.Confidence
		c.Confidence = &conf
	}
	if len(f.Fields) > 0 {
		c.Fields = make(map[string]service.ContentField, len(f.Fields))
		for k, v := range f.Fields {
			conf := v.Confidence
			c.Fields[k] = service.ContentField{Value: v.Value, Confidence: &conf, Valid: v.Valid}
		}
	}
	if f.Faces != nil {
		c.Faces = &service.ContentFaces{Count: f.Faces.Count, Largest: f.Faces.Largest, LargestPx: f.Faces.LargestPx}
	}
	if f.Engine.Text != "" || f.Engine.Faces != "" {
		c.Engine = &service.ContentEngine{Text: f.Engine.Text, Faces: f.Engine.Faces}
	}
	return c
}
