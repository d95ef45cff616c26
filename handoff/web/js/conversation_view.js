// Rendering of one conversation: context package and chat lines. Text only, never HTML.
import { el } from "./api.js";

const KIND_LABEL = { customer: "Customer", agent: "", note: "Note", whisper: "Whisper", system: "" };

export function renderMessage(line) {
  const who = line.kind === "agent" ? line.author_name
    : line.kind === "customer" ? "Customer"
    : line.kind === "system" ? "·"
    : `${KIND_LABEL[line.kind]} · ${line.author_name}`;
  const item = el("li", { className: `msg msg-${line.kind}`, attrs: { "data-id": line.id, "data-kind": line.kind } }, [
    el("span", { className: "who", text: who }),
    el("span", { className: "text", text: line.text }),
  ]);
  return item;
}

function valueText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function definitionList(object) {
  const list = el("dl");
  for (const [key, value] of Object.entries(object || {})) {
    list.append(el("dt", { text: key.replaceAll("_", " ") }), el("dd", { text: valueText(value) }));
  }
  return list;
}

function transcriptOf(context) {
  return context.transcript || (context.record && context.record.transcript) || [];
}

/** The context package: summary and next step first, then transcript, profile and the rest. */
export function renderContext(container, context) {
  container.replaceChildren();
  const summary = context.summary;
  if (summary) {
    container.append(el("h3", { text: "Summary" }),
      typeof summary === "object" ? definitionList(summary) : el("p", { text: summary }));
  }
  const next = context.suggested_next_step || context.next_step;
  if (next) {
    container.append(el("h3", { text: "Suggested next step" }),
      typeof next === "object" ? definitionList(next) : el("p", { text: next }));
  }
  const lines = transcriptOf(context);
  if (lines.length) {
    const list = el("ol", { className: "transcript" });
    for (const line of lines) {
      const emotion = line.emotion ? ` (${valueText(line.emotion.label || line.emotion)})` : "";
      list.append(el("li", { className: `line-${line.role}` }, [
        el("span", { className: "who", text: `${line.role}${emotion}` }),
        el("span", { className: "text", text: line.text }),
      ]));
    }
    container.append(el("h3", { text: "Transcript" }), list);
  }
  const shown = new Set(["summary", "suggested_next_step", "next_step", "transcript"]);
  for (const [key, value] of Object.entries(context)) {
    if (shown.has(key) || value === null || value === undefined) continue;
    const block = el("details", {}, [el("summary", { text: key.replaceAll("_", " ") })]);
    block.append(typeof value === "object" && !Array.isArray(value)
      ? definitionList(value) : el("pre", { text: JSON.stringify(value, null, 2) }));
    container.append(block);
  }
}

export function emotionBadge(label, distress) {
  const level = distress >= 0.6 ? "high" : distress >= 0.3 ? "mid" : "low";
  return el("span", { className: `badge emotion-${level}`, text: `${label || "neutral"} ${Math.round((distress || 0) * 100)}%` });
}
