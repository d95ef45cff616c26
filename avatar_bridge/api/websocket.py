"""The customer WebSocket, protocol version 1 (docs/protocol.md)."""

from fastapi import APIRouter, WebSocket

from avatar_bridge.api.deps import ServicesDep
from avatar_bridge.sessions.connection import CustomerConnection

router = APIRouter(tags=["websocket"])


@router.websocket("/ws/v1")
async def customer_session(websocket: WebSocket, services: ServicesDep) -> None:
    await websocket.accept()
    connection = CustomerConnection(websocket, services.hub, services.codec, services.settings, services.recogniser)
    await connection.run()
