"""The two-model turn bench serves each model through the same services, only Rasa's model differs."""

from __future__ import annotations

from pathlib import Path

from launcher.services import local_services
from launcher.settings import LauncherSettings
from scripts.bench.rasa_models import with_model


def test_only_rasas_model_argument_changes(tmp_path):
    (tmp_path / "models").mkdir()
    settings = LauncherSettings.on_free_ports(tmp_path)
    original = local_services(settings)
    swapped = with_model(original, Path("/models/baseline.tar.gz"))

    assert [spec.name for spec in swapped] == [spec.name for spec in original]
    [rasa] = [spec for spec in swapped if spec.name == "rasa"]
    assert rasa.command[rasa.command.index("--model") + 1] == "/models/baseline.tar.gz"
    for before, after in zip(original, swapped):
        if before.name != "rasa":
            assert after == before
        else:
            assert [part for part in after.command if part != "/models/baseline.tar.gz"] == [
                part for part in before.command if part != str(settings.current_model())
            ]
