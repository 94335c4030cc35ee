package policies

import (
	"embed"
	"io/fs"
)

// builtin is the rulebook compiled into the binary, so a bare machine needs no policy files.
//
// The patterns must cover every file isPolicyFile selects in this directory: the top-level
// .rego files (decision.rego and its tests: a test file is part of the revision too) and the
// rulebook's directories, whose "." and "_" files go:embed skips as isPolicyFile does. A new
// top-level .json file or a new directory must be added here;
// TestBuiltinIsThePolicyDirectory fails until it is.
//
//go:embed *.rego lib items rules data
var builtin embed.FS

// Builtin returns the built-in rulebook as a file system rooted at the policy directory.
func Builtin() fs.FS { return builtin }
