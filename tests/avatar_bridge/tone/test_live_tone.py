"""Tone changes apply while the bridge runs: the same planner and playbooks objects the turn runner
holds change in place; a broken file keeps the last good settings (real files, temp copies)."""

import shutil
from pathlib import Path

import pytest

from avatar_bridge.core.config import Settings
from avatar_bridge.protocol.schema_registry import SchemaRegistry
from avatar_bridge.tone.documents import ToneFiles, ToneRejected
from avatar_bridge.tone.live import LiveTone


@pytest.fixture
def files(tmp_path: Path) -> ToneFiles:
    defaults = Settings()
    shutil.copy2(defaults.expression_table_path, tmp_path / "table.yml")
    shutil.copytree(defaults.playbook_dir, tmp_path / "playbooks")
    return ToneFiles(tmp_path / "table.yml", tmp_path / "playbooks", defaults.reply_kinds_path)


def test_a_stored_change_reaches_the_objects_already_in_use(files: ToneFiles) -> None:
    schemas = SchemaRegistry.load()
    planner, playbooks = files.load(schemas)
    live = LiveTone(files, schemas, planner, playbooks)
    held_planner, held_playbooks = live.planner, live.playbooks  # what the turn runner holds
    assert held_planner.plan("neutral", 0.1, "greeting").expression.intensity == 0.4
    table = files.documents()["expression-table"]
    changed = table.path.read_text().replace(
        "expression: {name: happy, intensity: 0.4, duration_ms: 2000}",
        "expression: {name: happy, intensity: 0.5, duration_ms: 2000}",
        1,
    )
    files.replace(table, changed, schemas)
    document = files.documents()["playbook-en"]
    text = document.path.read_text().replace("Warm and brief.", "Warm, brief and plain.")
    files.replace(document, text, schemas)
    assert live.changed_on_disk()
    assert live.reload() and live.version == 2
    assert "Warm, brief and plain." in document.path.read_text()
    assert held_playbooks is live.playbooks and set(held_playbooks) == {"en", "de"}
    assert held_planner.plan("neutral", 0.1, "greeting").expression.intensity == 0.5


def test_one_stored_change_is_one_version_when_the_watch_got_there_first(files: ToneFiles) -> None:
    """The watch may apply a change while the instance that stored it is still writing; its own
    reload afterwards is the same change, not a new version."""
    schemas = SchemaRegistry.load()
    planner, playbooks = files.load(schemas)
    live = LiveTone(files, schemas, planner, playbooks)
    assert live.reload() and live.version == 1  # nothing stored: nothing new
    document = files.documents()["playbook-en"]
    files.replace(document, document.path.read_text().replace("Warm and brief.", "Warm, brief and plain."), schemas)
    assert live.changed_on_disk() and live.reload() and live.version == 2  # the watch
    assert live.reload() and live.version == 2  # the storing instance
    files.replace(document, document.path.read_text().replace("Warm, brief and plain.", "Warm."), schemas)
    assert live.reload() and live.version == 3


def test_a_broken_file_edited_by_hand_keeps_the_last_good_settings(files: ToneFiles) -> None:
    schemas = SchemaRegistry.load()
    planner, playbooks = files.load(schemas)
    live = LiveTone(files, schemas, planner, playbooks)
    (files.playbook_dir / "en.yml").write_text("language: en\nsurprise: 1\n")
    assert live.changed_on_disk()
    assert live.reload() is False
    assert set(live.playbooks) == {"en", "de"} and live.version == 1
    assert not live.changed_on_disk()  # logged once, not on every look


def test_a_replacement_the_loaders_refuse_is_not_stored(files: ToneFiles) -> None:
    schemas = SchemaRegistry.load()
    document = files.documents()["expression-table"]
    before = document.path.read_text()
    with pytest.raises(ToneRejected) as refused:
        files.replace(document, before.replace("rules:", "rulez:", 1), schemas)
    assert "rules" in str(refused.value)
    assert document.path.read_text() == before
    assert str(files.expression_table.parent) not in str(refused.value)  # no temp paths leak
