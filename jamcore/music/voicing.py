"""Chords to MIDI pitches: playable close voicings with minimal-movement voice leading.

Pure functions, no state: the bridge (live chords), ``jamcore harmonize`` and the renderer share them.

- ``voice_chord(chord, previous)``: one chord -> MIDI pitches (ascending). Upper voices sit in a
  keyboard-friendly register (``Register``); among all ways of placing the chord's pitch classes there,
  the one that moves the fewest semitones from ``previous`` wins, so a progression glides instead of
  jumping between root-position blocks. An optional bass note (the root, or the slash bass) goes below.
- ``voice_progression(chords)`` / ``voice_spans(spans)``: the same, chained over a sequence.
- ``Voicer``: the same, one chord at a time, remembering the last voicing (live use).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Iterable, Sequence

from jamcore.music.chords import Chord
from jamcore.music.song import ChordSpan


@dataclass(frozen=True)
class Register:
    """Where voices may go (MIDI pitches, inclusive)."""

    low: int = 52  # E3: lowest upper voice (keeps thirds out of the mud)
    high: int = 76  # E5: highest upper voice (stays under a typical melody)
    bass_low: int = 36  # C2
    bass_high: int = 47  # B2: one octave, so the bass pitch of a pitch class is unique
    max_span: int = 14  # widest upper-voice spread: close position, a ninth at most


DEFAULT_REGISTER = Register()


@dataclass(frozen=True)
class VoicedChord:
    """A chord sounding from ``start`` to ``end`` beats as concrete MIDI ``pitches`` (empty: silence)."""

    start: float
    end: float
    pitches: tuple[int, ...]
    chord: Chord | None = None

    @property
    def symbol(self) -> str:
        return self.chord.symbol if self.chord is not None else "N.C."


def _upper_pitch_classes(chord: Chord) -> list[int]:
    """Pitch classes the upper voices play: five-note chords drop the fifth (four voices are enough)."""
    pcs = sorted(chord.pitch_classes, key=lambda pc: (pc - chord.root) % 12)
    if len(pcs) > 4:
        fifth = (chord.root + 7) % 12
        pcs = [pc for pc in pcs if pc != fifth][:4]
    return pcs


def _candidates(pcs: Sequence[int], reg: Register) -> list[tuple[int, ...]]:
    """Every placement of ``pcs`` (one pitch each) inside the register within ``max_span``."""
    options = [[p for p in range(reg.low, reg.high + 1) if p % 12 == pc] for pc in pcs]
    out = []
    for combo in itertools.product(*options):
        voiced = tuple(sorted(combo))
        if voiced[-1] - voiced[0] <= reg.max_span and len(set(voiced)) == len(voiced):
            out.append(voiced)
    return out


def movement(a: Sequence[int], b: Sequence[int]) -> float:
    """Semitones of voice movement between two voicings (ascending pitch tuples).

    Equal sizes: voices matched in order (optimal in one dimension). Different sizes: each voice goes
    to its nearest partner, counted from both sides and halved, so adding a seventh costs little.
    """
    if not a or not b:
        return 0.0
    if len(a) == len(b):
        return float(sum(abs(x - y) for x, y in zip(a, b)))
    near_a = sum(min(abs(x - y) for y in b) for x in a)
    near_b = sum(min(abs(y - x) for x in a) for y in b)
    return (near_a + near_b) / 2.0


def _center_cost(voicing: Sequence[int], reg: Register) -> float:
    center = (reg.low + reg.high) / 2.0
    return abs(sum(voicing) / len(voicing) - center)


def voice_upper(chord: Chord, previous: Sequence[int] | None = None,
                register: Register = DEFAULT_REGISTER) -> tuple[int, ...]:
    """Upper voices of ``chord``: nearest to ``previous`` (its upper voices), else centred in the register."""
    cands = _candidates(_upper_pitch_classes(chord), register)
    if not cands:  # only if a caller shrinks the register below an octave
        return tuple(sorted(register.low + (pc - register.low) % 12 for pc in _upper_pitch_classes(chord)))
    prev = [p for p in (previous or ()) if p >= register.low]
    if prev:
        # A small pull to the centre stops a long progression from creeping to one edge.
        return min(cands, key=lambda v: (movement(v, prev) + 0.25 * _center_cost(v, register), v))
    return min(cands, key=lambda v: (_center_cost(v, register), v[-1] - v[0], v))


def bass_pitch(chord: Chord, register: Register = DEFAULT_REGISTER) -> int:
    """The bass note: the slash bass if any, else the root, in the bass octave."""
    pc = chord.bass if chord.bass is not None else chord.root
    return register.bass_low + (pc - register.bass_low) % 12


def voice_chord(chord: Chord | None, previous: Sequence[int] | None = None, *, bass: bool = True,
                register: Register = DEFAULT_REGISTER) -> tuple[int, ...]:
    """MIDI pitches (ascending) for ``chord`` led smoothly from ``previous``; ``()`` for no chord.

    ``previous`` is the last voicing played (with or without its bass); only its upper voices steer
    the choice, so a bass line that jumps by fifths does not drag the hands along.
    """
    if chord is None:
        return ()
    upper = voice_upper(chord, previous, register)
    if bass:
        return (bass_pitch(chord, register),) + upper
    return upper


def voice_progression(chords: Iterable[Chord | None], *, bass: bool = True,
                      register: Register = DEFAULT_REGISTER) -> list[tuple[int, ...]]:
    """Voice each chord from the last sounding one (a no-chord gap does not reset the hands)."""
    out: list[tuple[int, ...]] = []
    previous: tuple[int, ...] | None = None
    for chord in chords:
        v = voice_chord(chord, previous, bass=bass, register=register)
        out.append(v)
        if v:
            previous = v
    return out


def voice_spans(spans: Sequence[ChordSpan], *, bass: bool = True,
                register: Register = DEFAULT_REGISTER) -> list[VoicedChord]:
    """Chord spans (beats) -> voiced chords; spans with no chord are skipped."""
    sounding = [s for s in sorted(spans, key=lambda s: s.start) if s.chord is not None]
    pitches = voice_progression([s.chord for s in sounding], bass=bass, register=register)
    return [VoicedChord(s.start, s.end, p, s.chord) for s, p in zip(sounding, pitches)]


class Voicer:
    """Voice chords one at a time, each led from the last one voiced (``reset`` forgets it)."""

    def __init__(self, bass: bool = True, register: Register = DEFAULT_REGISTER):
        self.bass = bass
        self.register = register
        self.previous: tuple[int, ...] | None = None

    def voice(self, chord: Chord | None) -> tuple[int, ...]:
        v = voice_chord(chord, self.previous, bass=self.bass, register=self.register)
        if v:
            self.previous = v
        return v

    def reset(self) -> None:
        self.previous = None
