/**
 * Wires the parts together: protocol connection → chat view, avatar, speech and captions.
 * `mountAssistant` is the only entry; it returns a handle with `dispose()`.
 */
import stylesheet from './styles.css?inline';
import { BridgeConnection } from './protocol/connection.js';
import { ChatView } from './chat/chatView.js';
import { Captions, wordAt } from './chat/captions.js';
import { createPortrait } from './chat/portrait.js';
import { el } from './chat/dom.js';
import { failedTurnNotice, quickReplyMessage, rememberButtonTitles, shownCustomerText } from './chat/turnReplies.js';
import { contactChosenNotice, statusEffect } from './chat/handoffStatus.js';
import { SpeechPlayer } from './audio/speechPlayer.js';
import { pickLanguage, translator, LANGUAGES } from './i18n/index.js';
import { createAvatar } from './avatar/facade.js';
import { EXPRESSIONS } from './avatar/vocabulary.js';
import { mountVoiceInput } from './voice/voiceInput.js';

/**
 * A model URL from the query string, only from the bridge's or the page's own origin (a link must
 * not make the customer's browser fetch models from anywhere); null otherwise.
 */
export function trustedModelUrl(url, bridgeOrigin, location) {
  if (!url) return null;
  try {
    const resolved = new URL(url, location.href);
    return [bridgeOrigin, location.origin].includes(resolved.origin) ? resolved.href : null;
  } catch {
    return null;
  }
}

/**
 * @typedef {Object} MountOptions
 * @property {string} bridgeOrigin  http(s)://host:port of the avatar bridge
 * @property {'page'|'widget'} [mode='widget']
 * @property {string|null} [customerToken]  the shop's token for its signed-in customer (docs/shop-integration.md)
 * @property {URLSearchParams} [params]  page switches: lang, webgl=off, reduced_motion, pose=<expression>, avatar, avatar_url
 * @property {Window} [window]
 */
