#!/usr/bin/env python
"""Print (or run) the exports a Rasa config needs before `rasa train`.

    python scripts/emotion/pending_exports.py [--config bot/config.yml] [--run]

Prints one command per transformers emotion model named in the config that has not been
exported yet, nothing when there is nothing to do. With --run it runs them (they need the torch
environment, .venv/).
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys

from _bootstrap import add_repo_root_to_path

ROOT = add_repo_root_to_path()

from scripts.emotion.training.exports import pending_export_commands  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="bot/config.yml")
    parser.add_argument("--run", action="store_true", help="run the exports instead of printing them")
    args = parser.parse_args(argv)
    commands = pending_export_commands(ROOT / args.config if not args.config.startswith("/") else args.config)
    for command in commands:
        print(command)
        if args.run:
            subprocess.run(shlex.split(command), cwd=ROOT, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
