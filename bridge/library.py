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

Loading happens on a worker thread, never on the engine's: a model's weights are read-only at
inference, so one loaded network serves every session that plays it, each with its own
``StreamingPolicy`` (KV cache and history).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Callable

import numpy as np

from jamcore import tokens as T
from jamcore.checkpoints import (SHIPPED_DIR, CheckpointError, available_checkpoints, canonical_key,
                                 find_in_library, load_policy_stem, resolve)
from jamcore.models.numpy_policy import NumpyWeights
from jamcore.stream import StreamingPolicy

MAX_LOADED = 8  # networks kept loaded (checkpoints and blends); a 3-layer 128-wide policy is ~3 MB
BLEND_STEPS = 100  # blend t in steps of 0.01: a dial's resolution (Live's dials show 0..100 %)
SMOKE_FRAMES = 3  # streaming steps of the smoke test (each ~5 ms of a loader thread the engine shares)


class Library:
    """Thread-safe LRU of loaded policy networks, keyed by their real files (and blends by recipe)."""

    def __init__(self, directory: str | Path | list | tuple | None = None, max_loaded: int = MAX_LOADED):
        dirs = [] if directory is None else [directory] if isinstance(directory, (str, Path)) else list(directory)
        self.folders = [Path(d) for d in dirs] + [SHIPPED_DIR]
        self.max_loaded = max_loaded
        self._models: OrderedDict[tuple, tuple[object, dict]] = OrderedDict()
        self._extra: dict[str, Path] = {}  # the start-up checkpoint, when given as a path
        self._pinned: set[tuple] = set()
        self._lock = threading.Lock()
        self.evictions = 0
        # Called between the steps of a load or a blend (on the loader thread): the daemon waits there
        # while its engine has due frames to plan, so a load never competes with a commit.
        self.pause: Callable[[], None] = _no_pause

    # ------------------------------------------------------------------ names
    def stem(self, name: str) -> Path:
        """Where checkpoint ``name`` lives; ``CheckpointError`` (naming no folder) if not in the library."""
        if name in self._extra:
            return self._extra[name]
        return find_in_library(name, self.folders)

    def names(self) -> list[str]:
        """Checkpoints offered to clients: the start-up one, the served folders', then the shipped ones,
        without the evaluation baselines (cards with ``"baseline": true``; a client may still ask for one
        by name)."""
        names: list[str] = list(self._extra)
        for folder in self.folders:
            names += [n for n in available_checkpoints(folder, performable=True) if n not in names]
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
        self._load(stem)
        with self._lock:
            self._pinned.add(canonical_key(stem))
        return stem.name

    def load(self, name: str) -> tuple[object, dict]:
        """(model, card) for a checkpoint name in the library; raises ``CheckpointError`` with the reason."""
        return self._load(self.stem(name))

    def _load(self, stem: Path) -> tuple[object, dict]:
        key = canonical_key(stem)
        hit = self._get(key)
        if hit is not None:
            return hit
        self.pause()
        model, card = load_policy_stem(stem)  # NumPy weights straight from safetensors: no torch
        self.pause()
        smoke_test(model, stem.name, self.pause)
        return self._put(key, (model, card))

    def blend(self, a: str, b: str, t: float) -> tuple[object, dict]:
        """Weights ``(1 - t) * a + t * b`` of two checkpoints with the same architecture (t quantised)."""
        q = quantise(t)
        ka, kb = canonical_key(self.stem(a)), canonical_key(self.stem(b))
        if q == 0.0 or ka == kb:
            return self.load(a)
        if q == 1.0:
            return self.load(b)
        key = ("blend", ka, kb, round(q * BLEND_STEPS))
        hit = self._get(key)
        if hit is not None:
            return hit
        (ma, ca), (mb, cb) = self.load(a), self.load(b)
        if ma.cfg != mb.cfg:  # configs, not card dicts: an older card lacks fields that default alike
            raise CheckpointError(f"cannot blend {a!r} and {b!r}: their architectures differ "
                                  f"({ca.get('model')} vs {cb.get('model')})")
        sa, sb = ma.state, mb.state
        mixed = {}
        for i, k in enumerate(sa):
            mixed[k] = (sa[k].astype(np.float32) * (1.0 - q) + sb[k].astype(np.float32) * q).astype(sa[k].dtype) \
                if sa[k].dtype.kind == "f" else sa[k]
            if i % 16 == 15:
                self.pause()
        model = NumpyWeights.from_state(ma.cfg, mixed)
        name = blend_name(a, b, q)
        self.pause()
        smoke_test(model, name, self.pause)
        card = dict(ca, name=name, parent=[a, b], blend=q,
                    adv_weight=_mix(ca.get("adv_weight"), cb.get("adv_weight"), q))
        return self._put(key, (model, card))

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


def _no_pause() -> None:
    pass


def smoke_test(model, name: str, pause: Callable[[], None] = _no_pause) -> None:
    """A few streaming steps over a scale must give finite logits and a chord distribution that sums to
    one: weights that load but cannot play (bit rot that kept the numbers finite but absurd, a network
    that outputs NaN) are refused before any session switches to them."""
    sp = StreamingPolicy(model)
    for f in range(SMOKE_FRAMES):
        mask = sp.chord_mask()
        logits = np.asarray(sp.chord_logits(), dtype=np.float64)[mask]
        if logits.size == 0 or not np.isfinite(logits).all():
            raise CheckpointError(f"checkpoint {name!r} fails its smoke test: its chord logits are not finite")
        p = np.exp(logits - logits.max())
        total = p.sum()
        if not np.isfinite(total) or total <= 0 or abs((p / total).sum() - 1.0) > 1e-6:
            raise CheckpointError(f"checkpoint {name!r} fails its smoke test: no valid chord distribution")
        chord = int(np.flatnonzero(mask)[int(np.argmax(logits))])
        pause()
        sp.push(chord, T.note_on(60 + 2 * f) if f % 2 == 0 else T.SILENCE)


def quantise(t: float) -> float:
    """A blend position on the dial's grid (0.01 steps), so 0.3 and 0.30001 are one blend."""
    return round(min(max(float(t), 0.0), 1.0) * BLEND_STEPS) / BLEND_STEPS


def blend_name(a: str, b: str, t: float) -> str:
    return f"{a}+{b}@{quantise(t):.3g}"


def _mix(x, y, t: float):
    try:
        return (1.0 - t) * float(x) + t * float(y)
    except (TypeError, ValueError):
        return None
