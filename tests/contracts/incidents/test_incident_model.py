"""The incident record: who an incident's scope affects, and every way an operator's input can be
wrong (contracts/incidents/model.py)."""

from __future__ import annotations

import pytest

from contracts.incidents.model import CustomerFacts, IncidentError, Scope, affecting, parse_incident

TEXTS = {
    "en": {"summary": "Parcels are late.", "advice": "Nothing to do.", "timeline": "Over by Friday."},
    "de": {"summary": "Pakete kommen später.", "advice": "Nichts zu tun.", "timeline": "Bis Freitag vorbei."},
}
MUNICH_DHL = CustomerFacts(
    country="DE", postcode="80331", carriers_on_the_way=frozenset({"DHL"}), skus=frozenset({"KIT-2250"})
)
BRISTOL = CustomerFacts(country="GB", postcode="BS6 5AB", carriers_on_the_way=frozenset({"Royal Mail"}))


@pytest.mark.parametrize(
    ("scope", "munich", "bristol"),
    [
        (Scope("everyone"), True, True),
        (Scope("carrier", ("dhl",)), True, False),
        (Scope("carrier", ("Royal Mail", "Evri")), False, True),
        (Scope("region", ("DE-8",)), True, False),
        (Scope("region", ("DE-1",)), False, False),
        (Scope("region", ("GB-BS6",)), False, True),
        (Scope("region", ("GB",)), False, True),
        (Scope("products", ("kit-2250",)), True, False),
    ],
)
def test_who_a_scope_affects(scope, munich, bristol):
    assert (scope.affects(MUNICH_DHL), scope.affects(BRISTOL)) == (munich, bristol)


def test_an_unknown_customer_hears_only_of_incidents_for_everyone():
    assert Scope("everyone").affects(None) and not Scope("carrier", ("DHL",)).affects(None)


def test_affecting_keeps_active_ones_newest_first():
    def incident(incident_id, updated_at, status="active"):
        return parse_incident(
            {
                "incident_id": incident_id,
                "status": status,
                "scope": {"kind": "everyone", "values": []},
                "texts": TEXTS,
                "updated_at": updated_at,
            }
        )

    found = affecting(
        [
            incident("inc-00000001", "2026-01-01"),
            incident("inc-00000002", "2026-02-01"),
            incident("inc-00000003", "2026-03-01", "closed"),
        ],
        None,
    )
    assert [i.incident_id for i in found] == ["inc-00000002", "inc-00000001"]


def test_text_is_tidied_and_a_missing_language_falls_back_to_english():
    incident = parse_incident(
        {
            "scope": {"kind": "region", "values": ["de-8", "DE-8"]},
            "texts": {**TEXTS, "en": {**TEXTS["en"], "summary": "  Parcels\n are   late. "}},
        }
    )
    assert incident.scope.values == ("DE-8",)
    assert incident.text("en").summary == "Parcels are late."
    assert incident.text("fr") == incident.text("en")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("not an object", "an incident is an object"),
        ({"scope": None, "texts": TEXTS}, "scope.kind"),
        ({"scope": {"kind": "carrier", "values": "DHL"}, "texts": TEXTS}, "scope.values: a list"),
        ({"scope": {"kind": "products", "values": ["<script>"]}, "texts": TEXTS}, "is not a product number"),
        (
            {"scope": {"kind": "carrier", "values": ["x"] * 2 + [f"C{i}" for i in range(60)]}, "texts": TEXTS},
            "at most 50",
        ),
        ({"scope": {"kind": "everyone"}, "texts": {**TEXTS, "fr": TEXTS["en"]}}, "unknown languages"),
        ({"scope": {"kind": "everyone"}, "texts": {**TEXTS, "de": {**TEXTS["de"], "extra": "x"}}}, "unknown fields"),
        (
            {"scope": {"kind": "everyone"}, "texts": {**TEXTS, "de": {**TEXTS["de"], "advice": "a\x00b"}}},
            "control characters",
        ),
        ({"scope": {"kind": "everyone"}, "texts": TEXTS, "status": "maybe"}, "status"),
        ({"scope": {"kind": "everyone"}, "texts": TEXTS, "incident_id": "../x"}, "incident_id"),
    ],
)
def test_every_problem_is_named(data, problem):
    with pytest.raises(IncidentError) as raised:
        parse_incident(data)
    assert any(problem in line for line in raised.value.problems), raised.value.problems


def test_all_problems_at_once():
    with pytest.raises(IncidentError) as raised:
        parse_incident({"scope": {"kind": "planet"}, "texts": {"en": {"summary": "<b>x</b>"}}})
    assert len(raised.value.problems) >= 4  # kind, HTML, empty advice and timeline, missing German
