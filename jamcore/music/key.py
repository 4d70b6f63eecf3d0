"""The key of a melody: Krumhansl-Kessler profiles against its pitch-class durations.

One definition for the tools that need a key estimated from the melody alone: ``training/demo_bounds.py``
(the tune's plain harmony) and the GAPT discriminator that hears chords relative to the key
(``jamcore.train.gapt.key_relative_chords``, ``RLConfig.disc_key``; tried, not shipped).
"""
from __future__ import annotations

import numpy as np

# Krumhansl-Kessler key profiles (major, minor), tonic first.
KK_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
KK_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
# [24, 12]: the profile of every key, rows 0-11 major on C..B, 12-23 minor on C..B, centred.
_PROFILES = np.stack([np.roll(p, k) for p in (KK_MAJOR, KK_MINOR) for k in range(12)])
_PROFILES = _PROFILES - _PROFILES.mean(1, keepdims=True)


def estimate_key(pc_durations) -> tuple[int, bool]:
    """(tonic pitch class, is_major) of the key whose profile best correlates with the durations per pitch
    class (12 numbers). No notes: C major."""
    h = np.asarray(pc_durations, dtype=float)
    if h.shape != (12,):
        raise ValueError(f"need 12 pitch-class durations, got shape {h.shape}")
    h = h - h.mean()
    if not h.any():
        return 0, True
    scores = _PROFILES @ h / (np.linalg.norm(_PROFILES, axis=1) * np.linalg.norm(h))
    best = int(np.argmax(scores))
    return best % 12, best < 12
