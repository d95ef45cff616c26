"""Parse texts with a model file, in Rasa's environment (Python 3.10), without serving it.

    .venv-rasa/bin/python admin/training/parse_with_model.py MODEL TEXTS.json OUT.json

TEXTS.json is a JSON list of strings; OUT.json receives one predicted intent per text (the
sub-intent for a retrieval intent such as faq/returns). Standard library and Rasa only: this
file runs outside the handoff service's environment.
"""

import asyncio
import json
import logging
import sys


def predicted_intent(parse: dict) -> str:
    intent = (parse.get("intent") or {}).get("name") or ""
    selector = (parse.get("response_selector") or {}).get(intent)
    if selector:
        key = (selector.get("response") or {}).get("intent_response_key")
        if key:
            return key
    return intent


async def _parse_all(model: str, texts: list[str]) -> list[str]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    return [predicted_intent(await agent.parse_message(text)) for text in texts]


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING)
    model, texts_path, out_path = argv
    with open(texts_path, encoding="utf-8") as handle:
        texts = json.load(handle)
    predictions = asyncio.run(_parse_all(model, texts))
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump(predictions, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
