"""Harmonic-rhythm grid: the frames of a bar where a chord may change.

A performer's control (``/jam/set grid``, ``harmonize --grid``, ``eval --grid``): chords change only at
grid points, applied when the chord is sampled (``jamcore.stream.StreamingPolicy``), so every front end
shares it. Positions count from the bar line (song frame 0 is a downbeat), in 16th-note frames:

- ``16th``: every frame (no constraint);
- ``beat``: every quarter-note beat of the bar (frames 0, 4, 8, ... from the bar line); the default:
  the data's chords change on a beat almost always, and a change between beats is what a listener
  hears as late (the README compares the grids' figures);
- ``half``: the bar line and the first beat at or past the bar's middle (4/4: beats 1 and 3; 3/4 and
  6/8: beats 1 and 3, the longer half first; 5/4: beats 1 and 4);
- ``bar``: the bar line only.
"""
from __future__ import annotations

import numpy as np

from jamcore.music.time import FRAMES_PER_BEAT

GRIDS = ("16th", "beat", "half", "bar")
DEFAULT_GRID = "beat"


def check_grid(grid: str) -> str:
    """``grid`` if it names a grid, else a one-line ValueError listing the choices."""
    if grid not in GRIDS:
        raise ValueError(f"unknown grid {grid!r}: one of {', '.join(GRIDS)}")
    return grid


def grid_positions(grid: str, bar_len: int) -> np.ndarray:
    """Boolean per frame of a bar of ``bar_len`` frames: True where a chord may change."""
    check_grid(grid)
    if bar_len < 1:
        raise ValueError(f"a bar has at least one frame, got {bar_len}")
    pos = np.arange(bar_len)
    if grid == "16th":
        return np.ones(bar_len, dtype=bool)
    if grid == "beat":
        return pos % FRAMES_PER_BEAT == 0
    out = pos == 0
    if grid == "half":
        middle = -(-bar_len // 2)  # frames: the first half is the longer one when the bar is odd
        beat = -(-middle // FRAMES_PER_BEAT) * FRAMES_PER_BEAT  # the first beat at or past the middle
        if beat < bar_len:
            out[beat] = True
    return out


def on_grid(song_frame: int, grid: str, bar_len: int) -> bool:
    """Whether a chord may change at ``song_frame`` (frame 0 is a downbeat)."""
    return bool(grid == "16th" or grid_positions(grid, bar_len)[song_frame % bar_len])


def grid_points(n_frames: int, grid: str, bar_len: int, first_frame: int = 0) -> np.ndarray:
    """Boolean per frame of ``n_frames`` frames starting at song frame ``first_frame``."""
    return grid_positions(grid, bar_len)[(first_frame + np.arange(n_frames)) % bar_len]


__all__ = ["GRIDS", "DEFAULT_GRID", "check_grid", "grid_positions", "on_grid", "grid_points"]
