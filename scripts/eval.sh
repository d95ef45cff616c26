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
# Intents, routing, out-of-scope and emotion through the whole trained NLU pipeline.
.venv-rasa/bin/python scripts/eval/understanding.py --data "$DATA" --model "$MODEL" \
  --json results/eval/understanding.json 2> results/eval/understanding.log | tee results/eval/understanding.md
for step in scripts/eval.d/*.sh; do
  [ -f "$step" ] && source "$step"
done
echo "[eval] reports in results/eval/"
