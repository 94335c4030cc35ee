// Command roadcheck pre-checks road-transport applications against the rulebook, serves the
// API, and verifies certificates. `roadcheck help` lists the commands.
//
// The package is wiring only: each command parses its flags (flags.go), opens what it needs
// (the store in store.go, the rulebook in policy.go) and hands over to the service, transport,
// certs or verify packages, where the behaviour lives.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, errSilent) {
		fmt.Fprintln(os.Stderr, "roadcheck:", err)
	}
	os.Exit(exitCode(err))
}

// proc is what a command gets from its process: the environment and the standard streams.
// Output meant for a pipe (decisions, reports, trust lists) goes to stdout; logs, usage and
// errors to stderr.
type proc struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one subcommand: its name, a line for the usage text, and what it runs.
type command struct {
	name, synopsis string
	run            func(ctx context.Context, p proc, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the HTTP service (embedded store under --data unless --mongo-uri is given)", serve},
		{"precheck", "evaluate one application document offline: roadcheck precheck [--policies DIR] FILE.json|-", precheck},
		{"replay", "re-evaluate stored applications with a candidate rulebook: roadcheck replay --policies DIR", replay},
		{"fsck", "check the store's consistency, --repair what is safe", fsck},
		{"verify", "check a certificate offline: roadcheck verify [--trust FILE] [--revocations FILE] IMAGE_OR_PDF", verifyCmd},
		{"keys", "signing keys: roadcheck keys new|rotate|trustlist", keys},
		{"version", "the module version and VCS revision (also --version)", version},
		{"help", "show this text", nil},
	}
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("usage: roadcheck <command> [flags]\n\ncommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-9s  %s\n", c.name, c.synopsis)
	}
	b.WriteString("\nRun 'roadcheck <command> -h' for the flags of a command. Every flag marked (env …) can\nalso be set by that environment variable; a flag on the command line wins.\n")
	fmt.Fprint(w, b.String())
}

// run is main without the process: arguments, environment and streams come in, so tests can
// drive every command in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	p := proc{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) < 2 {
		usage(stderr)
		return exitErr(2, errSilent)
	}
	name, rest := args[1], args[2:]
	switch name {
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return nil
	case "--version", "-version":
		name = "version"
	}
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			return c.run(ctx, p, rest)
		}
	}
	usage(stderr)
	return exitErr(2, fmt.Errorf("unknown command %q", name))
}

func version(_ context.Context, p proc, args []string) error {
	if err := newFlags("version", p).parse(args); err != nil {
		return err
	}
	fmt.Fprintln(p.stdout, versionLine(debug.ReadBuildInfo()))
	return nil
}

// versionLine names the build: module version, VCS revision and time (with "+dirty" for a
// modified tree), and the Go version, from what the Go toolchain embedded in the binary.
func versionLine(bi *debug.BuildInfo, ok bool) string {
	if !ok {
		return "roadcheck (no build information)"
	}
	version := bi.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var rev, at, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	line := "roadcheck " + version
	if rev != "" {
		line += " " + rev + dirty
		if at != "" {
			line += " " + at
		}
	}
	return line + " " + bi.GoVersion
}

// errSilent marks an error whose explanation was already printed.
var errSilent = errors.New("")

type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func exitErr(code int, err error) error { return &exitError{code: code, err: err} }

// usageErr is a command used wrongly: exit status 2.
func usageErr(format string, a ...any) error { return exitErr(2, fmt.Errorf(format, a...)) }

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	return 1
}
