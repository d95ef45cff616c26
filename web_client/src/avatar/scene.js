/**
 * The stage: renderer, camera and soft three-point lighting on a transparent canvas (the page
 * paints the background). Colour management for skin: sRGB output and ACES filmic tone mapping
 * (no clipped highlights on the forehead), antialiasing for realistic models on a GPU (a human
 * face's silhouette and lashes alias badly without it). `frame()` points the portrait camera at a
 * realistic model's head. Throws WebGLUnavailableError when the browser cannot give a WebGL2
 * context, so the caller can fall back to the static portrait.
 */
import * as THREE from 'three';
import { LIGHTS, MODEL_EXPOSURE, PORTRAIT_FOV, PORTRAIT_RISE } from './stageSettings.js';

export class WebGLUnavailableError extends Error {
  constructor(reason) {
    super(`WebGL is not available: ${reason}`);
    this.name = 'WebGLUnavailableError';
  }
}

/** Rasterisers that run on the CPU: the stage and the models take their software profile there. */
export const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|software|softpipe/i;

/** The renderer's name as the driver reports it ("ANGLE (..., SwiftShader driver)", a GPU's name). */
export function rendererName(gl) {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) || '');
}

/** What a probe WebGL2 context says: null without WebGL2 (the real check, not a user-agent guess). */
export function probeWebgl(doc = document) {
  try {
    const probe = doc.createElement('canvas');
    const context = probe.getContext('webgl2');
    if (!context) return null;
    const name = rendererName(context);
    context.getExtension('WEBGL_lose_context')?.loseContext();
    return { renderer: name, software: SOFTWARE_RENDERERS.test(name) };
  } catch {
    return null;
  }
}

/** True when a WebGL2 context can be created. */
export function webglAvailable(doc = document) {
  return probeWebgl(doc) !== null;
}

/**
 * `software` (true under a CPU rasteriser) tells the loaders to take their software profile; the
 * stage itself then skips multisampling (a third of a software frame, docs/benchmarks.md) and
 * renders at most one pixel per CSS pixel.
 */
export function createStage(container, { maxPixelRatio = 1.5, antialias = false } = {}) {
  const probe = probeWebgl(container.ownerDocument);
  if (!probe) throw new WebGLUnavailableError('no WebGL2 context');
  const software = probe.software;
  let renderer;
  try {
    renderer = new THREE.WebGLRenderer({ antialias: antialias && !software, alpha: true, powerPreference: 'low-power', preserveDrawingBuffer: false });
  } catch (error) {
    throw new WebGLUnavailableError(error.message);
  }
  renderer.setPixelRatio(Math.min(software ? 1 : maxPixelRatio, globalThis.devicePixelRatio || 1));
  renderer.setClearColor(0x000000, 0);
  renderer.outputColorSpace = THREE.SRGBColorSpace;
  const canvas = renderer.domElement;
  canvas.className = 'avatar-canvas';
  canvas.setAttribute('aria-hidden', 'true');
  container.appendChild(canvas);

  const scene = new THREE.Scene();
  const camera = new THREE.PerspectiveCamera(PORTRAIT_FOV, 1, 0.05, 20);
  // The procedural head's framing; frame() replaces it for a model with a portrait.
  let framing = { target: new THREE.Vector3(0, -0.22, 0), eye: new THREE.Vector3(0, 0.05, 4.6), height: null };

  // Three lights only: every light is per-pixel work under software WebGL.
  const hemisphere = new THREE.HemisphereLight(LIGHTS.hemisphere.sky, LIGHTS.hemisphere.ground, LIGHTS.hemisphere.intensity);
  const key = new THREE.DirectionalLight(LIGHTS.key.color, LIGHTS.key.intensity);
  key.position.set(...LIGHTS.key.position);
  const rim = new THREE.DirectionalLight(LIGHTS.rim.color, LIGHTS.rim.intensity);
  rim.position.set(...LIGHTS.rim.position);
  scene.add(hemisphere, key, rim);

  function resize() {
    const width = Math.max(1, container.clientWidth);
    const height = Math.max(1, container.clientHeight);
    renderer.setSize(width, height, false);
    camera.aspect = width / height;
    // Keep head and shoulders in view on tall, narrow stages too.
    camera.fov = camera.aspect < 1 ? PORTRAIT_FOV / Math.max(0.55, camera.aspect) : PORTRAIT_FOV;
    camera.updateProjectionMatrix();
    camera.position.copy(framing.eye);
    camera.lookAt(framing.target);
  }
  resize();

  const procedural = framing;
  /**
   * Head-and-shoulders: `height` metres of the model visible around `target`, seen from the front.
   * Without a portrait: the procedural head's framing and colours (a fallback from a model).
   */
  function frame(portrait) {
    if (!portrait) {
      renderer.toneMapping = THREE.NoToneMapping;
      framing = procedural;
      resize();
      return;
    }
    const distance = portrait.height / (2 * Math.tan(THREE.MathUtils.degToRad(PORTRAIT_FOV) / 2));
    renderer.toneMapping = THREE.ACESFilmicToneMapping;
    renderer.toneMappingExposure = MODEL_EXPOSURE;
    framing = { target: portrait.target.clone(), eye: portrait.target.clone().add(new THREE.Vector3(0, PORTRAIT_RISE, distance)), height: portrait.height };
    resize();
  }

  return {
    renderer, scene, camera, canvas, resize, frame, software,
    render() { renderer.render(scene, camera); },
    dispose() {
      renderer.dispose();
      canvas.remove();
    },
  };
}
