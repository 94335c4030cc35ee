package service_test

import (
	"context"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/roadcheck/roadcheck/policies"
	"github.com/roadcheck/roadcheck/service"
	"github.com/roadcheck/roadcheck/service/mongostore"
)

// crashingStore loses the decisions projection, as a crash between the application's insert
// and the projection's would.
type crashingStore struct {
	*mongostore.Store
	lose atomic.Bool
}

func (s *crashingStore) RecordDecision(ctx context.Context, a service.AuditRecord) error {
	if s.lose.Load() {
		return nil
	}
	return s.Store.RecordDecision(ctx, a)
}

// TestRetryRepairsLostAuditRecord: an acknowledged application carries its audit record; a
// retry with the same Idempotency-Key writes the lost decision record, once.
func TestRetryRepairsLostAuditRecord(t *testing.T) {
	w := newWorkflow(t)
	ctx := context.Background()
	book, err := policies.Load(ctx, policies.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	rules, err := service.NewRules(book)
	if err != nil {
		t.Fatal(err)
	}
	store := &crashingStore{Store: w.store}
	svc, err := service.New(service.Config{Rules: rules, Store: store, Now: w.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	store.lose.Store(true)
	first, err := svc.Submit(portalA, passing(t), "key-crash")
	if err != nil || first.Submission == nil {
		t.Fatalf("submit: %+v %v", first, err)
	}
	if ds, _ := w.store.Decisions(ctx, 10); len(ds) != 0 {
		t.Fatalf("the projection was written: %+v", ds)
	}
	stored, err := w.store.Submission(ctx, first.Submission.ID)
	if err != nil || stored.Audit == nil || stored.Audit.ApplicationID != stored.ID || !stored.Audit.Pass {
		t.Fatalf("the application does not carry its audit record: %+v %v", stored.Audit, err)
	}
	store.lose.Store(false)
	for range 2 {
		again, err := svc.Submit(portalA, passing(t), "key-crash")
		if err != nil || !again.Replayed || again.Submission.ID != first.Submission.ID {
			t.Fatalf("retry: %+v %v", again, err)
		}
	}
	ds, err := w.store.Decisions(ctx, 10)
	if err != nil || len(ds) != 1 || !reflect.DeepEqual(ds[0], *stored.Audit) {
		t.Fatalf("after the retries: %d decision records %+v (%v), want the embedded one once", len(ds), ds, err)
	}
	if ds[0].RedactedInput.Applicant.IDNumber != "410***********0018" {
		t.Errorf("the repaired record is not redacted: %+v", ds[0].RedactedInput.Applicant)
	}
}
