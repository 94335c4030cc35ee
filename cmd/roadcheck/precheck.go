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
func precheck(ctx context.Context, p proc, args []string) error {
	f := newFlags("precheck", p)
	dir := f.String("policies", "", "policy directory; empty uses the built-in rulebook")
	f.withEnv("policies")
	tested := f.Bool("test-policies", false, "run the --policies directory's opa tests first, as serve does (most of the time taken)")
	ev := evalFlag(f)
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() != 1 {
		return usageErr("precheck: want one FILE.json (or - for stdin), got %d arguments", f.NArg())
	}
	in := p.stdin
	if name := f.Arg(0); name != "-" {
		file, err := os.Open(name)
		if err != nil {
			return usageErr("precheck: %w", err)
		}
		defer file.Close()
		in = file
	}
	raw, err := transport.ReadLimited(in, transport.DefaultMaxBodyBytes)
	if err != nil {
		transport.WriteError(p.stdout, err)
		return exitErr(2, errSilent)
	}
	rules, err := loadRules(ctx, *dir, *tested, *ev)
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
			transport.WriteError(p.stdout, e)
			return exitErr(2, errSilent)
		}
		return err
	}
	if err := printJSON(p.stdout, d); err != nil {
		return err
	}
	if !d.Pass {
		return exitErr(1, errSilent)
	}
	return nil
}

// printJSON writes v indented, with Chinese and <> as they are.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}
