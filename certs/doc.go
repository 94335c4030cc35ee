// Package certs issues and verifies roadcheck's signed certificates (docs/design.md,
// "Certificates"; docs/domain.md §5): claims, COSE_Sign1 signatures, keys and the trust list,
// QR codes, and PNG/PDF rendering. It imports nothing else of roadcheck.
//
// # Issuing
//
//	ks, _ := certs.Open(dir)                 // creates the first Ed25519 key if there is none
//	c := certs.Certificate{ID: certs.NewCertificateID(), Type: certs.TypeIntegrityAssessment, …}
//	payload, _ := ks.Issue(c)                // "RC1:" + Base45(COSE_Sign1(CBOR claims))
//	png, pdf, _ := certs.Render(c, payload)  // or RenderPNG / RenderPDF
//
// Only masked data is signed: the holder as 张* plus the last 4 characters of the ID number, or
// the plate masked (豫A·1****) plus the full plate. Full name and full ID number appear only on
// the rendered page (the ID masked to first 3 + last 4). Claims use integer keys; Validate
// bounds every field so the longest possible payload is 184 signed bytes, 280 characters, QR
// version 10 at level M (TestLongestPayloadFitsQR guards design.md's 200-byte budget).
//
// # Payload format
//
// COSE_Sign1 (RFC 9052), tag 18: protected header {1: alg, 4: kid}, empty unprotected header,
// the claims as payload, signature over ["Signature1", protected, empty external_aad, payload].
// kid is the first 8 bytes of SHA-256 of the raw public key. Ed25519 (alg -8) is built in;
// Signer, Verifier and RegisterAlgorithm let another algorithm (SM2) be added without touching
// the COSE code. The parser accepts exactly the encoding the signer writes, so one payload
// string has one meaning.
//
// # Verifying
//
// Verify(payload, trustList, now, revoked) returns a Result whose Status is one of api.md's:
// valid, expired, not_yet_valid, revoked, unknown_key, key_not_valid_at_issuance,
// invalid_signature, malformed, unsupported_version. Checks run in design.md's order (parse →
// signature → key window → expiry → revocation) with ±5 minutes of clock skew on iat and exp. A
// certificate verifies only if its iat lies in its key's signing window (plus the same 5
// minutes after a retired key's window, for an issuance racing a rotation made by another
// process), so rotation never voids live certificates and a retired key cannot sign new ones.
// revoked is the caller's online (or signed-list) lookup by certificate id.
//
// # Keys and trust list
//
// A KeyStore directory holds keys.json (public state) and one 0600 PKCS#8 PEM file per private
// key. Rotate(now) starts a new active key and ends the previous one's window at now; it stays
// in the trust list as retired. RevokeKey marks a compromised retired key revoked. TrustList
// returns the list {version, issuer, keys: [{kid, alg, public_key, issuer, sign_from,
// sign_until, status}], signed}, signed with detached Ed25519 signatures over its canonical
// JSON by the active key and co-signed by retired keys; ParseTrustList checks it, optionally
// against pinned keys (see TrustList for the trust model).
//
// # Revocation list
//
// SignRevocations(issuedAt, revoked) returns the RevocationList {version, issuer, issued_at,
// next_update (+6 h), revoked: [{id, revoked_at, reason}], signed}, signed like the trust list by
// the same keys. ParseRevocationList(b, trustList, now) checks it against a trust list and says
// fresh, stale or tampered (a tampered list is never returned); Verify(…, list.IsRevoked) then
// ApplyRevocationList records in the result how and as of when revocation was checked.
//
// # Rendering
//
// Pages are A5 portrait at 1240 × 1754 pixels (212 dpi). Text uses the embedded Droid Sans
// Fallback (CJK, Apache-2.0, fonts/) and Go Regular (Latin, from golang.org/x/image); the QR
// code is drawn with whole pixels per module and a 4-module quiet zone. One layout (render.go,
// layout) draws both outputs through the page interface: the bitmap for the PNG, and, through
// github.com/signintech/gopdf (pdf.go), a one-page A5 PDF document of vector text in the two
// fonts embedded as subsets (names tagged "RCCJKA+", "RCLATA+"; text split into runs per font
// as the bitmap's mixed face picks glyphs, placed where its hinted advances put them), the QR
// code as filled rectangles at whole-module positions (row runs and column runs, so no two
// abutting squares leave an anti-aliasing seam), and the payload in the Info dictionary
// (/Subject, /Keywords, /RoadcheckPayload) with a Chinese /Title and the authority as /Author.
// Render draws PNG and PDF concurrently from one prepared payload, QR symbol and font set.
package certs
