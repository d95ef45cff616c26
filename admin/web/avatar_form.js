// Which shipped avatar customers see and hear (GET/PUT /api/admin/avatar). The bridge stores the
// choice and applies it at once: new page loads show it, new replies speak with its voice.
import { api, el } from "/static/js/api.js";
import { previewAvatar } from "./tone_form.js";
import { showProblems, when } from "./ui.js";

const $ = (id) => document.getElementById(id);
let shown = null; // the bridge's last answer

function describe(answer) {
  const origin = answer.source === "admin"
    ? `Chosen by ${answer.changed_by || "an admin"} on ${when(answer.changed_at)}.`
    : "The deployment's default (AVATAR_MODEL); no admin has chosen yet.";
  const voices = Object.entries(answer.voices || {}).map(([language, v]) => `${language}: ${v.name} (${v.gender})`);
  return voices.length ? `${origin} Voice — ${voices.join(", ")}.` : origin;
}

function render(answer) {
  shown = answer;
  $("avatar-model").replaceChildren(...answer.options.map((o) => el("option", { text: o.name, attrs: { value: o.id } })));
  $("avatar-model").value = answer.avatar;
  $("avatar-meta").textContent = describe(answer);
  previewAvatar(answer.avatar);
}

async function save() {
  showProblems($("avatar-problems"), null);
  $("avatar-status").textContent = "Saving…";
  try {
    const answer = await api("/api/admin/avatar", { method: "PUT", body: { avatar: $("avatar-model").value } });
    render(answer);
    $("avatar-status").textContent = `Saved and applied: ${answer.name}. ${answer.applies}`;
  } catch (problem) {
    $("avatar-status").textContent = "Not saved.";
    showProblems($("avatar-problems"), problem);
  }
}

export async function showAvatarForm(first) {
  render(await api("/api/admin/avatar"));
  if (first) {
    $("avatar-save").addEventListener("click", save);
    // The preview shows a model before it is saved; the status says when it is not saved yet.
    $("avatar-model").addEventListener("change", () => {
      previewAvatar($("avatar-model").value);
      $("avatar-status").textContent = $("avatar-model").value === shown?.avatar ? "" : "Not saved yet.";
    });
  }
}
