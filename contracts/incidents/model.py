"""An incident: what happened, whom it affects, what customers can do, when it should be over.

    incident = parse_incident(data)          # IncidentError with every problem when invalid
    incident.scope.affects(facts)            # does it concern this customer?
    incident.text("de").summary

Every text is plain text in both languages (the assistant speaks it, so no markup), at most
`MAX_TEXT_CHARS` characters. A scope is one of:
- ``everyone``: every customer (values empty);
- ``carrier``: customers with an order on its way with one of these carriers ("DHL");
- ``region``: customers whose address is in one of these regions: a country code ("DE") or a
  country code and the start of a postcode ("DE-8" for postcodes 8xxxx in Germany);
- ``products``: customers who ordered one of these products (SKUs), delivered or not: a recall
  concerns what people already have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

LANGUAGES = ("en", "de")
TEXT_FIELDS = ("summary", "advice", "timeline")
SCOPE_KINDS = ("everyone", "carrier", "region", "products")
STATUSES = ("active", "closed")
MAX_TEXT_CHARS = 600
MAX_SCOPE_VALUES = 50
MAX_ID_CHARS = 40

_SCOPE_VALUE = {
    "carrier": re.compile(r"^[A-Za-z0-9][A-Za-z0-9 &.\-]{0,39}$"),
    "region": re.compile(r"^[A-Z]{2}(-[0-9A-Z]{1,10})?$"),
    "products": re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,39}$"),
}
_SCOPE_HINT = {
    "carrier": "a carrier's name such as DHL",
    "region": 'a country code ("DE") or a country code and the start of a postcode ("DE-8")',
    "products": "a product number (SKU) such as HOME-1042",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
INCIDENT_ID = re.compile(r"^inc-[0-9a-f]{8,32}$")


class IncidentError(ValueError):
    """What is wrong with an incident as given, one line per problem."""

    def __init__(self, problems: List[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class CustomerFacts:
    """What a scope is matched against: the customer's address and orders."""

    country: str = ""
    postcode: str = ""
    carriers_on_the_way: frozenset = frozenset()  # carriers of orders not yet delivered
    skus: frozenset = frozenset()  # every product the customer ordered


@dataclass(frozen=True)
class Scope:
    kind: str
    values: Tuple[str, ...] = ()

    def affects(self, facts: Optional[CustomerFacts]) -> bool:
        """Everyone-incidents affect anyone; the others need a known customer who matches."""
        if self.kind == "everyone":
            return True
        if facts is None:
            return False
        if self.kind == "carrier":
            wanted = {value.casefold() for value in self.values}
            return any(carrier.casefold() in wanted for carrier in facts.carriers_on_the_way)
        if self.kind == "products":
            wanted = {value.upper() for value in self.values}
            return any(sku.upper() in wanted for sku in facts.skus)
        if self.kind == "region":
            postcode = re.sub(r"\s", "", facts.postcode).upper()
            for value in self.values:
                country, _, prefix = value.partition("-")
                if country == facts.country.upper() and postcode.startswith(prefix):
                    return True
        return False

    def to_dict(self) -> Dict[str, Any]:
        return {"kind": self.kind, "values": list(self.values)}


@dataclass(frozen=True)
class IncidentText:
    summary: str  # what happened
    advice: str  # what customers can do
    timeline: str  # when it should be resolved, or when the next update comes

    def to_dict(self) -> Dict[str, str]:
        return {"summary": self.summary, "advice": self.advice, "timeline": self.timeline}


@dataclass(frozen=True)
class Incident:
    incident_id: str
    version: int
    status: str
    scope: Scope
    texts: Mapping[str, IncidentText]
    created_at: str = ""
    updated_at: str = ""
    updated_by: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.status == "active"

    @property
    def marker(self) -> str:
        """Identifies this wording: a conversation told version 2 has not heard version 3."""
        return f"{self.incident_id}@{self.version}"

    def text(self, language: str) -> IncidentText:
        return self.texts.get(language) or self.texts["en"]

    def to_dict(self) -> Dict[str, Any]:
        return {
            "incident_id": self.incident_id,
            "version": self.version,
            "status": self.status,
            "scope": self.scope.to_dict(),
            "texts": {language: self.texts[language].to_dict() for language in LANGUAGES},
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "updated_by": self.updated_by,
        }


