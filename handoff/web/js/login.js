import { api, saveSignIn } from "./api.js";

const HOME = { agent: "/agent", supervisor: "/supervisor", admin: "/admin" };

function start() {
  const form = document.getElementById("login-form");
  const error = document.getElementById("login-error");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    try {
      const result = await api("/api/auth/login", {
        method: "POST",
        body: { username: form.username.value.trim(), password: form.password.value },
      });
      saveSignIn(result.token, result.user);
      const next = new URLSearchParams(window.location.search).get("next");
      // Only our own pages: never follow an absolute or protocol-relative URL.
      const safeNext = next && /^\/[a-z]+$/.test(next) ? next : null;
      window.location.assign(safeNext || HOME[result.user.role] || "/agent");
    } catch (problem) {
      error.textContent = problem.message;
    }
  });
}

start();
