"""Which chords are final and which must go out now: pure functions of (now_beat, settings, plan).

ReaLJam's scheme (the commit and lookahead settings: docs/osc.md): the policy plans ``lookahead_beats`` ahead of the transport;
chords less than ``commit_beats`` ahead are committed (final, never re-planned) and sent; the rest stay
provisional and are re-planned when real notes arrive. Every frame the committed near future is sent
again, so a lost UDP packet costs nothing (the device stores chords by frame; a repeat is harmless).

Frames here are song frames (16ths of the transport's position). ``chord_runs`` turns per-frame chord
tokens into what ``/jam/chord`` and ``/jam/nochord`` carry.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from jamcore import tokens as T
from jamcore.music.chords import Chord
from jamcore.music.time import FRAMES_PER_BEAT, beat_to_frame

_EPS = 1e-6


@dataclass(frozen=True)
class Horizon:
    """The three edges of the plan at one instant (song frames, half-open ranges)."""

    now_frame: int  # the frame sounding now
    commit_end: int  # frames < commit_end are committed (final, sent)
    plan_end: int  # frames < plan_end are planned; [commit_end, plan_end) provisional


def horizon(now_beat: float, lookahead_beats: float, commit_beats: float) -> Horizon:
    """Edges of the plan at ``now_beat``. A frame is committed once it starts less than ``commit_beats``
    from now; at least the next frame is always committed (a chord must be sent before it sounds)."""
    now_frame = beat_to_frame(now_beat)
    commit_end = max(now_frame + 1, math.ceil(FRAMES_PER_BEAT * (now_beat + commit_beats) - _EPS))
    plan_end = max(commit_end, math.ceil(FRAMES_PER_BEAT * (now_beat + lookahead_beats) - _EPS))
    return Horizon(now_frame, commit_end, plan_end)


def next_frame_time(now: float, now_beat: float, bpm: float) -> float:
    """Wall time of the next frame boundary after ``now`` (at ``bpm``)."""
    nxt = beat_to_frame(now_beat) + 1
    return now + max(0.0, nxt / FRAMES_PER_BEAT - now_beat) * 60.0 / bpm


@dataclass(frozen=True)
class Run:
    """A chord (or no-chord) run of committed frames: ``frames`` long from song frame ``frame``."""

    frame: int
    frames: int
    chord: Chord | None
    onset_index: int  # index into the token list where the run starts (to find its voicing)


def chord_runs(tokens: Sequence[int], first_frame: int, start: int, end: int) -> list[Run]:
    """Runs of ``tokens`` (token i is song frame ``first_frame + i``) that overlap frames [start, end).

    A run that began before ``start`` is reported from its onset (the device already knows where it
    started; resending the same start is harmless), but never before the first token: after a jump the
    first frame of the new segment is an onset for the device whatever the token says.
    """
    n = len(tokens)
    lo = max(start - first_frame, 0)
    hi = min(end - first_frame, n)
    if lo >= hi:
        return []
    # Walk back from `lo` to the onset of the run it is in.
    i = lo
    while i > 0 and not _starts_run(tokens, i):
        i -= 1
    runs: list[Run] = []
    while i < hi:
        j = i + 1
        while j < n and not _starts_run(tokens, j):
            j += 1
        runs.append(Run(first_frame + i, j - i, T.token_chord(int(tokens[i])), i))
        i = j
    return runs


def _starts_run(tokens: Sequence[int], i: int) -> bool:
    """Token i starts a new run: an onset, or a change between chord and no-chord (or of chord)."""
    tok, prev = int(tokens[i]), int(tokens[i - 1])
    if T.is_onset(tok):
        return True
    if tok == T.NO_CHORD:
        return prev != T.NO_CHORD
    return T.TOKEN_CHORD[tok] != T.TOKEN_CHORD[prev]
