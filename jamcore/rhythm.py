"""Rhythm-only views of token streams, and the chasing chord track the rhythm rewards must rank low.

``rhythm_view`` keeps only *when* things happen (REFERENCE 2.3, the rhythm-only reward models): every
token becomes one of six symbols, PAD / BOS / EOS as they are, then SILENCE (melody silence or no
chord), ONSET (any note or chord struck) and HOLD (any note or chord held). Pitch and chord names are
gone, so transposition means nothing to it. It maps arrays of any shape (one slot, an interleaved
online sequence, a batch) through one lookup table.

``chasing_chords`` builds the counter-example of issue 15: the data's own chords, but every chord
change that the data strikes with a melody note comes one frame later, as a policy that waits to hear
the note and then follows it. Its harmony is nearly the data's; its timing is the hack.
"""
from __future__ import annotations

import numpy as np

from jamcore import tokens as T
from jamcore.eval.metrics import RELATED_SHARED_PCS, chord_event_sequence, melody_onsets

RHYTHM_PAD, RHYTHM_BOS, RHYTHM_EOS, RHYTHM_SILENCE, RHYTHM_ONSET, RHYTHM_HOLD = range(6)
RHYTHM_VOCAB_SIZE = 6
RHYTHM_NAMES = ("PAD", "BOS", "EOS", "SILENCE", "ONSET", "HOLD")


def _rhythm_table() -> np.ndarray:
    table = np.empty(T.VOCAB_SIZE, dtype=np.int64)
    table[T.PAD], table[T.BOS], table[T.EOS] = RHYTHM_PAD, RHYTHM_BOS, RHYTHM_EOS
    table[T.SILENCE] = table[T.NO_CHORD] = RHYTHM_SILENCE
    table[T.NOTE_ON_BASE:T.NOTE_HOLD_BASE] = RHYTHM_ONSET
    table[T.NOTE_HOLD_BASE:T.CHORD_ON_BASE] = RHYTHM_HOLD
    table[T.CHORD_ON_BASE:T.CHORD_HOLD_BASE] = RHYTHM_ONSET
    table[T.CHORD_HOLD_BASE:T.VOCAB_SIZE] = RHYTHM_HOLD
    return table


RHYTHM_OF_TOKEN = _rhythm_table()  # [VOCAB_SIZE] -> rhythm symbol


def rhythm_view(tokens) -> np.ndarray:
    """The rhythm symbol of every token id, same shape as ``tokens`` (ids outside the vocabulary raise)."""
    a = np.asarray(tokens, dtype=np.int64)
    if a.size and (a.min() < 0 or a.max() >= T.VOCAB_SIZE):
        raise ValueError(f"token ids must be in 0..{T.VOCAB_SIZE - 1}, got {a.min()}..{a.max()}")
    return RHYTHM_OF_TOKEN[a]


def chasing_chords(melody, chords) -> np.ndarray:
    """The chord track delayed by one frame after melody onsets.

    Every chord event (a chord, a re-strike or a no-chord stretch) that starts on a frame where a melody
    note begins starts one frame later instead; what sounded before holds one frame longer (no chord
    at frame 0). An event of one frame that is delayed onto the next event's start is dropped. Chord
    events that do not start with a note stay where they are. Returns grammatical chord tokens.
    """
    m = np.asarray(melody, dtype=np.int64)
    c = np.asarray(chords, dtype=np.int64)
    if m.shape != c.shape or m.ndim != 1:
        raise ValueError(f"melody and chords must be 1-D arrays of one length, got {m.shape} and {c.shape}")
    n = c.size
    starts, _, idx = chord_event_sequence(c)
    note_on = melody_onsets(m)
    moved = np.where(note_on[starts], starts + 1, starts)
    out = np.full(n, T.NO_CHORD, dtype=np.int64)
    for k, (s, chord) in enumerate(zip(moved, idx)):
        end = moved[k + 1] if k + 1 < len(moved) else n
        if s >= end:
            continue  # delayed onto the next event (or past the end): gone
        if chord >= 0:
            out[s] = T.CHORD_ON_BASE + chord
            out[s + 1:end] = T.CHORD_HOLD_BASE + chord
    return out


def held_chords(chords) -> np.ndarray:
    """The chord track with every second chord change removed: each event from the first holds on over
    the one after it, so the chords change about half as often (two no-chord stretches can merge), on
    the data's own change points.

    The other timing counter-example beside the chase: an accompanist that holds where the song moves on
    (what RL policies judged at each note's onset drift towards). Returns grammatical chord tokens."""
    c = np.asarray(chords, dtype=np.int64)
    if c.ndim != 1:
        raise ValueError(f"chords must be a 1-D array, got shape {c.shape}")
    out = c.copy()
    starts, lengths, idx = chord_event_sequence(c)
    for k in range(1, len(starts), 2):  # events 1, 3, 5...: the one before them sounds on
        chord = idx[k - 1]
        out[starts[k]:starts[k] + lengths[k]] = T.CHORD_HOLD_BASE + chord if chord >= 0 else T.NO_CHORD
    return out


def related_restrikes(chords) -> np.ndarray:
    """The chord tokens with every *related* change held: a chord struck over one that shares at least
    ``RELATED_SHARED_PCS`` (two) pitch classes with it (the same chord again, D to D7, D to Bm, C to Em)
    becomes a hold of the new chord, so a rhythm view of the result keeps the onsets where the harmony moves
    (D to G, D to A7). Neighbours only: in D, Bm, G both changes are related (D F#, then B D) and both
    become holds; a chord after a no-chord stretch is always struck (``metrics.related_changes`` skips the
    gap instead and compares across it).

    What the rhythm judges hear with ``RLConfig.rhythm_moves_only``: a test of whether their onset credit
    pays for the hedge (``metrics.related_changes``); it cut the change rate, not the hedge
    (training/gapt_levers.md, item 18). Any shape whose last axis is time; the result is only for
    ``rhythm_view`` (it may break the chord grammar)."""
    c = np.asarray(chords, dtype=np.int64)
    out = c.copy()
    if c.shape[-1] < 2:
        return out
    pcs = T.TOKEN_CHORD_PCS[c]
    shared = (pcs[..., 1:, :] & pcs[..., :-1, :]).sum(-1)
    struck = (c[..., 1:] >= T.CHORD_ON_BASE) & (c[..., 1:] < T.CHORD_HOLD_BASE)
    related = struck & (shared >= RELATED_SHARED_PCS)
    out[..., 1:] = np.where(related, c[..., 1:] + (T.CHORD_HOLD_BASE - T.CHORD_ON_BASE), c[..., 1:])
    return out


__all__ = ["RHYTHM_PAD", "RHYTHM_BOS", "RHYTHM_EOS", "RHYTHM_SILENCE", "RHYTHM_ONSET", "RHYTHM_HOLD",
           "RHYTHM_VOCAB_SIZE", "RHYTHM_NAMES", "RHYTHM_OF_TOKEN", "rhythm_view", "chasing_chords", "held_chords",
           "related_restrikes"]
