"""The time grid every part of jamcore shares: beats, 16th-note frames, seconds.

A beat is a quarter note (Live's song position). Frames are 16th notes: 4 per beat.
"""
from __future__ import annotations

import math

FRAMES_PER_BEAT = 4
# Guards against 0.9999999 beats landing one frame early after float arithmetic.
_FRAME_EPS = 1e-6


def beat_to_frame(beat: float) -> int:
    """Frame index of an event at song position ``beat`` (the 16th-note grid: docs/metrics.md)."""
    return math.floor(FRAMES_PER_BEAT * beat + _FRAME_EPS)


def note_frame(beat: float) -> int:
    """Frame of a *played* note's onset or release: the nearest 16th. A player is never exactly on the
    grid; a note struck a hair before the beat belongs to the beat, not to the 16th before it, and a
    note released in the last half of a frame sounded through it (so a detached quarter note stays a
    quarter). For events on the 16th grid this and ``beat_to_frame`` agree; the data's tokenizer keeps the
    floor (a triplet's onset at 2/3 of a beat is frame 2 there, 3 here)."""
    return math.floor(FRAMES_PER_BEAT * beat + 0.5)


def frame_to_beat(frame: int) -> float:
    return frame / FRAMES_PER_BEAT


def beats_to_seconds(beats: float, bpm: float) -> float:
    return beats * 60.0 / bpm
