"""Turning whatever a channel sends into something a tokenizer and a model can take.

Customer messages can be empty, megabytes long, or binary junk. These helpers never raise: they
return a clean string and token ids that fit the model, keeping both the start and the end of an
over-long message (the end often says how the customer feels: "... third time I'm asking!!").
"""

from __future__ import annotations

from typing import Any, Dict, List, Sequence

import numpy as np

# Characters kept per token the model can see; more would only cost tokenizer time.
CHARS_PER_TOKEN_BUDGET = 12


def clean_text(text: Any) -> str:
    """A valid UTF-8 string: `None` and non-strings become text, lone surrogates become '?'."""
    if text is None:
        return ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    elif not isinstance(text, str):
        text = str(text)
    return text.encode("utf-8", errors="replace").decode("utf-8").replace("\x00", " ")


def clip_characters(text: str, max_chars: int) -> str:
    """Keeps the first and the last `max_chars / 2` characters of an over-long text."""
    if len(text) <= max_chars:
        return text
    half = max_chars // 2
    return text[:half] + " … " + text[-half:]


def head_tail_ids(ids: Sequence[int], max_length: int, special_prefix: int = 1, special_suffix: int = 1) -> List[int]:
    """Truncates token ids to `max_length`, keeping the special tokens, the head and the tail.

    `special_prefix` / `special_suffix` are how many ids at each end are special tokens
    ([CLS] ... [SEP] for BERT, <s> ... </s> for RoBERTa) that must survive truncation.
    """
    ids = list(ids)
    if len(ids) <= max_length:
        return ids
    prefix = ids[:special_prefix]
    suffix = ids[len(ids) - special_suffix :] if special_suffix else []
    body = ids[special_prefix : len(ids) - special_suffix]
    budget = max(max_length - len(prefix) - len(suffix), 0)
    head = (budget + 1) // 2
    tail = budget - head
    return prefix + body[:head] + (body[len(body) - tail :] if tail else []) + suffix


def encode_batch(
    tokenizer, texts: Sequence[str], max_length: int, input_names: Sequence[str], pad_id: int = 0
) -> Dict[str, np.ndarray]:
    """Tokenizes, truncates head+tail and pads `texts` into the named int64 model inputs."""
    max_chars = max_length * CHARS_PER_TOKEN_BUDGET
    prepared = [clip_characters(clean_text(text), max_chars) for text in texts]
    encodings = tokenizer.encode_batch(prepared, add_special_tokens=True)
    sequences = []
    for encoding in encodings:
        special = encoding.special_tokens_mask
        prefix = _leading_count(special)
        suffix = _leading_count(list(reversed(special))) if len(special) > prefix else 0
        sequences.append(head_tail_ids(encoding.ids, max_length, prefix, suffix))
    width = max((len(ids) for ids in sequences), default=0) or 1
    input_ids = np.full((len(sequences), width), pad_id, dtype=np.int64)
    attention_mask = np.zeros((len(sequences), width), dtype=np.int64)
    for row, ids in enumerate(sequences):
        input_ids[row, : len(ids)] = ids
        attention_mask[row, : len(ids)] = 1
    available = {
        "input_ids": input_ids,
        "attention_mask": attention_mask,
        "token_type_ids": np.zeros_like(input_ids),
    }
    return {name: available[name] for name in input_names}


def _leading_count(flags: Sequence[int]) -> int:
    count = 0
    for flag in flags:
        if not flag:
            break
        count += 1
    return count


def load_tokenizer(path):
    """A `tokenizers.Tokenizer` with its own padding and truncation switched off (we do both)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer
