"""Personal data masked in every log record (docs/operations.md "Masking").

Masks e-mail addresses, phone numbers and card-like numbers (13-19 digits, spaces or dashes
allowed, Luhn-valid), and secrets: the value of a query parameter or field named like a credential
(token, secret, password, ...), a bearer token, and anything shaped like a JWT. Our own identifiers
stay readable: 8-digit order numbers (40010002) and
customer ids (C100001) are too short to be either.

`install()` wraps the log record factory, so every record of every logger is masked when it is
created, whatever handlers a framework (uvicorn, Sanic, Rasa) configures later: the message, its
arguments, the traceback of a logged exception (rendered and masked right away, because an
exception's own text often carries what the customer typed) and the stack text. It also puts a
masking writer in front of stdout and stderr, for what bypasses logging: `print`, warnings and
the traceback of an exception nobody caught. `PrivacyFilter` masks records as a
`logging.Filter`, for a dictConfig (`()`: common.log_privacy.PrivacyFilter).
Standard library only: the Rasa processes load it too (common/site/sitecustomize.py).
"""

from __future__ import annotations

import atexit
import logging
import re
import sys
import threading

EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"
CARD_MASK = "[card]"
SECRET_MASK = "[secret]"

# `token=abc`, `access_token: abc`, `"password": "abc"`: what follows a credential's name.
_SECRET_FIELD = re.compile(
    r"""(?i)(\b[\w-]*(?:token|secret|password|passwd|api[_-]?key|jwt)["']?\s*[=:]\s*["']?)([^\s&"',;}]+)"""
)
_BEARER = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]+")
# header.payload.signature, each base64url; the first two start with "eyJ" ('{"').
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")

# Also URL-encoded (%40), as in a logged query string.
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+(?:@|%40)[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# 13-19 digits, optionally grouped by single spaces or dashes, not part of a longer number.
_CARD = re.compile(r"(?<![\d\w])\d(?:[ \-]?\d){12,18}(?![\d\w])")
# A phone number: an optional +country code, then digits in groups (spaces, dashes, dots,
# brackets); 9 to 15 digits in all. Checked after cards, so card numbers are never phones.
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d\s\-./()]{7,}\d(?![\w])")
_MIN_PHONE_DIGITS = 9


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


# A Redis stream entry id (millisecond time, dash, sequence): logged often, never a card.
_STREAM_ID = re.compile(r"\d{13}-\d{1,4}")


def _card(match: re.Match[str]) -> str:
    if _STREAM_ID.fullmatch(match.group(0)):
        return match.group(0)
    digits = re.sub(r"\D", "", match.group(0))
    return CARD_MASK if 13 <= len(digits) <= 19 and luhn_valid(digits) else match.group(0)


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = re.sub(r"\D", "", text)
    if len(digits) < _MIN_PHONE_DIGITS or len(digits) > 15:
        return text
    # Only numbers dialled as phone numbers: with + / 00 or a trunk 0, e.g. +49 30 1234567,
    # (030) 1234567, 0170-1234567. A bare long number or a date (2026-11-22 06) is left alone.
    if not text.lstrip("(").startswith(("+", "0")):
        return text
    return PHONE_MASK


def mask(text: str) -> str:
    """The text with secrets, e-mail addresses, card-like numbers and phone numbers replaced."""
    if not text:
        return text
    text = _JWT.sub(SECRET_MASK, text)
    text = _BEARER.sub(lambda match: match.group(1) + SECRET_MASK, text)
    text = _SECRET_FIELD.sub(lambda match: match.group(1) + SECRET_MASK, text)
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _CARD.sub(_card, text)
    return _PHONE.sub(_phone, text)


def _mask_value(value: object) -> object:
    return mask(value) if isinstance(value, str) else value


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Masks the record in place: its message and its arguments (their shape is kept, as
    formatters such as uvicorn's access log read them by position)."""
    if getattr(record, "_privacy_masked", False):
        return record
    if isinstance(record.msg, str):
        record.msg = mask(record.msg)
    elif record.msg is not None and not isinstance(record.msg, (int, float)):
        record.msg = mask(str(record.msg))
    if isinstance(record.args, tuple):
        record.args = tuple(_mask_value(arg) if isinstance(arg, str) else _masked_other(arg) for arg in record.args)
    elif isinstance(record.args, dict):
        record.args = {key: _mask_value(value) for key, value in record.args.items()}
    if record.exc_info and not record.exc_text:
        record.exc_text = _TRACEBACK_FORMATTER.formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask(record.exc_text)
        # Formatters append exc_text as it is; without exc_info none can render the raw text again.
        record.exc_info = None
    if record.stack_info:
        record.stack_info = mask(record.stack_info)
    record._privacy_masked = True
    return record


_TRACEBACK_FORMATTER = logging.Formatter()


def _masked_other(value: object) -> object:
    # Numbers keep their type (a %d format needs it); anything else is rendered and masked.
    if value is None or isinstance(value, (int, float, bool)):
        return value
    if isinstance(value, (bytes, bytearray)):
        return mask(bytes(value).decode("utf-8", "replace"))
    return mask(str(value))


class PrivacyFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


class MaskedStream:
    """A text stream that masks what is written to it, a line at a time (a number or an address
    written in pieces is masked once its line is complete). Everything else is the wrapped stream's."""

    # Text without a newline is passed on after this many characters anyway.
    _MAX_PENDING = 8192

    def __init__(self, stream: object) -> None:
        self._stream = stream
        self._pending = ""
        self._lock = threading.Lock()

    @property
    def wrapped(self) -> object:
        return self._stream

    def write(self, text: str) -> int:
        with self._lock:
            self._pending += text
            complete, newline, rest = self._pending.rpartition("\n")
            if newline:
                self._pending = rest
                self._stream.write(mask(complete + newline))  # type: ignore[attr-defined]
            if len(self._pending) > self._MAX_PENDING:
                self._stream.write(mask(self._pending))  # type: ignore[attr-defined]
                self._pending = ""
        return len(text)

    def writelines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        with self._lock:
            if self._pending:
                self._stream.write(mask(self._pending))  # type: ignore[attr-defined]
                self._pending = ""
        self._stream.flush()  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:  # fileno, isatty, encoding, buffer, ...
        return getattr(self._stream, name)


def _mask_standard_streams() -> None:
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, MaskedStream):
            masked = MaskedStream(stream)
            setattr(sys, name, masked)
            atexit.register(_flush_quietly, masked)


def _flush_quietly(stream: MaskedStream) -> None:
    try:
        stream.flush()
    except (ValueError, OSError):  # the stream underneath was closed first
        pass


def install() -> None:
    """Masks every record created in this process from now on, and stdout and stderr (idempotent)."""
    _mask_standard_streams()
    current = logging.getLogRecordFactory()
    if getattr(current, "_privacy", False):
        return

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        return mask_record(current(*args, **kwargs))

    factory._privacy = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
