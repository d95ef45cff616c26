// Fakes of browser parts outside our code, shared by the connection tests.

/** A fake of the browser's WebSocket (outside our code): records sent frames, lets the test answer. */
export class FakeWebSocket {
  static instances = [];

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeWebSocket.instances.push(this);
  }

  send(data) { this.sent.push(JSON.parse(data)); }

  close() { this.readyState = 3; this.onclose?.(); }

  // test side
  open() { this.readyState = 1; this.onopen?.(); }

  receive(frame) { this.onmessage?.({ data: JSON.stringify({ v: 1, ts: 1, ...frame }) }); }

  drop() { this.readyState = 3; this.onclose?.(); }
}

export class MemoryStorage {
  constructor() { this.items = new Map(); }
  getItem(key) { return this.items.has(key) ? this.items.get(key) : null; }
  setItem(key, value) { this.items.set(key, String(value)); }
  removeItem(key) { this.items.delete(key); }
}
