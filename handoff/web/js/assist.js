// Live assist panel: suggestions (acknowledge, ask, act) and warnings for the customer's latest
// message, from GET /api/conversations/{id}/assist (docs/handoff.md "Live assist").
// "Insert" puts a suggestion into the reply box for the agent to edit; nothing is ever sent from here.
// Text only, never HTML: suggestions and warnings can quote the customer.
import { api, el, oneAtATime } from "./api.js";

const KIND_LABEL = { acknowledge: "Acknowledge", ask: "Ask", act: "Act" };
// The silence warning depends on the clock, not on new lines: read again now and then.
const REREAD_MS = 30000;

/**
 * @typedef {object} AssistParts
 * @property {HTMLElement} section      the panel (hidden while there is nothing to show)
 * @property {HTMLElement} warnings     list for the warnings
 * @property {HTMLElement} suggestions  list for the suggestions
 * @property {HTMLTextAreaElement} replyBox  where "Insert" puts the text
 */
export class AssistPanel {
  /** @param {AssistParts} parts @param {{load?: (id: string) => Promise<object>}} [options] */
  constructor(parts, { load } = {}) {
    for (const name of ["section", "warnings", "suggestions", "replyBox"]) {
      if (!parts || !parts[name]) throw new Error(`AssistPanel needs the ${name} element`);
    }
    this.parts = parts;
    this.load = load || ((id) => api(`/api/conversations/${encodeURIComponent(id)}/assist`));
    this.conversationId = null;
    this.shownFor = null; // the customer line the shown suggestions answer
    this.timer = null;
    this.refresh = oneAtATime(() => this.read());
  }

  /** Starts on a conversation: its suggestions now, then on every refresh. */
  show(conversationId) {
    this.clear();
    this.conversationId = conversationId;
    this.timer = setInterval(() => this.refresh(), REREAD_MS);
    return this.refresh();
  }

  clear() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.conversationId = null;
    this.shownFor = null;
    this.parts.warnings.replaceChildren();
    this.parts.suggestions.replaceChildren();
    this.parts.section.hidden = true;
  }

  async read() {
    const id = this.conversationId;
    if (!id) return;
    let data;
    try {
      data = await this.load(id);
    } catch {
      return; // assist is a help, not a must: the chat goes on without it (401 is handled by api()).
    }
    if (this.conversationId === id) this.render(data || {});
  }

  render(data) {
    const warnings = Array.isArray(data.warnings) ? data.warnings : [];
    this.parts.warnings.replaceChildren(...warnings.map((warning) =>
      el("li", { className: "assist-warning", text: warning.text, attrs: { "data-code": String(warning.code) } })));
    // Suggestions change only with a new customer line: redrawing them otherwise would take
    // keyboard focus off an "Insert" button.
    if (data.for_line !== this.shownFor) {
      this.shownFor = data.for_line;
      const suggestions = Array.isArray(data.suggestions) ? data.suggestions : [];
      this.parts.suggestions.replaceChildren(...suggestions.map((item) => this.suggestion(item)));
    }
    this.parts.section.hidden = !warnings.length && !this.parts.suggestions.children.length;
  }

  suggestion(item) {
    const kind = KIND_LABEL[item.kind] || "Suggestion";
    const insert = el("button", { text: "Insert", className: "assist-insert",
      attrs: { type: "button", "aria-label": `Insert the ${kind.toLowerCase()} suggestion into the reply box: ${item.text}` } });
    insert.addEventListener("click", () => this.insert(item.text));
    return el("li", { className: `assist-suggestion assist-${item.kind}`, attrs: { "data-key": String(item.key) } }, [
      el("span", { className: "assist-kind", text: kind }),
      el("span", { className: "assist-text", text: item.text }),
      el("span", { className: "assist-why", text: item.why }),
      insert,
    ]);
  }

  /** Adds the text to what the agent is writing and puts the cursor after it; never sends. */
  insert(text) {
    const box = this.parts.replyBox;
    const before = box.value.trimEnd();
    box.value = before ? `${before} ${text}` : text;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  }
}
