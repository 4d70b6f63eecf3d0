"""The Max objects the device uses, with the inlet/outlet counts Max itself saves for them.

Max silently re-creates an object with its real counts when it loads a patch and drops every patchline
whose outlet or inlet no longer exists, so a generated patch with a wrong count loses wires without a
word. The generator takes its counts from here and the validator checks every box against here.

Sources (see ``/work/shared/MAX.md`` section 4, counted over Max-saved patches): everything below except
``coll``, ``zl``, ``iter``, ``expr``, ``gate`` and ``freebang``, whose counts were read from Max-saved ``.maxpat``
files found with the code search (``coll``: 1 inlet, 4 outlets ``"" "" "" ""``; ``zl reg``: 2/2 ``"" ""``;
``iter``: 1/1 ``""``; ``expr``: one inlet per ``$iN``/``$fN`` up to the highest N, 1 outlet ``""``; ``gate N``:
2 inlets, N outlets; ``freebang``: 0 inlets, 1 outlet ``bang``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Counts:
    numinlets: int
    numoutlets: int
    outlettype: tuple[str, ...]


_TRIGGER_TYPES = {"b": "bang", "i": "int", "f": "float", "l": "", "s": "", "a": ""}
_UNPACK_TYPES = {"i": "int", "f": "float", "s": "", "l": ""}

# Text objects (maxclass "newobj") whose counts do not depend on their arguments.
FIXED: dict[str, Counts] = {
    "midiin": Counts(1, 1, ("int",)),
    "midiout": Counts(1, 0, ()),
    "midiparse": Counts(1, 8, ("", "", "", "int", "int", "", "int", "")),
    "midiformat": Counts(7, 2, ("int", "")),
    "transport": Counts(2, 9, ("int", "int", "float", "float", "float", "", "int", "float", "")),
    "metro": Counts(2, 1, ("bang",)),
    "delay": Counts(2, 1, ("bang",)),
    "live.thisdevice": Counts(1, 3, ("bang", "int", "int")),
    "live.path": Counts(1, 3, ("", "", "")),
    "live.observer": Counts(2, 2, ("", "")),
    "udpreceive": Counts(1, 1, ("",)),
    "prepend": Counts(1, 1, ("",)),
    "coll": Counts(1, 4, ("", "", "", "")),
    "zl": Counts(2, 2, ("", "")),
    "iter": Counts(1, 1, ("",)),
    "speedlim": Counts(2, 1, ("",)),
    "freebang": Counts(0, 1, ("bang",)),
    "node.script": Counts(1, 2, ("", "")),
}

# UI and box classes (the maxclass itself), as Max saves them.
UI: dict[str, Counts] = {
    "message": Counts(2, 1, ("",)),
    "comment": Counts(1, 0, ()),
    "panel": Counts(1, 0, ()),
    "live.dial": Counts(1, 2, ("", "float")),
    "live.menu": Counts(1, 3, ("", "", "float")),
    "live.tab": Counts(1, 3, ("", "", "float")),
    "live.toggle": Counts(1, 1, ("",)),
    "live.text": Counts(1, 2, ("", "")),
    "live.numbox": Counts(1, 2, ("", "float")),
    "live.button": Counts(1, 1, ("",)),
    "textedit": Counts(1, 4, ("", "int", "", "")),
}


def _args(text: str) -> list[str]:
    """Positional arguments of an object box (everything before the first ``@attribute``)."""
    words = text.split()[1:]
    for i, w in enumerate(words):
        if w.startswith("@"):
            return words[:i]
    return words


def counts_for(text: str) -> Counts:
    """The counts Max saves for the object box ``text`` (its class name and arguments).

    Raises KeyError for an object not in the table: add it only with counts read from a Max-saved patch.
    """
    name = text.split()[0]
    args = _args(text)
    if name in FIXED:
        return FIXED[name]
    if name in ("t", "trigger"):
        return Counts(1, len(args), tuple(_TRIGGER_TYPES[a[0]] for a in args))
    if name in ("route", "sel", "select"):  # k arguments -> k+1 inlets and k+1 outlets (Max 8+)
        k = len(args)
        if name == "route":
            return Counts(k + 1, k + 1, ("",) * (k + 1))
        return Counts(k + 1, k + 1, ("bang",) * k + ("",))
    if name == "gate":  # gate N: control inlet + data inlet, N outlets
        return Counts(2, int(args[0]) if args else 1, ("",) * (int(args[0]) if args else 1))
    if name == "pack":
        return Counts(len(args), 1, ("",))
    if name == "unpack":
        return Counts(1, len(args), tuple(_UNPACK_TYPES[a[0]] for a in args))
    if name == "udpsend":  # 0/0 when typed without host and port
        return Counts(1, 0, ()) if len(args) >= 2 else Counts(0, 0, ())
    if name == "expr":
        refs = [int(n) for n in re.findall(r"\$[if](\d+)", text)]
        return Counts(max(refs, default=1), 1, ("",))
    raise KeyError(f"no saved counts for Max object {name!r}")