def _plain_text(value: Any, where: str, problems: List[str]) -> str:
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: must be text, not empty")
        return ""
    text = " ".join(value.split())
    if len(text) > MAX_TEXT_CHARS:
        problems.append(f"{where}: at most {MAX_TEXT_CHARS} characters (this has {len(text)})")
    if "<" in text or ">" in text:
        problems.append(f"{where}: plain text only (no HTML or angle brackets)")
    if _CONTROL.search(value):
        problems.append(f"{where}: contains control characters")
    return text


def parse_texts(data: Any, problems: List[str]) -> Dict[str, IncidentText]:
    if not isinstance(data, Mapping):
        problems.append("texts: must give " + " and ".join(LANGUAGES))
        return {}
    unknown = set(data) - set(LANGUAGES)
    if unknown:
        problems.append(f"texts: unknown languages {sorted(map(str, unknown))}")
    texts = {}
    for language in LANGUAGES:
        entry = data.get(language)
        if not isinstance(entry, Mapping):
            problems.append(f"texts.{language}: missing (every incident is told in {' and '.join(LANGUAGES)})")
            continue
        extra = set(entry) - set(TEXT_FIELDS)
        if extra:
            problems.append(f"texts.{language}: unknown fields {sorted(map(str, extra))}")
        values = [_plain_text(entry.get(name), f"texts.{language}.{name}", problems) for name in TEXT_FIELDS]
        texts[language] = IncidentText(*values)
    return texts


def parse_scope(data: Any, problems: List[str]) -> Scope:
    if not isinstance(data, Mapping) or data.get("kind") not in SCOPE_KINDS:
        problems.append(f"scope.kind: one of {', '.join(SCOPE_KINDS)}")
        return Scope("everyone")
    kind = data["kind"]
    values = data.get("values", [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        problems.append("scope.values: a list of names")
        return Scope(kind)
    normal = (v.strip().upper() if kind == "region" else v.strip() for v in values)
    cleaned = tuple(dict.fromkeys(v for v in normal if v))
    if kind == "everyone":
        if cleaned:
            problems.append("scope.values: an incident for everyone names no carriers, regions or products")
        return Scope(kind)
    if not cleaned:
        problems.append(f"scope.values: name at least one ({_SCOPE_HINT[kind]})")
    if len(cleaned) > MAX_SCOPE_VALUES:
        problems.append(f"scope.values: at most {MAX_SCOPE_VALUES}")
    for value in cleaned:
        if not _SCOPE_VALUE[kind].match(value):
            problems.append(f"scope.values: {value[:50]!r} is not {_SCOPE_HINT[kind]}")
    return Scope(kind, cleaned)


def parse_incident(data: Any) -> Incident:
    """A stored or submitted incident as a record; IncidentError lists every problem."""
    problems: List[str] = []
    if not isinstance(data, Mapping):
        raise IncidentError(["an incident is an object with scope and texts"])
    scope = parse_scope(data.get("scope"), problems)
    texts = parse_texts(data.get("texts"), problems)
    status = data.get("status", "active")
    if status not in STATUSES:
        problems.append(f"status: one of {', '.join(STATUSES)}")
    incident_id = data.get("incident_id", "")
    if incident_id and (not isinstance(incident_id, str) or not INCIDENT_ID.match(incident_id)):
        problems.append("incident_id: not an incident id")
    version = data.get("version", 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        problems.append("version: a whole number")
    if problems:
        raise IncidentError(problems)
    return Incident(
        incident_id=incident_id,
        version=version,
        status=status,
        scope=scope,
        texts=texts,
        created_at=str(data.get("created_at", ""))[:40],
        updated_at=str(data.get("updated_at", ""))[:40],
        updated_by=str(data.get("updated_by", ""))[:100],
    )


def affecting(incidents: Iterable[Incident], facts: Optional[CustomerFacts]) -> List[Incident]:
    """The active incidents that concern this customer (None: not known yet), newest first."""
    found = [incident for incident in incidents if incident.active and incident.scope.affects(facts)]
    return sorted(found, key=lambda incident: incident.updated_at, reverse=True)
