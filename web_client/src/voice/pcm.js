/**
 * The wire format of speech input (docs/protocol.md "Speaking to the assistant"): the browser's
 * float samples at its own rate -> 16 kHz mono 16-bit little-endian, in chunks of at most 4096
 * samples (8192 bytes), base64 in `audio_chunk` frames.
 */
export const SAMPLE_RATE = 16000;
export const CHUNK_SAMPLES = 4096;

/** Streaming resampler to 16 kHz: averages each output sample's window (a light anti-alias). */
export class Resampler {
  constructor(inputRate, outputRate = SAMPLE_RATE) {
    if (!(inputRate >= outputRate)) throw new RangeError(`input rate ${inputRate} below ${outputRate} Hz`);
    this.step = inputRate / outputRate;
    this.position = 0; // where the next output window starts, in input samples of `pending`
    this.pending = new Float32Array(0);
  }

  /** @param {Float32Array} input  @returns {Float32Array} */
  push(input) {
    const samples = new Float32Array(this.pending.length + input.length);
    samples.set(this.pending);
    samples.set(input, this.pending.length);
    const count = Math.max(0, Math.floor((samples.length - this.position) / this.step));
    const output = new Float32Array(count);
    for (let i = 0; i < count; i += 1) {
      const start = Math.floor(this.position);
      const end = Math.min(samples.length, Math.max(start + 1, Math.floor(this.position + this.step)));
      let sum = 0;
      for (let j = start; j < end; j += 1) sum += samples[j];
      output[i] = sum / (end - start);
      this.position += this.step;
    }
    const keep = Math.floor(this.position);
    this.pending = samples.slice(keep);
    this.position -= keep;
    return output;
  }
}

/** Float samples (-1..1) -> little-endian int16 bytes. */
export function toPcm16(samples) {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i += 1) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    view.setInt16(i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return bytes;
}

/** Collects 16 kHz samples and hands out full chunks (and the rest on flush). */
export class Chunker {
  constructor(size = CHUNK_SAMPLES) { this.size = size; this.buffer = new Float32Array(size); this.filled = 0; }

  /** @returns {Uint8Array[]} PCM chunks ready to send */
  push(samples) {
    const chunks = [];
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(this.size - this.filled, samples.length - offset);
      this.buffer.set(samples.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.size) { chunks.push(toPcm16(this.buffer)); this.filled = 0; }
    }
    return chunks;
  }

  flush() {
    const rest = this.filled ? [toPcm16(this.buffer.subarray(0, this.filled))] : [];
    this.filled = 0;
    return rest;
  }
}

export function toBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
