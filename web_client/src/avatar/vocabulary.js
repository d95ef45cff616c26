/**
 * The shared vocabulary of every avatar: expression names (the bridge protocol's, plus a few the
 * issue asks for), the 15 Oculus visemes, and the ARKit blend-shape channels expressions are made of.
 * GLB avatars expose these channel names directly; the procedural and VRM avatars map them.
 */

export const VISEMES = Object.freeze(['sil', 'PP', 'FF', 'TH', 'DD', 'kk', 'CH', 'SS', 'nn', 'RR', 'aa', 'E', 'I', 'O', 'U']);

/** Morph target name of a viseme (the Oculus / Ready Player Me / TalkingHead convention). */
export const visemeChannel = (viseme) => `viseme_${viseme}`;

export const EXPRESSION_CHANNELS = Object.freeze([
  'browInnerUp', 'browDownLeft', 'browDownRight', 'browOuterUpLeft', 'browOuterUpRight',
  'eyeBlinkLeft', 'eyeBlinkRight', 'eyeSquintLeft', 'eyeSquintRight', 'eyeWideLeft', 'eyeWideRight',
  'cheekSquintLeft', 'cheekSquintRight', 'mouthSmileLeft', 'mouthSmileRight',
  'mouthFrownLeft', 'mouthFrownRight', 'mouthPressLeft', 'mouthPressRight',
  'mouthPucker', 'mouthFunnel', 'mouthLeft', 'jawOpen',
]);

const both = (name, value) => ({ [`${name}Left`]: value, [`${name}Right`]: value });

/**
 * Each expression at full intensity: blend-shape weights plus a head pose (radians: pitch > 0
 * lowers the head, roll tilts it). Intensity scales both.
 */
export const EXPRESSIONS = Object.freeze({
  neutral: { channels: {}, head: { pitch: 0, roll: 0 } },
  attentive: { channels: { browInnerUp: 0.35, ...both('browOuterUp', 0.45), ...both('eyeWide', 0.35), ...both('mouthSmile', 0.12) }, head: { pitch: -0.03, roll: 0.04 } },
  calm: { channels: { ...both('eyeSquint', 0.2), ...both('mouthPress', 0.15), ...both('mouthSmile', 0.05) }, head: { pitch: 0.02, roll: 0 } },
  concerned: { channels: { browInnerUp: 0.85, ...both('browDown', 0.25), ...both('mouthFrown', 0.25), ...both('mouthPress', 0.2) }, head: { pitch: 0.03, roll: 0.05 } },
  sympathetic: { channels: { browInnerUp: 0.75, ...both('eyeSquint', 0.3), ...both('mouthFrown', 0.3), ...both('mouthSmile', 0.08) }, head: { pitch: 0.07, roll: 0.07 } },
  apologetic: { channels: { browInnerUp: 0.9, ...both('browDown', 0.15), ...both('eyeSquint', 0.2), ...both('mouthFrown', 0.35), ...both('mouthPress', 0.35) }, head: { pitch: 0.11, roll: 0.03 } },
  reassuring: { channels: { browInnerUp: 0.2, ...both('eyeSquint', 0.3), ...both('mouthPress', 0.3), ...both('mouthSmile', 0.22) }, head: { pitch: 0.03, roll: -0.04 } },
  happy: { channels: { ...both('mouthSmile', 0.75), ...both('cheekSquint', 0.45), ...both('eyeSquint', 0.35), ...both('browOuterUp', 0.2) }, head: { pitch: -0.02, roll: 0.04 } },
  joyful: { channels: { ...both('mouthSmile', 1), ...both('cheekSquint', 0.8), ...both('eyeSquint', 0.55), ...both('browOuterUp', 0.35), jawOpen: 0.3 }, head: { pitch: -0.05, roll: 0.06 } },
  sad: { channels: { browInnerUp: 1, ...both('eyeSquint', 0.25), ...both('mouthFrown', 0.7), ...both('eyeBlink', 0.2) }, head: { pitch: 0.12, roll: 0.02 } },
  surprised: { channels: { browInnerUp: 0.8, ...both('browOuterUp', 0.9), ...both('eyeWide', 0.9), jawOpen: 0.35, mouthFunnel: 0.3 }, head: { pitch: -0.06, roll: 0 } },
  thinking: { channels: { ...both('browDown', 0.15), browOuterUpLeft: 0.6, ...both('eyeSquint', 0.25), mouthLeft: 0.5, mouthPressLeft: 0.4, mouthPressRight: 0.4 }, head: { pitch: -0.04, roll: 0.09 } },
});

export const EXPRESSION_NAMES = Object.freeze(Object.keys(EXPRESSIONS));

export const GESTURES = Object.freeze(['nod', 'slow_nod', 'head_tilt', 'open_palms', 'lean_in']);
