//go:build !(js && wasm)

package main

import "os"

// Natively the command only measures the decoder, for comparison with the wasm build:
//
//	go run ./cmd/verifywasm bench DIR
func main() {
	if len(os.Args) < 2 || os.Args[1] != "bench" {
		os.Stderr.WriteString("usage: verifywasm bench [-budget D] DIR (the page's verifier is GOOS=js GOARCH=wasm; see make web-wasm)\n")
		os.Exit(2)
	}
	os.Exit(bench(os.Args[2:], os.Stdout, os.Stderr))
}
