"""training/demo_ngram.py: the data's short-context statistics as a causal harmoniser (issue 15's demo)."""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))

import demo_ngram as DN  # noqa: E402
from jamcore import tokens as T  # noqa: E402
from jamcore.music.chords import Chord  # noqa: E402
from jamcore.music.song import Note  # noqa: E402


def song(pitches):
    """Quarter notes from frame 0, 4/4."""
    notes = [Note(p, i, i + 1) for i, p in enumerate(pitches)]
    return SimpleNamespace(melody=T.encode_melody(notes, 4 * len(pitches)), beats_per_bar=4.0, source="toy")


def test_the_chord_after_a_context_covers_what_followed_it_in_the_data():
    # C major songs: after E then D (heard up to a 16th before the beat) the beat's note was always G.
    c, d, e, f, g = 60, 62, 64, 65, 67
    data = [song([c, e, d, g, c, e, d, g, e, f, g, c]), song([e, d, g, g, c, d, e, c, e, d, g, c])]
    table = DN.fit(data, lag=1, k=2)
    key = ("maj", 3, 4, 2)  # C major, beat 4 of the bar, E then D above the tonic
    assert table[key][7] > 0 and table[key].sum() == table[key][7]
    r, q = DN.choose(table, key, DN.MAJ_MIN_7)
    assert 7 in Chord(r, q).pitch_classes  # a chord holding G


def test_the_tune_is_heard_only_up_to_the_lag():
    notes = [Note(p, 4 + i, 5 + i) for i, p in enumerate([66, 66, 67, 69])]
    ctx = DN.contexts([(16 + 4 * i, n.pitch) for i, n in enumerate(notes)], 8, 2, "maj", 4, lag=4, k=1)
    assert ctx[4] == ("maj", 0) and ctx[5] == ("maj", 1, 4)  # beat 5 hears the F# of beat 4, not more
    events = DN.harmonize_tune(notes, 2, "maj", {}, lag=4, k=1, chords=DN.PLAIN)
    assert events and events[0][0] == 5.0  # no chord before anything was heard
