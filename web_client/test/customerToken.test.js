import { beforeEach, describe, expect, it } from 'vitest';
import { BridgeConnection } from '../src/protocol/connection.js';
import { FakeWebSocket, MemoryStorage } from './fakes.js';


const URL_ = 'ws://bridge.test/ws/v1';
const KEY = `avatar-assistant:${URL_}`;
const TOKEN = 'v1.eyJzdWIiOiJDMTAwMDAyIiwiZXhwIjoxfQ.c2lnbmF0dXJl';

function connect({ customerToken = null, storage = new MemoryStorage() } = {}) {
  const connection = new BridgeConnection({
    url: URL_, language: 'en', storage, customerToken, WebSocketImpl: FakeWebSocket,
    setTimer: () => 1, clearTimer: () => {}, random: () => 0.5,
  });
  const frames = [];
  connection.on('frame', (frame) => frames.push(frame));
  connection.connect();
  const socket = FakeWebSocket.instances.at(-1);
  socket.open();
  return { connection, socket, storage, frames };
}

const started = { type: 'session_started', session_id: 'S'.repeat(24), resume_token: 'resume', language: 'en', limits: {} };

beforeEach(() => { FakeWebSocket.instances = []; });

describe('the shop customer token', () => {
  it('goes with start, and with resume after a reconnect', () => {
    const { connection, socket, storage } = connect({ customerToken: TOKEN });
    expect(socket.sent[0]).toEqual({ v: 1, type: 'start', language: 'en', capabilities: { audio: true }, customer_token: TOKEN });
    socket.receive(started);
    expect(storage.getItem(KEY)).not.toContain(TOKEN); // never stored by the client
    socket.drop();
    connection.open();
    const again = FakeWebSocket.instances.at(-1);
    again.open();
    expect(again.sent[0]).toMatchObject({ type: 'resume', session_id: started.session_id, customer_token: TOKEN });
  });

  it('is left out when the shop gave none', () => {
    const { socket } = connect();
    expect(socket.sent[0]).not.toHaveProperty('customer_token');
  });

  it('starts afresh instead of resuming a session from before the customer signed in', () => {
    const storage = new MemoryStorage();
    storage.setItem(KEY, JSON.stringify({ session_id: 'A'.repeat(24), resume_token: 'anonymous' }));
    const { socket } = connect({ customerToken: TOKEN, storage });
    expect(socket.sent[0]).toMatchObject({ type: 'start', customer_token: TOKEN });
  });

  it('does not carry a signed-in session over to a customer who signed out', () => {
    const storage = new MemoryStorage();
    storage.setItem(KEY, JSON.stringify({ session_id: 'B'.repeat(24), resume_token: 'signed', signed_in: true }));
    const { socket } = connect({ storage });
    expect(socket.sent[0]).toMatchObject({ type: 'start' });
  });

  it('shows the opening note as a bot message: nothing of it as the customer\'s', () => {
    const { socket, frames } = connect({ customerToken: TOKEN });
    socket.receive(started);
    socket.receive({ type: 'bot_message', seq: 1, reply_to: 'widget-opened', message_id: 'widget-opened.0', text: 'A heads-up.' });
    socket.receive({ type: 'turn_complete', seq: 2, reply_to: 'widget-opened', messages: 1, routed_to: 'bot' });
    expect(frames.map((frame) => frame.type)).toEqual(['bot_message', 'turn_complete']);
  });

  it.each([[''], [42], ['x'.repeat(513)]])('rejects a bad token %#', (customerToken) => {
    expect(() => new BridgeConnection({ url: URL_, language: 'en', customerToken, WebSocketImpl: FakeWebSocket })).toThrow(/customerToken/);
  });
});
