"""Chords as (root, quality): the fixed quality list, pitch-class sets, and the label dialects.

Three dialects reach us from the datasets:
- Harte labels (POP909 ``chord_midi.txt``, CoCoPops ``**harte``): ``C:maj``, ``A:min7``, ``F:maj/3``,
  ``C:(1,3,5,b7)``, ``N``; CoCoPops writes flats as ``-`` (``B-:maj``).
- Nottingham ABC symbols: ``G``, ``D7``, ``Em``, ``Cd`` (diminished), ``Ca`` (augmented), ``C/e``.
- MusicXML / music21 ``ChordSymbol`` kinds: ``major``, ``dominant-seventh``, ``half-diminished``...
and one more source of chords, a set of sounding pitches (block-chord MIDI), named by ``label_pitches``.

Every label becomes a ``Chord`` of the fixed list or ``None`` (no chord). Labels we cannot read raise
``ChordLabelError`` so that loaders count and report them instead of guessing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

# The fixed quality list (the vocabulary: jamcore/tokens.py). Order matters: it is the token order, and on a tie
# the simpler (earlier) quality wins when naming a pitch set.
QUALITIES: tuple[str, ...] = (
    "maj", "min", "dim", "aug", "sus2", "sus4", "7", "maj7", "min7", "m7b5", "dim7", "6", "min6", "9",
)

QUALITY_INTERVALS: dict[str, tuple[int, ...]] = {
    "maj": (0, 4, 7),
    "min": (0, 3, 7),
    "dim": (0, 3, 6),
    "aug": (0, 4, 8),
    "sus2": (0, 2, 7),
    "sus4": (0, 5, 7),
    "7": (0, 4, 7, 10),
    "maj7": (0, 4, 7, 11),
    "min7": (0, 3, 7, 10),
    "m7b5": (0, 3, 6, 10),
    "dim7": (0, 3, 6, 9),
    "6": (0, 4, 7, 9),
    "min6": (0, 3, 7, 9),
    "9": (0, 2, 4, 7, 10),
}

PITCH_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_LETTER_PC = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
# How a quality is spelled in a chord symbol: C, Cm, C7, Cmaj7, Cm7b5...
_SYMBOL_SUFFIX = {
    "maj": "", "min": "m", "dim": "dim", "aug": "aug", "sus2": "sus2", "sus4": "sus4", "7": "7",
    "maj7": "maj7", "min7": "m7", "m7b5": "m7b5", "dim7": "dim7", "6": "6", "min6": "m6", "9": "9",
}


class ChordLabelError(ValueError):
    """A chord label that cannot be read as any chord of the fixed list."""


@dataclass(frozen=True)
class Chord:
    """A chord: root pitch class 0-11 and a quality of ``QUALITIES``; slash bass kept as metadata."""

    root: int
    quality: str
    bass: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.root < 12:
            raise ValueError(f"chord root must be a pitch class 0-11, got {self.root}")
        if self.quality not in QUALITY_INTERVALS:
            raise ValueError(f"unknown chord quality {self.quality!r}; expected one of {QUALITIES}")

    @property
    def pitch_classes(self) -> frozenset[int]:
        """Canonical pitch-class set (the bass is not added: it is metadata)."""
        return frozenset((self.root + i) % 12 for i in QUALITY_INTERVALS[self.quality])

    @property
    def symbol(self) -> str:
        text = PITCH_NAMES[self.root] + _SYMBOL_SUFFIX[self.quality]
        if self.bass is not None and self.bass != self.root:
            text += "/" + PITCH_NAMES[self.bass]
        return text

    def without_bass(self) -> "Chord":
        return Chord(self.root, self.quality) if self.bass is not None else self

    def transpose(self, semitones: int) -> "Chord":
        bass = None if self.bass is None else (self.bass + semitones) % 12
        return Chord((self.root + semitones) % 12, self.quality, bass)

    def __str__(self) -> str:
        return self.symbol


# ---------------------------------------------------------------------------------------------
# Roots


def parse_root(text: str) -> int:
    """Pitch class of a note name: ``C``, ``F#``, ``Bb``, ``B-`` (humdrum flat), ``e`` (ABC bass)."""
    if not text:
        raise ChordLabelError("empty root")
    letter = text[0].upper()
    if letter not in _LETTER_PC:
        raise ChordLabelError(f"bad root {text!r}")
    pc = _LETTER_PC[letter]
    for accidental in text[1:]:
        if accidental == "#":
            pc += 1
        elif accidental in "b-":
            pc -= 1
        else:
            raise ChordLabelError(f"bad accidental in root {text!r}")
    return pc % 12


