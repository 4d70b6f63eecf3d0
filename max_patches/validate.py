"""Checks a Max patch the way Max would load it, plus the device's contract with the bridge.

``problems(patch)`` returns a list of human-readable problems (empty = valid):
- box ids unique; every patchline's source outlet and destination inlet exist on the boxes it names;
- every box's numinlets/numoutlets/outlettype equal what Max saves for that object (``objects.py``),
  and no object outside that table is used;
- every OSC address the patch sends is a device -> bridge address of ``bridge/protocol.py``, every
  address it routes is a bridge -> device one; [udpsend] goes to the bridge's default host and port,
  [udpreceive] and ``/jam/hello`` use the default reply port; every IPv4 address is in 127.0.0.0/8;
- live.* parameters have unique long names; presentation rectangles lie inside the device view;
- no outlet feeds two inlets (a fan-out): Max orders those by the boxes' positions, so the device's
  behaviour would hang on its layout (MAX.md section 7); a [t ...] makes the order explicit.
"""
from __future__ import annotations

import ipaddress
import re
from typing import Any

from bridge import protocol as P
from max_patches.objects import UI, counts_for

_IPV4 = re.compile(r"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")
_OUTGOING = {a.path for a in P.OUTGOING}  # the bridge sends these: the device routes them
_INCOMING = {a.path for a in P.INCOMING}  # the device sends these


def _boxes(patch: dict[str, Any]) -> list[dict[str, Any]]:
    return [b["box"] for b in patch["patcher"]["boxes"]]


def problems(patch: dict[str, Any]) -> list[str]:
    out: list[str] = []
    patcher = patch["patcher"]
    boxes = _boxes(patch)
    by_id: dict[str, dict[str, Any]] = {}
    for box in boxes:
        if box["id"] in by_id:
            out.append(f"duplicate id {box['id']}")
        by_id[box["id"]] = box

    for box in boxes:
        out += _check_counts(box)
        out += _check_addresses(box)

    for line in patcher["lines"]:
        src, outlet = line["patchline"]["source"]
        dst, inlet = line["patchline"]["destination"]
        if src not in by_id or dst not in by_id:
            out.append(f"patchline {src} -> {dst} names a missing box")
            continue
        if not 0 <= outlet < by_id[src]["numoutlets"]:
            out.append(f"patchline from {src} outlet {outlet}: {_name(by_id[src])} has {by_id[src]['numoutlets']}")
        if not 0 <= inlet < by_id[dst]["numinlets"]:
            out.append(f"patchline to {dst} inlet {inlet}: {_name(by_id[dst])} has {by_id[dst]['numinlets']}")

    fanned: dict[tuple[str, int], int] = {}
    for line in patcher["lines"]:
        src = tuple(line["patchline"]["source"])
        fanned[src] = fanned.get(src, 0) + 1
    for (src, outlet), n in sorted(fanned.items()):
        if n > 1 and src in by_id:
            out.append(f"{src} ({_name(by_id[src])}) outlet {outlet} fans out to {n} inlets: use a [t ...]")

    longnames = [b["saved_attribute_attributes"]["valueof"]["parameter_longname"]
                 for b in boxes if b.get("parameter_enable")]
    for name in sorted({n for n in longnames if longnames.count(n) > 1}):
        out.append(f"parameter long name {name!r} used twice")
    width, height = patcher["openrect"][2], patcher["openrect"][3]
    for box in boxes:
        if box.get("presentation"):
            x, y, w, h = box["presentation_rect"]
            if x < 0 or y < 0 or x + w > width or y + h > height:
                out.append(f"{box['id']} ({_name(box)}) lies outside the {width:g}x{height:g} device view")
    if not any(_name(b).startswith("udpsend") for b in boxes):
        out.append("no [udpsend]: the device cannot talk to the bridge")
    if not any(_name(b).startswith("udpreceive") for b in boxes):
        out.append("no [udpreceive]: the device cannot hear the bridge")
    return out


def _name(box: dict[str, Any]) -> str:
    return box.get("text", box["maxclass"]) if box["maxclass"] == "newobj" else box["maxclass"]


def _check_counts(box: dict[str, Any]) -> list[str]:
    try:
        want = counts_for(box["text"]) if box["maxclass"] == "newobj" else UI[box["maxclass"]]
    except KeyError:
        return [f"{box['id']}: [{_name(box)}] is not in the table of objects with known counts"]
    got = (box["numinlets"], box["numoutlets"], tuple(box.get("outlettype", ())))
    if got != (want.numinlets, want.numoutlets, want.outlettype):
        return [f"{box['id']}: [{_name(box)}] saved as {got[0]} in/{got[1]} out {list(got[2])}, Max has "
                f"{want.numinlets}/{want.numoutlets} {list(want.outlettype)}"]
    return []


def _check_addresses(box: dict[str, Any]) -> list[str]:
    text = box.get("text")
    if text is None or box["maxclass"] == "comment":
        return []
    out = []
    words = text.replace(",", " ").split()
    name = words[0] if box["maxclass"] == "newobj" else None
    for w in words:
        if _IPV4.match(w) and not ipaddress.ip_address(w).is_loopback:
            out.append(f"{box['id']}: {w} is not a loopback address")
        if not w.startswith("/"):
            continue
        allowed = _OUTGOING if name == "route" else _INCOMING
        if w not in allowed:
            kind = "routed" if name == "route" else "sent"
            out.append(f"{box['id']}: OSC address {w} {kind} by [{_name(box)}] is not in bridge/protocol.py")
    if name == "udpsend":
        args = words[1:3]
        if args != [P.DEFAULT_HOST, str(P.DEFAULT_PORT)]:
            out.append(f"{box['id']}: [udpsend] must go to {P.DEFAULT_HOST} {P.DEFAULT_PORT}, not {' '.join(args)}")
    if name == "udpreceive" and words[1:2] != [str(P.DEFAULT_REPLY_PORT)]:
        out.append(f"{box['id']}: [udpreceive] must listen on {P.DEFAULT_REPLY_PORT}")
    if box["maxclass"] == "message" and words[:1] == [P.HELLO.path] and words[1:2] != [str(P.DEFAULT_REPLY_PORT)]:
        out.append(f"{box['id']}: {P.HELLO.path} must register the reply port {P.DEFAULT_REPLY_PORT}")
    return out
