/**
 * The material of the software profile: the stage's lights evaluated per vertex (Lambert, then
 * exposure, an ACES fit and the sRGB curve, all in the vertex shader) and one texture read per
 * pixel. A CPU rasteriser pays for every fragment instruction; three's lit materials spend most of
 * a software frame on per-pixel lighting, tone mapping and sRGB conversion (docs/benchmarks.md).
 *
 * The colour map is sampled as stored (sRGB-encoded) and multiplied by the shade in sRGB encoding:
 * the sRGB curve of a product is close to the product of the curves, so no per-pixel conversion is
 * needed. Skinning and morph targets come from three's own shader chunks.
 */
import * as THREE from 'three';
import { LIGHTS, MODEL_EXPOSURE } from '../stageSettings.js';

// Skin's linear albedo is about this: the tone curve is applied to a shade at that brightness.
const REFERENCE_ALBEDO = 0.45;
// The per-vertex curve lights the face about 10 % brighter (sRGB) than the full model's per-pixel
// ACES on a GPU; this exposure share brings the face and hair back to the same mean colour.
const EXPOSURE_MATCH = 0.82;

const VERTEX = /* glsl */ `
#include <common>
#include <morphtarget_pars_vertex>
#include <skinning_pars_vertex>
uniform vec3 skyColor;
uniform vec3 groundColor;
uniform vec3 keyColor;
uniform vec3 keyDirection;
uniform vec3 rimColor;
uniform vec3 rimDirection;
uniform vec3 upDirection;
uniform float exposure;
varying vec2 vUv;
varying vec3 vShade;
#ifdef DOUBLE_SIDED
varying vec3 vShadeBack;
#endif

vec3 acesFit(vec3 x) {
  return clamp((x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14), 0.0, 1.0);
}

// Lambert irradiance of the stage's lights for a view-space normal, tone-mapped, sRGB-encoded.
vec3 shade(vec3 n) {
  vec3 irradiance = mix(groundColor, skyColor, 0.5 * dot(n, upDirection) + 0.5)
    + keyColor * max(dot(n, keyDirection), 0.0) + rimColor * max(dot(n, rimDirection), 0.0);
  vec3 linear = acesFit(irradiance * RECIPROCAL_PI * exposure * ${REFERENCE_ALBEDO.toFixed(2)}) / ${REFERENCE_ALBEDO.toFixed(2)};
  return pow(linear, vec3(1.0 / 2.2));
}

void main() {
  vUv = uv;
  #include <beginnormal_vertex>
  #include <morphnormal_vertex>
  #include <skinbase_vertex>
  #include <skinnormal_vertex>
  #include <defaultnormal_vertex>
  #include <begin_vertex>
  #include <morphtarget_vertex>
  #include <skinning_vertex>
  #include <project_vertex>
  vec3 n = normalize(transformedNormal);
  vShade = shade(n);
  #ifdef DOUBLE_SIDED
  vShadeBack = shade(-n);
  #endif
}
`;

const FRAGMENT = /* glsl */ `
uniform sampler2D map;
varying vec2 vUv;
varying vec3 vShade;
#ifdef DOUBLE_SIDED
varying vec3 vShadeBack;
#endif

void main() {
  #ifdef DOUBLE_SIDED
  vec3 shade = gl_FrontFacing ? vShade : vShadeBack;
  #else
  vec3 shade = vShade;
  #endif
  gl_FragColor = vec4(texture2D(map, vUv).rgb * shade, 1.0);
}
`;

const linearColour = (hex, intensity) => new THREE.Color(hex).multiplyScalar(intensity);
const direction = (position) => new THREE.Vector3(...position).normalize();

/**
 * A material for a model's opaque part under software WebGL.
 * @param {import('three').Texture} map  the colour map (re-read as stored: call before its first upload)
 * @param {{doubleSided?: boolean, name?: string}} [options]
 */
export function createSoftwareMaterial(map, { doubleSided = false, name = '' } = {}) {
  if (!map) throw new TypeError('the software material needs a colour map');
  map.colorSpace = THREE.NoColorSpace; // sampled as stored: sRGB-encoded values (see above)
  map.minFilter = THREE.LinearMipmapNearestFilter; // one mip level per read
  map.needsUpdate = true;
  const material = new THREE.ShaderMaterial({
    name,
    vertexShader: VERTEX,
    fragmentShader: FRAGMENT,
    side: doubleSided ? THREE.DoubleSide : THREE.FrontSide,
    defines: doubleSided ? { DOUBLE_SIDED: '' } : {},
    toneMapped: false,
    uniforms: {
      map: { value: map },
      skyColor: { value: linearColour(LIGHTS.hemisphere.sky, LIGHTS.hemisphere.intensity) },
      groundColor: { value: linearColour(LIGHTS.hemisphere.ground, LIGHTS.hemisphere.intensity) },
      keyColor: { value: linearColour(LIGHTS.key.color, LIGHTS.key.intensity) },
      keyDirection: { value: new THREE.Vector3() },
      rimColor: { value: linearColour(LIGHTS.rim.color, LIGHTS.rim.intensity) },
      rimDirection: { value: new THREE.Vector3() },
      upDirection: { value: new THREE.Vector3() },
      exposure: { value: MODEL_EXPOSURE * EXPOSURE_MATCH },
    },
  });
  // The shader works in view space: turn the world's light directions once per frame, not per vertex.
  const world = { keyDirection: direction(LIGHTS.key.position), rimDirection: direction(LIGHTS.rim.position), upDirection: new THREE.Vector3(0, 1, 0) };
  material.onBeforeRender = (renderer, scene, camera) => {
    for (const [name, vector] of Object.entries(world)) material.uniforms[name].value.copy(vector).transformDirection(camera.matrixWorldInverse);
    material.uniformsNeedUpdate = true;
  };
  return material;
}
