#!/usr/bin/env bash
# `make eval`: accuracy on public development data that nobody on this team wrote. Optional: it
# reads ../shared/data (not part of the repository) and skips when that folder is absent.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
DATA="${SHARED_DATA_DIR:-$ROOT/../shared/data}"
if [ ! -d "$DATA" ]; then
  echo "[eval] $DATA is not there: nothing to evaluate (this step is optional)."
  exit 0
fi
mkdir -p results/eval
MODEL="models/$(cat models/CURRENT)"
if [ -f "$DATA/bitext/dev.csv" ]; then
  .venv-rasa/bin/python scripts/eval/intents.py --data "$DATA/bitext/dev.csv" --model "$MODEL" \
    2> results/eval/intents.log | tee results/eval/intents.md
fi
for step in scripts/eval.d/*.sh; do
  [ -f "$step" ] && source "$step"
done
echo "[eval] reports in results/eval/"
