"""Text normalisation before synthesis, per language.

The synthesiser reads "40010002" as forty million and "24.12.2026" as "24 point 12 point ...".
Customers need order numbers digit by digit, dates as dates, amounts with their currency and
e-mail addresses with "dot" and "at". The normaliser rewrites those spans and remembers, for
every piece of spoken text, which piece of the displayed text it came from, so that word
timings from the synthesiser can highlight the words the customer actually sees.
"""

import bisect
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from num2words import num2words

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
# Characters that are only decoration in chat text; replaced by a space of the same length so
# that verbatim segments stay aligned character by character.
_DECORATION = set("*#_~`|<>[]{}")

_NUMBER = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_CURRENCY_BEFORE = r"€|\$|£|EUR|USD|GBP"
_CURRENCY_AFTER = r"€|EUR|Euro|euros?|USD|\$|£|GBP"
_CURRENCY_CODES = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "$": "USD",
    "usd": "USD",
    "£": "GBP",
    "gbp": "GBP",
}


@dataclass(frozen=True)
class Segment:
    display_start: int
    display_end: int
    spoken_start: int
    spoken: str
    verbatim: bool  # spoken text equals the displayed text, character for character


@dataclass(frozen=True)
class NormalisedText:
    display: str
    spoken: str
    segments: tuple[Segment, ...]

    def display_span(self, spoken_index: int, spoken_length: int) -> tuple[int, int]:
        """The span of displayed text that a spoken word (start index, length) stands for."""
        starts = [segment.spoken_start for segment in self.segments]
        position = max(bisect.bisect_right(starts, spoken_index) - 1, 0)
        segment = self.segments[position]
        if not segment.verbatim:
            return segment.display_start, segment.display_end
        start = segment.display_start + (spoken_index - segment.spoken_start)
        end = min(start + spoken_length, segment.display_end)
        return start, max(end, start)


@dataclass(frozen=True)
class Lexicon:
    language: str
    entries: dict

    @classmethod
    def load(cls, language: str, directory: Path = LEXICON_DIR) -> "Lexicon":
        entries = yaml.safe_load((directory / f"{language}.yml").read_text("utf-8"))
        return cls(language=language, entries=entries)

    def __getitem__(self, key: str):
        return self.entries[key]


