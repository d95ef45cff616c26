"""IPA phonemes (as espeak-ng reports them) -> the 15 Oculus visemes.

The Oculus set: sil, PP (p b m), FF (f v), TH (θ ð), DD (t d), kk (k g), CH (tʃ dʒ ʃ ʒ),
SS (s z), nn (n l), RR (r), aa, E, I, O, U. Sounds outside the English reference list are
placed by mouth shape: German ç and x are made at the back of the mouth like k; the rounded
front vowels y/ʏ/ø/œ need rounded lips, so they go to U and O; h takes an open, relaxed mouth.
"""

VISEMES = ("sil", "PP", "FF", "TH", "DD", "kk", "CH", "SS", "nn", "RR", "aa", "E", "I", "O", "U")

# Whole phoneme strings first (affricates and diphthongs), then single sounds.
_MULTI = {
    "tʃ": "CH",
    "dʒ": "CH",
    "ts": "SS",
    "pf": "PP",
    "aɪ": "aa",
    "aʊ": "aa",
    "aɪə": "aa",
    "aʊə": "aa",
    "eɪ": "E",
    "eə": "E",
    "ɛə": "E",
    "əʊ": "O",
    "oʊ": "O",
    "ɔɪ": "O",
    "ɔø": "O",
    "ɔʏ": "O",
    "ɒ": "O",
    "ɪə": "I",
    "iə": "I",
    "ʊə": "U",
    "uə": "U",
}
_SINGLE = {
    "p": "PP",
    "b": "PP",
    "m": "PP",
    "f": "FF",
    "v": "FF",
    "θ": "TH",
    "ð": "TH",
    "t": "DD",
    "d": "DD",
    "ɾ": "DD",
    "k": "kk",
    "g": "kk",
    "ɡ": "kk",
    "ŋ": "kk",
    "x": "kk",
    "ç": "kk",
    "h": "kk",
    "ɣ": "kk",
    "q": "kk",
    "ʃ": "CH",
    "ʒ": "CH",
    "s": "SS",
    "z": "SS",
    "n": "nn",
    "l": "nn",
    "ɫ": "nn",
    "ɬ": "nn",
    "r": "RR",
    "ɹ": "RR",
    "ʁ": "RR",
    "ʀ": "RR",
    "ɻ": "RR",
    "j": "I",
    "w": "U",
    "a": "aa",
    "ɑ": "aa",
    "æ": "aa",
    "ʌ": "aa",
    "ɐ": "aa",
    "ɶ": "aa",
    "e": "E",
    "ɛ": "E",
    "ə": "E",
    "ɜ": "E",
    "ɚ": "E",
    "ɝ": "E",
    "i": "I",
    "ɪ": "I",
    "ɨ": "I",
    "ᵻ": "I",
    "o": "O",
    "ɔ": "O",
    "ø": "O",
    "œ": "O",
    "ɵ": "O",
    "u": "U",
    "ʊ": "U",
    "y": "U",
    "ʏ": "U",
    "ɯ": "U",
    "ʔ": "sil",
}
# Length, stress and syllable marks carry timing, not mouth shape.
_MARKS = str.maketrans("", "", "ːˑˈˌ.‿̩̯̃̆-'")


def viseme_for(phoneme: str) -> str | None:
    """The viseme for one espeak-ng IPA phoneme; "" (a pause) is silence; None if unknown."""
    bare = phoneme.translate(_MARKS).strip()
    if not bare:
        return "sil"
    if bare in _MULTI:
        return _MULTI[bare]
    if bare in _SINGLE:
        return _SINGLE[bare]
    # An unlisted cluster takes the shape of its first sound (the mouth's starting position).
    return _MULTI.get(bare[:2]) or _SINGLE.get(bare[0])
