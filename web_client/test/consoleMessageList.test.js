// The consoles' chat list (handoff/web/js/message_list.js): each line once, in id order, however
// often and in whatever order its reads come back (issue #17: the agent's own reply and a
// supervisor's barge-in were shown twice). Kept with the web client's tests: one JavaScript test runner.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { compareIds, MessageList } from "../../handoff/web/js/message_list.js";

const line = (id, text, extra = {}) => ({ id, kind: "agent", author: "mia", author_name: "Mia", text, ts: 1, ...extra });

/** The service's message stream behind `fetch`: lines after `after`; each answer waits for `release()`. */
function serviceWithLines(lines) {
  const waiting = [];
  const requested = [];
  vi.stubGlobal("fetch", (url) => {
    const after = new URL(url, "http://console.test").searchParams.get("after");
    requested.push(after);
    const answer = lines.filter((item) => after === "-" || compareIds(item.id, after) > 0);
    return new Promise((resolve) => waiting.push(() => resolve(new Response(JSON.stringify({ messages: answer }), { status: 200 }))));
  });
  return {
    requested,
    async release() {
      while (waiting.length) { waiting.shift()(); await new Promise((done) => setTimeout(done, 0)); }
    },
  };
}

function shownTexts(container) {
  return [...container.querySelectorAll("li .text")].map((node) => node.textContent);
}

describe("the consoles' chat list", () => {
  let container;
  beforeEach(() => { container = document.createElement("ol"); document.body.append(container); });
  afterEach(() => { vi.unstubAllGlobals(); container.remove(); });

  it("the console's own reply, read after sending and after the live socket's change at once: shown once", async () => {
    const lines = [line("1700000000000-0", "Handed over", { kind: "system" })];
    const service = serviceWithLines(lines);
    const list = new MessageList(container);
    list.show("c1", lines);
    lines.push(line("1700000000500-0", "Hello, I'm Mia."));
    const afterSending = list.refresh();
    const afterChange = list.refresh();
    const afterReconnect = list.refresh();
    await service.release();
    await Promise.all([afterSending, afterChange, afterReconnect]);
    expect(shownTexts(container)).toEqual(["Handed over", "Hello, I'm Mia."]);
    // One read in flight, one more after it for the calls during it, each from the newest line shown.
    expect(service.requested).toEqual(["1700000000000-0", "1700000000500-0"]);
  });

  it("lines read again (a reconnect re-reading everything) are not added a second time", () => {
    const list = new MessageList(container);
    const barge = [line("5-0", "Sam (supervisor) joined the conversation.", { kind: "system" }),
      line("5-1", "Sam here.", { author: "sam", author_name: "Sam", author_role: "supervisor" })];
    list.show("c1", barge);
    list.add(barge);
    list.add([...barge, line("6-0", "Thanks")]);
    expect(shownTexts(container)).toEqual(["Sam (supervisor) joined the conversation.", "Sam here.", "Thanks"]);
    expect(container.querySelector("li[data-id='5-1'] .who").textContent).toBe("Sam (supervisor)");
  });

  it("lines in id order whatever order they arrive in (numbers, not text: 10-0 after 9-5)", () => {
    const list = new MessageList(container);
    list.show("c1", [line("1-0", "a"), line("10-0", "e")]);
    list.add([line("9-5", "d"), line("2-0", "b")]);
    list.add([line("9-1", "c")]);
    expect(shownTexts(container)).toEqual(["a", "b", "c", "d", "e"]);
    expect(list.lastId).toBe("10-0");
  });

  it("a read of the conversation left behind does not show its lines in the next one", async () => {
    const service = serviceWithLines([line("2-0", "for the first conversation")]);
    const list = new MessageList(container);
    list.show("c1", [line("1-0", "first")]);
    const reading = list.refresh();
    list.show("c2", [line("7-0", "second")]);
    await service.release();
    await reading;
    expect(shownTexts(container)).toEqual(["second"]);
  });

  it("bad lines (no id, an id that is not a stream id, nothing at all) are left out; the rest shown", () => {
    const list = new MessageList(container);
    list.show("c1", [line("1-0", "kept"), line(undefined, "no id"), line("abc", "not a stream id"),
      line("1-0-0", "three parts"), null, line("2-0", "also kept")]);
    expect(shownTexts(container)).toEqual(["kept", "also kept"]);
    expect(list.lastId).toBe("2-0");
  });

  it("closing the conversation forgets it: the next one starts from its first line", async () => {
    const service = serviceWithLines([line("3-0", "again")]);
    const list = new MessageList(container);
    list.show("c1", [line("3-0", "again")]);
    list.clear();
    await list.refresh();
    expect(service.requested).toEqual([]);
    list.show("c1", []);
    const reading = list.refresh();
    await service.release();
    await reading;
    expect(service.requested).toEqual(["-"]);
    expect(shownTexts(container)).toEqual(["again"]);
  });
});
