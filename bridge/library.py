"""Checkpoints as the bridge serves them: load (cached, shared by sessions), blend, list, build policies.

Loading happens on a worker thread, never on the engine's: a model's weights are read-only at
inference, so one loaded network serves every session that plays it, each with its own
``StreamingPolicy`` (KV cache and history).
"""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from jamcore.checkpoints import CheckpointError, available_checkpoints, load_policy
from jamcore.models.numpy_policy import NumpyCheckpoint


class Library:
    """Thread-safe cache of loaded policy networks by name (and blends by their recipe)."""

    def __init__(self, directory: str | Path | None = None):
        self.directory = Path(directory) if directory is not None else None
        self._models: dict[str, tuple[object, dict]] = {}
        self._lock = threading.Lock()

    def load(self, name: str):
        """(model, card) for a checkpoint name or path; raises ``CheckpointError`` with the reason."""
        with self._lock:
            hit = self._models.get(name)
        if hit is not None:
            return hit
        model, card = load_policy(name, self.directory)
        with self._lock:
            self._models[name] = (model, card)
        return model, card

    def blend(self, a: str, b: str, t: float):
        """Weights ``(1 - t) * a + t * b`` of two checkpoints with the same architecture."""
        name = blend_name(a, b, t)
        with self._lock:
            hit = self._models.get(name)
        if hit is not None:
            return hit
        (ma, ca), (mb, cb) = self.load(a), self.load(b)
        if ma.cfg != mb.cfg:  # configs, not card dicts: an older card lacks fields that default alike
            raise CheckpointError(f"cannot blend {a!r} and {b!r}: their architectures differ "
                                  f"({ca.get('model')} vs {cb.get('model')})")
        sa, sb = ma.state_dict(), mb.state_dict()
        if isinstance(ma, NumpyCheckpoint):  # loaded without torch
            model = NumpyCheckpoint(ma.cfg, {k: (sa[k].astype(np.float32) * (1.0 - t) + sb[k].astype(np.float32) * t
                                                 ).astype(sa[k].dtype) for k in sa})
        else:
            mixed = {k: (sa[k].float() * (1.0 - t) + sb[k].float() * t).to(sa[k].dtype)
                     if sa[k].is_floating_point() else sa[k] for k in sa}
            model = type(ma)(ma.cfg)
            model.load_state_dict(mixed)
            model.eval()
        card = dict(ca, name=name, parent=[a, b], blend=t,
                    adv_weight=_mix(ca.get("adv_weight"), cb.get("adv_weight"), t))
        with self._lock:
            self._models[name] = (model, card)
        return model, card

    def policy(self, name: str):
        """A fresh StreamingPolicy over the (cached) network ``name``."""
        from jamcore.stream import StreamingPolicy

        return StreamingPolicy(self.load(name)[0])

    def blended_policy(self, a: str, b: str, t: float):
        from jamcore.stream import StreamingPolicy

        return StreamingPolicy(self.blend(a, b, t)[0])

    def names(self) -> list[str]:
        """Checkpoints offered to clients: the served directory's, then the shipped ones, without the
        evaluation baselines (cards with ``"baseline": true``; a client may still ask for one by name)."""
        names = available_checkpoints(self.directory, performable=True) if self.directory is not None else []
        return names + [n for n in available_checkpoints(performable=True) if n not in names]


def blend_name(a: str, b: str, t: float) -> str:
    return f"{a}+{b}@{t:.3g}"


def _mix(x, y, t: float):
    try:
        return (1.0 - t) * float(x) + t * float(y)
    except (TypeError, ValueError):
        return None
