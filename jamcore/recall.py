"""Recall: the accompanist remembers the melody it has heard, and when the player repeats a passage it
chooses chords for the notes that came next last time.

A policy that chooses each chord before the notes it sounds under can only guess them; but songs repeat
(a folk tune's strains, a pop song's verses), and once a passage has been heard its continuation is known
the second time. At a chord decision (frame ``t``, the melody heard up to frame ``h``, exclusive) the heard
melody is compared with itself shifted back by whole beats of the song (shifts that keep each note's place
in the beat, also after a seek moved the session's frames). What is compared is the notes struck: the
same pitches on the same 16ths; how long each is held does not count, as a player holds a note a little
longer or shorter each time. The shift whose match with the latest frames runs longest (at least
``MIN_MATCH_FRAMES``, with ``MIN_MATCH_ONSETS`` notes struck in it; the nearest among equals) gives the
forecast: the pitch classes that sounded in the span that followed the match last time. The forecast
never comes from the policy's own imagined melody (what planning on imagined notes does:
``training/gapt_levers.md`` item 11), only from notes the player played.

The policy is then told, as a bias on its chord logits, how much of the forecast each chord would
cover: ``logit(c) + strength * share of the forecast melody on chord tones of c``, before temperature.
A hold of the sounding chord is scored like striking it again; no-chord gets nothing. With no repeat
found there is no bias: the policy plays as trained.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Union

import numpy as np

from jamcore import tokens as T
from jamcore.music.time import FRAMES_PER_BEAT

MIN_MATCH_FRAMES = 2 * FRAMES_PER_BEAT  # two beats of melody must repeat exactly
MIN_MATCH_ONSETS = 2  # with at least two notes struck in them (held notes and rests match too easily)
LONGEST_MATCH_FRAMES = 16 * FRAMES_PER_BEAT  # matches are compared up to four 4/4 bars back from now
RECALL_FRAMES = 256 * FRAMES_PER_BEAT  # how far back a repeat is looked for (64 bars of 4/4)
DEFAULT_RECALL = 6.0  # the live default (0: off; the README and docs/recall.md compare strengths)
RECALL_MAX = 32.0  # the strongest a front end accepts (at 32 the forecast all but decides the chord)
_CHORD_PCS = T.TOKEN_CHORD_PCS.astype(np.float32)


@dataclass(frozen=True)
class Heard:
    """The melody a player has played, as recall reads it: ``tokens`` of frames ``start``, ``start`` + 1,
    ...; ``phase`` each frame's 16th within its beat of the song (None: the frame number's own, as in a
    song played from its start without a seek)."""

    tokens: np.ndarray
    start: int = 0
    phase: np.ndarray | None = None


HeardSource = Union[Heard, Callable[[], Heard]]  # the heard melody, or how to get it when it is needed


def _onsets(tokens: np.ndarray) -> np.ndarray:
    return (tokens >= T.NOTE_ON_BASE) & (tokens < T.NOTE_HOLD_BASE)


def struck_pitches(tokens: np.ndarray) -> np.ndarray:
    """Per frame the pitch struck there, -1 where none is (a held note and a rest look alike)."""
    return np.where(_onsets(tokens), T.TOKEN_PITCH[tokens], -1)


def find_repeat(heard: np.ndarray, t: int, span: int, phase: np.ndarray | None = None) -> int | None:
    """The shift back (frames, a whole number of beats of the song: ``phase`` as in ``Heard``) at which
    the melody ``heard`` (tokens of frames 0..h-1, h = ``len(heard)``) last struck the notes of its latest
    frames, such that the ``span`` frames from ``t`` shifted by it were heard; None when no match is long
    enough."""
    h = len(heard)
    lo = max(0, h - RECALL_FRAMES)
    # Shifts whose forecast span [t - d, t - d + span) lies inside the heard melody, nearest first.
    shifts = np.arange(max(FRAMES_PER_BEAT, t + span - h), h - lo - MIN_MATCH_FRAMES + 1)
    shifts = shifts[t - shifts >= lo]
    if h < MIN_MATCH_FRAMES or not len(shifts):
        return None
    if phase is None:
        shifts = shifts[shifts % FRAMES_PER_BEAT == 0]
    else:
        shifts = shifts[phase[h - 1 - shifts] == phase[h - 1]]
    if not len(shifts):
        return None
    n = min(LONGEST_MATCH_FRAMES, h - lo)
    strikes = struck_pitches(heard)
    recent = strikes[h - n:h][::-1]  # newest first
    idx = (h - 1 - shifts)[:, None] - np.arange(n)[None, :]  # the same frames, shifted back
    valid = idx >= lo
    eq = valid & (strikes[np.clip(idx, 0, None)] == recent[None, :])
    length = np.where(eq.all(axis=1), n, np.argmin(eq, axis=1))
    best = int(np.argmax(length))  # first maximum: the nearest shift
    ln = int(length[best])
    if ln < MIN_MATCH_FRAMES or int(_onsets(heard[h - ln:h]).sum()) < MIN_MATCH_ONSETS:
        return None
    return int(shifts[best])


def forecast(heard: np.ndarray, t: int, span: int, phase: np.ndarray | None = None) -> np.ndarray | None:
    """Pitch-class weights (summing to 1) of the melody expected in frames [t, t + span) (counted from
    the first heard frame), from the last time the passage before now was played; None when no repeat is
    found or that span was silent."""
    heard = np.asarray(heard, dtype=np.int64)
    d = find_repeat(heard, t, span, phase)
    if d is None:
        return None
    pitches = T.TOKEN_PITCH[heard[t - d:t - d + span]]
    pitches = pitches[pitches >= 0]
    if not len(pitches):
        return None
    w = np.bincount(pitches % 12, minlength=12).astype(np.float32)
    return w / w.sum()


def recall_bias(heard: HeardSource, t: int, span: int, strength: float) -> np.ndarray | None:
    """Additive chord-slot logits (one per token) for the chord of frame ``t``: ``strength`` times the
    share of the forecast melody on each chord's tones; None when there is nothing to recall or
    ``strength`` is 0. ``heard`` is read only when ``strength`` is above 0."""
    if strength <= 0:
        return None
    if callable(heard):
        heard = heard()
    w = forecast(heard.tokens, t - heard.start, span, heard.phase)
    if w is None:
        return None
    return strength * (_CHORD_PCS @ w)


__all__ = ["MIN_MATCH_FRAMES", "MIN_MATCH_ONSETS", "RECALL_FRAMES", "DEFAULT_RECALL", "RECALL_MAX", "Heard",
           "HeardSource", "find_repeat", "forecast", "recall_bias", "struck_pitches"]
