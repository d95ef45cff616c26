#!/usr/bin/env bash
# `make soak`: the load and soak test through nginx (issue 8); writes its section of docs/benchmarks.md.
# Options go to scripts/bench/soak.py, e.g. `make soak SOAK_ARGS="--customers 30 --duration 120"`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
.venv/bin/python -m scripts.bench.soak "$@"
