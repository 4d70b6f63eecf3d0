"""Frame tokens: the versioned id table, Song <-> per-frame tokens, the online sequence, the grammar.

Layout (vocabulary ``VOCAB_VERSION``):

| ids | token |
| --- | --- |
| 0, 1, 2 | PAD, BOS, EOS |
| 3 | SILENCE (melody slot) |
| 4 | NO_CHORD (chord slot) |
| 5 .. 5+P-1 | NOTE_ON(p) for p in MIN_PITCH..MAX_PITCH |
| then P ids | NOTE_HOLD(p) |
| then C ids | CHORD_ON(c) for c in ALL_CHORDS (root-major order) |
| then C ids | CHORD_HOLD(c) |

The online (live) sequence is ``BOS, c0, m0, c1, m1, ...``: the chord of frame t comes before the melody
of frame t, so the policy never sees the note it accompanies. The grammar (which token may follow which
in a slot) is data here and is used by the encoder tests, the RL invalid-token penalty and the
constrained sampler alike.
"""
from __future__ import annotations

import numpy as np

from jamcore.music.chords import ALL_CHORDS, Chord
from jamcore.music.song import ChordSpan, Note
from jamcore.music.time import beat_to_frame, frame_to_beat, note_frame

VOCAB_VERSION = "jamcore-v1"

MIN_PITCH = 21
MAX_PITCH = 108
N_PITCHES = MAX_PITCH - MIN_PITCH + 1
N_CHORDS = len(ALL_CHORDS)

PAD, BOS, EOS, SILENCE, NO_CHORD = 0, 1, 2, 3, 4
NOTE_ON_BASE = 5
NOTE_HOLD_BASE = NOTE_ON_BASE + N_PITCHES
CHORD_ON_BASE = NOTE_HOLD_BASE + N_PITCHES
CHORD_HOLD_BASE = CHORD_ON_BASE + N_CHORDS
VOCAB_SIZE = CHORD_HOLD_BASE + N_CHORDS

_CHORD_INDEX = {c: i for i, c in enumerate(ALL_CHORDS)}


class TokenError(ValueError):
    """A token sequence that breaks the grammar where it must not."""


# ---------------------------------------------------------------------------------------------
# Single tokens


def fold_pitch(pitch: int) -> int:
    """Move a pitch by octaves into the vocabulary range (rare: extreme notes after transposition)."""
    while pitch < MIN_PITCH:
        pitch += 12
    while pitch > MAX_PITCH:
        pitch -= 12
    return pitch


def note_on(pitch: int) -> int:
    return NOTE_ON_BASE + fold_pitch(pitch) - MIN_PITCH


def note_hold(pitch: int) -> int:
    return NOTE_HOLD_BASE + fold_pitch(pitch) - MIN_PITCH


def chord_index(chord: Chord) -> int:
    return _CHORD_INDEX[chord.without_bass()]


def chord_on(chord: Chord) -> int:
    return CHORD_ON_BASE + chord_index(chord)


def chord_hold(chord: Chord) -> int:
    return CHORD_HOLD_BASE + chord_index(chord)


def is_melody_token(tok: int) -> bool:
    return tok == SILENCE or NOTE_ON_BASE <= tok < CHORD_ON_BASE


def is_chord_token(tok: int) -> bool:
    return tok == NO_CHORD or CHORD_ON_BASE <= tok < VOCAB_SIZE


def token_pitch(tok: int) -> int | None:
    """MIDI pitch of a NOTE_ON/NOTE_HOLD token, else None."""
    if NOTE_ON_BASE <= tok < NOTE_HOLD_BASE:
        return tok - NOTE_ON_BASE + MIN_PITCH
    if NOTE_HOLD_BASE <= tok < CHORD_ON_BASE:
        return tok - NOTE_HOLD_BASE + MIN_PITCH
    return None


def token_chord(tok: int) -> Chord | None:
    """Chord of a CHORD_ON/CHORD_HOLD token, else None."""
    if CHORD_ON_BASE <= tok < CHORD_HOLD_BASE:
        return ALL_CHORDS[tok - CHORD_ON_BASE]
    if CHORD_HOLD_BASE <= tok < VOCAB_SIZE:
        return ALL_CHORDS[tok - CHORD_HOLD_BASE]
    return None


def is_onset(tok: int) -> bool:
    return NOTE_ON_BASE <= tok < NOTE_HOLD_BASE or CHORD_ON_BASE <= tok < CHORD_HOLD_BASE


def token_name(tok: int) -> str:
    special = {PAD: "PAD", BOS: "BOS", EOS: "EOS", SILENCE: "SILENCE", NO_CHORD: "NO_CHORD"}
    if tok in special:
        return special[tok]
    if (p := token_pitch(tok)) is not None:
        return ("NOTE_ON" if is_onset(tok) else "NOTE_HOLD") + f"({p})"
    if (c := token_chord(tok)) is not None:
        return ("CHORD_ON" if is_onset(tok) else "CHORD_HOLD") + f"({c.symbol})"
    raise TokenError(f"token id {tok} out of range 0..{VOCAB_SIZE - 1}")


