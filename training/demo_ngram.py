"""What the data's short-context statistics guess: a causal n-gram harmoniser on the demo tune.

Issue 15 asks the live policy to put Ode to Joy's melody on a chord tone 70 % of the time. The tune's
first hearing is where the policies lose it (``training/gapt_levers.md``, items 18-19). This asks how well
the training data itself, read as simply as possible, guesses there. On each song of the training split
(Nottingham by default: folk, like the tune) it counts, for every beat, the pitch classes of that beat's
melody (relative to the key of the song's melody, Krumhansl-Kessler) after each context: the mode, the
beat's place in the bar and the last ``k`` notes struck no later than ``lag`` frames before the beat.
For each context the harmoniser then plays the chord, from a fixed set, that would have covered the most
of those counts: the chord-tone share's own best guess, with no variety asked of it. The tune is played
the same way (D major, given), a chord a beat; an unseen context forgets its oldest note.

``lag`` 1 hears the melody to a 16th before the chord (the evaluation's loop); ``lag`` 4 to a beat
before (the bridge commits each chord a beat ahead). The share is the one ``jamcore demo`` reports.

    .venv/bin/python training/demo_ngram.py [--sources nottingham] [--data-dir DIR]
"""
from __future__ import annotations

import argparse
from collections import defaultdict

import numpy as np

from bridge.demo import ASSET, note_in_chord
from jamcore import tokens as T
from jamcore.eval.baselines import key_of_histogram
from jamcore.eval.report import EvalConfig, load_songs
from jamcore.harmonize import load_user_melody
from jamcore.music.chords import Chord
from jamcore.music.time import FRAMES_PER_BEAT

# Chords relative to the tonic: a major key's triads and V7; and every major, minor and dominant seventh.
PLAIN = ((0, "maj"), (2, "min"), (4, "min"), (5, "maj"), (7, "maj"), (9, "min"), (7, "7"))
MAJ_MIN_7 = tuple((r, q) for r in range(12) for q in ("maj", "min", "7"))
CHORD_SETS = (("D major's triads and A7", PLAIN), ("any major, minor or dominant seventh", MAJ_MIN_7))


def _key(pitches: np.ndarray) -> tuple[int, str]:
    hist = np.bincount(pitches % 12, minlength=12).astype(float)
    return key_of_histogram(hist)


def contexts(onsets: list[tuple[int, int]], n_beats: int, tonic: int, mode: str, bar_beats: int, lag: int, k: int):
    """Per beat b: (mode, place in the bar, the last ``k`` notes struck at frames <= 4b - lag, as pitch
    classes above the tonic). ``onsets``: (frame, pitch), in order."""
    out, i = [], 0
    for b in range(n_beats):
        edge = FRAMES_PER_BEAT * b - lag
        while i < len(onsets) and onsets[i][0] <= edge:
            i += 1
        heard = tuple((p - tonic) % 12 for _, p in onsets[max(0, i - k):i])
        out.append((mode, b % bar_beats) + heard)
    return out


def fit(songs, lag: int, k: int) -> dict:
    """Context -> pitch-class counts (relative to the song's key) of the beat's melody frames."""
    table: dict = defaultdict(lambda: np.zeros(12))
    for s in songs:
        pitch = T.TOKEN_PITCH[np.asarray(s.melody)]
        if not (pitch >= 0).any():
            continue
        tonic, mode = _key(pitch[pitch >= 0])
        onsets = [(f, int(pitch[f])) for f in range(len(pitch)) if T.is_onset(int(s.melody[f])) and pitch[f] >= 0]
        n_beats = len(pitch) // FRAMES_PER_BEAT
        for b, ctx in enumerate(contexts(onsets, n_beats, tonic, mode, int(round(s.beats_per_bar)), lag, k)):
            beat = pitch[FRAMES_PER_BEAT * b:FRAMES_PER_BEAT * (b + 1)]
            for p in beat[beat >= 0]:
                table[ctx][(p - tonic) % 12] += 1
    return dict(table)


def choose(table: dict, ctx: tuple, chords) -> tuple[int, str]:
    """The chord of ``chords`` covering the most of the context's counts (backing off to shorter contexts)."""
    while ctx not in table and len(ctx) > 2:
        ctx = ctx[:2] + ctx[3:]  # forget the oldest note
    counts = table.get(ctx, np.ones(12))
    cover = [sum(counts[pc] for pc in Chord(r, q).pitch_classes) for r, q in chords]
    return chords[int(np.argmax(cover))]


def harmonize_tune(notes, tonic: int, mode: str, table: dict, lag: int, k: int, chords, bar_beats: int = 4):
    """A chord a beat over ``notes`` (beats; bar lines from beat 0), each from the notes heard ``lag``
    frames before it; returns ``bridge.demo.note_in_chord`` events."""
    onsets = sorted((int(round(n.start * FRAMES_PER_BEAT)), n.pitch) for n in notes)
    n_beats = int(max(n.end for n in notes) + 0.999)
    events = []
    for b, ctx in enumerate(contexts(onsets, n_beats, tonic, mode, bar_beats, lag, k)):
        if not any(o <= FRAMES_PER_BEAT * b - lag for o, _ in onsets):
            continue  # nothing heard yet
        r, q = choose(table, ctx, chords)
        events.append((float(b), float(b + 1), Chord((r + tonic) % 12, q).pitch_classes, ""))
    return events


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sources", default="nottingham", help="training sources to count (comma-separated)")
    ap.add_argument("--data-dir", default=None, help="datasets directory (default: ../shared/datasets)")
    args = ap.parse_args(argv)
    sources = set(args.sources.split(","))
    songs = [s for s in load_songs(EvalConfig(split="train", songs=10**6, window_frames=0, min_beats=0), args.data_dir)
             if s.source in sources]
    tune, _ = load_user_melody(ASSET)
    print(f"{len(songs)} training songs ({args.sources}); the demo tune in D major, a chord a beat")
    print("| heard to | notes of context | " + " | ".join(name for name, _ in CHORD_SETS) + " |")
    print("| --- | ---: |" + " ---: |" * len(CHORD_SETS))
    for lag, heard in ((1, "a 16th before"), (FRAMES_PER_BEAT, "a beat before")):
        for k in (1, 2, 3):
            table = fit(songs, lag, k)
            shares = [note_in_chord(tune.melody, harmonize_tune(tune.melody, 2, "maj", table, lag, k, chords))
                      for _, chords in CHORD_SETS]
            print(f"| {heard} | {k} | " + " | ".join(f"{x:.3f}" for x in shares) + " |")


if __name__ == "__main__":
    main()