# ---------------------------------------------------------------------------------------------
# Folding an arbitrary interval set onto the fixed list


def _score(quality: str, intervals: frozenset[int]) -> float:
    """How well ``quality`` (on the same root) explains ``intervals``: shared tones minus misses."""
    q = frozenset(QUALITY_INTERVALS[quality])
    shared = len(q & intervals)
    missing = len(q - intervals)  # tones the quality adds that are not there
    extra = len(intervals - q)  # tones there that the quality leaves out (extensions)
    # A wrong third or fifth is worse than an unplayed extension: weight misses above extras.
    return shared - 1.5 * missing - 0.5 * extra


def fold_intervals(intervals: Iterable[int]) -> str:
    """Nearest listed quality for a set of intervals above a known root (0 must be included)."""
    ivs = frozenset(i % 12 for i in intervals) | {0}
    best = max(QUALITIES, key=lambda q: (_score(q, ivs), -QUALITIES.index(q)))
    return best


def label_pitches(pitches: Iterable[int]) -> Chord | None:
    """Name a set of sounding MIDI pitches with the best (root, quality).

    Exact matches win; among exact matches the lowest note (bass) as root wins, so C-E-G-A with C in
    the bass is C6 and with A in the bass is Am7. Otherwise the best-scoring root and quality; the
    bass is kept as metadata when it is not the root. One or two distinct pitch classes are not a
    chord we can name: ``None``.
    """
    pitches = sorted(set(int(p) for p in pitches))
    if not pitches:
        return None
    pcs = frozenset(p % 12 for p in pitches)
    if len(pcs) < 3:
        # A power chord (root+fifth) reads as major, the usual lead-sheet reading; anything else
        # with fewer than three pitch classes is not a chord.
        if len(pcs) == 2:
            lo = pitches[0] % 12
            for root in (lo, *sorted(pcs)):
                if (root + 7) % 12 in pcs and root in pcs:
                    return Chord(root, "maj", None if lo == root else lo)
        return None
    bass = pitches[0] % 12
    candidates = []
    for root in range(12):
        ivs = frozenset((pc - root) % 12 for pc in pcs)
        if 0 not in ivs:
            continue  # the root must sound
        for q in QUALITIES:
            exact = frozenset(QUALITY_INTERVALS[q]) == ivs
            candidates.append((exact, _score(q, ivs), root == bass, -QUALITIES.index(q), root, q))
    exact, score, _, _, root, quality = max(candidates)
    return Chord(root, quality, None if bass == root else bass)


# ---------------------------------------------------------------------------------------------
# Harte (POP909, CoCoPops)

