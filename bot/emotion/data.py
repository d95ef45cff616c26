"""Loading labelled emotion examples: the project's YAML files, `text<TAB>label` files, GoEmotions TSV.

Every loader returns `Example`s labelled with our taxonomy; labels of other sets are mapped
through `taxonomy.yml`. Also the fixed stratified split used for held-out measurements.
"""

from __future__ import annotations

import csv
import hashlib
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import yaml

from contracts.emotion.taxonomy import Taxonomy, load_taxonomy

FORMATS = ("tsv", "goemotions", "yaml")


class EmotionDataError(ValueError):
    """A data file does not have the expected shape or uses unknown labels."""


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    language: str = ""


@dataclass
class LoadReport:
    """What a loader read, mapped and skipped, for the command-line reports."""

    read: int = 0
    skipped_ambiguous: int = 0
    skipped_unmapped: int = 0
    skipped_empty: int = 0


def load_yaml_dir(
    folder: Union[str, Path], taxonomy: Optional[Taxonomy] = None, languages: Optional[Sequence[str]] = None
) -> List[Example]:
    """Examples from `folder/<lang>/<label>.yml` (shape: language, label, examples)."""
    taxonomy = taxonomy or load_taxonomy()
    folder = Path(folder)
    if not folder.is_dir():
        raise EmotionDataError(f"emotion data folder {folder} does not exist")
    examples: List[Example] = []
    for path in sorted(folder.glob("*/*.yml")) + sorted(folder.glob("*/*.yaml")):
        examples.extend(load_yaml_file(path, taxonomy))
    if languages:
        examples = [example for example in examples if example.language in languages]
    if not examples:
        raise EmotionDataError(f"no emotion examples under {folder}")
    return examples


def load_yaml_file(path: Path, taxonomy: Taxonomy) -> List[Example]:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise EmotionDataError(f"{path}: not valid YAML: {error}") from error
    label = raw.get("label")
    language = str(raw.get("language") or Path(path).parent.name)
    if label not in taxonomy.names:
        raise EmotionDataError(f"{path}: label {label!r} is not one of {taxonomy.names}")
    texts = raw.get("examples") or []
    if not isinstance(texts, list):
        raise EmotionDataError(f"{path}: `examples` must be a list of strings")
    return [Example(str(text).strip(), label, language) for text in texts if str(text).strip()]


def load_tsv(
    path: Union[str, Path],
    taxonomy: Optional[Taxonomy] = None,
    label_map: Optional[Mapping[str, str]] = None,
    report: Optional[LoadReport] = None,
) -> List[Example]:
    """`text<TAB>label[<TAB>language]` rows; labels are ours or mapped (Ekman, GoEmotions, `label_map`)."""
    taxonomy = taxonomy or load_taxonomy()
    report = report if report is not None else LoadReport()
    examples = []
    for row in _tsv_rows(path):
        if len(row) < 2:
            continue
        report.read += 1
        text, foreign = row[0].strip(), row[1].strip()
        if not text:
            report.skipped_empty += 1
            continue
        label = taxonomy.map_label(foreign, label_map)
        if label is None or label not in taxonomy.names:
            report.skipped_unmapped += 1
            continue
        examples.append(Example(text, label, row[2].strip() if len(row) > 2 else ""))
    return examples


def load_goemotions(
    path: Union[str, Path],
    taxonomy: Optional[Taxonomy] = None,
    label_map: Optional[Mapping[str, str]] = None,
    report: Optional[LoadReport] = None,
) -> List[Example]:
    """GoEmotions TSV (`text<TAB>comma-separated label ids<TAB>id`), mapped to our labels.

    Multi-label rows follow the taxonomy's `multi_label_policy`; ambiguous rows are skipped and
    counted in `report`.
    """
    taxonomy = taxonomy or load_taxonomy()
    report = report if report is not None else LoadReport()
    examples = []
    for row in _tsv_rows(path):
        if len(row) < 2:
            continue
        report.read += 1
        text = row[0].strip()
        if not text:
            report.skipped_empty += 1
            continue
        try:
            names = [taxonomy.goemotions_label_for_id(int(part)) for part in row[1].split(",") if part.strip()]
        except (ValueError, IndexError):
            report.skipped_unmapped += 1
            continue
        mapped = [taxonomy.map_label(name, label_map) for name in names]
        if not mapped or any(label is None for label in mapped):
            report.skipped_unmapped += 1
            continue
        label = taxonomy.resolve_multi_label(mapped)
        if label is None:
            report.skipped_ambiguous += 1
            continue
        examples.append(Example(text, label, "en"))
    return examples


def load_examples(
    path: Union[str, Path],
    data_format: str,
    taxonomy: Optional[Taxonomy] = None,
    label_map: Optional[Mapping[str, str]] = None,
    report: Optional[LoadReport] = None,
) -> List[Example]:
    """Dispatches on `data_format` (one of `FORMATS`)."""
    if data_format == "tsv":
        return load_tsv(path, taxonomy, label_map, report)
    if data_format == "goemotions":
        return load_goemotions(path, taxonomy, label_map, report)
    if data_format == "yaml":
        return load_yaml_dir(path, taxonomy)
    raise EmotionDataError(f"unknown format {data_format!r}; use one of {FORMATS}")


def stratified_split(
    examples: Sequence[Example], held_out_share: float = 0.2, seed: int = 13
) -> Tuple[List[Example], List[Example]]:
    """A fixed train / held-out split, stratified by (language, label).

    Examples are ordered by a hash of their text before the seeded shuffle, so adding a file or
    reordering one does not move unrelated examples between the two parts.
    """
    groups: Dict[Tuple[str, str], List[Example]] = defaultdict(list)
    for example in examples:
        groups[(example.language, example.label)].append(example)
    train: List[Example] = []
    held_out: List[Example] = []
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda e: hashlib.sha1(e.text.encode("utf-8")).hexdigest())
        random.Random(f"{seed}:{key}").shuffle(members)
        count = int(round(len(members) * held_out_share))
        if len(members) > 1:
            count = min(max(count, 1), len(members) - 1)
        else:
            count = 0
        held_out.extend(members[:count])
        train.extend(members[count:])
    return train, held_out


def label_counts(examples: Iterable[Example]) -> Counter:
    return Counter((example.language, example.label) for example in examples)


def data_fingerprint(folder: Union[str, Path]) -> str:
    """A hash of every data file's name and content, so Rasa retrains when the examples change."""
    digest = hashlib.sha256()
    folder = Path(folder)
    if not folder.is_dir():
        return "missing"
    for path in sorted(folder.rglob("*.y*ml")):
        digest.update(str(path.relative_to(folder)).encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _tsv_rows(path: Union[str, Path]) -> Iterable[List[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        yield from csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
