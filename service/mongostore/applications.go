package mongostore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/roadcheck/roadcheck/service"
)

const (
	collApplications = "applications"
	collDecisions    = "decisions"
)

// applicationDoc keeps the fields that are queried as typed bson; the decision, the input and
// the history are stored as documents converted from the service's JSON shape, so service
// types need no bson tags and no mirror types here.
type applicationDoc struct {
	ID          string    `bson:"_id"`
	Portal      string    `bson:"portal"`
	ApplicantID string    `bson:"applicant_id"`
	Item        string    `bson:"item"`
	Status      string    `bson:"status"`
	SubmittedAt time.Time `bson:"submitted_at"`
	AcceptBy    string    `bson:"accept_by"`
	ResultBy    string    `bson:"result_by"`
	Provisional bool      `bson:"provisional"`
	Due         string    `bson:"due"`
	Grade       string    `bson:"grade,omitempty"`
	Certificate string    `bson:"certificate_id,omitempty"`
	RequestHash string    `bson:"request_hash"`
	History     bson.A    `bson:"history"`
	// Decision and Input are JSON-shaped values (see jsonValues): a document, or JSON text.
	Decision any `bson:"decision"`
	Input    any `bson:"input"`
	// Audit is the submission's audit record, written with the application in one insert;
	// the decisions collection holds its projection (see RecordDecision and Check).
	Audit *decisionDoc `bson:"audit,omitempty"`
}

