"""Shorter trainings on request: the epochs of the trained components, scaled in the snapshot.

Rasa's own `--epoch-fraction` applies only to fine-tuning (`--finetune`), which cannot add an
intent, so the console scales the `epochs` of each component in the snapshot's config instead
(never the repository's own file).
"""

from pathlib import Path

import yaml


def scale_epochs(config_path: Path, fraction: float) -> dict[str, int]:
    """Multiply every `epochs` in the pipeline and the policies by `fraction` (at least 1 epoch).

    Returns the new epochs by component name, for the training log.
    """
    config = yaml.safe_load(config_path.read_text("utf-8")) or {}
    scaled: dict[str, int] = {}
    for section in ("pipeline", "policies"):
        for step in config.get(section) or []:
            if isinstance(step, dict) and isinstance(step.get("epochs"), int):
                step["epochs"] = max(1, round(step["epochs"] * fraction))
                scaled[str(step.get("name"))] = step["epochs"]
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")
    return scaled
