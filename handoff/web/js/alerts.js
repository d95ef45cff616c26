// Tells the agent that a conversation started waiting in their queues: a short chime (made with
// Web Audio, no sound file), a desktop notification (only after the agent allowed it with the
// button), the count of new ones in the tab title ("(2) Agent console") and a sentence for screen
// readers. Nothing while the agent is paused, nothing for conversations outside their skills and
// languages, nothing for what was already waiting when the console opened. The count clears when
// the agent looks at the queue (pointer or keyboard focus in it, or back to the tab) or claims.
const SOUND_KEY = "handoff.alertSound";

/**
 * @typedef {Object} AlertElements
 * @property {HTMLElement} announcer      aria-live region for "New conversation waiting: …"
 * @property {HTMLButtonElement} sound    toggles the chime (aria-pressed)
 * @property {HTMLButtonElement} desktop  asks for the notification permission (a user gesture)
 * `onAcknowledge`: called when the new ones count as seen (to redraw their "New" marks).
 */
export class HandoffAlerts {
  /** @param {AlertElements} elements */
  constructor({ announcer, sound, desktop }, { onAcknowledge = () => {} } = {}, win = window) {
    this.win = win;
    this.onAcknowledge = onAcknowledge;
    this.doc = win.document;
    this.baseTitle = this.doc.title;
    this.announcer = announcer;
    this.soundButton = sound;
    this.desktopButton = desktop;
    this.known = null; // conversation ids seen waiting; null until the first queue read
    this.unseen = new Map(); // conversation id -> its Notification (or null)
    this.audio = null;
    this.soundOn = win.localStorage.getItem(SOUND_KEY) !== "off";
    // Read-only figures for tests and support: how often each kind of alert went out.
    this.counts = { chimes: 0, notifications: 0, announcements: 0 };

    this.soundButton.addEventListener("click", () => {
      this.soundOn = !this.soundOn;
      win.localStorage.setItem(SOUND_KEY, this.soundOn ? "on" : "off");
      if (this.soundOn) this.audioContext()?.resume().catch(() => {}); // this click is the gesture
      this.showControls();
    });
    this.desktopButton.addEventListener("click", async () => {
      await win.Notification.requestPermission();
      this.showControls();
    });
    // Browsers start audio only after a gesture on the page: the first click or key unlocks it.
    const unlock = () => { if (this.soundOn) this.audioContext()?.resume().catch(() => {}); };
    this.doc.addEventListener("pointerdown", unlock, { once: true });
    this.doc.addEventListener("keydown", unlock, { once: true });
    this.showControls();
  }

  showControls() {
    this.soundButton.setAttribute("aria-pressed", String(this.soundOn));
    this.soundButton.textContent = this.soundOn ? "Sound on" : "Sound off";
    const permission = "Notification" in this.win ? this.win.Notification.permission : "unsupported";
    this.desktopButton.hidden = permission === "granted" || permission === "unsupported";
    this.desktopButton.disabled = permission === "denied";
    this.desktopButton.textContent = permission === "denied"
      ? "Desktop alerts blocked (browser settings)" : "Turn on desktop alerts";
  }

  /**
   * The queue as just read. `me`: the agent's paused flag, skills and languages (/api/queue/me).
   * @param {Array<{conversation_id: string, reason_text: string, skill: string, language: string}>} items
   */
  update(items, { paused, skills, languages }) {
    const waiting = new Set(items.map((item) => item.conversation_id));
    for (const id of [...this.unseen.keys()]) if (!waiting.has(id)) this.forget(id); // taken or ended
    const arrived = this.known === null ? [] : items.filter((item) => !this.known.has(item.conversation_id)
      && skills.includes(item.skill) && languages.includes(item.language));
    this.known = waiting;
    if (paused) {
      this.acknowledge();
      return;
    }
    if (arrived.length) {
      for (const item of arrived) this.unseen.set(item.conversation_id, this.notify(item));
      this.announce(arrived.map((item) => `New conversation waiting: ${item.reason_text}`).join(". "));
      this.chime();
    }
    this.showCount();
  }

  isNew(conversationId) {
    return this.unseen.has(conversationId);
  }

  /** The agent has seen the queue: the count, the new marks and the notifications go. */
  acknowledge() {
    for (const id of [...this.unseen.keys()]) this.forget(id);
    this.showCount();
    this.onAcknowledge();
  }

  forget(conversationId) {
    this.unseen.get(conversationId)?.close();
    this.unseen.delete(conversationId);
  }

  showCount() {
    this.doc.title = this.unseen.size ? `(${this.unseen.size}) ${this.baseTitle}` : this.baseTitle;
  }

  announce(text) {
    // Emptied first so that the same sentence twice is announced twice.
    this.announcer.textContent = "";
    this.win.setTimeout(() => { this.announcer.textContent = text; }, 50);
    this.counts.announcements += 1;
  }

  notify(item) {
    if (!("Notification" in this.win) || this.win.Notification.permission !== "granted") return null;
    try {
      const notification = new this.win.Notification("New conversation waiting", {
        body: `${item.reason_text} (${item.skill} · ${item.language})`, tag: `handoff-${item.conversation_id}`,
      });
      notification.addEventListener("click", () => { this.win.focus(); this.acknowledge(); });
      this.counts.notifications += 1;
      return notification;
    } catch (error) {
      console.warn("desktop notification failed", error);
      return null;
    }
  }

  audioContext() {
    const Context = this.win.AudioContext || this.win.webkitAudioContext;
    if (!this.audio && Context) this.audio = new Context();
    return this.audio;
  }

  /** Two short sine tones, quiet, with soft edges so they do not click. */
  chime() {
    if (!this.soundOn) return;
    const audio = this.audioContext();
    if (!audio) return;
    if (audio.state === "suspended") audio.resume().catch(() => {});
    const start = audio.currentTime + 0.02;
    for (const [index, frequency] of [880, 1318.5].entries()) {
      const at = start + index * 0.16;
      const tone = audio.createOscillator();
      const volume = audio.createGain();
      tone.type = "sine";
      tone.frequency.value = frequency;
      volume.gain.setValueAtTime(0.0001, at);
      volume.gain.exponentialRampToValueAtTime(0.15, at + 0.02);
      volume.gain.exponentialRampToValueAtTime(0.0001, at + 0.28);
      tone.connect(volume).connect(audio.destination);
      tone.start(at);
      tone.stop(at + 0.3);
    }
    this.counts.chimes += 1;
  }
}
