package mongostore

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/service"
)

const collCertificates = "certificates"

type certificateDoc struct {
	ID            string     `bson:"_id"`
	ApplicationID string     `bson:"application_id"`
	Portal        string     `bson:"portal"`
	Type          string     `bson:"type"`
	Status        string     `bson:"status"`
	IssuedAt      time.Time  `bson:"issued_at"`
	ExpiresAt     time.Time  `bson:"expires_at"`
	Payload       string     `bson:"payload"`
	RevokedAt     *time.Time `bson:"revoked_at,omitempty"`
	RevokeReason  string     `bson:"revoke_reason,omitempty"`
	Cert          any        `bson:"cert"` // see jsonValues
}

func (d certificateDoc) toService() (service.CertificateRecord, error) {
	r := service.CertificateRecord{
		ID: d.ID, ApplicationID: d.ApplicationID, Portal: d.Portal, Type: d.Type, Status: d.Status,
		IssuedAt: d.IssuedAt.UTC(), ExpiresAt: d.ExpiresAt.UTC(), Payload: d.Payload, RevokeReason: d.RevokeReason,
	}
	if d.RevokedAt != nil {
		t := d.RevokedAt.UTC()
		r.RevokedAt = &t
	}
	var c certs.Certificate
	if err := fromDoc(d.Cert, &c); err != nil {
		return r, err
	}
	r.Cert = c
	return r, nil
}

// InsertCertificate stores an issued certificate.
func (s *Store) InsertCertificate(ctx context.Context, r service.CertificateRecord) error {
	d, err := certificateDocFrom(r, s.values)
	if err != nil {
		return err
	}
	return s.write(func() error {
		_, err := s.db.Collection(collCertificates).InsertOne(ctx, d)
		return err
	})
}

func certificateDocFrom(r service.CertificateRecord, values jsonValues) (certificateDoc, error) {
	c, err := values.encode(r.Cert)
	return certificateDoc{
		ID: r.ID, ApplicationID: r.ApplicationID, Portal: r.Portal, Type: r.Type, Status: r.Status,
		IssuedAt: r.IssuedAt, ExpiresAt: r.ExpiresAt, Payload: r.Payload, RevokedAt: r.RevokedAt,
		RevokeReason: r.RevokeReason, Cert: c,
	}, err
}

// Certificate returns one certificate.
func (s *Store) Certificate(ctx context.Context, id string) (service.CertificateRecord, error) {
	var d certificateDoc
	if err := s.findOne(ctx, collCertificates, id, &d); err != nil {
		return service.CertificateRecord{}, err
	}
	return d.toService()
}

// DeleteCertificate removes a certificate that was never handed out.
func (s *Store) DeleteCertificate(ctx context.Context, id string) error {
	return s.write(func() error {
		_, err := s.db.Collection(collCertificates).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
		return err
	})
}

// RevokeCertificate is one conditional update: only a valid certificate is revoked.
func (s *Store) RevokeCertificate(ctx context.Context, id string, at time.Time, reason string) (service.CertificateRecord, error) {
	var d certificateDoc
	coll := s.db.Collection(collCertificates)
	err := s.write(func() error {
		filter, err := s.inStatus(ctx, coll, id, string(service.CertValid))
		if err != nil {
			return err
		}
		return coll.FindOneAndUpdate(ctx, filter,
			bson.D{{Key: "$set", Value: bson.D{
				{Key: "status", Value: service.CertRevoked}, {Key: "revoked_at", Value: at}, {Key: "revoke_reason", Value: reason},
			}}},
			options.FindOneAndUpdate().SetReturnDocument(options.After),
		).Decode(&d)
	})
	if errors.Is(err, mongo.ErrNoDocuments) {
		if _, ferr := s.Certificate(ctx, id); ferr != nil {
			return service.CertificateRecord{}, ferr
		}
		return service.CertificateRecord{}, service.ErrStale
	}
	if err != nil {
		return service.CertificateRecord{}, err
	}
	return d.toService()
}

// CountRevokedCertificates counts the revoked certificates: the revocation list's cache key.
// Revoked is a final status and a revoked certificate is never deleted, so the revoked set only
// grows and its size tells whether it changed.
func (s *Store) CountRevokedCertificates(ctx context.Context) (int, error) {
	n, err := s.db.Collection(collCertificates).CountDocuments(ctx, bson.D{{Key: "status", Value: service.CertRevoked}})
	return int(n), err
}

// RevokedCertificates lists every revoked certificate's id, date and reason, in id order.
func (s *Store) RevokedCertificates(ctx context.Context) ([]service.RevokedCertificate, error) {
	cur, err := s.db.Collection(collCertificates).Find(ctx,
		bson.D{{Key: "status", Value: service.CertRevoked}},
		options.Find().
			SetProjection(bson.D{{Key: "_id", Value: 1}, {Key: "revoked_at", Value: 1}, {Key: "revoke_reason", Value: 1}}).
			SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, err
	}
	var docs []struct {
		ID           string    `bson:"_id"`
		RevokedAt    time.Time `bson:"revoked_at"`
		RevokeReason string    `bson:"revoke_reason"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	out := make([]service.RevokedCertificate, 0, len(docs))
	for _, d := range docs {
		out = append(out, service.RevokedCertificate{ID: d.ID, RevokedAt: d.RevokedAt.UTC(), Reason: d.RevokeReason})
	}
	return out, nil
}
