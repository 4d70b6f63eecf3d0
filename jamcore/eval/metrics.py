"""Model-free metrics over per-frame token arrays: harmony, diversity, rule penalties, rhythm.

One song is two int arrays of equal length: melody tokens (``SILENCE``, ``NOTE_ON``/``NOTE_HOLD``) and
chord tokens (``NO_CHORD``, ``CHORD_ON``/``CHORD_HOLD``), one token per 16th-note frame. Every function
here is pure and vectorised with numpy over the lookup tables of ``jamcore.tokens``, so the RL reward
code can call the same definitions (STYLE.md principle 12: one definition per musical measure).

Conventions used throughout:
- A "note frame" has a melody NOTE token (onset or hold); a "chord frame" has a CHORD token (onset or
  hold). Any other token in a slot (SILENCE, NO_CHORD, PAD, a token of the wrong slot) is "empty".
- A chord *event* starts where the chord token is an onset or names a different chord than the frame
  before (the same rule as ``jamcore.tokens.chord_events``); NO_CHORD runs are events of "no chord".
- Chords are compared by their index in ``ALL_CHORDS`` (root + quality, slash bass already dropped).
- Ratios with an empty denominator are NaN, never 0, so that "not measured" cannot pass for "bad".

Definitions in plain words, with what good looks like: docs/metrics.md.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Callable, Iterable, Sequence

import numpy as np

from jamcore.music.chords import ALL_CHORDS, QUALITIES
from jamcore.music.meter import frames_per_bar
from jamcore.music.time import FRAMES_PER_BEAT
from jamcore.tokens import (
    CHORD_HOLD_BASE,
    CHORD_ON_BASE,
    N_CHORDS,
    NOTE_HOLD_BASE,
    NOTE_ON_BASE,
    TOKEN_CHORD,
    TOKEN_CHORD_PCS,
    TOKEN_PITCH,
    VOCAB_SIZE,
    chord_grammar_violations,
)

# Reference constants of the rule penalties (docs/metrics.md, "Rule penalties"); the RL reward reuses them.
REPETITION_MAX_EVENTS = 4  # more than 4 re-articulations of the same chord in a row is a violation
SILENCE_MAX_SHARE = 0.04  # chord silence under melody tolerated up to the training-set rate
SILENCE_EXEMPT_FRAMES = 8  # the first frames may be silent ("wait and see" is fine)
PENALTY_PER_FRAME = 0.1
INVALID_PENALTY = -10.0

CHORD_PITCH_CLASS_COUNT = np.array([len(c.pitch_classes) for c in ALL_CHORDS], dtype=np.int64)
_QUALITY_OF = np.array([QUALITIES.index(c.quality) for c in ALL_CHORDS], dtype=np.int64)
_ROOT_OF = np.array([c.root for c in ALL_CHORDS], dtype=np.int64)
# Two chords are *related* when they share at least this many pitch classes (D and Bm, C and Em, D and D7):
# a change between them keeps most of what sounded (docs/metrics.md, "Related changes").
RELATED_SHARED_PCS = 2


# ---------------------------------------------------------------------------------------------
# Per-frame views


def _tokens(arr: np.ndarray | Sequence[int], what: str) -> np.ndarray:
    """Validate a token array: 1-D ints inside the vocabulary (a bad id is a bug upstream, not a miss)."""
    a = np.asarray(arr)
    if a.ndim != 1:
        raise ValueError(f"{what} tokens must be a 1-D array, got shape {a.shape}")
    a = a.astype(np.int64, copy=False)
    if a.size and (a.min() < 0 or a.max() >= VOCAB_SIZE):
        raise ValueError(f"{what} tokens must be ids in 0..{VOCAB_SIZE - 1}, got {a.min()}..{a.max()}")
    return a


def _pair(melody: np.ndarray, chords: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    m, c = _tokens(melody, "melody"), _tokens(chords, "chord")
    if m.shape != c.shape:
        raise ValueError(f"melody and chord arrays differ in length: {m.size} vs {c.size}")
    return m, c


def chord_index_per_frame(chords: np.ndarray) -> np.ndarray:
    """Index into ``ALL_CHORDS`` per frame, -1 where no chord sounds (NO_CHORD or any non-chord id)."""
    return TOKEN_CHORD[_tokens(chords, "chord")].astype(np.int64)


def note_frames(melody: np.ndarray) -> np.ndarray:
    """Boolean per frame: a melody note (onset or hold) sounds."""
    return TOKEN_PITCH[_tokens(melody, "melody")] >= 0


def chord_event_starts(chords: np.ndarray) -> np.ndarray:
    """Boolean per frame: an event starts here (a chord onset, or the sounding chord/no-chord changes)."""
    c = _tokens(chords, "chord")
    idx = TOKEN_CHORD[c].astype(np.int64)
    starts = np.ones(c.size, dtype=bool)
    if c.size > 1:
        starts[1:] = idx[1:] != idx[:-1]
    starts |= (c >= CHORD_ON_BASE) & (c < CHORD_HOLD_BASE)
    return starts


def chord_onsets(chords: np.ndarray) -> np.ndarray:
    """Boolean per frame: a *chord* event starts here (no-chord events excluded)."""
    return chord_event_starts(chords) & (chord_index_per_frame(chords) >= 0)


def chord_event_sequence(chords: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start frame, length in frames, chord index or -1) of every event, as three arrays."""
    starts = np.flatnonzero(chord_event_starts(chords))
    idx = chord_index_per_frame(chords)
    lengths = np.diff(np.append(starts, idx.size))
    return starts, lengths, idx[starts]


