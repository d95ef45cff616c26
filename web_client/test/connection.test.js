import { beforeEach, describe, expect, it } from 'vitest';
import { BridgeConnection, backoffMs } from '../src/protocol/connection.js';
import { FakeWebSocket, MemoryStorage } from './fakes.js';


function setup(storage = new MemoryStorage()) {
  const timers = [];
  const connection = new BridgeConnection({
    url: 'ws://bridge.test/ws/v1', language: 'en', storage, WebSocketImpl: FakeWebSocket,
    setTimer: (fn) => { timers.push(fn); return timers.length; }, clearTimer: () => {}, random: () => 0.5,
  });
  const frames = [];
  const states = [];
  connection.on('frame', (frame, meta) => frames.push({ ...frame, replayed: meta.replayed }));
  connection.on('state', (state) => states.push(state));
  return { connection, frames, states, timers, storage, socket: () => FakeWebSocket.instances.at(-1) };
}

beforeEach(() => { FakeWebSocket.instances = []; });

describe('BridgeConnection', () => {
  it('starts a session and sends messages once attached', () => {
    const { connection, socket, states } = setup();
    connection.connect();
    socket().open();
    expect(socket().sent).toEqual([{ v: 1, type: 'start', language: 'en', capabilities: { audio: true } }]);
    const early = connection.sendText('queued before the session');
    expect(socket().sent).toHaveLength(1);
    socket().receive({ type: 'session_started', session_id: 'S'.repeat(24), resume_token: 'token', language: 'en', limits: {} });
    expect(states).toEqual(['connecting', 'open']);
    expect(socket().sent.at(-1)).toEqual({ v: 1, type: 'user_message', id: early, text: 'queued before the session' });
  });

  it('drops frames it has already seen (by seq) and resumes with the last seq', () => {
    const { connection, socket, frames, timers } = setup();
    connection.connect();
    socket().open();
    socket().receive({ type: 'session_started', session_id: 'S'.repeat(24), resume_token: 'token' });
    const id = connection.sendText('hello');
    socket().receive({ type: 'ack', seq: 1, reply_to: id, text: 'hello' });
    socket().receive({ type: 'bot_message', seq: 2, reply_to: id, message_id: `${id}.0`, text: 'Hi!' });
    socket().drop();
    expect(connection.state).toBe('reconnecting');
    // Typed while offline: kept until the server acknowledges it.
    const offline = connection.sendText('are you there?');
    timers.shift()();
    socket().open();
    expect(socket().sent[0]).toMatchObject({ type: 'resume', session_id: 'S'.repeat(24), resume_token: 'token', last_seq: 2 });
    socket().receive({ type: 'session_resumed', session_id: 'S'.repeat(24), last_seq: 3, replayed: 2, gap: false });
    expect(socket().sent.filter((f) => f.type === 'user_message')).toHaveLength(0); // not before the replay
    socket().receive({ type: 'bot_message', seq: 2, reply_to: id, message_id: `${id}.0`, text: 'Hi!' });
    socket().receive({ type: 'turn_complete', seq: 3, reply_to: id, messages: 1, routed_to: 'bot', speech_failed: [] });
    expect(frames.map((f) => f.seq)).toEqual([1, 2, 3]);
    expect(frames.at(-1).replayed).toBe(true);
    expect(socket().sent.filter((f) => f.type === 'user_message')).toEqual([{ v: 1, type: 'user_message', id: offline, text: 'are you there?' }]);
    socket().receive({ type: 'ack', seq: 4, reply_to: offline, text: 'are you there?' });
    expect(connection.pending.size).toBe(0);
  });

  it('forgets a re-sent message the server already had (duplicate_message)', () => {
    const { connection, socket } = setup();
    connection.connect();
    socket().open();
    socket().receive({ type: 'session_started', session_id: 'S'.repeat(24), resume_token: 't' });
    const id = connection.sendText('once');
    socket().receive({ type: 'error', code: 'duplicate_message', message: 'dup', fatal: false, reply_to: id });
    expect(connection.pending.size).toBe(0);
  });

  it('starts a new session when the stored one is refused', () => {
    const storage = new MemoryStorage();
    storage.setItem('avatar-assistant:ws://bridge.test/ws/v1', JSON.stringify({ session_id: 'X'.repeat(24), resume_token: 'old' }));
    const { connection, socket } = setup(storage);
    connection.connect();
    socket().open();
    expect(socket().sent[0]).toMatchObject({ type: 'resume', last_seq: 0 });
    socket().receive({ type: 'error', code: 'session_forbidden', message: 'no', fatal: false });
    expect(socket().sent[1]).toMatchObject({ type: 'start', language: 'en' });
    expect(storage.getItem('avatar-assistant:ws://bridge.test/ws/v1')).toBeNull();
  });

  it('stops reconnecting when the session is taken over elsewhere', () => {
    const { connection, socket, timers } = setup();
    connection.connect();
    socket().open();
    socket().receive({ type: 'session_started', session_id: 'S'.repeat(24), resume_token: 't' });
    socket().receive({ type: 'error', code: 'session_taken_over', message: 'elsewhere', fatal: true });
    socket().drop();
    expect(connection.state).toBe('taken_over');
    expect(timers).toHaveLength(0);
  });

  it('ignores garbage frames', () => {
    const { connection, socket, frames } = setup();
    connection.connect();
    socket().open();
    socket().onmessage({ data: 'not json' });
    socket().onmessage({ data: '[1,2]' });
    socket().onmessage({ data: 'null' });
    expect(frames).toEqual([]);
  });

  it.each([[''], ['   '], [42]])('rejects an empty or non-text message %j', (text) => {
    const { connection } = setup();
    expect(() => connection.sendText(text)).toThrow(TypeError);
  });

  it('rejects a bad URL and bad CSAT scores', () => {
    expect(() => new BridgeConnection({ url: 'http://x', language: 'en' })).toThrow(TypeError);
    const { connection } = setup();
    expect(() => connection.sendCsat(6)).toThrow(RangeError);
    expect(() => connection.sendCsat(0)).toThrow(RangeError);
  });

  it('backs off exponentially up to 8 s', () => {
    expect(backoffMs(0, () => 0.5)).toBe(500);
    expect(backoffMs(3, () => 0.5)).toBe(4000);
    expect(backoffMs(10, () => 0.5)).toBe(8000);
  });
});
