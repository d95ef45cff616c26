"""Comparing a candidate model with the active one on the held-out phrasings.

The rule (docs/admin.md): the candidate is activated only if its intent accuracy on the held-out
set is at least the active model's minus ``max_drop``. Phrasings that are also training examples
are left out (they are not held out any more).
"""

import asyncio
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

from admin.intents.checks import normalise
from admin.training.parse_with_model import predicted_intent


@dataclass(frozen=True)
class Case:
    language: str
    intent: str
    text: str


def load_cases(path: Path, training_examples: set[str], known_intents: set[str]) -> list[Case]:
    document = yaml.safe_load(path.read_text("utf-8")) or {}
    cases = []
    for language, intents in document.items():
        for intent, texts in (intents or {}).items():
            if intent not in known_intents:
                continue
            cases += [Case(language, intent, text) for text in texts if normalise(text) not in training_examples]
    return cases


def accuracy(cases: list[Case], predictions: list[str]) -> dict:
    correct = [case.intent == predicted for case, predicted in zip(cases, predictions, strict=True)]
    misses = [
        {"text": case.text, "expected": case.intent, "predicted": predicted}
        for case, predicted, ok in zip(cases, predictions, correct, strict=True)
        if not ok
    ]
    return {
        "cases": len(cases),
        "correct": sum(correct),
        "accuracy": round(sum(correct) / len(cases), 4) if cases else 1.0,
        "misses": misses[:50],
    }


def verdict(candidate: dict, active: dict | None, max_drop: float) -> tuple[bool, str]:
    if active is None:
        return True, "no active model to compare with"
    if candidate["accuracy"] + 1e-9 >= active["accuracy"] - max_drop:
        return True, (f"candidate {candidate['accuracy']:.1%} ≥ active {active['accuracy']:.1%} − {max_drop:.0%}")
    return False, (
        f"candidate {candidate['accuracy']:.1%} is worse than active {active['accuracy']:.1%} "
        f"by more than {max_drop:.0%}"
    )


async def parse_with_model_file(
    rasa_python: Path, code_root: Path, model: Path, texts: list[str], time_limit: float
) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="admin-eval-") as temp:
        texts_path, out_path = Path(temp) / "texts.json", Path(temp) / "out.json"
        texts_path.write_text(json.dumps(texts), "utf-8")
        process = await asyncio.create_subprocess_exec(
            str(rasa_python),
            str(code_root / "admin" / "training" / "parse_with_model.py"),
            str(model),
            str(texts_path),
            str(out_path),
            cwd=code_root,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
            env={
                "PYTHONPATH": str(code_root),
                "RASA_TELEMETRY_ENABLED": "false",
                "TF_CPP_MIN_LOG_LEVEL": "3",
                "PATH": "/usr/bin:/bin",
                "HOME": temp,
            },
        )
        try:
            _, errors = await asyncio.wait_for(process.communicate(), time_limit)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise RuntimeError("parsing the held-out set with the candidate timed out") from None
        if process.returncode != 0:
            tail = errors.decode("utf-8", "replace").replace("\r", "\n")[-1500:]
            raise RuntimeError(f"parsing the held-out set with the candidate failed: {tail}")
        return json.loads(out_path.read_text("utf-8"))


async def parse_with_running_rasa(client: httpx.AsyncClient, texts: list[str]) -> list[str]:
    predictions = []
    for text in texts:
        response = await client.post("/model/parse", json={"text": text})
        response.raise_for_status()
        predictions.append(predicted_intent(response.json()))
    return predictions
