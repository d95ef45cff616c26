"""The queue in Redis: durable (AOF), and every state change atomic.

Keys (prefix ``handoff``):
- ``conv:{id}`` hash: conversation_id, handoff_id, state (queued | assigned | ended), skill,
  language, reason, reason_text, distress, emotion, requested_at, agent, agent_display, claimed_at,
  customer_id, customer_name, bonus, last_message, last_message_at (the customer's latest line,
  for the queue list).
- ``conv:{id}:context`` the context package (JSON); ``conv:{id}:messages`` stream of chat lines
  (kind customer | agent | note | whisper | system, author, author_name, author_role, text, ts;
  the stream entry id is the line's id, so a console shows each line once however often it reads);
  ``conv:{id}:sources`` hash: where a line that must be added once came from → its id
  (``customer:<the bridge's message id>``: a replayed inbox entry is one line;
  ``joined:<supervisor>``: one "joined" line however many barge-ins race).
- ``queue`` sorted set of waiting conversation ids (score = requested_at); ``rank:{skill}:{language}``
  the same ones per route, best first, and ``rank_light:`` / ``rank_heavy:`` split by heaviness
  (handoff/queue/rank_index.py);
  ``live`` sorted set of queued and assigned ones; ``agent:{u}:convs`` set of an agent's ones.
- ``agent:{u}`` hash: display_name, skills, languages, paused, load, load_ts;
  ``presence`` sorted set username → last time their console was connected.
- ``version`` counter, increased on every change (consoles refresh when it moves).
"""

import json
import time

from redis.asyncio import Redis

from handoff.auth.tokens import AuthUser
from handoff.core.config import HandoffSettings
from handoff.queue import rank_index, scripts
from handoff.queue.rank_index import case_of, heavy_key, index_entries, index_prefixes, light_key, rank_key
from handoff.queue.routing import AgentState, QueuedCase, RoutingRules

# Handle times kept per skill and for all skills: enough for a steady median (wait_estimate.py).
HANDLE_SAMPLES = 50
LAST_LINE_CHARS = 300
MAX_LINES = 5000
# Claims remembered per agent: enough for a long shift.
CLAIM_HISTORY = 200


