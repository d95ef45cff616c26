"""Builds a tiny GLB in code: one quad whose morph targets carry ARKit and Oculus viseme names, under
a node named `Head` — the shape of avatars from common avatar services, without shipping one."""

from __future__ import annotations

import json
import struct

# The product's whole vocabulary (web_client/src/avatar/vocabulary.js): an ARKit-family model must
# carry every name its mapping (web_client/src/avatar/mappings/arkit.json) drives.
EXPRESSION_CHANNELS = [
    "browInnerUp", "browDownLeft", "browDownRight", "browOuterUpLeft", "browOuterUpRight",
    "eyeBlinkLeft", "eyeBlinkRight", "eyeSquintLeft", "eyeSquintRight", "eyeWideLeft", "eyeWideRight",
    "cheekSquintLeft", "cheekSquintRight", "mouthSmileLeft", "mouthSmileRight",
    "mouthFrownLeft", "mouthFrownRight", "mouthPressLeft", "mouthPressRight",
    "mouthPucker", "mouthFunnel", "mouthLeft", "jawOpen",
]  # fmt: skip
VISEMES = ["PP", "FF", "TH", "DD", "kk", "CH", "SS", "nn", "RR", "aa", "E", "I", "O", "U"]
CHANNELS = EXPRESSION_CHANNELS + [f"viseme_{viseme}" for viseme in VISEMES]


def _pad(data: bytes, filler: bytes) -> bytes:
    return data + filler * ((4 - len(data) % 4) % 4)


def build_glb() -> bytes:
    quad = [(-0.3, -0.3, 0.0), (0.3, -0.3, 0.0), (0.3, 0.3, 0.0), (-0.3, 0.3, 0.0)]
    positions = b"".join(struct.pack("<3f", *v) for v in quad)
    indices = _pad(struct.pack("<6H", 0, 1, 2, 0, 2, 3), b"\0")
    # Each target moves one corner a little (deltas), so every target is visible when driven.
    targets = []
    for index in range(len(CHANNELS)):
        deltas = [(0.0, 0.0, 0.0)] * 4
        deltas[index % 4] = (0.0, 0.05, 0.0)
        targets.append(b"".join(struct.pack("<3f", *d) for d in deltas))
    binary = positions + indices + b"".join(targets)
    views = [
        {"buffer": 0, "byteOffset": 0, "byteLength": len(positions)},
        {"buffer": 0, "byteOffset": len(positions), "byteLength": 12},
    ]
    accessors = [
        {
            "bufferView": 0,
            "componentType": 5126,
            "count": 4,
            "type": "VEC3",
            "min": [-0.3, -0.3, 0],
            "max": [0.3, 0.3, 0],
        },
        {"bufferView": 1, "componentType": 5123, "count": 6, "type": "SCALAR"},
    ]
    offset = len(positions) + len(indices)
    for target in targets:
        views.append({"buffer": 0, "byteOffset": offset, "byteLength": len(target)})
        accessors.append(
            {
                "bufferView": len(views) - 1,
                "componentType": 5126,
                "count": 4,
                "type": "VEC3",
                "min": [0, 0, 0],
                "max": [0, 0.05, 0],
            }
        )
        offset += len(target)
    document = {
        "asset": {"version": "2.0", "generator": "tests/web_client/glb_builder.py"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"name": "Head", "children": [1]}, {"name": "Face", "mesh": 0}],
        "meshes": [
            {
                "primitives": [
                    {
                        "attributes": {"POSITION": 0},
                        "indices": 1,
                        "targets": [{"POSITION": 2 + i} for i in range(len(CHANNELS))],
                    }
                ],
                "weights": [0.0] * len(CHANNELS),
                "extras": {"targetNames": CHANNELS},
            }
        ],
        "buffers": [{"byteLength": len(binary)}],
        "bufferViews": views,
        "accessors": accessors,
    }
    json_chunk = _pad(json.dumps(document).encode(), b" ")
    bin_chunk = _pad(binary, b"\0")
    length = 12 + 8 + len(json_chunk) + 8 + len(bin_chunk)
    return (
        struct.pack("<4sII", b"glTF", 2, length)
        + struct.pack("<I4s", len(json_chunk), b"JSON")
        + json_chunk
        + struct.pack("<I4s", len(bin_chunk), b"BIN\0")
        + bin_chunk
    )
