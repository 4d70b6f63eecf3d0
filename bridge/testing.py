"""Helpers for the bridge's tests and benchmarks: tiny checkpoints that load in milliseconds.

Random weights play nonsense, but the bridge's job (timing, protocol, swaps) does not depend on the
music; tests that need real harmony use the shipped ``mle`` and skip without it.
"""
from __future__ import annotations

from pathlib import Path

import torch

from jamcore.config import ModelConfig
from jamcore.models.policy import ChordPolicy
from jamcore.models.saved import save_checkpoint


def tiny_checkpoints(directory: str | Path, names: tuple[str, ...] = ("tiny", "tiny2"), d_model: int = 32,
                     n_layers: int = 2) -> list[str]:
    """Write random-weight policy checkpoints of one small architecture (so they can be blended),
    plus ``broken`` (weights that do not fit its card) and ``wide`` (another architecture)."""
    d = Path(directory)
    cfg = ModelConfig(d_model=d_model, n_layers=n_layers, n_heads=2, dropout=0.0)
    for i, name in enumerate(names):
        torch.manual_seed(i)
        save_checkpoint(ChordPolicy(cfg), d / name, {"adv_weight": float(i)})
    wide = ModelConfig(d_model=2 * d_model, n_layers=n_layers, n_heads=2, dropout=0.0)
    torch.manual_seed(99)
    save_checkpoint(ChordPolicy(wide), d / "wide", {"adv_weight": 0.0})
    # A checkpoint whose weights were cut short (a failed copy): loading must refuse it.
    save_checkpoint(ChordPolicy(cfg), d / "broken", {"adv_weight": 0.0})
    w = (d / "broken.safetensors")
    w.write_bytes(w.read_bytes()[:1000])
    return list(names)
