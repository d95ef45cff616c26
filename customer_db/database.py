"""Engine and session set-up for any SQLAlchemy URL, tuned for SQLite when that is what we get.

SQLite notes (the default store, used from the action server's worker threads):
- ``check_same_thread=False`` plus a connection pool: a pooled connection is only ever used by one
  thread at a time, the pool hands them out. An in-memory database uses one shared connection
  instead, since every new connection would otherwise see its own empty database.
- WAL journal: readers do not wait for a writer.
- pysqlite starts transactions lazily, on the first write, which lets two read-then-write
  transactions deadlock. We emit ``BEGIN`` ourselves, and ``BEGIN IMMEDIATE`` for sessions that
  will write, so writers queue up (waiting up to ``SQLITE_BUSY_TIMEOUT_SECONDS``) instead of failing.
"""

from __future__ import annotations

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool, StaticPool

SQLITE_BUSY_TIMEOUT_SECONDS = 30
SQLITE_POOL_SIZE = 5
SQLITE_POOL_OVERFLOW = 5
# Execution option marking connections of sessions that write (see module docstring).
_WRITE_INTENT = "customer_db_write_intent"


def _is_sqlite_memory(url: URL) -> bool:
    database = url.database or ""
    return database in ("", ":memory:") or url.query.get("mode") == "memory"


def create_engine_for(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url``; nothing connects until the first query."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # Connections to a server can die while idle in the pool (restarts, firewalls).
        return create_engine(parsed, echo=echo, future=True, pool_pre_ping=True)

    in_memory = _is_sqlite_memory(parsed)
    pool_options = (
        {"poolclass": StaticPool}
        if in_memory
        else {"poolclass": QueuePool, "pool_size": SQLITE_POOL_SIZE, "max_overflow": SQLITE_POOL_OVERFLOW}
    )
    engine = create_engine(
        parsed,
        echo=echo,
        future=True,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
        **pool_options,
    )

    @event.listens_for(engine, "connect")
    def _configure_sqlite_connection(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we send BEGIN ourselves, see _begin
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        writes = connection.get_execution_options().get(_WRITE_INTENT, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


def reader_sessions(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)


def writer_sessions(engine: Engine) -> sessionmaker:
    """Sessions for transactions that will write: on SQLite they take the write lock up front."""
    return sessionmaker(bind=engine.execution_options(**{_WRITE_INTENT: True}), future=True, expire_on_commit=False)
