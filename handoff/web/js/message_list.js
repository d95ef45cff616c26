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

const STREAM_ID = /^\d{1,15}-\d{1,15}$/;

export function isStreamId(id) {
  return typeof id === "string" && STREAM_ID.test(id);
}

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
    this.lastId = "-";
    this.container.replaceChildren();
  }

  /** Shows the lines not shown yet, each where its id puts it; a line without a stream id is left out
   * (it could not be told apart from one already shown). */
  add(lines) {
    let added = false;
    for (const line of lines) {
      if (!line || !isStreamId(line.id) || this.shown.has(line.id)) continue;
      const item = renderMessage(line);
      this.container.insertBefore(item, this.firstShownAfter(line.id));
      this.shown.set(line.id, item);
      if (this.lastId === "-" || compareIds(line.id, this.lastId) > 0) this.lastId = line.id;
      added = true;
    }
    if (added) this.container.lastElementChild.scrollIntoView({ block: "end" });
  }

  /** The first line shown with a later id, or null when `id` is the newest (the usual case). */
  firstShownAfter(id) {
    if (this.lastId === "-" || compareIds(id, this.lastId) > 0) return null;
    return [...this.container.children].find((item) => compareIds(item.dataset.id, id) > 0) || null;
  }

  async readNew() {
    const id = this.conversationId;
    if (!id) return;
    const data = await api(`/api/conversations/${encodeURIComponent(id)}/messages?after=${encodeURIComponent(this.lastId)}`);
    if (this.conversationId === id) this.add(data.messages);
  }
}
