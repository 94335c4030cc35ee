// Package certs is what roadcheck's signed certificates say and how they are checked
// (docs/design.md, "Certificates"; docs/domain.md §5): the Certificate and its claims, the
// payload string, Verify, and parsing the trust list and the revocation list. It imports
// nothing else of roadcheck but certs/cose, and no rendering code, so the store, the domain
// service and the wasm verifier can use it without the fonts, gopdf or go-qrcode.
//
// One idea per package:
//
//	certs           claims, payload, Verify, ParseTrustList, ParseRevocationList
//	certs/cose      COSE_Sign1, Signer, Verifier, Algorithms (Ed25519 built in)
//	certs/keystore  the issuer's keys: Open, Rotate, RevokeKey, Issue, TrustList, SignRevocations
//	certs/render    QR code, PNG and PDF pages, embedded fonts (a Renderer value)
//
// # Issuing
//
//	ks, _ := keystore.Open(dir)              // creates the first Ed25519 key if there is none
//	c := certs.Certificate{ID: certs.NewCertificateID(), Type: certs.TypeIntegrityAssessment, …}
//	payload, _ := ks.Issue(c)                // "RC1:" + Base45(COSE_Sign1(CBOR claims))
//	png, pdf, _ := render.New().Render(c, payload)  // or PNG / PDF
//
// Only masked data is signed: the holder as 张* plus the last 4 characters of the ID number, or
// the plate masked (豫A·1****) plus the full plate. Full name and full ID number appear only on
// the rendered page (the ID masked to first 3 + last 4). Claims use integer keys; Validate
// bounds every field so the longest possible payload is 184 signed bytes, 280 characters, QR
// version 10 at level M (TestLongestPayloadFitsBudget here and render's
// TestLongestPayloadFitsQR guard design.md's 200-byte budget).
//
// # Payload format
//
// COSE_Sign1 (RFC 9052), tag 18: protected header {1: alg, 4: kid}, empty unprotected header,
// the claims as payload, signature over ["Signature1", protected, empty external_aad, payload].
// kid is the first 8 bytes of SHA-256 of the raw public key (package cose). Ed25519 (alg -8) is
// built in; another algorithm (SM2) is accepted by passing a longer cose.Algorithms to
// ParseTrustListWith, which the trust list then keeps for Verify and ParseRevocationList: there
// is no package-level registry. The parser accepts exactly the encoding the signer writes, so
// one payload string has one meaning.
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
// # Trust list
//
// The trust list {version, issuer, keys: [{kid, alg, public_key, issuer, sign_from,
// sign_until, status}], signed} carries detached signatures over its canonical JSON
// (TrustList.SigningInput) by the active key, co-signed by retired keys. keystore.KeyStore keeps
// the keys, rotates and revokes them, and signs the list; ParseTrustList checks it, optionally
// against pinned keys (see TrustList for the trust model).
//
// # Revocation list
//
// keystore.KeyStore.SignRevocations(issuedAt, revoked) returns the RevocationList {version,
// issuer, issued_at, next_update (+6 h), revoked: [{id, revoked_at, reason}], signed}
// (NewRevocationList), signed like the trust list by the same keys. ParseRevocationList(b, trustList, now) checks it against a trust list and says
// fresh, stale or tampered (a tampered list is never returned); Verify(…, list.IsRevoked) then
// ApplyRevocationList records in the result how and as of when revocation was checked.
//
// # Rendering
//
// Package render draws the page (A5, 1240 × 1754 pixels) with the QR code as PNG and PDF; see
// its documentation.
package certs
