"""Finding customers by e-mail or customer number, and what junk input does."""

import pytest

from customer_db import SqlCustomerConnector

SQL_FRAGMENTS = [
    "' OR 1=1 --",
    "anna.schmidt@example.de' OR '1'='1",
    "x@example.de'; DROP TABLE customers; --",
    "C100001' --",
    "%@example.de",
    "C10000%",
]
JUNK = [
    "",
    "   ",
    "x" * 10_000,
    "anna.schmidt@example.de" + "x" * 10_000,
    "anna.schmidt@example.de\x00",
    "C100001\x00",
    "anna\u202e.schmidt@example.de",
    "C1000011",
    "C10001",
    "100001",
    "@example.de",
    "anna.schmidt@",
]


@pytest.mark.parametrize(
    "identifier",
    [
        "anna.schmidt@example.de",
        "  Anna.Schmidt@Example.DE  ",
        "ANNA.SCHMIDT@EXAMPLE.DE",
        "C100001",
        "c100001",
        " \tC100001\n",
    ],
)
def test_find_customer_by_email_or_number_ignores_case_and_whitespace(db, identifier):
    customer = db.find_customer(identifier)
    assert customer is not None
    assert customer.customer_id == "C100001"
    assert customer.display_name == "Anna Schmidt"
    assert customer.masked_email == "a***@example.de"


@pytest.mark.parametrize("identifier", ["nobody@example.de", "C999999", "anna.schmidt@example.com"])
def test_find_customer_unknown_is_none(db, identifier):
    assert db.find_customer(identifier) is None


@pytest.mark.parametrize("identifier", SQL_FRAGMENTS + JUNK)
def test_find_customer_junk_is_none_not_a_crash(db, identifier):
    assert db.find_customer(identifier) is None


@pytest.mark.parametrize("identifier", [None, 100001, b"C100001", ["C100001"]])
def test_find_customer_non_text_is_none(db, identifier):
    assert db.find_customer(identifier) is None


@pytest.mark.parametrize("customer_id", ["C100002", "c100002", " C100002 "])
def test_get_customer_by_number(db, customer_id):
    assert db.get_customer(customer_id).email == "james.carter@example.com"


@pytest.mark.parametrize("customer_id", SQL_FRAGMENTS + JUNK + ["james.carter@example.com"])
def test_get_customer_rejects_anything_but_a_customer_number(db, customer_id):
    assert db.get_customer(customer_id) is None


def test_junk_input_leaves_the_tables_intact(db):
    for identifier in SQL_FRAGMENTS:
        db.find_customer(identifier)
        db.verify_customer(identifier, "0000")
    assert db.find_customer("C100001") is not None
    assert len(db.list_orders("C100001")) == 2


def test_creating_a_connector_does_not_touch_the_database(tmp_path):
    target = tmp_path / "not-yet" / "customers.sqlite3"
    connector = SqlCustomerConnector(f"sqlite:///{target}")
    assert not target.parent.exists()
    connector.close()


def test_in_memory_database_is_shared_between_threads():
    import threading

    connector = SqlCustomerConnector("sqlite://")
    connector.create_schema()
    seen = []
    thread = threading.Thread(target=lambda: seen.append(connector.find_customer("C100001")))
    thread.start()
    thread.join()
    assert seen == [None]  # the tables exist in the other thread too (no "no such table" error)
    connector.close()


def test_package_reads_no_environment_variables():
    from pathlib import Path

    import customer_db

    for source in Path(customer_db.__file__).parent.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "os.environ" not in text and "getenv" not in text, source.name
