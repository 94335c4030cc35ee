package mongostore

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/service"
)

// A submission is encoded to bson before it waits for the embedded store's write lock: one
// that cannot be encoded (a NaN, which JSON has no form for) fails at once, while another writer holds the lock,
// and a valid one waiting for the lock is stored when it is released.
func TestEncodeBeforeWriteLock(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded store")
	}
	s := openEmbedded(t, "", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	sub := func(id string, form service.Form) service.Submission {
		return service.Submission{ID: id, Portal: "p", ApplicantID: "x", Status: service.StatusSubmitted,
			Input: service.Application{Item: "qualification_renewal", Form: form}}
	}
	s.writes.Lock()
	good := make(chan error, 1)
	go func() { good <- s.InsertSubmission(ctx, sub("a_good", service.Form{"name": "张三"})) }()
	bad := make(chan error, 1)
	go func() { bad <- s.InsertSubmission(ctx, sub("a_bad", service.Form{"ratio": math.NaN()})) }()
	select {
	case err := <-bad:
		if err == nil || !strings.Contains(err.Error(), "NaN") {
			t.Errorf("unencodable submission: %v, want the encoder's error", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("an unencodable submission waited for the write lock")
	}
	select {
	case err := <-good:
		t.Fatalf("an insert returned while the write lock was held: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	s.writes.Unlock()
	if err := <-good; err != nil {
		t.Fatal(err)
	}
	if _, err := s.Submission(ctx, "a_good"); err != nil {
		t.Errorf("the valid submission: %v", err)
	}
	if _, err := s.Submission(ctx, "a_bad"); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("the unencodable submission: %v, want ErrNotFound", err)
	}
}
