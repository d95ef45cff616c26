"""common/log_privacy.py: personal data never reaches a log line; our own ids stay readable."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from common.log_privacy import PrivacyFilter, luhn_valid, mask

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to anna.schmidt+shop@example.co.uk please", "write to [email] please"),
        ("card 4111 1111 1111 1111 exp 12/29", "card [card] exp 12/29"),
        ("card 5555-5555-5555-4444", "card [card]"),
        ("GET /healthz?contact=lena.h2%40example.org&x=1", "GET /healthz?contact=[email]&x=1"),
        ("amex 378282246310005.", "amex [card]."),
        ("call +49 30 1234567 or (030) 123 4567 or 0044 20 7946 0958", "call [phone] or [phone] or [phone]"),
    ],
)
def test_personal_data_is_masked(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "order 40010002 for customer C100001 is delayed",
        "card-like but not Luhn: 4111111111111112",
        "at 2026-11-22 06:40:01,123 on 127.0.0.1:8765 took 1732258000123 us",
        "session 3fa85f64-5717-4562-b3fc-2c963f66afa6 seq 12 of 200",
        "handoff h-1 queued as 1763802000101-0",  # a Redis stream id whose digits pass the Luhn check
    ],
)
def test_our_own_identifiers_and_ordinary_numbers_stay(text: str) -> None:
    assert mask(text) == text


def test_luhn() -> None:
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")


def test_the_filter_masks_message_and_arguments_keeping_their_shape() -> None:
    # uvicorn's access log reads its arguments by position: (client, method, path, version, status).
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/x?mail=a@b.de&card=4111111111111111", "1.1", 200),
        None,
    )
    assert PrivacyFilter().filter(record) is True
    assert record.args[2] == "/x?mail=[email]&card=[card]" and record.args[4] == 200
    assert record.getMessage() == '127.0.0.1:5000 - "GET /x?mail=[email]&card=[card] HTTP/1.1" 200'


def test_installed_every_record_of_every_logger_is_masked(tmp_path: Path) -> None:
    """In a fresh process (install() changes the process-wide record factory), with handlers
    configured after install() as frameworks do."""
    script = (
        "import logging, sys\n"
        "from common.log_privacy import install\n"
        "install(); install()\n"
        "logging.basicConfig(stream=sys.stdout, level=logging.INFO, format='%(name)s %(message)s')\n"
        "logging.getLogger('a.b').info('user %s wrote %r', 'x@example.com', {'card': '4111 1111 1111 1111'})\n"
        "logging.getLogger('sanic.access').warning('phone +44 20 7946 0958, order 40010002')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT)},
    ).stdout
    assert "example.com" not in out and "4111" not in out and "7946" not in out
    assert "a.b user [email] wrote" in out and "[card]" in out and "[phone], order 40010002" in out


def test_the_rasa_processes_pick_it_up_through_sitecustomize() -> None:
    """The launcher puts common/site on PYTHONPATH of Rasa and the action server (.venv-rasa)."""
    rasa_python = ROOT / ".venv-rasa" / "bin" / "python"
    if not rasa_python.exists():
        pytest.fail(".venv-rasa is missing: run `make setup`")
    script = "import logging; logging.basicConfig(level='INFO'); logging.getLogger('rasa').info('mail a@b.org')"
    result = subprocess.run(
        [str(rasa_python), "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": f"{ROOT}:{ROOT / 'common' / 'site'}"},
    )
    assert "INFO:rasa:mail [email]" in result.stderr


def test_install_is_not_done_at_import_time() -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import logging, common.log_privacy as p; print(getattr(logging.getLogRecordFactory(), '_privacy', False))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT)},
    ).stdout
    assert out.strip() == "False"