_HARTE_SHORTHAND: dict[str, tuple[int, ...]] = {
    "maj": (0, 4, 7), "min": (0, 3, 7), "dim": (0, 3, 6), "aug": (0, 4, 8),
    "maj7": (0, 4, 7, 11), "min7": (0, 3, 7, 10), "7": (0, 4, 7, 10), "dim7": (0, 3, 6, 9),
    "hdim7": (0, 3, 6, 10), "minmaj7": (0, 3, 7, 11), "maj6": (0, 4, 7, 9), "min6": (0, 3, 7, 9),
    "9": (0, 4, 7, 10, 2), "maj9": (0, 4, 7, 11, 2), "min9": (0, 3, 7, 10, 2),
    "sus2": (0, 2, 7), "sus4": (0, 5, 7), "11": (0, 4, 7, 10, 2, 5), "maj11": (0, 4, 7, 11, 2, 5),
    "min11": (0, 3, 7, 10, 2, 5), "13": (0, 4, 7, 10, 2, 9), "maj13": (0, 4, 7, 11, 2, 9),
    "min13": (0, 3, 7, 10, 2, 9), "5": (0, 7), "1": (0,), "6": (0, 4, 7, 9), "aug7": (0, 4, 8, 10),
    "7sus4": (0, 5, 7, 10), "sus4(b7)": (0, 5, 7, 10),
}
# Harte shorthands that name a listed quality directly (no folding needed).
_HARTE_DIRECT = {
    "maj": "maj", "min": "min", "dim": "dim", "aug": "aug", "maj7": "maj7", "min7": "min7", "7": "7",
    "dim7": "dim7", "hdim7": "m7b5", "maj6": "6", "6": "6", "min6": "min6", "9": "9", "sus2": "sus2",
    "sus4": "sus4",
}
_DEGREE = {"1": 0, "2": 2, "3": 4, "4": 5, "5": 7, "6": 9, "7": 11, "9": 2, "11": 5, "13": 9}


def _degree_interval(text: str) -> int | None:
    """Semitones of a Harte degree like ``b7``, ``#9``, ``3``; ``None`` for an omission ``*3``."""
    m = re.fullmatch(r"(\*?)([#b]*)(\d+)", text.strip())
    if not m or m.group(3) not in _DEGREE:
        raise ChordLabelError(f"bad Harte degree {text!r}")
    if m.group(1):
        return None
    return (_DEGREE[m.group(3)] + m.group(2).count("#") - m.group(2).count("b")) % 12


def parse_harte(label: str) -> Chord | None:
    """Parse a Harte label into a listed chord; ``N`` (and ``X``) mean no chord.

    ``F:maj/3`` keeps the bass (A) as metadata; ``C:(1,3,5,b7)`` and ``C:maj(9)`` fold by intervals.
    A lone root (``C``) is a major triad, as Harte's grammar says.
    """
    text = label.strip()
    if text in ("N", "X", ""):
        return None
    m = re.fullmatch(r"([A-Ga-g][#b\-]*)(?::([^/]*))?(?:/(.+))?", text)
    if not m:
        raise ChordLabelError(f"unreadable Harte label {label!r}")
    root = parse_root(m.group(1))
    body = m.group(2) if m.group(2) is not None else "maj"
    bass_text = m.group(3)

    dm = re.fullmatch(r"([^()]*)(?:\(([^)]*)\))?", body)
    if not dm:
        raise ChordLabelError(f"unreadable Harte quality in {label!r}")
    shorthand, degrees = dm.group(1), dm.group(2)
    if shorthand == "" and degrees is None:
        raise ChordLabelError(f"empty Harte quality in {label!r}")
    if shorthand and shorthand not in _HARTE_SHORTHAND:
        raise ChordLabelError(f"unknown Harte shorthand {shorthand!r} in {label!r}")
    intervals = set(_HARTE_SHORTHAND[shorthand]) if shorthand else {0}
    if degrees:
        for deg in degrees.split(","):
            d = deg.strip()
            if not d:
                continue
            if d.startswith("*"):
                omitted = _degree_interval(d[1:])
                intervals.discard(omitted)
            else:
                iv = _degree_interval(d)
                if iv is not None:
                    intervals.add(iv)
    if shorthand in _HARTE_DIRECT and not degrees:
        quality = _HARTE_DIRECT[shorthand]
    else:
        if len(intervals - {0}) == 0:
            raise ChordLabelError(f"{label!r} is a single note, not a chord")
        if intervals == {0, 7}:
            quality = "maj"  # power chord: read as major (lead-sheet practice)
        else:
            quality = fold_intervals(intervals)

    bass = None
    if bass_text:
        iv = _degree_interval(bass_text)
        bass = None if iv is None else (root + iv) % 12
    return Chord(root, quality, bass)


