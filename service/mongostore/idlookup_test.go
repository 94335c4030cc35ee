package mongostore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/service"
)

// TestEmbeddedFindsByIndex: on the embedded store every collection's table has the lookup
// index, and SQLite answers FerretDB's lookup, update and delete by _id (the statements of its
// v1.24 SQLite backend, with its expression) from it instead of scanning the table; FerretDB's
// own _id index alone does not serve them. A store opened again keeps one lookup index a table.
func TestEmbeddedFindsByIndex(t *testing.T) {
	dir := t.TempDir()
	emb := startEmbedded(t, dir, nil)
	ctx := context.Background()
	for range 2 {
		s, err := emb.Open(ctx, "lookup")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.InsertSubmission(ctx, sampleSubmission("a_lookup", time.Now().UTC())); err != nil && !errors.Is(err, service.ErrDuplicate) {
			t.Fatal(err)
		}
		if err := s.Close(ctx); err != nil {
			t.Fatal(err)
		}
	}
	db, err := sql.Open("sqlite", sqliteFile(dir, "lookup"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables := map[string]string{} // collection → table
	rows, err := db.Query(`SELECT name, table_name FROM _ferretdb_collections`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name, table string
		if err := rows.Scan(&name, &table); err != nil {
			t.Fatal(err)
		}
		tables[name] = table
	}
	rows.Close()
	for _, c := range storeCollections() {
		table, ok := tables[c]
		if !ok {
			t.Errorf("collection %s has no table", c)
			continue
		}
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name = ?`,
			table, table+idLookupSuffix).Scan(&n); err != nil || n != 1 {
			t.Errorf("%s: %d lookup indexes (%v), want 1", c, n, err)
		}
		for _, stmt := range []string{
			fmt.Sprintf(`SELECT _ferretdb_sjson FROM %q WHERE %s = ?`, table, idLookupExpr),
			fmt.Sprintf(`UPDATE %q SET _ferretdb_sjson = ? WHERE %s = ?`, table, idLookupExpr),
			fmt.Sprintf(`DELETE FROM %q WHERE %s = ?`, table, idLookupExpr),
		} {
			plan := queryPlan(t, db, stmt)
			if !slices.ContainsFunc(plan, func(step string) bool { return strings.Contains(step, "USING INDEX "+table+idLookupSuffix) }) {
				t.Errorf("%s: %s\nplan %q, want the lookup index", c, stmt, plan)
			}
		}
	}
	// Without it the lookup scans: what the index is for.
	app := tables[collApplications]
	if _, err := db.Exec(fmt.Sprintf(`DROP INDEX %q`, app+idLookupSuffix)); err != nil {
		t.Fatal(err)
	}
	if plan := queryPlan(t, db, fmt.Sprintf(`SELECT _ferretdb_sjson FROM %q WHERE %s = ?`, app, idLookupExpr)); !slices.ContainsFunc(plan, func(step string) bool { return strings.HasPrefix(step, "SCAN") }) {
		t.Errorf("without the lookup index: plan %q, want a scan (FerretDB's own index now serves lookups: idlookup.go is no longer needed)", plan)
	}
}

// queryPlan is SQLite's EXPLAIN QUERY PLAN of stmt, one string a step.
func queryPlan(t *testing.T, db *sql.DB, stmt string) []string {
	t.Helper()
	args := make([]any, strings.Count(stmt, "?"))
	for i := range args {
		args[i] = "x"
	}
	rows, err := db.Query("EXPLAIN QUERY PLAN "+stmt, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return plan
}
