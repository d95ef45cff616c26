// Retraining: start, watch the stage and the log, see the comparison, roll back.
import { api, el } from "/static/js/api.js";
import { fillTable, percent, reportError, when } from "./ui.js";

let wired = false;
let timer = null;
const $ = (id) => document.getElementById(id);

function describe(state) {
  const items = [["Status", state.status], ["Stage", state.stage || "–"], ["Model", state.model || "–"],
    ["Started by", state.actor || "–"], ["Started", when(state.started_at)], ["Finished", when(state.finished_at)]];
  const evaluation = state.evaluation;
  if (evaluation && evaluation.candidate) {
    items.push(["New model (held-out)", `${percent(evaluation.candidate.accuracy)} of ${evaluation.candidate.cases}`]);
    items.push(["Active model (held-out)", `${percent(evaluation.active.accuracy)} of ${evaluation.active.cases}`]);
    items.push(["Decision", evaluation.reason]);
  } else if (evaluation && evaluation.reason) {
    items.push(["Decision", evaluation.reason]);
  }
  if (state.error) items.push(["Problem", state.error]);
  return items.flatMap(([term, value]) => [el("dt", { text: term }), el("dd", { text: value, attrs: { "data-field": term } })]);
}

async function refresh() {
  const state = await api("/api/admin/training");
  $("train-state").replaceChildren(...describe(state));
  $("train-log").textContent = state.log || "";
  $("train").disabled = state.running;
  $("rollback").disabled = state.running;
  fillTable($("switches"), ["When", "Who", "What", "Model", "Before"], state.switches.map((s) => [
    when(s.at), s.actor, s.action, s.model, s.previous_model || "–"]));
  clearTimeout(timer);
  if (state.running && !$("training").hidden) timer = setTimeout(() => refresh().catch(reportError), 2000);
}

export async function showTraining() {
  if (!wired) {
    wired = true;
    $("train").addEventListener("click", async () => {
      try { await api("/api/admin/training", { method: "POST" }); } catch (problem) { reportError(problem); }
      await refresh().catch(reportError);
    });
    $("rollback").addEventListener("click", async () => {
      if (!window.confirm("Go back to the previous model?")) return;
      try { await api("/api/admin/training/rollback", { method: "POST" }); } catch (problem) { reportError(problem); }
      await refresh().catch(reportError);
    });
  }
  await refresh();
}
