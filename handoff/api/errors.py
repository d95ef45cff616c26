"""Turning service errors into HTTP answers at the edge."""

from contextlib import contextmanager
from collections.abc import Iterator

from fastapi import HTTPException

from handoff.queue.service import HandoffError


@contextmanager
def as_http() -> Iterator[None]:
    try:
        yield
    except HandoffError as error:
        raise HTTPException(error.status, error.message) from None
