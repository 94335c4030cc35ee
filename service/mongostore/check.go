package mongostore

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/roadcheck/roadcheck/service"
)

// CheckOptions tune Check.
type CheckOptions struct {
	// Repair fixes what can be fixed safely: it writes a missing decision record from the
	// audit record embedded in its application, and deletes material bytes no record names
	// (GridFS chunks without a file, files without a material record).
	Repair bool
	// Grace spares bytes younger than this from repair: an upload in flight writes its chunks,
	// then its file, then its record. Zero when no process writes (the embedded store is
	// locked by the checking process); minutes against a live MongoDB.
	Grace time.Duration
	// Now is the clock of Grace; nil is time.Now.
	Now func() time.Time
}

// CheckReport is what Check found (and, with Repair, fixed). Lists hold ids.
type CheckReport struct {
	Applications int `json:"applications"`
	Decisions    int `json:"decisions"`
	Certificates int `json:"certificates"`
	Materials    int `json:"materials"`
	// ApplicationsWithoutDecision: no decision record names the application.
	ApplicationsWithoutDecision []string `json:"applications_without_decision"`
	// DecisionsWithoutApplication: the record names an application that is not stored.
	DecisionsWithoutApplication []string `json:"decisions_without_application"`
	// CertificatesWithoutApproval: the certificate's application is missing, not approved,
	// or names another certificate.
	CertificatesWithoutApproval []string `json:"certificates_without_approved_application"`
	// OrphanChunks: GridFS chunks whose file is not stored, by the file id they name.
	OrphanChunks map[string]int `json:"orphan_chunks"`
	// FilesWithoutMaterial: material bytes no material record names.
	FilesWithoutMaterial []string `json:"files_without_material"`
	// MaterialsWithoutFile: a material record whose bytes are not stored.
	MaterialsWithoutFile []string `json:"materials_without_file"`
	// Repaired lists what Repair fixed; Unrepaired what it found and left, with why.
	Repaired   Repairs  `json:"repaired"`
	Unrepaired []string `json:"unrepaired"`
	// Consistent is true when nothing is left to fix (after repair, if asked).
	Consistent bool `json:"consistent"`
}

// Repairs is what a repair wrote or deleted.
type Repairs struct {
	Decisions    []string `json:"decisions_written"`
	ChunkFiles   []string `json:"orphan_chunks_deleted"`
	Chunks       int      `json:"chunks_deleted"`
	UnnamedFiles []string `json:"files_deleted"`
}

