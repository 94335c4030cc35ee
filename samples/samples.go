// Package samples holds application documents as portals send them: a passing and a failing
// one (or more) for each of the nine items. They are the rulebook's check of itself (every
// load of a rulebook decides each on both evaluation paths and refuses any disagreement), the
// fixtures of the Go tests, and examples for `roadcheck precheck`.
//
// They live outside policies/ because OPA's own tools (opa test, opa eval -d policies, opa run)
// load every .json file under a policy directory as data, and these documents would collide
// there.
package samples

import (
	"embed"
	"io/fs"
)

//go:embed *.json
var files embed.FS

// FS returns the application documents (NAME.json at its root).
func FS() fs.FS { return files }
