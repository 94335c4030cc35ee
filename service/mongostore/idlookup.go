package mongostore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"

	"go.mongodb.org/mongo-driver/v2/mongo"
	_ "modernc.org/sqlite" // FerretDB's own SQLite driver, registered as "sqlite"
)

// FerretDB v1.24's SQLite backend finds a document by _id with the SQL expression
// _ferretdb_sjson->'$._id' (its metadata.IDColumn), in every query pushed down, every update
// and every delete, but builds its unique _id index on _ferretdb_sjson->"_id". SQLite uses an
// index on an expression only for the same expression, so each of those statements scanned
// the table and parsed every stored document: an update of one application among 2,000 took
// 80 ms, and a submission with an Idempotency-Key looked its id up through the whole table
// (TestEmbeddedFindsByIndex, BenchmarkTransitionAmong2000). The embedded store therefore adds,
// next to FerretDB's index (which stays, for uniqueness), one on FerretDB's lookup expression
// to each collection's table. FerretDB does not know it: it keeps no list of SQLite indexes
// (listIndexes reads its own metadata), and dropping a collection drops its table with it.
const (
	idLookupExpr   = `_ferretdb_sjson->'$._id'`
	idLookupSuffix = "_roadcheck_id_lookup"
)

// storeCollections are every collection the store uses, created up front so that each has its
// table, and so its lookup index, before the first write.
func storeCollections() []string {
	return []string{
		collApplications, collDecisions, collCertificates, collMaterials, collQualifications, collVehicles,
		bucketMaterials + ".files", bucketMaterials + ".chunks",
	}
}

// ensureIDLookupIndexes creates the store's collections in database and an index on
// idLookupExpr for each table of database's SQLite file, which FerretDB keeps under dir.
func (s *Store) ensureIDLookupIndexes(ctx context.Context, dir, database string) error {
	for _, name := range storeCollections() {
		var ce mongo.CommandError
		if err := s.db.CreateCollection(ctx, name); err != nil && !(errors.As(err, &ce) && ce.Code == 48) { // NamespaceExists
			return fmt.Errorf("create collection %s: %w", name, err)
		}
	}
	db, err := sql.Open("sqlite", sqliteFile(dir, database))
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM _ferretdb_collections`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, t := range tables {
		stmt := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (%s)`, t+idLookupSuffix, t, idLookupExpr)
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("index %s: %w", t, err)
		}
	}
	return nil
}

// sqliteFile is the SQLite data source of the database FerretDB keeps under dir, for a
// connection beside FerretDB's (waiting for its writes rather than failing).
func sqliteFile(dir, database string) string {
	q := url.Values{"_pragma": {"busy_timeout(10000)"}}
	return "file:" + filepath.Join(dir, database+".sqlite") + "?" + q.Encode()
}
