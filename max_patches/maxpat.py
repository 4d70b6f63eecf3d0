"""A small builder for Max patcher JSON (``.maxpat``): boxes, patchlines, and the device-level keys.

It knows the file format, not the device: ``generate.py`` says what is in the patch. Counts come from
``objects.py`` so a box is always written with the inlets and outlets Max will give it.
"""
from __future__ import annotations

import json
from typing import Any

from max_patches.objects import UI, Counts, counts_for

DEVICE_HEIGHT = 169  # Live's device strip height in pixels (every device's openrect uses it)


def _width(text: str) -> float:
    return float(max(30, 7 * len(text) + 12))


class Patcher:
    """Boxes get ids ``obj-1``, ``obj-2``... in creation order, so the output is deterministic."""

    def __init__(self) -> None:
        self.boxes: list[dict[str, Any]] = []
        self.lines: list[dict[str, Any]] = []
        self._counts: dict[str, Counts] = {}

    def _add(self, box: dict[str, Any], counts: Counts) -> str:
        box_id = f"obj-{len(self.boxes) + 1}"
        box = {"id": box_id, **box, "numinlets": counts.numinlets, "numoutlets": counts.numoutlets}
        if counts.numoutlets:
            box["outlettype"] = list(counts.outlettype)
        self.boxes.append({"box": box})
        self._counts[box_id] = counts
        return box_id

    def obj(self, text: str, x: float, y: float) -> str:
        """An object box (``newobj``) such as ``route /jam/chord``."""
        return self._add({"maxclass": "newobj", "text": text,
                          "patching_rect": [float(x), float(y), _width(text), 22.0]}, counts_for(text))

    def msg(self, text: str, x: float, y: float) -> str:
        return self._add({"maxclass": "message", "text": text,
                          "patching_rect": [float(x), float(y), _width(text), 22.0]}, UI["message"])

    def comment(self, text: str, x: float, y: float, present: tuple[float, float, float, float] | None = None,
                **attrs: Any) -> str:
        """A comment; with a ``varname`` the patch can change its text (``set ...``): a status line."""
        box: dict[str, Any] = {"maxclass": "comment", "text": text,
                               "patching_rect": [float(x), float(y), _width(text), 20.0], **attrs}
        if present is not None:
            box["presentation"] = 1
            box["presentation_rect"] = [float(v) for v in present]
        return self._add(box, UI["comment"])

    def ui(self, maxclass: str, x: float, y: float, present: tuple[float, float, float, float],
           varname: str, longname: str, shortname: str, ptype: int, *, mmin: float | None = None,
           mmax: float | None = None, enum: tuple[str, ...] | None = None, initial: float | None = None,
           unitstyle: int | None = None, parameter: bool = True, invisible: int | None = None,
           **attrs: Any) -> str:
        """A live.* control (or a Max UI object in parameter mode, such as a ``textedit`` whose text is a
        blob, ``ptype`` 3) shown in the device view. As a parameter (the default) Live saves its value
        with the set and can automate it; ``parameter=False`` makes a display only (not saved)."""
        valueof: dict[str, Any] = {"parameter_longname": longname, "parameter_shortname": shortname,
                                   "parameter_type": ptype}
        if mmin is not None:
            valueof["parameter_mmin"] = float(mmin)
        if mmax is not None:
            valueof["parameter_mmax"] = float(mmax)
        if enum is not None:
            valueof["parameter_enum"] = list(enum)
        if initial is not None:
            valueof["parameter_initial_enable"] = 1
            valueof["parameter_initial"] = [initial]
        if unitstyle is not None:
            valueof["parameter_unitstyle"] = unitstyle
        if invisible is not None:  # 1: stored with the set only (not automated), as a blob must be
            valueof["parameter_invisible"] = invisible
        w, h = present[2], present[3]
        box = {"maxclass": maxclass, "parameter_enable": int(parameter), "varname": varname,
               "patching_rect": [float(x), float(y), float(w), float(h)],
               "presentation": 1, "presentation_rect": [float(v) for v in present],
               "saved_attribute_attributes": {"valueof": valueof}, **attrs}
        return self._add(box, UI[maxclass])

    def connect(self, src: str, outlet: int, dst: str, inlet: int = 0) -> None:
        # Fail at generation time, not in Max: Max would silently drop the line.
        if not 0 <= outlet < self._counts[src].numoutlets:
            raise ValueError(f"{src} has no outlet {outlet}")
        if not 0 <= inlet < self._counts[dst].numinlets:
            raise ValueError(f"{dst} has no inlet {inlet}")
        # House rule (MAX.md section 7): no fan-out. Max serves one outlet's connections right to left
        # by the boxes' positions, so moving a box would change what the device does; use [t ...].
        if any(ln["patchline"]["source"] == [src, outlet] for ln in self.lines):
            raise ValueError(f"{src} outlet {outlet} is already connected: use a [t ...] to fan out")
        self.lines.append({"patchline": {"source": [src, outlet], "destination": [dst, inlet]}})

    def device(self, width: float) -> dict[str, Any]:
        """The top-level document of a Max for Live device that opens in presentation view."""
        parameters: dict[str, Any] = {}
        for b in self.boxes:
            box = b["box"]
            if box.get("parameter_enable"):
                v = box["saved_attribute_attributes"]["valueof"]
                parameters[box["id"]] = [v["parameter_longname"], v["parameter_shortname"], 0]
        return {"patcher": {
            "fileversion": 1,
            "appversion": {"major": 8, "minor": 6, "revision": 0, "architecture": "x64", "modernui": 1},
            "classnamespace": "box",
            "rect": [100.0, 100.0, 1400.0, 900.0],
            "openrect": [0.0, 0.0, float(width), float(DEVICE_HEIGHT)],
            "openinpresentation": 1,
            "default_fontsize": 10.0,
            "default_fontname": "Arial Bold",
            "gridsize": [8.0, 8.0],
            "devicewidth": float(width),
            "latency": 0,
            "is_mpe": 0,
            "minimum_live_version": "",
            "boxes": self.boxes,
            "lines": self.lines,
            "parameters": parameters,
            "dependency_cache": [],
            "autosave": 0,
        }}


def dumps(patch: dict[str, Any]) -> str:
    """Max's layout: tab indents and ``"key" : value``; ends with a newline like Max's files."""
    return json.dumps(patch, indent="\t", separators=(",", " : "), ensure_ascii=False) + "\n"
