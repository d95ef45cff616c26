// The expression table as a form: per situation the expression (from the product's vocabulary),
// its intensity, how long it holds and the speaking rate. The bridge checks every value and
// applies a saved change at once (GET/PUT /api/admin/tone/expression-form).
import { api, el } from "/static/js/api.js";
import { showProblems } from "./ui.js";

const $ = (id) => document.getElementById(id);
let form = null;
let preview = null; // { frame, origin, url } once the bridge's face preview is framed
let previewModel = null; // the avatar the preview shows (avatar_form.js); null: the bridge's choice

function framePreview() {
  const model = previewModel ? `&avatar=${encodeURIComponent(previewModel)}` : "";
  preview.frame.src = `${preview.url}&pose=neutral&intensity=0.4${model}`;
  $("face-preview-caption").textContent = "Pick a row to see its face.";
}

/** Shows another avatar in the preview (a new page load of the bridge's preview). */
export function previewAvatar(model) {
  if (model === previewModel) return;
  previewModel = model;
  if (preview) framePreview();
}

/** Shows a row's expression at its intensity in the framed preview (preview/facePreview.js). */
function showInPreview(index) {
  if (!preview) return;
  const value = (field) => document.querySelector(`#face-rules [data-field=${field}][data-rule="${index}"]`);
  const expression = value("name").value;
  const intensity = Number(value("intensity").value);
  preview.frame.contentWindow?.postMessage({ type: "avatar-preview", expression, intensity }, preview.origin);
  const row = value("name").closest("tr").querySelector("th").textContent;
  $("face-preview-caption").textContent = `${row}: ${expression} at ${Math.round(intensity * 100)} %`;
}

async function setUpPreview() {
  const where = await api("/api/admin/tone/face-preview");
  if (!where.url) return;
  preview = { frame: $("face-preview"), origin: where.origin, url: where.url };
  framePreview();
  $("face-preview-panel").hidden = false;
  // A change or a focus anywhere in a row shows that row's face.
  for (const kind of ["input", "change", "focusin"]) {
    $("face-rules").addEventListener(kind, (event) => {
      const index = event.target?.dataset?.rule;
      if (index !== undefined) showInPreview(index);
    });
  }
}

function situation(when) {
  const parts = ["emotion", "intensity", "reply_kind"].filter((k) => when[k] != null)
    .map((k) => (Array.isArray(when[k]) ? when[k].join(" or ") : String(when[k])).replaceAll("_", " "));
  const text = parts.join(" · ");
  return text ? text[0].toUpperCase() + text.slice(1) : "Any other situation";
}

function slider(kind, index, value, [min, max], step, label) {
  const output = el("output", { text: String(value ?? "") });
  const input = el("input", { attrs: { type: "range", min: String(min), max: String(max), step: String(step), value: String(value ?? 1), "data-field": kind, "data-rule": String(index), "aria-label": label } });
  input.addEventListener("input", () => { output.textContent = input.value; });
  return el("label", { className: "inline slider" }, [input, output]);
}

function renderRules() {
  const body = $("face-rules");
  body.replaceChildren();
  const rows = [{ when: null, ...form.defaults }, ...form.rules];
  rows.forEach((rule, position) => {
    const index = position - 1; // -1: the defaults
    const name = rule.when ? situation(rule.when) : "Default";
    const select = el("select", { attrs: { "data-field": "name", "data-rule": String(index), "aria-label": `Expression: ${name}` } },
      form.expressions.map((e) => el("option", { text: e, attrs: { value: e } })));
    select.value = rule.expression.name;
    const duration = el("input", { attrs: { type: "number", min: "500", max: "10000", step: "100", value: String(rule.expression.duration_ms), "data-field": "duration_ms", "data-rule": String(index), "aria-label": `Holds for (ms): ${name}` } });
    body.append(el("tr", {}, [
      el("th", { text: name, attrs: { scope: "row" } }),
      el("td", {}, [select]),
      el("td", {}, [slider("intensity", index, rule.expression.intensity, form.limits.intensity, 0.05, `Intensity: ${name}`)]),
      el("td", {}, [duration]),
      el("td", {}, rule.prosody ? [slider("rate", index, rule.prosody.rate, form.limits.rate, 0.01, `Speaking rate: ${name}`)] : [el("span", { className: "meta", text: "default" })]),
    ]));
  });
}

function collect() {
  const value = (field, index) => document.querySelector(`#face-rules [data-field=${field}][data-rule="${index}"]`);
  const pick = (rule, index) => ({
    expression: { name: value("name", index).value, intensity: Number(value("intensity", index).value), duration_ms: Number(value("duration_ms", index).value) },
    prosody: rule.prosody ? { ...rule.prosody, rate: Number(value("rate", index).value) } : null,
  });
  return { defaults: pick(form.defaults, -1), rules: form.rules.map((rule, index) => pick(rule, index)) };
}

async function save() {
  showProblems($("face-problems"), null);
  $("face-status").textContent = "Checking…";
  try {
    const result = await api("/api/admin/tone/expression-form", { method: "PUT", body: collect() });
    $("face-status").textContent = `Saved and applied (version ${result.version}).`;
  } catch (problem) {
    $("face-status").textContent = "Not saved.";
    showProblems($("face-problems"), problem);
  }
}

export async function showFaceForm(first) {
  form = await api("/api/admin/tone/expression-form");
  renderRules();
  if (first) {
    $("face-save").addEventListener("click", save);
    await setUpPreview().catch(() => { $("face-preview-panel").hidden = true; });
  }
}
