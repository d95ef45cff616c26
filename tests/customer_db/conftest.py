"""Fixtures: a fresh SQLite file per test, empty or holding the demo data seeded at ``NOW``."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from customer_db.seed import seed_database
from customer_db.sql import SqlCustomerConnector

# Every seeded date is relative to this moment; tests pass it (or moments after it) as ``now``.
NOW = datetime(2025, 3, 12, 10, 30, tzinfo=timezone.utc)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    """One database seeded at ``NOW``; tests get copies, which is much faster than seeding each time."""
    path = tmp_path_factory.mktemp("template") / "seeded.sqlite3"
    connector = SqlCustomerConnector(f"sqlite:///{path}")
    seed_database(connector, now=NOW)
    connector.close()  # the last connection closing folds the WAL journal into the file
    return path


@pytest.fixture
def make_connector(tmp_path, seeded_template) -> Iterator[Callable[..., SqlCustomerConnector]]:
    """Factory: ``make_connector(seeded=True, name="customers")`` → a connector on a temp file.

    The same ``name`` again gives a second connector on the same file (a "new session" of the
    app); ``seeded=False`` on a new name gives an empty database with the schema.
    """
    created: list[SqlCustomerConnector] = []

    def make(*, seeded: bool = True, name: str = "customers") -> SqlCustomerConnector:
        path = tmp_path / f"{name}.sqlite3"
        if seeded and not path.exists():
            shutil.copyfile(seeded_template, path)
        connector = SqlCustomerConnector(f"sqlite:///{path}")
        created.append(connector)
        connector.create_schema()
        return connector

    yield make
    for connector in created:
        connector.close()


@pytest.fixture
def db(make_connector) -> SqlCustomerConnector:
    """A connector on a freshly seeded database."""
    return make_connector()
