// The consoles' write forms (handoff/web/js/forms.js): a line is sent once however often the form
// is submitted while it is on its way (Enter twice on a slow link sent it twice, issue #17).
import { describe, expect, it, vi } from "vitest";
import { sendOneAtATime } from "../../handoff/web/js/forms.js";

function replyForm() {
  const form = document.createElement("form");
  const button = document.createElement("button");
  button.type = "submit";
  form.append(button);
  document.body.append(form);
  return { form, button, submit: () => form.dispatchEvent(new Event("submit", { cancelable: true })) };
}

function sendThatWaits() {
  const sends = [];
  const send = () => new Promise((resolve, reject) => sends.push({ resolve, reject }));
  return { sends, send };
}

const tick = () => new Promise((done) => setTimeout(done, 0));

describe("the consoles' write forms", () => {
  it("a second submit while the first is on its way sends nothing; after it, the next one sends", async () => {
    const { form, button, submit } = replyForm();
    const { sends, send } = sendThatWaits();
    sendOneAtATime(form, send);
    submit();
    submit();
    submit();
    expect(sends).toHaveLength(1);
    expect(form.getAttribute("aria-busy") === "true" && button.disabled).toBe(true);
    sends[0].resolve();
    await tick();
    expect(form.hasAttribute("aria-busy") || button.disabled).toBe(false);
    submit();
    expect(sends).toHaveLength(2);
  });

  it("a failed send frees the form for the next try, and says so in the console", async () => {
    const { form, button, submit } = replyForm();
    const { sends, send } = sendThatWaits();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    sendOneAtATime(form, send);
    submit();
    sends[0].reject(new Error("offline"));
    await tick();
    expect(button.disabled).toBe(false);
    expect(logged).toHaveBeenCalledWith("sending failed", expect.any(Error));
    logged.mockRestore();
    submit();
    expect(sends).toHaveLength(2);
  });

  it("the page does not navigate on submit", () => {
    const { form } = replyForm();
    sendOneAtATime(form, async () => {});
    const event = new Event("submit", { cancelable: true });
    form.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
  });

  it("refuses what is not a form or not a function", () => {
    expect(() => sendOneAtATime(null, async () => {})).toThrow(TypeError);
    expect(() => sendOneAtATime(document.createElement("form"), "send")).toThrow(TypeError);
  });
});