// fromDoc converts a stored JSON-shaped value back into v: JSON text (a string, see
// jsonValues), or a bson document or array.
func fromDoc(d any, v any) error {
	if text, ok := d.(string); ok {
		return json.Unmarshal([]byte(text), v)
	}
	// Extended JSON marshals documents only, so the value travels wrapped.
	b, err := bson.MarshalExtJSON(bson.D{{Key: "v", Value: d}}, false, false)
	if err != nil {
		return err
	}
	var w struct {
		V json.RawMessage `json:"v"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	return json.Unmarshal(w.V, v)
}

func historyDoc(h service.HistoryEntry) (bson.D, error) { return toDoc(h) }

func submissionDoc(s service.Submission, values jsonValues) (applicationDoc, error) {
	d := applicationDoc{
		ID: s.ID, Portal: s.Portal, ApplicantID: s.ApplicantID, Item: s.Item, Status: string(s.Status),
		SubmittedAt: s.SubmittedAt, AcceptBy: s.AcceptBy, ResultBy: s.ResultBy, Provisional: s.Provisional,
		Due: s.Due, Grade: s.Grade, Certificate: s.Certificate, RequestHash: s.RequestHash, History: bson.A{},
	}
	for _, h := range s.History {
		hd, err := historyDoc(h)
		if err != nil {
			return d, err
		}
		d.History = append(d.History, hd)
	}
	if s.Audit != nil {
		a, err := auditDoc(*s.Audit, values)
		if err != nil {
			return d, err
		}
		d.Audit = &a
	}
	var err error
	if d.Decision, err = values.encode(s.Decision); err != nil {
		return d, err
	}
	d.Input, err = values.encode(s.Input)
	return d, err
}

func (d applicationDoc) toService() (service.Submission, error) {
	s := service.Submission{
		ID: d.ID, Portal: d.Portal, ApplicantID: d.ApplicantID, Item: d.Item, Status: service.Status(d.Status),
		SubmittedAt: d.SubmittedAt.UTC(), AcceptBy: d.AcceptBy, ResultBy: d.ResultBy, Provisional: d.Provisional,
		Due: d.Due, Grade: d.Grade, Certificate: d.Certificate, RequestHash: d.RequestHash,
	}
	if err := fromDoc(d.History, &s.History); err != nil {
		return s, err
	}
	if err := fromDoc(d.Decision, &s.Decision); err != nil {
		return s, err
	}
	if d.Audit != nil {
		a, err := d.Audit.toService()
		if err != nil {
			return s, err
		}
		s.Audit = &a
	}
	err := fromDoc(d.Input, &s.Input)
	return s, err
}

// secondaryIndexes are the indexes the queries use on MongoDB: ListSubmissions, Queue,
// Decisions, the check's lookups by application and the revocation list.
var secondaryIndexes = []struct {
	coll string
	keys bson.D
}{
	{collApplications, bson.D{{Key: "portal", Value: 1}, {Key: "applicant_id", Value: 1}, {Key: "submitted_at", Value: -1}}},
	{collApplications, bson.D{{Key: "status", Value: 1}, {Key: "due", Value: 1}}},
	{collApplications, bson.D{{Key: "item", Value: 1}, {Key: "due", Value: 1}}},
	{collDecisions, bson.D{{Key: "at", Value: -1}}},
	{collDecisions, bson.D{{Key: "application_id", Value: 1}}},
	{collCertificates, bson.D{{Key: "status", Value: 1}}}, // the revocation list
}

// ensureIndexes creates the indexes the queries use. Creating an existing index is a no-op.
// One index per call: FerretDB v1.24 panics on a createIndexes whose list holds several
// indexes that already exist (it deletes from the slice it is ranging over). With
// IDIndexOnly it drops them instead, so a store created by an earlier version stops paying
// for them too.
func (s *Store) ensureIndexes(ctx context.Context) error {
	if s.idIndexOnly {
		return s.dropSecondaryIndexes(ctx)
	}
	for _, ix := range secondaryIndexes {
		if _, err := s.db.Collection(ix.coll).Indexes().CreateOne(ctx, mongo.IndexModel{Keys: ix.keys}); err != nil {
			return err
		}
	}
	return nil
}

// dropSecondaryIndexes drops every index but _id_ on the collections that had secondary
// indexes (see Options.IDIndexOnly). A collection not created yet has none.
func (s *Store) dropSecondaryIndexes(ctx context.Context) error {
	names, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return err
	}
	for _, ix := range secondaryIndexes {
		if !slices.Contains(names, ix.coll) {
			continue
		}
		idx, err := s.indexNames(ctx, ix.coll)
		if err != nil {
			return err
		}
		for _, name := range idx {
			if name == "_id_" {
				continue
			}
			if err := s.db.Collection(ix.coll).Indexes().DropOne(ctx, name); err != nil {
				return fmt.Errorf("drop index %s.%s: %w", ix.coll, name, err)
			}
		}
		names = slices.DeleteFunc(names, func(n string) bool { return n == ix.coll }) // once per collection
	}
	return nil
}

// indexNames lists the names of a collection's indexes.
func (s *Store) indexNames(ctx context.Context, coll string) ([]string, error) {
	specs, err := s.db.Collection(coll).Indexes().ListSpecifications(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(specs))
	for i, sp := range specs {
		out[i] = sp.Name
	}
	return out, nil
}

// InsertSubmission stores a new submission; ErrDuplicate if the id exists. When it carries
// its audit record, the record's projection in the decisions collection is written after it,
// in the same group commit (see service.Applications).
func (s *Store) InsertSubmission(ctx context.Context, sub service.Submission) error {
	d, err := submissionDoc(sub, s.values)
	if err != nil {
		return err
	}
	r := insertReq{application: true}
	if r.doc, err = bson.Marshal(d); err != nil {
		return err
	}
	if d.Audit != nil {
		if r.projection, err = bson.Marshal(d.Audit); err != nil {
			return err
		}
	}
	err = s.inserts.insert(ctx, r)
	if mongo.IsDuplicateKeyError(err) {
		return service.ErrDuplicate
	}
	return err
}

// Submission returns one submission.
func (s *Store) Submission(ctx context.Context, id string) (service.Submission, error) {
	var d applicationDoc
	if err := s.findOne(ctx, collApplications, id, &d); err != nil {
		return service.Submission{}, err
	}
	return d.toService()
}

// Transition is one FindOneAndUpdate filtered on the current status, so of two concurrent
// reviewers exactly one moves the application; FerretDB has no multi-document transactions and
// none are needed.
func (s *Store) Transition(ctx context.Context, id string, from service.Status, c service.Transition) (service.Submission, error) {
	entry, err := historyDoc(c.Entry)
	if err != nil {
		return service.Submission{}, err
	}
	set := bson.D{{Key: "status", Value: string(c.To)}, {Key: "due", Value: c.Due}}
	if c.ResultBy != "" {
		set = append(set, bson.E{Key: "result_by", Value: c.ResultBy}, bson.E{Key: "provisional", Value: c.Provisional})
	}
	if c.Grade != "" {
		set = append(set, bson.E{Key: "grade", Value: c.Grade})
	}
	if c.Certificate != "" {
		set = append(set, bson.E{Key: "certificate_id", Value: c.Certificate})
	}
	var d applicationDoc
	coll := s.db.Collection(collApplications)
	err = s.write(func() error {
		filter, err := s.inStatus(ctx, coll, id, string(from))
		if err != nil {
			return err
		}
		return coll.FindOneAndUpdate(ctx, filter,
			bson.D{{Key: "$set", Value: set}, {Key: "$push", Value: bson.D{{Key: "history", Value: entry}}}},
			options.FindOneAndUpdate().SetReturnDocument(options.After),
		).Decode(&d)
	})
	if errors.Is(err, mongo.ErrNoDocuments) {
		n, cerr := s.db.Collection(collApplications).CountDocuments(ctx, bson.D{{Key: "_id", Value: id}})
		switch {
		case cerr != nil:
			return service.Submission{}, cerr
		case n == 0:
			return service.Submission{}, service.ErrNotFound
		default:
			return service.Submission{}, service.ErrStale
		}
	}
	if err != nil {
		return service.Submission{}, err
	}
	return d.toService()
}

// inStatus is the filter of a conditional update of document id in coll, which must be in
// status (mongo.ErrNoDocuments when it is absent or in another status). Against MongoDB it is
// {_id, status}, atomic by itself. The embedded FerretDB reads by SQL only a filter that is
// exactly {_id: value} (TestEmbeddedPushesDownOnlyID) and scanned, decoding every document,
// the whole collection for {_id, status}, under the write lock that every submission waits
// for; there the status is read by _id first and the update filters on _id alone, which the
// lock (held by the caller, Store.write) makes atomic as well.
func (s *Store) inStatus(ctx context.Context, coll *mongo.Collection, id, status string) (bson.D, error) {
	if s.writes == nil {
		return bson.D{{Key: "_id", Value: id}, {Key: "status", Value: status}}, nil
	}
	var cur struct {
		Status string `bson:"status"`
	}
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}},
		options.FindOne().SetProjection(bson.D{{Key: "status", Value: 1}})).Decode(&cur); err != nil {
		return nil, err
	}
	if cur.Status != status {
		return nil, mongo.ErrNoDocuments
	}
	return bson.D{{Key: "_id", Value: id}}, nil
}

// findAll runs one query and converts each stored document D to its service value T.
func findAll[D interface{ toService() (T, error) }, T any](ctx context.Context, coll *mongo.Collection, filter bson.D, opts *options.FindOptionsBuilder) ([]T, error) {
	cur, err := coll.Find(ctx, filter, opts)
	if err != nil {
		return nil, err
	}
	var docs []D
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	out := make([]T, 0, len(docs))
	for _, d := range docs {
		v, err := d.toService()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *Store) findSubmissions(ctx context.Context, filter bson.D, opts *options.FindOptionsBuilder) ([]service.Submission, error) {
	return findAll[applicationDoc](ctx, s.db.Collection(collApplications), filter, opts)
}

// ListSubmissions lists one applicant's submissions, newest first.
func (s *Store) ListSubmissions(ctx context.Context, f service.ListFilter) ([]service.Submission, error) {
	filter := bson.D{{Key: "applicant_id", Value: f.ApplicantID}}
	if f.Portal != "" {
		filter = append(bson.D{{Key: "portal", Value: f.Portal}}, filter...)
	}
	return s.findSubmissions(ctx, filter, options.Find().
		SetSort(bson.D{{Key: "submitted_at", Value: -1}, {Key: "_id", Value: -1}}).
		SetSkip(int64(f.Offset)).SetLimit(int64(f.Limit)))
}

// Queue lists submissions by status, item and overdue, oldest deadline first.
func (s *Store) Queue(ctx context.Context, f service.QueueFilter) ([]service.Submission, error) {
	filter := bson.D{}
	if f.Status != "" {
		filter = append(filter, bson.E{Key: "status", Value: string(f.Status)})
	} else {
		filter = append(filter, bson.E{Key: "status", Value: bson.D{{Key: "$in", Value: bson.A{string(service.StatusSubmitted), string(service.StatusAccepted)}}}})
	}
	if f.Item != "" {
		filter = append(filter, bson.E{Key: "item", Value: f.Item})
	}
	if f.Overdue {
		filter = append(filter, bson.E{Key: "due", Value: bson.D{{Key: "$gt", Value: ""}, {Key: "$lt", Value: f.Today}}})
	}
	return s.findSubmissions(ctx, filter, options.Find().
		SetSort(bson.D{{Key: "due", Value: 1}, {Key: "submitted_at", Value: 1}, {Key: "_id", Value: 1}}).
		SetLimit(int64(f.Limit)))
}

type decisionDoc struct {
	ID             string    `bson:"_id"`
	At             time.Time `bson:"at"`
	Caller         string    `bson:"caller"`
	Item           string    `bson:"item"`
	Pass           bool      `bson:"pass"`
	Codes          []string  `bson:"codes"`
	PolicyRevision string    `bson:"policy_revision"`
	InputSHA256    string    `bson:"input_sha256"`
	RedactedInput  any       `bson:"redacted_input"` // see jsonValues
	ApplicationID  string    `bson:"application_id,omitempty"`
}

func auditDoc(a service.AuditRecord, values jsonValues) (decisionDoc, error) {
	in, err := values.encode(a.RedactedInput)
	if err != nil {
		return decisionDoc{}, err
	}
	return decisionDoc{
		ID: a.ID, At: a.At, Caller: a.Caller, Item: a.Item, Pass: a.Pass, Codes: a.Codes,
		PolicyRevision: a.PolicyRevision, InputSHA256: a.InputSHA256, RedactedInput: in, ApplicationID: a.ApplicationID,
	}, nil
}

func (d decisionDoc) toService() (service.AuditRecord, error) {
	a := service.AuditRecord{ID: d.ID, At: d.At.UTC(), Caller: d.Caller, Item: d.Item, Pass: d.Pass, Codes: d.Codes,
		PolicyRevision: d.PolicyRevision, InputSHA256: d.InputSHA256, ApplicationID: d.ApplicationID}
	err := fromDoc(d.RedactedInput, &a.RedactedInput)
	return a, err
}

// RecordDecision appends to the audit log. A record whose id is stored already is not written
// again, and that is no error: the idempotent replay and fsck repair rewrite the projection
// of an application's embedded record without knowing whether it was lost.
func (s *Store) RecordDecision(ctx context.Context, a service.AuditRecord) error {
	d, err := auditDoc(a, s.values)
	if err != nil {
		return err
	}
	raw, err := bson.Marshal(d)
	if err != nil {
		return err
	}
	err = s.inserts.insert(ctx, insertReq{doc: raw})
	if mongo.IsDuplicateKeyError(err) {
		return nil
	}
	return err
}

// Decisions returns the audit records, newest first (for tests and tooling).
func (s *Store) Decisions(ctx context.Context, limit int) ([]service.AuditRecord, error) {
	return findAll[decisionDoc](ctx, s.db.Collection(collDecisions), bson.D{}, options.Find().
		SetSort(bson.D{{Key: "at", Value: -1}}).SetLimit(int64(limit)))
}

// EachSubmission calls fn for every stored application, streaming, in the order the store
// keeps them (a caller that needs an order sorts what it keeps), from one goroutine at a time.
// No sort is asked for: FerretDB sorts in memory, after reading every document of the
// collection, and MongoDB would too without an index on the sort key, so a replay of years of
// applications would hold them all before evaluating the first. The documents are decoded on
// every CPU while the cursor reads on (decoding one took as long as the rulebook deciding it),
// and handed to fn in the cursor's order.
func (s *Store) EachSubmission(parent context.Context, fn func(service.Submission) error) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	cur, err := s.db.Collection(collApplications).Find(ctx, bson.D{})
	if err != nil {
		return err
	}
	defer cur.Close(context.WithoutCancel(parent)) // also when fn stopped the walk: the server drops the cursor
	type decoded struct {
		raw  bson.Raw
		sub  service.Submission
		err  error
		done chan struct{}
	}
	workers := runtime.GOMAXPROCS(0)
	order := make(chan *decoded, 4*workers) // in the cursor's order, decoded or not yet
	work := make(chan *decoded, 4*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for d := range work {
				var doc applicationDoc
				if d.err = bson.Unmarshal(d.raw, &doc); d.err == nil {
					d.sub, d.err = doc.toService()
				}
				close(d.done)
			}
		})
	}
	var readErr error
	go func() {
		defer close(order)
		defer close(work)
		for cur.Next(ctx) {
			d := &decoded{raw: slices.Clone(cur.Current), done: make(chan struct{})}
			select {
			case order <- d:
				work <- d
			case <-ctx.Done():
				return
			}
		}
		readErr = cur.Err()
	}()
	defer wg.Wait()
	for d := range order {
		<-d.done
		if d.err == nil {
			d.err = fn(d.sub)
		}
		if d.err != nil {
			cancel()
			for range order { // let the reader see the cancellation and stop
			}
			return d.err
		}
	}
	return readErr
}
