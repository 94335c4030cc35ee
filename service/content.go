package service

import (
	"context"
	"image"
)

// Content is what the service read from a material's image: the kind of document it really
// is, the numbers printed on it and the faces in it. It is computed at upload, stored with the
// upload's facts, and judged by the rulebook (MATERIAL_KIND_MISMATCH, MATERIAL_NOT_APPLICANTS,
// PHOTO_NOT_ID_PHOTO, MATERIAL_CONTENT_UNVERIFIED). Fields hold personal data: they are masked
// in the audit record and in what reviewers list.
type Content struct {
	// Status: read; unavailable (no text engine: faces only); timeout (over the time budget);
	// failed (the engine erred).
	Status     string                  `json:"status"`
	Kind       string                  `json:"kind,omitempty"` // a material kind, life_photo, other_photo or unknown
	Confidence *float64                `json:"confidence,omitempty"`
	Rotation   int                     `json:"rotation,omitempty"` // degrees clockwise the upload was turned to read it
	Fields     map[string]ContentField `json:"fields,omitempty"`   // id_number, name, plate, certificate_number, archive_number
	Faces      *ContentFaces           `json:"faces,omitempty"`
	Engine     *ContentEngine          `json:"engine,omitempty"`
}

// ContentField is one value read from the document.
type ContentField struct {
	Value      string   `json:"value"`
	Confidence *float64 `json:"confidence,omitempty"`
	Valid      *bool    `json:"valid,omitempty"` // the ID number's check digit, the plate's form
}

// ContentFaces is what the face finder saw.
type ContentFaces struct {
	Count     int     `json:"count"`
	Largest   float64 `json:"largest"`    // side of the largest face over the image's short side
	LargestPx int     `json:"largest_px"` // side of the largest face in pixels
}

// ContentEngine names the engines and model versions that produced the facts.
type ContentEngine struct {
	Text  string `json:"text,omitempty"`
	Faces string `json:"faces,omitempty"`
}

// ContentStatusRead is the status of a document that was read.
const ContentStatusRead = "read"

// DocumentReader reads what an uploaded image shows. The service calls it once per readable
// PNG or JPEG upload, after the image gate; implementations bound their own CPU use.
type DocumentReader interface {
	ReadDocument(ctx context.Context, img image.Image) Content
	// TextAvailable says whether a text engine is loaded (false: faces only, status
	// unavailable).
	TextAvailable() bool
}
