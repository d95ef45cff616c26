"""The customer WebSocket protocol (docs/protocol.md): one JSON Schema per message type in
``schemas/`` (``common.json`` holds the shared definitions: emotion labels, expression and gesture
names, reply kinds). The avatar bridge validates every frame with them; the handoff service's
frames for the widget (contracts.redis_keys.BRIDGE_DELIVERIES) follow them; the web client's tests
check its messages against them."""

from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
