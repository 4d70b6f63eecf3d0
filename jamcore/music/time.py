"""The time grid every part of jamcore shares: beats, 16th-note frames, seconds.

A beat is a quarter note (Live's song position). Frames are 16th notes: 4 per beat.
"""
from __future__ import annotations

import math

FRAMES_PER_BEAT = 4
# Guards against 0.9999999 beats landing one frame early after float arithmetic.
_FRAME_EPS = 1e-6


def beat_to_frame(beat: float) -> int:
    """Frame index of an event at song position ``beat`` (DESIGN.md section 2)."""
    return math.floor(FRAMES_PER_BEAT * beat + _FRAME_EPS)


def frame_to_beat(frame: int) -> float:
    return frame / FRAMES_PER_BEAT


def seconds_per_frame(bpm: float) -> float:
    return 60.0 / bpm / FRAMES_PER_BEAT


def beats_to_seconds(beats: float, bpm: float) -> float:
    return beats * 60.0 / bpm


def seconds_to_beats(seconds: float, bpm: float) -> float:
    return seconds * bpm / 60.0


def span_to_frames(start_beat: float, end_beat: float) -> tuple[int, int]:
    """Half-open frame range [start, end) covered by an event; at least one frame long."""
    start = beat_to_frame(start_beat)
    end = beat_to_frame(end_beat)
    return start, max(end, start + 1)
