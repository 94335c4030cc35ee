// The inspector page's verifier: the project's Go decoder and checks compiled to WebAssembly
// (cmd/verifywasm), run off the page's thread. Messages in: {op: "lists", trust, revocations},
// {op: "frame", id, data, width, height}, {op: "photo", id, data}, {op: "payload", id, text};
// out: {op: "ready"} or {op: "unavailable", error}, then one answer per message with its op
// and id, {result} (a verification result, or null for a frame without a code) or {error}.
"use strict";

let api = null;
const queue = [];

function handle(m) {
  const t0 = performance.now();
  try {
    let out;
    switch (m.op) {
      case "lists":
        out = api.setLists(m.trust || "", m.revocations || "");
        break;
      case "frame":
        out = api.scanFrame(new Uint8ClampedArray(m.data), m.width, m.height);
        break;
      case "photo":
        out = api.verifyPhoto(new Uint8Array(m.data));
        break;
      case "payload":
        out = api.verifyPayload(m.text);
        break;
      default:
        return;
    }
    const result = out ? JSON.parse(out) : null;
    postMessage({ op: m.op, id: m.id, result, ms: performance.now() - t0 });
  } catch (err) {
    postMessage({ op: m.op, id: m.id, error: String(err), ms: performance.now() - t0 });
  }
}

onmessage = (ev) => {
  if (api) handle(ev.data);
  else queue.push(ev.data);
};

(async () => {
  try {
    importScripts("/wasm_exec.js");
    const go = new Go();
    const res = await fetch("/verify.wasm");
    if (!res.ok) throw new Error("verify.wasm: HTTP " + res.status);
    const { instance } = await WebAssembly.instantiate(await res.arrayBuffer(), go.importObject);
    go.run(instance); // main registers the API, then waits for calls
    api = globalThis.roadcheckVerify;
    if (!api) throw new Error("verifier did not start");
    postMessage({ op: "ready" });
    while (queue.length) handle(queue.shift());
  } catch (err) {
    postMessage({ op: "unavailable", error: String(err) });
  }
})();
