package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/roadcheck/roadcheck/service"
	"github.com/roadcheck/roadcheck/transport"
)

// precheck evaluates one document and prints the decision: exit 0 pass, 1 fail, 2 bad input
// (with the API's error envelope on stdout).
func precheck(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("precheck", stdout)
	dir := fs.String("policies", getenv("ROADCHECK_POLICIES"), "policy directory; empty uses the built-in rulebook (env ROADCHECK_POLICIES)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return exitErr(2, fmt.Errorf("precheck: want one FILE.json (or - for stdin), got %d arguments", fs.NArg()))
	}
	var in io.Reader = os.Stdin
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return exitErr(2, fmt.Errorf("precheck: %w", err))
		}
		defer f.Close()
		in = f
	}
	raw, err := transport.ReadLimited(in, transport.DefaultMaxBodyBytes)
	if err != nil {
		transport.WriteError(stdout, err)
		return exitErr(2, errSilent)
	}
	book, err := loadPolicies(ctx, *dir)
	if err != nil {
		return err
	}
	rules, err := service.NewRules(book)
	if err != nil {
		return err
	}
	svc, err := service.New(service.Config{Rules: rules, Store: service.Offline{}})
	if err != nil {
		return err
	}
	app, err := svc.ParseApplication(ctx, raw)
	var d service.Decision
	if err == nil {
		d, err = svc.Precheck(ctx, app)
	}
	if err != nil {
		if e := service.AsError(err); e.Kind == service.KindInvalid {
			transport.WriteError(stdout, e)
			return exitErr(2, errSilent)
		}
		return err
	}
	return printDecision(stdout, d)
}

func printDecision(stdout io.Writer, d service.Decision) error {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return err
	}
	if !d.Pass {
		return exitErr(1, errSilent)
	}
	return nil
}
