// Package verify will read certificate QR codes from photos and check them against the trust
// list (docs/design.md, "Verify pipeline"). It holds no code yet; the folder is part of the
// module layout every later change builds on.
package verify
