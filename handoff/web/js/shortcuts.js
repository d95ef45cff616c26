// The agent console's keyboard shortcuts and their help popover ("?").
// Alt combinations work from anywhere (they type nothing); "?" and Escape only when the agent is
// not typing in a field, so a question mark in a reply stays a question mark.

/** @typedef {{keys: string, action: string, when?: string}} ShortcutHelp */
export const SHORTCUTS = [
  { keys: "Alt+N", action: "Claim the next conversation" },
  { keys: "Ctrl+Enter", action: "Send the reply", when: "in the reply box" },
  { keys: "Alt+C", action: "Open the canned replies" },
  { keys: "Alt+O", action: "Write a private note" },
  { keys: "Alt+R", action: "Go to the reply box" },
  { keys: "Alt+K", action: "Search the queue" },
  { keys: "Alt+I", action: "Show or hide the customer context", when: "on narrow screens" },
  { keys: "?", action: "Show these shortcuts", when: "when not typing" },
  { keys: "Esc", action: "Close this help or the context drawer" },
];

const ALT_KEYS = { KeyN: "claimNext", KeyC: "canned", KeyO: "note", KeyR: "reply", KeyK: "search", KeyI: "context" };

function typing(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

/**
 * @param {Record<string, () => void>} handlers claimNext, send, canned, note, reply, search, context, help, escape
 * @param {Document} doc
 */
export function installShortcuts(handlers, doc = document) {
  doc.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.isComposing) return;
    const name = event.altKey && !event.ctrlKey && !event.metaKey ? ALT_KEYS[event.code]
      : (event.ctrlKey || event.metaKey) && event.key === "Enter" ? (event.target.id === "reply-text" ? "send" : null)
      : event.key === "?" && !typing(event.target) ? "help"
      : event.key === "Escape" ? "escape"
      : null;
    if (!name || !handlers[name]) return;
    if (name !== "escape") event.preventDefault();
    handlers[name](event);
  });
}

/** Fills the help popover's list from SHORTCUTS. */
export function renderShortcutHelp(list, el) {
  list.replaceChildren(...SHORTCUTS.map((item) => el("div", { className: "shortcut" }, [
    el("dt", {}, item.keys.split("+").map((key) => el("kbd", { text: key }))),
    el("dd", { text: item.when ? `${item.action} (${item.when})` : item.action }),
  ])));
}
