package mongostore

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

const collProbes = "probes"

// ProbeWrite upserts the one document of the probes collection, through the same write path
// (and write concern) as every other write.
func (s *Store) ProbeWrite(ctx context.Context) error {
	return s.write(func() error {
		_, err := s.db.Collection(collProbes).UpdateOne(ctx, bson.D{{Key: "_id", Value: "write"}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "at", Value: time.Now().UTC()}}}},
			options.UpdateOne().SetUpsert(true))
		return err
	})
}

// LastWriteError is the failure of the most recent write when none has succeeded since.
func (s *Store) LastWriteError() error {
	if p := s.lastWrite.Load(); p != nil {
		return *p
	}
	return nil
}

// noteWrite records a write's outcome for LastWriteError. Answers (duplicate key, no matching
// document) and writes their caller abandoned say nothing about the store.
func (s *Store) noteWrite(err error) {
	switch {
	case err == nil:
		s.lastWrite.Store(nil)
	case errors.Is(err, mongo.ErrNoDocuments), mongo.IsDuplicateKeyError(err), errors.Is(err, context.Canceled):
	default:
		s.lastWrite.Store(&err)
	}
}
