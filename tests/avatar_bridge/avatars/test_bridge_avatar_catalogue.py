"""The shipped avatars: every file matches the checksum and size the manifest pins, carries its
licence, and the bridge's setting offers exactly the manifest's models (plus the procedural head)."""

import hashlib
import typing
from pathlib import Path

import pytest

from avatar_bridge.avatars.catalogue import PROCEDURAL, Catalogue, CatalogueError
from avatar_bridge.core.config import Settings

ROOT = Path(__file__).resolve().parents[3]
AVATARS = ROOT / "web_client" / "public" / "avatars"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load(AVATARS)


def test_every_shipped_model_matches_its_pinned_checksum_and_size(catalogue):
    assert {"valid-woman", "valid-man"} <= set(catalogue.models)
    for model in catalogue.models.values():
        data = (AVATARS / model.file).read_bytes()
        assert len(data) == model.bytes, model.file
        assert hashlib.sha256(data).hexdigest() == model.sha256, model.file
        assert len(data) <= catalogue.max_bytes
        assert data[:4] == b"glTF"


def test_the_licence_sits_next_to_the_models_and_the_readme_credits_the_library(catalogue):
    assert "MIT License" in (AVATARS / "LICENSE.VALID").read_text("utf-8")
    assert "VALID" in (ROOT / "README.md").read_text("utf-8")
    assert "LICENSE.VALID" in catalogue.files()


def test_the_setting_offers_exactly_the_shipped_models(catalogue):
    choices = set(typing.get_args(Settings.model_fields["avatar_model"].annotation))
    assert choices == set(catalogue.models) | {PROCEDURAL}
    # The man by default: his voice is the Piper voice setup installs (contracts/avatars.yml).
    assert Settings().avatar_model == "valid-man"


def test_the_page_config_names_urls_and_refuses_unknown_models(catalogue):
    config = catalogue.page_config("valid-man", test_hooks=False)
    assert config["model"] == "valid-man" and config["test_hooks"] is False
    assert config["models"]["valid-man"]["url"] == "/avatars/White_M_1_Busi.glb"
    assert config["models"]["valid-man"]["family"] == "valid"
    assert catalogue.page_config(PROCEDURAL, test_hooks=True)["model"] == PROCEDURAL
    with pytest.raises(CatalogueError):
        catalogue.page_config("valid-robot", test_hooks=True)


def test_a_broken_manifest_is_a_clear_error(tmp_path):
    (tmp_path / "manifest.json").write_text('{"avatars": {}}')
    with pytest.raises(CatalogueError, match="max_bytes"):
        Catalogue.load(tmp_path)
