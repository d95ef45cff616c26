"""The pool of speech worker programs (avatar_bridge/speech/worker_pool.py) with a stand-in worker:
answers matched to requests, a worker that dies replaced, a refusal passed on, nothing after close."""

import asyncio
import sys

import pytest

from avatar_bridge.speech.worker_pool import Priority, SpeechWorkerFailed, SpeechWorkerPool

# Echoes each request's text; "slow…" takes half a second; "die" ends the process without an
# answer; "refuse" answers ok: false.
FAKE_WORKER = """
import json, os, sys, time
for line in sys.stdin:
    request = json.loads(line)
    if request.get("text", "").startswith("slow"):
        time.sleep(0.5)
    if request.get("text") == "die":
        os._exit(3)
    ok = request.get("text") != "refuse"
    print(json.dumps({"id": request["id"], "ok": ok, "echo": request.get("text"), "pid": os.getpid(),
                      "error": None if ok else "ValueError"}), flush=True)
"""


def _pool(warm_up=(), size=1) -> SpeechWorkerPool:
    return SpeechWorkerPool("test", size, 5.0, list(warm_up), command=(sys.executable, "-c", FAKE_WORKER))


def test_a_dead_worker_fails_its_request_and_is_replaced():
    async def scenario():
        pool = _pool(warm_up=[{"text": "warm"}])
        try:
            before = await pool.request({"text": "one"})
            with pytest.raises(SpeechWorkerFailed):
                await pool.request({"text": "die"})
            after = await pool.request({"text": "two"})
            return before, after
        finally:
            await pool.aclose()

    before, after = asyncio.run(scenario())
    assert (before["echo"], after["echo"]) == ("one", "two")
    assert before["pid"] != after["pid"]


def test_a_refusal_is_an_error_and_the_pool_goes_on():
    async def scenario():
        pool = _pool()
        try:
            with pytest.raises(SpeechWorkerFailed, match="ValueError"):
                await pool.request({"text": "refuse"})
            return await pool.request({"text": "next"})
        finally:
            await pool.aclose()

    assert asyncio.run(scenario())["echo"] == "next"


def test_a_worker_that_cannot_start_fails_the_start_and_a_later_start_tries_again(tmp_path):
    broken = tmp_path / "broken"  # while it exists the worker dies at its warm-up (say, a voice file is bad)
    broken.touch()
    dies_while_broken = f"import os, sys\nif os.path.exists({str(broken)!r}): os._exit(3)\n" + FAKE_WORKER

    async def scenario():
        pool = SpeechWorkerPool("test", 1, 5.0, [{"text": "warm"}], command=(sys.executable, "-c", dies_while_broken))
        with pytest.raises(SpeechWorkerFailed):
            await pool.start()
        broken.unlink()
        await pool.start()
        answer = await pool.request({"text": "ok"})
        await pool.aclose()
        return answer

    assert asyncio.run(scenario())["echo"] == "ok"


def test_nothing_is_started_after_close():
    async def scenario():
        pool = _pool()
        await pool.request({"text": "one"})
        await pool.aclose()
        with pytest.raises(SpeechWorkerFailed, match="stopped"):
            await pool.request({"text": "two"})
        return pool.pids()

    assert asyncio.run(scenario()) == []


def test_a_free_worker_takes_first_sentences_before_later_ones_and_background_work():
    """One worker, busy; requests queue up in this order: background, later, first, first. The
    worker serves the first sentences (in arrival order), then the later one, then the background."""

    async def scenario():
        pool = _pool()
        served: list[str] = []
        try:
            await pool.start()
            busy = asyncio.ensure_future(pool.request({"text": "busy"}))
            await asyncio.sleep(0)  # the busy request holds the only worker

            async def ask(text: str, priority: Priority) -> None:
                served.append((await pool.request({"text": text}, priority))["echo"])

            waiting = [
                asyncio.ensure_future(ask("prewarm", Priority.BACKGROUND)),
                asyncio.ensure_future(ask("second sentence", Priority.LATER_SENTENCE)),
                asyncio.ensure_future(ask("first sentence A", Priority.FIRST_SENTENCE)),
                asyncio.ensure_future(ask("first sentence B", Priority.FIRST_SENTENCE)),
            ]
            await busy
            await asyncio.gather(*waiting)
            return served
        finally:
            await pool.aclose()

    assert asyncio.run(scenario()) == ["first sentence A", "first sentence B", "second sentence", "prewarm"]


def test_a_request_cancelled_while_waiting_loses_no_worker():
    async def scenario():
        pool = _pool()
        try:
            await pool.start()
            busy = asyncio.ensure_future(pool.request({"text": "busy"}))
            await asyncio.sleep(0)
            gone = asyncio.ensure_future(pool.request({"text": "gone"}))
            await asyncio.sleep(0.01)
            gone.cancel()
            await busy
            # The worker is free again: two more requests are served, not left waiting.
            return [(await asyncio.wait_for(pool.request({"text": t}), 5))["echo"] for t in ("one", "two")]
        finally:
            await pool.aclose()

    assert asyncio.run(scenario()) == ["one", "two"]
