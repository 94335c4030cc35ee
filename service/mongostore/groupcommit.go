package mongostore

import (
	"context"
	"errors"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// inserter is group commit for one collection: concurrent InsertOne calls that arrive while a
// batch is being written are written together by the next InsertMany, one database
// transaction (and, on SQLite, one fsync) for all of them. Each caller still returns only
// after its own document is acknowledged, so nothing is acknowledged before it is stored.
// There is no timer: a lone insert is written at once; batches form only under load.
type inserter struct {
	coll    *mongo.Collection
	write   func(func() error) error
	reqs    chan insertReq
	done    chan struct{}
	stopped chan struct{}
	closed  sync.Once
}

type insertReq struct {
	ctx context.Context
	// doc is encoded by the caller, so the serialized write (see Store.writes) holds the lock
	// for the round trip only, and a document that cannot be encoded fails alone instead of
	// failing the InsertMany of its whole batch.
	doc    bson.Raw
	result chan error
}

// maxBatch bounds one InsertMany (documents here are a few kilobytes).
const maxBatch = 64

var errStoreClosed = errors.New("mongostore: store is closed")

func newInserter(coll *mongo.Collection, write func(func() error) error) *inserter {
	in := &inserter{coll: coll, write: write, reqs: make(chan insertReq), done: make(chan struct{}), stopped: make(chan struct{})}
	go in.run()
	return in
}

// insert writes doc and returns its own outcome (a duplicate key error stays a duplicate key
// error for this document only).
func (in *inserter) insert(ctx context.Context, doc bson.Raw) error {
	r := insertReq{ctx: ctx, doc: doc, result: make(chan error, 1)}
	select {
	case in.reqs <- r:
	case <-in.done:
		return errStoreClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-r.result
}

func (in *inserter) run() {
	defer close(in.stopped)
	for {
		var first insertReq
		select {
		case first = <-in.reqs:
		case <-in.done:
			return
		}
		batch := []insertReq{first}
	drain:
		for len(batch) < maxBatch {
			select {
			case r := <-in.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		in.flush(batch)
	}
}

func (in *inserter) flush(batch []insertReq) {
	// Requests whose callers gave up are not written.
	live := batch[:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.result <- err
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	docs := make([]any, len(live))
	for i, r := range live {
		docs[i] = r.doc
	}
	// The batch outlives any one caller's context: it is one write for all of them.
	err := in.write(func() error {
		_, err := in.coll.InsertMany(context.Background(), docs, options.InsertMany().SetOrdered(false))
		return err
	})
	perDoc := make([]error, len(live))
	var bwe mongo.BulkWriteException
	switch {
	case err == nil:
	case errors.As(err, &bwe) && bwe.WriteConcernError == nil:
		for _, we := range bwe.WriteErrors {
			if we.Index >= 0 && we.Index < len(perDoc) {
				perDoc[we.Index] = mongo.WriteException{WriteErrors: []mongo.WriteError{we.WriteError}}
			}
		}
	default:
		for i := range perDoc {
			perDoc[i] = err
		}
	}
	for i, r := range live {
		r.result <- perDoc[i]
	}
}

// close stops taking requests and waits for a batch being written to complete.
func (in *inserter) close() {
	in.closed.Do(func() { close(in.done) })
	<-in.stopped
}
