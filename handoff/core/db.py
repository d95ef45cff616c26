"""SQL storage: users, outcomes and whatever other modules declare on ``Base``.

SQLite by default, any SQLAlchemy URL (PostgreSQL) in production. Sessions are synchronous:
use them from ``def`` endpoints (FastAPI runs those in a worker thread) or ``asyncio.to_thread``.
"""

import importlib
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.orm import DeclarativeBase, sessionmaker

# Every module that declares tables; create_schema imports them so all tables exist.
MODEL_MODULES = (
    "handoff.auth.models",
    "handoff.outcomes.model",
)


class Base(DeclarativeBase):
    pass


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # noqa: ANN001
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False)


def import_models() -> None:
    for name in MODEL_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as error:
            # Modules of parts not written yet (e.g. the admin console) are optional.
            if error.name != name:
                raise


def create_schema(engine: Engine) -> None:
    import_models()
    Base.metadata.create_all(engine)
    add_missing_columns(engine)


def add_missing_columns(engine: Engine) -> None:
    """Adds columns that a newer version declared to tables an older one created.

    The project has no migration tool; its later columns are all nullable, so adding them is
    enough for a database from an earlier release to keep working (readers treat NULL as empty).
    """
    inspector = inspect(engine)
    with engine.begin() as connection:
        for table in Base.metadata.sorted_tables:
            if not inspector.has_table(table.name):
                continue
            present = {column["name"] for column in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name in present:
                    continue
                if not column.nullable:
                    raise RuntimeError(f"{table.name}.{column.name}: a new column must be nullable")
                kind = column.type.compile(dialect=engine.dialect)
                connection.execute(text(f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}'))