# ---------------------------------------------------------------------------------------------
# Harmony: note-in-chord


@dataclass(frozen=True)
class NoteInChord:
    """Frame counts behind the note-in-chord ratio; ``ratio`` is hits / scored (NaN when none scored)."""

    hits: int  # note and chord present, the note's pitch class is in the chord
    scored: int  # note and chord present
    no_chord: int  # a note sounds but no chord does
    no_melody: int  # a chord sounds but no note does
    empty: int  # neither

    @property
    def ratio(self) -> float:
        return self.hits / self.scored if self.scored else math.nan

    def __add__(self, other: "NoteInChord") -> "NoteInChord":
        # Pooling over songs is a sum of counts (the reference's micro average).
        return NoteInChord(*(a + b for a, b in zip(asdict(self).values(), asdict(other).values())))

    def as_dict(self) -> dict[str, float]:
        d: dict[str, float] = dict(asdict(self))
        d["ratio"] = self.ratio
        return d


def note_in_chord_frames(melody: np.ndarray, chords: np.ndarray) -> np.ndarray:
    """Per frame: 1.0 if the melody pitch class is in the chord, 0.0 if not, NaN if either is absent.

    The building block of every harmony number (pooled ratio, per-beat curve, sliding window, cold
    start, and the RL reward when it wants one): compute the frame vector once, aggregate it many ways.
    """
    m, c = _pair(melody, chords)
    pitch = TOKEN_PITCH[m]
    has_note = pitch >= 0
    has_chord = TOKEN_CHORD[c] >= 0
    pc = np.where(has_note, pitch, 0) % 12
    hit = TOKEN_CHORD_PCS[c, pc]
    out = np.where(hit, 1.0, 0.0)
    out[~(has_note & has_chord)] = np.nan
    return out


def note_in_chord(melody: np.ndarray, chords: np.ndarray) -> NoteInChord:
    """Note-in-chord counts of one song (frames with a note and a chord; the rest counted apart)."""
    m, c = _pair(melody, chords)
    has_note = TOKEN_PITCH[m] >= 0
    has_chord = TOKEN_CHORD[c] >= 0
    f = note_in_chord_frames(m, c)
    return NoteInChord(
        hits=int(np.nansum(f)),
        scored=int(np.count_nonzero(has_note & has_chord)),
        no_chord=int(np.count_nonzero(has_note & ~has_chord)),
        no_melody=int(np.count_nonzero(~has_note & has_chord)),
        empty=int(np.count_nonzero(~has_note & ~has_chord)),
    )


def windowed_mean(frame_values: np.ndarray, window_frames: int, hop_frames: int = FRAMES_PER_BEAT) -> np.ndarray:
    """NaN-aware mean of ``frame_values`` over trailing windows, one value per hop.

    Entry ``i`` covers frames ``[(i+1)*hop - window, (i+1)*hop)`` (clipped at 0): a causal window that
    ends at the end of hop ``i``, so with ``hop`` = one beat, entry ``b`` is "the last window up to and
    including beat b". Windows with no valid frame are NaN. A trailing partial hop is dropped.
    """
    v = np.asarray(frame_values, dtype=float)
    n_hops = v.size // hop_frames
    valid = ~np.isnan(v)
    csum = np.concatenate([[0.0], np.cumsum(np.where(valid, v, 0.0))])
    ccount = np.concatenate([[0], np.cumsum(valid)])
    ends = (np.arange(n_hops) + 1) * hop_frames
    starts = np.clip(ends - window_frames, 0, None)
    total = csum[ends] - csum[starts]
    count = ccount[ends] - ccount[starts]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def note_in_chord_per_beat(melody: np.ndarray, chords: np.ndarray) -> np.ndarray:
    """NIC of each beat (4 frames) on its own, NaN for beats with nothing scored (docs/metrics.md, "Harmony")."""
    return windowed_mean(note_in_chord_frames(melody, chords), FRAMES_PER_BEAT)


def note_in_chord_sliding(melody: np.ndarray, chords: np.ndarray, window_beats: float = 4.0) -> np.ndarray:
    """Per beat: NIC over the trailing ``window_beats`` (one bar by default) ending with that beat."""
    window = max(1, int(round(window_beats * FRAMES_PER_BEAT)))
    return windowed_mean(note_in_chord_frames(melody, chords), window)


# ---------------------------------------------------------------------------------------------
# Diversity: entropy, distinct chords and progressions


def chord_histogram(chords: np.ndarray) -> np.ndarray:
    """Chord-frame counts per chord index (length ``N_CHORDS``); onset and hold frames both count."""
    idx = chord_index_per_frame(chords)
    return np.bincount(idx[idx >= 0], minlength=N_CHORDS)


