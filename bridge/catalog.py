"""The checkpoints a library folder offers (what ``/jam/list`` answers), without re-reading cards.

``/jam/list`` may come 50 times a second from each client. Reading and parsing every model card each
time is file work on the engine thread for an answer that rarely changes; a ``Catalog`` keeps what
each card says (its kind, whether it is an evaluation baseline) keyed by the card's real path, and
reads a card again only when its modification time or size changed. Each listing still reads the
folder (one directory scan and a ``stat`` per card), so checkpoints added, removed or rewritten show up
at the next request. The cache holds one entry per card file present, nothing for files that went.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from jamcore.checkpoints import MAX_CARD_BYTES

CARD, WEIGHTS = ".json", ".safetensors"


class Catalog:
    """Performable policy checkpoints per folder, cards cached by (path, mtime, size)."""

    def __init__(self):
        self._cards: dict[str, dict[str, tuple[int, int, bool]]] = {}  # folder -> card path -> (mtime, size, offered)
        self.reads = 0  # cards read and parsed so far

    def names(self, folder: str | Path) -> list[str]:
        """Names of the folder's checkpoints with a card and weights whose card is a policy and not an
        evaluation baseline (``"baseline": true``), sorted; a folder that cannot be read offers none."""
        key = os.path.realpath(folder)
        try:
            with os.scandir(key) as it:
                entries = {e.name: e for e in it}
        except OSError:
            self._cards.pop(key, None)
            return []
        old, cards = self._cards.get(key, {}), {}
        names = []
        for filename in sorted(entries):
            weights = entries.get(filename[:-len(CARD)] + WEIGHTS) if filename.endswith(CARD) else None
            if weights is None or not weights.is_file():
                continue
            path = entries[filename].path
            try:
                st = os.stat(path)
            except OSError:
                continue
            seen = old.get(path)
            if seen is not None and seen[:2] == (st.st_mtime_ns, st.st_size):
                offered = seen[2]
            else:
                offered = self._offered(path, st.st_size)
            cards[path] = (st.st_mtime_ns, st.st_size, offered)
            if offered:
                names.append(filename[:-len(CARD)])
        self._cards[key] = cards
        return names

    def _offered(self, path: str, size: int) -> bool:
        self.reads += 1
        if size > MAX_CARD_BYTES:
            return False
        try:
            with open(path, "rb") as f:
                card = json.loads(f.read())
        except (OSError, ValueError):  # ValueError: bad JSON or bytes that are not UTF-8
            return False
        return isinstance(card, dict) and card.get("kind") == "policy" and not card.get("baseline")
