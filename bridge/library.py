"""Checkpoints as the bridge serves them: the library's names, loaded networks (an LRU), blends, policies.

The library is a list of folders: those given with ``--checkpoint-dir`` first, then the shipped
checkpoints. Clients ask for checkpoints by *name* (what ``/jam/list`` answers), never by path; the
checkpoint the daemon was started with (``--checkpoint``, which may be a path: the performer typed it)
joins the library under its name. Before a network joins the cache it is checked (``load_stem``: card
against weights size before any allocation, finite weights) and smoke-tested: a streaming step must
give a valid chord distribution. Errors sent back to clients name checkpoints, never folders.

Memory is bounded: one cache entry per real pair of files (symlinks and ``..`` resolved), at most
``MAX_LOADED`` networks (checkpoints and blends together, least recently used evicted first; the
start-up checkpoint stays), and a blend's ``t`` is quantised to ``BLEND_STEPS`` steps, what a dial sends.

Loading and blending happen in a worker process (``bridge.loader``): reading, checking, mixing and
smoke-testing a network never holds the interpreter lock the daemon's engine needs. Only the start-up
checkpoint loads here, before the engine runs. A model's weights are read-only at inference, so one
loaded network serves every session that plays it, each with its own ``StreamingPolicy`` (KV cache and
history).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from bridge.catalog import Catalog
from bridge.loader import BLEND_STEPS, Loader, blend_name, load_checked, quantise
from bridge.priming import Priming
from jamcore.checkpoints import SHIPPED_DIR, CheckpointError, canonical_key, find_in_library, resolve
from jamcore.stream import StreamingPolicy

MAX_LOADED = 8  # networks kept loaded (checkpoints and blends); a 3-layer 128-wide policy is ~3 MB
__all__ = ["Library", "MAX_LOADED", "BLEND_STEPS", "blend_name", "quantise"]


class Library:
    """Thread-safe LRU of loaded policy networks, keyed by their real files (and blends by recipe)."""

    def __init__(self, directory: str | Path | list | tuple | None = None, max_loaded: int = MAX_LOADED,
                 loader: Loader | None = None):
        dirs = [] if directory is None else [directory] if isinstance(directory, (str, Path)) else list(directory)
        self.folders = [Path(d) for d in dirs] + [SHIPPED_DIR]
        self.max_loaded = max_loaded
        self._models: OrderedDict[tuple, tuple[object, dict]] = OrderedDict()
        self._extra: dict[str, Path] = {}  # the start-up checkpoint, when given as a path
        self._pinned: set[tuple] = set()
        self._lock = threading.Lock()
        self.evictions = 0
        self.catalog = Catalog()  # what /jam/list answers, cards re-read only when they change
        self.loader = loader or Loader()  # its worker process: the daemon starts it (else the first load)

    # ------------------------------------------------------------------ names
    def stem(self, name: str) -> Path:
        """Where checkpoint ``name`` lives; ``CheckpointError`` (naming no folder) if not in the library."""
        if name in self._extra:
            return self._extra[name]
        return find_in_library(name, self.folders)

    def names(self) -> list[str]:
        """Checkpoints offered to clients: the start-up one, the served folders', then the shipped ones,
        without the evaluation baselines (cards with ``"baseline": true``; a client may still ask for one
        by name). Cards are read again only when they change on disk (``bridge.catalog``)."""
        names: list[str] = list(self._extra)
        for folder in self.folders:
            names += [n for n in self.catalog.names(folder) if n not in names]
        return names

    def public(self, exc: Exception) -> str:
        """An error's text with the library's folders taken out (it goes back over the network)."""
        text = str(exc)
        for folder in {str(f) for f in self.folders} | {str(p.parent) for p in self._extra.values()}:
            for form in (folder, str(Path(folder).resolve())):
                text = text.replace(form + "/", "").replace(form, "<library>")
        return text

    # ------------------------------------------------------------------ loading
    def load_startup(self, name_or_path: str | Path) -> str:
        """Load the checkpoint the daemon starts with, a library name or a path the performer gave (it
        joins the library under its name); it is never evicted. Returns the name clients know it by."""
        try:
            stem = find_in_library(str(name_or_path), self.folders)
        except CheckpointError:
            stem = resolve(name_or_path, self.folders[0] if len(self.folders) > 1 else None)
            self._extra[stem.name] = stem
        key = canonical_key(stem)
        if self._get(key) is None:
            self._put(key, load_checked(stem))  # here: the engine does not run yet
        with self._lock:
            self._pinned.add(key)
        return stem.name

    def load(self, name: str) -> tuple[object, dict]:
        """(model, card) for a checkpoint name in the library; raises ``CheckpointError`` with the reason."""
        return self._build(*self._recipe(name))[:2]

    def blend(self, a: str, b: str, t: float) -> tuple[object, dict]:
        """Weights ``(1 - t) * a + t * b`` of two checkpoints with the same architecture (t quantised)."""
        return self._build(*self._blend_recipe(a, b, t))[:2]

    def primed(self, name: str, priming: Priming) -> StreamingPolicy:
        """A StreamingPolicy over checkpoint ``name``, primed with ``priming`` by the loader's worker."""
        return self._build(*self._recipe(name), priming)[2]

    def primed_blend(self, a: str, b: str, t: float, priming: Priming) -> StreamingPolicy:
        return self._build(*self._blend_recipe(a, b, t), priming)[2]

    def _recipe(self, name: str) -> tuple[tuple, tuple]:
        stem = self.stem(name)
        return canonical_key(stem), ("load", str(stem))

    def _blend_recipe(self, a: str, b: str, t: float) -> tuple[tuple, tuple]:
        q = quantise(t)
        (ka, ra), (kb, rb) = self._recipe(a), self._recipe(b)
        if q == 0.0 or ka == kb:
            return ka, ra
        if q == 1.0:
            return kb, rb
        return ("blend", ka, kb, round(q * BLEND_STEPS)), ("blend", a, ra[1], b, rb[1], q)

    def _build(self, key: tuple, recipe: tuple, priming: Priming | None = None):
        """(model, card, primed policy or None): the cached network, or the worker's; the worker primes."""
        hit = self._get(key)
        if hit is not None and priming is None:
            return (*hit, None)
        model, card, policy = self.loader.build(recipe, priming, hit[0] if hit is not None else None)
        model, card = self._put(key, (model, card))
        return model, card, policy

    def _get(self, key: tuple):
        with self._lock:
            hit = self._models.get(key)
            if hit is not None:
                self._models.move_to_end(key)
            return hit

    def _put(self, key: tuple, value: tuple[object, dict]) -> tuple[object, dict]:
        with self._lock:
            value = self._models.setdefault(key, value)
            self._models.move_to_end(key)
            while len(self._models) > self.max_loaded:
                old = next((k for k in self._models if k not in self._pinned), None)
                if old is None or old == key:
                    break
                del self._models[old]
                self.evictions += 1
            return value

    @property
    def loaded(self) -> int:
        return len(self._models)

    # ------------------------------------------------------------------ policies
    def policy(self, name: str) -> StreamingPolicy:
        """A fresh StreamingPolicy over the (cached) network ``name``."""
        return StreamingPolicy(self.load(name)[0])

    def blended_policy(self, a: str, b: str, t: float) -> StreamingPolicy:
        return StreamingPolicy(self.blend(a, b, t)[0])

    def close(self) -> None:
        """Stop the loader's worker process (the daemon's shutdown)."""
        self.loader.close()
