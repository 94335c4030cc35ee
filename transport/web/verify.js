// Inspector's page: send a photo (or a pasted payload) to POST /v1/verify and show the verdict.
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

function show(kind, title, text, cert) {
  const box = document.getElementById("verdict");
  box.className = kind;
  box.hidden = false;
  box.dataset.status = kind;
  document.getElementById("verdict-title").textContent = title;
  document.getElementById("verdict-text").textContent = text;
  const dl = document.getElementById("details");
  dl.replaceChildren();
  if (!cert) return;
  const day = (s) => (s ? new Date(s).toLocaleDateString("zh-CN", { timeZone: "Asia/Shanghai" }) : "");
  const rows = [
    ["凭证类型", types[cert.type] || cert.type],
    ["持证人", cert.subject && cert.type === "integrity_assessment" ? cert.subject : ""],
    ["身份证号后四位", cert.id_tail],
    ["车辆号牌", cert.plate],
    ["考核等级", grades[cert.grade] || cert.grade],
    ["审核结果", cert.result],
    ["考核周期", cert.period_start ? cert.period_start + " 至 " + cert.period_end : ""],
    ["审核日期", cert.review_date],
    ["签发日期", day(cert.issued_at)],
    ["有效期至", day(cert.expires_at)],
    ["凭证编号", cert.id],
  ];
  for (const [k, v] of rows) {
    if (!v) continue;
    const dt = document.createElement("dt");
    dt.textContent = k;
    const dd = document.createElement("dd");
    dd.textContent = v;
    dl.append(dt, dd);
  }
}

async function send(body, headers) {
  const busy = document.getElementById("busy");
  busy.hidden = false;
  try {
    const res = await fetch("/v1/verify", { method: "POST", body, headers });
    const data = await res.json();
    if (!res.ok) {
      const e = data.error || {};
      show("unreadable", "无法核验", (e.message_zh || "请求失败") + "（" + (e.code || res.status) + "）");
      return;
    }
    const [kind, title, text] = verdicts[data.status] || ["forged", data.status, ""];
    show(kind, title, text, data.certificate);
  } catch (err) {
    show("unreadable", "网络错误", "无法连接核验服务，请稍后重试。");
  } finally {
    busy.hidden = true;
  }
}

document.getElementById("photo").addEventListener("change", (ev) => {
  const file = ev.target.files[0];
  if (!file) return;
  const form = new FormData();
  form.append("image", file);
  send(form);
  ev.target.value = "";
});

document.getElementById("payload-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const payload = document.getElementById("payload").value.trim();
  if (payload) send(JSON.stringify({ payload }), { "Content-Type": "application/json" });
});
