"""Intent accuracy on customer-service language nobody on this team wrote (`make eval`).

Reads a Bitext-style CSV (columns `utterance`, `intent`), maps its intents onto ours with
`bitext_intent_map.yml`, and parses every utterance with the trained Rasa model.
Usage: python scripts/eval/intents.py --data ../shared/data/bitext/dev.csv --model models/X.tar.gz
"""

from __future__ import annotations

import argparse
import asyncio
import csv
from collections import Counter, defaultdict
from pathlib import Path

import yaml
from rasa.core.agent import Agent

MAP_FILE = Path(__file__).with_name("bitext_intent_map.yml")


async def predict(agent: Agent, texts: list[str]) -> list[str]:
    predictions = []
    for text in texts:
        parsed = await agent.parse_message(text)
        predictions.append((parsed.get("intent") or {}).get("name") or "none")
    return predictions


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--model", type=Path, required=True)
    args = parser.parse_args()

    mapping = yaml.safe_load(MAP_FILE.read_text())
    rows = [row for row in csv.DictReader(args.data.open(newline="")) if row["intent"] in mapping]
    texts = [row["utterance"] for row in rows]
    expected = [mapping[row["intent"]] for row in rows]
    agent = Agent.load(str(args.model))
    predicted = asyncio.run(predict(agent, texts))

    per_intent: dict[str, Counter] = defaultdict(Counter)
    confusions: Counter = Counter()
    for want, got in zip(expected, predicted):
        per_intent[want]["total"] += 1
        per_intent[want]["correct"] += int(want == got)
        if want != got:
            confusions[(want, got)] += 1
    correct = sum(c["correct"] for c in per_intent.values())
    print(f"## Intents on Bitext dev ({len(rows)} utterances of {len(mapping)} mapped intents)\n")
    print("| our intent | utterances | accuracy |\n|---|---|---|")
    for intent, counts in sorted(per_intent.items()):
        print(f"| {intent} | {counts['total']} | {counts['correct'] / counts['total']:.3f} |")
    print(f"| **all** | {len(rows)} | {correct / max(1, len(rows)):.3f} |\n")
    print("Most frequent confusions: " + ", ".join(f"{a} → {b} ({n})" for (a, b), n in confusions.most_common(6)))


if __name__ == "__main__":
    main()