def entropy_nats(counts: np.ndarray) -> float:
    """Shannon entropy (nats) of a histogram; NaN for an empty one, 0 for a single filled bin."""
    counts = np.asarray(counts, dtype=float)
    total = counts.sum()
    if total <= 0:
        return math.nan
    p = counts[counts > 0] / total
    return float(-(p * np.log(p)).sum()) + 0.0  # + 0.0 turns -0.0 into 0.0


def chord_entropy(chords: np.ndarray) -> float:
    """Entropy (nats) of one song's chord-frame histogram: 0 for one held chord."""
    return entropy_nats(chord_histogram(chords))


MAX_CHORD_ENTROPY = math.log(N_CHORDS)  # normaliser: log of the chord vocabulary size (168)


def distinct_chords(chords: np.ndarray) -> set[int]:
    """The set of chord indices that sound in a song (its size is "distinct chords")."""
    idx = chord_index_per_frame(chords)
    return set(np.unique(idx[idx >= 0]).tolist())


def chord_changes(chords: np.ndarray) -> np.ndarray:
    """The song's chord sequence as changes only: chord indices of chord events with immediate
    repeats merged and no-chord gaps skipped (C C | N.C. | G -> C G)."""
    _, _, idx = chord_event_sequence(chords)
    idx = idx[idx >= 0]
    if idx.size == 0:
        return idx
    keep = np.ones(idx.size, dtype=bool)
    keep[1:] = idx[1:] != idx[:-1]
    return idx[keep]


def related_changes(chords: np.ndarray) -> tuple[int, int]:
    """(related, all) chord changes of a song: consecutive chords of ``chord_changes`` (repeats merged,
    no-chord gaps skipped) that share at least ``RELATED_SHARED_PCS`` pitch classes, and all of them."""
    seq = chord_changes(chords)
    if seq.size < 2:
        return 0, 0
    pcs = TOKEN_CHORD_PCS[CHORD_ON_BASE + seq]
    shared = (pcs[1:] & pcs[:-1]).sum(-1)
    return int(np.count_nonzero(shared >= RELATED_SHARED_PCS)), int(seq.size - 1)


def progressions(chords: np.ndarray, n: int = 4) -> set[tuple[int, ...]]:
    """Distinct n-chord progressions (n-grams of ``chord_changes``) in a song, absolute chords."""
    seq = chord_changes(chords)
    if seq.size < n:
        return set()
    windows = np.lib.stride_tricks.sliding_window_view(seq, n)
    return set(map(tuple, windows.tolist()))


# ---------------------------------------------------------------------------------------------
# Diversity: Vendi score


def vendi_from_kernel(kernel: np.ndarray) -> float:
    """Vendi score from an N x N similarity matrix with ones on the diagonal (exp of the Shannon
    entropy of the eigenvalues of K/N)."""
    k = np.asarray(kernel, dtype=np.float64)
    if k.ndim != 2 or k.shape[0] != k.shape[1] or k.shape[0] == 0:
        raise ValueError(f"kernel must be a non-empty square matrix, got shape {k.shape}")
    eig = np.clip(np.linalg.eigvalsh(k / k.shape[0]), 0.0, None)
    eig = eig[eig > 1e-12]
    eig = eig / eig.sum()  # sums to 1 already up to rounding; keep the entropy exact
    return float(math.exp(-(eig * np.log(eig)).sum()))


