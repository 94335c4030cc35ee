package policies

import (
	"embed"
	"io/fs"
)

// builtin is the rulebook compiled into the binary, so a bare machine needs no policy files.
//
//go:embed decision.rego lib items rules data
var builtin embed.FS

// Builtin returns the built-in rulebook as a file system rooted at the policy directory.
func Builtin() fs.FS { return builtin }
