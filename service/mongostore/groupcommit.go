package mongostore

import (
	"context"
	"errors"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// inserter is group commit for the two inserts a submission makes, its application and its
// audit record's projection, and for the audit records of refused pre-checks: calls that
// arrive while a batch is being written are written together by the next batch, one
// InsertMany per collection under one hold of the store's write lock (on SQLite, one
// transaction each). A submission's projection goes in the same batch as its application,
// after it and only if it was stored, so a submission waits for one batch instead of two
// (issue 17: BenchmarkSubmit32 went from 920–975 to 994–1,092 submissions a second). Each caller returns
// only after its own document is acknowledged, so nothing is acknowledged before it is stored.
// There is no timer: a lone insert is written at once; batches form only under load.
type inserter struct {
	applications, decisions *mongo.Collection
	serialized              func(func())
	note                    func(error) // see Store.noteWrite
	reqs                    chan insertReq
	done                    chan struct{}
	stopped                 chan struct{}
	closed                  sync.Once
}

type insertReq struct {
	ctx context.Context
	// doc goes to the applications collection, or to decisions when application is false.
	// It is encoded by the caller, so the write lock is held for the round trips only, and a
	// document that cannot be encoded fails alone instead of failing its whole batch.
	doc         bson.Raw
	application bool
	// projection, for an application, is its audit record's projection, written after the
	// batch's applications if this one was stored. Its outcome is not the caller's: the
	// record embedded in the application is the original (see service.Applications).
	projection bson.Raw
	result     chan error
}

// maxBatch bounds one batch (documents here are a few kilobytes).
const maxBatch = 64

var errStoreClosed = errors.New("mongostore: store is closed")

func newInserter(applications, decisions *mongo.Collection, serialized func(func()), note func(error)) *inserter {
	in := &inserter{applications: applications, decisions: decisions, serialized: serialized, note: note,
		reqs: make(chan insertReq), done: make(chan struct{}), stopped: make(chan struct{})}
	go in.run()
	return in
}

// insert queues r and returns its own outcome (a duplicate key error stays a duplicate key
// error for this document only).
func (in *inserter) insert(ctx context.Context, r insertReq) error {
	r.ctx, r.result = ctx, make(chan error, 1)
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
	var apps, decs []insertReq
	for _, r := range batch {
		switch {
		case r.ctx.Err() != nil:
			r.result <- r.ctx.Err()
		case r.application:
			apps = append(apps, r)
		default:
			decs = append(decs, r)
		}
	}
	if len(apps)+len(decs) == 0 {
		return
	}
	var appErrs, decErrs []error
	// The batch outlives any one caller's context: it is one write for all of them.
	in.serialized(func() {
		docs := make([]any, len(apps))
		for i, r := range apps {
			docs[i] = r.doc
		}
		appErrs = in.insertMany(in.applications, docs)
		docs = docs[:0]
		for _, r := range decs {
			docs = append(docs, r.doc)
		}
		for i, r := range apps {
			if appErrs[i] == nil && r.projection != nil {
				docs = append(docs, r.projection)
			}
		}
		decErrs = in.insertMany(in.decisions, docs)
	})
	for i, r := range apps {
		r.result <- appErrs[i]
	}
	for i, r := range decs {
		r.result <- decErrs[i]
	}
}

// insertMany writes docs unordered and returns each one's outcome.
func (in *inserter) insertMany(coll *mongo.Collection, docs []any) []error {
	perDoc := make([]error, len(docs))
	if len(docs) == 0 {
		return perDoc
	}
	_, err := coll.InsertMany(context.Background(), docs, options.InsertMany().SetOrdered(false))
	in.note(err)
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
	return perDoc
}

// close stops taking requests and waits for a batch being written to complete.
func (in *inserter) close() {
	in.closed.Do(func() { close(in.done) })
	<-in.stopped
}
