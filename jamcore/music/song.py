"""Songs as plain data: melody notes and chord spans in beats, with meter, key, tempo and provenance.

Nothing here knows about tokens or files; ``jamcore.tokens`` and the loaders build on it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from jamcore.music.chords import Chord


@dataclass(frozen=True)
class Note:
    """A melody note: MIDI pitch, start and end in beats (quarter notes), velocity."""

    pitch: int
    start: float
    end: float
    velocity: int = 100

    def transpose(self, semitones: int) -> "Note":
        return replace(self, pitch=self.pitch + semitones)


@dataclass(frozen=True)
class ChordSpan:
    """A chord sounding from ``start`` to ``end`` beats; ``chord`` None is an explicit no-chord."""

    chord: Chord | None
    start: float
    end: float

    def transpose(self, semitones: int) -> "ChordSpan":
        return replace(self, chord=None if self.chord is None else self.chord.transpose(semitones))


@dataclass(frozen=True)
class Meter:
    numerator: int = 4
    denominator: int = 4

    @property
    def beats_per_bar(self) -> float:
        """Bar length in quarter-note beats (6/8 is 3.0)."""
        return self.numerator * 4.0 / self.denominator

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"


@dataclass(frozen=True)
class Song:
    """One song: its id, where it came from, melody, chords, meter, key and tempo."""

    song_id: str
    source: str
    melody: tuple[Note, ...]
    chords: tuple[ChordSpan, ...]
    meter: Meter = Meter()
    key: str | None = None
    tempo_bpm: float = 120.0
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def length_beats(self) -> float:
        ends = [n.end for n in self.melody] + [c.end for c in self.chords]
        return max(ends, default=0.0)

    def transpose(self, semitones: int) -> "Song":
        return replace(
            self,
            melody=tuple(n.transpose(semitones) for n in self.melody),
            chords=tuple(c.transpose(semitones) for c in self.chords),
        )

    def shift(self, beats: float) -> "Song":
        """Move every event by ``beats`` (used to put a pickup or a start offset on beat 0)."""
        return replace(
            self,
            melody=tuple(replace(n, start=n.start + beats, end=n.end + beats) for n in self.melody),
            chords=tuple(replace(c, start=c.start + beats, end=c.end + beats) for c in self.chords),
        )


def monophonic(notes: list[Note] | tuple[Note, ...]) -> tuple[Note, ...]:
    """Reduce overlapping notes to one line: when notes overlap, the newest wins (the melody is one line)."""
    ordered = sorted(notes, key=lambda n: (n.start, -n.pitch))
    out: list[Note] = []
    for note in ordered:
        if note.end <= note.start:
            continue
        if out and out[-1].start == note.start:
            # Same onset: keep the higher (the usual melody voice), drop the other.
            if note.pitch > out[-1].pitch:
                out[-1] = note
            continue
        if out and out[-1].end > note.start:
            out[-1] = replace(out[-1], end=note.start)
        out.append(note)
    return tuple(out)
