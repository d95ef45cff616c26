// Dates, amounts and status codes as people read them, in the agent's language (the browser's):
// Intl.DateTimeFormat / NumberFormat, and a label for every status code the context package carries.
// Nothing on the agent page shows a raw ISO timestamp or a snake_case code.

export const LOCALE = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
const LANG = LOCALE.toLowerCase().startsWith("de") ? "de" : "en";

const STATUS = {
  en: {
    processing: "Processing", in_transit: "In transit", out_for_delivery: "Out for delivery", delivered: "Delivered",
    delayed: "Delayed", lost: "Lost in transit", cancelled: "Cancelled", returned: "Returned", open: "Open",
    paid: "Paid", overdue: "Overdue", partially_paid: "Partly paid", pending: "Pending", refunded: "Refunded",
    failed: "Failed", resolved: "Resolved", requested: "Requested", approved: "Approved", rejected: "Rejected",
    received: "Received", queued: "Waiting", assigned: "With an agent", ended: "Ended",
  },
  de: {
    processing: "In Bearbeitung", in_transit: "Unterwegs", out_for_delivery: "In Zustellung", delivered: "Zugestellt",
    delayed: "Verspätet", lost: "Verloren gegangen", cancelled: "Storniert", returned: "Zurückgeschickt", open: "Offen",
    paid: "Bezahlt", overdue: "Überfällig", partially_paid: "Teilweise bezahlt", pending: "Ausstehend",
    refunded: "Erstattet", failed: "Fehlgeschlagen", resolved: "Gelöst", requested: "Angefragt",
    approved: "Genehmigt", rejected: "Abgelehnt", received: "Eingegangen", queued: "Wartet",
    assigned: "Bei einer Person", ended: "Beendet",
  },
};

const dateOnly = new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium" });
const dateTime = new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeStyle: "short" });
const timeOnly = new Intl.DateTimeFormat(LOCALE, { timeStyle: "short" });
const percent = new Intl.NumberFormat(LOCALE, { style: "percent", maximumFractionDigits: 0 });
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

/** "in_transit" → "In transit" / "Unterwegs"; an unknown code reads as words, never as a code. */
export function statusLabel(code) {
  if (code === null || code === undefined || code === "") return "—";
  const text = String(code);
  const known = STATUS[LANG][text] || STATUS.en[text];
  if (known) return known;
  const words = text.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A date or a moment (ISO text, or seconds since 1970) in the agent's format; "" if it is none. */
export function formatWhen(value) {
  if (typeof value === "number" && value > 1e9) return dateTime.format(new Date(value * 1000));
  if (typeof value !== "string") return "";
  if (ISO_DATE.test(value)) return dateOnly.format(new Date(`${value}T12:00:00`));
  if (ISO_DATE_TIME.test(value)) {
    const parsed = new Date(value);
    return Number.isNaN(parsed.getTime()) ? "" : dateTime.format(parsed);
  }
  return "";
}

/** Seconds since 1970 as a time of day ("14:05"); for chat lines. */
export function formatTime(seconds) {
  return timeOnly.format(new Date(seconds * 1000));
}

export function formatMoney(amount, currency) {
  const number = Number(amount);
  if (!Number.isFinite(number)) return String(amount);
  try {
    return new Intl.NumberFormat(LOCALE, { style: "currency", currency: currency || "EUR" }).format(number);
  } catch {
    return new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2 }).format(number);
  }
}

export function formatPercent(share) {
  return percent.format(Math.max(0, Math.min(1, Number(share) || 0)));
}

const MONEY_KEYS = new Set(["amount", "amount_paid", "total", "unit_price", "refund_amount", "price", "balance"]);

/** A field of a record as text, by what its name says it holds (`record` gives the currency). */
export function formatField(key, value, record = {}) {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (MONEY_KEYS.has(key)) return formatMoney(value, record.currency);
  if (key === "status" || key.endsWith("_status") || key.endsWith("intent") || key.endsWith("reason") || key === "skill") return statusLabel(value);
  const when = formatWhen(value);
  if (when) return when;
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(2);
  return humanize(value);
}

const IN_TEXT_DATE = /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g;
const IN_TEXT_AMOUNT = /\b(\d+(?:\.\d{1,2})?) ([A-Z]{3})\b/g;
const IN_TEXT_CODE = /\b[a-z]+(?:_[a-z]+)+\b/g;

/** Free text from the service (summaries, next steps) with its dates, amounts and status codes
 * written as everywhere else on the page: "expected 2026-12-07, 179.00 GBP, in_transit" →
 * "expected 7 Dec 2026, £179.00, In transit". */
export function humanize(text) {
  return String(text)
    .replace(IN_TEXT_DATE, (found) => formatWhen(found) || found)
    .replace(IN_TEXT_AMOUNT, (_found, amount, currency) => formatMoney(amount, currency))
    .replace(IN_TEXT_CODE, (code) => (STATUS[LANG][code] || STATUS.en[code] ? statusLabel(code).toLowerCase() : code));
}

/** Waiting time: "45 s", "4 min", "1 h 05 min". */
export function formatWait(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}
