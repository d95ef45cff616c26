// Dashboard charts drawn by Chart.js (admin/web/vendor/, MIT; see vendor/README.md), loaded as a
// classic script before the modules, so `window.Chart` is there. Labels are plain strings:
// Chart.js draws them on a canvas, never as HTML.
const PALETTE = ["#2457c5", "#d97706", "#0f766e", "#b4235a", "#6d28d9", "#4b5563"];
const instances = new WeakMap();

function library() {
  if (!window.Chart) throw new Error("The chart library did not load (admin/static/vendor/chart.umd.min.js).");
  return window.Chart;
}

function draw(target, config, label) {
  const Chart = library();
  instances.get(target)?.destroy();
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  target.replaceChildren(canvas);
  const chart = new Chart(canvas, config);
  instances.set(target, chart);
  return chart;
}

function baseOptions({ max, percent = false, horizontal = false } = {}) {
  const value = { beginAtZero: true, max, ticks: { precision: percent ? undefined : 0 } };
  if (percent) value.ticks.callback = (v) => `${Math.round(v * 100)} %`;
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    indexAxis: horizontal ? "y" : "x",
    plugins: {
      legend: { position: "bottom", labels: { boxWidth: 12, color: "#374151" } },
      tooltip: percent ? { callbacks: { label: (c) => `${c.dataset.label}: ${Math.round(c.parsed[horizontal ? "x" : "y"] * 100)} %` } } : {},
    },
    scales: horizontal
      ? { x: value, y: { grid: { display: false }, ticks: { color: "#1f2937", autoSkip: false } } }
      : { y: value, x: { grid: { display: false }, ticks: { color: "#1f2937", maxRotation: 0, autoSkip: true } } },
  };
}

/** Bars: series = [{name, values: number[], color?}]; `horizontal` for long category names. */
export function barChart(target, labels, series, { max, horizontal = false, title = "" } = {}) {
  return draw(target, {
    type: "bar",
    data: {
      labels,
      datasets: series.map((s, i) => ({ label: s.name, data: s.values, backgroundColor: s.color || PALETTE[i % PALETTE.length], borderRadius: 3, maxBarThickness: 28 })),
    },
    options: baseOptions({ max, horizontal }),
  }, title || series.map((s) => s.name).join(", "));
}

/** Lines over labels (values may be null: gaps); `percent` for 0..1 rates. */
export function lineChart(target, labels, series, { max, percent = false, title = "" } = {}) {
  return draw(target, {
    type: "line",
    data: {
      labels,
      datasets: series.map((s, i) => {
        const color = s.color || PALETTE[i % PALETTE.length];
        return { label: s.name, data: s.values, borderColor: color, backgroundColor: color, spanGaps: false, tension: 0.25, pointRadius: 2 };
      }),
    },
    options: baseOptions({ max, percent }),
  }, title || series.map((s) => s.name).join(", "));
}
