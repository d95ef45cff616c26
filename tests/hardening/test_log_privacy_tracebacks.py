"""An exception whose text carries an e-mail address or a card number comes out masked in every
service's log file: logged with its traceback, printed, or not caught at all.

Each case runs as the launcher runs that service: its interpreter, the environment of its spec
(launcher/services.py) and its log file (stdout and stderr both). The avatar bridge and the
handoff service run their real entry point (`python -m ...`) with uvicorn's `run` replaced by a
function that fails the ways a request handler can, after setting up uvicorn's own logging as the
real `run` does; the Rasa processes get the masking from common/site/sitecustomize.py, so any
script in their environment shows it.
"""

from __future__ import annotations

import dataclasses
import sys
import textwrap
from pathlib import Path

import pytest

from launcher.process import ManagedProcess, ServiceSpec
from launcher.services import action_server_spec, avatar_bridge_spec, handoff_spec
from launcher.settings import LauncherSettings

EMAIL = "jane.doe@example.com"
CARD = "4111 1111 1111 1111"
SECRET_TEXT = f"order for {EMAIL} paid with {CARD}"

FAILURES = textwrap.dedent(f"""
    import logging, sys

    def fail_like_a_handler():
        try:
            raise ValueError({SECRET_TEXT!r})
        except ValueError:
            logging.getLogger("uvicorn.error").exception("request failed for %s", {EMAIL!r})
        logging.getLogger("stack").warning("where", stack_info=True)
        print("printed:", {SECRET_TEXT!r})
        print({EMAIL[:5]!r}, end="", flush=True)  # one address written in two pieces
        print({EMAIL[5:]!r}, file=sys.stdout)
        raise RuntimeError("nobody caught " + {SECRET_TEXT!r})
""")

ENTRY_POINT = FAILURES + textwrap.dedent("""
    import logging.config, runpy, uvicorn
    from uvicorn.config import LOGGING_CONFIG

    def fake_run(app, **options):
        logging.config.dictConfig(LOGGING_CONFIG)  # what uvicorn.run does first
        fail_like_a_handler()

    uvicorn.run = fake_run
    runpy.run_module(sys.argv[1], run_name="__main__")
""")

RASA_ENV = FAILURES + textwrap.dedent("""
    logging.basicConfig(level="INFO")  # Rasa and Sanic set up their handlers after start-up
    fail_like_a_handler()
""")


@pytest.fixture
def settings(tmp_path: Path) -> LauncherSettings:
    return LauncherSettings.from_env(var_dir=tmp_path)


def _run_as_service(spec: ServiceSpec, command: list[str], log_dir: Path) -> str:
    process = ManagedProcess(dataclasses.replace(spec, command=command), log_dir)
    process.start()
    process._process.wait(timeout=120)  # type: ignore[union-attr]
    assert process.exit_code == 1  # the uncaught exception ended it
    return process.log_path.read_text()


@pytest.mark.parametrize("service", ["avatar_bridge", "handoff"])
def test_our_services_mask_tracebacks_prints_and_uncaught_exceptions(
    service: str, settings: LauncherSettings, tmp_path: Path
) -> None:
    spec = {"avatar_bridge": avatar_bridge_spec, "handoff": handoff_spec}[service](settings)
    log = _run_as_service(spec, [sys.executable, "-c", ENTRY_POINT, service], tmp_path / "log")
    _assert_masked(log)


def test_the_rasa_processes_mask_tracebacks_prints_and_uncaught_exceptions(
    settings: LauncherSettings, tmp_path: Path
) -> None:
    rasa_python = settings.root / ".venv-rasa" / "bin" / "python"
    if not rasa_python.exists():
        pytest.fail(".venv-rasa is missing: run `make setup`")
    # Rasa and the action server share this environment (launcher/services.py _service_env).
    spec = action_server_spec(settings)
    log = _run_as_service(spec, [str(rasa_python), "-c", RASA_ENV], tmp_path / "log")
    _assert_masked(log)


def _assert_masked(log: str) -> None:
    assert EMAIL not in log and "jane.doe" not in log and "4111" not in log, log
    assert "example.com" not in log, log
    # What happened is still there, only without the personal data.
    assert "request failed for [email]" in log, log
    assert "ValueError: order for [email] paid with [card]" in log, log
    assert "Stack (most recent call last)" in log, log
    assert "printed: order for [email] paid with [card]" in log, log
    assert "RuntimeError: nobody caught order for [email] paid with [card]" in log, log
