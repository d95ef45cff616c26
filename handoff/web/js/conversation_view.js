// Rendering of one conversation: context package and chat lines. Text only, never HTML.
import { el } from "./api.js";

const KIND_LABEL = { customer: "Customer", agent: "", note: "Note", whisper: "Whisper", system: "" };

export function renderMessage(line) {
  // A supervisor's barge-in says so, as it does for the customer.
  const who = line.kind === "agent" ? (line.author_role === "supervisor" ? `${line.author_name} (supervisor)` : line.author_name)
    : line.kind === "customer" ? "Customer"
    : line.kind === "system" ? "·"
    : `${KIND_LABEL[line.kind]} · ${line.author_name}`;
  const item = el("li", { className: `msg msg-${line.kind}`, attrs: { "data-id": line.id, "data-kind": line.kind } }, [
    el("span", { className: "who", text: who }),
    el("span", { className: "text", text: line.text }),
  ]);
  return item;
}

// How the package's fields read for an agent: people-first sections in this order, technical
// identifiers last and folded away. Values are rendered by shape (text, list, table, key/value).
const SECTIONS = [
  ["reasons", "Why it was handed over"],
  ["customer", "Customer"],
  ["account", "Account"],
  ["orders", "Orders"],
  ["invoices", "Invoices"],
  ["payment_failures", "Failed payments"],
  ["returns", "Returns and refunds"],
  ["emotion_timeline", "How the customer felt, turn by turn"],
  ["bot_attempts", "What the assistant already tried"],
  ["earlier_conversations", "Earlier conversations"],
  ["earlier_contacts", "Earlier contacts"],
  ["slots", "What the assistant collected"],
  ["warnings", "Warnings"],
];
const TECHNICAL = new Set(["schema", "built_at", "handoff_id", "conversation_id", "created_at", "record"]);

function label(key) {
  return key.replaceAll("_", " ");
}

function isPlain(value) {
  return value === null || value === undefined || ["string", "number", "boolean"].includes(typeof value);
}

function plainText(value, key = "") {
  if (typeof value === "number" && (key === "timestamp" || key === "ts" || key.endsWith("_at")) && value > 1e9) {
    return new Date(value * 1000).toLocaleString();
  }
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(2);
  if (isPlain(value)) return String(value);
  // A nested value inside a table cell: short key: value pairs, never markup.
  if (Array.isArray(value)) return value.map(plainText).join(", ");
  if (typeof value.text === "string") return value.text;
  return Object.entries(value).map(([k, v]) => `${label(k)}: ${plainText(v)}`).join("; ");
}

function table(rows) {
  const columns = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const head = el("tr", {}, columns.map((key) => el("th", { text: label(key), attrs: { scope: "col" } })));
  const body = rows.map((row) => el("tr", {}, columns.map((key) => el("td", { text: plainText(row[key], key) }))));
  return el("table", { className: "context-table" }, [el("thead", {}, [head]), el("tbody", {}, body)]);
}

/** Any JSON value as readable text: lists as bullets, lists of records as a table, records as key/value. */
function renderValue(value, key = "") {
  if (isPlain(value)) return el("span", { text: plainText(value, key) });
  if (Array.isArray(value)) {
    if (!value.length) return el("span", { text: "—" });
    if (value.every((item) => item && typeof item === "object" && !Array.isArray(item))) {
      // Reasons and similar carry a sentence for people: show that, not the table.
      if (value.every((item) => typeof item.text === "string")) {
        return el("ul", {}, value.map((item) => el("li", { text: item.text })));
      }
      return table(value);
    }
    return el("ul", {}, value.map((item) => el("li", {}, [renderValue(item)])));
  }
  // A record that carries its own sentence (how the customer feels, …) reads as that sentence;
  // the numbers behind it are in the emotion timeline.
  if (typeof value.text === "string") return el("span", { text: value.text });
  const list = el("dl");
  for (const [key, item] of Object.entries(value)) {
    list.append(el("dt", { text: label(key) }), el("dd", {}, [renderValue(item, key)]));
  }
  return list;
}

function transcriptOf(context) {
  return context.transcript || (context.record && context.record.transcript) || [];
}

function emotionNote(emotion) {
  if (!emotion) return "";
  const name = typeof emotion === "object" ? emotion.label : emotion;
  if (!name) return "";
  const intensity = typeof emotion === "object" && typeof emotion.intensity === "number"
    ? ` ${Math.round(emotion.intensity * 100)}%` : "";
  return ` (${name}${intensity})`;
}

/** The context package: summary and next step first, then transcript, profile and the rest. */
export function renderContext(container, context) {
  container.replaceChildren();
  const summary = context.summary;
  if (summary) container.append(el("h3", { text: "Summary" }), renderValue(summary));
  const next = context.suggested_next_step || context.next_step;
  if (next) container.append(el("h3", { text: "Suggested next step" }), renderValue(next));
  const lines = transcriptOf(context);
  if (lines.length) {
    const list = el("ol", { className: "transcript" });
    for (const line of lines) {
      list.append(el("li", { className: `line-${line.role}` }, [
        el("span", { className: "who", text: `${line.role}${emotionNote(line.emotion)}` }),
        el("span", { className: "text", text: line.text }),
      ]));
    }
    container.append(el("h3", { text: "Transcript" }), list);
  }
  const shown = new Set(["summary", "suggested_next_step", "next_step", "transcript"]);
  for (const [key, title] of SECTIONS) {
    shown.add(key);
    const value = context[key];
    if (value === null || value === undefined || (Array.isArray(value) && !value.length)) continue;
    const block = el("details", { attrs: key === "reasons" ? { open: "" } : {} }, [el("summary", { text: title })]);
    block.append(renderValue(value));
    container.append(block);
  }
  const rest = Object.entries(context).filter(([key, value]) => !shown.has(key) && value !== null && value !== undefined);
  if (rest.length) {
    const block = el("details", { className: "technical" }, [el("summary", { text: "Other details" })]);
    const list = el("dl");
    for (const [key, value] of rest.sort(([a], [b]) => TECHNICAL.has(a) - TECHNICAL.has(b))) {
      list.append(el("dt", { text: label(key) }), el("dd", {}, [renderValue(value, key)]));
    }
    block.append(list);
    container.append(block);
  }
}

export function emotionBadge(label, distress) {
  const level = distress >= 0.6 ? "high" : distress >= 0.3 ? "mid" : "low";
  return el("span", { className: `badge emotion-${level}`, text: `${label || "neutral"} ${Math.round((distress || 0) * 100)}%` });
}
