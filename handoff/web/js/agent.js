// Agent console: the three panes (conversations | chat | context), claim, live chat, notes, canned
// replies, end / hand back, pause, shortcuts, and the alerts when a conversation starts waiting.
import { HandoffAlerts } from "./alerts.js";
import { AssistPanel } from "./assist.js";
import { api, connectLive, currentUser, el, goToLogin, oneAtATime, signOutLocally } from "./api.js";
import { CANNED } from "./canned.js";
import { renderContext } from "./context_view.js";
import { emotionBadge } from "./conversation_view.js";
import { sendOneAtATime } from "./forms.js";
import { formatWait, statusLabel } from "./formats.js";
import { IncidentPanel } from "./incidents.js";
import { MessageList } from "./message_list.js";
import { QueueList, renderMine } from "./queue_list.js";
import { installShortcuts, renderShortcutHelp } from "./shortcuts.js";

const state = { user: null, selected: null, paused: false, language: "en" };
const $ = (id) => document.getElementById(id);
let messages = null;
let alerts = null;
let incidents = null;
let assist = null;
let queue = null;

function showError(problem) {
  $("error").textContent = problem ? problem.message || String(problem) : "";
}

async function act(action) {
  showError(null);
  try { await action(); } catch (problem) { if (problem.status !== 401) showError(problem); }
}

async function claim(conversationId) {
  await act(async () => {
    alerts.acknowledge();
    await api(`/api/queue/${encodeURIComponent(conversationId)}/claim`, { method: "POST" });
    await refresh();
    await select(conversationId);
  });
}

const claimNext = () => act(async () => {
  alerts.acknowledge();
  const taken = await api("/api/queue/next", { method: "POST" });
  await refresh();
  await select(taken.conversation_id);
});

// One at a time: an older read finishing last would close the conversation just claimed.
// Alerts read the newest arrivals unfiltered, so a search in the list never hides a new one.
const refresh = oneAtATime(async () => {
  const [arrivals, mine, me] = await Promise.all([
    api("/api/queue?sort=newest&limit=50"), api("/api/conversations/mine"), api("/api/queue/me"),
  ]);
  state.paused = me.paused;
  alerts.update(arrivals.items, me);
  await queue.load({ keep: true }); // after the alerts: a new row is drawn with its "New" mark
  renderMine($("mine"), mine.items, state.selected, (id) => act(() => select(id)));
  if (state.selected && !mine.items.some((item) => item.conversation_id === state.selected)) closeConversation();
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
  const conv = data.conversation;
  state.selected = conversationId;
  state.language = conv.language || "en";
  $("conversation").hidden = false;
  $("empty-chat").hidden = true;
  $("conv-title").replaceChildren(conv.customer_name || "Customer", " ", emotionBadge(conv.emotion, conv.distress),
    el("span", { className: "meta", text: ` ${statusLabel(conv.skill)} · ${String(conv.language).toUpperCase()} · waited ${formatWait((Number(conv.claimed_at) || Date.now() / 1000) - conv.requested_at)}` }));
  $("conv-reason").textContent = conv.reason_text;
  renderContext($("context"), data.context || {});
  fillCanned(state.language);
  incidents.showIn(state.language);
  for (const item of document.querySelectorAll("#mine .conv-item")) item.classList.toggle("is-current", item.dataset.conversation === conversationId);
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
  $("empty-chat").hidden = false;
  renderContext($("context"), {});
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

/** A popover or the context drawer (on narrow screens): open state on its toggle's aria-expanded. */
function toggle(button, panel, open = panel.hidden) {
  panel.hidden = !open;
  button.setAttribute("aria-expanded", String(open));
  document.body.classList.toggle(`${panel.id}-open`, open);
}

function setUpShortcuts() {
  renderShortcutHelp($("shortcut-list"), el);
  const contextPane = $("context-pane");
  const drawer = (open) => {
    document.body.classList.toggle("context-open", open);
    $("context-toggle").setAttribute("aria-expanded", String(open));
    if (open) contextPane.focus?.();
  };
  $("help-toggle").addEventListener("click", () => toggle($("help-toggle"), $("help")));
  $("context-toggle").addEventListener("click", () => drawer(!document.body.classList.contains("context-open")));
  $("context-close").addEventListener("click", () => drawer(false));
  installShortcuts({
    claimNext,
    send: () => $("reply-form").requestSubmit(),
    canned: () => { const box = $("canned"); box.focus(); try { box.showPicker(); } catch { /* focus is enough */ } },
    note: () => $("note-text").focus(),
    reply: () => $("reply-text").focus(),
    search: () => $("queue-search").focus(),
    context: () => drawer(!document.body.classList.contains("context-open")),
    help: () => toggle($("help-toggle"), $("help")),
    escape: () => { toggle($("help-toggle"), $("help"), false); drawer(false); },
  });
}

function setUpForms() {
  $("canned").addEventListener("change", (event) => {
    if (event.target.value) $("reply-text").value = event.target.value;
    event.target.value = "";
    $("reply-text").focus();
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
  const finish = (path, body) => act(async () => {
    await api(`/api/conversations/${encodeURIComponent(state.selected)}/${path}`, { method: "POST", body });
    closeConversation();
    await refresh();
  });
  $("end").addEventListener("click", () => finish("end", { outcome_code: $("outcome").value }));
  $("handback").addEventListener("click", () => finish("handback"));
  $("take-next").addEventListener("click", claimNext);
  $("pause").addEventListener("click", () => act(async () => {
    await api("/api/queue/me/pause", { method: "POST", body: { paused: !state.paused } });
    await refresh();
  }));
  $("sign-out").addEventListener("click", () => act(async () => {
    await api("/api/auth/logout", { method: "POST" }).catch(() => null);
    signOutLocally();
    window.location.assign("/login");
  }));
}

async function start() {
  state.user = currentUser();
  if (!state.user) { goToLogin(); return; }
  $("who").textContent = `${state.user.display_name} · ${statusLabel(state.user.role)}`;
  const codes = await api("/api/conversations").catch(() => ({ outcome_codes: ["resolved"] }));
  for (const code of codes.outcome_codes) $("outcome").append(el("option", { text: statusLabel(code), attrs: { value: code } }));
  fillCanned("en");
  messages = new MessageList($("messages"));
  assist = new AssistPanel({ section: $("assist"), warnings: $("assist-warnings"), suggestions: $("assist-suggestions"), replyBox: $("reply-text") });
  setUpAlerts();
  queue = new QueueList(
    { list: $("queue"), form: $("queue-filters"), summary: $("queue-summary"), more: $("queue-more"), count: $("queue-count") },
    { onClaim: claim, isNew: (id) => alerts.isNew(id), onError: showError },
  );
  incidents = new IncidentPanel($("incidents-box"), $("incidents"), $("incidents-title"));
  incidents.start();
  setUpForms();
  setUpShortcuts();
  setInterval(() => {
    for (const node of document.querySelectorAll(".wait[data-since]")) {
      node.textContent = formatWait(Date.now() / 1000 - Number(node.dataset.since));
    }
  }, 1000);
  connectLive(() => act(refresh), (live) => { $("live-state").textContent = live; });
  await act(refresh);
}

start();