# ---------------------------------------------------------------------------------------------
# Lookup tables (numpy) for fast vectorised work


def _tables() -> dict[str, np.ndarray]:
    ids = np.arange(VOCAB_SIZE)
    pitch = np.full(VOCAB_SIZE, -1, dtype=np.int16)
    chord = np.full(VOCAB_SIZE, -1, dtype=np.int16)
    pcs = np.zeros((VOCAB_SIZE, 12), dtype=bool)
    for t in ids:
        p = token_pitch(int(t))
        if p is not None:
            pitch[t] = p
        c = token_chord(int(t))
        if c is not None:
            chord[t] = chord_index(c)
            pcs[t, list(c.pitch_classes)] = True
    return {"pitch": pitch, "chord": chord, "chord_pcs": pcs}


TABLES = _tables()
TOKEN_PITCH = TABLES["pitch"]  # MIDI pitch per token id, -1 if not a note
TOKEN_CHORD = TABLES["chord"]  # chord index per token id, -1 if not a chord
TOKEN_CHORD_PCS = TABLES["chord_pcs"]  # [VOCAB, 12] pitch-class membership of each chord token

CHORD_SLOT_MASK = np.array([is_chord_token(t) for t in range(VOCAB_SIZE)])


# ---------------------------------------------------------------------------------------------
# Songs <-> per-frame tokens


def encode_melody(notes: tuple[Note, ...] | list[Note], n_frames: int, frame_of=beat_to_frame) -> np.ndarray:
    """Per-frame melody tokens. Notes are assumed monophonic; on overlap the newest note wins.
    ``frame_of`` places an event on the grid: the data's own (default) or a performer's (``note_frame``,
    through ``encode_performance``)."""
    out = np.full(n_frames, SILENCE, dtype=np.int16)
    for note in sorted(notes, key=lambda n: n.start):
        start = frame_of(note.start)
        end = max(frame_of(note.end), start + 1)
        if start >= n_frames or end <= 0:
            continue
        start_c = max(start, 0)
        out[start_c:min(end, n_frames)] = note_hold(note.pitch)
        if start >= 0:
            out[start] = note_on(note.pitch)
    return out


def encode_performance(notes: tuple[Note, ...] | list[Note], n_frames: int) -> np.ndarray:
    """Melody tokens of a performed melody (a user's file, the live stream): each onset and release on
    its nearest 16th, as the bridge places live notes (``note_frame``)."""
    return encode_melody(notes, n_frames, frame_of=note_frame)


def encode_chords(spans: tuple[ChordSpan, ...] | list[ChordSpan], n_frames: int) -> np.ndarray:
    """Per-frame chord tokens; frames without a chord span are NO_CHORD."""
    out = np.full(n_frames, NO_CHORD, dtype=np.int16)
    for span in sorted(spans, key=lambda s: s.start):
        start = beat_to_frame(span.start)
        end = max(beat_to_frame(span.end), start + 1)
        if start >= n_frames or end <= 0:
            continue
        start_c = max(start, 0)
        if span.chord is None:
            out[start_c:min(end, n_frames)] = NO_CHORD
            continue
        out[start_c:min(end, n_frames)] = chord_hold(span.chord)
        if start >= 0:
            out[start] = chord_on(span.chord)
    return out


def decode_melody(tokens: np.ndarray | list[int], velocity: int = 100) -> list[Note]:
    """Per-frame melody tokens back to notes (in beats). A hold after silence starts a note."""
    notes: list[Note] = []
    current: tuple[int, int] | None = None  # (pitch, start frame)
    for t, tok in enumerate(list(tokens) + [SILENCE]):
        tok = int(tok)
        pitch = token_pitch(tok)
        continues = pitch is not None and not is_onset(tok) and current is not None and current[0] == pitch
        if continues:
            continue
        if current is not None:
            notes.append(Note(current[0], frame_to_beat(current[1]), frame_to_beat(t), velocity))
            current = None
        if pitch is not None:
            current = (pitch, t)
    return notes


def decode_chords(tokens: np.ndarray | list[int]) -> list[ChordSpan]:
    """Per-frame chord tokens back to chord spans (NO_CHORD frames give no span)."""
    spans: list[ChordSpan] = []
    current: tuple[Chord, int] | None = None
    for t, tok in enumerate(list(tokens) + [NO_CHORD]):
        tok = int(tok)
        chord = token_chord(tok)
        continues = chord is not None and not is_onset(tok) and current is not None and current[0] == chord
        if continues:
            continue
        if current is not None:
            spans.append(ChordSpan(current[0], frame_to_beat(current[1]), frame_to_beat(t)))
            current = None
        if chord is not None:
            current = (chord, t)
    return spans


def chord_events(tokens: np.ndarray | list[int]) -> list[tuple[int, int, Chord | None]]:
    """(start frame, length in frames, chord or None) for each chord or no-chord run."""
    events: list[tuple[int, int, Chord | None]] = []
    for t, tok in enumerate(tokens):
        tok = int(tok)
        chord = token_chord(tok)
        starts = (
            not events
            or is_onset(tok)
            or events[-1][2] != chord
        )
        if starts:
            events.append((t, 1, chord))
        else:
            s, n, c = events[-1]
            events[-1] = (s, n + 1, c)
    return events


