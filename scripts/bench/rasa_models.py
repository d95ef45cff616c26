"""Turn latency of two trained models through Rasa's REST channel, in one run, taking turns.

Issue 14 asks that a better understanding costs no turn latency: "Rasa turn p95 not worse than the
current benchmark on the same run". The machine is shared and noisy, so the two models are
measured alternately (A B A B ...), each round on a fresh private copy of the system (Redis, the
action server, Rasa with that model, the rest of `make run` with the light avatar and no speech
prewarm), with the conversation and load of
`scripts/bench/rasa_latency.py`. Latencies of all rounds are pooled per model and concurrency.

Usage: .venv/bin/python -m scripts.bench.rasa_models --model models/NEW.tar.gz --baseline models/OLD.tar.gz
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from launcher.process import ServiceSpec
from launcher.services import local_services
from launcher.settings import LauncherSettings
from launcher.system import System
from scripts.bench import rasa_latency
from scripts.bench.stats import TABLE_HEADER, markdown_row

ROOT = Path(__file__).resolve().parents[2]


def with_model(specs: list[ServiceSpec], model: Path) -> list[ServiceSpec]:
    """The services, with Rasa serving `model` instead of models/CURRENT."""
    changed = []
    for spec in specs:
        if spec.name == "rasa":
            command = list(spec.command)
            command[command.index("--model") + 1] = str(model)
            spec = replace(spec, command=command)
        changed.append(spec)
    return changed


def measure_round(model: Path, counts: list[int], interval: float, duration: float) -> dict:
    """{concurrency: (latencies, errors)} for one model on a fresh system."""
    work = Path(tempfile.mkdtemp(prefix="bench-models-"))
    try:
        if (ROOT / "var" / "customer.db").exists():
            shutil.copy(ROOT / "var" / "customer.db", work / "customer.db")
        settings = LauncherSettings.on_free_ports(work)
        # The light head and no prewarmed speech: the bridge (Rasa's NLG endpoint) must not spend
        # the cores on synthesis while turns are timed.
        from tests.support.system import with_light_bridges

        with System(with_model(with_light_bridges(local_services(settings)), model), work / "log"):
            asyncio.run(rasa_latency.warm_up(settings.rasa_url))
            url = settings.rasa_url
            return {count: asyncio.run(rasa_latency.run_load(url, count, interval, duration)) for count in counts}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--baseline", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=2, help="rounds per model, alternating")
    parser.add_argument("--conversations", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--duration", type=float, default=45.0)
    args = parser.parse_args()

    pooled = {name: {count: ([], []) for count in args.conversations} for name in ("model", "baseline")}
    load = os.getloadavg()
    for round_index in range(args.rounds):
        for name, model in (("baseline", args.baseline), ("model", args.model)):
            print(f"round {round_index + 1}: {name} {model.name}", flush=True)
            for count, (latencies, errors) in measure_round(
                model, args.conversations, args.interval, args.duration
            ).items():
                pooled[name][count][0].extend(latencies)
                pooled[name][count][1].extend(errors)

    print(f"\nLoad average at the start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {args.rounds} rounds per model.\n")
    print(TABLE_HEADER)
    for count in args.conversations:
        for name, model in (("model", args.model), ("baseline", args.baseline)):
            latencies, errors = pooled[name][count]
            label = f"{model.name} ({name}), {count} concurrent, a message every {args.interval:g} s"
            print(markdown_row(label, latencies, len(errors)))


if __name__ == "__main__":
    main()
