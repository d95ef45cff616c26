"""The emotion taxonomy (`taxonomy.yml`) as typed, validated data, and label mapping.

The one list of emotion labels: the NLU component, the action server, the avatar bridge and the
handoff service all read it here (`load_taxonomy().names`).

Every label belongs to one Ekman group. Labels of other models (the 7 Ekman labels, the 28
GoEmotions labels, or anything named in a component's `label_map`) are mapped onto ours here, so a
new model needs configuration, not code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import yaml


SCHEMA = "emotion-taxonomy.v1"
TAXONOMY_FILE = Path(__file__).resolve().parent / "taxonomy.yml"
EKMAN_GROUPS = ("anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral")
MULTI_LABEL_POLICIES = ("prefer_emotion_else_skip", "first")


class TaxonomyError(ValueError):
    """The taxonomy file or a label mapping is inconsistent."""


@dataclass(frozen=True)
class EmotionLabel:
    name: str
    ekman: str
    valence: float
    arousal: float
    distress: bool
    distress_weight: float
    covers: str
    avatar: str


@dataclass(frozen=True)
class Taxonomy:
    labels: Tuple[EmotionLabel, ...]
    default_label: str
    label_sets: Mapping[str, Mapping[str, str]]
    goemotions_ids: Tuple[str, ...]
    multi_label_policy: str

    @property
    def names(self) -> List[str]:
        return [label.name for label in self.labels]

    @property
    def distress_names(self) -> List[str]:
        """Labels that count as distress (`distress: true`): frustrated, anxious, sad."""
        return [label.name for label in self.labels if label.distress]

    @property
    def distress_weights(self) -> Dict[str, float]:
        return {label.name: label.distress_weight for label in self.labels}

    def label(self, name: str) -> EmotionLabel:
        for label in self.labels:
            if label.name == name:
                return label
        raise KeyError(name)

    def map_label(self, foreign: str, label_map: Optional[Mapping[str, str]] = None) -> Optional[str]:
        """Our label for another model's label, or None when nothing maps it.

        Looked up case-insensitively in `label_map`, then among our own labels, then in the
        Ekman and GoEmotions tables.
        """
        key = str(foreign).strip().lower()
        if label_map:
            lowered = {str(name).strip().lower(): target for name, target in label_map.items()}
            if key in lowered:
                return lowered[key]
        if key in self.names:
            return key
        for table in ("ekman", "goemotions"):
            if key in self.label_sets.get(table, {}):
                return self.label_sets[table][key]
        return None

    def goemotions_label_for_id(self, label_id: int) -> str:
        return self.goemotions_ids[label_id]

    def resolve_multi_label(self, labels: Sequence[str]) -> Optional[str]:
        """One of our labels for an example with several (already mapped) labels, or None to skip."""
        unique = list(dict.fromkeys(labels))
        if not unique:
            return None
        if self.multi_label_policy == "first":
            return unique[0]
        emotional = [name for name in unique if name != self.default_label]
        if not emotional:
            return self.default_label
        return emotional[0] if len(emotional) == 1 else None

    def mapping_for(
        self, foreign_labels: Iterable[str], label_map: Optional[Mapping[str, str]] = None
    ) -> Dict[str, str]:
        """Maps every foreign label; raises `TaxonomyError` naming those that nothing maps."""
        mapping: Dict[str, str] = {}
        unmapped = []
        for foreign in foreign_labels:
            target = self.map_label(foreign, label_map)
            if target is None:
                unmapped.append(foreign)
            elif target not in self.names:
                raise TaxonomyError(f"label {foreign!r} maps to {target!r}, which is not one of {self.names}")
            else:
                mapping[foreign] = target
        if unmapped:
            raise TaxonomyError(
                f"no mapping for labels {unmapped}; add them to the component's `label_map` (targets: {self.names})"
            )
        return mapping


def load_taxonomy(path: Union[str, Path, None] = None) -> Taxonomy:
    """Reads and validates a taxonomy file (the project's own when `path` is None)."""
    return _load_taxonomy_cached(str(Path(path or TAXONOMY_FILE).resolve()))


@lru_cache(maxsize=4)
def _load_taxonomy_cached(path: str) -> Taxonomy:
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    return taxonomy_from_dict(raw, source=path)


def taxonomy_from_dict(raw: Mapping, source: str = "<dict>") -> Taxonomy:
    if raw.get("schema") != SCHEMA:
        raise TaxonomyError(f"{source}: schema must be {SCHEMA!r}")
    labels = []
    for name, spec in (raw.get("labels") or {}).items():
        try:
            label = EmotionLabel(
                name=str(name),
                ekman=str(spec["ekman"]),
                valence=float(spec["valence"]),
                arousal=float(spec["arousal"]),
                distress=bool(spec["distress"]),
                distress_weight=float(spec["distress_weight"]),
                covers=str(spec.get("covers", "")),
                avatar=str(spec.get("avatar", "")),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise TaxonomyError(f"{source}: label {name!r} is incomplete: {error}") from error
        if label.ekman not in EKMAN_GROUPS:
            raise TaxonomyError(f"{source}: label {name!r} has unknown Ekman group {label.ekman!r}")
        if not (0.0 <= label.distress_weight <= 1.0 and 0.0 <= label.arousal <= 1.0 and -1.0 <= label.valence <= 1.0):
            raise TaxonomyError(f"{source}: label {name!r} has a value out of range")
        labels.append(label)
    names = [label.name for label in labels]
    if len(names) < 2:
        raise TaxonomyError(f"{source}: needs at least two labels")
    default_label = raw.get("default_label")
    if default_label not in names:
        raise TaxonomyError(f"{source}: default_label {default_label!r} is not a label")

    sets = raw.get("label_sets") or {}
    ekman_table = {str(k).lower(): str(v) for k, v in (sets.get("ekman") or {}).items()}
    goemotions = sets.get("goemotions") or {}
    goemotions_ids = tuple(str(name) for name in goemotions.get("ids") or [])
    goemotions_table = _goemotions_table(goemotions, ekman_table)
    for table_name, table in (("ekman", ekman_table), ("goemotions", goemotions_table)):
        wrong = {k: v for k, v in table.items() if v not in names}
        if wrong:
            raise TaxonomyError(f"{source}: {table_name} maps to unknown labels {wrong}")
    missing_ids = [name for name in goemotions_ids if name not in goemotions_table]
    if missing_ids:
        raise TaxonomyError(f"{source}: GoEmotions labels without a group: {missing_ids}")

    policy = raw.get("multi_label_policy", "prefer_emotion_else_skip")
    if policy not in MULTI_LABEL_POLICIES:
        raise TaxonomyError(f"{source}: multi_label_policy must be one of {MULTI_LABEL_POLICIES}")
    return Taxonomy(
        labels=tuple(labels),
        default_label=default_label,
        label_sets={"ekman": ekman_table, "goemotions": goemotions_table},
        goemotions_ids=goemotions_ids,
        multi_label_policy=policy,
    )


def _goemotions_table(goemotions: Mapping, ekman_table: Mapping[str, str]) -> Dict[str, str]:
    """GoEmotions label → our label: through its Ekman group, unless overridden."""
    table: Dict[str, str] = {}
    for group, members in (goemotions.get("groups") or {}).items():
        target = ekman_table.get(str(group).lower())
        if target is None:
            raise TaxonomyError(f"GoEmotions group {group!r} is not an Ekman label")
        for member in members:
            table[str(member).lower()] = target
    for name, target in (goemotions.get("overrides") or {}).items():
        table[str(name).lower()] = str(target)
    return table
