package transport

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func multipartBody(t *testing.T, parts [][2]string) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, p := range parts {
		var err error
		if p[0] == "file" {
			var fw io.Writer
			if fw, err = w.CreateFormFile("file", "scan.jpg"); err == nil {
				_, err = fw.Write([]byte(p[1]))
			}
		} else {
			err = w.WriteField(p[0], p[1])
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), &buf
}

func TestUploadRequests(t *testing.T) {
	tt := newTestTokens(t)
	big := strings.Repeat("x", 2048)
	tests := []struct {
		name   string
		token  string
		ctype  string
		parts  [][2]string
		raw    string
		status int
		code   string
	}{
		{name: "ok", token: tt.portal, parts: [][2]string{{"kind", "photo_2inch"}, {"file", "bytes"}}, status: 201},
		{name: "file before kind", token: tt.portal, parts: [][2]string{{"file", "bytes"}, {"kind", "photo_2inch"}}, status: 201},
		{name: "no token", parts: [][2]string{{"kind", "photo_2inch"}, {"file", "bytes"}}, status: 401, code: "UNAUTHENTICATED"},
		{name: "reviewer", token: tt.reviewer, parts: [][2]string{{"kind", "photo_2inch"}, {"file", "bytes"}}, status: 403, code: "FORBIDDEN"},
		{name: "json body", token: tt.portal, ctype: "application/json", raw: `{"kind":"photo_2inch"}`, status: 415, code: "UNSUPPORTED_MEDIA"},
		{name: "no file", token: tt.portal, parts: [][2]string{{"kind", "photo_2inch"}}, status: 400, code: "INVALID_FIELD"},
		{name: "no kind", token: tt.portal, parts: [][2]string{{"file", "bytes"}}, status: 400, code: "INVALID_FIELD"},
		{name: "two files", token: tt.portal, parts: [][2]string{{"kind", "photo_2inch"}, {"file", "a"}, {"file", "b"}}, status: 400, code: "INVALID_FIELD"},
		{name: "extra part", token: tt.portal, parts: [][2]string{{"kind", "photo_2inch"}, {"note", "hi"}, {"file", "a"}}, status: 400, code: "INVALID_FIELD"},
		{name: "oversize file", token: tt.portal, parts: [][2]string{{"kind", "photo_2inch"}, {"file", big}}, status: 413, code: "IMAGE_TOO_LARGE"},
		{name: "broken multipart", token: tt.portal, ctype: "multipart/form-data; boundary=zzz", raw: "--zzz\r\nnonsense", status: 400, code: "INVALID_FIELD"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			svc := &fakeService{}
			h := NewHandler(svc, Config{Tokens: tt.tokens, MaxUpload: 1024})
			ctype, body := tc.ctype, bytes.NewBufferString(tc.raw)
			if tc.parts != nil {
				ctype, body = multipartBody(t, tc.parts)
			}
			req := httptest.NewRequest("POST", "/v1/materials", body)
			req.Header.Set("Content-Type", ctype)
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Fatalf("status = %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if tc.code != "" {
				if got := errorCode(t, rec.Body.Bytes()); got != tc.code {
					t.Errorf("code = %s, want %s", got, tc.code)
				}
				if svc.calls != 0 {
					t.Error("a refused upload reached the service")
				}
			}
		})
	}
}

// TestSlotWaitIsBounded: with every slot taken, a request waits SlotWait, then is answered
// 503 BUSY with Retry-After, and never runs; a slot freed within the wait is taken.
func TestSlotWaitIsBounded(t *testing.T) {
	s := newSlots(1, 50*time.Millisecond)
	release := make(chan struct{})
	entered := make(chan struct{})
	ran := 0
	ep := withSlot(s, nil, func(context.Context, any) (any, error) {
		ran++
		entered <- struct{}{}
		<-release
		return nil, nil
	})
	go func() { _, _ = ep(context.Background(), nil) }()
	<-entered
	rec := httptest.NewRecorder()
	_, err := ep(context.Background(), nil)
	errorEncoder(slog.New(slog.DiscardHandler))(context.Background(), err, rec)
	if rec.Code != 503 || errorCode(t, rec.Body.Bytes()) != "BUSY" || rec.Header().Get("Retry-After") != "1" || ran != 1 {
		t.Errorf("over the limit: %d %s Retry-After=%q ran=%d", rec.Code, rec.Body, rec.Header().Get("Retry-After"), ran)
	}
	done := make(chan error)
	go func() {
		_, err := withSlot(newSlotsFrom(s, time.Second), nil, func(context.Context, any) (any, error) { return nil, nil })(context.Background(), nil)
		done <- err
	}()
	time.Sleep(10 * time.Millisecond)
	close(release)
	if err := <-done; err != nil {
		t.Errorf("a slot freed within the wait: %v", err)
	}
}

// newSlotsFrom shares s's pool with another wait.
func newSlotsFrom(s *slots, wait time.Duration) *slots { return &slots{ch: s.ch, wait: wait} }
