// Supervisor board: live figures, conversations most at risk first, the agent roster
// (GET /api/supervisor/overview; docs/handoff.md "Supervisor view"). Text only, never HTML.
import { el, formatWait } from "./api.js";
import { emotionBadge } from "./conversation_view.js";

const $ = (id) => document.getElementById(id);
const STATE_LABEL = { available: "Available", paused: "Paused", offline: "Offline" };

export function renderKpis({ waiting, longest_wait_seconds: longest, in_progress: inProgress, csat_today: csat }) {
  $("kpi-waiting").textContent = String(waiting);
  $("kpi-longest").textContent = waiting ? formatWait(longest) : "–";
  $("kpi-progress").textContent = String(inProgress);
  $("kpi-csat").textContent = csat.mean === null ? "–" : `${csat.mean.toFixed(1)} / 5`;
  $("kpi-csat-count").textContent = csat.count ? `(${csat.count} rated)` : "";
  $("kpi-longest").closest(".kpi-card").classList.toggle("warn", waiting > 0 && longest >= 300);
}

function riskChip(risk) {
  return el("span", {
    className: `risk-chip risk-${risk.level}`,
    text: `${Math.round(risk.score)}`,
    attrs: { title: `Risk ${risk.score} of 100 (${risk.level})`, "aria-label": `Risk ${Math.round(risk.score)}, ${risk.level}` },
  });
}

export function renderConversations(conversations, onMonitor, selected) {
  const list = $("live");
  list.replaceChildren();
  if (!conversations.length) list.append(el("li", { className: "empty", text: "No live conversations right now." }));
  for (const item of conversations) {
    const monitor = el("button", { text: "Monitor", className: "secondary", attrs: { type: "button", "aria-label": `Monitor: ${item.reason_text}` } });
    monitor.addEventListener("click", () => onMonitor(item.conversation_id));
    const where = item.state === "assigned"
      ? el("span", { className: "where", text: `With ${item.agent_display}` })
      : el("span", { className: "where waiting", text: `Waiting ${formatWait(item.waited_seconds)}` });
    const reasons = el("span", { className: "reasons" },
      item.risk.reasons.map((reason) => el("span", { className: "reason-tag", text: reason })));
    const row = el("li", {
      className: `risk-row risk-${item.risk.level}${item.conversation_id === selected ? " selected" : ""}`,
      attrs: { "data-conversation": item.conversation_id, "data-risk": String(item.risk.score) },
    }, [
      riskChip(item.risk),
      el("div", { className: "risk-main" }, [
        el("span", { className: "risk-title", text: `${item.customer_name || "Customer"} · ${item.reason_text}` }),
        el("span", { className: "risk-meta" }, [emotionBadge(item.emotion, item.distress),
          el("span", { text: `${item.skill} · ${item.language.toUpperCase()}` }), where]),
        reasons,
      ]),
      monitor,
    ]);
    list.append(row);
  }
}

function loadBar(agent) {
  const share = Math.min(1, agent.load);
  const bar = el("span", { className: `load${agent.over_threshold ? " over" : ""}`,
    attrs: { role: "img", "aria-label": `Emotional load ${agent.load.toFixed(2)}` } }, [
    el("span", { className: "load-fill" }),
  ]);
  bar.firstChild.style.width = `${Math.round(share * 100)}%`;
  return el("span", { className: "load-cell" }, [bar, el("span", { className: "load-value", text: agent.load.toFixed(2) })]);
}

export function renderRoster(agents) {
  const body = $("agents");
  body.replaceChildren();
  if (!agents.length) {
    body.append(el("tr", {}, [el("td", { className: "empty", text: "No agent has signed in this shift.", attrs: { colspan: "6" } })]));
  }
  for (const agent of agents) {
    const name = el("th", { className: "agent-name", text: agent.display_name, attrs: { scope: "row" } });
    const row = el("tr", { className: agent.needs_pause ? "has-nudge" : "", attrs: { "data-agent": agent.username } }, [
      name,
      el("td", {}, [el("span", { className: `state state-${agent.state}`, text: STATE_LABEL[agent.state] || agent.state })]),
      el("td", { className: "num", text: String(agent.active) }),
      el("td", { className: "num", text: String(agent.handled_in_shift) }),
      el("td", { className: `num${agent.heavy_in_a_row >= 2 ? " heavy" : ""}`, text: String(agent.heavy_in_a_row) }),
      el("td", {}, [loadBar(agent)]),
    ]);
    body.append(row);
    if (agent.needs_pause) {
      // The nudge belongs to the agent's row (same data-agent) but spans the table.
      body.append(el("tr", { className: "nudge-row", attrs: { "data-agent": agent.username } }, [
        el("td", { attrs: { colspan: "6" } }, [el("span", { className: "nudge", text: agent.nudge, attrs: { role: "note" } })]),
      ]));
    }
  }
}
