// The approvers' page: one self-contained HTML document (inline CSS and JS under a per-response CSP nonce, no
// framework). The approver pastes their OIDC token (kept in sessionStorage: gone when the tab closes); the page lists
// pending approvals through the JSON API and approves or denies them. Everything shown comes from the API and is put
// on the page with textContent, never as HTML, so a prompt holding `<script>` is shown as text.
//
// With `login`, a "Sign in" link runs the OIDC authorization code flow with PKCE (login.ts), whose callback puts the
// ID token where a pasted one goes.
import { randomBytes } from "node:crypto";

/** JSON for inside a <script>: `<`, `>`, `&` and the JS line separators escaped so nothing can close the script. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `basePath` is a checked path (letters, digits, `._~/-`): safe in an attribute as it is. */
export function approvalPage(basePath: string, options: { login?: boolean } = {}): { html: string; nonce: string } {
  const nonce = randomBytes(16).toString("base64");
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Guard: approvals</title>
<style nonce="${nonce}">
  :root { font-family: system-ui, sans-serif; color: #1b1f24; background: #f6f8fa; }
  body { max-width: 60rem; margin: 0 auto; padding: 1rem; }
  h1 { font-size: 1.3rem; }
  section, li.item { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 0.8rem 1rem; margin-bottom: 1rem; }
  textarea#token { width: 100%; height: 4rem; font-family: ui-monospace, monospace; font-size: 0.8rem; box-sizing: border-box; }
  ul#list { list-style: none; padding: 0; }
  .reason { font-weight: 600; font-size: 1.05rem; margin: 0 0 0.4rem; }
  .meta { color: #57606a; font-size: 0.85rem; margin: 0.15rem 0; }
  .preview { background: #f6f8fa; border-radius: 4px; padding: 0.4rem 0.6rem; margin: 0.5rem 0; }
  .preview pre { white-space: pre-wrap; word-break: break-word; margin: 0.3rem 0; font-size: 0.85rem; }
  .actions { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
  .actions input { flex: 1; min-width: 12rem; padding: 0.3rem; }
  button { padding: 0.35rem 0.9rem; border-radius: 4px; border: 1px solid #d0d7de; background: #f6f8fa; cursor: pointer; }
  button.approve { background: #1f883d; color: #fff; border-color: #1a7f37; }
  button.deny { background: #cf222e; color: #fff; border-color: #a40e26; }
  #msg { min-height: 1.2rem; font-size: 0.9rem; }
  #msg.error, .error { color: #cf222e; }
</style>
</head>
<body>
<h1>Guard: requests waiting for approval</h1>
<section id="auth">
  ${options.login ? `<p><a id="login" href="${basePath}/login">Sign in with your identity provider</a>, or paste a token:</p>` : ""}
  <label for="token">Your identity token (an OIDC ID token from the gateway's identity provider; kept in this tab only)</label>
  <textarea id="token" autocomplete="off" spellcheck="false" placeholder="eyJhbGciOi…"></textarea>
  <div class="actions"><button id="save" type="button">Use token</button><button id="forget" type="button">Forget token</button><button id="refresh" type="button">Refresh</button></div>
</section>
<div id="msg" role="status" aria-live="polite"></div>
<p id="empty" hidden>No request is waiting for approval.</p>
<ul id="list"></ul>
<script nonce="${nonce}">
"use strict";
(function () {
  var API = ${scriptJson(`${basePath}/api`)};
  var KEY = "guard-approvals-token";
  var $ = function (id) { return document.getElementById(id); };
  var token = function () { return sessionStorage.getItem(KEY) || ""; };
  var comments = {};

  function say(text, error) {
    var m = $("msg");
    m.textContent = text || "";
    m.className = error ? "error" : "";
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function age(iso) {
    var s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (s < 60) return s + " s ago";
    if (s < 3600) return Math.round(s / 60) + " min ago";
    return Math.round(s / 3600) + " h ago";
  }
  function call(method, path, body) {
    var init = { method: method, headers: { authorization: "Bearer " + token() }, cache: "no-store" };
    if (body !== undefined) { init.headers["content-type"] = "application/json"; init.body = JSON.stringify(body); }
    return fetch(API + path, init).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) {
          var e = (j && j.error) || {};
          throw new Error((e.code ? e.code + ": " : "") + (e.message || ("HTTP " + r.status)));
        }
        return j;
      });
    });
  }
  function render(list) {
    var ul = $("list");
    ul.querySelectorAll("input.comment").forEach(function (i) { comments[i.closest("li").dataset.id] = i.value; });
    ul.replaceChildren();
    $("empty").hidden = list.length > 0;
    list.forEach(function (a) {
      var li = el("li", "item");
      li.dataset.id = a.id;
      li.appendChild(el("p", "reason", a.reason));
      var req = a.requester || {};
      var claims = req.claims || {};
      li.appendChild(el("p", "meta requester", "Requested by " + req.subject + (req.repository ? " (" + req.repository + ")" : "") + (claims.actor ? ", run triggered by " + claims.actor : "") + (claims.workflow ? ", workflow " + claims.workflow : "")));
      li.appendChild(el("p", "meta age", age(a.createdAt) + " · connection " + a.connection + " · " + a.votes.filter(function (v) { return v.decision === "approve"; }).length + " of " + a.approvalsNeeded + " approvals · approvers: " + a.approvers.join(", ") + " · " + (a.validity === "onetime" ? "one time" : "valid for " + a.validity) + " · expires " + new Date(a.expiresAt).toLocaleTimeString()));
      var p = el("div", "preview");
      var s = a.summary || {};
      p.appendChild(el("p", "meta op", s.method + " " + s.path + (s.model ? " · model " + s.model : "")));
      (s.texts || []).forEach(function (t) { p.appendChild(el("pre", "text", t)); });
      li.appendChild(p);
      var act = el("div", "actions");
      var c = el("input", "comment");
      c.placeholder = "Comment (optional)";
      c.maxLength = 1000;
      c.value = comments[a.id] || "";
      act.appendChild(c);
      [["approve", "Approve"], ["deny", "Deny"]].forEach(function (b) {
        var btn = el("button", b[0], b[1]);
        btn.type = "button";
        btn.addEventListener("click", function () {
          btn.disabled = true;
          call("POST", "/" + encodeURIComponent(a.id) + "/" + b[0], { comment: c.value || undefined }).then(function (r) {
            delete comments[a.id];
            say((b[0] === "approve" ? "Approved: " : "Denied: ") + a.reason + " (now " + r.approval.status + ")");
            return load();
          }).catch(function (e) { btn.disabled = false; say(e.message, true); });
        });
        act.appendChild(btn);
      });
      li.appendChild(act);
      ul.appendChild(li);
    });
  }
  function load() {
    if (!token()) { say("Paste your token to see the requests waiting for you."); render([]); $("empty").hidden = true; return Promise.resolve(); }
    return call("GET", "?status=pending").then(function (j) { render(j.approvals || []); }).catch(function (e) { say(e.message, true); });
  }
  $("save").addEventListener("click", function () {
    var t = $("token").value.trim().replace(/^Bearer\\s+/i, "");
    if (t) sessionStorage.setItem(KEY, t);
    $("token").value = "";
    say("");
    load();
  });
  $("forget").addEventListener("click", function () { sessionStorage.removeItem(KEY); say("Token forgotten."); render([]); $("empty").hidden = true; });
  $("refresh").addEventListener("click", function () { load(); });
  setInterval(function () { if (token() && !document.hidden) load(); }, 10000);
  load();
})();
</script>
</body>
</html>
`;
  return { html, nonce };
}
