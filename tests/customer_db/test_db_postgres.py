"""The same connector against PostgreSQL (docker-compose's database).

Runs only when CUSTOMER_DB_TEST_POSTGRES_URL names a server, e.g.
``postgresql+psycopg2://user:password@localhost:5432/dbname``. The test works in a schema of its
own, created and dropped again, so it leaves the database's other tables alone.
"""

import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from customer_db.seed import seed_database
from customer_db.sql import SqlCustomerConnector

POSTGRES_URL_VARIABLE = "CUSTOMER_DB_TEST_POSTGRES_URL"


@pytest.fixture
def pg(now):
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set: no PostgreSQL server to test against")
    schema = f"customer_db_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = create_engine(url, future=True)
    except ModuleNotFoundError as missing:
        pytest.skip(f"no PostgreSQL driver in this environment ({missing})")
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    connector = SqlCustomerConnector(scoped.render_as_string(hide_password=False))
    try:
        seed_database(connector, now=now)
        yield connector
    finally:
        connector.close()
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def test_postgres_end_to_end(pg, now):
    assert pg.find_customer("  ANNA.Schmidt@example.de ").customer_id == "C100001"
    assert pg.find_customer("' OR 1=1 --") is None

    for _ in range(3):
        pg.verify_customer("C100001", "0000", now=now)
    assert not pg.verify_customer("C100001", "4821", now=now + timedelta(minutes=29)).verified
    assert pg.verify_customer("C100001", "4821", now=now + timedelta(minutes=31)).verified

    assert pg.get_order_for_customer("C100001", "40010002") is None
    delayed = pg.get_order_for_customer("C100002", "40010002")
    assert delayed.is_delayed and delayed.delay_days == 3 and delayed.placed_at.tzinfo is not None
    assert pg.change_delivery_address("C100002", "40010012", "Harbour Street 9, Bristol").outcome == "changed"
    assert pg.change_delivery_address("C100001", "40010001", "Anywhere 1").outcome == "already_dispatched"

    assert pg.account_summary("C100003", now=now).balance == Decimal("135.40")

    link = pg.create_password_reset("C100002", "https://shop.example.com/reset", now=now)
    token = parse_qs(urlsplit(link.url).query)["token"][0]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: pg.consume_password_reset(token, now=now), range(4)))
    assert results.count("C100002") == 1
    assert pg.outbox("C100002")[0].body.startswith("Hello James,")

    pg.record_contact(
        "C100004",
        conversation_id="conv",
        channel="chat",
        summary="Test.",
        outcome="resolved",
        handled_by="bot",
        started_at=now,
    )
    assert pg.list_contacts("C100004")[0].started_at == now
    assert not seed_database(pg, now=now).seeded


def test_postgres_concurrent_failures_are_all_counted(pg, now):
    with ThreadPoolExecutor(max_workers=5) as pool:
        results = list(pool.map(lambda _: pg.verify_customer("nobody@example.org", "0000", now=now), range(5)))
    assert sorted(r.failures for r in results if not r.locked) == [1, 2]
