/**
 * The face preview the admin console frames on its "Expression & tone" page: only the avatar, no
 * chat and no session. `/?preview=face&pose=<expression>&intensity=<0..1>&avatar=<model id>`; the
 * framing page then changes the face with postMessage({ type: 'avatar-preview', expression,
 * intensity }), so a slider moves the face without reloading the model. A message that is not
 * exactly that (unknown expression, intensity outside 0..1) is ignored: the preview shows faces,
 * nothing else, so any page may frame it.
 */
import { chooseAvatar, fetchAvatarConfig } from '../avatar/avatarChoice.js';
import { createAvatar } from '../avatar/facade.js';
import { EXPRESSIONS } from '../avatar/vocabulary.js';
import { el } from '../chat/dom.js';

/** The face a preview message asks for, or null when the message is not a valid request. */
export function previewRequest(data) {
  if (!data || typeof data !== 'object' || data.type !== 'avatar-preview') return null;
  const { expression, intensity } = data;
  if (typeof expression !== 'string' || !Object.hasOwn(EXPRESSIONS, expression)) return null;
  if (typeof intensity !== 'number' || !(intensity >= 0 && intensity <= 1)) return null;
  return { expression, intensity };
}

export async function mountFacePreview(container, { bridgeOrigin, params, window: win = globalThis.window }) {
  const doc = container.ownerDocument;
  const host = el(doc, 'div', { className: 'avatar-host face-preview', role: 'img' });
  container.append(el(doc, 'div', { className: 'assistant face-preview-page' }, [host]));
  const config = await fetchAvatarConfig(bridgeOrigin);
  // A still face: no frame-rate guard even on a slow software renderer (a preview needs few frames).
  const choice = { ...chooseAvatar(params, config, bridgeOrigin, win.location), allowSoftware: true };
  // Which model the preview shows (its file name), for the console's tests and for people reading the page.
  host.dataset.model = choice.url ? new URL(choice.url).pathname.split('/').pop() : 'procedural';
  const avatar = await createAvatar(host, { ...choice, reducedMotion: true });
  await avatar.ready;

  const show = ({ expression, intensity }) => {
    avatar.setExpression(expression, { intensity });
    host.dataset.expression = expression;
    host.dataset.intensity = String(intensity);
    host.setAttribute('aria-label', `The avatar's ${expression} face at ${Math.round(intensity * 100)} %`);
  };
  const first = previewRequest({ type: 'avatar-preview', expression: params.get('pose') || 'neutral', intensity: Number(params.get('intensity') ?? 1) });
  show(first || { expression: 'neutral', intensity: 1 });
  win.addEventListener('message', (event) => {
    const request = previewRequest(event.data);
    if (request) show(request);
  });
  host.dataset.ready = 'true';
  return { avatar, show };
}
