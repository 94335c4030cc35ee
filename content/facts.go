package content

import (
	"context"
	"image"
	"time"

	"github.com/roadcheck/roadcheck/content/ocr"
)

// Status values of Facts.Status.
const (
	StatusRead        = "read"        // the text engine ran and the kind decision stands
	StatusUnavailable = "unavailable" // no text engine; only faces ran
	StatusTimeout     = "timeout"     // over the per-image budget, or the caller's context ended
	StatusFailed      = "failed"      // the text engine returned an error, or the reader panicked
	StatusNotRead     = "not_read"    // not a decodable PNG/JPEG (set by the caller, never by Read)
)

// Kinds that are not documents and no material either: what the reader says of a picture it
// cannot place. The pictures it can place (the ID photo, the vehicle photo) are named in
// kinds.json "pictures".
const (
	KindUnknown    = "unknown"
	KindLifePhoto  = "life_photo"
	KindOtherPhoto = "other_photo"
)

// FacesEngine names the face finder in EngineInfo.
const FacesEngine = "pigo 1.4.6 facefinder"

// TextEngine reads text lines from an image. *ocr.Engine (content/ocr) implements it.
type TextEngine interface {
	Read(ctx context.Context, img image.Image) ([]ocr.Line, error)
	Version() string
}

// Options tune a Reader. Zero values take the defaults.
type Options struct {
	Workers int           // images read at once (bounded pool); default 1
	Budget  time.Duration // per image, counted from when a worker takes it; default 4 s
	MaxSide int           // long side the image is downscaled to before OCR and faces; default 1600
}

// Facts is the `content` object of a material's facts (JSON exactly as the spec).
type Facts struct {
	Status     string           `json:"status"`
	Kind       string           `json:"kind"`
	Confidence float64          `json:"confidence"`
	Rotation   int              `json:"rotation,omitempty"`
	Fields     map[string]Field `json:"fields,omitempty"`
	Faces      *Faces           `json:"faces,omitempty"`
	Engine     EngineInfo       `json:"engine"`
}

// Field is one value read from the document.
type Field struct {
	Value      string  `json:"value"`
	Confidence float64 `json:"confidence"`
	Valid      *bool   `json:"valid,omitempty"` // only on id_number and plate
}

// Faces is what the face finder saw.
type Faces struct {
	Count     int     `json:"count"`
	Largest   float64 `json:"largest"`    // largest face side / image short side
	LargestPx int     `json:"largest_px"` // largest face side in pixels of the uploaded image
}

// EngineInfo names the engines that produced the facts.
type EngineInfo struct {
	Text  string `json:"text"`
	Faces string `json:"faces"`
}
