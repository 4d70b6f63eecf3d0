"""The key of a melody: Krumhansl-Kessler profiles against its pitch-class durations.

One definition for the tools that need a key estimated from the melody alone: ``training/demo_bounds.py``
(the tune's plain harmony) and the GAPT discriminator that hears chords relative to the key
(``RLConfig.disc_key``, ``key_relative_chords``; tried, not shipped), to which a vi where the data plays V
reads the same in every key.
"""
from __future__ import annotations

import numpy as np

from jamcore import tokens as T

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


def melody_pc_frames(melody) -> np.ndarray:
    """Frames per pitch class of melody tokens [..., T] -> [..., 12] (note onsets and holds)."""
    m = np.asarray(melody, dtype=np.int64)
    pitch = T.TOKEN_PITCH[m]
    onehot = (pitch[..., None] % 12 == np.arange(12)) & (pitch[..., None] >= 0)
    return onehot.sum(-2)


def key_relative_chords(melody, chords) -> np.ndarray:
    """Chord tokens [B, T] transposed so that each row's key, estimated from its melody, has its tonic on C:
    the same progression in any key becomes the same tokens (a vi is an Am in C major, an i a Cm)."""
    m, c = np.asarray(melody, dtype=np.int64), np.asarray(chords, dtype=np.int64)
    if m.shape != c.shape or m.ndim != 2:
        raise ValueError(f"melody and chords must be [B, T] of one shape, got {m.shape} and {c.shape}")
    out = np.empty_like(c)
    for i, hist in enumerate(melody_pc_frames(m)):
        tonic, _ = estimate_key(hist)
        out[i] = T.transpose_tokens(c[i], -tonic)
    return out
