"""Piper synthesis with the model's phoneme alignments, inside this worker program."""

import base64

_voices: dict = {}


def _voice(model: str, config: str):
    # Imported here so that `--help` and the protocol tests do not need Piper's model runtime.
    from piper import PiperVoice

    key = (model, config)
    if key not in _voices:
        _voices[key] = PiperVoice.load(model, config_path=config, include_alignments=True)
    return _voices[key]


def handle(request: dict) -> dict:
    """{"model", "config", "text", "length_scale", ...}; without "text" it only loads the voice."""
    from piper import SynthesisConfig

    voice = _voice(request["model"], request["config"])
    if "text" not in request:
        return {"id": request["id"], "ok": True, "sample_rate": voice.config.sample_rate}
    config = SynthesisConfig(
        length_scale=request.get("length_scale"),
        noise_scale=request.get("noise_scale"),
        noise_w_scale=request.get("noise_w_scale"),
        volume=float(request.get("volume", 1.0)),
    )
    pcm = bytearray()
    phonemes: list[list] = []
    for chunk in voice.synthesize(request["text"], config, include_alignments=True):
        pcm += chunk.audio_int16_bytes
        alignments = chunk.phoneme_alignments
        if alignments is None:  # a model without alignment output: spread evenly, marked as such
            samples = len(chunk.audio_int16_array) // max(len(chunk.phonemes), 1)
            phonemes += [[phoneme, samples, "even"] for phoneme in chunk.phonemes]
        else:
            phonemes += [[a.phoneme, int(a.num_samples)] for a in alignments]
    return {
        "id": request["id"],
        "ok": True,
        "sample_rate": voice.config.sample_rate,
        "pcm_base64": base64.b64encode(bytes(pcm)).decode("ascii"),
        "phonemes": phonemes,
    }
