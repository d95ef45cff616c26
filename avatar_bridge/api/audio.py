"""GET /audio/{key}.wav: synthesised speech from the cache (the URL in bot_speech frames)."""

import asyncio

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import FileResponse

from avatar_bridge.api.deps import ServicesDep

router = APIRouter(tags=["audio"])


@router.get("/audio/{name}")
async def audio(name: str, services: ServicesDep) -> FileResponse:
    key = name.removesuffix(".wav")
    path = None
    if services.speech is not None and name.endswith(".wav"):
        path = await asyncio.to_thread(services.speech.audio_path, key)
    if path is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such audio")
    # The key names the content, so the file never changes.
    return FileResponse(path, media_type="audio/wav", headers={"Cache-Control": "private, max-age=86400, immutable"})
