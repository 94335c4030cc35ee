package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/roadcheck/roadcheck/service"
)

// photoJPEG re-encodes a rendered certificate as a phone would save it: JPEG, quality 70.
func photoJPEG(t *testing.T, pngBytes []byte) []byte {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(pngBytes))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 70}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func qrImage(t *testing.T, text string) []byte {
	t.Helper()
	b, err := qrcode.Encode(text, qrcode.Medium, 400)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func blankPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 640, 480))
	for i := range img.Pix {
		img.Pix[i] = 210
	}
	img.SetGray(320, 240, color.Gray{})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// declaredPNG is a PNG signature and IHDR declaring w×h pixels, with no image data: the pixel
// limit must refuse it from the header alone.
func declaredPNG(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk := append([]byte("IHDR"), ihdr...)
	b := append([]byte("\x89PNG\r\n\x1a\n"), 0, 0, 0, 13)
	b = append(b, chunk...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(chunk))
}

func multipartBody(t *testing.T, field, filename string, data []byte) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("note", "roadside check") // extra fields are ignored
	fw, err := w.CreateFormFile(field, filename)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = w.Close()
	return w.FormDataContentType(), &buf
}

// issued is a running service with one approved integrity assessment's certificate.
type issued struct {
	s       *server
	tok     map[string]string // portal-a, reviewer, admin
	id      string
	png     []byte
	payload string
}

// issueCertificate starts the service and has it issue a certificate with grade.
func issueCertificate(t *testing.T, grade string) issued {
	t.Helper()
	data := t.TempDir()
	tok := writeTokenFile(t, data, map[string]service.Role{
		"portal-a": service.RolePortal, "reviewer": service.RoleReviewer, "admin": service.RoleAdmin,
	})
	// The photo tests post more photos from one address than --rate-photo lets an inspector
	// (the limit has its own tests in transport).
	s := startServer(t, data, "--tokens", filepath.Join(data, "tokens.json"), "--rate-photo", "off")
	doc, _, ok := integrityAssessmentDue(t)
	if !ok {
		t.Skip("first-issue date arithmetic differs on 29 February")
	}
	id := approveApp(t, s, tok, doc, `{"grade":"`+grade+`"}`)
	code, png := s.call(t, "GET", "/v1/certificates/"+id+".png", tok["portal-a"], nil)
	if code != 200 {
		t.Fatalf("certificate PNG = %d", code)
	}
	code, b := s.call(t, "GET", "/v1/certificates/"+id, tok["portal-a"], nil)
	var view struct{ Payload string }
	if err := json.Unmarshal(b, &view); code != 200 || err != nil {
		t.Fatalf("certificate = %d %s", code, b)
	}
	return issued{s: s, tok: tok, id: id, png: png, payload: view.Payload}
}

