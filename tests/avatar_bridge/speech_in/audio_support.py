"""Test audio made on the spot (espeak-ng, in memory) and sent as the widget sends it."""

import base64
import io
import itertools
import subprocess
import wave

import numpy as np

CHUNK_BYTES = 8192
_ids = itertools.count(1)


def to_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    if rate == 16000:
        return samples
    count = int(len(samples) * 16000 / rate)
    return np.interp(np.linspace(0, len(samples) - 1, count), np.arange(len(samples)), samples)


def spoken(text: str, voice: str) -> bytes:
    """16 kHz mono s16le of espeak-ng saying ``text`` (never written to a file)."""
    wav = subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "--stdout", text], capture_output=True, check=True)
    with wave.open(io.BytesIO(wav.stdout)) as reader:
        rate = reader.getframerate()
        samples = np.frombuffer(reader.readframes(reader.getnframes()), "<i2").astype(np.float64)
    padding = np.zeros(8000)  # half a second of silence either side, as a real push would have
    return np.concatenate([padding, to_16k(samples, rate), padding]).astype("<i2").tobytes()


def silence(seconds: float) -> bytes:
    return np.zeros(int(16000 * seconds), "<i2").tobytes()


def noise(seconds: float, level: float = 0.05) -> bytes:
    rng = np.random.default_rng(7)
    return (rng.normal(0, level, int(16000 * seconds)) * 32767).clip(-32768, 32767).astype("<i2").tobytes()


def send_utterance(client, pcm: bytes, mode: str = "push_to_talk", end: bool = True, utterance_id=None) -> str:
    utterance_id = utterance_id or f"a{next(_ids)}"
    start = {"v": 1, "type": "audio_start", "id": utterance_id, "sample_rate": 16000, "codec": "pcm_s16le"}
    client.send({**start, "mode": mode})
    for seq, offset in enumerate(range(0, len(pcm), CHUNK_BYTES)):
        data = base64.b64encode(pcm[offset : offset + CHUNK_BYTES]).decode()
        client.send({"v": 1, "type": "audio_chunk", "id": utterance_id, "seq": seq, "data": data})
    if end:
        client.send({"v": 1, "type": "audio_end", "id": utterance_id})
    return utterance_id


def words(text: str) -> set[str]:
    return {word.strip(".,!?;:").lower() for word in text.split()}
