#!/usr/bin/env bash
# Trains the Rasa model when its inputs changed. The model is named after a fingerprint of
# everything that goes into it, so an unchanged tree never retrains (Rasa's own cache does not
# see the emotion examples, which the emotion component reads itself).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh

TRAINING_INPUTS=(bot/config.yml bot/domain bot/data nlu_data bot/components bot/emotion requirements/rasa.txt
                 models/encoder/all-MiniLM-L6-v2/manifest.json)

fingerprint() {
  find "${TRAINING_INPUTS[@]}" -type f \( -name '*.yml' -o -name '*.yaml' -o -name '*.py' -o -name '*.txt' -o -name '*.json' -o -name '*.tsv' \) \
    -not -path '*/__pycache__/*' 2>/dev/null | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16
}

for step in scripts/train.d/*.sh; do
  [ -f "$step" ] && source "$step"
done

name="assistant-$(fingerprint)"
mkdir -p models
if [ -f "models/$name.tar.gz" ] && [ "${FORCE_TRAIN:-0}" != "1" ]; then
  echo "[train] model models/$name.tar.gz is up to date"
else
  echo "[train] training models/$name.tar.gz (inputs changed; a few minutes on 2 cores; log: var/log/train.log)"
  mkdir -p var/log
  started=$SECONDS
  if ! .venv-rasa/bin/rasa train --force \
      --config bot/config.yml --domain bot/domain --data bot/data nlu_data/intents \
      --out models --fixed-model-name "$name" >var/log/train.log 2>&1; then
    # Progress bars make the log one long line: show its last characters.
    echo "[train] training failed; the end of var/log/train.log:" >&2
    tail -c 4000 var/log/train.log | tr '\r' '\n' | tail -n 40 >&2
    exit 1
  fi
  echo "[train] trained in $((SECONDS - started)) s"
fi
echo "$name.tar.gz" > models/CURRENT
