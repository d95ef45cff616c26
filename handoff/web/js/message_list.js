// One conversation's chat lines in a console, each shown exactly once.
//
// Lines come from two places at about the same time: the reply the console just sent (it re-reads
// the lines after sending) and the live socket's "changed" (after every line, and again after a
// reconnect). Both used to read "the lines after the last one shown" with the same cursor and both
// appended what came back, so the console's own lines appeared twice. Now a line is identified by
// its stream id, a line already shown is skipped, lines go in id order, and one read at a time is
// in flight (a request during a read makes one more read afterwards).
import { api, oneAtATime } from "./api.js";
import { renderMessage } from "./conversation_view.js";

/** Redis stream ids ("<ms>-<seq>") in order. */
export function compareIds(a, b) {
  const [msA, seqA] = a.split("-").map(Number);
  const [msB, seqB] = b.split("-").map(Number);
  return msA - msB || seqA - seqB;
}

export class MessageList {
  /** @param {HTMLOListElement} container */
  constructor(container) {
    this.container = container;
    this.conversationId = null;
    this.shown = new Map(); // line id -> <li>
    this.lastId = "-";
    /** Reads the lines after the newest one shown; calls during a read make one more read after it. */
    this.refresh = oneAtATime(() => this.readNew());
  }

  /** Starts over with another conversation and the lines it came with. */
  show(conversationId, lines) {
    this.conversationId = conversationId;
    this.shown.clear();
    this.lastId = "-";
    this.container.replaceChildren();
    this.add(lines);
  }

  clear() {
    this.conversationId = null;
    this.shown.clear();
    this.container.replaceChildren();
  }

  add(lines) {
    let added = null;
    for (const line of lines) {
      if (this.shown.has(line.id)) continue;
      const item = renderMessage(line);
      // After the newest line shown (the usual case), else before the first newer one.
      const later = this.lastId !== "-" && compareIds(line.id, this.lastId) < 0
        ? [...this.shown.entries()].find(([id]) => compareIds(id, line.id) > 0) : null;
      this.container.insertBefore(item, later ? later[1] : null);
      this.shown.set(line.id, item);
      if (this.lastId === "-" || compareIds(line.id, this.lastId) > 0) this.lastId = line.id;
      added = item;
    }
    if (added) this.container.lastElementChild.scrollIntoView({ block: "end" });
  }

  async readNew() {
    const id = this.conversationId;
    if (!id) return;
    const data = await api(`/api/conversations/${encodeURIComponent(id)}/messages?after=${encodeURIComponent(this.lastId)}`);
    if (this.conversationId === id) this.add(data.messages);
  }
}
