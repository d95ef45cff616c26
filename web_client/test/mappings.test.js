import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { ChannelMixer } from '../src/avatar/channelMix.js';
import { AvatarFileError, VOCABULARY_CHANNELS, assertMappingFits, mappingProblems } from '../src/avatar/mappingValidator.js';
import { MAPPINGS } from '../src/avatar/mappings/index.js';
import { describeGlbJson, fetchModel, readGlbJson } from '../src/avatar/loaders/glbFile.js';
import { EXPRESSIONS } from '../src/avatar/vocabulary.js';

// happy-dom's import.meta.url is not a file URL: resolve from the project directory vitest runs in.
const AVATARS = `${process.cwd()}/public/avatars/`;
const manifest = JSON.parse(readFileSync(`${AVATARS}manifest.json`, 'utf8'));
const bufferOf = (path) => { const bytes = readFileSync(path); return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength); };

describe('every shipped avatar fits its mapping (the files\' own morph and joint names)', () => {
  it.each(Object.entries(manifest.avatars))('%s', (id, entry) => {
    const model = describeGlbJson(readGlbJson(bufferOf(`${AVATARS}${entry.file}`), entry.file));
    const mapping = MAPPINGS[entry.family];
    expect(mappingProblems(mapping, model)).toEqual([]);
    // Every expression of the vocabulary reaches at least one morph target of the face.
    const mixer = new ChannelMixer(mapping.channels, mapping.teeth);
    for (const [name, expression] of Object.entries(EXPRESSIONS)) {
      if (name === 'neutral') continue;
      expect([...mixer.mix(expression.channels)].some((v) => v > 0.05), name).toBe(true);
    }
  });
});

describe('mapping files', () => {
  it.each(Object.keys(MAPPINGS))('%s maps every vocabulary name', (family) => {
    for (const channel of VOCABULARY_CHANNELS) expect(MAPPINGS[family].channels, channel).toHaveProperty(channel);
  });

  it('the ARKit mapping fits a model that names the vocabulary itself', () => {
    const morphs = new Set(VOCABULARY_CHANNELS.filter((c) => c !== 'viseme_sil'));
    expect(mappingProblems(MAPPINGS.arkit, { morphs, joints: new Set(['Head']) })).toEqual([]);
  });

  it('names what a model lacks', () => {
    const model = { morphs: new Set(['h_expressions.AE_AA_h']), joints: new Set(['Head']) };
    expect(() => assertMappingFits(MAPPINGS.valid, model, 'bad.glb')).toThrow(AvatarFileError);
    const problems = mappingProblems(MAPPINGS.valid, model);
    expect(problems).toContain('"eyeBlinkLeft" needs morph target "h_expressions.LeyeClose_h", which the model lacks');
    expect(problems).toContain('joint "LeftEye" (leftEye) is missing');
  });

  it('refuses an incomplete mapping and unknown names', () => {
    const problems = mappingProblems({ family: 'x', channels: { jawOpen: {}, wink: { a: 1 } } }, { morphs: new Set(['a']), joints: new Set() });
    expect(problems).toContain('"eyeBlinkLeft" is not mapped');
    expect(problems).toContain('"jawOpen" maps to nothing');
    expect(problems).toContain('"wink" is not a vocabulary name');
  });
});

describe('channel mixing', () => {
  it('adds contributions, clamps, and lets the teeth follow the mouth', () => {
    const mixer = new ChannelMixer(
      { viseme_PP: { up: 1, down: 1 }, jawOpen: { open: 1 }, viseme_aa: { open: 0.8 } },
      { up: { teethMPB: 0.5 }, down: { teethMPB: 0.5 }, open: { teethOpen: 1 } },
    );
    const values = mixer.mixNamed({ viseme_PP: 0.6, jawOpen: 0.5, viseme_aa: 1 });
    expect(values.up).toBeCloseTo(0.6);
    expect(values.open).toBe(1);
    expect(values.teethOpen).toBe(1);
    expect(values.teethMPB).toBeCloseTo(0.6);
  });

  it('the VALID teeth move with the jaw', () => {
    const mixer = new ChannelMixer(MAPPINGS.valid.channels, MAPPINGS.valid.teeth);
    const values = mixer.mixNamed({ viseme_aa: 1, jawOpen: 0.5 });
    expect(values['h_teeth.t_AE_AA_h']).toBe(1);
    expect(values['h_teeth.t_MouthOpen_h']).toBe(0.5);
  });
});

describe('model files', () => {
  const response = (buffer, length = buffer.byteLength) => ({ ok: true, status: 200, headers: new Headers({ 'content-length': String(length) }), arrayBuffer: async () => buffer, body: { cancel: vi.fn() } });
  const woman = bufferOf(`${AVATARS}${manifest.avatars['valid-woman'].file}`);

  it('loads a shipped model within the limit', async () => {
    await expect(fetchModel('/w.glb', manifest.max_bytes, async () => response(woman))).resolves.toBe(woman);
  });

  it.each([
    ['too large (declared)', () => response(woman, 99e6), /over the 1\.0 MB limit/],
    ['too large (read)', () => response(woman, 0), /over the 1\.0 MB limit/],
    ['not a GLB', () => response(new TextEncoder().encode('<html>not found</html>').buffer), /not a glTF binary/],
    ['HTTP error', () => ({ ok: false, status: 404, headers: new Headers() }), /HTTP 404/],
  ])('refuses a file that is %s', async (_name, make, message) => {
    await expect(fetchModel('/x.glb', 1024 * 1024, async () => make())).rejects.toThrow(message);
  });

  it('refuses extensions it cannot decode', async () => {
    const json = new TextEncoder().encode(JSON.stringify({ asset: { version: '2.0' }, extensionsRequired: ['KHR_draco_mesh_compression'] }) + '  ');
    const glb = new Uint8Array(20 + json.length);
    const view = new DataView(glb.buffer);
    view.setUint32(0, 0x46546c67, true); view.setUint32(4, 2, true); view.setUint32(8, glb.length, true);
    view.setUint32(12, json.length, true); view.setUint32(16, 0x4e4f534a, true);
    glb.set(json, 20);
    await expect(fetchModel('/d.glb', 1e6, async () => response(glb.buffer))).rejects.toThrow(/KHR_draco_mesh_compression/);
  });
});
