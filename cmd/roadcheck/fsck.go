package main

import (
	"context"
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
func fsck(ctx context.Context, p proc, args []string) error {
	f := newFlags("fsck", p)
	f.Usage = func() {
		fmt.Fprintf(f.Output(), "usage: %s\n\n"+
			"Checks the store for applications without their decision record, decision records naming\n"+
			"no application, certificates without an approved application, and material bytes no record\n"+
			"names (orphan GridFS chunks and files). --repair writes a missing decision record from the\n"+
			"audit record embedded in its application and deletes unnamed bytes (against --mongo-uri only\n"+
			"those older than %s); the rest is reported. Exit 0 consistent, 1 not, 2 bad use.\n\nflags:\n",
			fsckUsage, liveGrace)
		f.PrintDefaults()
	}
	var sc storeConfig
	storeFlags(f, &sc, "data directory of the embedded store; the service must be stopped")
	asJSON := f.Bool("json", false, "print the report as JSON")
	repair := f.Bool("repair", false, "fix what can be fixed safely, report the rest")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 || (f.onCommandLine("data") && sc.mongoURI != "") {
		return usageErr("fsck: usage: %s", fsckUsage)
	}
	opts := mongostore.CheckOptions{Repair: *repair}
	if sc.mongoURI != "" {
		opts.Grace = liveGrace
	}
	// The embedded store locks its directory: nothing else writes while fsck runs.
	store, closeStore, err := openStore(ctx, "fsck", sc, storeOptions{busyHint: "stop the service first"})
	if err != nil {
		return err
	}
	defer closeStore()

	rep, err := store.Check(ctx, opts)
	if err != nil {
		return exitErr(2, fmt.Errorf("fsck: %w", err))
	}
	if *asJSON {
		err = printJSON(p.stdout, rep)
	} else {
		printFsck(p.stdout, rep)
	}
	if err == nil && !rep.Consistent {
		return exitErr(1, errSilent)
	}
	return err
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
