"""Live's ``.amxd`` device file: a chunk sequence (4-byte ASCII tag, little-endian u32 length, payload).

``ampf`` (4 bytes: the device kind, ``mmmm`` for a MIDI effect), ``meta`` (4 bytes; readers ignore it;
0 = unfrozen) and ``ptch``: the patcher JSON exactly as in the ``.maxpat``, UTF-8, plus one trailing
NUL as Max writes it. Frozen (``mx@c``) and encrypted (``ciph``) devices are refused by the reader: ours
is neither, it is built only from Max's own objects so it needs no frozen dependencies.

    python -m ableton.amxd            # rebuild ableton/Jam Bridge.amxd from max_patches/jam_bridge.maxpat
    python -m ableton.amxd --check    # exit 1 if the committed device is out of date
"""
from __future__ import annotations

import json
import struct
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEVICE = HERE / "Jam Bridge.amxd"
MAXPAT = HERE.parent / "max_patches" / "jam_bridge.maxpat"
MIDI_EFFECT = b"mmmm"
KINDS = (b"mmmm", b"aaaa", b"iiii", b"nagg", b"natt")


class AmxdError(ValueError):
    pass


def pack(patch_text: str, kind: bytes = MIDI_EFFECT) -> bytes:
    """The device file for a patcher JSON text (the ``.maxpat`` content)."""
    if kind not in KINDS:
        raise AmxdError(f"unknown device kind {kind!r}")
    payload = patch_text.encode("utf-8") + b"\0"
    return (_chunk(b"ampf", kind) + _chunk(b"meta", struct.pack("<I", 0)) + _chunk(b"ptch", payload))


def _chunk(tag: bytes, payload: bytes) -> bytes:
    return tag + struct.pack("<I", len(payload)) + payload


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    out, pos = [], 0
    while pos < len(data):
        if pos + 8 > len(data):
            raise AmxdError(f"truncated chunk header at byte {pos}")
        tag = data[pos:pos + 4]
        (n,) = struct.unpack("<I", data[pos + 4:pos + 8])
        if pos + 8 + n > len(data):
            raise AmxdError(f"chunk {tag!r} at byte {pos} says {n} bytes, only {len(data) - pos - 8} left")
        out.append((tag, data[pos + 8:pos + 8 + n]))
        pos += 8 + n
    return out


def unpack(data: bytes) -> tuple[bytes, str]:
    """(device kind, patcher JSON text) of an unfrozen device."""
    parts = chunks(data)
    tags = [t for t, _ in parts]
    if not tags or tags[0] != b"ampf":
        raise AmxdError("not a Max for Live device: no 'ampf' header")
    if b"ciph" in tags:
        raise AmxdError("encrypted device: the patch cannot be read")
    kind = parts[0][1]
    ptch = dict(parts).get(b"ptch")
    if ptch is None:
        raise AmxdError("no 'ptch' chunk")
    if ptch.startswith(b"mx@c"):
        raise AmxdError("frozen device: unfreeze it in Max first")
    if ptch.endswith(b"\0"):
        ptch = ptch[:-1]
    return kind, ptch.decode("utf-8")


def read_patch(path: str | Path) -> dict[str, Any]:
    return json.loads(unpack(Path(path).read_bytes())[1])


def build() -> bytes:
    return pack(MAXPAT.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    data = build()
    if "--check" in argv:
        if not DEVICE.exists() or DEVICE.read_bytes() != data:
            print(f"out of date: {DEVICE.name} (run python -m ableton.amxd)")
            return 1
        return 0
    DEVICE.write_bytes(data)
    print(f"wrote {DEVICE.name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
