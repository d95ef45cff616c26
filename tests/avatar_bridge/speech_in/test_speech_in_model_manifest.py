"""Every file of the recogniser's model is pinned by SHA-256, and a changed file is refused."""

import json

import pytest

from avatar_bridge.speech_in.model_files import BUILT_IN_MANIFEST, ModelFilesError, load_model_files


def test_the_installed_model_files_match_the_manifest():
    files = load_model_files()
    assert set(files) == {"model.bin", "config.json", "tokenizer.json", "vocabulary.json"}
    assert len(files["model.bin"]) > 100_000_000  # the two parts, joined in memory


def _manifest_with(tmp_path, change) -> object:
    document = json.loads(BUILT_IN_MANIFEST.read_text("utf-8"))
    change(document["files"])
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(document), "utf-8")
    return path


def test_a_file_with_another_checksum_is_refused(tmp_path):
    def tamper(files):
        files["config.json"]["sha256"] = "0" * 64

    with pytest.raises(ModelFilesError, match="config.json has SHA-256"):
        load_model_files(_manifest_with(tmp_path, tamper))


def test_parts_joined_in_another_order_are_refused(tmp_path):
    def swap(files):
        files["model.bin"]["parts"].reverse()

    with pytest.raises(ModelFilesError, match="model.bin has SHA-256"):
        load_model_files(_manifest_with(tmp_path, swap))


def test_a_missing_package_says_how_to_install_it(tmp_path):
    def missing(files):
        files["vocabulary.json"]["package"] = "no_such_whisper_package"

    with pytest.raises(ModelFilesError, match="make setup"):
        load_model_files(_manifest_with(tmp_path, missing))
