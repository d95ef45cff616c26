"""What understanding a message costs: NLU parse time of two trained models, measured in one run.

    .venv-rasa/bin/python scripts/bench/nlu_latency.py --model models/NEW.tar.gz --baseline models/OLD.tar.gz

Both models parse the same messages (customer requests of 1 to 60 words in both languages,
out-of-scope questions, emoji) in alternation, so a busy shared machine slows both alike. Each
message is parsed once to warm up. Prints a Markdown table (p50/p95/p99 in ms) for
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.bench.stats import markdown_row  # noqa: E402

MESSAGES = [
    "hi",
    "where is my order 40010002?",
    "I forgot my password and the reset link never arrived",
    "Hallo, wo ist meine Bestellung?",
    "Ich habe mein Passwort vergessen",
    "you charged me twice for the same jacket, I want my money back now",
    "what's the weather like in Lisbon tomorrow",
    "Wie hoch ist die Zugspitze?",
    "😡😡😡",
    "yes",
    "C100002",
    "I ordered a pair of trainers three weeks ago and the tracking page has said 'in transit' for ten "
    "days now, nobody answers my e-mails, and I need them for a race on Saturday. Can you tell me "
    "what is going on and whether they will arrive in time?",
    "Ich habe letzte Woche eine Rücksendung gemacht und warte immer noch auf mein Geld, was ist da los?",
    "what payment methods do you accept",
    "I lost my job and I can't pay this invoice, what can I do",
]


async def _parse_all(agent, texts) -> list[float]:
    timings = []
    for text in texts:
        started = time.perf_counter()
        await agent.parse_message(text)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--baseline", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    agents = {"this model": Agent.load(str(args.model)), "baseline": Agent.load(str(args.baseline))}
    for agent in agents.values():
        asyncio.run(_parse_all(agent, MESSAGES))  # warm-up
    timings: dict = {name: [] for name in agents}
    for _ in range(args.rounds):
        for name, agent in agents.items():
            timings[name] += asyncio.run(_parse_all(agent, MESSAGES))
    print("| model | parses | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("|---|---|---|---|---|---|---|")
    print(markdown_row(f"{args.model.name} (this model)", timings["this model"]))
    print(markdown_row(f"{args.baseline.name} (baseline)", timings["baseline"]))


if __name__ == "__main__":
    main()
