"""`make run-cluster` restarts a crashed instance with exponential backoff (launcher/restarts.py).

The schedule is checked with clock values passed in, so nothing sleeps; the restarter is driven
with a real process that crashes at once."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from launcher.cluster import with_current_model
from launcher.process import ManagedProcess, ServiceSpec
from launcher.restarts import InstanceRestarter, RestartBackoff
from launcher.settings import LauncherSettings


def test_each_crash_in_a_row_doubles_the_wait_up_to_the_cap() -> None:
    backoff = RestartBackoff(base_s=1, cap_s=30, stable_s=60)
    now, waits = 0.0, []
    for _ in range(8):
        waits.append(backoff.crashed("rasa-1", now))
        now += waits[-1]
        assert backoff.due("rasa-1", now) and not backoff.due("rasa-1", now - 0.01)
        backoff.restarted("rasa-1", now)
        now += 0.5  # it crashes again half a second after each start
    assert waits == [1, 2, 4, 8, 16, 30, 30, 30]


def test_an_instance_that_stayed_up_starts_from_the_shortest_wait_again() -> None:
    backoff = RestartBackoff(base_s=2, cap_s=60, stable_s=60)
    assert backoff.crashed("bridge-1", 0) == 2
    backoff.restarted("bridge-1", 2)
    assert backoff.crashed("bridge-1", 10) == 4  # up for 8 s only
    backoff.restarted("bridge-1", 14)
    assert backoff.crashed("bridge-1", 14 + 60) == 2  # up for a minute: a new story
    # Instances are counted separately.
    assert backoff.crashed("bridge-2", 100) == 2


@pytest.mark.parametrize("bad", [{"base_s": 0}, {"base_s": 5, "cap_s": 1}, {"stable_s": 0}])
def test_a_nonsensical_schedule_is_refused(bad: dict) -> None:
    with pytest.raises(ValueError):
        RestartBackoff(**bad)


def test_the_restarter_waits_before_starting_a_crashed_process_again(tmp_path: Path) -> None:
    spec = ServiceSpec(name="action-server-2", command=["sh", "-c", "echo cannot bind; exit 3"], cwd=tmp_path)
    process = ManagedProcess(spec, tmp_path / "log")
    process.start()
    process._process.wait(timeout=10)  # type: ignore[union-attr]  (a crash right at start-up)
    lines: list[str] = []
    refreshed: list[str] = []
    restarter = InstanceRestarter(
        RestartBackoff(base_s=1, cap_s=8), lines.append, lambda p: refreshed.append(p.spec.name)
    )

    assert restarter.step([process], now=100.0) == []  # scheduled, not started
    first_pid = process.pid
    assert "action-server-2 stopped unexpectedly (exit code 3); restart #1 in 1 s" in lines[0]
    assert "cannot bind" in lines[0]  # the log's end is shown
    assert restarter.step([process], now=100.5) == [] and process.pid == first_pid
    assert restarter.step([process], now=101.0) == [process]
    assert process.pid != first_pid and refreshed == ["action-server-2"]
    assert "action-server-2 restarted" in lines[-1]

    process._process.wait(timeout=10)  # type: ignore[union-attr]  (it crashes again)
    restarter.step([process], now=101.5)
    assert "restart #2 in 2 s" in lines[-1]
    assert restarter.step([process], now=103.0) == []
    assert len(restarter.step([process], now=103.5)) == 1
    process._process.wait(timeout=10)  # type: ignore[union-attr]


def test_a_restarted_rasa_server_loads_the_model_models_current_names_now(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "CURRENT").write_text("assistant-new.tar.gz\n")
    settings = LauncherSettings.from_env(root=tmp_path, var_dir=tmp_path / "var")
    spec = ServiceSpec(
        name="rasa-1", command=["rasa", "run", "--model", "/old/assistant-old.tar.gz", "--port", "1"], cwd=tmp_path
    )
    assert with_current_model(spec, settings).command == [
        "rasa",
        "run",
        "--model",
        str(tmp_path / "models" / "assistant-new.tar.gz"),
        "--port",
        "1",
    ]
    other = dataclasses.replace(spec, name="action-server-1", command=["rasa", "run", "actions"])
    assert with_current_model(other, settings) is other
