"""Which kind of reply a bot message is (good news, bad news, apology, question, handoff, ...)."""

import fnmatch
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class ReplyKinds:
    by_response: dict[str, str]
    patterns: tuple[tuple[str, str], ...]
    default: str
    known: frozenset[str]

    @classmethod
    def load(cls, path: Path, known: frozenset[str]) -> "ReplyKinds":
        document = yaml.safe_load(path.read_text("utf-8"))
        by_response = dict(document.get("responses") or {})
        patterns = tuple((entry["match"], entry["kind"]) for entry in document.get("patterns") or [])
        default = document.get("default", "info")
        unknown = {
            kind for kind in [*by_response.values(), *(kind for _, kind in patterns), default] if kind not in known
        }
        if unknown:
            raise ValueError(f"{path}: unknown reply kinds {sorted(unknown)}; known: {sorted(known)}")
        return cls(by_response=by_response, patterns=patterns, default=default, known=known)

    def classify(self, response: str | None, text: str, override: object = None) -> str:
        if isinstance(override, str) and override in self.known:
            return override
        if response:
            if response in self.by_response:
                return self.by_response[response]
            for pattern, kind in self.patterns:
                if fnmatch.fnmatchcase(response, pattern):
                    return kind
        if text.rstrip().endswith("?"):
            return "question"
        return self.default
