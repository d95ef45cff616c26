"""The training job: snapshot → train → evaluate → activate, one at a time, state in Redis.

Nothing is half-applied: the candidate is written outside the models folder until it has passed
the comparison, Rasa swaps models only after the new one has loaded (PUT /model), and
models/CURRENT is written only after every Rasa server reports the new model as active (fleet.py:
with several servers, one that fails puts the others back). A failure at any step leaves the
running assistant on the model it had.
"""

import asyncio
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from admin import yamlio
from admin.intents.checks import normalise
from admin.intents.repository import read_intents
from admin.intents.service import IntentService
from admin.intents.validator import copy_training_tree
from admin.models import ModelSwitch
from admin.settings import REPOSITORY_ROOT, AdminSettings
from admin.training import evaluation
from admin.training.epochs import scale_epochs
from admin.training.fingerprint import model_name
from admin.training.fleet import RasaFleet

logger = logging.getLogger(__name__)
LOG_TAIL_CHARS = 4000


class TrainingBusy(Exception):
    pass


class RollbackImpossible(Exception):
    pass


class TrainingService:
    def __init__(
        self,
        settings: AdminSettings,
        redis: Redis,
        session_factory: sessionmaker,
        rasa_url: str,
        intents: IntentService,
        key_prefix: str = "handoff",
        rasa_instance_urls: Sequence[str] = (),
        rasa_auth: httpx.Auth | None = None,
    ) -> None:
        self._settings = settings
        self._redis = redis
        self._sessions = session_factory
        # The evaluation asks one server (through the load balancer in cluster mode); a model is
        # switched on every server (default: that same one).
        self._rasa_url = rasa_url.rstrip("/")
        self._rasa_auth = rasa_auth
        self.fleet = RasaFleet(rasa_instance_urls or [self._rasa_url], settings.models_dir, rasa_auth)
        self._intents = intents
        self._state_key = f"{key_prefix}:admin:training"
        self._lock_key = f"{key_prefix}:admin:training:lock"
        self._task: asyncio.Task | None = None

    # --- state ----------------------------------------------------------------------------

    async def status(self) -> dict:
        raw = await self._redis.get(self._state_key)
        state = json.loads(raw) if raw else {"status": "idle", "stage": None, "log": ""}
        state["running"] = bool(await self._redis.exists(self._lock_key))
        return state

    async def _set(self, **fields: object) -> None:
        raw = await self._redis.get(self._state_key)
        state = json.loads(raw) if raw else {}
        state.update(fields)
        await self._redis.set(self._state_key, json.dumps(state))

    async def start(self, actor: str) -> dict:
        lock_ttl = int(self._settings.train_timeout_seconds + 600)
        if not await self._redis.set(self._lock_key, actor, nx=True, ex=lock_ttl):
            raise TrainingBusy("a training is already running")
        await self._redis.set(
            self._state_key,
            json.dumps(
                {
                    "status": "running",
                    "stage": "starting",
                    "actor": actor,
                    "started_at": time.time(),
                    "finished_at": None,
                    "log": "",
                    "model": None,
                    "evaluation": None,
                    "error": None,
                }
            ),
        )
        self._task = asyncio.create_task(self._run(actor), name="admin-training")
        return await self.status()

    async def wait(self) -> None:
        """For tests and shutdown: wait for the running job of this process."""
        if self._task is not None:
            await asyncio.shield(self._task)

    async def close(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    # --- the job ---------------------------------------------------------------------------

    async def _run(self, actor: str) -> None:
        try:
            outcome = await self._pipeline(actor)
            await self._set(finished_at=time.time(), **outcome)
        except asyncio.CancelledError:
            await self._set(status="failed", error="the training was stopped", finished_at=time.time())
            raise
        except Exception as error:  # every failure is shown on the page; nothing was switched
            logger.exception("training failed")
            await self._set(status="failed", error=str(error)[:2000], finished_at=time.time())
        finally:
            await self._redis.delete(self._lock_key)

    async def _pipeline(self, actor: str) -> dict:
        settings = self._settings
        with tempfile.TemporaryDirectory(prefix="admin-train-") as temp:
            snapshot = Path(temp) / "tree"
            await self._set(stage="snapshot")
            # Under the intents lock: no change can land between the fingerprint and the copy.
            async with self._intents.lock:
                name = await asyncio.to_thread(model_name, settings.data_root)
                await asyncio.to_thread(self._snapshot, snapshot)
            await self._set(model=f"{name}.tar.gz")
            target = settings.models_dir / f"{name}.tar.gz"
            async with httpx.AsyncClient(base_url=self._rasa_url, timeout=30, auth=self._rasa_auth) as rasa:
                await self._active_model(rasa)  # the server the evaluation asks answers
                if set((await self.fleet.active_models()).values()) == {target.name}:
                    return {
                        "status": "unchanged",
                        "stage": "done",
                        "error": None,
                        "evaluation": {"reason": "the active model was trained from these inputs"},
                    }
                # Trained into the models folder's file system so that placing it is one rename.
                out = Path(tempfile.mkdtemp(prefix=".training-", dir=settings.models_dir))
                try:
                    if await asyncio.to_thread(target.exists):
                        candidate = target
                        await self._append_log(f"{target.name} exists already: not trained again\n")
                    else:
                        await self._set(stage="training")
                        candidate = await self._train(snapshot, out, name)
                    await self._set(stage="evaluating")
                    report = await self._evaluate(snapshot, candidate, rasa)
                    if not report["accepted"]:
                        return {
                            "status": "rejected",
                            "stage": "done",
                            "evaluation": report,
                            "error": "the new model was not activated: " + report["reason"],
                        }
                    await self._set(stage="activating", evaluation=report)
                    if candidate != target:
                        await asyncio.to_thread(os.replace, candidate, target)
                finally:
                    await asyncio.to_thread(shutil.rmtree, out, True)
        await self.switch_to(actor, "activate", target, report)
        return {"status": "succeeded", "stage": "done", "evaluation": report, "error": None}

    def _snapshot(self, snapshot: Path) -> None:
        root = self._settings.data_root
        copy_training_tree(root, snapshot)
        # The emotion component reads its examples (emotion, vulnerability) and the encoder
        # relative to the working folder.
        for folder in ("emotion", "vulnerability"):
            if (root / "nlu_data" / folder).is_dir():
                shutil.copytree(root / "nlu_data" / folder, snapshot / "nlu_data" / folder)
        (snapshot / "models").symlink_to(REPOSITORY_ROOT / "models", target_is_directory=True)

    async def _append_log(self, text: str) -> None:
        state = await self.status()
        await self._set(log=(state.get("log", "") + text)[-LOG_TAIL_CHARS:])

    async def _train(self, snapshot: Path, out: Path, name: str) -> Path:
        settings = self._settings
        command = [
            str(settings.rasa_cli),
            "train",
            "--force",
            "--config",
            "bot/config.yml",
            "--domain",
            "bot/domain",
            "--data",
            "bot/data",
            "nlu_data/intents",
            "--out",
            str(out),
            "--fixed-model-name",
            name,
        ]
        if settings.epoch_fraction < 1:
            scaled = scale_epochs(snapshot / "bot" / "config.yml", settings.epoch_fraction)
            await self._append_log(f"epochs scaled by {settings.epoch_fraction}: {scaled}\n")
        env = {
            "PYTHONPATH": str(REPOSITORY_ROOT),
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(snapshot),
            "SENTENCE_EMBEDDING_STORE": settings.sentence_embedding_store,
        }
        process = await asyncio.create_subprocess_exec(
            *command, cwd=snapshot, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
        )
        log = ""

        async def pump() -> None:
            nonlocal log
            assert process.stdout is not None
            while chunk := await process.stdout.read(2048):
                log = (log + chunk.decode("utf-8", "replace").replace("\r", "\n"))[-LOG_TAIL_CHARS:]
                await self._set(log=log)

        try:
            await asyncio.wait_for(pump(), settings.train_timeout_seconds)
            await process.wait()
        except (TimeoutError, asyncio.CancelledError):
            process.kill()
            await process.wait()
            raise RuntimeError("the training took too long and was stopped") from None
        model = out / f"{name}.tar.gz"
        if process.returncode != 0 or not model.exists():
            raise RuntimeError(f"rasa train failed (exit {process.returncode}); see the log")
        return model

    async def _evaluate(self, snapshot: Path, candidate: Path, rasa: httpx.AsyncClient) -> dict:
        intents = await asyncio.to_thread(read_intents, snapshot)
        examples = {normalise(e) for view in intents.values() for texts in view.state.examples.values() for e in texts}
        cases = evaluation.load_cases(self._settings.heldout_path, examples, set(intents))
        texts = [case.text for case in cases]
        candidate_predictions = await evaluation.parse_with_model_file(
            self._settings.rasa_python, REPOSITORY_ROOT, candidate, texts, self._settings.train_timeout_seconds
        )
        candidate_score = evaluation.accuracy(cases, candidate_predictions)
        try:
            active_score = evaluation.accuracy(cases, await evaluation.parse_with_running_rasa(rasa, texts))
        except httpx.HTTPError as error:
            raise RuntimeError(f"the running Rasa could not be asked for comparison: {error}") from None
        accepted, reason = evaluation.verdict(candidate_score, active_score, self._settings.max_accuracy_drop)
        return {
            "accepted": accepted,
            "reason": reason,
            "candidate": candidate_score,
            "active": active_score,
            "rule": f"candidate accuracy ≥ active accuracy − {self._settings.max_accuracy_drop}",
        }

    # --- switching models --------------------------------------------------------------------

    async def _active_model(self, rasa: httpx.AsyncClient) -> str | None:
        try:
            response = await rasa.get("/status")
            response.raise_for_status()
            return response.json().get("model_file")
        except httpx.HTTPError as error:
            raise RuntimeError(f"Rasa does not answer at {self._rasa_url}: {error}") from None

    async def switch_to(self, actor: str, action: str, model: Path, report: dict | None = None) -> str | None:
        """Puts every Rasa server on `model`, then models/CURRENT and the record; returns the
        model served before (by the first server). On FleetSwitchFailed nothing is written and the
        servers are back on their models (the error says so, or says which are not)."""
        previous = await self.fleet.activate(model)
        await asyncio.to_thread(yamlio.write_atomic, self._settings.models_dir / "CURRENT", f"{model.name}\n")
        before = previous[self.fleet.servers[0]]
        await asyncio.to_thread(self._record, actor, action, model.name, before, report)
        return before

    def _record(self, actor: str, action: str, model: str, previous: str | None, report: dict | None) -> None:
        with self._sessions() as session, session.begin():
            session.add(
                ModelSwitch(actor=actor, action=action, model=model, previous_model=previous, evaluation=report)
            )

    def switches(self, limit: int = 20) -> list[dict]:
        with self._sessions() as session:
            query = select(ModelSwitch).order_by(ModelSwitch.id.desc()).limit(limit)
            return [switch.to_dict() for switch in session.scalars(query)]

    async def rollback(self, actor: str) -> dict:
        """Activate the model that was active before the last switch."""
        lock_ttl = 900
        if not await self._redis.set(self._lock_key, actor, nx=True, ex=lock_ttl):
            raise TrainingBusy("a training or rollback is running")
        try:
            switches = await asyncio.to_thread(self.switches, 1)
            if not switches or not switches[0]["previous_model"]:
                raise RollbackImpossible("there is no earlier model to go back to")
            target = self._settings.models_dir / switches[0]["previous_model"]
            if not await asyncio.to_thread(target.exists):
                raise RollbackImpossible(f"the earlier model {target.name} is no longer in the models folder")
            active = await self.switch_to(actor, "rollback", target)
            return {"model": target.name, "previous_model": active}
        finally:
            await self._redis.delete(self._lock_key)
