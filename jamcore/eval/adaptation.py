"""Adaptation tests: how fast a harmonizer follows a melody that changes key, and how it starts.

A *harmonizer* is any callable ``harmonize(melody_tokens, rng) -> chord_tokens`` (same length). It is
handed the whole melody array for convenience, but it must be **causal**: the chord of frame t may
depend on melody frames before t only, as live (docs/architecture.md). Nothing here can enforce that
for a black box; ``check_causal`` tests it on one melody, and the report runs it on every system
that claims to be live. A non-causal harmonizer (the cheating baseline) "adapts" at once: that is
the point of including it.

The perturbation test (docs/metrics.md, "Adaptation"; GAPT Fig. 7): transpose the melody by k semitones from beat
16 on (``jamcore.tokens.transpose_tokens`` on the melody only), harmonize the perturbed melody, and
follow the sliding one-bar note-in-chord curve. "Recovery" is the number of beats after the change
until the first one-bar window lying wholly after the change is back within 10% of the pre-change
level (0 = the first bar after the change is already fine).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from jamcore.eval.metrics import NoteInChord, note_frames, note_in_chord, note_in_chord_frames, windowed_mean
from jamcore.music.time import FRAMES_PER_BEAT
from jamcore.tokens import transpose_tokens

Harmonizer = Callable[[np.ndarray, np.random.Generator], np.ndarray]

CHANGE_BEAT = 16  # GAPT Fig. 7: "up 6 semitones at the 16th beat" (token 128 = frame 64)
TRANSPOSE_SEMITONES = 6  # a tritone: the farthest key, the hardest case
RECOVERY_TOLERANCE = 0.10  # back "within 10%" of the pre-change level (relative)
COLD_START_BEATS = 8


def transpose_from(melody: np.ndarray, semitones: int, start_beat: int = CHANGE_BEAT) -> np.ndarray:
    """The melody with every note from ``start_beat`` on moved by ``semitones`` (chords untouched)."""
    out = np.array(melody, dtype=np.int64, copy=True)
    start = start_beat * FRAMES_PER_BEAT
    out[start:] = transpose_tokens(out[start:], semitones)
    return out


def check_causal(harmonize: Harmonizer, melody: np.ndarray, seed: int = 0, at_frames: Sequence[int] = ()) -> bool:
    """True if changing the melody from frame t on never changes chords at frames <= t.

    Runs the harmonizer with the same seed on the melody and on copies altered from each frame in
    ``at_frames`` (default: four frames spread over the song). A sampler whose random draws do not
    depend on the melody (one draw per frame, as ``StreamingPolicy``) must then agree exactly.
    """
    melody = np.asarray(melody, dtype=np.int64)
    n = len(melody)
    base = np.asarray(harmonize(melody, np.random.default_rng(seed)))
    frames = list(at_frames) or [n // 5, 2 * n // 5, 3 * n // 5, 4 * n // 5]
    for t in frames:
        altered = melody.copy()
        altered[t:] = transpose_tokens(altered[t:], 5)
        got = np.asarray(harmonize(altered, np.random.default_rng(seed)))
        if not np.array_equal(got[: t + 1], base[: t + 1]):
            return False
    return True


def recovery_beats(
    curve: np.ndarray,
    change_beat: int,
    window_beats: int,
    pre_level: float,
    tolerance: float = RECOVERY_TOLERANCE,
) -> float:
    """Beats from the change until the first trailing window wholly after it reaches
    ``(1 - tolerance) * pre_level``; NaN if it never does (or the level is undefined).

    ``curve[b]`` is the NIC of the window of beats ``[b - window_beats + 1, b]``; the first window
    wholly after the change ends at ``change_beat + window_beats - 1`` and scores 0.
    """
    if not np.isfinite(pre_level):
        return math.nan
    first = change_beat + window_beats - 1
    target = (1.0 - tolerance) * pre_level
    for b in range(first, len(curve)):
        if np.isfinite(curve[b]) and curve[b] >= target:
            return float(b - first)
    return math.nan


def cold_start(melody: np.ndarray, chords: np.ndarray, n_beats: int = COLD_START_BEATS) -> NoteInChord:
    """Note-in-chord counts over the first ``n_beats`` beats from the first melody note on.

    The chords before a partner has played anything are free; what counts is how soon they fit.
    Frames with a note but no chord (a "wait and see" start) are in ``no_chord``, not in the ratio.
    """
    notes = np.flatnonzero(note_frames(melody))
    if notes.size == 0:
        return NoteInChord(0, 0, 0, 0, 0)
    lo = int(notes[0])
    hi = lo + n_beats * FRAMES_PER_BEAT
    return note_in_chord(np.asarray(melody)[lo:hi], np.asarray(chords)[lo:hi])


def nanmean_curves(curves: Sequence[np.ndarray]) -> np.ndarray:
    """Average per-beat curves of different lengths, ignoring NaN (no scored frame) entries."""
    if not curves:
        return np.zeros(0)
    width = max(len(c) for c in curves)
    stack = np.full((len(curves), width), np.nan)
    for i, c in enumerate(curves):
        stack[i, : len(c)] = c
    valid = ~np.isnan(stack)
    count = valid.sum(axis=0)
    total = np.where(valid, stack, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


@dataclass
class AdaptationResult:
    """Outcome of the perturbation test over a set of melodies for one harmonizer."""

    semitones: int
    change_beat: int
    window_beats: int
    per_beat: np.ndarray  # mean over songs of the per-beat NIC (NaN-aware)
    sliding: np.ndarray  # mean over songs of the trailing one-bar NIC
    pre_level: float  # pooled NIC of all songs' frames before the change
    recovery_mean_curve: float  # recovery read off the song-averaged sliding curve (less noisy)
    recovery_per_song: list[float] = field(default_factory=list)  # NaN: not recovered / too short
    drop: float = math.nan  # pre_level minus the first post-change window's mean NIC

    def summary(self) -> dict[str, float]:
        rec = np.asarray(self.recovery_per_song, dtype=float)
        measured = rec[~np.isnan(rec)]
        return {
            "pre_level": self.pre_level,
            "drop": self.drop,
            "recovery_beats": self.recovery_mean_curve,
            "recovery_beats_song_median": float(np.median(measured)) if measured.size else math.nan,
            "recovered_share": float(measured.size / rec.size) if rec.size else math.nan,
        }


def perturbation_test(
    harmonize: Harmonizer,
    melodies: Sequence[np.ndarray],
    rngs: Sequence[np.random.Generator],
    semitones: int = TRANSPOSE_SEMITONES,
    change_beat: int = CHANGE_BEAT,
    window_beats: int = 4,
    tolerance: float = RECOVERY_TOLERANCE,
) -> AdaptationResult:
    """Transpose each melody by ``semitones`` from ``change_beat`` on, harmonize it, and measure.

    ``window_beats`` is one bar (4 beats in 4/4; pass the song's bar for other meters). Songs too
    short to have a full window after the change count as not measured (NaN recovery). One ``rng``
    per melody keeps results independent of the order in which songs are run.
    """
    window = window_beats * FRAMES_PER_BEAT
    change = change_beat * FRAMES_PER_BEAT
    per_beat, sliding, recov = [], [], []
    pre = NoteInChord(0, 0, 0, 0, 0)
    first_post: list[float] = []
    for melody, rng in zip(melodies, rngs):
        moved = transpose_from(melody, semitones, change_beat)
        chords = np.asarray(harmonize(moved, rng))
        frames = note_in_chord_frames(moved, chords)
        per_beat.append(windowed_mean(frames, FRAMES_PER_BEAT))
        slide = windowed_mean(frames, window)
        sliding.append(slide)
        song_pre = note_in_chord(moved[:change], chords[:change])
        pre = pre + song_pre
        recov.append(recovery_beats(slide, change_beat, window_beats, song_pre.ratio, tolerance))
        first = change_beat + window_beats - 1
        if first < len(slide) and np.isfinite(slide[first]):
            first_post.append(float(slide[first]))
    mean_sliding = nanmean_curves(sliding)
    rec_curve = recovery_beats(mean_sliding, change_beat, window_beats, pre.ratio, tolerance)
    return AdaptationResult(
        semitones=semitones,
        change_beat=change_beat,
        window_beats=window_beats,
        per_beat=nanmean_curves(per_beat),
        sliding=mean_sliding,
        pre_level=pre.ratio,
        recovery_mean_curve=rec_curve,
        recovery_per_song=recov,
        drop=pre.ratio - float(np.mean(first_post)) if first_post else math.nan,
    )


__all__ = [
    "Harmonizer", "CHANGE_BEAT", "TRANSPOSE_SEMITONES", "RECOVERY_TOLERANCE", "COLD_START_BEATS",
    "transpose_from", "check_causal", "recovery_beats", "cold_start", "nanmean_curves",
    "AdaptationResult", "perturbation_test",
]
