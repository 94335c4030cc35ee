package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/verify"
)

// bench decodes every JPEG and PNG in a directory, one after another, with the photo decoder
// (the server's path, verify.Decoder) and prints the decode rate and the median time, so the
// native and the wasm build can be compared on the same photos:
//
//	go test ./verify/ -run TestDecodeDegradedPhotos -count 1 (with ROADCHECK_PHOTO_DIR=DIR)
//	go run ./cmd/verifywasm bench DIR
//	GOOS=js GOARCH=wasm go build -o /tmp/v.wasm ./cmd/verifywasm && node wasm_exec_node.js /tmp/v.wasm bench DIR
func bench(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	budget := fs.Duration("budget", verify.DefaultTimeout, "time budget per photo")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: bench [-budget D] DIR")
		return 2
	}
	entries, err := os.ReadDir(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	d := verify.NewDecoder(verify.Limits{Timeout: *budget})
	var times []time.Duration
	decoded, n := 0, 0
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if ext != ".jpg" && ext != ".jpeg" && ext != ".png" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(fs.Arg(0), e.Name()))
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		n++
		start := time.Now()
		text, err := d.DecodeBytes(context.Background(), data)
		times = append(times, time.Since(start))
		if err == nil && strings.HasPrefix(text, certs.PayloadPrefix) {
			decoded++
		}
	}
	if n == 0 {
		fmt.Fprintln(stderr, "no JPEG or PNG photos in", fs.Arg(0))
		return 1
	}
	slices.Sort(times)
	fmt.Fprintf(stdout, "decoded %d of %d photos (%.0f %%), median %v per photo\n",
		decoded, n, 100*float64(decoded)/float64(n), times[len(times)/2].Round(time.Millisecond))
	return 0
}
