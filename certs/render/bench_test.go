package render

import (
	"testing"

	"github.com/roadcheck/roadcheck/certs"
)

// BenchmarkIssue is what approving a certificate costs: sign, PNG and PDF (target ≤ 50 ms).
func BenchmarkIssue(b *testing.B) {
	ks := testStore(b)
	c := driverCert(b)
	r := New()
	if _, err := r.loadFonts(); err != nil { // parsed once per process, not per certificate
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		p, err := ks.Issue(c)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := r.Render(c, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeQR is encoding a version 9 payload with the finder look-alike check, over a
// seeded set in which about 3 in 100 symbols are re-masked.
func BenchmarkEncodeQR(b *testing.B) {
	payloads := randomPayloads(240, 240, 400)
	i := 0
	for b.Loop() {
		if _, err := EncodeQR(payloads[i%len(payloads)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkRenderPNG and BenchmarkRenderPDF are the two renderings alone, from a signed
// payload (BenchmarkIssue draws them concurrently).
func BenchmarkRenderPNG(b *testing.B) { benchRender(b, (*Renderer).PNG) }

func BenchmarkRenderPDF(b *testing.B) { benchRender(b, (*Renderer).PDF) }

func benchRender(b *testing.B, render func(*Renderer, certs.Certificate, string) ([]byte, error)) {
	ks := testStore(b)
	c := driverCert(b)
	p, err := ks.Issue(c)
	if err != nil {
		b.Fatal(err)
	}
	r := New()
	if _, err := r.loadFonts(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var out []byte
	for b.Loop() {
		if out, err = render(r, c, p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(out)), "bytes")
}
