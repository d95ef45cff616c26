/** Message times as people read them: "14:05" today, "Mon 14:05" this week, a date before. */
const formatters = new Map();

function formatter(language, options) {
  const key = `${language}|${JSON.stringify(options)}`;
  if (!formatters.has(key)) formatters.set(key, new Intl.DateTimeFormat(language, options));
  return formatters.get(key);
}

/**
 * @param {Date} when
 * @param {string} language  a BCP 47 tag ('en', 'de', 'en-GB')
 * @param {Date} [now]
 */
export function messageTime(when, language, now = new Date()) {
  const clock = { hour: 'numeric', minute: '2-digit' };
  const days = (startOfDay(now) - startOfDay(when)) / 86_400_000;
  if (days <= 0) return formatter(language, clock).format(when);
  if (days < 7) return formatter(language, { weekday: 'short', ...clock }).format(when);
  return formatter(language, { day: 'numeric', month: 'short', ...clock }).format(when);
}

function startOfDay(date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** A frame's `ts` (seconds since the epoch, the server's clock) as a Date; now when absent. */
export function frameTime(ts) {
  return Number.isFinite(ts) ? new Date(ts * 1000) : new Date();
}
