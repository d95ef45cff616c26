// The admin console: tabs, sign-in check, and the sections (each its own module).
import { api, currentUser, el, goToLogin, signOutLocally } from "/static/js/api.js";
import { showDashboard } from "./dashboard.js";
import { showIntents } from "./intents.js";
import { showTraining } from "./training.js";
import { showEscalation } from "./escalation.js";
import { showTone } from "./tone.js";
import { showIncidents } from "./incidents.js";
import { reportError } from "./ui.js";

const SECTIONS = { dashboard: showDashboard, intents: showIntents, training: showTraining,
  escalation: showEscalation, tone: showTone, incidents: showIncidents };
// Supervisors publish incidents too; the other sections are for admins.
const SUPERVISOR_SECTIONS = ["incidents"];

async function select(name) {
  reportError(null);
  for (const button of document.querySelectorAll("#tabs button")) {
    button.setAttribute("aria-selected", String(button.dataset.tab === name));
  }
  for (const id of Object.keys(SECTIONS)) document.getElementById(id).hidden = id !== name;
  try {
    await SECTIONS[name]();
  } catch (problem) {
    reportError(problem);
  }
}

function start() {
  const user = currentUser();
  if (!user) { goToLogin(); return; }
  document.getElementById("who").textContent = `${user.display_name || user.username} (${user.role})`;
  document.getElementById("sign-out").addEventListener("click", async () => {
    try { await api("/api/auth/logout", { method: "POST" }); } catch { /* signed out anyway */ }
    signOutLocally();
    window.location.assign("/login");
  });
  if (user.role !== "admin" && user.role !== "supervisor") {
    reportError("This page is for admins and supervisors. Sign in with one of those accounts.");
    document.getElementById("tabs").replaceChildren(el("span", { text: "No access" }));
    return;
  }
  const allowed = user.role === "admin" ? Object.keys(SECTIONS) : SUPERVISOR_SECTIONS;
  for (const button of document.querySelectorAll("#tabs button")) {
    if (!allowed.includes(button.dataset.tab)) { button.remove(); continue; }
    button.addEventListener("click", () => select(button.dataset.tab));
  }
  const wanted = window.location.hash.slice(1);
  select(allowed.includes(wanted) ? wanted : allowed[0]);
}

start();
