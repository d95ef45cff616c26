// The consoles' link to the handoff service: bearer token in sessionStorage (no cookies, so no
// CSRF), JSON requests, and the live WebSocket that says when something changed.

const TOKEN_KEY = "handoff.token";
const USER_KEY = "handoff.user";

export function saveSignIn(token, user) {
  sessionStorage.setItem(TOKEN_KEY, token);
  sessionStorage.setItem(USER_KEY, JSON.stringify(user));
}

export function currentUser() {
  const raw = sessionStorage.getItem(USER_KEY);
  return raw ? JSON.parse(raw) : null;
}

export function signOutLocally() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
}

export function goToLogin() {
  signOutLocally();
  window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** JSON request to the service; 401 sends the user back to the sign-in page. */
export async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 && !path.startsWith("/api/auth/login")) {
    goToLogin();
    throw new ApiError(401, "signed out");
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const detail = data && (data.problems ? data.problems.join("; ") : data.detail);
    throw new ApiError(response.status, typeof detail === "string" ? detail : `HTTP ${response.status}`);
  }
  return data;
}

/** Calls onChange() whenever the service reports a change; reconnects after a drop. */
export function connectLive(onChange, onState = () => {}) {
  let closedByUs = false;
  let socket = null;
  let retry = 500;
  const open = () => {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${window.location.host}/api/live`);
    socket.addEventListener("open", () => {
      socket.send(JSON.stringify({ type: "auth", token: sessionStorage.getItem(TOKEN_KEY) }));
    });
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "ready") { retry = 500; onState("live"); }
      if (message.type === "changed") onChange(message.version);
    });
    socket.addEventListener("close", (event) => {
      onState("offline");
      if (closedByUs) return;
      if (event.code === 4401) { goToLogin(); return; }
      setTimeout(open, retry);
      retry = Math.min(retry * 2, 8000);
    });
  };
  open();
  return () => { closedByUs = true; if (socket) socket.close(); };
}

/**
 * `task` run one at a time: a call while it runs makes one more run after it (however many calls
 * came), and every caller waits for a run that started after its call. Reads of the same data
 * that overlap would otherwise finish out of order and an older answer would win.
 */
export function oneAtATime(task) {
  let running = null;
  let again = false;
  const loop = async () => {
    try {
      do { again = false; await task(); } while (again);
    } finally {
      running = null;
    }
  };
  return () => {
    if (running) { again = true; return running; }
    running = loop();
    return running;
  };
}

/** Creates an element with text content only (never HTML) and optional attributes. */
export function el(tag, { text, className, attrs } = {}, children = []) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  for (const child of children) if (child) node.append(child);
  return node;
}

export function formatWait(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
