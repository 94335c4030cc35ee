package service

import (
	"context"
	"errors"
	"time"
)

// Offline is a Store without a database, for evaluating documents offline (the precheck
// command): registry references and uploads are not found, and nothing can be written.
type Offline struct{}

var errOffline = errors.New("offline: no store")

// Ping always succeeds: there is nothing to reach.
func (Offline) Ping(context.Context) error { return nil }

// ProbeWrite succeeds: Offline serves no readiness check.
func (Offline) ProbeWrite(context.Context) error { return nil }

// LastWriteError is nil: a refused write is Offline's contract, not a failure.
func (Offline) LastWriteError() error { return nil }

// Qualification finds nothing.
func (Offline) Qualification(context.Context, string) (Qualification, error) {
	return Qualification{}, ErrNotFound
}

// Vehicle finds nothing.
func (Offline) Vehicle(context.Context, string) (Vehicle, error) { return Vehicle{}, ErrNotFound }

// PutQualification refuses.
func (Offline) PutQualification(context.Context, Qualification) error { return errOffline }

// PutVehicle refuses.
func (Offline) PutVehicle(context.Context, Vehicle) error { return errOffline }

// PutMaterial refuses.
func (Offline) PutMaterial(context.Context, Upload, []byte) error { return errOffline }

// Material finds nothing.
func (Offline) Material(context.Context, string) (Upload, error) { return Upload{}, ErrNotFound }

// InsertSubmission refuses.
func (Offline) InsertSubmission(context.Context, Submission) error { return errOffline }

// Submission finds nothing.
func (Offline) Submission(context.Context, string) (Submission, error) {
	return Submission{}, ErrNotFound
}

// Transition finds nothing.
func (Offline) Transition(context.Context, string, Status, Transition) (Submission, error) {
	return Submission{}, ErrNotFound
}

// ListSubmissions finds nothing.
func (Offline) ListSubmissions(context.Context, ListFilter) ([]Submission, error) { return nil, nil }

// Queue finds nothing.
func (Offline) Queue(context.Context, QueueFilter) ([]Submission, error) { return nil, nil }

// RecordDecision refuses.
func (Offline) RecordDecision(context.Context, AuditRecord) error { return errOffline }

// InsertCertificate refuses.
func (Offline) InsertCertificate(context.Context, CertificateRecord) error { return errOffline }

// Certificate finds nothing.
func (Offline) Certificate(context.Context, string) (CertificateRecord, error) {
	return CertificateRecord{}, ErrNotFound
}

// DeleteCertificate refuses.
func (Offline) DeleteCertificate(context.Context, string) error { return errOffline }

// RevokeCertificate finds nothing.
func (Offline) RevokeCertificate(context.Context, string, time.Time, string) (CertificateRecord, error) {
	return CertificateRecord{}, ErrNotFound
}

// CountRevokedCertificates finds none.
func (Offline) CountRevokedCertificates(context.Context) (int, error) { return 0, nil }

// RevokedCertificates finds none.
func (Offline) RevokedCertificates(context.Context) ([]RevokedCertificate, error) { return nil, nil }