# ---------------------------------------------------------------------------------------------
# ABC chord symbols (Nottingham) and general lead-sheet symbols

_ABC_SUFFIX = {
    "": "maj", "M": "maj", "maj": "maj", "m": "min", "min": "min", "-": "min",
    "d": "dim", "dim": "dim", "o": "dim", "a": "aug", "aug": "aug", "+": "aug",
    "7": "7", "dom7": "7", "M7": "maj7", "maj7": "maj7", "m7": "min7", "min7": "min7",
    "m7b5": "m7b5", "ø": "m7b5", "d7": "dim7", "dim7": "dim7", "o7": "dim7",
    "6": "6", "m6": "min6", "9": "9", "sus2": "sus2", "sus4": "sus4", "sus": "sus4",
    "7sus4": "7", "a7": "7", "aug7": "7", "m9": "min7", "maj9": "maj7", "M9": "maj7",
    "11": "9", "13": "9", "mM7": "min", "5": "maj",
}


def parse_symbol(label: str) -> Chord | None:
    """Parse a lead-sheet / ABC chord symbol: ``G``, ``D7``, ``Em``, ``Cd``, ``Ca``, ``C/e``, ``Bbm7``."""
    text = label.strip().strip('"')
    if text in ("", "N", "NC", "N.C.", "N.C"):
        return None
    m = re.fullmatch(r"([A-G][#b]?)([^/]*)(?:/([A-Ga-g][#b]?))?", text)
    if not m:
        raise ChordLabelError(f"unreadable chord symbol {label!r}")
    root = parse_root(m.group(1))
    suffix = m.group(2)
    if suffix not in _ABC_SUFFIX:
        raise ChordLabelError(f"unknown chord suffix {suffix!r} in {label!r}")
    bass = parse_root(m.group(3)) if m.group(3) else None
    return Chord(root, _ABC_SUFFIX[suffix], bass)


# ---------------------------------------------------------------------------------------------
# MusicXML <kind> values (what music21's ChordSymbol.chordKind holds)

_MUSICXML_KIND = {
    "major": "maj", "minor": "min", "augmented": "aug", "diminished": "dim",
    "dominant": "7", "dominant-seventh": "7", "major-seventh": "maj7", "minor-seventh": "min7",
    "diminished-seventh": "dim7", "augmented-seventh": "7", "half-diminished": "m7b5",
    "half-diminished-seventh": "m7b5", "major-minor": "min", "minor-major-seventh": "min",
    "major-sixth": "6", "minor-sixth": "min6", "dominant-ninth": "9", "major-ninth": "maj7",
    "minor-ninth": "min7", "dominant-11th": "9", "major-11th": "maj7", "minor-11th": "min7",
    "dominant-13th": "9", "major-13th": "maj7", "minor-13th": "min7", "suspended-second": "sus2",
    "suspended-fourth": "sus4", "suspended-fourth-seventh": "7", "seventh-flat-five": "7",
    "power": "maj", "augmented-ninth": "9",
}


def parse_musicxml_kind(root: str, kind: str, bass: str | None = None) -> Chord | None:
    """Chord from a MusicXML harmony: root step (``B-`` or ``Bb``), ``kind`` text, optional bass."""
    if kind in ("none", "", None):
        return None
    if kind not in _MUSICXML_KIND:
        raise ChordLabelError(f"unknown MusicXML chord kind {kind!r}")
    r = parse_root(root)
    b = parse_root(bass) if bass else None
    return Chord(r, _MUSICXML_KIND[kind], b)


ALL_CHORDS: tuple[Chord, ...] = tuple(Chord(r, q) for r in range(12) for q in QUALITIES)
