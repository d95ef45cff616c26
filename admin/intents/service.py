"""Accepting intent changes: own checks → Rasa's validator on a copy → write → record.

One change at a time (a lock), so two admins cannot interleave half-written files. A change that
fails any step leaves the tree as it was.
"""

import asyncio
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from admin.intents import checks
from admin.intents.repository import IntentState, IntentView, apply_state, domain_entities, read_intents
from admin.intents.validator import ValidationFailed, validate_change
from admin.models import IntentChange
from admin.settings import REPOSITORY_ROOT, AdminSettings


class ChangeRejected(Exception):
    """The change is not accepted; ``problems`` say why (shown to the admin)."""

    def __init__(self, problems: list[str], status: int = 422) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.status = status


class IntentService:
    def __init__(self, settings: AdminSettings, session_factory: sessionmaker) -> None:
        self._settings = settings
        self._sessions = session_factory
        self._lock = asyncio.Lock()

    @property
    def lock(self) -> asyncio.Lock:
        """Held while a change is written (the training holds it while it copies the data)."""
        return self._lock

    @property
    def root(self) -> Path:
        return self._settings.data_root

    async def all(self) -> dict[str, IntentView]:
        return await asyncio.to_thread(read_intents, self.root)

    async def save(
        self,
        actor: str,
        name: str,
        state: IntentState | None,
        *,
        create: bool = False,
        comment: str = "",
        reverts: int | None = None,
    ) -> dict:
        async with self._lock:
            intents = await asyncio.to_thread(read_intents, self.root)
            before = intents.get(name)
            self._check_transition(name, before, state, create)
            if state is not None:
                if before is not None and before.state.responses is None and state.responses is not None:
                    raise ChangeRejected([f"{name} is answered by {before.handled_by}, not by a response text"])
                if before is not None and before.state.responses is not None and state.responses is None:
                    state = IntentState(state.examples, before.state.responses)
                entities = await asyncio.to_thread(domain_entities, self.root)
                problems = checks.check_state(
                    name,
                    state,
                    intents,
                    entities,
                    max_example_chars=self._settings.max_example_chars,
                    max_examples=self._settings.max_examples_per_language,
                    max_response_chars=self._settings.max_response_chars,
                    max_responses=self._settings.max_responses_per_language,
                )
                if problems:
                    raise ChangeRejected(problems)

            def apply(root: Path) -> None:
                apply_state(root, name, before, state)

            try:
                await validate_change(
                    self.root,
                    apply,
                    rasa_cli=self._settings.rasa_cli,
                    time_limit=self._settings.validate_timeout_seconds,
                    code_root=REPOSITORY_ROOT,
                    run_rasa=self._settings.rasa_validate,
                )
            except ValidationFailed as error:
                raise ChangeRejected(["Rasa's validator rejected the change:", *error.problems]) from None
            await asyncio.to_thread(apply, self.root)
            action = "revert" if reverts else ("create" if before is None else "delete" if state is None else "update")
            return await asyncio.to_thread(
                self._record,
                actor,
                name,
                action,
                before.state.to_dict() if before else None,
                state.to_dict() if state else None,
                comment,
                reverts,
            )

    @staticmethod
    def _check_transition(name: str, before: IntentView | None, state: IntentState | None, create: bool) -> None:
        problems = checks.check_name(name) if "/" not in name else []
        if create and before is not None:
            raise ChangeRejected([f"the intent {name} exists already"], status=409)
        if create and problems:
            raise ChangeRejected(problems)
        if not create and before is None and state is not None:
            raise ChangeRejected([f"there is no intent {name}"], status=404)
        if state is None and before is None:
            raise ChangeRejected([f"there is no intent {name}"], status=404)
        if state is None and before is not None and not before.created_in_console:
            raise ChangeRejected(
                [
                    f"{name} is part of the bot's design (stories and actions use it); "
                    "only intents created in the console can be removed"
                ],
                status=409,
            )

    def _record(
        self,
        actor: str,
        name: str,
        action: str,
        before: dict | None,
        after: dict | None,
        comment: str,
        reverts: int | None,
    ) -> dict:
        with self._sessions() as session, session.begin():
            change = IntentChange(
                actor=actor,
                intent=name,
                action=action,
                before=before,
                after=after,
                comment=comment[:500],
                reverts=reverts,
            )
            session.add(change)
            session.flush()
            return change.to_dict()

    def history(self, intent: str | None, limit: int) -> list[dict]:
        with self._sessions() as session:
            query = select(IntentChange).order_by(IntentChange.id.desc()).limit(limit)
            if intent:
                query = query.where(IntentChange.intent == intent)
            return [change.to_dict() for change in session.scalars(query)]

    def _change(self, change_id: int) -> IntentChange | None:
        with self._sessions() as session:
            return session.get(IntentChange, change_id)

    async def revert(self, actor: str, change_id: int) -> dict:
        """Put the intent back to its state before change ``change_id`` (itself a new change)."""
        change = await asyncio.to_thread(self._change, change_id)
        if change is None:
            raise ChangeRejected([f"there is no change {change_id}"], status=404)
        target = None if change.before is None else IntentState.from_dict(change.before)
        intents = await self.all()
        exists = change.intent in intents
        if target is not None and not exists:
            return await self.save(
                actor, change.intent, target, create=True, comment=f"revert of change {change_id}", reverts=change_id
            )
        return await self.save(actor, change.intent, target, comment=f"revert of change {change_id}", reverts=change_id)
