#!/usr/bin/env bash
# One-time (and idempotent) setup: system packages, the two Python environments, the exported
# emotion encoder and the demo customer database. Every step is skipped when its result is present
# and up to date, so a second run takes seconds.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/env.sh
source scripts/env.sh

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }
PIP_FLAGS=(--disable-pip-version-check --no-input --progress-bar off -q)
# pip, without the noise of index locations that some machines' pip.conf names but lacks.
pip_install() {
  local venv="$1"; shift
  "$venv/bin/pip" install "${PIP_FLAGS[@]}" "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}

# --- system packages -------------------------------------------------------------------------
SYSTEM_PACKAGES=(redis-server espeak-ng libespeak-ng1 chromium chromium-driver nginx)
missing_system_packages() {
  local pkg missing=()
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  echo "${missing[@]:-}"
}
ensure_system_packages() {
  local missing
  missing="$(missing_system_packages)"
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    log "installing system packages: $missing"
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    die "missing system packages: $missing
  install them first, e.g.:  sudo apt-get install -y $missing"
  fi
}

# --- Python 3.10 for Rasa ----------------------------------------------------------------------
find_python310() {
  local candidate
  for candidate in "${PYTHON310:-}" "$(command -v python3.10 || true)"; do
    if [ -n "$candidate" ] && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  if command -v pyenv >/dev/null; then
    for candidate in "$(pyenv root)"/versions/3.10*/bin/python3.10; do
      [ -x "$candidate" ] && { echo "$candidate"; return 0; }
    done
  fi
  if command -v uv >/dev/null; then
    candidate="$(uv python find 3.10 2>/dev/null || true)"
    if [ -z "$candidate" ] && uv python install 3.10 >/dev/null 2>&1; then
      candidate="$(uv python find 3.10 2>/dev/null || true)"
    fi
    [ -n "$candidate" ] && { echo "$candidate"; return 0; }
  fi
  return 1
}

# Recreates/updates a virtual environment when its requirement file changed since the last install.
ensure_venv() {
  local venv="$1" python="$2" requirements="$3"; shift 3
  local stamp="$venv/.requirements.sha256" want
  want="$(cat "$requirements" "$@" 2>/dev/null | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  if [ ! -x "$venv/bin/python" ]; then
    log "creating $venv with $("$python" --version)"
    "$python" -m venv "$venv"
    pip_install "$venv" --upgrade pip wheel
  fi
  echo "$want" >"$stamp.pending"
  printf '%s\n' "installing $requirements into $venv (first run: a few minutes)"
}

setup_rasa_env() {
  local py310
  py310="$(find_python310)" || die "Rasa 3.6 needs Python 3.10 and none was found.
  Install one with pyenv (pyenv install 3.10), uv (uv python install 3.10) or your package manager,
  or point PYTHON310 at its interpreter:  make setup PYTHON310=/path/to/python3.10"
  ensure_venv .venv-rasa "$py310" requirements/rasa.txt
  if [ -f .venv-rasa/.requirements.sha256.pending ]; then
    pip_install .venv-rasa -r requirements/rasa.txt
    mv .venv-rasa/.requirements.sha256.pending .venv-rasa/.requirements.sha256
  fi
}

setup_services_env() {
  local py311
  py311="$(command -v python3.11 || command -v python3)"
  "$py311" -c 'import sys; assert sys.version_info[:2] >= (3, 11)' 2>/dev/null \
    || die "the services need Python 3.11 or newer (found $("$py311" --version 2>&1))"
  ensure_venv .venv "$py311" requirements/services.txt
  if [ -f .venv/.requirements.sha256.pending ]; then
    # torch on its own first: 2.13.0 is the CPU build; asking for it through another package
    # would pull the CUDA packages.
    pip_install .venv torch==2.13.0
    pip_install .venv -r requirements/services.txt
    mv .venv/.requirements.sha256.pending .venv/.requirements.sha256
  fi
}

setup_models_and_data() {
  mkdir -p var/log models
  local step
  for step in scripts/setup.d/*.sh; do
    [ -f "$step" ] || continue
    # shellcheck source=/dev/null
    source "$step"
  done
}

ensure_system_packages
setup_rasa_env
setup_services_env
setup_models_and_data
log "setup complete"
