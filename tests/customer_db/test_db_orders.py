"""Orders: ownership, ordering, the delayed flag, and changing the delivery address."""

from datetime import timedelta
from decimal import Decimal

import pytest

from customer_db.records import EVENT_ADDRESS_CHANGED, ORDER_STATUSES


def test_list_orders_newest_first_with_items_and_events(db):
    orders = db.list_orders("C100001")
    assert [order.order_number for order in orders] == ["40010001", "40010011"]
    in_transit = orders[0]
    assert in_transit.status == "in_transit" and in_transit.carrier == "DHL"
    assert in_transit.tracking_number and in_transit.tracking_number.isdigit()
    assert in_transit.total == sum(item.line_total for item in in_transit.items)
    assert isinstance(in_transit.total, Decimal)
    times = [event.at for event in in_transit.events]
    assert times == sorted(times) and in_transit.events[0].status == "processing"


def test_on_time_parcel_is_not_delayed(db, now):
    order = db.get_order_for_customer("C100001", "40010001")
    assert order.is_dispatched and order.is_open and not order.is_delayed
    assert order.estimated_delivery == order.original_estimate >= now.date()


def test_delayed_parcel_has_a_new_estimate_three_days_later(db, now):
    order = db.get_order_for_customer("C100002", "40010002")
    assert order.status == "in_transit"
    assert order.is_delayed and order.delay_days == 3
    assert order.estimated_delivery == order.original_estimate + timedelta(days=3)
    assert order.estimated_delivery > now.date()


@pytest.mark.parametrize(
    "customer_id, order_number, status, dispatched",
    [
        ("C100001", "40010011", "delivered", True),
        ("C100002", "40010012", "processing", False),
        ("C100004", "40010004", "out_for_delivery", True),
    ],
)
def test_demo_order_statuses(db, customer_id, order_number, status, dispatched):
    order = db.get_order_for_customer(customer_id, order_number)
    assert order.status == status and order.is_dispatched is dispatched


@pytest.mark.parametrize("order_number", ["40010001", " 40010001 ", "#40010001", "4001 0001"])
def test_order_number_variants(db, order_number):
    assert db.get_order_for_customer("c100001", order_number).order_number == "40010001"


def test_another_customers_order_is_never_returned(db):
    assert db.get_order_for_customer("C100001", "40010002") is None
    assert db.get_order_for_customer("C100002", "40010001") is None
    assert db.get_order("40010002").customer_id == "C100002"  # internal look-up still finds it


@pytest.mark.parametrize(
    "customer_id, order_number",
    [
        ("C100001", ""),
        ("C100001", "4001000"),
        ("C100001", "50010001"),
        ("C100001", "40010001' OR 1=1 --"),
        ("C100001", "4" * 10_000),
        ("C100001", "40010001\x00"),
        ("", "40010001"),
        ("' OR 1=1 --", "40010001"),
        ("C100001' OR '1'='1", "40010002"),
    ],
)
def test_bad_order_lookups_return_none(db, customer_id, order_number):
    assert db.get_order_for_customer(customer_id, order_number) is None


@pytest.mark.parametrize("customer_id", ["", "C999999", "' OR 1=1 --", "x" * 10_000])
def test_list_orders_of_nobody_is_empty(db, customer_id):
    assert db.list_orders(customer_id) == []


def test_address_change_before_dispatch(db, now):
    new_address = "Flat 3, 9 Harbour Street, Bristol BS1 4QA, United Kingdom"
    result = db.change_delivery_address("c100002", "40010012", f"  {new_address} ", now=now)
    assert result.outcome == "changed"
    assert result.order.delivery_address == new_address
    last = result.order.events[-1]
    assert last.status == EVENT_ADDRESS_CHANGED and last.at == now
    assert db.get_order("40010012").delivery_address == new_address  # stored


def test_address_change_after_dispatch_is_refused(db):
    before = db.get_order("40010001")
    result = db.change_delivery_address("C100001", "40010001", "Neue Straße 1, 10115 Berlin")
    assert result.outcome == "already_dispatched"
    assert result.order.delivery_address == before.delivery_address
    assert db.get_order("40010001") == before  # nothing changed, no event added


def test_address_change_on_another_customers_order_is_not_found(db):
    before = db.get_order("40010012")
    result = db.change_delivery_address("C100001", "40010012", "Neue Straße 1, 10115 Berlin")
    assert (result.outcome, result.order) == ("not_found", None)
    assert db.get_order("40010012") == before


def _first_order_with_status(db, status):
    for number in range(1, 60):
        customer = db.get_customer(f"C{100000 + number:06d}")
        for order in db.list_orders(customer.customer_id) if customer else []:
            if order.status == status:
                return order
    raise AssertionError(f"no seeded order is {status}")


def test_address_change_on_a_cancelled_order_is_not_changeable(db):
    order = _first_order_with_status(db, "cancelled")
    result = db.change_delivery_address(order.customer_id, order.order_number, "Somewhere 1, 12345 Town")
    assert result.outcome == "not_changeable"


def test_address_change_on_a_packed_order(db):
    order = _first_order_with_status(db, "packed")
    result = db.change_delivery_address(order.customer_id, order.order_number, "Gartenweg 5, 50667 Köln")
    assert result.outcome == "changed"


@pytest.mark.parametrize(
    "address, message",
    [
        ("", "empty"),
        ("   ", "empty"),
        ("x" * 301, "300"),
        ("x" * 10_000, "300"),
        ("Harbour Street 9\nBristol", "control"),
        ("Harbour Street 9\x00", "control"),
        ("Harbour Street 9\u202e", "control"),
        (None, "text"),
    ],
)
def test_unusable_address_is_a_value_error_and_changes_nothing(db, address, message):
    before = db.get_order("40010012")
    with pytest.raises(ValueError, match=message):
        db.change_delivery_address("C100002", "40010012", address)
    assert db.get_order("40010012") == before


def test_address_of_exactly_300_characters_is_accepted(db):
    assert db.change_delivery_address("C100002", "40010012", "y" * 300).outcome == "changed"


def test_address_with_sql_is_stored_as_plain_text(db):
    text = "'; DROP TABLE orders; --"
    assert db.change_delivery_address("C100002", "40010012", text).order.delivery_address == text
    assert len(db.list_orders("C100001")) == 2


@pytest.mark.parametrize("order_number", ["", "' OR 1=1 --", "4" * 10_000])
def test_address_change_with_a_bad_order_number_is_not_found(db, order_number):
    assert db.change_delivery_address("C100002", order_number, "Street 1").outcome == "not_found"


def test_status_constant_lists_every_status_once():
    assert len(set(ORDER_STATUSES)) == len(ORDER_STATUSES) == 8
    assert "delayed" not in ORDER_STATUSES
