package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/verify"
)

// verifyCmd checks a certificate photo, certificate PDF or payload offline against a trust list: no network,
// no database (so no revocation). Exit 0 valid, 1 not valid, 2 bad input or no QR code.
func verifyCmd(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("verify", stdout)
	trust := fs.String("trust", "", "trust list file (from GET /v1/trust-list or roadcheck keys trustlist); default: the local key store's")
	pin := fs.String("pin", "", "kid (or SHA-256 of the public key) the trust list must be signed by")
	payload := fs.String("payload", "", "verify this payload string instead of a photo or PDF")
	keysFlag := fs.String("keys", getenv("ROADCHECK_KEYS"), "key directory for the default trust list (env ROADCHECK_KEYS)")
	data := fs.String("data", envDefault(getenv, "ROADCHECK_DATA", "./data"), "data directory (env ROADCHECK_DATA)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if (*payload == "") == (fs.NArg() != 1) {
		return exitErr(2, errors.New("verify: usage: roadcheck verify [--trust FILE] IMAGE_OR_PDF | --payload STRING"))
	}
	tl, err := loadTrustList(*trust, *pin, keysDir(*keysFlag, *data))
	if err != nil {
		return exitErr(2, err)
	}
	now := time.Now()
	var res certs.Result
	if *payload != "" {
		res = certs.Verify(*payload, tl, now, nil)
	} else {
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return exitErr(2, fmt.Errorf("verify: %w", err))
		}
		defer f.Close()
		res, err = verify.NewDecoder(verify.Limits{}).Verify(ctx, f, tl, now, nil)
		if err != nil {
			return exitErr(2, fmt.Errorf("verify: %s: %w", fs.Arg(0), err))
		}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(res); err != nil {
		return err
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
	ks, err := certs.Open(keys)
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
