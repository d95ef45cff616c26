// Intents: list (automated or always to a person), edit examples and responses, create, remove,
// history with revert. Every change is validated by the service (incl. Rasa's validator) first.
import { api, el } from "/static/js/api.js";
import { fillTable, lines, reportError, showProblems, when } from "./ui.js";

let wired = false;
let intents = [];
let editing = null; // the intent being edited, or {name: null} for a new one

const $ = (id) => document.getElementById(id);

function openEditor(intent) {
  editing = intent;
  const isNew = intent === null;
  $("intent-editor").hidden = false;
  $("intent-title").textContent = isNew ? "New intent" : intent.name;
  $("intent-name-label").hidden = !isNew;
  $("intent-name").value = "";
  $("intent-meta").textContent = isNew ? "A new intent is answered by its response (a rule is added)."
    : `${intent.routing === "person" ? "Always goes to a person" : "Automated"} · answered by ${intent.handled_by || "–"}`;
  $("ex-en").value = isNew ? "" : intent.examples.en.join("\n");
  $("ex-de").value = isNew ? "" : intent.examples.de.join("\n");
  const hasResponses = isNew || intent.responses !== null;
  $("responses").hidden = !hasResponses;
  $("re-en").value = hasResponses && !isNew ? intent.responses.en.join("\n") : "";
  $("re-de").value = hasResponses && !isNew ? intent.responses.de.join("\n") : "";
  $("intent-delete").hidden = isNew || !intent.created_in_console;
  $("intent-comment").value = "";
  $("intent-status").textContent = "";
  showProblems($("intent-problems"), null);
}

async function save() {
  const body = {
    examples: { en: lines($("ex-en").value), de: lines($("ex-de").value) },
    comment: $("intent-comment").value,
  };
  if (!$("responses").hidden) body.responses = { en: lines($("re-en").value), de: lines($("re-de").value) };
  $("intent-status").textContent = "Validating…";
  showProblems($("intent-problems"), null);
  try {
    if (editing === null) {
      body.name = $("intent-name").value.trim();
      await api("/api/admin/intents", { method: "POST", body });
    } else {
      await api(`/api/admin/intents/${encodeURIComponent(editing.name).replace("%2F", "/")}`, { method: "PUT", body });
    }
    $("intent-status").textContent = "Saved. Train a new model to use it.";
    const name = editing === null ? body.name : editing.name;
    await refresh();
    openEditor(intents.find((intent) => intent.name === name) || null);
    $("intent-status").textContent = "Saved. Train a new model to use it.";
  } catch (problem) {
    $("intent-status").textContent = "Not saved.";
    showProblems($("intent-problems"), problem);
  }
}

async function remove() {
  if (!editing || !window.confirm(`Remove the intent ${editing.name}?`)) return;
  try {
    await api(`/api/admin/intents/${encodeURIComponent(editing.name)}`, { method: "DELETE" });
    $("intent-editor").hidden = true;
    await refresh();
  } catch (problem) {
    showProblems($("intent-problems"), problem);
  }
}

async function revert(change) {
  try {
    await api(`/api/admin/intent-changes/${change.id}/revert`, { method: "POST" });
    await refresh();
    $("intent-editor").hidden = true;
  } catch (problem) {
    reportError(problem);
  }
}

function summary(state) {
  if (!state) return "(none)";
  return `${state.examples.en.length} en / ${state.examples.de.length} de examples`;
}

async function refresh() {
  intents = (await api("/api/admin/intents")).intents;
  const rows = fillTable($("intent-list"), ["Intent", "Handling", "Examples en / de"], intents.map((intent) => [
    intent.name,
    el("span", { className: `badge routing-${intent.routing}`, text: intent.routing === "person" ? "to a person" : "automated" }),
    `${intent.examples.en.length} / ${intent.examples.de.length}`,
  ]));
  rows.forEach((row, i) => {
    row.dataset.intent = intents[i].name;
    row.addEventListener("click", () => openEditor(intents[i]));
  });
  const changes = (await api("/api/admin/intent-changes?limit=50")).changes;
  fillTable($("intent-history"), ["#", "When", "Who", "Intent", "What", "Before", "After", ""], changes.map((change) => [
    String(change.id), when(change.at), change.actor, change.intent,
    change.action + (change.comment ? ` – ${change.comment}` : ""), summary(change.before), summary(change.after),
    el("button", { text: "Revert", attrs: { type: "button", "data-revert": String(change.id) } }),
  ]));
  for (const button of $("intent-history").querySelectorAll("button[data-revert]")) {
    const change = changes.find((c) => String(c.id) === button.dataset.revert);
    button.addEventListener("click", () => revert(change));
  }
}

export async function showIntents() {
  if (!wired) {
    wired = true;
    $("intent-new").addEventListener("click", () => openEditor(null));
    $("intent-save").addEventListener("click", save);
    $("intent-delete").addEventListener("click", remove);
  }
  await refresh();
}