class Normaliser:
    """Rewrites one language's text for the synthesiser; see the module docstring."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        months = "|".join(sorted(lexicon["month_abbreviations"], key=len, reverse=True))
        month_names = "|".join(lexicon["months"])
        # Order matters: earlier rules win where matches overlap.
        self._rules = [
            (re.compile(r"[A-Za-z0-9._%+*-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"), self._email),
            (re.compile(r"https?://\S+"), lambda match, text: lexicon["link"]),
            (re.compile(rf"(?<![\w.,])(?P<cur>{_CURRENCY_BEFORE})\s?(?P<num>{_NUMBER})(?![\w])"), self._amount),
            (re.compile(rf"(?<![\w.,])(?P<num>{_NUMBER})\s?(?P<cur>{_CURRENCY_AFTER})(?![\w])", re.I), self._amount),
            (re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"), self._date),
            (re.compile(r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})\b"), self._date),
            (re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\b"), self._date),
            (
                re.compile(rf"\b(?P<d>\d{{1,2}})\.? (?P<mn>{month_names}|(?:{months})\.?) (?P<y>\d{{4}})\b", re.I),
                self._date,
            ),
            (re.compile(r"\b[Cc]\d{6}\b"), self._spell),
            # Parcel tracking codes such as JJD0001234567: capitals and at least three digits.
            (re.compile(r"\b(?=(?:[A-Z]*\d){3})(?=\d*[A-Z])[A-Z0-9]{6,}\b"), self._spell),
            (re.compile(r"\b\d{5,}\b"), self._spell),  # order, tracking and phone numbers
        ]

    def normalise(self, text: str) -> NormalisedText:
        replacements = self._find_replacements(text)
        segments: list[Segment] = []
        spoken_parts: list[str] = []
        cursor = 0
        spoken_length = 0

        def add(start: int, end: int, spoken: str, verbatim: bool) -> None:
            nonlocal spoken_length
            if start == end and not spoken:
                return
            segments.append(Segment(start, end, spoken_length, spoken, verbatim))
            spoken_parts.append(spoken)
            spoken_length += len(spoken)

        for start, end, spoken in replacements:
            add(cursor, start, _strip_decoration(text[cursor:start]), True)
            # Spaces around a replacement keep the synthesiser from gluing it to its neighbours.
            add(start, end, f" {spoken} ", False)
            cursor = end
        add(cursor, len(text), _strip_decoration(text[cursor:]), True)
        return NormalisedText(display=text, spoken="".join(spoken_parts), segments=tuple(segments))

    def _find_replacements(self, text: str) -> list[tuple[int, int, str]]:
        taken: list[tuple[int, int, str]] = []
        for pattern, handler in self._rules:
            for match in pattern.finditer(text):
                if any(match.start() < end and start < match.end() for start, end, _ in taken):
                    continue
                spoken = handler(match, text)
                if spoken is not None:
                    taken.append((match.start(), match.end(), spoken))
        return sorted(taken)

    # --- rules ------------------------------------------------------------------------------

    def _spell(self, match: re.Match, text: str) -> str:
        """Letters one by one, digits as words in groups of three (two where one would be left
        alone), a comma between groups for a breath: "400 100 02" -> "four zero zero, one zero zero, zero two"."""
        digits = self._lexicon["digits"]
        parts = []
        for run in re.findall(r"[A-Za-z]+|\d+", match.group(0)):
            if run.isdigit():
                parts.append(", ".join(" ".join(digits[int(d)] for d in group) for group in _digit_groups(run)))
            else:
                parts.append(" ".join(run.upper()))
        return " ".join(parts)

    def _email(self, match: re.Match, text: str) -> str:
        words = self._lexicon["email"]
        local, domain = match.group(0).split("@", 1)
        spoken = [_say_local_part(local, words), words["at"]]
        labels = domain.split(".")
        for label in labels[:-1]:
            spoken += [label, words["."]]
        top_level = labels[-1]
        spoken.append(
            top_level if top_level.lower() in self._lexicon["spoken_domains"] else " ".join(top_level.upper())
        )
        return " ".join(part for part in spoken if part)

    def _amount(self, match: re.Match, text: str) -> str | None:
        code = _CURRENCY_CODES.get(match.group("cur").lower(), match.group("cur").upper())
        units = self._lexicon["currencies"].get(code)
        if units is None:
            return None
        major, minor = _parse_amount(match.group("num"))
        parts = []
        if major or not minor:
            count = self._lexicon.entries.get("one_before_unit", "one") if major == 1 else self._words(major)
            parts.append(f"{count} {units['one'] if major == 1 else units['many']}")
        if minor:
            minor_unit = units["minor_one"] if minor == 1 else units["minor_many"]
            # People say "forty-nine euros ninety", "12 Euro 50": the cents' unit only without euros.
            parts.append(self._words(minor) if major else f"{self._words(minor)} {minor_unit}")
        return " ".join(parts)

    def _words(self, number: int) -> str:
        """A cardinal in words ("one thousand two hundred and thirty-four", "eintausendzweihundert...")."""
        return num2words(number, lang=self._lexicon.language).replace(",", "")

    def _date(self, match: re.Match, text: str) -> str | None:
        groups = match.groupdict()
        day = int(groups["d"])
        month = _month_number(groups, self._lexicon)
        if month is None or not 1 <= month <= 12 or not 1 <= day <= 31:
            return None
        ordinal = self._lexicon["ordinals"][day - 1]
        if self._lexicon.language == "de":
            ordinal += _german_ending(text[: match.start()], self._lexicon["date_endings"])
        return self._lexicon["date_pattern"].format(
            day=ordinal, month=self._lexicon["months"][month - 1], year=groups["y"]
        )


def _strip_decoration(text: str) -> str:
    return "".join(
        " " if char in _DECORATION or unicodedata.category(char) in ("So", "Sk", "Co", "Cs") else char for char in text
    )


def _say_local_part(local: str, words: dict) -> str:
    spoken = []
    for piece in re.split(r"([._+-])", local.replace("*", "")):
        if piece in words:
            spoken.append(words[piece])
        elif piece:
            spoken.append(piece)
    return " ".join(spoken)


def _digit_groups(run: str) -> list[str]:
    groups = [run[index : index + 3] for index in range(0, len(run), 3)]
    if len(groups) > 1 and len(groups[-1]) == 1:
        groups[-2:] = [groups[-2][:2], groups[-2][2] + groups[-1]]
    return groups


def _parse_amount(number: str) -> tuple[int, int]:
    """(major, minor) from "1.234,50", "1,234.50", "19.99", "12" — the last separator followed
    by one or two digits is the decimal mark, every other separator groups thousands."""
    decimal = re.search(r"[.,](\d{1,2})$", number)
    minor = 0
    if decimal:
        digits = decimal.group(1)
        minor = int(digits) * (10 if len(digits) == 1 else 1)
        number = number[: decimal.start()]
    return int(re.sub(r"[.,]", "", number) or 0), minor


def _month_number(groups: dict, lexicon: Lexicon) -> int | None:
    if groups.get("m"):
        return int(groups["m"])
    name = groups["mn"].rstrip(".").lower()
    full_names = [month.lower() for month in lexicon["months"]]
    if name in full_names:
        return full_names.index(name) + 1
    return lexicon["month_abbreviations"].get(name)


def _german_ending(before: str, endings: dict) -> str:
    previous = re.findall(r"\w+", before[-20:].lower())
    if previous and previous[-1] in endings["after"]:
        return endings["after"][previous[-1]]
    return endings["default"]
