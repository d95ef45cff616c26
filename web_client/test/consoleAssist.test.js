// The agent console's live assist panel (handoff/web/js/assist.js): suggestions shown as text,
// "Insert" fills the reply box for editing and never sends, warnings above, focus kept on refresh.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AssistPanel } from "../../handoff/web/js/assist.js";

const answer = (forLine, suggestions, warnings = []) => ({ for_line: forLine, language: "en", emotion: "frustrated", suggestions, warnings });
const suggestion = (key, kind, text) => ({ key, kind, text, why: `why ${key}` });

function panelParts() {
  const section = document.createElement("section");
  const warnings = document.createElement("ul");
  const suggestions = document.createElement("ul");
  const replyBox = document.createElement("textarea");
  section.append(warnings, suggestions);
  document.body.append(section, replyBox);
  return { section, warnings, suggestions, replyBox };
}

const texts = (list, selector) => [...list.querySelectorAll(selector)].map((node) => node.textContent);

describe("the live assist panel", () => {
  let parts;
  let fetchSpy;
  beforeEach(() => {
    parts = panelParts();
    fetchSpy = vi.fn(() => Promise.reject(new Error("nothing may be sent from the panel")));
    vi.stubGlobal("fetch", fetchSpy);
  });
  afterEach(() => { vi.unstubAllGlobals(); document.body.replaceChildren(); });

  it("shows warnings and suggestions as text; Insert puts the text in the reply box and sends nothing", async () => {
    const load = vi.fn(async () => answer("5-0", [
      suggestion("a", "acknowledge", "I can see why this has annoyed you."),
      suggestion("b", "ask", "<img src=x onerror=alert(1)> What amount?"),
    ], [{ code: "repeated", text: "The customer has said this twice: summarise what you understood before you go on." }]));
    const panel = new AssistPanel(parts, { load });
    await panel.show("c1");
    expect(load).toHaveBeenCalledWith("c1");
    expect(parts.section.hidden).toBe(false);
    expect(texts(parts.warnings, "li")).toEqual(["The customer has said this twice: summarise what you understood before you go on."]);
    expect(texts(parts.suggestions, ".assist-text")).toEqual(["I can see why this has annoyed you.", "<img src=x onerror=alert(1)> What amount?"]);
    expect(parts.suggestions.querySelector("img")).toBeNull();

    parts.replyBox.value = "Hello James, ";
    const buttons = parts.suggestions.querySelectorAll("button");
    expect(buttons[0].getAttribute("type")).toBe("button");
    expect(buttons[0].getAttribute("aria-label")).toContain("Insert the acknowledge suggestion into the reply box");
    buttons[0].click();
    buttons[1].click();
    expect(parts.replyBox.value).toBe("Hello James, I can see why this has annoyed you. <img src=x onerror=alert(1)> What amount?");
    expect(document.activeElement).toBe(parts.replyBox);
    expect(fetchSpy).not.toHaveBeenCalled();
    panel.clear();
  });

  it("a refresh for the same customer line keeps the buttons (and keyboard focus); a new line replaces them", async () => {
    let current = answer("5-0", [suggestion("a", "act", "I'll check it now.")]);
    const panel = new AssistPanel(parts, { load: async () => current });
    await panel.show("c1");
    const button = parts.suggestions.querySelector("button");
    button.focus();
    current = answer("5-0", [suggestion("a", "act", "I'll check it now.")], [{ code: "agent_silence", text: "waited" }]);
    await panel.refresh();
    expect(document.activeElement).toBe(button);
    expect(texts(parts.warnings, "li")).toEqual(["waited"]);
    current = answer("9-0", [suggestion("z", "ask", "Does that help?")]);
    await panel.refresh();
    expect(texts(parts.suggestions, ".assist-text")).toEqual(["Does that help?"]);
    panel.clear();
  });

  it("nothing to show, a failed read or a bad answer: hidden, no error; closing empties it", async () => {
    const panel = new AssistPanel(parts, { load: async () => answer(null, []) });
    await panel.show("c1");
    expect(parts.section.hidden).toBe(true);
    const failing = new AssistPanel(parts, { load: async () => { throw new Error("503"); } });
    await expect(failing.show("c1")).resolves.toBeUndefined();
    const odd = new AssistPanel(parts, { load: async () => ({ suggestions: "no", warnings: null }) });
    await odd.show("c1");
    expect(parts.suggestions.children.length).toBe(0);
    odd.clear();
    expect(parts.section.hidden).toBe(true);
    panel.clear();
    failing.clear();
  });

  it("refuses to start without its elements", () => {
    expect(() => new AssistPanel({ section: parts.section })).toThrow(/warnings/);
  });
});
