"""What a policy loaded for a hot swap must hear before it plays: a snapshot of a session's history.

A ``Priming`` is taken on the engine thread when a swap starts (``Session.swap_job``) and travels to the
checkpoint loader's worker process (``bridge.loader``), which primes the new policy there: the chords
and melody of the last frames, then the committed frames ahead with the melody the old policy imagined
there, the bar and the harmonic-rhythm grid, and where each frame sits in the song (the session's
transport segments, for the policy's metrical input). It is plain data, so it pickles; the worker's
answer is a primed ``StreamingPolicy`` that already holds the frames played while it loaded (a jump, a
loop wrap or a real melody that differs makes the session drop and re-feed those, ``Session``).
"""
from __future__ import annotations

from dataclasses import dataclass


def song_frame_in(segments, p: int) -> int:
    """The song frame pframe ``p`` was (or will be) played at, given the transport segments (pframe,
    song frame) where each segment starts, oldest first."""
    for p0, f0 in reversed(segments):
        if p >= p0:
            return p - p0 + f0
    return p


@dataclass(frozen=True)
class Priming:
    start: int  # the pframe of the first frame given
    chords: tuple[int, ...]
    melody: tuple[int, ...]
    beats_per_bar: float
    grid: str
    segments: tuple[tuple[int, int], ...]

    def song_frame(self, p: int) -> int:
        return song_frame_in(self.segments, p)

    def apply(self, policy):
        """Prime ``policy`` (a fresh ``StreamingPolicy``) with this history; returns it."""
        policy.song_frame = self.song_frame
        policy.set_meter(self.beats_per_bar)
        policy.set_grid(self.grid)
        policy.prime(list(self.chords), list(self.melody), start_frame=self.start)
        return policy
