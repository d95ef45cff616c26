"""Cross-validation of the intents on the project's own data, as `make test` runs it.

    .venv-rasa/bin/python scripts/nlu_cross_validation.py --config var/config-cross-validation.yml \\
        --nlu nlu_data/intents --folds 3 --out results/nlu-cross-validation

Like `rasa test nlu --cross-validation`, but it only parses the held-out fold of each split (Rasa
also parses the training folds, which doubles the time and says nothing about generalisation).
Folds are stratified by intent with a fixed seed. Writes `intent_report.json` (scikit-learn's
classification report, the format scripts/report_cross_validation.py reads) and `errors.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def fold_predictions(config: Path, train, test, work: Path, fold: int) -> list[str]:
    """Trains on `train` (Rasa TrainingData) and returns the intent predicted for each test example."""
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    data_file = work / f"fold-{fold}.yml"
    data_file.write_text(train.nlu_as_yaml(), encoding="utf-8")
    model = train_nlu(str(config), str(data_file), str(work), fixed_model_name=f"fold-{fold}")
    agent = Agent.load(model)

    async def parse_all() -> list[str]:
        return [((await agent.parse_message(example.get("text")))["intent"] or {}).get("name") for example in test]

    return asyncio.run(parse_all())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--nlu", type=Path, required=True)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData
    from rasa.utils.log_utils import configure_structlog
    from sklearn.metrics import classification_report
    from sklearn.model_selection import StratifiedKFold

    configure_structlog(logging.WARNING)
    data = load_data(str(args.nlu))
    examples = data.intent_examples
    intents = [example.get("intent") for example in examples]
    expected, predicted, errors = [], [], []
    splitter = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=args.seed)
    with tempfile.TemporaryDirectory(prefix="nlu-cv-") as folder:
        for fold, (train_rows, test_rows) in enumerate(splitter.split(examples, intents)):
            train = TrainingData(
                training_examples=[examples[row] for row in train_rows],
                regex_features=data.regex_features,
                lookup_tables=data.lookup_tables,
            )
            test = [examples[row] for row in test_rows]
            got = fold_predictions(args.config, train, test, Path(folder), fold)
            for example, intent in zip(test, got):
                expected.append(example.get("intent"))
                predicted.append(intent or "none")
                if intent != example.get("intent"):
                    errors.append({"text": example.get("text"), "intent": example.get("intent"), "predicted": intent})
            print(f"fold {fold + 1}/{args.folds}: {len(test)} held-out examples", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    report = classification_report(expected, predicted, labels=sorted(set(expected)), output_dict=True, zero_division=0)
    (args.out / "intent_report.json").write_text(json.dumps(report, indent=2))
    (args.out / "errors.json").write_text(json.dumps(errors, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
