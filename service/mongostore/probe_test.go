package mongostore

import (
	"context"
	"errors"
	"testing"
	"time"
)

// testProbeWrite: the probe writes; a write failure is the store's last write error until a
// write succeeds; answers (not found) are not failures; a disconnected store fails the probe.
func testProbeWrite(t *testing.T, s *Store) {
	ctx := context.Background()
	if err := s.ProbeWrite(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := s.db.Collection(collProbes).CountDocuments(ctx, map[string]any{}); err != nil || n != 1 {
		t.Fatalf("probes: %d documents, %v", n, err)
	}
	if err := s.LastWriteError(); err != nil {
		t.Fatalf("after a good write: %v", err)
	}
	s.noteWrite(errors.New("not primary"))
	if s.LastWriteError() == nil {
		t.Fatal("a failed write is not recorded")
	}
	s.noteWrite(context.Canceled)
	if _, err := s.RevokeCertificate(ctx, "no-such", time.Now(), "x"); err == nil {
		t.Fatal("revoked a certificate that does not exist")
	}
	if s.LastWriteError() == nil {
		t.Fatal("an answer or an abandoned write cleared the failure")
	}
	if err := s.ProbeWrite(ctx); err != nil || s.LastWriteError() != nil {
		t.Fatalf("a good probe does not clear the failure: %v, %v", err, s.LastWriteError())
	}
	_ = s.db.Drop(ctx)
	_ = s.client.Disconnect(ctx)
	if err := s.ProbeWrite(ctx); err == nil || s.LastWriteError() == nil {
		t.Fatalf("a disconnected store: %v, %v", err, s.LastWriteError())
	}
}
