"""Model-free anchor rows for the evaluation: three rule harmonizers that bracket what a model does.

- ``tonic_triad``: the key's tonic triad held for the whole song. Total collapse: its harmony number
  is whatever one chord earns, its diversity is nil. It estimates the key from the *whole* melody
  (Krumhansl-Kessler profiles), so it sees the future: an offline rule.
- ``note_triad_cheat``: each beat, the major/minor triad that contains the most of that beat's melody
  frames. It sees the notes it accompanies, which a live accompanist cannot: an upper bound on
  note-in-chord that real lead sheets do not reach (harmony numbers alone are gameable).
- ``note_triad_live``: the same rule fed the *previous* beat's notes only: the live constraint
  (chord of beat b from melody before beat b), the honest rule a learned policy has to beat.

Each returns chord tokens (same length as the melody) and takes an ``rng`` for the harmonizer
signature of ``jamcore.eval.adaptation``; the rules are deterministic and ignore it.
"""
from __future__ import annotations

import numpy as np

from jamcore.music.chords import Chord
from jamcore.music.time import FRAMES_PER_BEAT
from jamcore.tokens import NO_CHORD, TOKEN_PITCH, chord_hold, chord_on

# Krumhansl-Kessler key profiles (probe-tone ratings, tonic first).
KK_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
KK_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])

# The 24 candidate triads, major then minor, root-ascending; membership rows over pitch classes.
TRIADS: tuple[Chord, ...] = tuple(Chord(r, "maj") for r in range(12)) + tuple(Chord(r, "min") for r in range(12))
TRIAD_PCS = np.zeros((len(TRIADS), 12))
for _i, _c in enumerate(TRIADS):
    TRIAD_PCS[_i, list(_c.pitch_classes)] = 1.0
_TRIAD_ON = np.array([chord_on(c) for c in TRIADS], dtype=np.int64)
_TRIAD_HOLD = np.array([chord_hold(c) for c in TRIADS], dtype=np.int64)


def pitch_class_histogram(melody: np.ndarray) -> np.ndarray:
    """Duration-weighted pitch-class histogram: note frames per pitch class (length 12)."""
    pitch = TOKEN_PITCH[np.asarray(melody, dtype=np.int64)]
    return np.bincount(pitch[pitch >= 0] % 12, minlength=12).astype(float)


def estimate_key(melody: np.ndarray) -> tuple[int, str]:
    """(tonic pitch class, "maj" or "min") by Krumhansl-Kessler correlation over the whole melody.

    An empty melody gives C major. Ties go to major and to the lower tonic (a fixed, seedless order).
    """
    return key_of_histogram(pitch_class_histogram(melody))


def key_of_histogram(hist: np.ndarray) -> tuple[int, str]:
    """``estimate_key`` for a pitch-class histogram (12 weights: note frames, or durations in beats)."""
    hist = np.asarray(hist, dtype=float)
    if hist.sum() == 0 or np.all(hist == hist[0]):
        return 0, "maj"
    best = (-np.inf, 0, "maj")
    for mode, profile in (("maj", KK_MAJOR), ("min", KK_MINOR)):
        for tonic in range(12):
            r = float(np.corrcoef(hist, np.roll(profile, tonic))[0, 1])
            if r > best[0]:
                best = (r, tonic, mode)
    return best[1], best[2]


def tonic_triad(melody: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
    """The estimated key's tonic triad, struck on frame 0 and held to the end (sees the whole song)."""
    n = len(melody)
    tonic, mode = estimate_key(melody)
    chord = Chord(tonic, mode)
    out = np.full(n, chord_hold(chord), dtype=np.int64)
    if n:
        out[0] = chord_on(chord)
    return out


def _beat_histograms(melody: np.ndarray) -> np.ndarray:
    """[n_beats, 12]: note frames per pitch class within each beat (a trailing partial beat included)."""
    pitch = TOKEN_PITCH[np.asarray(melody, dtype=np.int64)]
    n_beats = -(-len(pitch) // FRAMES_PER_BEAT)
    hist = np.zeros((n_beats, 12))
    frames = np.flatnonzero(pitch >= 0)
    np.add.at(hist, (frames // FRAMES_PER_BEAT, pitch[frames] % 12), 1.0)
    return hist


def _note_triad(melody: np.ndarray, lag_beats: int) -> np.ndarray:
    """Per beat b, the triad covering most note frames of beat ``b - lag_beats``.

    Ties (common: one note lies in three triads) go first to the chord already sounding (fewer
    needless changes, the way a player would keep a chord that still fits), then to the triad that
    best fits every note heard up to that beat (a running, causal key sense), then to the fixed order
    of ``TRIADS``. No chord sounds until the first note has been seen; beats that see no note keep the
    previous chord. A triad kept across a beat is held, not re-struck.
    """
    n = len(melody)
    hist = _beat_histograms(melody)
    seen = np.cumsum(hist, axis=0)  # notes heard up to the end of each beat
    out = np.full(n, NO_CHORD, dtype=np.int64)
    current = -1
    for b in range(hist.shape[0]):
        src = b - lag_beats
        if src >= 0 and hist[src].sum() > 0:
            cover = TRIAD_PCS @ hist[src]
            fit = TRIAD_PCS @ seen[src]
            keep = np.zeros(len(TRIADS))
            if current >= 0:
                keep[current] = 1.0
            # Lexicographic: cover, then keep, then fit, then lowest index (lexsort's last key is primary).
            order = np.lexsort((np.arange(len(TRIADS)), -fit, -keep, -cover))
            choice = int(order[0])
        else:
            choice = current
        if choice < 0:
            continue
        lo, hi = b * FRAMES_PER_BEAT, min(n, (b + 1) * FRAMES_PER_BEAT)
        out[lo:hi] = _TRIAD_HOLD[choice]
        if choice != current:
            out[lo] = _TRIAD_ON[choice]
        current = choice
    return out


def note_triad_cheat(melody: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
    """Each beat, a triad containing that beat's own notes: it sees what it accompanies (not causal)."""
    return _note_triad(melody, lag_beats=0)


def note_triad_live(melody: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
    """Each beat, a triad containing the previous beat's notes: causal, the live constraint."""
    return _note_triad(melody, lag_beats=1)


BASELINES = {
    "tonic-triad": tonic_triad,
    "note-triad-cheat": note_triad_cheat,
    "note-triad-live": note_triad_live,
}

__all__ = [
    "KK_MAJOR", "KK_MINOR", "TRIADS", "pitch_class_histogram", "estimate_key", "key_of_histogram", "tonic_triad",
    "note_triad_cheat", "note_triad_live", "BASELINES",
]
