// Incidents: publish what customers are told about an outage, a carrier delay or a recall;
// update and close it; every change is in the audit table. For supervisors and admins.
import { api } from "/static/js/api.js";
import { fillTable, reportError, showProblems, when } from "./ui.js";

const $ = (id) => document.getElementById(id);
const LANGUAGES = ["en", "de"];
const FIELDS = ["summary", "advice", "timeline"];
const HINTS = {
  everyone: "Every customer is told.",
  carrier: "Customers with an order on its way with one of these carriers, e.g. DHL, Royal Mail.",
  region: "Country codes, or a country and the start of a postcode: DE-8 is postcodes 8xxxx in Germany.",
  products: "Product numbers (SKUs), e.g. HOME-1042: customers who ordered them, delivered or not.",
};
let wired = false;
let editing = null; // the incident being edited, or null for a new one

function scopeText(scope) {
  return scope.values.length ? `${scope.kind}: ${scope.values.join(", ")}` : scope.kind;
}

function showKind() {
  const kind = $("inc-kind").value;
  $("inc-values-label").hidden = kind === "everyone";
  $("inc-values-hint").textContent = HINTS[kind];
}

function formBody() {
  const kind = $("inc-kind").value;
  const values = kind === "everyone" ? [] : $("inc-values").value.split(",").map((v) => v.trim()).filter(Boolean);
  const texts = {};
  for (const language of LANGUAGES) {
    texts[language] = {};
    for (const field of FIELDS) texts[language][field] = $(`inc-${language}-${field}`).value;
  }
  return { scope: { kind, values }, texts, comment: $("inc-comment").value };
}

async function openEditor(incident) {
  editing = incident;
  showProblems($("inc-problems"), null);
  $("inc-status").textContent = "";
  $("inc-editor").hidden = false;
  $("inc-title").textContent = incident ? `Incident ${incident.incident_id}` : "New incident";
  $("inc-meta").textContent = incident
    ? `Version ${incident.version}, ${incident.status}, last changed ${when(incident.updated_at)} by ${incident.updated_by}` : "";
  $("inc-kind").value = incident ? incident.scope.kind : "everyone";
  $("inc-values").value = incident ? incident.scope.values.join(", ") : "";
  for (const language of LANGUAGES) {
    for (const field of FIELDS) $(`inc-${language}-${field}`).value = incident ? incident.texts[language][field] : "";
  }
  $("inc-comment").value = "";
  const open = !incident || incident.status === "active";
  $("inc-save").textContent = incident ? "Publish update" : "Publish";
  $("inc-save").disabled = !open;
  $("inc-close").hidden = !incident || !open;
  showKind();
  if (!incident) { $("inc-audit").replaceChildren(); return; }
  const audit = await api(`/api/admin/incidents/${incident.incident_id}/audit`);
  fillTable($("inc-audit"), ["When", "Who", "What", "Version", "Comment"],
    audit.entries.map((e) => [when(e.ts), e.actor, e.action, String(e.version), e.comment || "–"]));
}

async function save() {
  showProblems($("inc-problems"), null);
  try {
    const saved = editing
      ? await api(`/api/admin/incidents/${editing.incident_id}`, { method: "PUT", body: formBody() })
      : await api("/api/admin/incidents", { method: "POST", body: formBody() });
    await showIncidents();
    await openEditor(saved);
    $("inc-status").textContent = `Published (version ${saved.version}).`;
  } catch (problem) {
    showProblems($("inc-problems"), problem);
  }
}

async function closeIncident() {
  if (!editing) return;
  try {
    const closed = await api(`/api/admin/incidents/${editing.incident_id}/close`, { method: "POST",
      body: { comment: $("inc-comment").value } });
    await showIncidents();
    await openEditor(closed);
    $("inc-status").textContent = "Closed: customers are no longer told.";
  } catch (problem) {
    showProblems($("inc-problems"), problem);
  }
}

export async function showIncidents() {
  if (!wired) {
    wired = true;
    $("inc-new").addEventListener("click", () => openEditor(null).catch(reportError));
    $("inc-kind").addEventListener("change", showKind);
    $("inc-save").addEventListener("click", save);
    $("inc-close").addEventListener("click", closeIncident);
  }
  const data = await api("/api/admin/incidents");
  const rows = fillTable($("inc-list"), ["Status", "Affects", "What happened", "Changed", "Version"],
    data.incidents.map((i) => [i.status, scopeText(i.scope), i.texts.en.summary, when(i.updated_at), String(i.version)]));
  rows.forEach((row, index) => {
    row.tabIndex = 0;
    row.classList.add("clickable");
    const open = () => openEditor(data.incidents[index]).catch(reportError);
    row.addEventListener("click", open);
    row.addEventListener("keydown", (event) => { if (event.key === "Enter") open(); });
  });
}
