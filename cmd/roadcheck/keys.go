package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/roadcheck/roadcheck/certs/keystore"
)

// keysDir is --keys, or DATA/keys.
func keysDir(keys, data string) string {
	if keys != "" {
		return keys
	}
	return filepath.Join(data, "keys")
}

const keysUsage = "usage: roadcheck keys new|rotate|trustlist [--keys DIR | --data DIR] [--issuer CODE] [--issuer-name NAME] [-o FILE]"

// keys manages the signing keys: new (create the store), rotate (a new active key; the old one
// keeps verifying what it signed), trustlist (print the signed trust list).
func keys(_ context.Context, p proc, args []string) error {
	if len(args) == 0 {
		return usageErr("keys: %s", keysUsage)
	}
	sub := args[0]
	switch sub {
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(p.stdout, keysUsage)
		fmt.Fprintln(p.stdout, "  new        create the key store (refused when one exists)\n  rotate     a new active key; the old one keeps verifying what it signed\n  trustlist  print the signed trust list\nRun 'roadcheck keys SUBCOMMAND -h' for the flags.")
		return nil
	case "new", "rotate", "trustlist":
	default:
		return usageErr("keys: unknown subcommand %q; %s", sub, keysUsage)
	}
	f := newFlags("keys "+sub, p)
	dir := f.String("keys", "", "key directory; default DATA/keys")
	data := f.String("data", "./data", "data directory")
	f.withEnv("keys", "data")
	issuer := f.String("issuer", "", "issuer code for a new store (default "+keystore.DefaultIssuer+")")
	issuerName := f.String("issuer-name", "", "issuing authority's name for a new store (default "+keystore.DefaultIssuerName+")")
	out := f.String("o", "", "trustlist: write to this file instead of standard output")
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	if err := f.noArgs(); err != nil {
		return err
	}
	d := keysDir(*dir, *data)
	switch sub {
	case "new":
		return keysNew(p, d, keystore.Options{Issuer: *issuer, IssuerName: *issuerName})
	case "rotate":
		return keysRotate(p, d)
	default:
		return keysTrustList(p, d, *out)
	}
}

func keysNew(p proc, d string, opt keystore.Options) error {
	if _, err := os.Stat(filepath.Join(d, "keys.json")); err == nil {
		return usageErr("keys new: %s already holds a key store; use keys rotate", d)
	}
	ks, err := keystore.OpenWith(d, opt)
	if err != nil {
		return err
	}
	k, err := ks.Active()
	if err != nil {
		return err
	}
	fmt.Fprintf(p.stdout, "created key store %s; active key %s (%s)\n", d, k.KID, k.Alg)
	return nil
}

func keysRotate(p proc, d string) error {
	ks, err := openKeyStore("keys rotate", d, " (keys new creates one)")
	if err != nil {
		return err
	}
	k, err := ks.Rotate(time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(p.stdout, "rotated: active key %s; earlier keys keep verifying what they signed\n", k.KID)
	return nil
}

func keysTrustList(p proc, d, out string) error {
	ks, err := openKeyStore("keys trustlist", d, "")
	if err != nil {
		return err
	}
	tl, err := ks.TrustList()
	if err != nil {
		return err
	}
	b, err := tl.MarshalIndent()
	if err != nil {
		return err
	}
	if out != "" {
		return os.WriteFile(out, append(b, '\n'), 0o644)
	}
	_, err = p.stdout.Write(append(b, '\n'))
	return err
}

// openKeyStore opens an existing key store; keystore.Open alone would create one.
func openKeyStore(cmd, d, hint string) (*keystore.KeyStore, error) {
	if _, err := os.Stat(filepath.Join(d, "keys.json")); err != nil {
		return nil, usageErr("%s: no key store in %s%s", cmd, d, hint)
	}
	return keystore.Open(d)
}
