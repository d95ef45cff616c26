/**
 * The stage: renderer, camera and soft three-point lighting on a transparent canvas (the page
 * paints the background). Colour management for skin: sRGB output and ACES filmic tone mapping
 * (no clipped highlights on the forehead), antialiasing on by default (a human face's silhouette and
 * lashes alias badly without it). `frame()` points the portrait camera at a realistic model's head. Throws WebGLUnavailableError when the browser cannot give a WebGL2
 * context, so the caller can fall back to the static portrait.
 */
import * as THREE from 'three';

export class WebGLUnavailableError extends Error {
  constructor(reason) {
    super(`WebGL is not available: ${reason}`);
    this.name = 'WebGLUnavailableError';
  }
}

/** True when a WebGL2 context can be created (the real check, not a user-agent guess). */
export function webglAvailable(doc = document) {
  try {
    const probe = doc.createElement('canvas');
    const context = probe.getContext('webgl2');
    if (!context) return false;
    context.getExtension('WEBGL_lose_context')?.loseContext();
    return true;
  } catch {
    return false;
  }
}

export function createStage(container, { maxPixelRatio = 1.5, antialias = false } = {}) {
  if (!webglAvailable(container.ownerDocument)) throw new WebGLUnavailableError('no WebGL2 context');
  let renderer;
  try {
    renderer = new THREE.WebGLRenderer({ antialias: antialias, alpha: true, powerPreference: 'low-power', preserveDrawingBuffer: false });
  } catch (error) {
    throw new WebGLUnavailableError(error.message);
  }
  renderer.setPixelRatio(Math.min(maxPixelRatio, globalThis.devicePixelRatio || 1));
  renderer.setClearColor(0x000000, 0);
  renderer.outputColorSpace = THREE.SRGBColorSpace;
  const canvas = renderer.domElement;
  canvas.className = 'avatar-canvas';
  canvas.setAttribute('aria-hidden', 'true');
  container.appendChild(canvas);

  const scene = new THREE.Scene();
  const camera = new THREE.PerspectiveCamera(24, 1, 0.05, 20);
  // The procedural head's framing; frame() replaces it for a model with a portrait.
  let framing = { target: new THREE.Vector3(0, -0.22, 0), eye: new THREE.Vector3(0, 0.05, 4.6), height: null };

  // Three lights only: every light is per-pixel work under software WebGL.
  const hemisphere = new THREE.HemisphereLight(0xfff5ec, 0x8a96ad, 1.7);
  const key = new THREE.DirectionalLight(0xffeee0, 1.8);
  key.position.set(-1.6, 1.8, 2.6);
  const rim = new THREE.DirectionalLight(0xcfe3ff, 1.6);
  rim.position.set(1.2, 1.5, -2.5);
  scene.add(hemisphere, key, rim);

  function resize() {
    const width = Math.max(1, container.clientWidth);
    const height = Math.max(1, container.clientHeight);
    renderer.setSize(width, height, false);
    camera.aspect = width / height;
    // Keep head and shoulders in view on tall, narrow stages too.
    camera.fov = camera.aspect < 1 ? 24 / Math.max(0.55, camera.aspect) : 24;
    camera.updateProjectionMatrix();
    camera.position.copy(framing.eye);
    camera.lookAt(framing.target);
  }
  resize();

  /** Head-and-shoulders: `height` metres of the model visible around `target`, seen from the front. */
  function frame(portrait) {
    if (!portrait) return;
    const distance = portrait.height / (2 * Math.tan(THREE.MathUtils.degToRad(24) / 2));
    renderer.toneMapping = THREE.ACESFilmicToneMapping;
    renderer.toneMappingExposure = 1.1;
    framing = { target: portrait.target.clone(), eye: portrait.target.clone().add(new THREE.Vector3(0, 0.02, distance)), height: portrait.height };
    resize();
  }

  return {
    renderer, scene, camera, canvas, resize, frame,
    render() { renderer.render(scene, camera); },
    dispose() {
      renderer.dispose();
      canvas.remove();
    },
  };
}