# ---------------------------------------------------------------------------------------------
# Online sequence


def interleave(chord_tokens: np.ndarray, melody_tokens: np.ndarray) -> np.ndarray:
    """``BOS, c0, m0, c1, m1, ...``: chord t before melody t (the live constraint).

    Works on one song ``[T]`` or a batch ``[B, T]`` (the last axis is time; PAD frames stay PAD)."""
    chord_tokens, melody_tokens = np.asarray(chord_tokens), np.asarray(melody_tokens)
    if chord_tokens.shape != melody_tokens.shape:
        raise TokenError("chord and melody token arrays differ in shape")
    seq = np.empty(chord_tokens.shape[:-1] + (1 + 2 * chord_tokens.shape[-1],), dtype=np.int64)
    seq[..., 0] = BOS
    seq[..., 1::2] = chord_tokens
    seq[..., 2::2] = melody_tokens
    return seq


# ---------------------------------------------------------------------------------------------
# Grammar: which token may come in a slot given the previous token of the same slot


def chord_slot_allowed(prev: int | None) -> np.ndarray:
    """Boolean mask over the vocabulary of tokens allowed in a chord slot after chord token ``prev``.

    Any onset or NO_CHORD is allowed; ``CHORD_HOLD(c)`` only right after ``CHORD_ON(c)``/``CHORD_HOLD(c)``.
    """
    mask = np.zeros(VOCAB_SIZE, dtype=bool)
    mask[NO_CHORD] = True
    mask[CHORD_ON_BASE:CHORD_HOLD_BASE] = True
    if prev is not None:
        c = TOKEN_CHORD[prev] if 0 <= prev < VOCAB_SIZE else -1
        if c >= 0:
            mask[CHORD_HOLD_BASE + c] = True
    return mask


def melody_slot_allowed(prev: int | None) -> np.ndarray:
    """Tokens allowed in a melody slot after melody token ``prev``: SILENCE, any onset, its own hold."""
    mask = np.zeros(VOCAB_SIZE, dtype=bool)
    mask[SILENCE] = True
    mask[NOTE_ON_BASE:NOTE_HOLD_BASE] = True
    if prev is not None:
        p = TOKEN_PITCH[prev] if 0 <= prev < VOCAB_SIZE else -1
        if p >= 0:
            mask[NOTE_HOLD_BASE + p - MIN_PITCH] = True
    return mask


def slot_table(slot_allowed) -> np.ndarray:
    """[V+1, V] table: row = previous token of the slot (row V = none), columns = allowed tokens."""
    table = np.zeros((VOCAB_SIZE + 1, VOCAB_SIZE), dtype=bool)
    for prev in range(VOCAB_SIZE):
        table[prev] = slot_allowed(prev)
    table[VOCAB_SIZE] = slot_allowed(None)
    return table


# The grammar as lookup tables, indexed by the previous token of the slot (VOCAB_SIZE: none yet): the
# constrained sampler of the stream and the RL rollouts mask with them.
CHORD_MASKS = slot_table(chord_slot_allowed)
MELODY_MASKS = slot_table(melody_slot_allowed)


def chord_grammar_violations(chord_tokens: np.ndarray) -> np.ndarray:
    """Boolean per frame: True where the chord token is not allowed after the previous one.

    The first frame may hold (a window can start mid-chord), as in the reference grammar.
    """
    toks = np.asarray(chord_tokens, dtype=np.int64)
    bad = ~CHORD_SLOT_MASK[toks]
    hold = toks >= CHORD_HOLD_BASE
    prev = np.concatenate([[-1], toks[:-1]])
    prev_chord = np.where(prev >= 0, TOKEN_CHORD[np.clip(prev, 0, None)], -1)
    this_chord = TOKEN_CHORD[toks]
    bad_hold = hold & (prev_chord != this_chord)
    bad_hold[0] = False
    return bad | bad_hold


# ---------------------------------------------------------------------------------------------
# Transposition on token arrays (augmentation)


def transpose_table(semitones: int) -> np.ndarray:
    """Id -> id map moving every pitch and every chord root by ``semitones``."""
    table = np.arange(VOCAB_SIZE, dtype=np.int64)
    for base in (NOTE_ON_BASE, NOTE_HOLD_BASE):
        for i in range(N_PITCHES):
            table[base + i] = base + fold_pitch(MIN_PITCH + i + semitones) - MIN_PITCH
    for base in (CHORD_ON_BASE, CHORD_HOLD_BASE):
        for i, c in enumerate(ALL_CHORDS):
            table[base + i] = base + _CHORD_INDEX[c.transpose(semitones)]
    return table


TRANSPOSE_TABLES = {k: transpose_table(k) for k in range(-11, 12)}


def transpose_tokens(tokens: np.ndarray, semitones: int) -> np.ndarray:
    return TRANSPOSE_TABLES[semitones % 12 if semitones > 11 or semitones < -11 else semitones][tokens]
