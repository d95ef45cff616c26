"""The GPL speech engines stay behind the process boundary (README "Licence"): after the real bridge
has spoken with espeak-ng, neither the bridge's own process nor a process it forked or spawned
from its own code (a multiprocessing worker) has loaded libespeak-ng, Piper's copy of it or
pyttsx3; only the separate speech worker program has. The import contract in pyproject.toml
checks the same statically."""

import os
import sys
from pathlib import Path

from bridge_support.client import BridgeClient, of_type


def _maps(pid: int | str) -> str:
    return Path(f"/proc/{pid}/maps").read_text()


def _child_maps(pid: int) -> str:
    try:
        return _maps(pid)
    except OSError:
        return ""  # the process ended meanwhile


def _children() -> dict[int, list[bytes]]:
    """{pid: command line} of this process's children."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue  # the process ended meanwhile
        if parent == os.getpid():
            children[int(entry.name)] = command
    return children


def test_the_bridge_speaks_with_espeak_without_loading_it(bridge):
    client = BridgeClient(bridge.ws_url)
    client.start("de")
    speech = of_type(client.ask("es ist spät [emotion=frustrated:0.9]"), "bot_speech")[0]["speech"]
    client.close()
    assert speech["voice"]["engine"] == "espeak" and speech["visemes"]

    # The tests host the bridge app in this very process.
    assert "espeak" not in _maps("self")
    assert not {"pyttsx3", "piper"} & set(sys.modules)
    with_espeak = [command for pid, command in _children().items() if "libespeak-ng" in _child_maps(pid)]
    assert with_espeak, "some child process synthesised the audio"
    assert all(command[1:3] == [b"-m", b"speech_worker"] for command in with_espeak), with_espeak
