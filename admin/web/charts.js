// Small hand-made SVG charts (no library, no network). Labels are set with textContent.
const NS = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

/**
 * Vertical bars, optionally grouped: series = [{name, color, values: number[]}], labels = string[].
 * @param {HTMLElement} target
 */
export function barChart(target, labels, series, { width = 420, height = 200, max } = {}) {
  const top = 10, bottom = 40, left = 34;
  const plotHeight = height - top - bottom;
  const all = series.flatMap((s) => s.values.map((v) => v || 0));
  const maximum = max ?? Math.max(1, ...all);
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img" });
  const groupWidth = (width - left) / Math.max(1, labels.length);
  const barWidth = Math.max(2, (groupWidth * 0.8) / Math.max(1, series.length));
  root.append(svg("line", { x1: left, y1: top + plotHeight, x2: width, y2: top + plotHeight, stroke: "#8793a8" }));
  root.append(svg("text", { x: 2, y: top + 8 }, formatTick(maximum)));
  root.append(svg("text", { x: 2, y: top + plotHeight }, "0"));
  labels.forEach((label, i) => {
    series.forEach((s, j) => {
      const value = s.values[i] || 0;
      const h = (value / maximum) * plotHeight;
      const x = left + i * groupWidth + groupWidth * 0.1 + j * barWidth;
      const bar = svg("rect", { x, y: top + plotHeight - h, width: barWidth - 1, height: h, fill: s.color });
      bar.append(svg("title", {}, `${s.name} · ${label}: ${value}`));
      root.append(bar);
    });
    const text = svg("text", { x: left + i * groupWidth + groupWidth / 2, y: height - bottom + 14, "text-anchor": "middle" },
      shorten(label));
    root.append(text);
  });
  legend(root, series, height - 12, left);
  target.replaceChildren(root);
}

/** A line per series over labels (values may be null: gaps). */
export function lineChart(target, labels, series, { width = 420, height = 200, max } = {}) {
  const top = 10, bottom = 40, left = 34;
  const plotHeight = height - top - bottom;
  const maximum = max ?? Math.max(1e-9, ...series.flatMap((s) => s.values.filter((v) => v !== null)));
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img" });
  const step = (width - left - 40) / Math.max(1, labels.length - 1);
  root.append(svg("line", { x1: left, y1: top + plotHeight, x2: width, y2: top + plotHeight, stroke: "#8793a8" }));
  root.append(svg("text", { x: 2, y: top + 8 }, formatTick(maximum)));
  root.append(svg("text", { x: 2, y: top + plotHeight }, "0"));
  for (const s of series) {
    const points = s.values.map((v, i) => (v === null ? null : [left + i * step, top + plotHeight - (v / maximum) * plotHeight]));
    const d = points.map((p, i) => (p ? `${i && points[i - 1] ? "L" : "M"}${p[0].toFixed(1)},${p[1].toFixed(1)}` : "")).join(" ");
    root.append(svg("path", { d, fill: "none", stroke: s.color, "stroke-width": 2 }));
    points.forEach((p, i) => {
      if (!p) return;
      const dot = svg("circle", { cx: p[0], cy: p[1], r: 3, fill: s.color });
      dot.append(svg("title", {}, `${s.name} · ${labels[i]}: ${s.values[i]}`));
      root.append(dot);
    });
  }
  labels.forEach((label, i) => {
    root.append(svg("text", { x: left + i * step, y: height - bottom + 14, "text-anchor": "middle" }, shorten(label)));
  });
  legend(root, series, height - 12, left);
  target.replaceChildren(root);
}

function legend(root, series, y, x0) {
  let x = x0;
  for (const s of series) {
    root.append(svg("rect", { x, y: y - 8, width: 10, height: 10, fill: s.color }));
    root.append(svg("text", { x: x + 14, y }, s.name));
    x += 24 + s.name.length * 6;
  }
}

function shorten(label) {
  const text = String(label);
  return text.length > 12 ? `${text.slice(0, 11)}…` : text;
}

function formatTick(value) {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
