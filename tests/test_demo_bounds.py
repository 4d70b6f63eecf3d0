"""training/demo_bounds.py: the chord-tone share that chords chosen knowing the tune reach (issue 15's demo)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))

import demo_bounds as DB  # noqa: E402
from bridge.demo import ASSET  # noqa: E402
from jamcore.harmonize import load_user_melody  # noqa: E402
from jamcore.music.chords import Chord  # noqa: E402
from jamcore.music.song import Note  # noqa: E402


def quarters(pitches, start=0.0):
    return [Note(p, start + i, start + i + 1) for i, p in enumerate(pitches)]


def test_key_of_a_scale_tune():
    # C major up and down, tonic long at both ends: C major, not A minor or G major.
    tune = [Note(60, 0, 2)] + quarters([62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62], 2) + [Note(60, 15, 17)]
    assert DB.estimate_key(tune) == (0, True)
    assert set(DB.plain_harmony(0, True)) >= {Chord(0, "maj"), Chord(5, "maj"), Chord(7, "maj"), Chord(7, "7")}


def test_best_share_picks_per_span():
    # Bar 1 spells C major, bar 2 G major: one chord a bar covers all of it, one chord for both bars does not.
    tune = quarters([60, 64, 67, 72, 67, 71, 74, 79])
    chords = DB.plain_harmony(0, True)
    assert DB.best_share(tune, 8.0, 4, chords) == 1.0
    assert DB.best_share(tune, 8.0, None, chords) < 1.0
    # A chord set without G major: bar 2 falls to the best of the rest (Em: G, B, G, 3 of its 4 beats).
    assert DB.best_share(tune, 8.0, 4, [Chord(0, "maj"), Chord(4, "min")]) == 0.875


def test_demo_tune_ceilings():
    """The figures docs quote: the demo tune in D major; its plain harmony at one chord a bar stays under
    issue 15's 70 %, and every set gains (never loses) from shorter spans."""
    song, _ = load_user_melody(ASSET)
    key, rows = DB.bounds(song.melody, float(int(song.length_beats + 0.999)))
    assert key == "D major"
    plain = rows[0][1]
    assert plain[1] < 0.70 < plain[2]
    for _, shares in rows:
        assert shares == sorted(shares)
