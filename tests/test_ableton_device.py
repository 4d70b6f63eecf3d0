"""The Live device file (.amxd), the rendered device view and the producer's guide (the installer:
tests/test_install.py)."""
import json
import struct
from pathlib import Path

import pytest

from ableton import amxd, render

ROOT = Path(__file__).resolve().parent.parent
DEVICE = ROOT / "ableton" / "Jam Bridge.amxd"
MAXPAT = ROOT / "max_patches" / "jam_bridge.maxpat"
README = ROOT / "ableton" / "README.md"


def test_amxd_layout_is_ampf_meta_ptch_little_endian():
    data = DEVICE.read_bytes()
    assert data[:4] == b"ampf" and struct.unpack("<I", data[4:8])[0] == 4 and data[8:12] == b"mmmm"
    assert data[12:16] == b"meta" and struct.unpack("<I", data[16:20])[0] == 4
    assert data[24:28] == b"ptch"
    n = struct.unpack("<I", data[28:32])[0]
    assert len(data) == 32 + n and data[-1:] == b"\0"


def test_amxd_round_trips_to_the_patch():
    kind, text = amxd.unpack(DEVICE.read_bytes())
    assert kind == amxd.MIDI_EFFECT
    assert text == MAXPAT.read_text(encoding="utf-8")
    assert amxd.read_patch(DEVICE) == json.loads(MAXPAT.read_text(encoding="utf-8"))
    assert DEVICE.read_bytes() == amxd.build(), "stale device: run python -m ableton.amxd"
    assert amxd.pack(text) == DEVICE.read_bytes()


@pytest.mark.parametrize("mangle, complaint", [
    (lambda d: b"xxxx" + d[4:], "ampf"),
    (lambda d: d[:-10], "says"),
    (lambda d: d[:24] + amxd._chunk(b"ciph", b"1234") + d[24:], "encrypted"),
    (lambda d: d[:24] + amxd._chunk(b"ptch", b"mx@c" + bytes(12)), "frozen"),
    (lambda d: d[:24], "no 'ptch'"),
])
def test_amxd_reader_refuses_what_it_cannot_read(mangle, complaint):
    with pytest.raises(amxd.AmxdError, match=complaint):
        amxd.unpack(mangle(DEVICE.read_bytes()))


def test_reader_tolerates_no_trailing_nul():
    data = amxd.pack('{"patcher": {}}')
    body = data[:28] + struct.pack("<I", len('{"patcher": {}}')) + b'{"patcher": {}}'
    assert amxd.unpack(body)[1] == amxd.unpack(data)[1]


def test_device_picture_matches_the_patch():
    assert render.picture_layout() == render.patch_layout(), "stale picture: run python -m ableton.render"


def test_no_two_boxes_of_the_device_view_overlap():
    items = render.patch_layout()["items"]
    clash = [(a["label"], b["label"]) for i, a in enumerate(items) for b in items[i + 1:]
             if _overlap(a["rect"], b["rect"])]
    assert clash == []


def _overlap(a, b):
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def test_render_writes_a_png_with_its_layout(tmp_path):
    out = tmp_path / "view.png"
    render.draw(render.patch_layout(), out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert render.picture_layout(out) == render.patch_layout()


def test_guide_covers_the_producer_path():
    text = README.read_text(encoding="utf-8")
    assert "device_view.png" in text and (ROOT / "ableton" / "device_view.png").exists()
    for needle in ("jamcore install-device", "jamcore serve", "MIDI track", "gapt-1.0", "firewall",
                   "port", "no chords", "Temperature", "Lookahead", "Output", "Checkpoint", "Link"):
        assert needle.lower() in text.lower(), needle
    # Every control in the device view is explained under its own name.
    for item in render.patch_layout()["items"]:
        if item["maxclass"].startswith("live."):
            assert item["label"] in text or item["maxclass"] in text
