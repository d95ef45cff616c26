// Supervisor view: all live conversations with their emotion, monitor one, whisper, barge in.
import { api, connectLive, currentUser, el, formatWait, goToLogin, oneAtATime, signOutLocally } from "./api.js";
import { emotionBadge, renderContext } from "./conversation_view.js";
import { sendOneAtATime } from "./forms.js";
import { MessageList } from "./message_list.js";

const state = { selected: null };
const $ = (id) => document.getElementById(id);
let messages = null;

async function act(action) {
  $("error").textContent = "";
  try { await action(); } catch (problem) { if (problem.status !== 401) $("error").textContent = problem.message; }
}

function renderLive(conversations) {
  const list = $("live");
  list.replaceChildren();
  if (!conversations.length) list.append(el("li", { className: "empty", text: "No live conversations." }));
  for (const item of conversations) {
    const monitor = el("button", { text: "Monitor", attrs: { type: "button" } });
    monitor.addEventListener("click", () => act(() => select(item.conversation_id)));
    const who = item.state === "assigned" ? `with ${item.agent_display}` : `waiting ${formatWait(item.waiting_seconds)}`;
    list.append(el("li", { className: "live-item", attrs: { "data-conversation": item.conversation_id } }, [
      el("span", { className: "reason", text: item.reason_text }),
      emotionBadge(item.emotion, item.distress),
      el("span", { className: "meta", text: `${item.skill} · ${item.language} · ${who}` }),
      monitor,
    ]));
  }
}

function renderAgents(agents) {
  const list = $("agents");
  list.replaceChildren();
  for (const agent of agents) {
    const status = !agent.online ? "offline" : agent.paused ? "paused" : "available";
    list.append(el("li", { text: `${agent.username}: ${status}, load ${agent.load.toFixed(2)}` }));
  }
}

async function select(conversationId) {
  const data = await api(`/api/conversations/${encodeURIComponent(conversationId)}`);
  state.selected = conversationId;
  $("monitor").hidden = false;
  $("mon-title").textContent = `${data.conversation.customer_name || "Customer"} · ${data.conversation.agent_display || "waiting"}`;
  $("mon-reason").textContent = data.conversation.reason_text;
  renderContext($("context"), data.context || {});
  messages.show(conversationId, data.messages);
}

const refresh = oneAtATime(async () => {
  const data = await api("/api/supervisor/live");
  renderLive(data.conversations);
  renderAgents(data.agents);
  if (state.selected) await messages.refresh();
});

function sendForm(formId, inputId, path) {
  sendOneAtATime($(formId), async () => {
    const text = $(inputId).value.trim();
    if (!text || !state.selected) return;
    await act(async () => {
      await api(`/api/supervisor/${encodeURIComponent(state.selected)}/${path}`, { method: "POST", body: { text } });
      $(inputId).value = "";
      await refresh();
    });
  });
}

async function start() {
  const user = currentUser();
  if (!user) { goToLogin(); return; }
  $("who").textContent = `${user.display_name} (${user.role})`;
  messages = new MessageList($("messages"));
  sendForm("whisper-form", "whisper-text", "whisper");
  sendForm("barge-form", "barge-text", "barge");
  $("sign-out").addEventListener("click", () => act(async () => {
    await api("/api/auth/logout", { method: "POST" }).catch(() => null);
    signOutLocally();
    window.location.assign("/login");
  }));
  connectLive(() => act(refresh), (live) => { $("live-state").textContent = live; });
  await act(refresh);
}

start();
