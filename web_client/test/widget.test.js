import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LOOK, inkOn, resolveLook, safeLogoUrl } from '../src/shell/look.js';
import { WidgetShell } from '../src/shell/launcher.js';
import { ChatHeader } from '../src/chat/chatHeader.js';
import { ChatView } from '../src/chat/chatView.js';
import { Presence } from '../src/chat/presence.js';
import { messageTime } from '../src/chat/time.js';
import { namedTranslator } from '../src/app.js';

const where = { bridgeOrigin: 'https://bridge.example', pageUrl: 'https://shop.example/cart' };

describe('look', () => {
  it('takes the bridge settings, then the page overrides; never the name from the page', () => {
    const served = { name: 'Nora', accent: '#A0522D', logo_url: '/brand/logo.svg', greeting: { en: 'Hello from Nora', de: null } };
    const look = resolveLook(served, { accent: '#112233', name: 'Evil', greetingDe: 'Hallo!' }, where);
    expect(look).toEqual({ name: 'Nora', accent: '#112233', logoUrl: 'https://bridge.example/brand/logo.svg', greeting: { en: 'Hello from Nora', de: 'Hallo!' } });
  });

  it('keeps the defaults and warns about values that are not valid', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const look = resolveLook(null, { accent: 'red; background: url(x)', logoUrl: 'javascript:alert(1)' }, where);
    expect(look).toEqual({ ...DEFAULT_LOOK, greeting: { en: null, de: null } });
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });

  it('allows https logos and logos from the same origin only', () => {
    expect(safeLogoUrl('/logo.png', where.pageUrl, 'https://shop.example')).toBe('https://shop.example/logo.png');
    expect(safeLogoUrl('http://cdn.example/logo.png', where.pageUrl, 'https://shop.example')).toBeNull();
    expect(safeLogoUrl('data:image/png;base64,AA', where.pageUrl, 'https://shop.example')).toBeNull();
  });

  it('picks a readable text colour for the accent', () => {
    expect(inkOn('#1f6f6a')).toBe('#ffffff');
    expect(inkOn('#ffd86b')).toBe('#1f2a30');
    expect(inkOn('#fff')).toBe('#1f2a30');
  });
});

describe('WidgetShell', () => {
  let storage;
  let mounts;
  const t = namedTranslator('en', 'Nora');
  function shell(options = {}) {
    document.body.replaceChildren();
    mounts = [];
    const mount = vi.fn(async (panel, hooks) => {
      const handle = { hooks, dispose: vi.fn(), focus: vi.fn() };
      mounts.push(handle);
      return handle;
    });
    return new WidgetShell(document.body, { t, storage, mount, ...options });
  }
  beforeEach(() => { storage = new Map(); storage.getItem = (k) => storage.get(k) ?? null; storage.setItem = (k, v) => storage.set(k, v); vi.useFakeTimers(); });
  afterEach(() => vi.useRealTimers());

  it('starts closed with only the launcher, and mounts on first open', async () => {
    const widget = shell();
    expect(widget.panel.hidden).toBe(true);
    expect(widget.launcher.getAttribute('aria-label')).toBe('Chat with Nora');
    expect(mounts).toHaveLength(0);
    await widget.open();
    expect(widget.panel.hidden).toBe(false);
    expect(widget.launcher.getAttribute('aria-expanded')).toBe('true');
    expect(mounts).toHaveLength(1);
    widget.close();
    await widget.open();
    expect(mounts).toHaveLength(1); // the same conversation, not a new one
  });

  it('counts messages that arrive while closed', async () => {
    const widget = shell();
    await widget.open();
    mounts[0].hooks.incoming('bot');
    expect(widget.badge.hidden).toBe(true);
    mounts[0].hooks.minimise();
    mounts[0].hooks.incoming('agent');
    mounts[0].hooks.incoming('agent');
    expect(widget.badge.hidden).toBe(false);
    expect(widget.badge.textContent).toBe('2');
    expect(widget.launcher.getAttribute('aria-label')).toBe('Chat with Nora (2 new)');
    await widget.open();
    expect(widget.badge.hidden).toBe(true);
  });

  it('remembers an open conversation across pages and forgets it once ended', async () => {
    const first = shell();
    await first.open();
    const again = shell();
    await vi.waitFor(() => expect(mounts).toHaveLength(1));
    expect(again.isOpen).toBe(true);
    mounts[0].hooks.ended();
    vi.advanceTimersByTime(2000);
    expect(again.isOpen).toBe(false);
    expect(mounts[0].dispose).toHaveBeenCalled();
    shell();
    expect(mounts).toHaveLength(0);
  });

  it('mounts at once for a signed-in customer, the panel still closed', async () => {
    const widget = shell({ eager: true });
    await vi.waitFor(() => expect(mounts).toHaveLength(1));
    expect(widget.isOpen).toBe(false);
  });
});

describe('a person takes over', () => {
  it('names the person in the header and in front of the avatar, and hands back', () => {
    document.body.replaceChildren();
    const t = namedTranslator('en', 'Nora');
    const root = document.createElement('div');
    const stage = document.createElement('div');
    const chat = document.createElement('div');
    root.append(stage, chat);
    document.body.append(root);
    const header = new ChatHeader(document, t, { language: 'en', voice: true, name: 'Nora', logoUrl: null, minimisable: true });
    const view = new ChatView(chat, t, { language: 'en' });
    const onPerson = vi.fn();
    const presence = new Presence({ root, stage, header, view, t, onPerson });
    expect(header.title.textContent).toBe('Nora');
    presence.status('queued', null);
    expect(root.dataset.speaker).toBeUndefined();
    presence.status('with_agent', null);
    presence.agentMessage('Mia');
    expect(onPerson).toHaveBeenCalledTimes(1);
    expect(root.dataset.speaker).toBe('person');
    expect(header.title.textContent).toBe('Mia');
    expect(stage.querySelector('.person-name').textContent).toBe('Mia');
    expect(view.typingText.textContent).toBe('Mia is typing…');
    presence.status('bot', 'Mia');
    expect(root.dataset.speaker).toBe('assistant');
    expect(header.title.textContent).toBe('Nora');
    expect(stage.querySelector('.person-card').hidden).toBe(true);
  });
});

describe('message times', () => {
  it('shows the clock today, the weekday this week and the date before', () => {
    const now = new Date(2026, 4, 15, 18, 0);
    expect(messageTime(new Date(2026, 4, 15, 14, 5), 'de', now)).toBe('14:05');
    expect(messageTime(new Date(2026, 4, 13, 14, 5), 'de', now)).toMatch(/^Mi\.?,? 14:05$/);
    expect(messageTime(new Date(2026, 3, 1, 9, 30), 'en', now)).toMatch(/Apr/);
  });
});
