"""Intents as they are in a project tree: examples (nlu_data/intents/<lang>/), responses and the
intent list (bot/domain/), and what answers each intent (bot/data/rules/).

``read_intents`` gives the admin's view; ``apply_state`` writes one intent's desired state into a
tree (the real one or a temporary copy for validation). Intents created from the console live in
``admin.yml`` files of their own, so built-in files only ever change where an admin edited them.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from admin import yamlio

LANGUAGES = ("en", "de")
ADMIN_FILE = "admin.yml"
NLU_DIR = Path("nlu_data") / "intents"
DOMAIN_DIR = Path("bot") / "domain"
RULES_DIR = Path("bot") / "data" / "rules"
# The German variation carries this condition; the English one has none (docs/dialogue-contract.md).
GERMAN_CONDITION = {"type": "slot", "name": "language", "value": "de"}


@dataclass
class IntentState:
    """What an admin edits about one intent; ``None`` responses: answered by an action."""

    examples: dict[str, list[str]]
    responses: dict[str, list[str]] | None

    def to_dict(self) -> dict[str, Any]:
        return {"examples": self.examples, "responses": self.responses}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "IntentState":
        responses = data.get("responses")
        return cls(
            examples={lang: list(data["examples"].get(lang, [])) for lang in LANGUAGES},
            responses=None if responses is None else {lang: list(responses.get(lang, [])) for lang in LANGUAGES},
        )


@dataclass
class IntentView:
    name: str
    state: IntentState
    response_name: str | None
    handled_by: str | None
    created_in_console: bool
    files: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            **self.state.to_dict(),
            "response_name": self.response_name,
            "handled_by": self.handled_by,
            "created_in_console": self.created_in_console,
            "files": self.files,
        }


def _yml_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.yml")) if directory.is_dir() else []


def parse_examples(block: str) -> list[str]:
    return [line.strip()[2:].strip() for line in str(block).splitlines() if line.strip().startswith("- ")]


def _domain_intent_names(document: Any) -> list[str]:
    names = []
    for entry in (document or {}).get("intents") or []:
        names.append(next(iter(entry)) if isinstance(entry, dict) else str(entry))
    return names


def domain_entities(root: Path) -> set[str]:
    entities: set[str] = set()
    for path in _yml_files(root / DOMAIN_DIR):
        for entry in (yamlio.load(path) or {}).get("entities") or []:
            entities.add(next(iter(entry)) if isinstance(entry, dict) else str(entry))
    return entities


def _rule_actions(root: Path) -> dict[str, str]:
    """Intent → the action an unconditional rule answers it with."""
    answers: dict[str, str] = {}
    for path in _yml_files(root / RULES_DIR):
        for rule in (yamlio.load(path) or {}).get("rules") or []:
            steps = rule.get("steps") or []
            if rule.get("condition") or len(steps) < 2 or "action" not in steps[1]:
                continue
            first = steps[0]
            if "intent" in first:
                intents = [first["intent"]]
            else:
                intents = [step["intent"] for step in first.get("or", []) if "intent" in step]
            for intent in intents:
                answers.setdefault(str(intent), str(steps[1]["action"]))
    return answers


def _texts(variations: list[Any]) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    for variation in variations or []:
        if not isinstance(variation, dict) or "text" not in variation:
            continue
        conditions = variation.get("condition") or []
        german = any(dict(c) == GERMAN_CONDITION for c in conditions)
        texts["de" if german else "en"].append(str(variation["text"]))
    return texts


def _responses(root: Path) -> dict[str, tuple[Path, list[Any]]]:
    found: dict[str, tuple[Path, list[Any]]] = {}
    for path in _yml_files(root / DOMAIN_DIR):
        for name, variations in ((yamlio.load(path) or {}).get("responses") or {}).items():
            found[str(name)] = (path, variations)
    return found


def read_intents(root: Path) -> dict[str, IntentView]:
    views: dict[str, IntentView] = {}

    def view(name: str) -> IntentView:
        if name not in views:
            views[name] = IntentView(name, IntentState({lang: [] for lang in LANGUAGES}, None), None, None, False)
        return views[name]

    for path in _yml_files(root / DOMAIN_DIR):
        for name in _domain_intent_names(yamlio.load(path)):
            view(name).created_in_console |= path.name == ADMIN_FILE
    for lang in LANGUAGES:
        for path in _yml_files(root / NLU_DIR / lang):
            for item in (yamlio.load(path) or {}).get("nlu") or []:
                if "intent" not in item:
                    continue
                current = view(str(item["intent"]))
                current.state.examples[lang] += parse_examples(item.get("examples", ""))
                current.files.append(str(path.relative_to(root)))
    actions = _rule_actions(root)
    responses = _responses(root)
    for name, current in views.items():
        if "/" in name:  # retrieval intent (faq/returns) answered by its utter_faq/returns
            current.handled_by = f"utter_{name}"
        else:
            current.handled_by = actions.get(name)
        if current.handled_by and current.handled_by.startswith("utter_") and current.handled_by in responses:
            current.response_name = current.handled_by
            current.state.responses = _texts(responses[current.handled_by][1])
    # A retrieval intent's parent (faq) has no examples of its own: its sub-intents are listed.
    parents = {name.split("/", 1)[0] for name in views if "/" in name}
    return {name: views[name] for name in sorted(views) if name not in parents}


# --- writing ---------------------------------------------------------------------------------


def _examples_block(examples: list[str]) -> LiteralScalarString:
    return LiteralScalarString("".join(f"- {example}\n" for example in examples))


def _load_or_new(path: Path, section: str) -> CommentedMap:
    if path.exists():
        document = yamlio.load(path)
        if document is not None:
            return document
    document = CommentedMap()
    document["version"] = DoubleQuotedScalarString("3.1")
    document[section] = CommentedSeq() if section in ("nlu", "rules", "intents") else CommentedMap()
    return document


def _write_examples(root: Path, name: str, lang: str, examples: list[str]) -> None:
    directory = root / NLU_DIR / lang
    placed = False
    for path in _yml_files(directory):
        document = yamlio.load(path) or {}
        items = document.get("nlu") or []
        positions = [i for i, item in enumerate(items) if item.get("intent") == name]
        if not positions:
            continue
        for position in reversed(positions[1:]):
            del items[position]
        if examples and not placed:
            items[positions[0]]["examples"] = _examples_block(examples)
            placed = True
        else:
            del items[positions[0]]
        yamlio.save(path, document)
    if examples and not placed:
        path = directory / ADMIN_FILE
        document = _load_or_new(path, "nlu")
        entry = CommentedMap()
        entry["intent"] = name
        entry["examples"] = _examples_block(examples)
        document.setdefault("nlu", CommentedSeq()).append(entry)
        yamlio.save(path, document)


def _variations(responses: dict[str, list[str]]) -> CommentedSeq:
    variations = CommentedSeq()
    for text in responses.get("de", []):
        variation = CommentedMap()
        condition = CommentedMap(GERMAN_CONDITION)
        variation["condition"] = CommentedSeq([condition])
        variation["text"] = DoubleQuotedScalarString(text)
        variations.append(variation)
    for text in responses.get("en", []):
        variation = CommentedMap()
        variation["text"] = DoubleQuotedScalarString(text)
        variations.append(variation)
    return variations


def _write_response(root: Path, response_name: str, responses: dict[str, list[str]]) -> None:
    for path in _yml_files(root / DOMAIN_DIR):
        document = yamlio.load(path) or {}
        section = document.get("responses") or {}
        if response_name in section:
            # Variations with more than text (buttons, custom payloads) are kept as they are.
            kept = [v for v in section[response_name] if isinstance(v, dict) and set(v) - {"text", "condition"}]
            section[response_name] = _variations(responses) + kept
            yamlio.save(path, document)
            return
    raise KeyError(response_name)


def _add_to_admin_domain(root: Path, name: str, response_name: str, responses: dict[str, list[str]]) -> None:
    path = root / DOMAIN_DIR / ADMIN_FILE
    document = _load_or_new(path, "intents")
    document.setdefault("intents", CommentedSeq()).append(name)
    document.setdefault("responses", CommentedMap())[response_name] = _variations(responses)
    yamlio.save(path, document)
    rules_path = root / RULES_DIR / ADMIN_FILE
    rules = _load_or_new(rules_path, "rules")
    rule = CommentedMap()
    rule["rule"] = f"console intent {name}"
    rule["steps"] = CommentedSeq([CommentedMap(intent=name), CommentedMap(action=response_name)])
    rules.setdefault("rules", CommentedSeq()).append(rule)
    yamlio.save(rules_path, rules)


def _remove_from_admin_files(root: Path, name: str, response_name: str) -> None:
    path = root / DOMAIN_DIR / ADMIN_FILE
    document = yamlio.load(path)
    intents = document.get("intents") or []
    for position in [i for i, entry in enumerate(intents) if entry == name]:
        del intents[position]
    (document.get("responses") or {}).pop(response_name, None)
    yamlio.save(path, document)
    rules_path = root / RULES_DIR / ADMIN_FILE
    rules = yamlio.load(rules_path)
    items = rules.get("rules") or []
    answering = [i for i, rule in enumerate(items) if any(s.get("intent") == name for s in rule.get("steps", []))]
    for position in reversed(answering):
        del items[position]
    yamlio.save(rules_path, rules)


def response_name_for(name: str) -> str:
    return f"utter_{name}"


def apply_state(root: Path, name: str, before: IntentView | None, after: IntentState | None) -> None:
    """Make intent ``name`` in the tree at ``root`` look like ``after`` (None: remove it; only
    intents created in the console can be removed)."""
    if before is None and after is not None:
        _add_to_admin_domain(root, name, response_name_for(name), after.responses or {})
    elif before is not None and after is None:
        _remove_from_admin_files(root, name, before.response_name or response_name_for(name))
    elif before is not None and after is not None and after.responses is not None and before.response_name:
        _write_response(root, before.response_name, after.responses)
    for lang in LANGUAGES:
        _write_examples(root, name, lang, [] if after is None else after.examples.get(lang, []))
