#!/usr/bin/env bash
# The whole test suite, stage by stage. Every stage runs even when an earlier one failed, so one
# run shows every problem; the exit code is non-zero when any stage failed.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
mkdir -p results

RASA=.venv-rasa/bin/rasa
MODEL="models/$(cat models/CURRENT)"
failed=()
durations=()

stage() {
  local name="$1"; shift
  local started=$SECONDS
  printf '\n\033[1;34m[test] %s\033[0m\n' "$name"
  if "$@"; then printf '\033[1;32m[test] %s: ok\033[0m\n' "$name"; else failed+=("$name"); printf '\033[1;31m[test] %s: FAILED\033[0m\n' "$name"; fi
  durations+=("$(printf '%5d s  %s' $((SECONDS - started)) "$name")")
}

lint() {
  .venv/bin/ruff check . && .venv/bin/ruff format --check .
}

validate_data() {
  $RASA data validate --config bot/config.yml --domain bot/domain --data bot/data nlu_data/intents \
    --fail-on-warnings
}

story_tests() {
  $RASA test core --model "$MODEL" --stories bot/tests --fail-on-prediction-errors \
    --out results/stories
}

nlu_cross_validation() {
  # The intents' pipeline, lighter: no emotion classifier (it reads no intent data) and no FAQ
  # response selector (the floor is on intents), and DIET with a third of the epochs (it reaches
  # 99 % training accuracy by epoch 10). Three full trainings would add a quarter of an hour.
  mkdir -p var
  .venv/bin/python scripts/cross_validation_config.py bot/config.yml >var/config-cross-validation.yml
  rm -rf results/nlu-cross-validation
  .venv-rasa/bin/python scripts/nlu_cross_validation.py --config var/config-cross-validation.yml \
    --nlu nlu_data/intents --folds 3 --out results/nlu-cross-validation \
    >results/nlu-cross-validation.log 2>&1 || { tail -n 40 results/nlu-cross-validation.log; return 1; }
  .venv/bin/python scripts/report_cross_validation.py results/nlu-cross-validation
}

# The admin console's retraining test: one real training of the whole model (several minutes of
# CPU) between a running Rasa and the console. Run in the lane beside the other stages.
RETRAINING_TEST=tests/admin/test_admin_retraining.py
retraining_test() {
  .venv/bin/python -m pytest -q -p no:cacheprovider "$RETRAINING_TEST"
}

# The cross-validation and the retraining test only need the CPU; the services' tests mostly wait
# on processes and the browser. So they run one after the other beside them (the cross-validation
# pinned to one core at low priority, the retraining test, which drives its own Rasa server, at
# normal priority once it is done), and are awaited at the end.
cross_validation_in_background() {
  [ "${SKIP_CROSS_VALIDATION:-0}" = "1" ] && return
  cv_started=$SECONDS
  (
    status=0
    taskset -c "$(($(nproc) - 1))" nice -n 10 bash -c "$(declare -f nlu_cross_validation); nlu_cross_validation" || status=1
    echo "[lane] cross-validation done after $((SECONDS - cv_started)) s; the retraining test follows"
    retraining_test || status=1
    exit $status
  ) >results/cross-validation-stage.log 2>&1 &
  cv_pid=$!
}

await_cross_validation() {
  [ -z "${cv_pid:-}" ] && return
  local name="NLU cross-validation (3 folds), then the admin retraining test (beside the other stages)"
  printf '\n\033[1;34m[test] %s\033[0m\n' "$name"
  if wait "$cv_pid"; then
    cat results/cross-validation-stage.log; printf '\033[1;32m[test] %s: ok\033[0m\n' "$name"
  else
    cat results/cross-validation-stage.log; failed+=("$name"); printf '\033[1;31m[test] %s: FAILED\033[0m\n' "$name"
  fi
  durations+=("$(printf '%5d s  %s' $((SECONDS - cv_started)) "$name")")
}

stage "lint and format (ruff)" lint
stage "import contracts between the services (import-linter)" .venv/bin/lint-imports --no-cache
stage "Rasa data validation" validate_data
cross_validation_in_background
stage "unit tests (Rasa environment: actions, components, contracts)" .venv-rasa/bin/python -m pytest -q -p no:cacheprovider tests/bot tests/customer_db tests/contracts
stage "web client unit tests (vitest)" bash -c "cd web_client && npx --no-install vitest run --reporter=dot"
# The retraining test runs in the lane beside (above) unless that lane is off.
services_ignore=(--ignore=tests/bot)
[ "${SKIP_CROSS_VALIDATION:-0}" = "1" ] || services_ignore+=(--ignore="$RETRAINING_TEST")
stage "unit and integration tests (services environment)" .venv/bin/python -m pytest -q -p no:cacheprovider --durations=20 tests "${services_ignore[@]}"
stage "emotion export tests (services environment: ONNX vs sentence-transformers, tiny HF model)" \
  .venv/bin/python -m pytest -q -p no:cacheprovider tests/bot/emotion/export
stage "story tests (rasa test, both languages)" story_tests
await_cross_validation

echo
printf '\033[1;34m[test] stage durations (%d s in all):\033[0m\n' "$SECONDS"
printf '  %s\n' "${durations[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  printf '\033[1;31m[test] failed stages:\033[0m\n'; printf '  - %s\n' "${failed[@]}"
  exit 1
fi
printf '\033[1;32m[test] every stage passed\033[0m\n'
