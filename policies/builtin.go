package policies

import (
	"embed"
	"io/fs"
)

// builtin is the rulebook compiled into the binary, so a bare machine needs no policy files.
// The pattern takes every file of the policy directory that isPolicyFile admits (its .rego
// and .json files, tests included), so the built-in rulebook and `--policies policies` hash the
// same files and report the same revision (TestBuiltinRevisionIsTheDirectorys).
//
//go:embed *.rego lib items rules data
var builtin embed.FS

// Builtin returns the built-in rulebook as a file system rooted at the policy directory.
func Builtin() fs.FS { return builtin }
