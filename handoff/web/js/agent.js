// Agent console: queue, claim, context, live chat, notes, canned replies, end / hand back, pause,
// and the alerts when a conversation starts waiting (alerts.js).
import { HandoffAlerts } from "./alerts.js";
import { AssistPanel } from "./assist.js";
import { api, connectLive, currentUser, el, formatWait, goToLogin, oneAtATime, signOutLocally } from "./api.js";
import { CANNED } from "./canned.js";
import { IncidentPanel } from "./incidents.js";
import { emotionBadge, renderContext } from "./conversation_view.js";
import { sendOneAtATime } from "./forms.js";
import { MessageList } from "./message_list.js";

const state = { user: null, selected: null, paused: false, queue: [], language: "en" };
const $ = (id) => document.getElementById(id);
let messages = null;
let alerts = null;
let incidents = null;
let assist = null;

function showError(problem) {
  $("error").textContent = problem ? problem.message || String(problem) : "";
}

async function act(action) {
  showError(null);
  try { await action(); } catch (problem) { if (problem.status !== 401) showError(problem); }
}

const CONTACT_REQUESTS = { callback: "Wants a call back", email: "Wants an e-mail reply" };

function renderQueue(items) {
  const list = $("queue");
  list.replaceChildren();
  if (!items.length) list.append(el("li", { className: "empty", text: "Nobody is waiting." }));
  for (const item of items) {
    const claim = el("button", { text: "Claim", className: "claim", attrs: { type: "button" } });
    claim.disabled = !item.claimable;
    if (!item.claimable) claim.title = item.not_claimable_because || "";
    claim.addEventListener("click", () => act(async () => {
      alerts.acknowledge();
      await api(`/api/queue/${encodeURIComponent(item.conversation_id)}/claim`, { method: "POST" });
      await refresh();
      await select(item.conversation_id);
    }));
    const fresh = alerts.isNew(item.conversation_id);
    list.append(el("li", { className: fresh ? "queue-item is-new" : "queue-item", attrs: { "data-conversation": item.conversation_id } }, [
      fresh ? el("span", { className: "new-mark", text: "New" }) : null,
      el("span", { className: "reason", text: item.reason_text }),
      emotionBadge(item.emotion, item.distress),
      el("span", { className: "meta", text: `${item.skill} · ${item.language}` }),
      // The customer chose a call back or an e-mail reply over waiting (docs/handoff.md "Expected wait").
      item.contact_request ? el("span", { className: "contact-request", text: CONTACT_REQUESTS[item.contact_request] || item.contact_request }) : null,
      el("span", { className: "wait", attrs: { "data-since": String(item.requested_at) }, text: formatWait(Date.now() / 1000 - item.requested_at) }),
      claim,
    ]));
  }
}

function renderMine(items) {
  const list = $("mine");
  list.replaceChildren();
  if (!items.length) list.append(el("li", { className: "empty", text: "None." }));
  for (const item of items) {
    const open = el("button", { text: item.customer_name || item.conversation_id, attrs: { type: "button" } });
    open.addEventListener("click", () => act(() => select(item.conversation_id)));
    list.append(el("li", { className: "mine-item", attrs: { "data-conversation": item.conversation_id } },
      [open, emotionBadge(item.emotion, item.distress)]));
  }
  if (state.selected && !items.some((item) => item.conversation_id === state.selected)) closeConversation();
}

// One at a time: an older read finishing last would close the conversation just claimed.
const refresh = oneAtATime(async () => {
  const [queue, mine, me] = await Promise.all([api("/api/queue"), api("/api/conversations/mine"), api("/api/queue/me")]);
  state.queue = queue.items;
  state.paused = me.paused;
  alerts.update(queue.items, me);
  renderQueue(queue.items);
  renderMine(mine.items);
  $("pause").textContent = me.paused ? "Resume" : "Pause";
  $("load").textContent = `Load ${me.load.toFixed(2)} / ${me.load_threshold.toFixed(2)}`;
  if (state.selected) await Promise.all([messages.refresh(), assist.refresh()]);
});

function fillCanned(language) {
  const select = $("canned");
  select.replaceChildren(el("option", { text: "Canned replies…", attrs: { value: "" } }));
  for (const [title, text] of CANNED[language] || CANNED.en) select.append(el("option", { text: title, attrs: { value: text } }));
}

