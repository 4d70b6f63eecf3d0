"""Chord-label dialects: Harte (POP909, CoCoPops), ABC symbols (Nottingham), MusicXML kinds, pitch sets."""
import pytest

from jamcore.music.chords import (
    Chord, ChordLabelError, label_pitches, parse_harte, parse_musicxml_kind, parse_symbol,
)

C, D, E, F, G, A, Bb, B = 0, 2, 4, 5, 7, 9, 10, 11


@pytest.mark.parametrize("label, expected", [
    ("N", None),
    ("X", None),
    ("C:maj", Chord(C, "maj")),
    ("F:maj/3", Chord(F, "maj", A)),  # slash bass kept as metadata
    ("C:(1,3,5,b7)", Chord(C, "7")),  # degree list folds by intervals
    ("B-:maj", Chord(Bb, "maj")),  # CoCoPops' humdrum flat
    ("Bb:min7", Chord(Bb, "min7")),
    ("A:hdim7", Chord(A, "m7b5")),
    ("A:maj6", Chord(A, "6")),
    ("G:sus4(b7)", Chord(G, "sus4")),  # no 7sus4 in the list: the suspension is kept
    ("Db:min7/b3", Chord(1, "min7", E)),
    ("C", Chord(C, "maj")),  # a lone root is a major triad (Harte's grammar)
])
def test_harte(label, expected):
    assert parse_harte(label) == expected


@pytest.mark.parametrize("label", ["C:foo", "H:maj", "C:maj/x", "C:(1)", "C:"])
def test_harte_unknown_raises(label):
    with pytest.raises(ChordLabelError):
        parse_harte(label)


def test_harte_bass_is_not_in_token_identity():
    assert parse_harte("F:maj/3").without_bass() == parse_harte("F:maj")


@pytest.mark.parametrize("label, expected", [
    ("Cd", Chord(C, "dim")),
    ("Ca", Chord(C, "aug")),
    ("C/e", Chord(C, "maj", E)),
    ("D7", Chord(D, "7")),
    ("Em", Chord(E, "min")),
    ("G", Chord(G, "maj")),
    ('"Bbm7"', Chord(Bb, "min7")),
])
def test_abc_symbols(label, expected):
    assert parse_symbol(label) == expected


def test_abc_unknown_suffix_raises():
    with pytest.raises(ChordLabelError):
        parse_symbol("Cxyz")


@pytest.mark.parametrize("root, kind, bass, expected", [
    ("C", "major", None, Chord(C, "maj")),
    ("B-", "major-seventh", None, Chord(Bb, "maj7")),
    ("Bb", "dominant", None, Chord(Bb, "7")),
    ("C", "half-diminished", None, Chord(C, "m7b5")),
    ("D", "minor", "F", Chord(D, "min", F)),
    ("E", "suspended-fourth", None, Chord(E, "sus4")),
    ("C", "none", None, None),
])
def test_musicxml_kinds(root, kind, bass, expected):
    assert parse_musicxml_kind(root, kind, bass) == expected


def test_musicxml_unknown_kind_raises():
    with pytest.raises(ChordLabelError):
        parse_musicxml_kind("C", "Tristan")


@pytest.mark.parametrize("pitches, expected", [
    ([60, 64, 67], Chord(C, "maj")),
    ([64, 67, 72], Chord(C, "maj", E)),  # first inversion: root C, bass E
    ([67, 72, 76], Chord(C, "maj", G)),  # second inversion
    ([60, 64, 67, 69], Chord(C, "6")),  # C-E-G-A with C in the bass: C6
    ([57, 60, 64, 67], Chord(A, "min7")),  # ... with A in the bass: Am7
    ([59, 62, 65, 68], Chord(B, "dim7")),  # symmetric: the bass names it
    ([62, 65, 69, 72], Chord(D, "min7")),
    ([60, 67], Chord(C, "maj")),  # power chord reads as major
    ([60, 64], None),  # two notes that are not a fifth: not a chord
    ([], None),
])
def test_label_pitches(pitches, expected):
    assert label_pitches(pitches) == expected
