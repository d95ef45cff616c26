// The context pane: summary and next step, how the customer felt (chart), the conversation with the
// assistant, then orders, invoices and the rest as record cards that wrap inside the pane (never a
// wide table). Values go through formats.js; text only, never HTML.
import { el } from "./api.js";
import { emotionChart } from "./emotion_chart.js";
import { formatField, formatWhen, humanize, statusLabel } from "./formats.js";

const SECTIONS = [
  ["reasons", "Why it was handed over"],
  ["customer", "Customer"],
  ["account", "Account"],
  ["orders", "Orders"],
  ["invoices", "Invoices"],
  ["payment_failures", "Failed payments"],
  ["returns", "Returns and refunds"],
  ["bot_attempts", "What the assistant already tried"],
  ["earlier_conversations", "Earlier conversations"],
  ["earlier_contacts", "Earlier contacts"],
  ["slots", "What the assistant collected"],
  ["warnings", "Warnings"],
];
const OPEN = new Set(["reasons", "orders", "invoices", "payment_failures"]);
const HIDDEN = new Set(["schema", "built_at", "handoff_id", "conversation_id", "created_at", "record"]);
const TITLE_KEYS = ["order_number", "invoice_number", "return_number", "name", "title", "conversation_id"];
const HEADLINE_KEYS = ["total", "amount"];
const WORDS = { order_number: "Order", invoice_number: "Invoice", return_number: "Return" };

// Field names whose words alone would read wrong.
const LABELS = { four_as: "Four A's", csat: "CSAT", sku: "SKU", eta: "Expected" };

function label(key) {
  if (LABELS[key]) return LABELS[key];
  const words = key.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A nested value in one line: "2 × Headphones (€59.00)", "12 Mar 2026 · In transit · Hamburg". */
function inline(value, parent = {}) {
  if (value === null || value === undefined || typeof value !== "object") return formatField("", value, parent);
  if (Array.isArray(value)) return value.map((item) => inline(item, parent)).join("; ");
  if (typeof value.text === "string") return humanize(value.text);
  if ("quantity" in value && "name" in value) {
    const price = value.unit_price !== undefined ? ` (${formatField("unit_price", value.unit_price, parent)})` : "";
    return `${value.quantity} × ${value.name}${price}`;
  }
  return Object.entries(value).filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => (typeof v === "object" ? inline(v, parent) : formatField(k, v, parent))).join(" · ");
}

function fields(record, skip = new Set()) {
  const list = el("dl", { className: "fields" });
  for (const [key, value] of Object.entries(record)) {
    if (skip.has(key) || HIDDEN.has(key) || key === "currency") continue;
    const shown = Array.isArray(value) && value.length && typeof value[0] === "object"
      ? el("ul", { className: "compact" }, value.map((item) => el("li", { text: inline(item, record) })))
      : el("span", { text: typeof value === "object" && value !== null ? inline(value, record) : formatField(key, value, record) });
    list.append(el("dt", { text: label(key) }), el("dd", {}, [shown]));
  }
  return list;
}

function recordCard(record) {
  const titleKey = TITLE_KEYS.find((key) => record[key]);
  const headlineKey = HEADLINE_KEYS.find((key) => record[key] !== undefined && record[key] !== null);
  const status = record.status || record.refund_status;
  const title = titleKey ? `${WORDS[titleKey] ? `${WORDS[titleKey]} ` : ""}${record[titleKey]}` : "";
  const head = el("header", { className: "record-head" }, [
    title ? el("strong", { className: "record-title", text: title }) : null,
    status ? el("span", { className: `badge status status-${String(status)}`, text: statusLabel(status) }) : null,
    record.delayed ? el("span", { className: "badge status status-delayed", text: statusLabel("delayed") }) : null,
    headlineKey ? el("span", { className: "record-amount", text: formatField(headlineKey, record[headlineKey], record) }) : null,
  ]);
  const skip = new Set([titleKey, headlineKey, "status", "refund_status", "delayed"]);
  return el("article", { className: "record" }, [head, fields(record, skip)]);
}

function renderValue(value) {
  if (value === null || value === undefined || typeof value !== "object") return el("p", { text: formatField("", value) });
  if (Array.isArray(value)) {
    if (value.every((item) => item && typeof item === "object" && typeof item.text === "string")) {
      return el("ul", { className: "compact" }, value.map((item) => el("li", { text: humanize(item.text) })));
    }
    if (value.every((item) => item && typeof item === "object" && !Array.isArray(item))) {
      return el("div", { className: "records" }, value.map(recordCard));
    }
    return el("ul", { className: "compact" }, value.map((item) => el("li", { text: inline(item) })));
  }
  if (typeof value.text === "string") return el("p", { text: humanize(value.text) });
  return fields(value);
}

function count(value) {
  return Array.isArray(value) && value.length ? ` (${value.length})` : "";
}

/** @param {HTMLElement} container @param {object} context the package (GET /api/conversations/{id}) */
export function renderContext(container, context) {
  container.replaceChildren();
  const summary = context.summary;
  if (summary) container.append(el("section", { className: "ctx-block" }, [el("h3", { text: "Summary" }), renderValue(summary)]));
  const next = context.suggested_next_step || context.next_step;
  if (next) container.append(el("section", { className: "ctx-block next-step" }, [el("h3", { text: "Suggested next step" }), renderValue(next)]));
  const timeline = context.emotion_timeline || [];
  if (timeline.length) {
    const last = timeline[timeline.length - 1];
    container.append(el("section", { className: "ctx-block" }, [
      el("h3", { text: "How the customer felt" }),
      emotionChart(timeline),
      el("p", { className: "muted", text: `Now: ${last.label}, turn ${last.turn} of ${timeline.length}` }),
    ]));
  }
  const lines = context.transcript || [];
  if (lines.length) {
    const list = el("ol", { className: "transcript" }, lines.map((line) => el("li", { className: `line-${line.role}` }, [
      el("span", { className: "who", text: line.role === "customer" ? "Customer" : "Assistant" }),
      line.timestamp ? el("time", { className: "muted", text: formatWhen(line.timestamp) }) : null,
      el("span", { className: "text", text: line.text }),
    ])));
    container.append(el("details", { className: "ctx-block", attrs: { open: "" } }, [el("summary", { text: `Conversation with the assistant${count(lines)}` }), list]));
  }
  const shown = new Set(["summary", "suggested_next_step", "next_step", "transcript", "emotion_timeline"]);
  for (const [key, title] of SECTIONS) {
    shown.add(key);
    const value = context[key];
    if (value === null || value === undefined || (Array.isArray(value) && !value.length)) continue;
    const block = el("details", { className: "ctx-block", attrs: { "data-section": key, ...(OPEN.has(key) ? { open: "" } : {}) } },
      [el("summary", { text: `${title}${count(value)}` }), renderValue(value)]);
    container.append(block);
  }
  const rest = Object.fromEntries(Object.entries(context).filter(([key, value]) => !shown.has(key) && !HIDDEN.has(key) && value !== null && value !== undefined));
  if (Object.keys(rest).length) {
    container.append(el("details", { className: "ctx-block technical" }, [el("summary", { text: "Other details" }), fields(rest)]));
  }
}
