"""Where a frame sits in its bar: the policy's metrical-position input.

Chord changes are metrical: in the data 72 % of Nottingham's chord changes fall on a bar line and 25 %
on the half bar; a policy that only sees relative positions has to count 16ths from its window start
to find them, and a small one does not (it changed chord on a bar line 10 % of the time). So each
token also carries a metrical id: ``1 + frame % bar_frames`` for the frame its *next* prediction is
about (index 0 = unknown, a zero vector), given the bar length in frames (4 per beat x beats per bar).

Token ``i`` of ``BOS, c0, m0, c1, m1, ...`` predicts a token of frame ``i // 2`` (BOS -> c0, c_t -> m_t,
m_t -> c_{t+1}), so that is the frame whose id it carries. Song position 0 is a downbeat (Live's bar 1,
and the corpus puts beat 0 on a bar line).
"""
from __future__ import annotations

import numpy as np

from jamcore.music.time import FRAMES_PER_BEAT

MAX_BAR_FRAMES = 32  # bars up to 8 beats
METRIC_SLOTS = MAX_BAR_FRAMES + 1  # embedding rows: 0 = unknown, then the positions in a bar
DEFAULT_BEATS_PER_BAR = 4.0


def frames_per_bar(beats_per_bar: float) -> int:
    """Bar length in frames (6/8 has 3 quarter-note beats: 12 frames)."""
    if beats_per_bar <= 0:
        raise ValueError(f"beats_per_bar must be positive, got {beats_per_bar}")
    return max(1, int(round(beats_per_bar * FRAMES_PER_BEAT)))


def bar_frames(beats_per_bar: float) -> int:
    """The metrical input's bar: ``frames_per_bar``, clipped to the embedding's 32 positions; a bar it
    cannot read (not positive, not finite) counts as 4/4."""
    if not np.isfinite(beats_per_bar) or beats_per_bar <= 0:
        beats_per_bar = DEFAULT_BEATS_PER_BAR
    return min(MAX_BAR_FRAMES, frames_per_bar(beats_per_bar))


def metric_ids(n_tokens: int, first_frame, bar_len) -> np.ndarray:
    """Metrical ids of ``n_tokens`` tokens of the online sequence whose token 0 (BOS) precedes the chord
    of frame ``first_frame``. Scalars give ``[n_tokens]``; arrays ``[B]`` give ``[B, n_tokens]``."""
    frames = np.asarray(first_frame, dtype=np.int64)[..., None] + np.arange(n_tokens) // 2
    return 1 + frames % np.asarray(bar_len, dtype=np.int64)[..., None]


def frame_metric_id(frame: int, bar_len: int) -> int:
    """The id a token predicting something about ``frame`` carries."""
    return 1 + frame % bar_len
