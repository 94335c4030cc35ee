package content

import (
	"bytes"
	"context"
	"image/jpeg"
	"testing"

	"github.com/roadcheck/roadcheck/content/docgen"
)

// Faces on generated photos, without OCR (status unavailable: faces alone decide, at most 0.5
// sure) and with an engine that reads no text (status read: the picture rules decide).
func TestFacesOnGeneratedPhotos(t *testing.T) {
	samples, err := docgen.Generate(docgen.Options{Seed: 7, PerKind: 3, Clean: true,
		Kinds: []string{docgen.KindPhoto2Inch, docgen.KindLifePhoto, docgen.KindOtherPhoto}})
	if err != nil {
		t.Fatal(err)
	}
	blind := newTestReader(t, nil, Options{})
	noText := newTestReader(t, &fakeEngine{}, Options{})
	for _, s := range samples {
		img, err := jpeg.Decode(bytes.NewReader(s.Image))
		if err != nil {
			t.Fatal(err)
		}
		f := blind.Read(context.Background(), img)
		if f.Status != StatusUnavailable || f.Faces == nil || f.Confidence > 0.5 {
			t.Errorf("%s: no-OCR facts %+v", s.Name, f)
			continue
		}
		wantBlind := s.Truth.Kind
		if wantBlind == docgen.KindOtherPhoto {
			wantBlind = KindUnknown
		}
		if f.Kind != wantBlind || f.Faces.Count != s.Truth.Faces {
			t.Errorf("%s: no OCR: kind %s faces %+v, want %s with %d faces", s.Name, f.Kind, f.Faces, wantBlind, s.Truth.Faces)
		}
		g := noText.Read(context.Background(), img)
		if g.Status != StatusRead || g.Kind != s.Truth.Kind {
			t.Errorf("%s: read as %s (%.3f), want %s", s.Name, g.Kind, g.Confidence, s.Truth.Kind)
		}
		if s.Truth.Kind == docgen.KindPhoto2Inch && (g.Confidence < 0.9 || g.Faces.Largest < 0.25 || g.Faces.LargestPx <= 0) {
			t.Errorf("%s: ID photo facts %+v faces %+v", s.Name, g, g.Faces)
		}
	}
}
