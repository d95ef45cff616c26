// The consoles' write forms (reply, note, whisper, barge-in): one send at a time.
//
// A second submit while the first is on its way (Enter pressed twice, a double click on a slow
// link) would send the same line twice: twice to the customer and twice in every transcript.

/**
 * Calls `send()` on submit, but not while the previous send is still running; the form says it is
 * busy (`aria-busy`, submit button disabled) until then, also when the send fails.
 * @param {HTMLFormElement} form
 * @param {() => Promise<unknown>} send
 */
export function sendOneAtATime(form, send) {
  if (!form || typeof form.addEventListener !== "function") throw new TypeError("sendOneAtATime needs a form");
  if (typeof send !== "function") throw new TypeError("sendOneAtATime needs a send function");
  let sending = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (sending) return;
    sending = true;
    setBusy(form, true);
    try {
      await send();
    } catch (problem) {
      // The consoles show their errors themselves (act); one that gets here must not lock the form.
      console.error("sending failed", problem);
    } finally {
      sending = false;
      setBusy(form, false);
    }
  });
}

function setBusy(form, busy) {
  if (busy) form.setAttribute("aria-busy", "true");
  else form.removeAttribute("aria-busy");
  for (const button of form.querySelectorAll("button[type='submit']")) button.disabled = busy;
}
