package mongostore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/roadcheck/roadcheck/service"
)

const (
	collMaterials = "materials"
	// Material bytes live in GridFS (material_files.files / .chunks): uploads reach tens of
	// megabytes, beyond what one document may hold.
	bucketMaterials = "material_files"
)

type materialDoc struct {
	ID         string   `bson:"_id"`
	Owner      string   `bson:"owner"`
	Kind       string   `bson:"kind"`
	Format     string   `bson:"format"`
	SizeBytes  int64    `bson:"size_bytes"`
	Width      int      `bson:"width"`
	Height     int      `bson:"height"`
	SHA256     string   `bson:"sha256"`
	Readable   bool     `bson:"readable"`
	Background string   `bson:"background,omitempty"`
	Sharpness  *float64 `bson:"sharpness,omitempty"`
	// Content is what was read from the image (service.Content, stored in its JSON shape): it
	// holds personal data and stays with the upload it was read from. See jsonValues.
	Content   any       `bson:"content,omitempty"`
	CreatedAt time.Time `bson:"created_at"`
}

// PutMaterial stores the bytes first and the record second, so a record never points at bytes
// that are not there; if either write fails, the bytes this call wrote are deleted again, so a
// failed upload leaves no orphan chunk (a crash between the two is for `roadcheck fsck`).
func (s *Store) PutMaterial(ctx context.Context, u service.Upload, data []byte) error {
	return s.write(func() error {
		bucket := s.materialBucket()
		if err := bucket.UploadFromStreamWithID(ctx, u.ID, u.ID, bytes.NewReader(data)); err != nil {
			// The driver removes its chunks only when the source fails; a failed chunk or
			// files write leaves them. They are ours unless a stored file has this id (then
			// the upload failed because the id is taken, and those chunks are that file's).
			s.discardPartialUpload(u.ID)
			return err
		}
		doc, err := materialDocFrom(u, s.values)
		if err != nil {
			s.discardPartialUpload(u.ID)
			return err
		}
		_, err = s.db.Collection(collMaterials).InsertOne(ctx, doc)
		if err != nil {
			// The upload above succeeded under this id, so the file is this call's own.
			if derr := bucket.Delete(context.WithoutCancel(ctx), u.ID); derr != nil {
				return errors.Join(err, fmt.Errorf("mongostore: removing the bytes of the failed upload %s: %w", u.ID, derr))
			}
		}
		return err
	})
}

func materialDocFrom(u service.Upload, values jsonValues) (materialDoc, error) {
	f := u.Facts
	doc := materialDoc{
		ID: u.ID, Owner: u.Owner, Kind: u.Kind, Format: f.Format, SizeBytes: f.SizeBytes, Width: f.Width,
		Height: f.Height, SHA256: f.SHA256, Readable: f.Readable, Background: f.Background,
		Sharpness: f.Sharpness, CreatedAt: u.CreatedAt,
	}
	if f.Content != nil {
		c, err := values.encode(f.Content)
		if err != nil {
			return doc, err
		}
		doc.Content = c
	}
	return doc, nil
}

func (s *Store) materialBucket() *mongo.GridFSBucket {
	return s.db.GridFSBucket(options.GridFSBucket().SetName(bucketMaterials))
}

// discardPartialUpload deletes the chunks of an upload that stored no files document.
func (s *Store) discardPartialUpload(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n, err := s.db.Collection(bucketMaterials+".files").CountDocuments(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil || n > 0 {
		return
	}
	_, _ = s.db.Collection(bucketMaterials+".chunks").DeleteMany(ctx, bson.D{{Key: "files_id", Value: id}})
}

// Material returns an upload's record.
func (s *Store) Material(ctx context.Context, id string) (service.Upload, error) {
	var d materialDoc
	if err := s.findOne(ctx, collMaterials, id, &d); err != nil {
		return service.Upload{}, err
	}
	return d.toService()
}

func (d materialDoc) toService() (service.Upload, error) {
	u := service.Upload{
		ID: d.ID, Owner: d.Owner, Kind: d.Kind, CreatedAt: d.CreatedAt,
		Facts: service.MaterialFacts{
			Format: d.Format, SizeBytes: d.SizeBytes, Width: d.Width, Height: d.Height, SHA256: d.SHA256,
			Readable: d.Readable, Background: d.Background, Sharpness: d.Sharpness,
		},
	}
	if d.Content != nil {
		var c service.Content
		if err := fromDoc(d.Content, &c); err != nil {
			return service.Upload{}, fmt.Errorf("mongostore: material %s: content: %w", d.ID, err)
		}
		u.Facts.Content = &c
	}
	return u, nil
}

// MaterialBytes returns the stored bytes of an upload.
func (s *Store) MaterialBytes(ctx context.Context, id string) ([]byte, error) {
	bucket := s.materialBucket()
	var buf bytes.Buffer
	if _, err := bucket.DownloadToStream(ctx, id, &buf); err != nil {
		if err == mongo.ErrFileNotFound {
			return nil, service.ErrNotFound
		}
		return nil, err
	}
	return buf.Bytes(), nil
}
