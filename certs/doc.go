// Package certs will issue roadcheck's certificates: claims, COSE_Sign1 signatures, keys and the
// trust list, QR codes, PNG and PDF rendering (docs/design.md, "Certificates"). It holds no code
// yet; the folder is part of the module layout every later change builds on.
package certs
