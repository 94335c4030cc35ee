// Command roadcheck pre-checks road-transport applications against the rulebook, serves the
// API, and verifies certificates. `roadcheck help` lists the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args, os.Getenv, os.Stdout)
	stop()
	if err != nil && !errors.Is(err, errSilent) {
		fmt.Fprintln(os.Stderr, "roadcheck:", err)
	}
	os.Exit(exitCode(err))
}

const usage = `usage: roadcheck <command> [flags]

commands:
  serve      run the HTTP service (embedded store under --data unless --mongo-uri is given)
  precheck   evaluate one application document offline: roadcheck precheck [--policies DIR] FILE.json|-
  replay     re-evaluate stored applications with a candidate rulebook:
             roadcheck replay --policies DIR [--data DIR | --mongo-uri URI] [--json]
  fsck       check the store's consistency, --repair what is safe:
             roadcheck fsck [--data DIR | --mongo-uri URI] [--json] [--repair]
  verify     check a certificate offline: roadcheck verify [--trust FILE] [--revocations FILE] IMAGE_OR_PDF | --payload STRING
  keys       signing keys: roadcheck keys new|rotate|trustlist [--keys DIR | --data DIR]
  help       show this text
  version    the module version and VCS revision (also --version)

Run 'roadcheck <command> -h' for the flags of a command.
`

// run is main without the process: arguments, environment and output come in, so tests can
// drive it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) < 2 {
		fmt.Fprint(stdout, usage)
		return exitErr(2, errSilent)
	}
	cmd, rest := args[1], args[2:]
	switch cmd {
	case "serve":
		return serve(ctx, rest, getenv, stdout)
	case "precheck":
		return precheck(ctx, rest, getenv, stdout)
	case "replay":
		return replay(ctx, rest, getenv, stdout)
	case "fsck":
		return fsck(ctx, rest, getenv, stdout)
	case "keys":
		return keys(ctx, rest, getenv, stdout)
	case "verify":
		return verifyCmd(ctx, rest, getenv, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, versionLine(debug.ReadBuildInfo()))
		return nil
	default:
		fmt.Fprint(stdout, usage)
		return exitErr(2, fmt.Errorf("unknown command %q", cmd))
	}
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

// envInt is an integer flag's default from the environment; a value that is not an integer is
// a usage error, not silently the default.
func envInt(getenv func(string) string, key string, def int) (int, error) {
	v := getenv(key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, exitErr(2, fmt.Errorf("%s=%q: not an integer", key, v))
	}
	return n, nil
}

// envDefault returns the environment variable's value, or def when it is unset or empty.
func envDefault(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// newFlagSet makes a flag set that reports errors instead of exiting the process.
func newFlagSet(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("roadcheck "+name, flag.ContinueOnError)
	fs.SetOutput(out)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitErr(0, errSilent)
		}
		return exitErr(2, errSilent)
	}
	return nil
}
