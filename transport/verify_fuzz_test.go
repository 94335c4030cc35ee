package transport

import (
	"bytes"
	"context"
	"net/http/httptest"
	"testing"

	"github.com/roadcheck/roadcheck/service"
)

// FuzzDecodeVerify feeds untrusted multipart bodies to the POST /v1/verify decoder: it must
// return the photo (within the limit) or refuse with a stable 4xx code, and never panic.
func FuzzDecodeVerify(f *testing.F) {
	f.Add([]byte("--B\r\nContent-Disposition: form-data; name=\"image\"; filename=\"p.jpg\"\r\n\r\n\xff\xd8\xff\r\n--B--\r\n"))
	f.Add([]byte("--B\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nx\r\n--B--\r\n"))
	f.Add([]byte("--B\r\n\r\n--B--"))
	f.Add([]byte(""))
	dec := decodeVerify(1 << 20)
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/v1/verify", bytes.NewReader(body))
		r.Header.Set("Content-Type", "multipart/form-data; boundary=B")
		req, err := dec(context.Background(), r)
		if err != nil {
			e := service.AsError(err)
			switch e.Code {
			case service.CodeInvalidField, service.CodeImageTooLarge:
			default:
				t.Fatalf("unexpected code %s (%v)", e.Code, err)
			}
			return
		}
		v, ok := req.(verifyRequest)
		if !ok || len(v.photo) > DefaultMaxPhotoBytes {
			t.Fatalf("decoded %T with %d bytes", req, len(v.photo))
		}
	})
}
