// The active incidents next to the conversation (GET /api/incidents): what customers are being
// told about an outage, a carrier delay or a recall, in the conversation's language.
import { api, el } from "./api.js";

const SCOPE_LABELS = { everyone: "Everyone", carrier: "Carrier", region: "Region", products: "Products" };
const REFRESH_MS = 30_000;

function scopeText(scope) {
  const label = SCOPE_LABELS[scope.kind] || scope.kind;
  return scope.values && scope.values.length ? `${label}: ${scope.values.join(", ")}` : label;
}

export class IncidentPanel {
  constructor(box, list, title) {
    this.box = box;
    this.list = list;
    this.title = title;
    this.incidents = [];
    this.language = "en";
  }

  start() {
    this.refresh();
    setInterval(() => this.refresh(), REFRESH_MS);
  }

  async refresh() {
    try {
      this.incidents = (await api("/api/incidents")).incidents;
    } catch {
      return; // the rest of the console works without them; the next refresh tries again
    }
    this.render();
  }

  showIn(language) {
    this.language = language === "de" ? "de" : "en";
    this.render();
  }

  render() {
    this.box.hidden = this.incidents.length === 0;
    this.title.textContent = `Active incidents (${this.incidents.length})`;
    this.list.replaceChildren(...this.incidents.map((incident) => {
      const text = incident.texts[this.language] || incident.texts.en;
      return el("li", { className: "incident" }, [
        el("strong", { text: scopeText(incident.scope) }),
        el("p", { text: text.summary }),
        el("p", { className: "meta", text: `What customers can do: ${text.advice}` }),
        el("p", { className: "meta", text: `Timeline: ${text.timeline}` }),
      ]);
    }));
  }
}