class QueueStore:
    def __init__(self, redis: Redis, settings: HandoffSettings) -> None:
        self.redis = redis
        self.settings = settings
        self.rules = RoutingRules.from_settings(settings)
        self._claim = redis.register_script(scripts.CLAIM)
        self._claim_best = redis.register_script(scripts.CLAIM_BEST)
        self._claim_lighter = redis.register_script(scripts.CLAIM_LIGHTER)
        self._set_last_line = redis.register_script(scripts.SET_LAST_LINE)
        self._release = redis.register_script(scripts.RELEASE)
        self._finish = redis.register_script(scripts.FINISH)
        self._add_once = redis.register_script(scripts.ADD_ONCE)

    # --- keys ------------------------------------------------------------------------------------
    def k(self, *parts: str) -> str:
        return self.settings.key(*parts)

    def conv_key(self, cid: str) -> str:
        return self.k("conv", cid)

    async def bump(self) -> None:
        await self.redis.incr(self.k("version"))

    async def version(self) -> int:
        return int(await self.redis.get(self.k("version")) or 0)

    async def ensure_rank_index(self) -> int | None:
        """Start-up: the ranked index built from the queue if missing or stale (rank_index.ensure)."""
        return await rank_index.ensure(self.redis, self.settings, self.rules)

    # --- conversations ---------------------------------------------------------------------------
    async def enqueue(self, conv: dict, context: dict) -> bool:
        """Puts a new handoff in the queue; False if this handoff is stored already (replay).

        A second handoff for a conversation that is still live updates its context only.
        """
        cid = conv["conversation_id"]
        key = self.conv_key(cid)
        existing = await self.redis.hgetall(key)
        if existing.get("handoff_id") == conv["handoff_id"]:
            return False
        fields = {name: ("" if value is None else str(value)) for name, value in conv.items()}
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(self.k("conv", cid, "context"), json.dumps(context, ensure_ascii=False, default=str))
            if existing.get("state") in ("queued", "assigned"):
                pipe.hset(
                    key, mapping={"handoff_id": fields["handoff_id"], "reason_text": fields.get("reason_text", "")}
                )
            else:
                pipe.delete(key)
                pipe.hset(key, mapping={**fields, "state": "queued", "agent": "", "agent_display": ""})
                pipe.zadd(self.k("queue"), {cid: float(conv["requested_at"])})
                pipe.zadd(self.k("live"), {cid: float(conv["requested_at"])})
                for index, score in index_entries(self.settings, case_of(conv), self.rules).items():
                    pipe.zadd(index, {cid: score})
            pipe.incr(self.k("version"))
            await pipe.execute()
        return True

    async def get(self, cid: str) -> dict | None:
        data = await self.redis.hgetall(self.conv_key(cid))
        return data or None

    async def context(self, cid: str) -> dict:
        raw = await self.redis.get(self.k("conv", cid, "context"))
        return json.loads(raw) if raw else {}

    async def queued_ids(self) -> list[str]:
        return list(await self.redis.zrange(self.k("queue"), 0, -1))

    async def live_ids(self) -> list[str]:
        return list(await self.redis.zrange(self.k("live"), 0, -1))

    async def many(self, ids: list[str]) -> list[dict]:
        if not ids:
            return []
        async with self.redis.pipeline(transaction=False) as pipe:
            for cid in ids:
                pipe.hgetall(self.conv_key(cid))
            rows = await pipe.execute()
        return [row for row in rows if row]

    async def queued_cases(self) -> list[QueuedCase]:
        return [case_of(row) for row in await self.many(await self.queued_ids()) if row.get("state") == "queued"]

    async def agent_conversations(self, username: str) -> list[dict]:
        ids = sorted(await self.redis.smembers(self.k("agent", username, "convs")))
        return [row for row in await self.many(ids) if row.get("state") == "assigned"]

    async def claim(self, cid: str, user: AuthUser, now: float | None = None) -> bool:
        keys = [self.conv_key(cid), self.k("queue"), self.k("agent", user.username, "convs"), self.k("version")]
        args = [cid, user.username, user.display_name, now or time.time(), *index_prefixes(self.settings)]
        return bool(await self._claim(keys=keys, args=args))

    async def claim_best(self, index_keys: list[str], user: AuthUser, now: float | None = None) -> str | None:
        """Claims the best waiting conversation across these index keys; its id, or None if none waits."""
        if not index_keys:
            return None
        args = [*self._claim_args(user, now), *index_keys]
        return await self._claim_best(keys=self._claim_keys(user), args=args) or None

    async def claim_lighter(
        self, routes: list[tuple[str, str]], overdue: set[tuple[str, str]], user: AuthUser, now: float
    ) -> str | None:
        """Claims the best light case of these routes (skill, language), or heavy case requested
        heavy_override_seconds before `now` on the `overdue` routes (scripts.CLAIM_LIGHTER); its id,
        or None if none waits."""
        if not routes:
            return None
        cutoff = now - self.rules.heavy_override_seconds
        per_route = [
            (
                light_key(self.settings, *route),
                heavy_key(self.settings, *route) if route in overdue else "",
                rank_key(self.settings, *route),
            )
            for route in routes
        ]
        args = [*self._claim_args(user, now), cutoff, *(key for keys in per_route for key in keys)]
        return await self._claim_lighter(keys=self._claim_keys(user), args=args) or None

    async def overdue_heavy(self, routes: list[tuple[str, str]], now: float) -> list[tuple[str, str]]:
        """The routes with a heavy case waiting since heavy_override_seconds before `now` or longer."""
        cutoff = now - self.rules.heavy_override_seconds
        async with self.redis.pipeline(transaction=False) as pipe:
            for route in routes:
                pipe.zcount(heavy_key(self.settings, *route), "-inf", cutoff)
            counts = await pipe.execute()
        return [route for route, count in zip(routes, counts, strict=True) if count]

    def _claim_keys(self, user: AuthUser) -> list[str]:
        return [self.k("queue"), self.k("agent", user.username, "convs"), self.k("version")]

    def _claim_args(self, user: AuthUser, now: float | None) -> list:
        return [self.conv_key(""), user.username, user.display_name, now or time.time(), *index_prefixes(self.settings)]

    async def release(self, cid: str, username: str) -> bool:
        row = await self.redis.hgetall(self.conv_key(cid))
        if not row:
            return False
        # The fields the scores come from stay as they are while the conversation is live.
        entries = index_entries(self.settings, case_of(row), self.rules)
        keys = [self.conv_key(cid), self.k("queue"), self.k("agent", username, "convs"), self.k("version")]
        args = [cid, username, *(item for pair in entries.items() for item in pair)]
        return bool(await self._release(keys=keys, args=args))

    async def finish(self, cid: str, username: str | None, now: float | None = None) -> bool:
        keys = [self.conv_key(cid), self.k("queue"), self.k("agent") + ":", self.k("version"), self.k("live")]
        args = [cid, username or "", now or time.time(), *index_prefixes(self.settings)]
        return bool(await self._finish(keys=keys, args=args))

    # --- chat lines ------------------------------------------------------------------------------
    async def add_message(
        self,
        cid: str,
        kind: str,
        author: str,
        author_name: str,
        text: str,
        ts: float | None = None,
        *,
        role: str = "",
        source_id: str = "",
    ) -> str:
        """Adds a chat line and returns its id; a `source_id` seen before adds nothing and returns
        the id of the line it made then."""
        entry = {"kind": kind, "author": author, "author_name": author_name, "text": text, "ts": str(ts or time.time())}
        if role:
            entry["author_role"] = role
        stream = self.k("conv", cid, "messages")
        if kind == "customer":
            await self._set_last_line(keys=[self.conv_key(cid)], args=[text[:LAST_LINE_CHARS], entry["ts"]])
        if source_id:
            fields = [item for pair in entry.items() for item in pair]
            keys = [stream, self.k("conv", cid, "sources"), self.k("version")]
            return await self._add_once(keys=keys, args=[source_id, MAX_LINES, *fields])
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xadd(stream, entry, maxlen=MAX_LINES, approximate=True)
            pipe.incr(self.k("version"))
            entry_id, _ = await pipe.execute()
        return entry_id

    async def messages(self, cid: str, after: str = "-", *, include_private: bool = True) -> list[dict]:
        start = f"({after}" if after not in ("-", "0", "") else "-"
        entries = await self.redis.xrange(self.k("conv", cid, "messages"), start, "+", count=1000)
        lines = [{"id": entry_id, **fields, "ts": float(fields.get("ts", 0))} for entry_id, fields in entries]
        if not include_private:
            lines = [line for line in lines if line["kind"] not in ("note", "whisper")]
        return lines

    # --- agents ----------------------------------------------------------------------------------
    async def register_agent(self, user: AuthUser) -> None:
        await self.redis.hset(
            self.k("agent", user.username),
            mapping={
                "display_name": user.display_name,
                "skills": ",".join(user.skills),
                "languages": ",".join(user.languages),
                "role": user.role,
            },
        )
        await self.redis.sadd(self.k("agents"), user.username)

    async def touch_presence(self, username: str, now: float | None = None) -> None:
        await self.redis.zadd(self.k("presence"), {username: now or time.time()})

    async def set_paused(self, username: str, paused: bool) -> None:
        await self.redis.hset(self.k("agent", username), "paused", "1" if paused else "0")
        if paused:  # a pause ends a run of heavy cases (handoff/supervision/roster.py)
            await self._remember_claim(username, f"{time.time():.3f}:pause")
        await self.bump()

    async def record_claim(self, username: str, load: float, distress: float, now: float) -> None:
        """After a claim, in one round trip: the agent's new load (``load`` = routing.load_after_claim),
        the claim remembered (handoff/supervision/roster.py), the console seen now."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hset(self.k("agent", username), mapping={"load": f"{load:.6f}", "load_ts": f"{now:.3f}"})
            pipe.lpush(self.k("agent", username, "claims"), f"{now:.3f}:{distress:.3f}")
            pipe.ltrim(self.k("agent", username, "claims"), 0, CLAIM_HISTORY - 1)
            pipe.zadd(self.k("presence"), {username: now})
            await pipe.execute()

    async def _remember_claim(self, username: str, entry: str) -> None:
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.lpush(self.k("agent", username, "claims"), entry)
            pipe.ltrim(self.k("agent", username, "claims"), 0, CLAIM_HISTORY - 1)
            await pipe.execute()

    async def claim_history(self, names: list[str]) -> dict[str, list[str]]:
        """Each agent's recent claims and pauses, newest first ("<epoch>:<distress>" or "<epoch>:pause")."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.lrange(self.k("agent", name, "claims"), 0, CLAIM_HISTORY - 1)
            lists = await pipe.execute()
        return dict(zip(names, lists, strict=True))

    async def agent_profiles(self, names: list[str]) -> dict[str, dict]:
        """Display name and role as each agent's console registered them."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.hmget(self.k("agent", name), "display_name", "role")
            rows = await pipe.execute()
        pairs = zip(names, rows, strict=True)
        return {name: {"display_name": row[0] or name, "role": row[1] or ""} for name, row in pairs}

    async def agent_state(self, username: str, now: float | None = None) -> AgentState:
        now = now or time.time()
        row = await self.redis.hgetall(self.k("agent", username))
        seen = await self.redis.zscore(self.k("presence"), username)
        return agent_of(username, row, seen, now, self.settings.claim_timeout_seconds)

    async def agent_states(self, now: float | None = None) -> list[AgentState]:
        now = now or time.time()
        names = sorted(await self.redis.smembers(self.k("agents")))
        if not names:
            return []
        async with self.redis.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.hgetall(self.k("agent", name))
            pipe.zmscore(self.k("presence"), names)
            *rows, seen = await pipe.execute()
        timeout = self.settings.claim_timeout_seconds
        return [agent_of(name, row, score, now, timeout) for name, row, score in zip(names, rows, seen, strict=True)]

    async def handle_samples(self, skill: str, enough: int) -> list[str]:
        """Recent handle times (newest first) for `skill`, or for all skills while it has fewer
        than `enough`: the input of the expected wait (handoff/queue/wait_estimate.py)."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.lrange(self.k("stats", "handle", skill), 0, HANDLE_SAMPLES - 1)
            pipe.lrange(self.k("stats", "handle", "all"), 0, HANDLE_SAMPLES - 1)
            own, every = await pipe.execute()
        return own if len(own) >= enough else every

    async def record_handle_time(self, seconds: float, skill: str) -> None:
        async with self.redis.pipeline(transaction=False) as pipe:
            for key in (self.k("stats", "handle", skill), self.k("stats", "handle", "all")):
                pipe.lpush(key, f"{seconds:.1f}")
                pipe.ltrim(key, 0, HANDLE_SAMPLES - 1)
            await pipe.execute()


def agent_of(username: str, row: dict, seen: float | None, now: float, timeout: float) -> AgentState:
    return AgentState(
        username=username,
        skills=[s for s in row.get("skills", "").split(",") if s],
        languages=[s for s in row.get("languages", "").split(",") if s],
        load=float(row.get("load") or 0),
        load_ts=float(row.get("load_ts") or 0),
        paused=row.get("paused") == "1",
        online=seen is not None and now - seen < timeout,
    )
