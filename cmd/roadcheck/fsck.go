package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/roadcheck/roadcheck/service/mongostore"
)

const fsckUsage = "roadcheck fsck [--data DIR | --mongo-uri URI] [--database NAME] [--json] [--repair]"

// liveGrace spares material bytes younger than this from repair against a MongoDB that a
// running service may be writing to (an upload writes chunks, file, then record).
const liveGrace = 10 * time.Minute

// fsck checks the store's consistency: exit 0 consistent (after repair, with --repair), 1 not,
// 2 bad use or a store that cannot be read.
func fsck(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("fsck", stdout)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s\n\n"+
			"Checks the store for applications without their decision record, decision records naming\n"+
			"no application, certificates without an approved application, and material bytes no record\n"+
			"names (orphan GridFS chunks and files). --repair writes a missing decision record from the\n"+
			"audit record embedded in its application and deletes unnamed bytes (against --mongo-uri only\n"+
			"those older than %s); the rest is reported. Exit 0 consistent, 1 not, 2 bad use.\n\nflags:\n",
			fsckUsage, liveGrace)
		fs.PrintDefaults()
	}
	data := fs.String("data", envDefault(getenv, "ROADCHECK_DATA", "./data"), "data directory of the embedded store (env ROADCHECK_DATA); the service must be stopped")
	uri := fs.String("mongo-uri", getenv("ROADCHECK_MONGO_URI"), "MongoDB connection string instead of the embedded store (env ROADCHECK_MONGO_URI)")
	database := fs.String("database", envDefault(getenv, "ROADCHECK_DATABASE", "roadcheck"), "database name (env ROADCHECK_DATABASE)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	repair := fs.Bool("repair", false, "fix what can be fixed safely, report the rest")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	dataSet := false
	fs.Visit(func(f *flag.Flag) { dataSet = dataSet || f.Name == "data" })
	if fs.NArg() > 0 || (dataSet && *uri != "") {
		return exitErr(2, errors.New("fsck: usage: "+fsckUsage))
	}

	opts := mongostore.CheckOptions{Repair: *repair}
	if *uri != "" {
		opts.Grace = liveGrace
	}
	// The embedded store locks its directory: nothing else writes while fsck runs.
	store, closeStore, err := openToolStore(ctx, "fsck", *data, *uri, *database, "stop the service first")
	if err != nil {
		return err
	}
	defer closeStore()

	rep, err := store.Check(ctx, opts)
	if err != nil {
		return exitErr(2, fmt.Errorf("fsck: %w", err))
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printFsck(stdout, rep)
	}
	if !rep.Consistent {
		return exitErr(1, errSilent)
	}
	return nil
}

func printFsck(w io.Writer, r mongostore.CheckReport) {
	fmt.Fprintf(w, "%d applications, %d decisions, %d certificates, %d materials\n",
		r.Applications, r.Decisions, r.Certificates, r.Materials)
	list := func(what string, ids []string) {
		if len(ids) > 0 {
			fmt.Fprintf(w, "%d %s: %s\n", len(ids), what, strings.Join(ids, " "))
		}
	}
	list("applications without their decision record", r.ApplicationsWithoutDecision)
	list("decision records naming no stored application", r.DecisionsWithoutApplication)
	list("certificates without an approved application", r.CertificatesWithoutApproval)
	if len(r.OrphanChunks) > 0 {
		parts := make([]string, 0, len(r.OrphanChunks))
		for id, n := range r.OrphanChunks {
			parts = append(parts, fmt.Sprintf("%s (%d)", id, n))
		}
		list("files' orphan chunks", parts)
	}
	list("material files no record names", r.FilesWithoutMaterial)
	list("material records without their bytes", r.MaterialsWithoutFile)
	list("decision records written", r.Repaired.Decisions)
	list("orphan chunk sets deleted", r.Repaired.ChunkFiles)
	list("unnamed material files deleted", r.Repaired.UnnamedFiles)
	for _, u := range r.Unrepaired {
		fmt.Fprintf(w, "not repaired: %s\n", u)
	}
	if r.Consistent {
		fmt.Fprintln(w, "consistent")
	} else {
		fmt.Fprintln(w, "NOT consistent")
	}
}
