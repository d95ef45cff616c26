"""Live updates for the consoles over a WebSocket.

Browsers cannot put a bearer token on a WebSocket, so the first frame authenticates:
``{"type": "auth", "token": "..."}`` within 5 s, else the socket closes with 4401. Afterwards the
server sends ``{"type": "changed", "version": n}`` whenever the queue or a conversation changed
(the console then re-reads what it shows over the API), and keeps the agent's presence fresh: a
claimed conversation returns to the queue when its agent's console has been gone for
``claim_timeout_seconds``.
"""

import asyncio
import contextlib
import json
import time

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from redis.exceptions import RedisError

router = APIRouter()

CLOSE_UNAUTHORIZED = 4401
CLOSE_BAD_FRAME = 4400
AUTH_TIMEOUT_S = 5.0
POLL_S = 0.3


@router.websocket("/api/live")
async def live(websocket: WebSocket) -> None:
    await websocket.accept()
    app = websocket.app
    try:
        raw = await asyncio.wait_for(websocket.receive_text(), AUTH_TIMEOUT_S)
        message = json.loads(raw) if len(raw) < 1000 else None
        token = message.get("token") if isinstance(message, dict) and message.get("type") == "auth" else None
    except (asyncio.TimeoutError, ValueError, WebSocketDisconnect):
        token = None
    user = await app.state.tokens.resolve(token) if isinstance(token, str) else None
    if user is None:
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await websocket.close(CLOSE_UNAUTHORIZED, "sign in first")
        return
    queue = app.state.queue
    settings = app.state.settings
    await queue.register_agent(user)
    await queue.touch_presence(user.username)
    await websocket.send_json({"type": "ready", "user": user.__dict__})
    receiver = asyncio.create_task(_drain(websocket))
    sent_version, touched = -1, 0.0
    try:
        while not receiver.done():
            now = time.time()
            try:
                if now - touched >= settings.presence_interval_seconds:
                    await queue.touch_presence(user.username, now)
                    touched = now
                version = await queue.version()
            except (RedisError, OSError):
                await asyncio.sleep(1.0)
                continue
            if version != sent_version:
                await websocket.send_json({"type": "changed", "version": version})
                sent_version = version
            await asyncio.wait([receiver], timeout=POLL_S)
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        receiver.cancel()
        with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
            await receiver


async def _drain(websocket: WebSocket) -> None:
    """Reads (and ignores) what the console sends until it goes; pings keep proxies open."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
