//go:build js && wasm

package main

import (
	"context"
	"os"
	"syscall/js"
	"time"

	"github.com/roadcheck/roadcheck/verify"
)

// Budgets in the browser: a photo gets more than the server's 2 s (WebAssembly is slower and
// the inspector waits for this one photo); a live frame little, because another follows.
const (
	photoBudget = 10 * time.Second
	frameBudget = 400 * time.Millisecond
)

// The JavaScript face, set as globalThis.roadcheckVerify (every call is synchronous and
// returns a JSON string; the page runs them in a worker, transport/web/verify-worker.js):
//
//	setLists(trustListJSON, revocationsJSON) → lists info ("" for a list not had)
//	scanFrame(rgba Uint8ClampedArray, width, height) → "" (no code) or a verification result
//	verifyPhoto(bytes Uint8Array) → a verification result, or {"error": …} for a bad image
//	verifyPayload(text) → a verification result
func main() {
	if len(os.Args) > 1 && os.Args[1] == "bench" { // under Node.js: the decoder's measurement
		os.Exit(bench(os.Args[2:], os.Stdout, os.Stderr))
	}
	c := newChecker(parseRevocations)
	photos := verify.NewDecoder(verify.Limits{Timeout: photoBudget})
	api := js.Global().Get("Object").New()
	api.Set("setLists", js.FuncOf(func(_ js.Value, args []js.Value) any {
		return mustJSON(c.setLists([]byte(args[0].String()), []byte(args[1].String()), time.Now()))
	}))
	api.Set("scanFrame", js.FuncOf(func(_ js.Value, args []js.Value) any {
		data := make([]byte, args[0].Get("length").Int())
		js.CopyBytesToGo(data, args[0])
		ctx, cancel := context.WithTimeout(context.Background(), frameBudget)
		defer cancel()
		text, err := verify.DecodeFrame(ctx, data, args[1].Int(), args[2].Int())
		if err != nil {
			return ""
		}
		return mustJSON(c.verifyPayload(text, time.Now()))
	}))
	api.Set("verifyPhoto", js.FuncOf(func(_ js.Value, args []js.Value) any {
		data := make([]byte, args[0].Get("length").Int())
		js.CopyBytesToGo(data, args[0])
		text, err := photos.DecodeBytes(context.Background(), data)
		r, err := c.decodeText(text, err, time.Now())
		if err != nil {
			return mustJSON(map[string]string{"error": err.Error()})
		}
		return mustJSON(r)
	}))
	api.Set("verifyPayload", js.FuncOf(func(_ js.Value, args []js.Value) any {
		return mustJSON(c.verifyPayload(args[0].String(), time.Now()))
	}))
	js.Global().Set("roadcheckVerify", api)
	select {} // serve calls until the worker ends
}
