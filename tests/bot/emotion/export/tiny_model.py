"""A tiny BERT-like text classifier, built from nothing in a temp folder (random weights).

Enough for the real transformers loading and ONNX export code to run without a model hub.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict

# The model's own label names: two Ekman labels, one our taxonomy does not know (mapped by
# `label_map` in the tests), and neutral.
TINY_ID2LABEL: Dict[int, str] = {0: "anger", 1: "joy", 2: "annoyed", 3: "neutral"}

_WORDS = (
    "i am so angry where is my parcel thanks a lot this is great the order never came "
    "help please refund again third time why happy sad hello ok danke paket wo ist mein"
).split()


def build_tiny_classifier(folder: Path) -> Path:
    """Saves a 2-layer, 32-wide BERT sequence classifier and its WordPiece tokenizer to `folder`."""
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    pieces = sorted(set(_WORDS)) + ["##s", "##ed", "##ing", "!", "?", ".", ","]
    vocab = {token: index for index, token in enumerate(specials + pieces)}
    backend = Tokenizer(models.WordPiece(vocab=vocab, unk_token="[UNK]"))
    backend.normalizer = normalizers.BertNormalizer(lowercase=True)
    backend.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    backend.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    tokenizer = BertTokenizerFast(
        tokenizer_object=backend,
        unk_token="[UNK]",
        sep_token="[SEP]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        mask_token="[MASK]",
        model_max_length=64,
    )
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
        num_labels=len(TINY_ID2LABEL),
        # Large random weights, so that different texts get clearly different logits.
        initializer_range=0.6,
        id2label=TINY_ID2LABEL,
        label2id={label: index for index, label in TINY_ID2LABEL.items()},
    )
    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(folder))
    tokenizer.save_pretrained(str(folder))
    return folder
