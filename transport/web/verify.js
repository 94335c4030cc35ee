// Inspector's page. Live scanning and offline checks run the project's own verifier compiled
// to WebAssembly in a worker (verify-worker.js) against the trust list and the signed
// revocation list, which the service worker (verify-sw.js) keeps for use without network.
// Photos go to POST /v1/verify as before (and to the worker when the server cannot be
// reached); with no wasm in the build the page is the upload page it always was.
//
// Stable hooks: #scan starts the camera; #verdict[data-status] is the verification status
// (docs/api.md: valid, expired, not_yet_valid, revoked, unknown_key, key_not_valid_at_issuance,
// invalid_signature, malformed, unsupported_version, no_qr_found; error when the server
// refused the request), #verdict[data-checked] online | list | none.
"use strict";

const verdicts = {
  valid: ["genuine", "真实有效", "凭证真实，在有效期内，未被撤销。"],
  expired: ["expired", "已过期", "凭证真实，但已超过有效期。"],
  not_yet_valid: ["expired", "尚未生效", "凭证真实，但尚未到生效时间，请核对设备时间。"],
  revoked: ["revoked", "已撤销", "凭证已被发证机关撤销，不得作为有效凭证使用。"],
  invalid_signature: ["forged", "伪造或被篡改", "签名校验失败，凭证内容被篡改或系伪造。"],
  unknown_key: ["forged", "无法确认来源", "签发密钥不在信任列表中，凭证可能系伪造。"],
  key_not_valid_at_issuance: ["forged", "签发密钥无效", "签发时密钥不在有效期内，凭证不可信。"],
  malformed: ["forged", "不是有效凭证", "二维码内容不是本系统签发的凭证。"],
  unsupported_version: ["forged", "版本不支持", "二维码属于未知的凭证版本。"],
  no_qr_found: ["unreadable", "未识别到二维码", "请对准二维码、保持清晰、避免反光后重新拍摄。"],
};

const types = { integrity_assessment: "道路运输驾驶员诚信考核凭证", annual_review: "道路普通货物运输车辆年度审核凭证" };
const grades = { AAA: "AAA（优良）", AA: "AA（合格）", A: "A（基本合格）", B: "B（不合格）" };
const colours = { blue: "蓝色", yellow: "黄色", green: "绿色", yellow_green: "黄绿色", white: "白色", black: "黑色" };

// One date format on the page: YYYY年M月D日, in China time; with the time where it matters.
const parts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Shanghai", year: "numeric", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
});
function dateOf(s, withTime) {
  if (!s) return "";
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) return `${+m[1]}年${+m[2]}月${+m[3]}日`;
  const d = new Date(s);
  if (isNaN(d)) return s;
  const p = Object.fromEntries(parts.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}年${+p.month}月${+p.day}日` + (withTime ? ` ${p.hour}:${p.minute}` : "");
}

const $ = (id) => document.getElementById(id);

function row(dl, k, v, cls) {
  if (!v) return;
  const dt = document.createElement("dt");
  dt.textContent = k;
  const dd = document.createElement("dd");
  dd.textContent = v;
  if (cls) dd.className = cls;
  dl.append(dt, dd);
}

// show draws a verification result (the server's or the worker's).
function show(data, authority) {
  const status = data.status;
  const [kind, title, text] = verdicts[status] || ["forged", status, ""];
  draw(status, kind, title, text);
  const box = $("verdict");
  const rev = data.revocation || {};
  box.dataset.checked = data.checked_online ? "online" : rev.checked || "none";
  const cert = data.certificate;
  const dl = $("details");
  if (cert) {
    const person = cert.type === "integrity_assessment";
    row(dl, "发证机关", data.issuer_name || authority || cert.issuer);
    row(dl, "凭证类型", types[cert.type] || cert.type);
    if (person) {
      row(dl, "持证人", cert.subject + (cert.id_tail ? `（身份证号后四位 ${cert.id_tail}）` : ""), "big");
      if (cert.qualification_number) row(dl, "从业资格证号", cert.qualification_number, "big");
    } else {
      row(dl, "车辆号牌", (cert.plate || cert.subject) + (cert.plate_colour ? `（${colours[cert.plate_colour] || cert.plate_colour}）` : ""), "big");
    }
    row(dl, "考核等级", grades[cert.grade] || cert.grade, "big");
    row(dl, "审核结果", cert.result, "big");
    row(dl, "考核周期", cert.period_start ? `${dateOf(cert.period_start)} 至 ${dateOf(cert.period_end)}` : "");
    row(dl, "审核日期", dateOf(cert.review_date));
    row(dl, "有效期", `${dateOf(cert.issued_at)} 至 ${dateOf(cert.expires_at)}`);
    if (status === "revoked") {
      row(dl, "撤销日期", dateOf(cert.revoked_at) || "—", "alert");
      row(dl, "撤销原因", cert.revoke_reason || "—", "alert");
    }
    row(dl, "凭证编号", cert.id);
  }
  const note = $("verdict-note");
  note.className = "";
  if (data.checked_online) {
    note.textContent = "已联网核验，撤销状态为最新。";
  } else if (cert) {
    switch (rev.state) {
      case "fresh":
        note.textContent = `离线核验：撤销状态截至 ${dateOf(rev.as_of, true)}（revocation status as of ${rev.as_of}）。`;
        break;
      case "stale":
        note.textContent = `离线核验：撤销状态截至 ${dateOf(rev.as_of, true)}，撤销列表已过期（应于 ${dateOf(rev.next_update, true)} 前更新），请联网后重新核验。`;
        note.className = "alert";
        break;
      case "tampered":
        note.textContent = "离线核验：撤销列表签名无效，未予采用，无法确认凭证是否已撤销。";
        note.className = "alert";
        break;
      default:
        note.textContent = "离线核验：没有撤销列表，无法确认凭证是否已撤销，请联网后重新核验。";
        note.className = "alert";
    }
  }
}

function draw(status, kind, title, text) {
  const box = $("verdict");
  box.className = kind;
  box.hidden = false;
  box.dataset.status = status;
  delete box.dataset.checked;
  $("verdict-title").textContent = title;
  $("verdict-text").textContent = text;
  $("details").replaceChildren();
  $("verdict-note").textContent = "";
}

// ---- the worker (wasm verifier) ----

const verifier = { worker: null, ready: false, failed: false, next: 1, waiting: new Map(), lists: null };

function startWorker() {
  let w;
  try {
    w = new Worker("/verify-worker.js");
  } catch (err) {
    verifier.failed = true;
    offlineReady();
    return;
  }
  verifier.worker = w;
  w.onerror = () => {
    verifier.failed = true;
    offlineReady();
  };
  w.onmessage = (ev) => {
    const m = ev.data;
    if (m.op === "ready") {
      verifier.ready = true;
      loadLists();
      offlineReady();
      return;
    }
    if (m.op === "unavailable") {
      verifier.failed = true;
      offlineReady();
      console.warn("roadcheck verifier unavailable:", m.error);
      $("scan-status").textContent = "此版本或此浏览器不支持扫码和离线核验，请上传照片核验。";
      return;
    }
    const done = verifier.waiting.get(m.id);
    if (done) {
      verifier.waiting.delete(m.id);
      done(m);
    }
  };
}

function ask(msg, transfer) {
  return new Promise((resolve) => {
    msg.id = verifier.next++;
    verifier.waiting.set(msg.id, resolve);
    verifier.worker.postMessage(msg, transfer || []);
  });
}

async function text(path) {
  try {
    const res = await fetch(path);
    return res.ok ? await res.text() : "";
  } catch (err) {
    return "";
  }
}

// loadLists gives the worker the trust list and the revocation list (refreshed by the
// service worker when online, its copy otherwise).
async function loadLists() {
  const [trust, revocations] = await Promise.all([text("/v1/trust-list"), text("/v1/revocations")]);
  const m = await ask({ op: "lists", trust, revocations });
  verifier.lists = m.result;
  const ok = m.result && m.result.trust_list.ok;
  $("scan").disabled = !ok;
  const rev = (m.result && m.result.revocation) || {};
  let s = ok ? "可离线扫码核验" : "没有可用的信任列表，请联网后重试";
  if (ok && rev.as_of) s += `，撤销列表截至 ${dateOf(rev.as_of, true)}`;
  if (ok && rev.state === "stale") s += "（已过期，请联网更新）";
  if (ok && rev.state === "tampered") s += "；撤销列表签名无效，未予采用";
  if (ok && !rev.state) s += "；尚无撤销列表";
  $("offline-status").textContent = s + "。";
  document.documentElement.dataset.lists = ok ? "ready" : "none";
  if (!document.documentElement.dataset.readyMs) document.documentElement.dataset.readyMs = Math.round(performance.now());
}

// ---- live scanning ----

const MAX_SIDE = 800; // frames are downscaled to this long side before decoding
const scanner = { stream: null, running: false, frames: 0, found: 0, decodeMs: 0, started: 0, seconds: 0 };

async function openCamera() {
  try {
    scanner.stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: "environment", width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false,
    });
  } catch (err) {
    $("scan-status").textContent = "无法打开摄像头（" + err.name + "），请拍照或选择照片核验。";
    return false;
  }
  const video = $("camera");
  video.srcObject = scanner.stream;
  await video.play();
  $("camera-box").hidden = false;
  return true;
}

// scanLoop decodes frames one after another (each frame is drawn downscaled to MAX_SIDE and
// decoded in the worker while the next waits) until a code is read (stopOnResult) or for
// seconds; it returns the last result read, or null.
async function scanLoop(stopOnResult, seconds) {
  const video = $("camera");
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  scanner.running = true;
  scanner.frames = 0;
  scanner.found = 0;
  scanner.decodeMs = 0;
  scanner.started = performance.now();
  const until = seconds ? scanner.started + 1000 * seconds : Infinity;
  let last = null;
  while (scanner.running && performance.now() < until) {
    const vw = video.videoWidth, vh = video.videoHeight;
    if (!vw || !vh) {
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    const k = Math.min(1, MAX_SIDE / Math.max(vw, vh));
    const w = Math.round(vw * k), h = Math.round(vh * k);
    canvas.width = w;
    canvas.height = h;
    ctx.drawImage(video, 0, 0, w, h);
    const img = ctx.getImageData(0, 0, w, h);
    const m = await ask({ op: "frame", data: img.data.buffer, width: w, height: h }, [img.data.buffer]);
    scanner.frames++;
    scanner.decodeMs += m.ms;
    if (m.result) {
      scanner.found++;
      last = m.result;
      if (stopOnResult) break;
    }
  }
  scanner.seconds = (performance.now() - scanner.started) / 1000;
  return last;
}

async function startScan() {
  if (!verifier.ready || scanner.running) return;
  if (!(await openCamera())) return;
  $("verdict").hidden = true;
  $("scan-status").textContent = "请将二维码置于画面中…";
  loadLists(); // pick up a refreshed revocation list when online
  const result = await scanLoop(true);
  stopScan();
  if (result) await settle(result);
}

// roadcheckMeasure (for tests and the curious) scans for seconds without stopping at a code
// and reports the scanner's rate: frames decoded a second, and how many held a code.
window.roadcheckMeasure = async (seconds) => {
  if (!verifier.ready || scanner.running || !(await openCamera())) return null;
  await scanLoop(false, seconds);
  const r = { frames: scanner.frames, found: scanner.found, seconds: scanner.seconds, decode_ms: scanner.decodeMs };
  stopScan();
  return r;
};

function stopScan() {
  scanner.running = false;
  if (scanner.stream) for (const t of scanner.stream.getTracks()) t.stop();
  scanner.stream = null;
  $("camera-box").hidden = true;
  $("scan-status").textContent = "";
}

// settle shows the browser's own result at once, then, when the server answers within a few
// seconds, its online result (current revocation status).
async function settle(local) {
  const issuer = local.issuer_name;
  show(local);
  if (!local.payload || !navigator.onLine) return;
  const online = await post(JSON.stringify({ payload: local.payload }), { "Content-Type": "application/json" }, 4000);
  if (online && online.ok) show(online.data, issuer || (await issuerName()));
}

// ---- the server (today's path) ----

async function post(body, headers, timeout) {
  const ctl = new AbortController();
  const timer = timeout ? setTimeout(() => ctl.abort(), timeout) : 0;
  try {
    const res = await fetch("/v1/verify", { method: "POST", body, headers, signal: ctl.signal });
    return { ok: res.ok, status: res.status, data: await res.json() };
  } catch (err) {
    return null; // no network, or no answer in time
  } finally {
    clearTimeout(timer);
  }
}

// The issuing authority's full name is the trust list's issuer_name (the result carries the
// short code): display only, the trust list is checked by the verifier, not here.
const issuerNames = text("/v1/trust-list").then((t) => {
  try {
    return JSON.parse(t).issuer_name || "";
  } catch (err) {
    return "";
  }
});

async function issuerName() {
  return (verifier.lists && verifier.lists.trust_list.issuer_name) || (await issuerNames);
}

async function send(body, headers, offline) {
  const busy = $("busy");
  busy.hidden = false;
  try {
    const res = await post(body, headers);
    if (res && res.ok) {
      show(res.data, await issuerName());
    } else if (res) {
      const e = res.data.error || {};
      draw("error", "unreadable", "无法核验", (e.message || "请求失败") + "（" + (e.code || res.status) + "）");
    } else if (offline && verifier.ready) {
      const m = await offline();
      if (m.result) show(m.result);
      else draw("error", "unreadable", "无法核验", "照片无法读取，请重新拍摄。");
    } else {
      draw("error", "unreadable", "网络错误", "无法连接核验服务，请稍后重试。");
    }
  } finally {
    busy.hidden = true;
  }
}

$("photo").addEventListener("change", async (ev) => {
  const file = ev.target.files[0];
  if (!file) return;
  stopScan();
  const form = new FormData();
  form.append("image", file);
  const bytes = await file.arrayBuffer();
  ev.target.value = "";
  send(form, undefined, () => ask({ op: "photo", data: bytes }, [bytes]));
});

$("payload-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const payload = $("payload").value.trim();
  if (payload) send(JSON.stringify({ payload }), { "Content-Type": "application/json" }, () => ask({ op: "payload", text: payload }));
});

$("scan").addEventListener("click", startScan);
$("stop").addEventListener("click", stopScan);

// ---- offline copy ----

// offlineReady registers the service worker once the verifier has loaded (or failed to), so
// that its copy revalidates what the page fetched (a 304) instead of downloading it again
// beside the page on a slow first visit.
let registering = false;
async function offlineReady() {
  if (registering || !("serviceWorker" in navigator)) return;
  registering = true;
  try {
    await navigator.serviceWorker.register("/verify-sw.js", { scope: "/verify" });
    await navigator.serviceWorker.ready;
    document.documentElement.dataset.offline = "ready";
  } catch (err) {
    document.documentElement.dataset.offline = "failed";
  }
}

if (typeof Worker !== "undefined" && typeof WebAssembly !== "undefined") {
  startWorker();
} else {
  $("scan-status").textContent = "此浏览器不支持离线核验，请上传照片核验。";
  offlineReady();
}
