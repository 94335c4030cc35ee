package main

import (
	"errors"
	"flag"
	"strings"
)

// flagSet is one command's flags: the standard library's, plus an environment fallback for
// the flags declared with one. The variable is ROADCHECK_ and the flag's name in upper snake
// case (--ocr-dir: ROADCHECK_OCR_DIR); it applies after the command line, so a flag given
// there wins, and a bad value in it is the same usage error as on the command line.
type flagSet struct {
	*flag.FlagSet
	getenv func(string) string
	env    []string
	given  map[string]bool
}

// newFlags reports errors and help on stderr instead of exiting the process.
func newFlags(name string, p proc) *flagSet {
	fs := flag.NewFlagSet("roadcheck "+name, flag.ContinueOnError)
	fs.SetOutput(p.stderr)
	return &flagSet{FlagSet: fs, getenv: p.getenv}
}

func envName(flagName string) string {
	return "ROADCHECK_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// withEnv gives the named (already declared) flags their environment fallback and says so in
// their usage line.
func (f *flagSet) withEnv(names ...string) {
	for _, n := range names {
		fl := f.Lookup(n)
		if fl == nil {
			panic("withEnv: no flag " + n) // a programming error, caught by any test of the command
		}
		fl.Usage += " (env " + envName(n) + ")"
		f.env = append(f.env, n)
	}
}

// parse reads the command line, then the environment for the flags it did not set.
func (f *flagSet) parse(args []string) error {
	if err := f.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitErr(0, errSilent)
		}
		return exitErr(2, errSilent) // the flag package printed the problem and the usage
	}
	f.given = map[string]bool{}
	f.Visit(func(fl *flag.Flag) { f.given[fl.Name] = true })
	for _, n := range f.env {
		v := f.getenv(envName(n))
		if f.given[n] || v == "" {
			continue
		}
		if err := f.Set(n, v); err != nil {
			return usageErr("%s=%q: %v", envName(n), v, err)
		}
	}
	return nil
}

// onCommandLine reports whether the flag was given as an argument (not by the environment).
func (f *flagSet) onCommandLine(name string) bool { return f.given[name] }

// noArgs refuses positional arguments for commands that take none.
func (f *flagSet) noArgs() error {
	if f.NArg() > 0 {
		return usageErr("%s: unexpected argument %q", strings.TrimPrefix(f.Name(), "roadcheck "), f.Arg(0))
	}
	return nil
}
