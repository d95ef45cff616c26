/**
 * Wires the parts together: protocol connection → chat view, header, avatar, speech and captions.
 * `mountAssistant` is the only entry; it returns a handle with `dispose()`. The launcher around
 * the embedded widget is shell/launcher.js.
 */
import { BridgeConnection } from './protocol/connection.js';
import { ChatView } from './chat/chatView.js';
import { ChatHeader } from './chat/chatHeader.js';
import { Presence } from './chat/presence.js';
import { frameTime } from './chat/time.js';
import { Captions } from './chat/captions.js';
import { createPortrait } from './chat/portrait.js';
import { el } from './chat/dom.js';
import { failedTurnNotice, quickReplyMessage, rememberButtonTitles, shownCustomerText } from './chat/turnReplies.js';
import { contactChosenNotice, statusEffect } from './chat/handoffStatus.js';
import { SpeechPlayer } from './audio/speechPlayer.js';
import { pickLanguage, translator, LANGUAGES } from './i18n/index.js';
import { DEFAULT_LOOK } from './shell/look.js';
import { chooseAvatar, fetchAvatarConfig } from './avatar/avatarChoice.js';
import { TurnPerformer } from './avatar/turnPerformer.js';
import { installTestHooks } from './avatar/testHooks.js';
import { createAvatar } from './avatar/facade.js';
import { EXPRESSIONS } from './avatar/vocabulary.js';
import { mountVoiceInput } from './voice/voiceInput.js';

export { trustedModelUrl } from './avatar/avatarChoice.js';

/** The UI strings of `language`, with the assistant's name filled in wherever they say it. */
export function namedTranslator(language, name) {
  const base = translator(language);
  return (key, values = {}) => base(key, { assistant: name, ...values });
}

/**
 * What the widget's shell hears from the conversation (shell/launcher.js); all optional.
 * @typedef {Object} ShellHooks
 * @property {() => void} [minimise]  the customer chose Minimise
 * @property {(role: 'bot'|'agent') => void} [incoming]  a new (not replayed) message arrived
 * @property {() => void} [ended]  the conversation has ended
 */

/**
 * @typedef {Object} MountOptions
 * @property {string} bridgeOrigin  http(s)://host:port of the avatar bridge
 * @property {'page'|'widget'} [mode='widget']
 * @property {string|null} [customerToken]  the shop's token for its signed-in customer (docs/shop-integration.md)
 * @property {URLSearchParams} [params]  page switches: lang, webgl=off, reduced_motion, pose=<expression>, avatar, avatar_url
 * @property {import('./shell/look.js').Look} [look]  name, accent, logo, greetings
 * @property {ShellHooks|null} [shell]  the embedded widget's launcher; null on the full page
 * @property {Window} [window]
 */
