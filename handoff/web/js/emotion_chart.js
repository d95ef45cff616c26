// How the customer felt, turn by turn, as a small bar chart (inline SVG, no library): one bar per
// turn, its height the distress (or intensity), its colour the level. The whole chart has one
// accessible name that says the same in words; each bar has a tooltip.
import { formatPercent } from "./formats.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 240;
const HEIGHT = 56;
const GAP = 3;

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  return node;
}

export function levelOf(share) {
  return share >= 0.6 ? "high" : share >= 0.3 ? "mid" : "low";
}

function strengthOf(point) {
  const value = typeof point.distress === "number" && point.distress > 0 ? point.distress : point.intensity;
  return Math.max(0, Math.min(1, Number(value) || 0));
}

/** @param {Array<{turn: number, label: string, intensity?: number, distress?: number}>} timeline */
export function emotionChart(timeline) {
  const points = (Array.isArray(timeline) ? timeline : []).slice(-24);
  const words = points.map((p) => `turn ${p.turn}: ${p.label} ${formatPercent(strengthOf(p))}`).join(", ");
  const chart = svg("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "emotion-chart", role: "img",
    "aria-label": points.length ? `Distress by turn: ${words}` : "No emotion readings yet",
  });
  chart.append(svg("line", { x1: 0, y1: HEIGHT - 0.5, x2: WIDTH, y2: HEIGHT - 0.5, class: "chart-axis" }));
  const threshold = HEIGHT - 0.6 * (HEIGHT - 4);
  chart.append(svg("line", { x1: 0, y1: threshold, x2: WIDTH, y2: threshold, class: "chart-threshold" }));
  const slot = WIDTH / Math.max(points.length, 8);
  points.forEach((point, index) => {
    const share = strengthOf(point);
    const height = Math.max(2, share * (HEIGHT - 4));
    const bar = svg("rect", {
      x: index * slot + GAP / 2, y: HEIGHT - height, width: Math.max(2, slot - GAP), height, rx: 2,
      class: `chart-bar level-${levelOf(share)}`,
    });
    const tip = svg("title");
    tip.textContent = `Turn ${point.turn}: ${point.label}, ${formatPercent(share)}`;
    bar.append(tip);
    chart.append(bar);
  });
  return chart;
}