async function select(conversationId) {
  const data = await api(`/api/conversations/${encodeURIComponent(conversationId)}`);
  state.selected = conversationId;
  state.language = data.conversation.language || "en";
  $("conversation").hidden = false;
  $("conv-title").textContent = `${data.conversation.customer_name || "Customer"} · ${data.conversation.language}`;
  $("conv-reason").textContent = data.conversation.reason_text;
  renderContext($("context"), data.context || {});
  fillCanned(state.language);
  incidents.showIn(state.language);
  // The suggested opening line (four A's) goes into the reply box for the agent to edit.
  const opening = data.context && data.context.next_step && data.context.next_step.opening_line;
  if (opening && !$("reply-text").value) $("reply-text").value = opening;
  messages.show(conversationId, data.messages);
  assist.show(conversationId);
}

function closeConversation() {
  state.selected = null;
  messages.clear();
  assist.clear();
  $("conversation").hidden = true;
}

/** The agent has looked at the queue: the alerts' count and "New" marks go. */
function queueSeen() {
  if (alerts.unseen.size) alerts.acknowledge();
}

/** Drops the "New" marks in place: redrawing the list would take keyboard focus off a Claim button. */
function unmarkQueue() {
  for (const mark of document.querySelectorAll("#queue .new-mark")) mark.remove();
  for (const item of document.querySelectorAll("#queue .is-new")) item.classList.remove("is-new");
}

function setUpAlerts() {
  alerts = new HandoffAlerts({ announcer: $("alert-announcer"), sound: $("alert-sound"), desktop: $("alert-desktop") },
    { onAcknowledge: unmarkQueue });
  const queueSection = $("queue-section");
  queueSection.addEventListener("pointerenter", queueSeen);
  queueSection.addEventListener("focusin", queueSeen);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") queueSeen(); });
  // Read-only figures for tests and support (docs/handoff.md "Agent console").
  Object.defineProperty(window, "__consoleAlerts", {
    value: Object.freeze(() => ({ ...alerts.counts, unseen: alerts.unseen.size, title: document.title })),
  });
}

async function start() {
  state.user = currentUser();
  if (!state.user) { goToLogin(); return; }
  $("who").textContent = `${state.user.display_name} (${state.user.role})`;
  const codes = await api("/api/conversations").catch(() => ({ outcome_codes: ["resolved"] }));
  for (const code of codes.outcome_codes) $("outcome").append(el("option", { text: code.replaceAll("_", " "), attrs: { value: code } }));
  fillCanned("en");
  messages = new MessageList($("messages"));
  assist = new AssistPanel({ section: $("assist"), warnings: $("assist-warnings"), suggestions: $("assist-suggestions"), replyBox: $("reply-text") });
  setUpAlerts();
  incidents = new IncidentPanel($("incidents-box"), $("incidents"), $("incidents-title"));
  incidents.start();

  $("canned").addEventListener("change", (event) => {
    if (event.target.value) $("reply-text").value = event.target.value;
    event.target.value = "";
  });
  sendOneAtATime($("reply-form"), async () => {
    const text = $("reply-text").value.trim();
    if (!text || !state.selected) return;
    await act(async () => {
      await api(`/api/conversations/${encodeURIComponent(state.selected)}/messages`, { method: "POST", body: { text } });
      $("reply-text").value = "";
      await messages.refresh();
    });
  });
  sendOneAtATime($("note-form"), async () => {
    const text = $("note-text").value.trim();
    if (!text || !state.selected) return;
    await act(async () => {
      await api(`/api/conversations/${encodeURIComponent(state.selected)}/notes`, { method: "POST", body: { text } });
      $("note-text").value = "";
      await messages.refresh();
    });
  });
  $("end").addEventListener("click", () => act(async () => {
    await api(`/api/conversations/${encodeURIComponent(state.selected)}/end`, { method: "POST", body: { outcome_code: $("outcome").value } });
    closeConversation();
    await refresh();
  }));
  $("handback").addEventListener("click", () => act(async () => {
    await api(`/api/conversations/${encodeURIComponent(state.selected)}/handback`, { method: "POST" });
    closeConversation();
    await refresh();
  }));
  $("take-next").addEventListener("click", () => act(async () => {
    alerts.acknowledge();
    const taken = await api("/api/queue/next", { method: "POST" });
    await refresh();
    await select(taken.conversation_id);
  }));
  $("pause").addEventListener("click", () => act(async () => {
    await api("/api/queue/me/pause", { method: "POST", body: { paused: !state.paused } });
    await refresh();
  }));
  $("sign-out").addEventListener("click", () => act(async () => {
    await api("/api/auth/logout", { method: "POST" }).catch(() => null);
    signOutLocally();
    window.location.assign("/login");
  }));
  setInterval(() => {
    for (const node of document.querySelectorAll(".wait[data-since]")) {
      node.textContent = formatWait(Date.now() / 1000 - Number(node.dataset.since));
    }
  }, 1000);
  connectLive(() => act(refresh), (live) => { $("live-state").textContent = live; });
  await act(refresh);
}

start();
