// Outcome dashboard: figures computed by the service; charts drawn here; CSV downloads.
import { api, el } from "/static/js/api.js";
import { barChart, lineChart } from "./charts.js";
import { fillTable, percent, reportError, seconds } from "./ui.js";

let wired = false;

/** The readable name the service sent for an intent or reason code (contracts/display_names.yml). */
function readable(data, kind, code) {
  return data.labels?.[kind]?.[code] || capitalise(String(code).replaceAll("_", " "));
}

function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

function shortDay(isoDay) {
  const date = new Date(`${isoDay}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDay : date.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
}

function kpi(label, value) {
  return el("div", { className: "kpi", attrs: { "data-kpi": label } }, [
    el("span", { className: "value", text: value }), el("span", { className: "label", text: label })]);
}

async function download(table) {
  const days = document.getElementById("dash-days").value;
  const token = sessionStorage.getItem("handoff.token");
  const response = await fetch(`/api/admin/dashboard.csv?table=${encodeURIComponent(table)}&days=${days}`,
    { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`CSV export failed (HTTP ${response.status})`);
  const url = URL.createObjectURL(await response.blob());
  const link = el("a", { attrs: { href: url, download: `outcomes-${table}.csv` } });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function load() {
  const days = document.getElementById("dash-days").value;
  const data = await api(`/api/admin/dashboard?days=${encodeURIComponent(days)}`);
  const o = data.overview;
  document.getElementById("kpis").replaceChildren(
    kpi("Conversations", String(o.conversations)),
    kpi("Containment", percent(o.containment.rate)),
    kpi("Handoff rate", percent(o.handoffs.rate)),
    kpi("First-contact resolution", percent(o.first_contact_resolution.rate)),
    kpi("Median time to resolution", seconds(o.time_to_resolution_seconds.median)),
    kpi("Mean handoff wait", seconds(o.handoff_wait_seconds.mean)),
    kpi("CSAT", o.csat.mean === null ? "–" : `${o.csat.mean} / 5 (${o.csat.count})`),
    kpi("Left distress", percent(o.emotions.relief_rate)),
    kpi("Proactive resolutions", String(data.care.proactive_resolutions)),
    kpi("Contacts avoided", String(data.care.contacts_avoided)),
  );
  const days_ = data.daily.map((row) => shortDay(row.key));
  barChart(document.getElementById("chart-daily"), days_, [
    { name: "Conversations", values: data.daily.map((row) => row.conversations) },
  ], { title: "Conversations per day" });
  lineChart(document.getElementById("chart-rates"), days_, [
    { name: "Containment", color: "#0f766e", values: data.daily.map((row) => row.containment_rate) },
    { name: "Handoff rate", color: "#d97706", values: data.daily.map((row) => row.handoff_rate) },
  ], { max: 1, percent: true, title: "Containment and handoff rate per day" });
  const reasons = Object.entries(o.handoffs.reasons).sort(([, a], [, b]) => b - a);
  barChart(document.getElementById("chart-reasons"), reasons.map(([code]) => readable(data, "reasons", code)),
    [{ name: "Handoffs", color: "#d97706", values: reasons.map(([, v]) => v) }], { horizontal: true, title: "Handoff reasons" });
  // The emotion labels come with the figures (the taxonomy, contracts/emotion/taxonomy.yml).
  const emotions = data.emotion_labels;
  barChart(document.getElementById("chart-emotions"), emotions.map(capitalise), [
    { name: "At the start", color: "#6d28d9", values: emotions.map((e) => o.emotions.start[e] || 0) },
    { name: "At the end", color: "#0f766e", values: emotions.map((e) => o.emotions.end[e] || 0) },
  ], { title: "Emotion at the start and at the end" });
  lineChart(document.getElementById("chart-turns"), data.emotion_by_turn.map((row) => `Turn ${row.turn}`),
    [{ name: "Mean distress", color: "#b4235a", values: data.emotion_by_turn.map((row) => row.mean_distress) }],
    { max: 1, percent: true, title: "Mean distress by customer turn" });
  fillTable(document.getElementById("intent-table"),
    ["Intent", "Conversations", "Containment", "Handoff rate", "FCR", "Median resolution", "Mean wait", "CSAT"],
    data.intents.map((row) => [readable(data, "intents", row.key), String(row.conversations), percent(row.containment_rate), percent(row.handoff_rate),
      percent(row.fcr_rate), seconds(row.resolution_median_seconds), seconds(row.wait_mean_seconds),
      row.csat_mean === null ? "–" : String(row.csat_mean)]));
  fillTable(document.getElementById("incident-table"), ["Incident", "Conversations", "Resolved by the assistant"],
    data.incidents.map((row) => [row.name, String(row.conversations), String(row.resolved_by_bot)]));
}

export async function showDashboard() {
  if (!wired) {
    wired = true;
    document.getElementById("dash-refresh").addEventListener("click", () => load().catch(reportError));
    document.getElementById("dash-days").addEventListener("change", () => load().catch(reportError));
    for (const button of document.querySelectorAll("button.csv")) {
      button.addEventListener("click", () => download(button.dataset.table).catch(reportError));
    }
  }
  await load();
}
