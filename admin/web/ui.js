// Shared helpers of the admin sections: tables, numbers, problem lists. Text only, never HTML.
import { ApiError, el } from "/static/js/api.js";

export function reportError(problem) {
  document.getElementById("error").textContent = problem ? String(problem.message || problem) : "";
}

/** Fills a <table> with a header row and one row per item; cells are strings or nodes. */
export function fillTable(table, headers, rows) {
  const head = el("tr", {}, headers.map((h) => el("th", { text: h })));
  const body = rows.map((cells) => el("tr", {}, cells.map((cell) => (
    cell instanceof Node ? el("td", {}, [cell]) : el("td", { text: cell ?? "–" })))));
  table.replaceChildren(el("thead", {}, [head]), el("tbody", {}, body));
  return body;
}

export function percent(value) {
  return value === null || value === undefined ? "–" : `${(value * 100).toFixed(1)} %`;
}

export function seconds(value) {
  if (value === null || value === undefined) return "–";
  return value < 120 ? `${Math.round(value)} s` : `${(value / 60).toFixed(1)} min`;
}

export function lines(text) {
  return text.split("\n").map((line) => line.trim()).filter((line) => line.length > 0);
}

/** Shows the problems of a refused change (ApiError message is "a; b; c"). */
export function showProblems(list, problem) {
  const items = problem instanceof ApiError ? problem.message.split("; ") : problem ? [String(problem.message || problem)] : [];
  list.replaceChildren(...items.map((text) => el("li", { text })));
}

export function when(iso) {
  if (!iso) return "–";
  const date = typeof iso === "number" ? new Date(iso * 1000) : new Date(iso);
  return date.toLocaleString();
}
