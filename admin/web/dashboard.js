// Outcome dashboard: figures computed by the service; charts drawn here; CSV downloads.
import { api, el } from "/static/js/api.js";
import { barChart, lineChart } from "./charts.js";
import { fillTable, percent, reportError, seconds } from "./ui.js";

let wired = false;

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
  const days_ = data.daily.map((row) => row.key);
  barChart(document.getElementById("chart-daily"), days_, [
    { name: "conversations", color: "#4e79a7", values: data.daily.map((row) => row.conversations) },
  ]);
  const daily = document.getElementById("chart-daily");
  const line = el("div");
  daily.append(line);
  lineChart(line, days_, [
    { name: "containment", color: "#59a14f", values: data.daily.map((row) => row.containment_rate) },
    { name: "handoff rate", color: "#e15759", values: data.daily.map((row) => row.handoff_rate) },
  ], { max: 1, height: 160 });
  const reasons = Object.entries(o.handoffs.reasons);
  barChart(document.getElementById("chart-reasons"), reasons.map(([k]) => k),
    [{ name: "handoffs", color: "#f28e2b", values: reasons.map(([, v]) => v) }]);
  // The emotion labels come with the figures (the taxonomy, contracts/emotion/taxonomy.yml).
  const emotions = data.emotion_labels;
  barChart(document.getElementById("chart-emotions"), emotions, [
    { name: "start", color: "#9c755f", values: emotions.map((e) => o.emotions.start[e] || 0) },
    { name: "end", color: "#76b7b2", values: emotions.map((e) => o.emotions.end[e] || 0) },
  ]);
  lineChart(document.getElementById("chart-turns"), data.emotion_by_turn.map((row) => `turn ${row.turn}`),
    [{ name: "mean distress", color: "#b07aa1", values: data.emotion_by_turn.map((row) => row.mean_distress) }], { max: 1 });
  fillTable(document.getElementById("intent-table"),
    ["Intent", "Conversations", "Containment", "Handoff rate", "FCR", "Median resolution", "Mean wait", "CSAT"],
    data.intents.map((row) => [row.key, String(row.conversations), percent(row.containment_rate), percent(row.handoff_rate),
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
