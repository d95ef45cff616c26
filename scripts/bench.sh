#!/usr/bin/env bash
# `make bench`: measures the running system and writes docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
.venv/bin/python -m scripts.bench.run "$@"
