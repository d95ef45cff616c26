/** UI labels that follow the language: each node remembers its key and is relabelled on a switch. */
export class Labels {
  /** @param {(key: string, values?: object) => string} t */
  constructor(t) {
    this.t = t;
    this.entries = []; // [node, key, attribute|null]
  }

  add(node, key, attribute = null) {
    this.entries.push([node, key, attribute]);
    this.apply(node, key, attribute);
    return node;
  }

  apply(node, key, attribute) {
    if (attribute) node.setAttribute(attribute, this.t(key)); else node.textContent = this.t(key);
  }

  setTranslator(t) {
    this.t = t;
    for (const [node, key, attribute] of this.entries) this.apply(node, key, attribute);
  }
}
