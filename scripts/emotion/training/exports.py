"""Which transformers emotion models a Rasa config needs exported, and the commands that do it.

Used by `scripts/emotion/pending_exports.py`, which the training step calls before `rasa train`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Union

import yaml

from bot.emotion import onnx_bundle
from bot.emotion.runtime import BACKEND_TRANSFORMERS, hf_bundle_dir, hf_export_command, settings_with_defaults

COMPONENT_SUFFIX = "EmotionClassifier"


def emotion_entries(config_path: Union[str, Path]) -> List[Dict[str, Any]]:
    """The settings (with defaults) of every EmotionClassifier in a Rasa config's pipeline."""
    raw = yaml.safe_load(Path(config_path).read_text(encoding="utf-8")) or {}
    entries = []
    for component in raw.get("pipeline") or []:
        if isinstance(component, dict) and str(component.get("name", "")).endswith(COMPONENT_SUFFIX):
            entries.append(settings_with_defaults({k: v for k, v in component.items() if k != "name"}))
    return entries


def pending_export_commands(config_path: Union[str, Path]) -> List[str]:
    """Export commands for every transformers model in the config that is not exported yet."""
    commands = []
    for settings in emotion_entries(config_path):
        if settings["backend"] != BACKEND_TRANSFORMERS:
            continue
        if not (hf_bundle_dir(settings) / onnx_bundle.MANIFEST_FILE).is_file():
            commands.append(hf_export_command(settings))
    return commands