export async function mountAssistant(host, { bridgeOrigin, mode = 'widget', customerToken = null, params = new URLSearchParams(), window: win = globalThis.window }) {
  const doc = host.ownerDocument;
  const shadow = host.attachShadow({ mode: 'open' });
  shadow.append(el(doc, 'style', { text: stylesheet }));
  const requested = params.get('lang');
  let language = LANGUAGES.includes(requested) ? requested : pickLanguage(win.navigator?.languages || []);
  let t = translator(language);
  const reducedMotion = params.has('reduced_motion') || !!win.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  const pose = params.get('pose');
  const still = pose !== null && !!EXPRESSIONS[pose];

  const root = el(doc, 'div', { className: 'assistant', 'data-mode': mode, lang: language });
  const stage = el(doc, 'section', { className: 'stage', role: 'img' });
  const avatarHost = el(doc, 'div', { className: 'avatar-host' });
  const captionsNode = el(doc, 'p', { className: 'captions', 'aria-hidden': 'true', hidden: true });
  const soundPrompt = el(doc, 'button', { type: 'button', className: 'sound-prompt', hidden: true });
  stage.append(avatarHost, captionsNode, soundPrompt);
  const chatRoot = el(doc, 'section', { className: 'chat' });
  root.append(stage, chatRoot);
  shadow.append(root);

  let voice = params.get('voice') !== 'off';
  const view = new ChatView(chatRoot, t, { language, voice, heading: mode === 'page' ? 'h1' : 'h2' });
  const captions = new Captions(captionsNode);
  const relabel = () => {
    root.setAttribute('lang', language);
    stage.setAttribute('aria-label', t('avatarLabel'));
    soundPrompt.textContent = t('enableSound');
  };
  relabel();
  const welcome = view.addNotice(t('welcome'));

  // --- avatar (WebGL) or the static portrait -------------------------------------------------
  let avatar = null;
  let portrait = null;
  if (params.get('webgl') !== 'off') {
    try {
      const kind = params.get('avatar') || 'procedural';
      const options = { reducedMotion, still };
      const url = kind !== 'procedural' ? trustedModelUrl(params.get('avatar_url'), bridgeOrigin, win.location) : null;
      if (url) Object.assign(options, { kind, url });
      else if (kind !== 'procedural') console.warn('avatar_url missing or from another origin: using the default avatar');
      avatar = await createAvatar(avatarHost, options);
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
  const speech = { queue: [], turn: null, handle: null, frame: 0 };
  const botTexts = new Map();

  function stopSpeech() {
    speech.queue.length = 0;
    speech.handle?.stop();
    speech.handle = null;
    avatar?.stopSpeaking();
    cancelAnimationFrame(speech.frame);
  }

  function playNext() {
    if (speech.handle || !speech.queue.length) return;
    const frame = speech.queue.shift();
    const data = frame.speech;
    const audioUrl = data.audio.url ? new URL(data.audio.url, bridgeOrigin).href : undefined;
    const handle = player.play({ audioUrl, audioBase64: data.audio.base64, durationMs: data.duration_ms });
    speech.handle = handle;
    avatar?.speak(data.visemes, handle.clock);
    captions.show(botTexts.get(frame.message_id) || '', data.words || []);
    const follow = () => {
      const ms = handle.clock();
      if (ms === null) return;
      captions.highlight(wordAt(data.words || [], ms));
      speech.frame = requestAnimationFrame(follow);
    };
    follow();
    handle.done.then(() => {
      if (speech.handle !== handle) return;
      speech.handle = null;
      avatar?.stopSpeaking();
      cancelAnimationFrame(speech.frame);
      playNext();
    });
  }

  // --- connection --------------------------------------------------------------------------
  const wsUrl = new URL('/ws/v1', bridgeOrigin);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  let storage = null;
  try { storage = win.sessionStorage; } catch { storage = null; }
  const connection = new BridgeConnection({ url: wsUrl.href, language, audio: voice, storage, customerToken });
  // Speaking to the assistant and barge-in (src/voice/); shown when the session offers speech_in.
  const voiceInput = mountVoiceInput({ composer: view.composer, input: view.input, connection, language: () => language, speakingTurn: () => (speech.handle ? speech.turn || true : null), stopSpeech });
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
    else if (frame.type === 'session_ended') { view.addNotice(t('ended')); connection.close(); }
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
        view.addMessage(frame.reply_to, 'customer', shownCustomerText(frame.text, buttonTitles));
        view.setStatus(frame.reply_to, 'delivered');
        if (!replayed) view.showTyping(true);
        break;
      case 'bot_message':
        botTexts.set(frame.message_id, frame.text);
        answeredTurns.add(frame.reply_to);
        view.addMessage(frame.message_id, 'bot', frame.text);
        view.setQuickReplies(frame.buttons || []);
        rememberButtonTitles(buttonTitles, frame.buttons);
        if (!replayed) {
          if (frame.expression && avatar && !still) avatar.setExpression(frame.expression.name, { intensity: frame.expression.intensity, durationMs: frame.expression.duration_ms });
          if (frame.gesture && avatar) avatar.gesture(frame.gesture.name, frame.gesture.intensity ?? 0.5);
          if (!frame.speech_pending) captions.show(frame.text, []);
        }
        if (frame.reply_kind === 'farewell') view.showCsat();
        break;
      case 'bot_speech':
        if (replayed || !voice || voiceInput.interrupted(frame.reply_to)) break;
        if (speech.turn !== frame.reply_to) { stopSpeech(); speech.turn = frame.reply_to; }
        speech.queue.push(frame);
        playNext();
        break;
      case 'turn_complete':
        view.showTyping(false);
        break;
      case 'agent_message':
        view.showTyping(false);
        if (frame.agent?.display_name) agentName = frame.agent.display_name;
        view.addMessage(frame.message_id, 'agent', frame.text, { author: frame.agent?.display_name || '', authorRole: frame.agent?.role });
        break;
      case 'status': {
        const effect = statusEffect(frame, t, agentName);
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
    stopSpeech();
    captions.clear();
    view.setQuickReplies([]);
    const id = connection.sendText(text);
    sentTexts.set(id, text);
    customerSpoke = true;
    view.addMessage(id, 'customer', shown, { status: 'sending' });
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
  view.on('typing', (active) => { voiceInput.typing(active); connection.sendTyping(active); avatar?.setTyping(active); });
  view.on('voice', (on) => {
    voice = on;
    connection.setAudio(on);
    if (!on) { stopSpeech(); soundPrompt.hidden = true; } else player.unlock();
  });
  view.on('language', (next) => {
    language = next;
    t = translator(language);
    view.setTranslator(t, language);
    welcome.textContent = t('welcome');
    relabel();
    voiceInput.relabel();
    // Before the first message the session starts over in the new language; afterwards the bot
    // follows the language the customer writes in.
    if (!customerSpoke) connection.restart(language);
  });
  let endRequested = false; // "End chat": rating first, then the session ends
  view.on('end', () => { endRequested = true; view.showCsat(); });
  view.on('csat', ({ score, comment }) => connection.sendCsat(score, comment));
  connection.connect();

  // Read-only diagnostics for tests and support (documented in README "Web client").
  const debug = Object.freeze({
    avatar: () => (avatar ? avatar.snapshot() : { renderer: 'portrait' }),
    connection: () => ({ state: connection.state, lastSeq: connection.lastSeq, sessionId: connection.session?.session_id ?? null, pending: connection.pending.size }),
    measureFrames: (count) => (avatar ? avatar.measureFrameTimes(count) : []),
    audio: () => ({ speaking: !!speech.handle, audible: !!speech.handle?.audible, clockMs: speech.handle?.clock() ?? null, blocked: player.blocked, voice }),
  });
  if (win) Object.defineProperty(win, '__avatarDebug', { value: debug, configurable: true });

  return {
    connection, view, avatar,
    dispose() {
      voiceInput.dispose();
      stopSpeech();
      connection.close();
      avatar?.dispose();
      portrait?.dispose();
      root.remove();
    },
  };
}
