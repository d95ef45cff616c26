// Escalation thresholds: edit the main values, preview on stored conversations, apply, audit log.
import { api, el } from "/static/js/api.js";
import { fillTable, reportError, showProblems, when } from "./ui.js";

let wired = false;
let loaded = null; // {config, version}
const $ = (id) => document.getElementById(id);

function render(data) {
  loaded = data;
  const config = data.config;
  $("esc-version").textContent = `Version ${data.version}${data.version === 0 ? " (shipped defaults)" : ""}`;
  $("esc-always").value = config.always_escalate_intents.intents.join(", ");
  $("esc-rising").checked = config.emotion.rising_trend.enabled;
  $("esc-fallbacks").value = config.fallbacks.max_fallbacks;
  $("esc-vulnerable").checked = config.vulnerable_customers.enabled;
  $("esc-labels").replaceChildren(...Object.entries(config.emotion.labels).map(([label, rule]) => el("div", {}, [
    el("strong", { text: label }),
    el("label", { text: "min intensity" }, [el("input", { attrs: { type: "number", step: "0.01", min: "0", max: "1",
      value: String(rule.min_intensity), "data-label": label, "data-field": "min_intensity" } })]),
    el("label", { text: "consecutive messages" }, [el("input", { attrs: { type: "number", min: "1", max: "10",
      value: String(rule.consecutive_turns), "data-label": label, "data-field": "consecutive_turns" } })]),
  ])));
}

/** The loaded config with the form's values; the form cannot produce wrong types, the service checks ranges. */
function edited() {
  const config = structuredClone(loaded.config);
  config.always_escalate_intents.intents = $("esc-always").value.split(",").map((s) => s.trim()).filter(Boolean);
  config.emotion.rising_trend.enabled = $("esc-rising").checked;
  config.fallbacks.max_fallbacks = Number($("esc-fallbacks").value);
  config.vulnerable_customers.enabled = $("esc-vulnerable").checked;
  for (const input of $("esc-labels").querySelectorAll("input[data-label]")) {
    config.emotion.labels[input.dataset.label][input.dataset.field] = Number(input.value);
  }
  return config;
}

function routeText(route) {
  return route.route === "bot" ? "bot only" : `${route.route} at message ${route.turn} (${route.reasons.join(", ")})`;
}

async function preview() {
  showProblems($("esc-problems"), null);
  $("esc-status").textContent = "Replaying…";
  try {
    const result = await api("/api/admin/escalation/preview", { method: "POST",
      body: { config: edited(), limit: Number($("esc-limit").value) } });
    const summary = el("table", { className: "grid", attrs: { id: "esc-summary" } });
    fillTable(summary, ["", "bot only", "offered a person", "handed over"], [
      ["current values", String(result.current.bot), String(result.current.offer), String(result.current.handoff)],
      ["new values", String(result.proposed.bot), String(result.proposed.offer), String(result.proposed.handoff)],
    ]);
    const changed = el("table", { className: "grid" });
    fillTable(changed, ["Conversation", "Now", "With the new values"], result.rows.filter((row) => row.changed)
      .map((row) => [row.conversation_id, routeText(row.current), routeText(row.proposed)]));
    $("esc-preview-result").replaceChildren(
      el("p", { text: `${result.conversations} conversations replayed, ${result.changed} would be routed differently.`,
        attrs: { id: "esc-preview-summary" } }), summary, changed);
    $("esc-status").textContent = "";
  } catch (problem) {
    $("esc-status").textContent = "";
    showProblems($("esc-problems"), problem);
  }
}

async function apply() {
  showProblems($("esc-problems"), null);
  try {
    const result = await api("/api/admin/escalation", { method: "PUT",
      body: { config: edited(), comment: $("esc-comment").value } });
    await refresh();
    $("esc-status").textContent = `Applied as version ${result.version}; it counts from the next customer message.`;
  } catch (problem) {
    showProblems($("esc-problems"), problem);
  }
}

async function refresh() {
  render(await api("/api/admin/escalation"));
  const entries = (await api("/api/admin/escalation/audit?limit=50")).entries;
  fillTable($("esc-audit"), ["Version", "When", "Who", "Comment"], entries.map((entry) => [
    String(entry.version), when(entry.ts), entry.actor, entry.comment || "–"]));
}

export async function showEscalation() {
  if (!wired) {
    wired = true;
    $("esc-preview").addEventListener("click", preview);
    $("esc-apply").addEventListener("click", () => apply().catch(reportError));
  }
  await refresh();
}
