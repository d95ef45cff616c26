// Expression & tone: the avatar shown (avatar_form.js), the face-and-voice form (tone_form.js), and
// the YAML files for advanced edits, checked by the bridge's own loaders.
import { api, el } from "/static/js/api.js";
import { showAvatarForm } from "./avatar_form.js";
import { showFaceForm } from "./tone_form.js";
import { reportError, showProblems } from "./ui.js";

let wired = false;
const $ = (id) => document.getElementById(id);

async function open(fileId) {
  const file = await api(`/api/admin/tone/${encodeURIComponent(fileId)}`);
  $("tone-text").value = file.text;
  $("tone-applies").textContent = file.applies;
  $("tone-status").textContent = "";
  showProblems($("tone-problems"), null);
}

async function save() {
  showProblems($("tone-problems"), null);
  $("tone-status").textContent = "Checking…";
  try {
    const result = await api(`/api/admin/tone/${encodeURIComponent($("tone-file").value)}`,
      { method: "PUT", body: { text: $("tone-text").value } });
    $("tone-status").textContent = `Saved. ${result.applies}`;
  } catch (problem) {
    $("tone-status").textContent = "Not saved.";
    showProblems($("tone-problems"), problem);
  }
}

export async function showTone() {
  const { files, applies } = await api("/api/admin/tone");
  await showAvatarForm(!wired); // first: the face preview then opens with the avatar shown
  await showFaceForm(!wired);
  if (!wired) {
    wired = true;
    $("tone-file").replaceChildren(...files.map((f) => el("option", { text: f.title, attrs: { value: f.id } })));
    $("tone-file").addEventListener("change", () => open($("tone-file").value).catch(reportError));
    $("tone-save").addEventListener("click", save);
  }
  $("tone-applies").textContent = applies;
  await open($("tone-file").value);
}
