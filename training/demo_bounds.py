"""What a chord-tone share asks of a policy: the share of a tune that chords chosen knowing the whole tune reach.

Issue 15 asks `jamcore demo` to put the melody on a chord tone 70 % of the time. This gives the figure its
scale. For each span (the whole tune, a bar, half a bar, a beat) it picks, span by span and knowing every
note in it, the chord that puts the most melody time on a chord tone, from three sets:
- the tune's plain harmony: the diatonic triads of its key and the dominant seventh (the key estimated
  from the melody, Krumhansl-Kessler profiles);
- any triad (the twelve roots, major, minor, diminished, augmented, sus2, sus4);
- any chord of jamcore's vocabulary (up to five notes: a ninth chord covers most of a scale).
The share is the one `jamcore demo` reports (``bridge.demo.note_in_chord``: melody time in 16ths). A live
policy chooses each chord before the notes it sounds under (through the bridge, a beat before), so these
are ceilings for one chord a span, not targets.

    .venv/bin/python training/demo_bounds.py [--melody FILE]
"""
from __future__ import annotations

import argparse

import numpy as np

from bridge.demo import ASSET, note_in_chord
from jamcore.harmonize import load_user_melody
from jamcore.music.chords import PITCH_NAMES, QUALITIES, Chord
from jamcore.eval.baselines import key_of_histogram

# The diatonic triads of a major / natural-minor key, (degree in semitones, quality), and its dominant seventh.
PLAIN_MAJOR = ((0, "maj"), (2, "min"), (4, "min"), (5, "maj"), (7, "maj"), (9, "min"), (7, "7"))
PLAIN_MINOR = ((0, "min"), (3, "maj"), (5, "min"), (7, "min"), (8, "maj"), (10, "maj"), (7, "7"))
TRIADS = ("maj", "min", "dim", "aug", "sus2", "sus4")
SPANS = (("whole tune", None), ("bar", 4), ("half bar", 2), ("beat", 1))


def estimate_key(notes) -> tuple[int, bool]:
    """(tonic pitch class, is_major) of the key profile that best correlates with the melody's duration
    per pitch class."""
    hist = np.zeros(12)
    for n in notes:
        hist[n.pitch % 12] += n.end - n.start
    tonic, mode = key_of_histogram(hist)
    return tonic, mode == "maj"


def plain_harmony(tonic: int, major: bool) -> list[Chord]:
    return [Chord((tonic + deg) % 12, q) for deg, q in (PLAIN_MAJOR if major else PLAIN_MINOR)]


def best_share(notes, end_beat: float, span: float | None, chords: list[Chord]) -> float:
    """The chord-tone share when each span [k*span, (k+1)*span) gets the chord of ``chords`` that puts the
    most of its melody on a chord tone (one chord for the whole tune when ``span`` is None)."""
    span = span or end_beat
    track = []
    b = 0.0
    while b < end_beat:
        scores = [note_in_chord(notes, [(b, b + span, c.pitch_classes, "")]) for c in chords]
        scores = [-1.0 if s != s else s for s in scores]  # a span with no melody: any chord
        track.append((b, b + span, chords[int(np.argmax(scores))].pitch_classes, ""))
        b += span
    return note_in_chord(notes, track)


def bounds(notes, end_beat: float) -> tuple[str, list[tuple[str, list[float]]]]:
    """The key's name and, per chord set, the best share for each span of ``SPANS``."""
    tonic, major = estimate_key(notes)
    sets = (
        (f"{PITCH_NAMES[tonic]} {'major' if major else 'minor'}: diatonic triads and V7",
         plain_harmony(tonic, major)),
        ("any triad", [Chord(r, q) for r in range(12) for q in TRIADS]),
        ("any vocabulary chord", [Chord(r, q) for r in range(12) for q in QUALITIES]),
    )
    key = f"{PITCH_NAMES[tonic]} {'major' if major else 'minor'}"
    return key, [(name, [best_share(notes, end_beat, s, chords) for _, s in SPANS]) for name, chords in sets]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--melody", default=str(ASSET), help="a melody file (default: the demo tune)")
    args = ap.parse_args(argv)
    song, _ = load_user_melody(args.melody)
    end = float(int(song.length_beats + 0.999))
    key, rows = bounds(song.melody, end)
    print(f"{args.melody}: key {key}; best chord-tone share with one chord per span, chosen knowing the tune")
    print("| chords | " + " | ".join(name for name, _ in SPANS) + " |")
    print("| --- |" + " ---: |" * len(SPANS))
    for name, shares in rows:
        print(f"| {name} | " + " | ".join(f"{s:.3f}" for s in shares) + " |")


if __name__ == "__main__":
    main()
