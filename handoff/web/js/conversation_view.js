// One chat line and the emotion badge, as the agent console shows them. Text only, never HTML.
import { el } from "./api.js";
import { levelOf } from "./emotion_chart.js";
import { formatPercent, formatTime } from "./formats.js";

const KIND_LABEL = { customer: "Customer", agent: "", note: "Note", whisper: "Whisper", system: "" };

export function renderMessage(line) {
  // A supervisor's barge-in says so, as it does for the customer.
  const who = line.kind === "agent" ? (line.author_role === "supervisor" ? `${line.author_name} (supervisor)` : line.author_name)
    : line.kind === "customer" ? "Customer"
    : line.kind === "system" ? ""
    : `${KIND_LABEL[line.kind]} · ${line.author_name}`;
  return el("li", { className: `msg msg-${line.kind}`, attrs: { "data-id": line.id, "data-kind": line.kind } }, [
    el("span", { className: "who", text: who }),
    el("span", { className: "text", text: line.text }),
    line.ts ? el("time", { className: "msg-time", text: formatTime(line.ts) }) : null,
  ]);
}

export function emotionBadge(label, distress) {
  const name = label || "neutral";
  return el("span", {
    className: `badge emotion-${levelOf(distress || 0)}`,
    text: `${name.charAt(0).toUpperCase()}${name.slice(1)} ${formatPercent(distress || 0)}`,
    attrs: { title: `Emotion: ${name}, distress ${formatPercent(distress || 0)}` },
  });
}

// The supervisor console reads the context renderer from here.
export { renderContext } from "./context_view.js";
