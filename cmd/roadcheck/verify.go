package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/certs/keystore"
	"github.com/roadcheck/roadcheck/service"
	"github.com/roadcheck/roadcheck/verify"
)

// verifyCmd checks a certificate photo, certificate PDF or payload offline against a trust list: no network,
// no database; revocation from a signed revocation list when --revocations is given. Exit 0
// valid, 1 not valid, 2 bad input, no QR code or a tampered revocation list, 3 valid but the
// revocation list is stale.
func verifyCmd(ctx context.Context, p proc, args []string) error {
	f := newFlags("verify", p)
	trust := f.String("trust", "", "trust list file (from GET /v1/trust-list or roadcheck keys trustlist); default: the local key store's")
	revocations := f.String("revocations", "", "signed revocation list file (from GET /v1/revocations), checked against the trust list")
	text := f.Bool("text", false, "print the verdict as text instead of the result JSON")
	asJSON := f.Bool("json", false, "print the result JSON (the default; overrides --text)")
	pin := f.String("pin", "", "kid (or SHA-256 of the public key) the trust list must be signed by")
	payload := f.String("payload", "", "verify this payload string instead of a photo or PDF")
	keysFlag := f.String("keys", "", "key directory for the default trust list; default DATA/keys")
	data := f.String("data", "./data", "data directory")
	f.withEnv("keys", "data")
	if err := f.parse(args); err != nil {
		return err
	}
	if (*payload == "") == (f.NArg() != 1) {
		return usageErr("verify: usage: roadcheck verify [--trust FILE] [--revocations FILE] [--text] IMAGE_OR_PDF | --payload STRING")
	}
	tl, err := loadTrustList(*trust, *pin, keysDir(*keysFlag, *data))
	if err != nil {
		return exitErr(2, err)
	}
	now := time.Now()
	revs, err := readRevocations(*revocations, tl, now)
	if err != nil {
		return err
	}
	var res certs.Result
	if *payload != "" {
		res = certs.Verify(*payload, tl, now, revs.list.IsRevoked)
	} else if res, err = verifyFile(ctx, f.Arg(0), tl, now, revs.list.IsRevoked); err != nil {
		return err
	}
	revs.apply(&res)
	if *text && !*asJSON {
		printVerdict(p.stdout, res)
	} else if err := printJSON(p.stdout, res); err != nil {
		return err
	}
	return verifyExit(res, revs)
}

// revocations is what --revocations gave: the list (nil without one), its state and why.
type revocations struct {
	file  string
	list  *certs.RevocationList
	state certs.RevocationState
	err   error
}

func readRevocations(file string, tl *certs.TrustList, now time.Time) (revocations, error) {
	r := revocations{file: file}
	if file == "" {
		return r, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return r, usageErr("verify: %w", err)
	}
	r.list, r.state, r.err = certs.ParseRevocationList(b, tl, now)
	return r, nil
}

func (r revocations) apply(res *certs.Result) {
	if r.file == "" {
		res.Revocation = &certs.RevocationCheck{Checked: certs.RevocationCheckedNone}
		return
	}
	certs.ApplyRevocationList(res, r.list, r.state)
}

func verifyFile(ctx context.Context, name string, tl *certs.TrustList, now time.Time, revoked func(string) bool) (certs.Result, error) {
	file, err := os.Open(name)
	if err != nil {
		return certs.Result{}, usageErr("verify: %w", err)
	}
	defer file.Close()
	res, err := verify.NewDecoder(verify.Limits{}).Verify(ctx, file, tl, now, revoked)
	if err != nil {
		return res, exitErr(2, fmt.Errorf("verify: %s: %w", name, err))
	}
	return res, nil
}

// verifyExit is the exit status: 0 valid, 1 not valid, 2 no QR code or a tampered list, 3
// valid but only as of a stale list.
func verifyExit(res certs.Result, r revocations) error {
	switch {
	case r.state == certs.RevocationTampered:
		// Never a "not revoked" from a list whose signature fails: it was not used at all.
		return exitErr(2, fmt.Errorf("verify: revocation list %s is tampered, not used: revocation status unknown (吊销列表签名无效，未使用): %w", r.file, r.err))
	case res.Status == certs.StatusValid && r.state == certs.RevocationStale:
		return exitErr(3, fmt.Errorf("verify: revocation list %s is stale: not revoked as of %s only; fetch a fresh list (吊销列表已过期): %w",
			r.file, r.list.IssuedAt.Format(time.RFC3339), r.err))
	}
	switch res.Status {
	case certs.StatusValid:
		return nil
	case certs.StatusNoQRFound:
		return exitErr(2, errSilent)
	default:
		return exitErr(1, errSilent)
	}
}

// printVerdict is the --text form of a result: status, certificate, and how revocation was
// checked ("revocation status as of <time>" for a list).
func printVerdict(w io.Writer, r certs.Result) {
	fmt.Fprintf(w, "status: %s\n", r.Status)
	if c := r.Certificate; c != nil {
		fmt.Fprintf(w, "certificate: %s %s %s, issuer %s, valid until %s\n", c.ID, c.Type, c.Subject, c.Issuer,
			c.ExpiresAt.In(service.ChinaTime).Format("2006年01月02日"))
		if c.RevokedAt != nil {
			fmt.Fprintf(w, "revoked 已撤销: %s, reason 理由: %s\n", c.RevokedAt.In(service.ChinaTime).Format("2006年01月02日 15:04"), c.RevokeReason)
		}
	}
	if r.Detail != "" {
		fmt.Fprintf(w, "detail: %s\n", r.Detail)
	}
	switch rv := r.Revocation; {
	case rv == nil || rv.Checked == certs.RevocationCheckedNone && rv.State == "":
		fmt.Fprintln(w, "revocation status not checked (no --revocations list) 未核查撤销状态")
	case rv.Checked == certs.RevocationCheckedNone:
		fmt.Fprintf(w, "revocation status unknown: the revocation list is %s 撤销列表无效，未核查撤销状态\n", rv.State)
	case rv.AsOf != nil:
		fmt.Fprintf(w, "revocation status as of %s (%s), list %s 撤销状态截至 %s\n", rv.AsOf.UTC().Format(time.RFC3339),
			rv.AsOf.In(service.ChinaTime).Format("2006-01-02 15:04 CST"), rv.State, rv.AsOf.In(service.ChinaTime).Format("2006年01月02日 15:04"))
	}
}

func loadTrustList(file, pin, keys string) (*certs.TrustList, error) {
	var pins []string
	if pin != "" {
		pins = append(pins, pin)
	}
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		return certs.ParseTrustList(b, pins...)
	}
	if _, err := os.Stat(keys); err != nil {
		return nil, fmt.Errorf("verify: no --trust file and no key store at %s", keys)
	}
	ks, err := keystore.Open(keys)
	if err != nil {
		return nil, err
	}
	tl, err := ks.TrustList()
	if err != nil {
		return nil, err
	}
	// Through the same parser as a downloaded list, so its signatures are checked too.
	b, err := tl.MarshalIndent()
	if err != nil {
		return nil, err
	}
	return certs.ParseTrustList(b, pins...)
}