def vendi_score(embeddings: np.ndarray) -> float:
    """Vendi score of N items: exp of the Shannon entropy of the eigenvalues of K/N, K the cosine kernel.

    The effective number of distinct items: 1 when all rows point the same way, N when they are
    mutually orthogonal. Takes any embedding matrix [N, D] (the model-free one below, or later the
    contrastive reward model's chord encoder), as ``vendi_score.score_X(..., normalize=True)`` does.
    Rows are L2-normalised here; a zero row has no direction and is an error.
    """
    x = np.asarray(embeddings, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError(f"embeddings must be a non-empty [N, D] matrix, got shape {x.shape}")
    norms = np.linalg.norm(x, axis=1)
    if np.any(norms == 0) or not np.all(np.isfinite(norms)):
        raise ValueError("every embedding row needs a finite, non-zero norm for the cosine kernel")
    z = x / norms[:, None]
    n, d = z.shape
    if d < n:
        # K/N = Z Z^T / N shares its non-zero eigenvalues with Z^T Z / N: use the smaller matrix.
        eig = np.clip(np.linalg.eigvalsh(z.T @ z / n), 0.0, None)
        eig = eig[eig > 1e-12]
        eig = eig / eig.sum()
        return float(math.exp(-(eig * np.log(eig)).sum()))
    return vendi_from_kernel(z @ z.T)


_NO_CHORD_STATE, _START_STATE, _END_STATE = N_CHORDS, N_CHORDS + 1, N_CHORDS + 2


def _event_states(chords: np.ndarray) -> np.ndarray:
    """START, every event's state (chord index, or NO_CHORD), END: the walk a transition bag counts."""
    _, _, idx = chord_event_sequence(chords)
    states = np.where(idx >= 0, idx, _NO_CHORD_STATE)
    return np.concatenate([[_START_STATE], states, [_END_STATE]]).astype(np.int64)


def _relative_transition_keys(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Transposition-invariant code of transitions a->b: (quality a, quality b, root interval).

    START/END/NO_CHORD keep their identity and the chord side keeps only its quality.
    """
    n_q = len(QUALITIES)
    special_base = n_q  # states >= N_CHORDS map to quality codes n_q, n_q+1, n_q+2
    qa = np.where(a < N_CHORDS, _QUALITY_OF[np.clip(a, 0, N_CHORDS - 1)], special_base + a - N_CHORDS)
    qb = np.where(b < N_CHORDS, _QUALITY_OF[np.clip(b, 0, N_CHORDS - 1)], special_base + b - N_CHORDS)
    both = (a < N_CHORDS) & (b < N_CHORDS)
    interval = np.where(
        both, (_ROOT_OF[np.clip(b, 0, N_CHORDS - 1)] - _ROOT_OF[np.clip(a, 0, N_CHORDS - 1)]) % 12, 12
    )
    n_codes = n_q + 3
    return (qa * n_codes + qb) * 13 + interval


def _transition_triplets(songs_chords: Sequence[np.ndarray], relative: bool
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Sparse bag of transitions: (row, column, count) per non-zero entry, and the column count."""
    keys_per_song = []
    for chords in songs_chords:
        s = _event_states(chords)
        a, b = s[:-1], s[1:]
        keys_per_song.append(_relative_transition_keys(a, b) if relative else a * (N_CHORDS + 3) + b)
    vocab, col = np.unique(np.concatenate(keys_per_song), return_inverse=True)
    row = np.repeat(np.arange(len(keys_per_song)), [k.size for k in keys_per_song])
    # Merge repeats of one (song, transition) so each entry is one count.
    pair, count = np.unique(row * vocab.size + col.ravel(), return_counts=True)
    return pair // vocab.size, pair % vocab.size, count.astype(np.float64), int(vocab.size)


def transition_bag_embedding(songs_chords: Sequence[np.ndarray], relative: bool = False) -> np.ndarray:
    """Model-free chord-sequence embedding: the bag of chord-event transitions of each song.

    Each song is walked as START -> event -> event -> ... -> END over its chord events (onset
    delimited, so re-striking a chord is a self-transition; NO_CHORD is a state). The row counts
    each transition; a song holding one chord is {START->X, X->END}, never a zero row.

    ``relative=False`` (default) is transposition-aware: chords are absolute, so the same progression
    in two keys gives orthogonal rows (like a chord encoder trained without key normalisation).
    ``relative=True`` codes a transition by (quality, quality, root interval), so it is
    transposition-invariant. Durations are ignored: rhythm has its own metrics.

    Columns are only the transitions observed in this set (all-zero columns change no cosine).
    Dense, for inspection and small sets; ``transition_bag_vendi`` never builds the full matrix.
    """
    row, col, count, n_cols = _transition_triplets(songs_chords, relative)
    out = np.zeros((len(songs_chords), n_cols))
    out[row, col] = count
    return out


def transition_bag_vendi(songs_chords: Sequence[np.ndarray], relative: bool = False,
                         chunk_columns: int = 4096) -> float:
    """``vendi_score(transition_bag_embedding(...))`` without the dense matrix.

    Random or near-random chord streams (an untrained policy) have tens of thousands of distinct
    transitions; the Gram matrix is summed over column chunks so memory stays N x N + N x chunk.
    """
    row, col, count, n_cols = _transition_triplets(songs_chords, relative)
    n = len(songs_chords)
    gram = np.zeros((n, n))
    for lo in range(0, n_cols, chunk_columns):
        sel = (col >= lo) & (col < lo + chunk_columns)
        block = np.zeros((n, min(chunk_columns, n_cols - lo)))
        block[row[sel], col[sel] - lo] = count[sel]
        gram += block @ block.T
    d = np.sqrt(np.diag(gram))  # > 0: every song has START->... and ...->END
    return vendi_from_kernel(gram / np.outer(d, d))


# ---------------------------------------------------------------------------------------------
# Rule penalties: repetition, silence, invalid tokens


def longest_chord_run_frames(chords: np.ndarray) -> int:
    """Longest run of frames in which the same chord sounds, held or re-articulated (no-chord excluded)."""
    idx = chord_index_per_frame(chords)
    if idx.size == 0:
        return 0
    change = np.ones(idx.size, dtype=bool)
    change[1:] = idx[1:] != idx[:-1]
    starts = np.flatnonzero(change)
    lengths = np.diff(np.append(starts, idx.size))
    lengths = lengths[idx[starts] >= 0]
    return int(lengths.max()) if lengths.size else 0


def longest_chord_run_beats(chords: np.ndarray) -> float:
    """``longest_chord_run_frames`` in beats."""
    return longest_chord_run_frames(chords) / FRAMES_PER_BEAT


def repeated_event_runs(chords: np.ndarray) -> np.ndarray:
    """Lengths (in events) of every run of consecutive chord events naming the same chord.

    Onset-delimited: C(on) C(on) C(on) is a run of 3; a held C is a run of 1. A no-chord event
    breaks a run.
    """
    _, _, idx = chord_event_sequence(chords)
    if idx.size == 0:
        return np.zeros(0, dtype=np.int64)
    change = np.ones(idx.size, dtype=bool)
    change[1:] = idx[1:] != idx[:-1]
    starts = np.flatnonzero(change)
    lengths = np.diff(np.append(starts, idx.size))
    return lengths[idx[starts] >= 0]


def repetition_penalty(chords: np.ndarray, max_events: int = REPETITION_MAX_EVENTS) -> float:
    """docs/metrics.md, rule penalties: each run of more than ``max_events`` same-chord events costs -(run length)/10."""
    runs = repeated_event_runs(chords)
    return -PENALTY_PER_FRAME * float(runs[runs > max_events].sum()) + 0.0  # no -0.0 in logs


def chord_silence_frames(melody: np.ndarray, chords: np.ndarray) -> np.ndarray:
    """Boolean per frame: the melody plays a note while no chord sounds."""
    m, c = _pair(melody, chords)
    return (TOKEN_PITCH[m] >= 0) & (TOKEN_CHORD[c] < 0)


def chord_silence_share(melody: np.ndarray, chords: np.ndarray) -> float:
    """Share of note frames without a chord (NaN with no notes). The data's rate is a few percent."""
    n_notes = int(np.count_nonzero(note_frames(melody)))
    return np.count_nonzero(chord_silence_frames(melody, chords)) / n_notes if n_notes else math.nan


def silence_penalty(
    melody: np.ndarray,
    chords: np.ndarray,
    max_share: float = SILENCE_MAX_SHARE,
    exempt_frames: int = SILENCE_EXEMPT_FRAMES,
) -> float:
    """docs/metrics.md, rule penalties: -0.1 per chord-silent note frame (after the first ``exempt_frames``), only if
    they exceed ``max_share`` of the melody's note frames."""
    silent = chord_silence_frames(melody, chords)
    silent[:exempt_frames] = False
    n_notes = int(np.count_nonzero(note_frames(melody)))
    n_silent = int(np.count_nonzero(silent))
    if n_notes == 0 or n_silent <= max_share * n_notes:
        return 0.0
    return -PENALTY_PER_FRAME * n_silent


def invalid_chord_frames(chords: np.ndarray) -> np.ndarray:
    """Boolean per frame: the chord token breaks the grammar (``jamcore.tokens.chord_grammar_violations``):
    a non-chord-slot id, or a HOLD that does not continue the chord before it."""
    c = _tokens(chords, "chord")
    return chord_grammar_violations(c) if c.size else np.zeros(0, dtype=bool)


def invalid_penalty(melody: np.ndarray, chords: np.ndarray) -> float:
    """docs/metrics.md, rule penalties: -10 if any frame with a melody note has an invalid chord token, else 0."""
    m, c = _pair(melody, chords)
    bad = invalid_chord_frames(c) & (TOKEN_PITCH[m] >= 0)
    return INVALID_PENALTY if bad.any() else 0.0


# ---------------------------------------------------------------------------------------------
# Rhythm and chord size


@dataclass(frozen=True)
class ChordRhythm:
    """Chord onsets per bar and their placement. Bar lines are assumed at frame 0 + k * bar."""

    onsets: int
    bars: float
    on_bar: int  # onsets on a bar line
    on_beat: int  # onsets on a beat (bar lines included)

    @property
    def changes_per_bar(self) -> float:
        return self.onsets / self.bars if self.bars else math.nan

    @property
    def on_bar_share(self) -> float:
        return self.on_bar / self.onsets if self.onsets else math.nan

    @property
    def on_beat_share(self) -> float:
        return self.on_beat / self.onsets if self.onsets else math.nan


def chord_rhythm(chords: np.ndarray, beats_per_bar: float = 4.0, bar_offset_frames: int = 0) -> ChordRhythm:
    """Count chord onsets (every chord event start, re-articulations included) and where they fall.

    ``bar_offset_frames`` is the frame of the first bar line (0 when the window starts on a bar).
    """
    onsets = np.flatnonzero(chord_onsets(chords))
    bar = frames_per_bar(beats_per_bar)
    rel = onsets - bar_offset_frames
    n = chord_index_per_frame(chords).size
    return ChordRhythm(
        onsets=int(onsets.size),
        bars=n / bar,
        on_bar=int(np.count_nonzero(rel % bar == 0)),
        on_beat=int(np.count_nonzero(rel % FRAMES_PER_BEAT == 0)),
    )


def note_in_chord_late(melody: np.ndarray, chords: np.ndarray, lag: int = FRAMES_PER_BEAT) -> NoteInChord:
    """Note-in-chord counts of each frame's chord against the melody ``lag`` frames *earlier*.

    The counter-metric of note-in-chord for an online accompanist: a policy that plays the chord of the
    note it has just heard fits the melody a beat ago better than the melody it sounds with. The data's
    chords fit their own melody far better than the one a beat before (``lateness`` < 0); chords that
    follow the melody a beat behind score note-in-chord by echoing it (``lateness`` > 0), a chase that
    the one-16th ``chord_chase`` cannot see once chords may change only on the beat.
    """
    m, c = _pair(melody, chords)
    if lag <= 0 or lag >= len(c):
        return NoteInChord(0, 0, 0, 0, 0)
    return note_in_chord(m[:-lag], c[lag:])


# ---------------------------------------------------------------------------------------------
# Harmonic rhythm against the melody: the chase, chord lengths, the ReaLchords rhythm metrics

ONSET_GAP_BINS = 18  # intervals 0..17 frames, then one bin for "longer or no note onset before" (RC App. K)
CHORD_LENGTH_BINS = 34  # chord lengths 0..33 frames, then one bin for longer ones (RC App. K)


def melody_onsets(melody: np.ndarray) -> np.ndarray:
    """Boolean per frame: a melody note begins (a NOTE_ON, or a note whose pitch differs from the frame
    before: a malformed hold still starts a new note)."""
    m = _tokens(melody, "melody")
    pitch = TOKEN_PITCH[m].astype(np.int64)
    starts = (m >= NOTE_ON_BASE) & (m < NOTE_HOLD_BASE)
    if m.size > 1:
        starts[1:] |= (pitch[1:] >= 0) & (pitch[1:] != pitch[:-1])
    if m.size:
        starts[0] |= pitch[0] >= 0
    return starts


@dataclass(frozen=True)
class ChordChase:
    """Chord onsets against melody onsets: how many come one frame *after* a note began (the chase)."""

    onsets: int  # chord onsets (every chord event start, re-strikes included; no-chord excluded)
    chasing: int  # onsets one frame after a melody onset and not on one
    with_note: int  # onsets on a melody onset (struck with the note: what the data mostly does)

    @property
    def chase_share(self) -> float:
        return self.chasing / self.onsets if self.onsets else math.nan

    @property
    def with_note_share(self) -> float:
        return self.with_note / self.onsets if self.onsets else math.nan


def chord_chase(melody: np.ndarray, chords: np.ndarray) -> ChordChase:
    """Count the chord onsets that chase the melody: at frame t with a note onset at t-1 and none at t.

    The chord for frame t is chosen before frame t's melody is heard, so a policy that waits for each
    note and changes chord one 16th later scores on note-in-chord while always sounding late.
    """
    m, c = _pair(melody, chords)
    on = chord_onsets(c)
    mel_on = melody_onsets(m)
    after = np.zeros_like(mel_on)
    after[1:] = mel_on[:-1]
    return ChordChase(onsets=int(on.sum()), chasing=int((on & after & ~mel_on).sum()),
                      with_note=int((on & mel_on).sum()))


def onset_gaps(melody: np.ndarray, chords: np.ndarray) -> np.ndarray:
    """Per chord onset: frames since the latest melody onset at or before it (0 = struck with the note),
    -1 where no note has begun yet."""
    m, c = _pair(melody, chords)
    frames = np.flatnonzero(chord_onsets(c))
    mel = np.flatnonzero(melody_onsets(m))
    k = np.searchsorted(mel, frames, side="right") - 1
    return np.where(k >= 0, frames - mel[np.maximum(k, 0)], -1) if mel.size else np.full(frames.size, -1)


def onset_gap_histogram(melody: np.ndarray, chords: np.ndarray, bins: int = ONSET_GAP_BINS) -> np.ndarray:
    """Counts of ``onset_gaps`` in bins 0..bins-1 frames plus a last bin for longer gaps or none."""
    g = onset_gaps(melody, chords)
    return np.bincount(np.where((g < 0) | (g >= bins), bins, g), minlength=bins + 1)


def chord_lengths(chords: np.ndarray) -> np.ndarray:
    """Length in frames of every chord event (re-strikes start new events; no-chord excluded)."""
    _, lengths, idx = chord_event_sequence(chords)
    return lengths[idx >= 0]


def chord_length_histogram(chords: np.ndarray, bins: int = CHORD_LENGTH_BINS) -> np.ndarray:
    """Counts of chord lengths in bins 0..bins-1 frames plus a last bin for longer chords."""
    return np.bincount(np.minimum(chord_lengths(chords), bins), minlength=bins + 1)


def histogram_emd(a: np.ndarray, b: np.ndarray) -> float:
    """Earth mover's distance between two histograms over the same ordered bins, one bin apart = 1
    (the L1 distance of their cumulative shares). NaN when either is empty."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"histograms differ in bins: {a.shape} vs {b.shape}")
    if a.sum() <= 0 or b.sum() <= 0:
        return math.nan
    return float(np.abs(np.cumsum(a / a.sum()) - np.cumsum(b / b.sum())).sum())


def sync_emd(hist: np.ndarray, reference: np.ndarray) -> float:
    """ReaLchords' synchronisation: EMD between onset-gap histograms (``onset_gap_histogram``) of a
    system and of the data, in thousandths of a frame as the paper reports it. 0 = the data's timing."""
    return 1000.0 * histogram_emd(hist, reference)


def rhythm_diversity(length_hist: np.ndarray) -> float:
    """ReaLchords' rhythmic diversity: entropy (nats) of a chord-length histogram."""
    return entropy_nats(length_hist)


def pitch_classes_per_chord(chords: np.ndarray) -> tuple[int, int]:
    """(sum of pitch-class counts, number of chord events): their ratio is the average chord size.

    Event-weighted (each chord event counts once, however long), as the GAPT paper's Table 10 counts
    chords; returned as a pair so that songs pool exactly.
    """
    _, _, idx = chord_event_sequence(chords)
    idx = idx[idx >= 0]
    return int(CHORD_PITCH_CLASS_COUNT[idx].sum()), int(idx.size)


# ---------------------------------------------------------------------------------------------
# Song and corpus summaries


def song_metrics(melody: np.ndarray, chords: np.ndarray, beats_per_bar: float = 4.0) -> dict[str, float]:
    """Every per-song number at once (a flat dict of floats, NaN where undefined)."""
    nic = note_in_chord(melody, chords)
    late = note_in_chord_late(melody, chords)
    rhythm = chord_rhythm(chords, beats_per_bar)
    chase = chord_chase(melody, chords)
    lengths = chord_lengths(chords)
    pcs_sum, n_events = pitch_classes_per_chord(chords)
    runs = repeated_event_runs(chords)
    related, changes = related_changes(chords)
    n = len(chords)
    h = chord_entropy(chords)
    return {
        "nic": nic.ratio,
        "nic_beat_late": late.ratio,
        "lateness": late.ratio - nic.ratio,
        "entropy": h,
        "entropy_norm": h / MAX_CHORD_ENTROPY,
        "distinct_chords": float(len(distinct_chords(chords))),
        "distinct_prog4": float(len(progressions(chords, 4))),
        "longest_run_beats": longest_chord_run_beats(chords),
        "max_repeat_events": float(runs.max()) if runs.size else 0.0,
        "repeat_runs_over": float(np.count_nonzero(runs > REPETITION_MAX_EVENTS)),
        "chord_silence": float(chord_silence_share(melody, chords)),
        "no_chord_share": float(np.count_nonzero(chord_index_per_frame(chords) < 0) / n) if n else math.nan,
        "invalid_share": float(invalid_chord_frames(chords).mean()) if n else math.nan,
        "changes_per_bar": rhythm.changes_per_bar,
        "on_bar_share": rhythm.on_bar_share,
        "on_beat_share": rhythm.on_beat_share,
        "chase_share": chase.chase_share,
        "with_note_share": chase.with_note_share,
        "related_change_share": related / changes if changes else math.nan,
        "chord_beats": float(lengths.mean()) / FRAMES_PER_BEAT if lengths.size else math.nan,
        "rhythm_diversity": rhythm_diversity(chord_length_histogram(chords)),
        "pcs_per_chord": pcs_sum / n_events if n_events else math.nan,
    }


def _nanmean(values: Iterable[float]) -> float:
    v = np.asarray(list(values), dtype=float)
    v = v[~np.isnan(v)]
    return float(v.mean()) if v.size else math.nan


def corpus_metrics(
    songs: Sequence[tuple[np.ndarray, np.ndarray]],
    beats_per_bar: Sequence[float] | None = None,
    embed: Callable[[Sequence[np.ndarray]], np.ndarray] | None = None,
) -> dict[str, float]:
    """Pooled and per-song-mean metrics of a set of (melody, chords) songs, one system's output.

    Pooled numbers sum frame counts over all songs (NIC, entropy of the summed histogram, the union of
    distinct chords and progressions); ``*_song_mean`` numbers average per-song values (NaN songs
    skipped). The pooled entropy grows with the number of keys in the set; the mean within-song
    entropy does not, and falls to 0 for a system that holds one chord per song.
    ``embed`` maps the list of chord arrays to an embedding matrix for an extra ``vendi_embed`` entry
    (the contrastive reward model's chord encoder, when there is one).
    """
    if not songs:
        raise ValueError("corpus_metrics needs at least one song")
    bpb = list(beats_per_bar) if beats_per_bar is not None else [4.0] * len(songs)
    per_song = [song_metrics(m, c, b) for (m, c), b in zip(songs, bpb)]
    pooled_nic = pooled_late = NoteInChord(0, 0, 0, 0, 0)
    hist = np.zeros(N_CHORDS, dtype=np.int64)
    chords_union: set[int] = set()
    prog_union: set[tuple[int, ...]] = set()
    pcs_sum = n_events = 0
    rhythm_onsets = rhythm_bars = on_bar = on_beat = 0.0
    silence = notes = invalid = frames = 0
    chasing = with_note = chord_frames_in_events = 0
    related = changes = 0
    length_hist = np.zeros(CHORD_LENGTH_BINS + 1, dtype=np.int64)
    for (m, c), b in zip(songs, bpb):
        pooled_nic = pooled_nic + note_in_chord(m, c)
        pooled_late = pooled_late + note_in_chord_late(m, c)
        hist += chord_histogram(c)
        chords_union |= distinct_chords(c)
        prog_union |= progressions(c, 4)
        s, e = pitch_classes_per_chord(c)
        pcs_sum, n_events = pcs_sum + s, n_events + e
        r = chord_rhythm(c, b)
        rhythm_onsets += r.onsets
        rhythm_bars += r.bars
        on_bar += r.on_bar
        on_beat += r.on_beat
        chase = chord_chase(m, c)
        chasing, with_note = chasing + chase.chasing, with_note + chase.with_note
        r_related, r_changes = related_changes(c)
        related, changes = related + r_related, changes + r_changes
        lengths = chord_lengths(c)
        chord_frames_in_events += int(lengths.sum())
        length_hist += chord_length_histogram(c)
        silence += int(np.count_nonzero(chord_silence_frames(m, c)))
        notes += int(np.count_nonzero(note_frames(m)))
        invalid += int(np.count_nonzero(invalid_chord_frames(c)))
        frames += len(c)
    chord_seqs = [c for _, c in songs]
    h_pooled = entropy_nats(hist)
    total_frames = max(frames, 1)
    out: dict[str, float] = {
        "songs": float(len(songs)),
        "nic": pooled_nic.ratio,
        "nic_song_mean": _nanmean(s["nic"] for s in per_song),
        "nic_beat_late": pooled_late.ratio,
        "lateness": pooled_late.ratio - pooled_nic.ratio,
        "scored_share": pooled_nic.scored / total_frames,
        "no_chord_under_note_share": pooled_nic.no_chord / total_frames,
        "chord_without_note_share": pooled_nic.no_melody / total_frames,
        "entropy_pooled": h_pooled,
        "entropy_pooled_norm": h_pooled / MAX_CHORD_ENTROPY,
        "entropy_song_mean": _nanmean(s["entropy"] for s in per_song),
        "entropy_song_mean_norm": _nanmean(s["entropy_norm"] for s in per_song),
        "distinct_chords_song_mean": _nanmean(s["distinct_chords"] for s in per_song),
        "distinct_chords_total": float(len(chords_union)),
        "distinct_prog4_song_mean": _nanmean(s["distinct_prog4"] for s in per_song),
        "distinct_prog4_total": float(len(prog_union)),
        "vendi_bag": transition_bag_vendi(chord_seqs),
        "vendi_bag_rel": transition_bag_vendi(chord_seqs, relative=True),
        "longest_run_beats_song_mean": _nanmean(s["longest_run_beats"] for s in per_song),
        "longest_run_beats_max": float(max(s["longest_run_beats"] for s in per_song)),
        "repeat_runs_over_song_mean": _nanmean(s["repeat_runs_over"] for s in per_song),
        "chord_silence": silence / notes if notes else math.nan,
        "no_chord_share": float(1.0 - hist.sum() / frames) if frames else math.nan,
        "invalid_share": invalid / total_frames,
        "changes_per_bar": rhythm_onsets / rhythm_bars if rhythm_bars else math.nan,
        "on_bar_share": on_bar / rhythm_onsets if rhythm_onsets else math.nan,
        "on_beat_share": on_beat / rhythm_onsets if rhythm_onsets else math.nan,
        "chase_share": chasing / rhythm_onsets if rhythm_onsets else math.nan,
        "with_note_share": with_note / rhythm_onsets if rhythm_onsets else math.nan,
        "related_change_share": related / changes if changes else math.nan,
        "chord_beats": chord_frames_in_events / n_events / FRAMES_PER_BEAT if n_events else math.nan,
        "rhythm_diversity": rhythm_diversity(length_hist),
        "pcs_per_chord": pcs_sum / n_events if n_events else math.nan,
    }
    if embed is not None:
        out["vendi_embed"] = vendi_score(embed(chord_seqs))
    return out


__all__ = [
    "NoteInChord", "ChordRhythm", "note_in_chord_frames", "note_in_chord", "note_in_chord_late",
    "note_in_chord_per_beat", "note_in_chord_sliding", "windowed_mean", "chord_index_per_frame", "note_frames",
    "chord_event_starts",
    "chord_onsets", "chord_event_sequence", "chord_histogram", "entropy_nats", "chord_entropy",
    "MAX_CHORD_ENTROPY", "distinct_chords", "chord_changes", "related_changes", "RELATED_SHARED_PCS",
    "progressions", "vendi_score",
    "vendi_from_kernel", "transition_bag_embedding", "transition_bag_vendi", "longest_chord_run_frames", "longest_chord_run_beats",
    "repeated_event_runs", "repetition_penalty", "chord_silence_frames", "chord_silence_share",
    "silence_penalty", "invalid_chord_frames", "invalid_penalty", "frames_per_bar", "chord_rhythm",
    "ONSET_GAP_BINS", "CHORD_LENGTH_BINS", "melody_onsets", "ChordChase", "chord_chase", "onset_gaps",
    "onset_gap_histogram", "chord_lengths", "chord_length_histogram", "histogram_emd", "sync_emd",
    "rhythm_diversity",
    "pitch_classes_per_chord", "song_metrics", "corpus_metrics",
]