// Check reads the whole store for the inconsistencies a crash between two writes can leave,
// or a bug: it is for `roadcheck fsck`, not the request path.
func (s *Store) Check(ctx context.Context, o CheckOptions) (CheckReport, error) {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	r := CheckReport{OrphanChunks: map[string]int{}, ApplicationsWithoutDecision: []string{},
		DecisionsWithoutApplication: []string{}, CertificatesWithoutApproval: []string{}, FilesWithoutMaterial: []string{},
		MaterialsWithoutFile: []string{}, Unrepaired: []string{},
		Repaired: Repairs{Decisions: []string{}, ChunkFiles: []string{}, UnnamedFiles: []string{}}}

	// Decisions, by the application they name.
	decided := map[string]bool{}
	var decs []struct {
		ID            string `bson:"_id"`
		ApplicationID string `bson:"application_id"`
	}
	if err := s.all(ctx, collDecisions, bson.D{{Key: "application_id", Value: 1}}, &decs); err != nil {
		return r, fmt.Errorf("decisions: %w", err)
	}
	r.Decisions = len(decs)
	for _, d := range decs {
		if d.ApplicationID != "" {
			decided[d.ApplicationID] = true
		}
	}

	// Applications, streamed (they carry their input and audit record).
	type appState struct {
		status, certificate string
	}
	apps := map[string]appState{}
	cur, err := s.db.Collection(collApplications).Find(ctx, bson.D{}, options.Find().
		SetProjection(bson.D{{Key: "status", Value: 1}, {Key: "certificate_id", Value: 1}, {Key: "audit", Value: 1}}))
	if err != nil {
		return r, fmt.Errorf("applications: %w", err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var d struct {
			ID          string       `bson:"_id"`
			Status      string       `bson:"status"`
			Certificate string       `bson:"certificate_id"`
			Audit       *decisionDoc `bson:"audit"`
		}
		if err := cur.Decode(&d); err != nil {
			return r, fmt.Errorf("applications: %w", err)
		}
		r.Applications++
		apps[d.ID] = appState{d.Status, d.Certificate}
		if decided[d.ID] {
			continue
		}
		r.ApplicationsWithoutDecision = append(r.ApplicationsWithoutDecision, d.ID)
		switch {
		case !o.Repair:
		case d.Audit == nil:
			r.Unrepaired = append(r.Unrepaired, "application "+d.ID+": no decision record, and none embedded (stored before audit records were embedded)")
		default:
			a, err := d.Audit.toService()
			if err == nil {
				err = s.RecordDecision(ctx, a)
			}
			if err != nil {
				return r, fmt.Errorf("repair decision of %s: %w", d.ID, err)
			}
			r.Repaired.Decisions = append(r.Repaired.Decisions, d.ID)
		}
	}
	if err := cur.Err(); err != nil {
		return r, fmt.Errorf("applications: %w", err)
	}
	for _, d := range decs {
		if d.ApplicationID != "" {
			if _, ok := apps[d.ApplicationID]; !ok {
				r.DecisionsWithoutApplication = append(r.DecisionsWithoutApplication, d.ID)
				r.Unrepaired = append(r.Unrepaired, "decision "+d.ID+": names application "+d.ApplicationID+", which is not stored (the audit log is not edited)")
			}
		}
	}

	// Certificates.
	var cs []struct {
		ID            string `bson:"_id"`
		ApplicationID string `bson:"application_id"`
	}
	if err := s.all(ctx, collCertificates, bson.D{{Key: "application_id", Value: 1}}, &cs); err != nil {
		return r, fmt.Errorf("certificates: %w", err)
	}
	r.Certificates = len(cs)
	for _, c := range cs {
		a, ok := apps[c.ApplicationID]
		if ok && a.status == string(service.StatusApproved) && a.certificate == c.ID {
			continue
		}
		r.CertificatesWithoutApproval = append(r.CertificatesWithoutApproval, c.ID)
		r.Unrepaired = append(r.Unrepaired, "certificate "+c.ID+": application "+c.ApplicationID+" is not approved with it (revoke it if it was handed out)")
	}

	// Materials: records, GridFS files, chunks.
	var ms []struct {
		ID string `bson:"_id"`
	}
	if err := s.all(ctx, collMaterials, bson.D{{Key: "_id", Value: 1}}, &ms); err != nil {
		return r, fmt.Errorf("materials: %w", err)
	}
	r.Materials = len(ms)
	recorded := map[string]bool{}
	for _, m := range ms {
		recorded[m.ID] = true
	}
	var files []struct {
		ID         any       `bson:"_id"`
		UploadDate time.Time `bson:"uploadDate"`
	}
	if err := s.all(ctx, bucketMaterials+".files", bson.D{{Key: "uploadDate", Value: 1}}, &files); err != nil {
		return r, fmt.Errorf("material files: %w", err)
	}
	stored := map[string]bool{}
	for _, f := range files {
		id := fmt.Sprint(f.ID)
		stored[id] = true
		if recorded[id] {
			continue
		}
		r.FilesWithoutMaterial = append(r.FilesWithoutMaterial, id)
		switch {
		case !o.Repair:
		case now().Sub(f.UploadDate) < o.Grace:
			r.Unrepaired = append(r.Unrepaired, "material file "+id+": no record yet, uploaded "+f.UploadDate.UTC().Format(time.RFC3339)+" (within the grace period)")
		default:
			if err := s.write(func() error { return s.materialBucket().Delete(ctx, f.ID) }); err != nil && !errors.Is(err, mongo.ErrFileNotFound) {
				return r, fmt.Errorf("repair: delete material file %s: %w", id, err)
			}
			r.Repaired.UnnamedFiles = append(r.Repaired.UnnamedFiles, id)
		}
	}
	for _, m := range ms {
		if !stored[m.ID] {
			r.MaterialsWithoutFile = append(r.MaterialsWithoutFile, m.ID)
			r.Unrepaired = append(r.Unrepaired, "material "+m.ID+": its bytes are not stored")
		}
	}
	var chunks []struct {
		ID      bson.ObjectID `bson:"_id"`
		FilesID any           `bson:"files_id"`
	}
	if err := s.all(ctx, bucketMaterials+".chunks", bson.D{{Key: "files_id", Value: 1}}, &chunks); err != nil {
		return r, fmt.Errorf("material chunks: %w", err)
	}
	young := map[string]bool{}
	orphanIDs := map[string]any{}
	for _, c := range chunks {
		id := fmt.Sprint(c.FilesID)
		if stored[id] {
			continue
		}
		r.OrphanChunks[id]++
		orphanIDs[id] = c.FilesID
		if now().Sub(c.ID.Timestamp()) < o.Grace {
			young[id] = true
		}
	}
	if o.Repair {
		for _, id := range sortedKeys(orphanIDs) {
			if young[id] {
				r.Unrepaired = append(r.Unrepaired, "chunks of "+id+": no file yet, written within the grace period")
				continue
			}
			var res *mongo.DeleteResult
			err := s.write(func() (err error) {
				res, err = s.db.Collection(bucketMaterials+".chunks").DeleteMany(ctx, bson.D{{Key: "files_id", Value: orphanIDs[id]}})
				return err
			})
			if err != nil {
				return r, fmt.Errorf("repair: delete chunks of %s: %w", id, err)
			}
			r.Repaired.ChunkFiles = append(r.Repaired.ChunkFiles, id)
			r.Repaired.Chunks += int(res.DeletedCount)
		}
	}

	found := len(r.ApplicationsWithoutDecision) + len(r.DecisionsWithoutApplication) + len(r.CertificatesWithoutApproval) +
		len(r.OrphanChunks) + len(r.FilesWithoutMaterial) + len(r.MaterialsWithoutFile)
	fixed := len(r.Repaired.Decisions) + len(r.Repaired.ChunkFiles) + len(r.Repaired.UnnamedFiles)
	r.Consistent = found == fixed
	return r, nil
}

// all reads every document of coll with the projection into out.
func (s *Store) all(ctx context.Context, coll string, projection bson.D, out any) error {
	cur, err := s.db.Collection(coll).Find(ctx, bson.D{}, options.Find().SetProjection(projection))
	if err != nil {
		return err
	}
	return cur.All(ctx, out)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
