// Package mongostore implements service.Store on the MongoDB wire protocol (mongo-driver v2),
// against a real MongoDB or the embedded FerretDB.
package mongostore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"

	"github.com/roadcheck/roadcheck/service"
)

// Collection names.
const (
	collQualifications = "qualifications"
	collVehicles       = "vehicles"
)

// Store is service.Store on MongoDB.
type Store struct {
	client *mongo.Client
	db     *mongo.Database
	// writes is set on the embedded store, whose single process (its directory is locked)
	// serializes every write here, for two reasons. FerretDB v1.24 runs findAndModify as a
	// query then an update (FerretDB issue #2168), so two conditional updates of one document
	// could both succeed; serialized, the conditional update is atomic again, as MongoDB makes
	// it natively. And SQLite takes one writer at a time: writers that collide inside it back
	// off in sleeps of up to 100 ms, while a Go mutex hands over in microseconds, which keeps
	// the latency tail short under concurrent submissions.
	writes      *sync.Mutex
	inserts     *inserter             // group commit of submissions and audit records
	lastWrite   atomic.Pointer[error] // see LastWriteError
	idIndexOnly bool                  // see Options.IDIndexOnly
	values      jsonValues            // see Options.JSONText
}

// Options tune a store for its backend.
type Options struct {
	// SerializeWrites must be set for the embedded FerretDB (see Store.writes).
	SerializeWrites bool
	// IDIndexOnly keeps only the _id indexes (dropping any other) for the embedded FerretDB:
	// its SQLite backend answers no query from a secondary index (it pushes down only a filter
	// that is exactly {_id: value}, and sorts in memory), so each one is only a cost on every
	// insert. MongoDB uses them, and keeps them.
	IDIndexOnly bool
	// JSONText stores the JSON-shaped values (input, decision, audit input, certificate,
	// material content) as JSON text rather than documents, for the embedded FerretDB (see
	// jsonValues). Either form reads back the same.
	JSONText bool
	// SQLiteDir is the embedded FerretDB's data directory, where Open adds to each collection's
	// table the index FerretDB's lookups by _id can use (see idlookup.go).
	SQLiteDir string
}

// Open connects to uri, checks the server answers and creates the indexes.
func Open(ctx context.Context, uri, database string, opts ...Options) (*Store, error) {
	client, err := mongo.Connect(options.Client().
		ApplyURI(uri).
		SetAppName("roadcheck").
		SetServerSelectionTimeout(10 * time.Second).
		// Majority + journal: an acknowledged write survives a crash of the server.
		SetWriteConcern(writeconcern.Majority()))
	if err != nil {
		return nil, fmt.Errorf("mongostore: connect: %w", err)
	}
	s := &Store{client: client, db: client.Database(database)}
	var sqliteDir string
	for _, o := range opts {
		if o.SerializeWrites {
			s.writes = &sync.Mutex{}
		}
		s.idIndexOnly = s.idIndexOnly || o.IDIndexOnly
		if o.JSONText {
			s.values = asText
		}
		if o.SQLiteDir != "" {
			sqliteDir = o.SQLiteDir
		}
	}
	if err := s.Ping(ctx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, fmt.Errorf("mongostore: %w", err)
	}
	if err := s.ensureIndexes(ctx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, fmt.Errorf("mongostore: indexes: %w", err)
	}
	if sqliteDir != "" {
		if err := s.ensureIDLookupIndexes(ctx, sqliteDir, database); err != nil {
			_ = client.Disconnect(context.Background())
			return nil, fmt.Errorf("mongostore: lookup indexes: %w", err)
		}
	}
	s.inserts = newInserter(s.db.Collection(collApplications), s.db.Collection(collDecisions), s.serialized, s.noteWrite)
	return s, nil
}

// Close finishes the writes in flight, then disconnects the driver (waiting up to ctx).
func (s *Store) Close(ctx context.Context) error {
	s.inserts.close()
	return s.client.Disconnect(ctx)
}

// Ping checks the server answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.db.RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Err()
}

func (s *Store) findOne(ctx context.Context, coll, id string, out any) error {
	err := s.db.Collection(coll).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(out)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return service.ErrNotFound
	}
	return err
}

// write runs one write, serialized when the backend needs it, and notes its outcome.
func (s *Store) write(fn func() error) error {
	var err error
	s.serialized(func() { err = fn() })
	s.noteWrite(err)
	return err
}

// serialized runs fn holding the write lock when the backend needs one.
func (s *Store) serialized(fn func()) {
	if s.writes != nil {
		s.writes.Lock()
		defer s.writes.Unlock()
	}
	fn()
}

func (s *Store) replace(ctx context.Context, coll, id string, doc any) error {
	return s.write(func() error {
		_, err := s.db.Collection(coll).ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, doc,
			options.Replace().SetUpsert(true))
		return err
	})
}

// Qualification returns the registry record of a qualification certificate.
func (s *Store) Qualification(ctx context.Context, number string) (service.Qualification, error) {
	var d qualificationDoc
	if err := s.findOne(ctx, collQualifications, number, &d); err != nil {
		return service.Qualification{}, err
	}
	return d.toService(), nil
}

// PutQualification inserts or replaces a registry record, keyed by its number.
func (s *Store) PutQualification(ctx context.Context, q service.Qualification) error {
	if q.Number == "" {
		return errors.New("mongostore: qualification number is required")
	}
	return s.replace(ctx, collQualifications, q.Number, qualificationFrom(q))
}

// Vehicle returns the registry record of a vehicle.
func (s *Store) Vehicle(ctx context.Context, plate string) (service.Vehicle, error) {
	var d vehicleDoc
	if err := s.findOne(ctx, collVehicles, plate, &d); err != nil {
		return service.Vehicle{}, err
	}
	return d.toService(), nil
}

// PutVehicle inserts or replaces a registry record, keyed by its plate.
func (s *Store) PutVehicle(ctx context.Context, v service.Vehicle) error {
	if v.Plate == "" {
		return errors.New("mongostore: vehicle plate is required")
	}
	return s.replace(ctx, collVehicles, v.Plate, vehicleFrom(v))
}
