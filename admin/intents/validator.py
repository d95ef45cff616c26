"""Rasa's own validator on a change before it is accepted.

The training inputs are copied to a temporary tree, the change is applied there, and
`rasa data validate --fail-on-warnings` runs on the copy (the same call as `make test`). The real
tree is only written once the copy passed.
"""

import asyncio
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

TRAINING_TREE = (Path("bot") / "config.yml", Path("bot") / "domain", Path("bot") / "data", Path("nlu_data") / "intents")
VALIDATE_ARGS = (
    "data",
    "validate",
    "--config",
    "bot/config.yml",
    "--domain",
    "bot/domain",
    "--data",
    "bot/data",
    "nlu_data/intents",
    "--fail-on-warnings",
)


class ValidationFailed(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def copy_training_tree(root: Path, target: Path) -> None:
    for relative in TRAINING_TREE:
        source = root / relative
        if source.is_dir():
            shutil.copytree(source, target / relative, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / relative)


def _problems_from_output(output: str) -> list[str]:
    lines = [line.strip() for line in output.replace("\r", "\n").splitlines()]
    picked = [line for line in lines if "UserWarning" in line or "Error" in line or "error" in line.lower()]
    return (picked or lines)[-12:]


async def validate_change(
    root: Path,
    apply: Callable[[Path], None],
    *,
    rasa_cli: Path,
    time_limit: float,
    code_root: Path,
    run_rasa: bool = True,
) -> None:
    """Apply ``apply`` to a copy of the training tree and run Rasa's validator on it."""
    with tempfile.TemporaryDirectory(prefix="admin-validate-") as temp:
        copy = Path(temp)
        await asyncio.to_thread(copy_training_tree, root, copy)
        await asyncio.to_thread(apply, copy)
        if not run_rasa:
            return
        if not await asyncio.to_thread(rasa_cli.is_file):
            raise ValidationFailed([f"Rasa's validator is not installed here ({rasa_cli}); run `make setup`"])
        process = await asyncio.create_subprocess_exec(
            str(rasa_cli),
            *VALIDATE_ARGS,
            cwd=copy,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            env={
                "RASA_TELEMETRY_ENABLED": "false",
                "TF_CPP_MIN_LOG_LEVEL": "3",
                "PATH": "/usr/bin:/bin",
                # The config names the bot's own components: they are imported from the code tree.
                "PYTHONPATH": str(code_root),
                "HOME": temp,
            },
        )
        try:
            output, _ = await asyncio.wait_for(process.communicate(), time_limit)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise ValidationFailed(["Rasa's validator did not finish in time"]) from None
        if process.returncode != 0:
            raise ValidationFailed(_problems_from_output(output.decode("utf-8", "replace")))
