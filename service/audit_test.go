package service_test

import (
	"context"
	"reflect"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// loseProjection deletes the audit log's record of application id, as a crash between the
// application's insert and the projection's would leave the store.
func loseProjection(t *testing.T, uri, id string) {
	t.Helper()
	ctx := context.Background()
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(ctx)
	res, err := client.Database("roadcheck").Collection("decisions").DeleteMany(ctx, bson.D{{Key: "application_id", Value: id}})
	if err != nil || res.DeletedCount != 1 {
		t.Fatalf("deleting the projection of %s: %+v %v", id, res, err)
	}
}

// TestRetryRepairsLostAuditRecord: an acknowledged application carries its audit record; a
// retry with the same Idempotency-Key writes the lost decision record, once.
func TestRetryRepairsLostAuditRecord(t *testing.T) {
	w := newWorkflow(t)
	ctx := context.Background()
	svc := w.svc
	first, err := svc.Submit(portalA, passing(t), "key-crash")
	if err != nil || first.Submission == nil {
		t.Fatalf("submit: %+v %v", first, err)
	}
	if ds, _ := w.store.Decisions(ctx, 10); len(ds) != 1 || ds[0].ApplicationID != first.Submission.ID {
		t.Fatalf("the submission's audit record is not in the log: %+v", ds)
	}
	loseProjection(t, w.uri, first.Submission.ID)
	stored, err := w.store.Submission(ctx, first.Submission.ID)
	if err != nil || stored.Audit == nil || stored.Audit.ApplicationID != stored.ID || !stored.Audit.Pass {
		t.Fatalf("the application does not carry its audit record: %+v %v", stored.Audit, err)
	}
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
