// Supervisor view: live figures, conversations most at risk first, the agent roster; monitor one
// conversation, whisper to its agent, barge in (the customer sees the supervisor as such).
import { api, connectLive, currentUser, goToLogin, oneAtATime, signOutLocally } from "./api.js";
import { renderContext } from "./conversation_view.js";
import { sendOneAtATime } from "./forms.js";
import { MessageList } from "./message_list.js";
import { renderConversations, renderKpis, renderRoster } from "./supervisor_board.js";

// Waiting times grow without any change in the queue: re-read at least this often.
const TICK_MS = 10_000;
const state = { selected: null };
const $ = (id) => document.getElementById(id);
let messages = null;

async function act(action) {
  $("error").textContent = "";
  try { await action(); } catch (problem) { if (problem.status !== 401) $("error").textContent = problem.message; }
}

async function select(conversationId) {
  const data = await api(`/api/conversations/${encodeURIComponent(conversationId)}`);
  state.selected = conversationId;
  $("monitor").hidden = false;
  const who = data.conversation.agent_display ? `with ${data.conversation.agent_display}` : "waiting";
  $("mon-title").textContent = `${data.conversation.customer_name || "Customer"} · ${who}`;
  $("mon-reason").textContent = data.conversation.reason_text;
  renderContext($("context"), data.context || {});
  messages.show(conversationId, data.messages);
  await refresh();
  $("monitor").scrollIntoView({ block: "nearest" });
}

const refresh = oneAtATime(async () => {
  const data = await api("/api/supervisor/overview");
  renderKpis(data.kpis);
  renderConversations(data.conversations, (id) => act(() => select(id)), state.selected);
  renderRoster(data.agents);
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
  $("who").textContent = `${user.display_name} · ${user.role}`;
  messages = new MessageList($("messages"));
  sendForm("whisper-form", "whisper-text", "whisper");
  sendForm("barge-form", "barge-text", "barge");
  $("mon-close").addEventListener("click", () => {
    state.selected = null;
    $("monitor").hidden = true;
    act(refresh);
  });
  $("sign-out").addEventListener("click", () => act(async () => {
    await api("/api/auth/logout", { method: "POST" }).catch(() => null);
    signOutLocally();
    window.location.assign("/login");
  }));
  connectLive(() => act(refresh), (live) => { $("live-state").textContent = live; });
  setInterval(() => act(refresh), TICK_MS);
  await act(refresh);
}

start();