export async function mountAssistant(container, { bridgeOrigin, mode = 'widget', customerToken = null, params = new URLSearchParams(), look = DEFAULT_LOOK, shell = null, window: win = globalThis.window }) {
  const doc = container.ownerDocument;
  const requested = params.get('lang');
  let language = LANGUAGES.includes(requested) ? requested : pickLanguage(win.navigator?.languages || []);
  let t = namedTranslator(language, look.name);
  const reducedMotion = params.has('reduced_motion') || !!win.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  const pose = params.get('pose');
  const still = pose !== null && !!EXPRESSIONS[pose];

  const root = el(doc, 'div', { className: 'assistant', 'data-mode': mode, 'data-speaker': 'assistant', lang: language });
  // The stage: the avatar, with the captions in a strip of their own below the face.
  const stage = el(doc, 'section', { className: 'stage' });
  const avatarHost = el(doc, 'div', { className: 'avatar-host', role: 'img' });
  const captionsNode = el(doc, 'p', { className: 'captions', 'aria-hidden': 'true', hidden: true });
  const soundPrompt = el(doc, 'button', { type: 'button', className: 'sound-prompt', hidden: true });
  let voice = params.get('voice') !== 'off';
  const header = new ChatHeader(doc, t, { language, voice, name: look.name, logoUrl: look.logoUrl, heading: mode === 'page' ? 'h1' : 'h2', minimisable: !!shell?.minimise });
  stage.append(avatarHost, captionsNode, soundPrompt, header.tools);
  const chatRoot = el(doc, 'section', { className: 'chat' });
  root.append(header.element, stage, chatRoot);
  container.append(root);

  const view = new ChatView(chatRoot, t, { language });
  const presence = new Presence({ root, stage, header, view, t, onPerson: () => { stopSpeech(); captions.clear(); avatar?.setTyping(false); } });
  const captions = new Captions(captionsNode);
  const greeting = () => look.greeting?.[language] || t('welcome');
  const relabel = () => {
    root.setAttribute('lang', language);
    avatarHost.setAttribute('aria-label', t('avatarLabel'));
    soundPrompt.textContent = t('enableSound');
  };
  relabel();
  const welcome = view.addNotice(greeting());

  // --- avatar (WebGL) or the static portrait -------------------------------------------------
  let avatar = null;
  let avatarConfig = null;
  let portrait = null;
  if (params.get('webgl') !== 'off') {
    try {
      avatarConfig = await fetchAvatarConfig(bridgeOrigin);
      avatar = await createAvatar(avatarHost, { ...chooseAvatar(params, avatarConfig, bridgeOrigin, win.location), reducedMotion, still });
      if (still) avatar.setExpression(pose, { intensity: 1 });
    } catch (error) {
      console.warn('avatar unavailable, showing the portrait', error);
      avatar = null;
    }
  }
  if (!avatar) portrait = createPortrait(avatarHost, t('portraitLabel'));

  // --- speech ------------------------------------------------------------------------------
  const player = new SpeechPlayer();
  player.on('blocked', (blocked) => { soundPrompt.hidden = !blocked || !voice; });
  soundPrompt.addEventListener('click', () => player.unlock());
  const performer = new TurnPerformer({ avatar, captions, player, bridgeOrigin, still });
  const stopSpeech = () => performer.stop();

  // --- connection --------------------------------------------------------------------------
  const wsUrl = new URL('/ws/v1', bridgeOrigin);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  let storage = null;
  try { storage = win.sessionStorage; } catch { storage = null; }
  const connection = new BridgeConnection({ url: wsUrl.href, language, audio: voice, storage, customerToken });
  // Speaking to the assistant and barge-in (src/voice/); shown when the session offers speech_in.
  const voiceInput = mountVoiceInput({ composer: view.composer, input: view.input, connection, language: () => language, speakingTurn: () => (performer.speaking ? performer.turn || true : null), stopSpeech });
  let customerSpoke = false;
  let connectionBanner = null;
  let statusBanner = null;
  const showBanner = () => {
    if (connectionBanner) view.setBanner(connectionBanner, 'error');
    else if (statusBanner) view.setBanner(statusBanner.text, statusBanner.kind);
    else view.setBanner(null);
  };
  const sentTexts = new Map();
  const answeredTurns = new Set(); // reply_to ids that got a bot message
  const buttonTitles = new Map(); // quick-reply payload -> title, so a replayed payload shows its title
  let agentName = null; // the status frame names no one: the last agent who wrote does
  let offersShown = false; // a long wait's call-back / e-mail offer is on screen
  let contactChosen = false; // ... and once chosen (also seen in a replayed message) not offered again

  connection.on('state', (state) => {
    connectionBanner = { connecting: t('connecting'), reconnecting: t('reconnecting'), taken_over: t('takenOver') }[state] || null;
    showBanner();
  });
  connection.on('session', (frame) => {
    if (frame.type === 'session_resumed' && frame.gap) view.addNotice(t('gap'));
  });
  connection.on('notice', (frame) => {
    if (frame.type === 'feedback_received') {
      view.addNotice(t('csatThanks'));
      if (endRequested) connection.sendRaw({ type: 'end', reason: 'customer' });
    }
    else if (frame.type === 'session_ended') { view.addNotice(t('ended')); connection.close(); shell?.ended?.(); }
    else if (frame.type === 'error' && frame.reply_to) {
      const reason = frame.code === 'rate_limited' ? t('rateLimited') : frame.code === 'text_too_long' ? t('tooLong') : frame.message;
      view.setStatus(frame.reply_to, 'failed', reason);
    }
  });
  connection.on('frame', (frame, { replayed }) => {
    switch (frame.type) {
      case 'ack':
        customerSpoke = true;
        if (contactChosenNotice(frame.text)) contactChosen = true;
        view.addMessage(frame.reply_to, 'customer', shownCustomerText(frame.text, buttonTitles), { when: frameTime(frame.ts) });
        view.setStatus(frame.reply_to, 'delivered');
        if (!replayed) view.showTyping(true);
        break;
      case 'bot_message':
        answeredTurns.add(frame.reply_to);
        view.addMessage(frame.message_id, 'bot', frame.text, { when: frameTime(frame.ts) });
        view.setQuickReplies(frame.buttons || []);
        rememberButtonTitles(buttonTitles, frame.buttons);
        if (!replayed) shell?.incoming?.('bot');
        performer.onMessage(frame, replayed); // the face follows the speech, sentence by sentence
        if (!replayed && frame.gesture && avatar) avatar.gesture(frame.gesture.name, frame.gesture.intensity ?? 0.5);
        if (frame.reply_kind === 'farewell') view.showCsat();
        break;
      case 'bot_speech':
        if (replayed || !voice || presence.withPerson || voiceInput.interrupted(frame.reply_to)) break; // a person is talking: the avatar is silent
        performer.onSpeech(frame);
        break;
      case 'turn_complete':
        view.showTyping(false);
        break;
      case 'agent_message':
        view.showTyping(false);
        if (frame.agent?.display_name) agentName = frame.agent.display_name;
        view.addMessage(frame.message_id, 'agent', frame.text, { author: frame.agent?.display_name || '', authorRole: frame.agent?.role, when: frameTime(frame.ts) });
        presence.agentMessage(frame.agent?.display_name);
        if (!replayed) shell?.incoming?.('agent');
        break;
      case 'status': {
        const effect = statusEffect(frame, t, agentName);
        presence.status(frame.state, agentName);
        statusBanner = effect.banner;
        if (effect.notice) view.addNotice(effect.notice);
        if (effect.askRating) view.showCsat();
        if (effect.offers.length && !contactChosen) {
          rememberButtonTitles(buttonTitles, effect.offers);
          view.setQuickReplies(effect.offers);
          offersShown = true;
        } else if (offersShown) { view.setQuickReplies([]); offersShown = false; }
        showBanner();
        break;
      }
      case 'error':
        view.showTyping(false);
        if (frame.code === 'turn_interrupted' && frame.reply_to && sentTexts.has(frame.reply_to) && !replayed) {
          // Cut off by a bridge restart: send it again under a new id.
          const text = sentTexts.get(frame.reply_to);
          sentTexts.delete(frame.reply_to);
          sentTexts.set(connection.sendText(text), text);
        } else if (frame.code === 'dialogue_unavailable') {
          const notice = failedTurnNotice(frame, answeredTurns);
          if (notice) view.addNotice(t(notice));
        } else if (frame.reply_to) view.setStatus(frame.reply_to, 'failed', frame.message);
        break;
      default:
        break;
    }
  });

  function send(text, shown = text) {
    if (statusBanner?.kind === 'bot') { statusBanner = null; showBanner(); } // "back with the assistant" said its piece
    performer.listen();
    view.setQuickReplies([]);
    const id = connection.sendText(text);
    sentTexts.set(id, text);
    customerSpoke = true;
    view.addMessage(id, 'customer', shown, { status: 'sending', when: new Date() });
    player.unlock(); // a send is a user gesture: lets audio start
  }
  view.on('send', send);
  view.on('quick_reply', (button) => {
    const { send: text, show } = quickReplyMessage(button);
    const chosen = contactChosenNotice(text);
    if (chosen) { contactChosen = true; offersShown = false; }
    send(text, show);
    if (chosen) view.addNotice(t(chosen));
  });
  view.on('typing', (active) => { voiceInput.typing(active); connection.sendTyping(active); if (!presence.withPerson) avatar?.setTyping(active); });
  header.on('minimise', () => shell?.minimise?.());
  header.on('voice', (on) => {
    voice = on;
    connection.setAudio(on);
    if (!on) { stopSpeech(); soundPrompt.hidden = true; } else player.unlock();
  });
  header.on('language', (next) => {
    language = next;
    t = namedTranslator(language, look.name);
    view.setTranslator(t, language);
    header.setTranslator(t, language);
    presence.setTranslator(t);
    welcome.textContent = greeting();
    relabel();
    voiceInput.relabel();
    // Before the first message the session starts over in the new language; afterwards the bot
    // follows the language the customer writes in.
    if (!customerSpoke) connection.restart(language);
  });
  let endRequested = false; // "End chat": rating first, then the session ends
  const endSession = () => connection.sendRaw({ type: 'end', reason: 'customer' });
  header.on('end', () => {
    endRequested = true;
    if (view.csatDone) endSession(); else view.showCsat({ skippable: true });
  });
  view.on('csat', ({ score, comment }) => connection.sendCsat(score, comment));
  view.on('csat_skip', endSession);
  connection.connect();

  // Read-only diagnostics for tests and support (documented in README "Web client").
  const debug = Object.freeze({
    avatar: () => (avatar ? avatar.snapshot() : { renderer: 'portrait' }),
    connection: () => ({ state: connection.state, lastSeq: connection.lastSeq, sessionId: connection.session?.session_id ?? null, pending: connection.pending.size }),
    measureFrames: (count) => (avatar ? avatar.measureFrameTimes(count) : []),
    audio: () => ({ speaking: performer.speaking, audible: !!performer.handle?.audible, clockMs: performer.handle?.clock() ?? null, blocked: player.blocked, voice }),
  });
  if (win) Object.defineProperty(win, '__avatarDebug', { value: debug, configurable: true });
  if (win && avatarConfig?.test_hooks) installTestHooks(win, () => avatar, performer);

  return {
    connection, view, avatar,
    focus() { view.input.focus(); },
    dispose() {
      voiceInput.dispose();
      stopSpeech();
      view.dispose();
      connection.close();
      avatar?.dispose();
      portrait?.dispose();
      root.remove();
    },
  };
}
