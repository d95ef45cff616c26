"""The training job's parts that need no training: model naming, the comparison rule, failures."""

import subprocess
import time
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from admin.training.evaluation import Case, accuracy, load_cases, verdict
from admin.training.fingerprint import model_name
from admin.training.parse_with_model import predicted_intent
from admin.settings import REPOSITORY_ROOT


def test_model_name_matches_train_sh(data_root: Path) -> None:
    # The fingerprint function of scripts/train.sh, run on the same tree.
    script = REPOSITORY_ROOT / "scripts" / "train.sh"
    function = script.read_text().split("fingerprint() {", 1)[1].split("\n}\n", 1)[0]
    inputs = script.read_text().split("TRAINING_INPUTS=(", 1)[1].split(")", 1)[0]
    bash = f"TRAINING_INPUTS=({inputs})\nfingerprint() {{{function}\n}}\nfingerprint\n"
    expected = subprocess.run(["bash", "-c", bash], cwd=data_root, capture_output=True, text=True, check=True)
    assert model_name(data_root) == f"assistant-{expected.stdout.strip()}"
    (data_root / "nlu_data/intents/en/core.yml").write_text("changed\n")
    assert model_name(data_root) != f"assistant-{expected.stdout.strip()}"


def test_comparison_rule() -> None:
    cases = [Case("en", "greet", "hi"), Case("en", "faq/returns", "returns?"), Case("de", "thank", "danke")]
    active = accuracy(cases, ["greet", "faq/returns", "thank"])
    assert active["accuracy"] == 1.0 and active["misses"] == []
    worse = accuracy(cases, ["greet", "faq/returns", "deny"])
    assert worse["accuracy"] == 0.6667
    assert worse["misses"] == [{"text": "danke", "expected": "thank", "predicted": "deny"}]
    assert verdict(active, active, 0.02)[0]
    assert not verdict(worse, active, 0.02)[0]
    assert verdict(worse, active, 0.5)[0]
    assert verdict(worse, None, 0.0)[0]


def test_held_out_phrasings_that_became_examples_are_left_out(tmp_path: Path) -> None:
    heldout = tmp_path / "heldout.yml"
    heldout.write_text("en:\n  greet: [hello there, Good Morning]\n  removed_intent: [x]\n")
    cases = load_cases(heldout, {"good morning"}, {"greet"})
    assert cases == [Case("en", "greet", "hello there")]


def test_retrieval_intents_count_by_their_sub_intent() -> None:
    parse = {
        "intent": {"name": "faq"},
        "response_selector": {"faq": {"response": {"intent_response_key": "faq/returns"}}},
    }
    assert predicted_intent(parse) == "faq/returns"
    assert predicted_intent({"intent": {"name": "greet"}}) == "greet"
    assert predicted_intent({}) == ""


def test_a_failed_training_switches_nothing(client: TestClient, admin_headers: dict, data_root: Path) -> None:
    # Rasa is not reachable at the configured address: the job fails before any training.
    (data_root / "models" / "CURRENT").write_text("assistant-before.tar.gz\n")
    assert client.post("/api/admin/training", headers=admin_headers).status_code == 202
    deadline = time.monotonic() + 60
    while (state := client.get("/api/admin/training", headers=admin_headers).json())["running"]:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert state["status"] == "failed" and "Rasa does not answer" in state["error"]
    assert (data_root / "models" / "CURRENT").read_text() == "assistant-before.tar.gz\n"
    assert sorted(p.name for p in (data_root / "models").iterdir()) == ["CURRENT"]
    assert state["switches"] == []
    # The lock is released: another attempt may start (and fails the same way).
    assert client.post("/api/admin/training", headers=admin_headers).status_code == 202
    while client.get("/api/admin/training", headers=admin_headers).json()["running"]:
        assert time.monotonic() < deadline + 60
        time.sleep(0.2)


@pytest.mark.parametrize("path", ["/api/admin/training/rollback"])
def test_rollback_without_history_is_refused(client: TestClient, admin_headers: dict, path: str) -> None:
    response = client.post(path, headers=admin_headers)
    assert response.status_code == 409 and "no earlier model" in response.json()["detail"]


def test_a_shorter_training_scales_every_components_epochs_in_the_snapshot_only(tmp_path) -> None:  # noqa: ANN001
    from admin.settings import REPOSITORY_ROOT
    from admin.training.epochs import scale_epochs

    original = (REPOSITORY_ROOT / "bot" / "config.yml").read_text("utf-8")
    snapshot = tmp_path / "config.yml"
    snapshot.write_text(original, "utf-8")
    scaled = scale_epochs(snapshot, 0.25)
    config = yaml.safe_load(snapshot.read_text("utf-8"))
    epochs = {step["name"]: step["epochs"] for step in config["pipeline"] if "epochs" in step}
    assert scaled == epochs and epochs["DIETClassifier"] == 8 and epochs["ResponseSelector"] == 8
    assert [step["name"] for step in config["pipeline"]] == [
        step["name"] for step in yaml.safe_load(original)["pipeline"]
    ]  # nothing else changes
    assert (REPOSITORY_ROOT / "bot" / "config.yml").read_text("utf-8") == original
    tiny = tmp_path / "tiny.yml"
    tiny.write_text("pipeline:\n- name: DIETClassifier\n  epochs: 2\npolicies: []\n", "utf-8")
    assert scale_epochs(tiny, 0.1) == {"DIETClassifier": 1}  # never zero epochs