// tamper changes one character in the middle of a payload.
func tamper(payload string) string {
	b := []byte(payload)
	if i := len(b) / 2; b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

// TestVerifyPhotos: POST /v1/verify with a multipart photo, against the running service and
// its store, and `roadcheck verify` offline with the trust list the service publishes.
func TestVerifyPhotos(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the full service")
	}
	c := issueCertificate(t, "AAA")
	s, tok, certID, certPNG := c.s, c.tok, c.id, c.png
	photo := photoJPEG(t, certPNG)
	code, certPDF := s.call(t, "GET", "/v1/certificates/"+certID+".pdf", tok["portal-a"], nil)
	if code != 200 || !bytes.HasPrefix(certPDF, []byte("%PDF-")) {
		t.Fatalf("certificate PDF = %d", code)
	}
	// The PDF with its metadata payload edited (gopdf writes /Subject as UTF-16BE hex).
	hexUTF16 := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, "%04X", r)
		}
		return b.String()
	}
	editedPDF := bytes.Replace(certPDF, []byte(hexUTF16(c.payload)), []byte(hexUTF16(tamper(c.payload))), 1)
	if bytes.Equal(editedPDF, certPDF) {
		t.Fatal("payload not found in the PDF's metadata")
	}

	post := func(field, filename string, data []byte) (int, verification, string) {
		t.Helper()
		ctype, body := multipartBody(t, field, filename, data)
		code, b := s.callType(t, "POST", "/v1/verify", "", ctype, body)
		var v verification
		if code == 200 {
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatalf("verify = %s: %v", b, err)
			}
			return code, v, ""
		}
		return code, v, errCode(t, b)
	}

	big := make([]byte, 21<<20)
	copy(big, photo)
	truncated := photo[:len(photo)/3]
	cases := []struct {
		name        string
		field, file string
		data        []byte
		status      int
		want        string // result status (200) or error code
	}{
		{"JPEG photo", "image", "p.jpg", photo, 200, "valid"},
		{"the PNG itself", "image", "c.png", certPNG, 200, "valid"},
		{"the PDF", "image", "c.pdf", certPDF, 200, "valid"},
		{"a PDF with edited metadata", "image", "edited.pdf", editedPDF, 200, "malformed"},
		{"no QR code", "image", "blank.png", blankPNG(t), 200, "no_qr_found"},
		{"a URL's QR code", "image", "url.png", qrImage(t, "https://example.com/"), 200, "malformed"},
		{"another payload version", "image", "rc9.png", qrImage(t, "RC9:6BFOXN*TS0BI$ZD4N9"), 200, "unsupported_version"},
		{"a GIF", "image", "c.gif", tinyGIF(t), 415, "UNSUPPORTED_MEDIA"},
		{"50 megapixels declared", "image", "huge.png", declaredPNG(10000, 5000), 413, "IMAGE_TOO_LARGE"},
		{"over 20 MiB", "image", "big.jpg", big, 413, "IMAGE_TOO_LARGE"},
		{"a truncated JPEG", "image", "cut.jpg", truncated, 400, "IMAGE_UNREADABLE"},
		{"no image part", "photo", "p.jpg", photo, 400, "INVALID_FIELD"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, v, errc := post(c.field, c.file, c.data)
			got := errc
			if code == 200 {
				got = v.Status
			}
			if code != c.status || got != c.want {
				t.Fatalf("= %d %s, want %d %s", code, got, c.status, c.want)
			}
			if code == 200 && c.want == "valid" && (!v.CheckedOnline || v.Certificate == nil || v.Certificate.ID != certID || v.Certificate.Grade != "AAA") {
				t.Errorf("valid result lacks the certificate: %+v", v)
			}
			if code == 200 && c.want != "valid" && v.Certificate != nil {
				t.Errorf("a %s result carries a certificate: %+v", c.want, v.Certificate)
			}
		})
	}
	if code, b := s.callType(t, "POST", "/v1/verify", "", "image/jpeg", bytes.NewReader(photo)); code != 415 || !strings.Contains(string(b), "UNSUPPORTED_MEDIA") {
		t.Errorf("raw JPEG body (not multipart, not JSON) = %d %s, want 415 UNSUPPORTED_MEDIA", code, b)
	}

	// Offline: the trust list as an inspector's device would have downloaded it.
	code, trust := s.call(t, "GET", "/v1/trust-list", "", nil)
	if code != 200 {
		t.Fatalf("trust list = %d", code)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	trustFile := write("trust.json", trust)
	var out bytes.Buffer
	var lastErr error
	verifyRun := func(args ...string) (int, string) {
		out.Reset()
		// No ROADCHECK_* environment, a data directory with no key store: only --trust counts.
		lastErr = run(context.Background(), append([]string{"roadcheck", "verify", "--data", dir}, args...), noEnv, nil, &out, &out)
		var res struct{ Status string }
		_ = json.Unmarshal(out.Bytes(), &res)
		return exitCode(lastErr), res.Status
	}
	var tl struct {
		Keys []struct{ KID string } `json:"keys"`
	}
	if err := json.Unmarshal(trust, &tl); err != nil || len(tl.Keys) == 0 {
		t.Fatalf("trust list: %v %s", err, trust)
	}
	// A trust list whose key window was widened after signing.
	var edited map[string]any
	_ = json.Unmarshal(trust, &edited)
	edited["keys"].([]any)[0].(map[string]any)["sign_from"] = "2000-01-01T00:00:00Z"
	forgedTrust, _ := json.Marshal(edited)
	cli := []struct {
		name       string
		args       []string
		exit       int
		wantStatus string
	}{
		{"photo", []string{"--trust", trustFile, write("p.jpg", photo)}, 0, "valid"},
		{"PDF", []string{"--trust", trustFile, write("c.pdf", certPDF)}, 0, "valid"},
		{"PDF with edited metadata", []string{"--trust", trustFile, write("edited.pdf", editedPDF)}, 1, "malformed"},
		{"payload", []string{"--trust", trustFile, "--payload", c.payload}, 0, "valid"},
		{"pinned kid", []string{"--trust", trustFile, "--pin", tl.Keys[0].KID, "--payload", c.payload}, 0, "valid"},
		{"tampered payload", []string{"--trust", trustFile, "--payload", tamper(c.payload)}, 1, ""},
		{"a URL's QR code", []string{"--trust", trustFile, write("url.png", qrImage(t, "https://example.com/"))}, 1, "malformed"},
		{"no QR code", []string{"--trust", trustFile, write("blank.png", blankPNG(t))}, 2, "no_qr_found"},
		{"a GIF", []string{"--trust", trustFile, write("c.gif", tinyGIF(t))}, 2, ""},
		{"missing file", []string{"--trust", trustFile, filepath.Join(dir, "nope.jpg")}, 2, ""},
		{"no trust list anywhere", []string{write("p2.jpg", photo)}, 2, ""},
		{"wrong pin", []string{"--trust", trustFile, "--pin", "0000000000000000", "--payload", c.payload}, 2, ""},
		{"tampered trust list", []string{"--trust", write("bad.json", forgedTrust), "--payload", c.payload}, 2, ""},
		{"no argument", []string{"--trust", trustFile}, 2, ""},
	}
	for _, c := range cli {
		t.Run("cli "+c.name, func(t *testing.T) {
			code, status := verifyRun(c.args...)
			if code != c.exit || (c.wantStatus != "" && status != c.wantStatus) {
				t.Errorf("exit %d status %q, want %d %q\n%s", code, status, c.exit, c.wantStatus, out.String())
			}
			if c.exit == 1 && status == "valid" {
				t.Errorf("exit 1 with a valid result")
			}
			if c.name == "tampered trust list" && (lastErr == nil || !strings.Contains(lastErr.Error(), "signature")) {
				t.Errorf("tampered trust list: %v, want a signature error", lastErr)
			}
		})
	}

	// Revocation is online only: the service says revoked, the offline check still cannot know.
	if code, b := s.call(t, "POST", "/v1/certificates/"+certID+"/revoke", tok["admin"], strings.NewReader(`{"reason":"证件遗失"}`)); code != 200 {
		t.Fatalf("revoke = %d %s", code, b)
	}
	if code, v, _ := post("image", "p.jpg", photo); code != 200 || v.Status != "revoked" {
		t.Errorf("revoked certificate photo = %d %+v", code, v)
	}
	if code, status := verifyRun("--trust", trustFile, filepath.Join(dir, "p.jpg")); code != 0 || status != "valid" {
		t.Errorf("offline after revocation: exit %d %q", code, status)
	}
}
