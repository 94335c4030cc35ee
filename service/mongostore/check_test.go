package mongostore

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/roadcheck/roadcheck/service"
)

func sampleSubmission(id string, at time.Time) service.Submission {
	audit := service.AuditRecord{ID: "d" + id[1:], At: at, Caller: "henan-portal", Item: "qualification_renewal",
		Pass: true, Codes: []string{}, PolicyRevision: "rev1", InputSHA256: "ab", ApplicationID: id,
		RedactedInput: service.Application{Item: "qualification_renewal", AsOf: "2026-12-01"}}
	return service.Submission{ID: id, Portal: "henan-portal", ApplicantID: "x", Item: "qualification_renewal",
		Status: service.StatusSubmitted, SubmittedAt: at, History: []service.HistoryEntry{}, Audit: &audit}
}

// testSubmissionCarriesItsAudit: the audit record is stored inside the application (one
// write) and read back, and InsertSubmission appends it to the audit log; RecordDecision is
// idempotent, so a repair can always rewrite it. A refused duplicate records nothing.
func testSubmissionCarriesItsAudit(t *testing.T, s *Store) {
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	sub := sampleSubmission("a_audit", at)
	if err := s.InsertSubmission(ctx, sub); err != nil {
		t.Fatal(err)
	}
	got, err := s.Submission(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Audit == nil || !reflect.DeepEqual(*got.Audit, *sub.Audit) {
		t.Fatalf("embedded audit = %+v, want %+v", got.Audit, sub.Audit)
	}
	if ds, err := s.Decisions(ctx, 10); err != nil || len(ds) != 1 || !reflect.DeepEqual(ds[0], *sub.Audit) {
		t.Fatalf("audit log after InsertSubmission = %+v (%v), want the embedded record", ds, err)
	}
	dup := sampleSubmission("a_audit", at)
	dup.Audit.ID = "d_other"
	if err := s.InsertSubmission(ctx, dup); !errors.Is(err, service.ErrDuplicate) {
		t.Fatalf("duplicate insert: %v, want ErrDuplicate", err)
	}
	for range 2 {
		if err := s.RecordDecision(ctx, *got.Audit); err != nil {
			t.Fatalf("RecordDecision (repeated): %v", err)
		}
	}
	ds, err := s.Decisions(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || !reflect.DeepEqual(ds[0], *sub.Audit) {
		t.Errorf("decisions = %+v, want exactly the embedded record", ds)
	}
	// An application without an embedded record (stored before) still reads.
	old := sampleSubmission("a_old", at)
	old.Audit = nil
	if err := s.InsertSubmission(ctx, old); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Submission(ctx, old.ID); err != nil || got.Audit != nil {
		t.Errorf("old application: %+v, %v", got.Audit, err)
	}
}

func (s *Store) count(t *testing.T, coll string, filter bson.D) int64 {
	t.Helper()
	n, err := s.db.Collection(coll).CountDocuments(context.Background(), filter)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// testFailedUploadLeavesNoChunk: when the record write fails after the bytes were written,
// the bytes are removed again.
func testFailedUploadLeavesNoChunk(t *testing.T, s *Store) {
	ctx := context.Background()
	// A record with this id makes the record insert fail after the upload succeeded.
	if _, err := s.db.Collection(collMaterials).InsertOne(ctx, bson.D{{Key: "_id", Value: "m_taken"}}); err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 600<<10) // several chunks
	u := service.Upload{ID: "m_taken", Owner: "p", Kind: "photo_2inch", CreatedAt: time.Now().UTC()}
	if err := s.PutMaterial(ctx, u, data); err == nil {
		t.Fatal("PutMaterial over an existing record succeeded")
	}
	if n := s.count(t, bucketMaterials+".chunks", bson.D{{Key: "files_id", Value: "m_taken"}}); n != 0 {
		t.Errorf("%d chunks left by the failed upload", n)
	}
	if n := s.count(t, bucketMaterials+".files", bson.D{{Key: "_id", Value: "m_taken"}}); n != 0 {
		t.Errorf("%d files left by the failed upload", n)
	}
	// A good upload is whole, and Check finds nothing but the planted record's missing bytes.
	u.ID = "m_good"
	if err := s.PutMaterial(ctx, u, data); err != nil {
		t.Fatal(err)
	}
	// A chunk write that fails midway (here a planted chunk collides on the unique
	// files_id+n index the driver created) leaves none of the upload's chunks.
	if _, err := s.db.Collection(bucketMaterials+".chunks").InsertOne(ctx,
		bson.D{{Key: "files_id", Value: "m_partial"}, {Key: "n", Value: int32(1)}, {Key: "data", Value: []byte("x")}}); err != nil {
		t.Fatal(err)
	}
	u.ID = "m_partial"
	if err := s.PutMaterial(ctx, u, data); err == nil {
		t.Fatal("PutMaterial over a colliding chunk succeeded")
	}
	if n := s.count(t, bucketMaterials+".chunks", bson.D{{Key: "files_id", Value: "m_partial"}}); n != 0 {
		t.Errorf("%d chunks left by the upload that failed midway", n)
	}
	if n := s.count(t, collMaterials, bson.D{{Key: "_id", Value: "m_partial"}}); n != 0 {
		t.Errorf("a record was written for the failed upload")
	}
	r, err := s.Check(ctx, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.OrphanChunks) != 0 || len(r.FilesWithoutMaterial) != 0 || !reflect.DeepEqual(r.MaterialsWithoutFile, []string{"m_taken"}) {
		t.Errorf("check after uploads: %+v", r)
	}
}

// testCheckAndRepair plants every inconsistency Check knows, then repairs what it can.
func testCheckAndRepair(t *testing.T, s *Store) {
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	// Consistent: an application with its decision.
	ok := sampleSubmission("a_ok", at)
	if err := s.InsertSubmission(ctx, ok); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordDecision(ctx, *ok.Audit); err != nil {
		t.Fatal(err)
	}
	// A crash between the two writes: the application alone.
	lost := sampleSubmission("a_lost", at)
	if err := s.InsertSubmission(ctx, lost); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Collection(collDecisions).DeleteOne(ctx, bson.D{{Key: "_id", Value: lost.Audit.ID}}); err != nil {
		t.Fatal(err)
	}
	// A decision naming no application.
	if err := s.RecordDecision(ctx, service.AuditRecord{ID: "d_stray", At: at, ApplicationID: "a_gone"}); err != nil {
		t.Fatal(err)
	}
	// A refused pre-check names no application and is fine.
	if err := s.RecordDecision(ctx, service.AuditRecord{ID: "d_refused", At: at}); err != nil {
		t.Fatal(err)
	}
	// A certificate whose application was never approved (a crash before the transition).
	if err := s.InsertCertificate(ctx, service.CertificateRecord{ID: "CERTX", ApplicationID: "a_ok", Status: service.CertValid}); err != nil {
		t.Fatal(err)
	}
	// Orphan chunks (file document gone) and bytes no record names.
	u := service.Upload{ID: "m_chunks", Owner: "p", Kind: "photo_2inch", CreatedAt: at}
	if err := s.PutMaterial(ctx, u, make([]byte, 300<<10)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Collection(bucketMaterials+".files").DeleteOne(ctx, bson.D{{Key: "_id", Value: "m_chunks"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.materialBucket().UploadFromStreamWithID(ctx, "m_unnamed", "m_unnamed", bytes.NewReader([]byte("x"))); err != nil {
		t.Fatal(err)
	}

	r, err := s.Check(ctx, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Consistent || r.Applications != 2 || r.Decisions != 3 ||
		!reflect.DeepEqual(r.ApplicationsWithoutDecision, []string{"a_lost"}) ||
		!reflect.DeepEqual(r.DecisionsWithoutApplication, []string{"d_stray"}) ||
		!reflect.DeepEqual(r.CertificatesWithoutApproval, []string{"CERTX"}) ||
		r.OrphanChunks["m_chunks"] != 2 || len(r.OrphanChunks) != 1 ||
		!reflect.DeepEqual(r.FilesWithoutMaterial, []string{"m_unnamed"}) ||
		!reflect.DeepEqual(r.MaterialsWithoutFile, []string{"m_chunks"}) {
		t.Fatalf("check: %+v", r)
	}
	// Young bytes are spared while a live store may be mid-upload.
	r, err = s.Check(ctx, CheckOptions{Repair: true, Grace: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.Repaired.Decisions, []string{"a_lost"}) || len(r.Repaired.ChunkFiles) != 0 || len(r.Repaired.UnnamedFiles) != 0 {
		t.Fatalf("repair within grace: %+v", r.Repaired)
	}
	r, err = s.Check(ctx, CheckOptions{Repair: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.ApplicationsWithoutDecision) != 0 || !reflect.DeepEqual(r.Repaired.ChunkFiles, []string{"m_chunks"}) ||
		r.Repaired.Chunks != 2 || !reflect.DeepEqual(r.Repaired.UnnamedFiles, []string{"m_unnamed"}) || r.Consistent {
		t.Fatalf("repair: %+v", r)
	}
	ds, err := s.Decisions(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range ds {
		if d.ApplicationID == "a_lost" && reflect.DeepEqual(d, *lost.Audit) {
			found = true
		}
	}
	if !found {
		t.Errorf("the repaired decision of a_lost is not its embedded record: %+v", ds)
	}
	// What is left cannot be repaired safely, and is reported.
	r, err = s.Check(ctx, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Consistent || len(r.ApplicationsWithoutDecision)+len(r.OrphanChunks)+len(r.FilesWithoutMaterial) != 0 ||
		len(r.DecisionsWithoutApplication) != 1 || len(r.CertificatesWithoutApproval) != 1 || len(r.MaterialsWithoutFile) != 1 {
		t.Errorf("after repair: %+v", r)
	}
}
