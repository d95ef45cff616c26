#!/usr/bin/env python
"""Benchmark the EmotionClassifier: added latency per message, added memory, held-out macro-F1.

    .venv-rasa/bin/python scripts/emotion/bench.py [--runs 400] [--out results/emotion_bench.md]

Prints a Markdown section for docs/benchmarks.md. The component runs after the rest of the NLU
pipeline and only reads the text, so its `process` time on a batch of one *is* the latency it adds
to a parse; the table splits it into encoder and head + cues. Memory is the resident set size a
fresh process gains by loading the component (encoder session + head), measured in a subprocess
so that training allocations do not count.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

from _bootstrap import add_repo_root_to_path

ROOT = add_repo_root_to_path()

# Customer messages of typical lengths in both languages (written for this benchmark).
MESSAGES = [
    "hi",
    "Where is my parcel?",
    "Ich möchte meine Adresse ändern.",
    "This is the third time I'm asking about my refund!!",
    "Danke, das hat super geklappt 😊",
    "I was charged twice for order 40010002 and nobody answers my emails, what is going on?",
    "Mein Passwort funktioniert nicht mehr und ich komme seit gestern nicht in mein Konto.",
    "I'm really worried, the gift is for my daughter's birthday tomorrow and the tracking hasn't moved.",
    "WARUM IST DIE LIEFERUNG SCHON WIEDER VERSPÄTET?!",
    "ok thanks",
    "Honestly I'm just disappointed. I have ordered here for years and this time everything went wrong: "
    "the jacket came in the wrong size, the exchange took three weeks, and now the refund is smaller than "
    "what I paid. I don't even want to argue anymore, I would just like someone to look at it properly.",
    "Können Sie mir erklären, warum auf meiner Rechnung eine Gebühr von 4,90 € steht?",
]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


def percentile(values, share):
    import numpy as np

    return float(np.percentile(np.asarray(values), share))


def measure_in_this_process(head_dir: str, quantized: bool, runs: int, warmup: int) -> dict:
    """Runs in a fresh subprocess: load the component as Rasa would, then time it."""
    import uuid

    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.components.emotion_classifier import EmotionClassifier

    storage_dir = Path(tempfile.mkdtemp(prefix="emotion-bench-"))
    storage = LocalModelStorage.create(storage_dir)
    context = ExecutionContext(GraphSchema({}), uuid.uuid4().hex)
    config = {**EmotionClassifier.get_default_config(), "pretrained_head": head_dir, "quantized": quantized}
    EmotionClassifier.create(config, storage, Resource("emotion"), context).train(TrainingData())

    from bot.emotion import runtime

    runtime.forget_shared_encoders()  # training loaded one: measure what loading the component adds
    gc.collect()
    before = rss_mb()
    component = EmotionClassifier.load(config, storage, Resource("emotion"), context)
    from bot.components.language_detector import LANGUAGE_PROPERTY, detect_languages

    def message_for(text: str) -> Message:
        """The message as the emotion classifier gets it: the language detector ran before."""
        message = Message.build(text=text)
        code = detect_languages([text])[0]
        if code:
            message.set(LANGUAGE_PROPERTY, {"code": code, "confidence": 1.0})
        return message

    for index in range(warmup):
        component.process([message_for(MESSAGES[index % len(MESSAGES)])])
    after = rss_mb()

    predictor = component._ensure_predictor()
    scorer = predictor.scorer
    total, encoder_times, head_times, shared = [], [], [], []
    for index in range(runs):
        text = MESSAGES[index % len(MESSAGES)]
        message = message_for(text)
        language = message.get(LANGUAGE_PROPERTY, {}).get("code")
        scorer.encoder.forget_recent()  # alone: the component runs the encoder itself
        started = time.perf_counter()
        component.process([message])
        total.append((time.perf_counter() - started) * 1000)
        # In the pipeline the intent featurizer has encoded the message just before.
        again = message_for(text)
        started = time.perf_counter()
        component.process([again])
        shared.append((time.perf_counter() - started) * 1000)
        scorer.encoder.forget_recent()

        started = time.perf_counter()
        embeddings = scorer.encoder.encode([text])
        encoder_times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        reading = predictor.cues.read(text)
        scorer.head.predict_proba(embeddings, [reading.vector(predictor.taxonomy.names)], [text], [language])
        head_times.append((time.perf_counter() - started) * 1000)

    def summary(values):
        return {name: round(percentile(values, share), 2) for name, share in (("p50", 50), ("p95", 95), ("p99", 99))}

    return {
        "quantized": quantized,
        "total": summary(total),
        "shared": summary(shared),
        "encoder": summary(encoder_times),
        "head_and_cues": summary(head_times),
        "rss_added_mb": round(after - before, 1),
        "runs": runs,
    }


def held_out_scores() -> dict:
    from scripts.emotion.training.held_out import measure_held_out
    from bot.emotion.paths import DEFAULT_EMOTION_DATA_DIR, resolve_repo_path

    result = measure_held_out(resolve_repo_path(DEFAULT_EMOTION_DATA_DIR))
    return {
        "reports": {name: (report.macro_f1, int(report.confusion.sum())) for name, report in result.reports.items()},
        "train": result.train_size,
    }


def train_full_head(folder: Path, overrides: Optional[dict] = None) -> None:
    from bot.emotion import runtime
    from bot.emotion.data import load_yaml_dir

    settings = runtime.settings_with_defaults(overrides or {})
    taxonomy = runtime.taxonomy_for(settings)
    examples = load_yaml_dir(runtime.resolve_repo_path(settings["training_data"]), taxonomy)
    encoder = runtime.load_encoder(settings)
    runtime.train_head_on_examples(examples, encoder, taxonomy, runtime.cues_for(settings), settings).save(folder)


def markdown(latency: list, scores: dict, runs: int) -> str:
    lines = [
        "## Emotion classification (issue 3)",
        "",
        f"Measured by `scripts/emotion/bench.py` on {platform.machine()} with {_cpu_count()} CPU cores "
        f"(load average {_load_average()} at the start), batch of one, {runs} messages of 2 to 90 tokens in "
        "English and German after warm-up, onnxruntime with one thread. The component reads only the "
        "text, so its `process` time (emotion and vulnerability heads, and the encoder when it runs alone) "
        "is the latency it adds to each parse. In the pipeline the intent featurizer has already encoded "
        'the message with the same, shared encoder: the column "in the pipeline".',
        "",
        "| encoder | alone p50 | alone p95 | alone p99 | encoder p95 | head + cues p95 | in the pipeline p95 "
        "| memory added |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in latency:
        name = row.get("name") or ("int8 (default)" if row["quantized"] else "fp32")
        lines.append(
            f"| {name} | {row['total']['p50']} ms | {row['total']['p95']} ms | {row['total']['p99']} ms | "
            f"{row['encoder']['p95']} ms | {row['head_and_cues']['p95']} ms | {row['shared']['p95']} ms | "
            f"{row['rss_added_mb']} MB |"
        )
    lines += [
        "",
        f"Held-out macro-F1 on the project's own examples (fixed stratified 20 % split, head trained on "
        f"the other {scores['train']} examples, default settings):",
        "",
        "| language | macro-F1 | held-out examples |",
        "|---|---|---|",
    ]
    for name, (macro_f1, count) in scores["reports"].items():
        lines.append(f"| {name} | {macro_f1:.3f} | {count} |")
    return "\n".join(lines) + "\n"


def measure_in_subprocess(head_dir: str, quantized: str, args) -> dict:
    """`measure_in_this_process` in a fresh interpreter, so training allocations do not count."""
    command = [sys.executable, __file__, "--runs", str(args.runs), "--warmup", str(args.warmup)]
    output = subprocess.run(
        command + ["--_measure", head_dir, quantized], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _load_average() -> str:
    import os

    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown"


def _cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--out", help="also write the Markdown section to this file")
    parser.add_argument(
        "--baseline-joint",
        action="store_true",
        help="also measure a joint head without language heads (int8), the baseline in the same run",
    )
    parser.add_argument("--_measure", nargs=2, metavar=("HEAD_DIR", "QUANTIZED"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args._measure:
        head_dir, quantized = args._measure
        print(json.dumps(measure_in_this_process(head_dir, quantized == "1", args.runs, args.warmup)))
        return 0

    scores = held_out_scores()
    latency = []
    with tempfile.TemporaryDirectory(prefix="emotion-head-") as head_dir:
        train_full_head(Path(head_dir))
        for quantized in ("1", "0"):
            latency.append(measure_in_subprocess(head_dir, quantized, args))
    if args.baseline_joint:
        with tempfile.TemporaryDirectory(prefix="emotion-joint-head-") as head_dir:
            train_full_head(Path(head_dir), {"language_heads": False})
            latency.append({**measure_in_subprocess(head_dir, "1", args), "name": "int8, joint head only (baseline)"})
    section = markdown(latency, scores, args.runs)
    print(section)
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(section, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
