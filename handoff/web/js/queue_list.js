// The conversations pane: the queue (searched, filtered, sorted and paged by the server,
// GET /api/queue) and "mine". Each row: customer, reason, emotion, last message, waiting time.
import { api, el } from "./api.js";
import { emotionBadge } from "./conversation_view.js";
import { formatWait, statusLabel } from "./formats.js";

const PAGE = 50;
const MAX_PAGE = 200;
const CONTACT_REQUESTS = { callback: "Wants a call back", email: "Wants an e-mail reply" };
const FILTERS = ["q", "skill", "language", "emotion", "reason", "sort"];

function initials(name) {
  const parts = String(name || "?").trim().split(/\s+/).filter((part) => /^\p{L}/u.test(part));
  return (parts.slice(0, 2).map((part) => part[0]).join("") || "?").toUpperCase();
}

/** The parts of one conversation row both lists share. */
function rowBody(item) {
  const name = item.customer_name || "Customer";
  return [
    el("span", { className: "conv-avatar", text: initials(name), attrs: { "aria-hidden": "true" } }),
    el("div", { className: "conv-body" }, [
      el("div", { className: "conv-top" }, [
        el("span", { className: "conv-name", text: name }),
        el("span", { className: "wait", attrs: { "data-since": String(item.requested_at), title: "Waiting since the handoff" },
          text: formatWait(Date.now() / 1000 - item.requested_at) }),
      ]),
      el("div", { className: "conv-reason reason", text: item.reason_text || statusLabel(item.reason) }),
      item.last_message ? el("div", { className: "conv-last", text: `“${item.last_message}”` }) : null,
      el("div", { className: "conv-meta" }, [
        emotionBadge(item.emotion, item.distress),
        el("span", { className: "meta", text: `${statusLabel(item.skill)} · ${String(item.language).toUpperCase()}` }),
        // The customer chose a call back or an e-mail reply over waiting (docs/handoff.md "Expected wait").
        item.contact_request ? el("span", { className: "contact-request", text: CONTACT_REQUESTS[item.contact_request] || item.contact_request }) : null,
      ]),
    ]),
  ];
}

export class QueueList {
  /**
   * @param {{list: HTMLElement, form: HTMLFormElement, summary: HTMLElement, more: HTMLButtonElement, count: HTMLElement}} parts
   * @param {{onClaim: (id: string) => void, isNew: (id: string) => boolean, onError: (problem: unknown) => void}} hooks
   */
  constructor(parts, hooks) {
    this.parts = parts;
    this.hooks = hooks;
    this.items = [];
    this.cursor = null;
    this.reasons = new Set();
    this.generation = 0;
    this.wanted = PAGE; // rows the agent asked for (pages shown): a live refresh reads as many again
    let timer = null;
    parts.form.addEventListener("input", (event) => {
      clearTimeout(timer);
      // Typing waits for a pause; a select changes the list at once.
      timer = setTimeout(() => this.load(), event.target.name === "q" ? 150 : 0);
    });
    parts.form.addEventListener("submit", (event) => { event.preventDefault(); clearTimeout(timer); this.load(); });
    parts.more.addEventListener("click", () => this.more().catch(hooks.onError));
  }

  params(limit, cursor) {
    const data = new FormData(this.parts.form);
    const params = new URLSearchParams();
    for (const name of FILTERS) if (data.get(name)) params.set(name, String(data.get(name)).trim());
    params.set("limit", String(limit));
    if (cursor) params.set("cursor", cursor);
    return params;
  }

  /** The first page again; `keep`: as many rows as are shown now (a live refresh, not a new search). */
  async load({ keep = false } = {}) {
    const generation = ++this.generation;
    if (!keep) this.wanted = PAGE;
    const limit = Math.min(MAX_PAGE, this.wanted);
    const page = await api(`/api/queue?${this.params(limit)}`);
    if (generation !== this.generation) return; // a newer search has started meanwhile
    this.show(page, false);
  }

  async more() {
    if (!this.cursor) return;
    this.wanted = this.items.length + PAGE;
    const generation = this.generation;
    const page = await api(`/api/queue?${this.params(PAGE, this.cursor)}`);
    if (generation === this.generation) this.show(page, true);
  }

  show(page, append) {
    this.items = append ? [...this.items, ...page.items] : page.items;
    this.cursor = page.next_cursor;
    const rows = page.items.map((item) => this.row(item));
    if (append) this.parts.list.append(...rows);
    else this.parts.list.replaceChildren(...rows);
    if (!this.items.length) {
      const filtered = FILTERS.some((name) => name !== "sort" && new FormData(this.parts.form).get(name));
      this.parts.list.replaceChildren(el("li", { className: "empty", text: filtered ? "No waiting conversation matches." : "Nobody is waiting." }));
    }
    this.parts.summary.textContent = page.total ? `Showing ${this.items.length} of ${page.total}` : "";
    this.parts.count.textContent = String(page.total);
    this.parts.more.hidden = !this.cursor;
    for (const item of page.items) this.noteReason(item.reason);
    // For the tests and the benchmark: when a list was on screen (first paint, after a filter).
    performance.mark("queue:shown");
  }

  noteReason(reason) {
    if (!reason || this.reasons.has(reason)) return;
    this.reasons.add(reason);
    const select = this.parts.form.elements.namedItem("reason");
    select.append(el("option", { text: statusLabel(reason), attrs: { value: reason } }));
  }

  row(item) {
    const claim = el("button", { text: "Claim", className: "btn btn-primary btn-sm claim", attrs: { type: "button" } });
    claim.disabled = !item.claimable;
    claim.setAttribute("aria-label", `Claim the conversation with ${item.customer_name || "the customer"}: ${item.reason_text}`);
    if (!item.claimable) claim.title = item.not_claimable_because || "";
    claim.addEventListener("click", () => this.hooks.onClaim(item.conversation_id));
    const fresh = this.hooks.isNew(item.conversation_id);
    return el("li", { className: fresh ? "conv-item queue-item is-new" : "conv-item queue-item", attrs: { "data-conversation": item.conversation_id } }, [
      ...rowBody(item),
      el("div", { className: "conv-actions" }, [fresh ? el("span", { className: "new-mark", text: "New" }) : null, claim]),
    ]);
  }
}

/** "Mine": the conversations this agent holds; the selected one is marked. */
export function renderMine(list, items, selected, onOpen) {
  list.replaceChildren();
  if (!items.length) list.append(el("li", { className: "empty", text: "No conversation of yours is open." }));
  for (const item of items) {
    const open = el("button", { className: "conv-open", attrs: { type: "button", "aria-label": `Open the conversation with ${item.customer_name || "the customer"}` } });
    open.addEventListener("click", () => onOpen(item.conversation_id));
    const current = item.conversation_id === selected;
    list.append(el("li", { className: current ? "conv-item mine-item is-current" : "conv-item mine-item",
      attrs: { "data-conversation": item.conversation_id, ...(current ? { "aria-current": "true" } : {}) } }, [open, ...rowBody(item)]));
  }
}
