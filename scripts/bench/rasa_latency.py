"""Turn latency through Rasa's REST channel with N concurrent conversations.

Each simulated customer sends a message, waits for the reply, and sends the next one on a fixed
interval (default 2 s), walking through a realistic conversation (greeting, order status with
verification, FAQ, thanks). Loopback only; the run is bounded in time and count.

Usage: python -m scripts.bench.rasa_latency --url http://127.0.0.1:5005 --conversations 1 20
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid

import httpx

from scripts.bench.stats import TABLE_HEADER, markdown_row

CONVERSATION = [
    "hi there",
    "where is my order 40010002?",
    "james.carter@example.com",
    "7315",
    "how long does delivery usually take?",
    "thanks a lot",
    "Hallo, wo ist meine Bestellung?",
    "bye",
]


async def simulated_customer(
    client: httpx.AsyncClient,
    url: str,
    interval: float,
    deadline: float,
    latencies: list[float],
    errors: list[str],
) -> None:
    sender = f"bench-{uuid.uuid4().hex[:12]}"
    turn = 0
    while time.monotonic() < deadline:
        tick = time.monotonic()
        message = CONVERSATION[turn % len(CONVERSATION)]
        if turn and turn % len(CONVERSATION) == 0:
            sender = f"bench-{uuid.uuid4().hex[:12]}"  # a new conversation
        started = time.perf_counter()
        try:
            response = await client.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message})
            response.raise_for_status()
            if not response.json():
                errors.append(f"no reply to {message!r}")
            else:
                latencies.append((time.perf_counter() - started) * 1000)
        except (httpx.HTTPError, ValueError) as error:
            errors.append(repr(error))
        turn += 1
        await asyncio.sleep(max(0.0, interval - (time.monotonic() - tick)))


async def run_load(url: str, conversations: int, interval: float, duration: float) -> tuple[list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + duration
    limits = httpx.Limits(max_connections=conversations + 4)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        # Stagger the starts so the customers do not all speak on the same tick.
        async def start(index: int) -> None:
            await asyncio.sleep(interval * index / conversations)
            await simulated_customer(client, url, interval, deadline, latencies, errors)

        await asyncio.gather(*(start(i) for i in range(conversations)))
    return latencies, errors


async def warm_up(url: str) -> None:
    async with httpx.AsyncClient(timeout=60) as client:
        for message in CONVERSATION:
            await client.post(f"{url}/webhooks/rest/webhook", json={"sender": "bench-warm-up", "message": message})


def measure_section(url: str, counts: list[int], interval: float, duration: float) -> str:
    """Runs the load for each concurrency and returns a Markdown section."""
    asyncio.run(warm_up(url))
    rows = []
    for count in counts:
        latencies, errors = asyncio.run(run_load(url, count, interval, duration))
        rows.append(markdown_row(f"{count} concurrent, a message every {interval:g} s", latencies, len(errors)))
    return "\n".join(
        [
            "## Turn latency through Rasa's REST channel (issue 2)",
            "",
            f"Each simulated customer sends a message every {interval:g} s for {duration:g} s, walking "
            "through greeting, order status with verification, an FAQ question, thanks, a German question "
            "and goodbye; latency is from sending the message to receiving all of the bot's replies. "
            "Target: p95 ≤ 150 ms at 20 concurrent conversations. The 1-conversation row is the baseline "
            "of the same run.",
            "",
            TABLE_HEADER,
            *rows,
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    parser.add_argument("--conversations", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--duration", type=float, default=60.0)
    args = parser.parse_args()
    print(measure_section(args.url, args.conversations, args.interval, args.duration))


if __name__ == "__main__":
    main()
