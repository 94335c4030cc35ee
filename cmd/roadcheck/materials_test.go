package main

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roadcheck/roadcheck/service"
	"github.com/roadcheck/roadcheck/transport"
)

// idPhoto draws a 413×579 ID photo: a plain background, a darker head and shoulders.
func idPhoto(t *testing.T, bg color.RGBA) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 413, 579))
	skin, coat := color.RGBA{200, 160, 130, 255}, color.RGBA{30, 30, 40, 255}
	for y := 0; y < 579; y++ {
		for x := 0; x < 413; x++ {
			c := bg
			dx, dy := float64(x-206)/95, float64(y-230)/125
			switch {
			case dx*dx+dy*dy <= 1:
				c = skin
			case y > 420 && x > 60 && x < 353:
				c = coat
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func tinyGIF(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	img := image.NewPaletted(image.Rect(0, 0, 40, 40), color.Palette{color.White, color.Black})
	if err := gif.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeTokenFile(t *testing.T, dir string, roles map[string]service.Role) map[string]string {
	t.Helper()
	tokens := map[string]string{}
	var tf transport.TokenFile
	for name, role := range roles {
		tok, e, err := transport.NewToken(name, role)
		if err != nil {
			t.Fatal(err)
		}
		tokens[name] = tok
		tf.Tokens = append(tf.Tokens, e)
	}
	b, _ := json.Marshal(tf)
	if err := os.WriteFile(filepath.Join(dir, "tokens.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	return tokens
}

func (s *server) upload(t *testing.T, token, kind, filename string, data []byte) (int, []byte) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("kind", kind)
	fw, _ := w.CreateFormFile("file", filename)
	_, _ = fw.Write(data)
	_ = w.Close()
	return s.callType(t, "POST", "/v1/materials", token, w.FormDataContentType(), &buf)
}

type uploadResponse struct {
	UploadID string `json:"upload_id"`
	Kind     string `json:"kind"`
	Facts    struct {
		Format     string   `json:"format"`
		SizeBytes  int64    `json:"size_bytes"`
		Width      int      `json:"width"`
		Height     int      `json:"height"`
		SHA256     string   `json:"sha256"`
		Readable   bool     `json:"readable"`
		Background string   `json:"background"`
		Sharpness  *float64 `json:"sharpness"`
	} `json:"facts"`
}

// TestMaterialsFlow uploads real images to the running service and pre-checks with their
// upload ids: the facts come from the bytes, and one portal cannot use another's upload.
func TestMaterialsFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the full service")
	}
	data := t.TempDir()
	tokens := writeTokenFile(t, data, map[string]service.Role{"portal-a": service.RolePortal, "portal-b": service.RolePortal})
	s := startServer(t, data, "--tokens", filepath.Join(data, "tokens.json"))
	a, b := tokens["portal-a"], tokens["portal-b"]

	photo := idPhoto(t, color.RGBA{60, 120, 220, 255})
	code, body := s.upload(t, a, "photo_2inch", "me.jpg", photo)
	if code != 201 {
		t.Fatalf("upload = %d %s", code, body)
	}
	var up uploadResponse
	if err := json.Unmarshal(body, &up); err != nil {
		t.Fatal(err)
	}
	f := up.Facts
	if !strings.HasPrefix(up.UploadID, "m_") || f.Format != "jpeg" || !f.Readable || f.Width != 413 || f.Height != 579 ||
		f.Background != "blue" || f.Sharpness == nil || f.SizeBytes != int64(len(photo)) || len(f.SHA256) != 64 {
		t.Errorf("photo facts = %s", body)
	}

	code, body = s.upload(t, a, "driving_licence_main", "licence.jpg", tinyGIF(t))
	var gifUp uploadResponse
	if err := json.Unmarshal(body, &gifUp); code != 201 || err != nil || gifUp.Facts.Format != "gif" || !gifUp.Facts.Readable {
		t.Errorf("GIF named .jpg = %d %s", code, body)
	}

	app := map[string]any{}
	if err := json.Unmarshal(fixture(t, "renewal_pass.json"), &app); err != nil {
		t.Fatal(err)
	}
	mats := app["materials"].([]any)
	for i, m := range mats {
		switch m.(map[string]any)["kind"] {
		case "photo_2inch":
			mats[i] = map[string]any{"kind": "photo_2inch", "upload_id": up.UploadID}
		case "driving_licence_main":
			mats[i] = map[string]any{"kind": "driving_licence_main", "upload_id": gifUp.UploadID}
		}
	}
	doc, _ := json.Marshal(app)
	code, body = s.call(t, "POST", "/v1/precheck", a, bytes.NewReader(doc))
	var d decision
	if err := json.Unmarshal(body, &d); code != 200 || err != nil {
		t.Fatalf("precheck = %d %s", code, body)
	}
	// The GIF is refused by content, for its format alone (it is an image: it reads); the
	// generated photo passes every photo rule of its geometry and background, and the face
	// finder sees that a drawn oval is no face.
	if d.Pass || !d.has("MATERIAL_FORMAT") || d.has("MATERIAL_UNREADABLE") || d.has("PHOTO_BACKGROUND") || d.has("PHOTO_RESOLUTION") {
		t.Errorf("decision with uploads: pass=%v %v", d.Pass, d.codes())
	}
	for _, v := range d.Violations {
		if v.Code == "PHOTO_NOT_ID_PHOTO" && v.Params["reason"] != "no_face" {
			t.Errorf("the drawn photo: %s %v, want only the no-face reason", v.Code, v.Params)
		}
	}
	if !d.has("PHOTO_NOT_ID_PHOTO") {
		t.Errorf("a drawn oval passed the face check: %v", d.codes())
	}

	code, body = s.call(t, "POST", "/v1/precheck", b, bytes.NewReader(doc))
	if code != 400 || errCode(t, body) != "UPLOAD_NOT_FOUND" {
		t.Errorf("another portal's upload: %d %s", code, body)
	}

	code, body = s.upload(t, a, "boat_photo", "x.jpg", photo)
	if code != 400 || errCode(t, body) != "INVALID_FIELD" {
		t.Errorf("unknown kind: %d %s", code, body)
	}
}

// TestWrongFormatUploads: a file in a format roadcheck does not accept is MATERIAL_FORMAT
// alone, whether it decodes as an image (a GIF: readable) or not (a PDF, text); a PNG or JPEG
// that does not decode is MATERIAL_UNREADABLE alone.
func TestWrongFormatUploads(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the full service")
	}
	data := t.TempDir()
	tokens := writeTokenFile(t, data, map[string]service.Role{"portal-a": service.RolePortal})
	s := startServer(t, data, "--tokens", filepath.Join(data, "tokens.json"))
	tok := tokens["portal-a"]
	jpg := idPhoto(t, color.RGBA{60, 120, 220, 255})

	for _, tt := range []struct {
		name     string
		file     []byte
		format   string
		readable bool
		want     string // the codes of the material, sorted
	}{
		{"gif", tinyGIF(t), "gif", true, "MATERIAL_FORMAT"},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"), "pdf", false, "MATERIAL_FORMAT"},
		{"text", []byte("驾驶证正本见附件"), "unknown", false, "MATERIAL_FORMAT"},
		{"truncated jpeg", jpg[:len(jpg)/2], "jpeg", false, "MATERIAL_UNREADABLE"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, body := s.upload(t, tok, "driving_licence_main", "licence.jpg", tt.file)
			var up uploadResponse
			if err := json.Unmarshal(body, &up); code != 201 || err != nil {
				t.Fatalf("upload = %d %s", code, body)
			}
			if up.Facts.Format != tt.format || up.Facts.Readable != tt.readable {
				t.Errorf("facts = %s, want format %s, readable %v", body, tt.format, tt.readable)
			}
			app := map[string]any{}
			if err := json.Unmarshal(fixture(t, "renewal_pass.json"), &app); err != nil {
				t.Fatal(err)
			}
			mats := app["materials"].([]any)
			for i, m := range mats {
				if m.(map[string]any)["kind"] == "driving_licence_main" {
					mats[i] = map[string]any{"kind": "driving_licence_main", "upload_id": up.UploadID}
				}
			}
			doc, _ := json.Marshal(app)
			code, body = s.call(t, "POST", "/v1/precheck", tok, bytes.NewReader(doc))
			var d decision
			if err := json.Unmarshal(body, &d); code != 200 || err != nil {
				t.Fatalf("precheck = %d %s", code, body)
			}
			var got []string
			for _, v := range d.Violations {
				if v.Material == "driving_licence_main" {
					got = append(got, v.Code)
				}
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("codes of the material = %v, want %s", got, tt.want)
			}
		})
	}
}
