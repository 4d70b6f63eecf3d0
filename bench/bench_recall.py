"""What recall (``jamcore.recall``) and the forecast (``jamcore.forecast``) do to what a performer hears.

For each checkpoint and pair of strengths (recall, forecast): the evaluation's figures on its 50 test songs (the live loop,
``jamcore.stream.play``, at the live temperature and grid; one sampling seed), with the counter-metrics
beside note-in-chord (within-song entropy, changes a bar, the chase, related changes), and the demo tune
played through the bridge on simulated time (``bridge.demo.simulate_session``, the live settings: commit
one beat) over ``--demo-seeds`` seeds, with the share in the bars that repeat an earlier bar apart.

Usage: ``python bench/bench_recall.py [--checkpoints gapt-1.0 rl] [--pairs 0:0 6:0 0:16 6:16] [--demo-seeds 10] [--jitter 0.06]
[--out FILE.json]``; prints a markdown table.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bridge.demo import ASSET, simulate_session  # noqa: E402
from bridge.session import Settings  # noqa: E402
from jamcore import tokens as T  # noqa: E402
from jamcore.checkpoints import DEFAULT_POLICY, DEFAULT_TEMPERATURE, load_policy_weights  # noqa: E402
from jamcore.eval import metrics as M  # noqa: E402
from jamcore.eval.report import EvalConfig, load_songs  # noqa: E402
from jamcore.eval.systems import checkpoint_harmonizer  # noqa: E402
from jamcore.forecast import DEFAULT_FORECAST  # noqa: E402
from jamcore.harmonize import load_user_melody  # noqa: E402
from jamcore.music.song import Note  # noqa: E402
from jamcore.recall import DEFAULT_RECALL  # noqa: E402
from jamcore.stream import StreamingPolicy  # noqa: E402

FIGURES = ("nic", "entropy_song_mean", "changes_per_bar", "chase_share", "on_beat_share", "related_change_share")
DEMO_REPEATS = (6, 7, 14, 15, 16)  # bars of the demo tune (bar 0: the count-in) that repeat an earlier bar
DEMO_BPM = 100.0


def test_songs(songs, policy: StreamingPolicy, recall: float, forecast: float) -> dict:
    harmonize = checkpoint_harmonizer(policy, DEFAULT_TEMPERATURE, recall=recall, forecast=forecast)
    pairs = [(s.melody, harmonize(s.melody, np.random.default_rng(0), s.beats_per_bar)) for s in songs]
    m = M.corpus_metrics(pairs, [s.beats_per_bar for s in songs], embed=None)
    return {k: float(m[k]) for k in FIGURES}


def played(notes, jitter: float, rng: np.random.Generator) -> list[Note]:
    """The tune as a player with loose timing plays it: each onset and release moved by a normal draw of
    ``jitter`` beats (standard deviation); every note keeps at least a tenth of a beat."""
    if jitter <= 0:
        return list(notes)
    out = []
    for n in notes:
        start = max(0.0, n.start + rng.normal(0.0, jitter))
        out.append(Note(n.pitch, start, max(n.end + rng.normal(0.0, jitter), start + 0.1), n.velocity))
    return out


def demo(policy: StreamingPolicy, recall: float, forecast: float, seeds: int, jitter: float = 0.0) -> dict:
    """The demo tune through the bridge, ``seeds`` times (the player's timing drawn anew each time when
    ``jitter`` > 0), judged against the score."""
    song = load_user_melody(ASSET)[0]
    mel = T.encode_performance(song.melody, int(song.length_beats * 4))
    whole, repeats = [], []
    for seed in range(seeds):
        notes = played(song.melody, jitter, np.random.default_rng(100 + seed))
        chords = np.asarray(simulate_session(notes, policy, Settings(recall=recall, forecast=forecast), seed=seed,
                                          bpm=DEMO_BPM))
        n = min(len(mel), len(chords))
        whole.append(M.note_in_chord(mel[:n], chords[:n]).ratio)
        total = M.NoteInChord(0, 0, 0, 0, 0)
        for b in DEMO_REPEATS:
            total = total + M.note_in_chord(mel[16 * b:16 * (b + 1)], chords[16 * b:16 * (b + 1)])
        repeats.append(total.ratio)
    return {"demo": float(np.mean(whole)), "demo_min": float(np.min(whole)), "demo_max": float(np.max(whole)),
            "demo_repeats": float(np.mean(repeats))}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--checkpoints", nargs="+", default=[DEFAULT_POLICY])
    ap.add_argument("--pairs", nargs="+", default=["0:0", f"{DEFAULT_RECALL:g}:0", f"0:{DEFAULT_FORECAST:g}",
                                                   f"{DEFAULT_RECALL:g}:{DEFAULT_FORECAST:g}"],
                    help="recall:forecast strengths, a row each (default: off, each alone, both at the live defaults)")
    ap.add_argument("--demo-seeds", type=int, default=10)
    ap.add_argument("--songs", type=int, default=50)
    ap.add_argument("--jitter", type=float, default=0.0,
                    help="the demo tune played with loose timing: onsets and releases moved by this standard "
                         "deviation in beats (default 0: as written)")
    ap.add_argument("--out", default=None, help="also write the figures as JSON")
    args = ap.parse_args(argv)
    songs = load_songs(EvalConfig(songs=args.songs))
    rows = []
    t0 = time.time()
    for name in args.checkpoints:
        weights, _ = load_policy_weights(name)
        policy = StreamingPolicy(weights)
        for pair in args.pairs:
            recall, forecast = (float(x) for x in pair.split(":"))
            row = {"checkpoint": name, "recall": recall, "forecast": forecast,
                   **test_songs(songs, policy, recall, forecast),
                   **demo(policy, recall, forecast, args.demo_seeds, args.jitter)}
            rows.append(row)
            print(f"{name} recall {recall:g} forecast {forecast:g}: "
                  + ", ".join(f"{k} {v:.3f}" for k, v in row.items() if isinstance(v, float)
                              and k not in ("recall", "forecast")), file=sys.stderr, flush=True)
    print("| checkpoint | recall | forecast | note-in-chord | within-song entropy | changes a bar | chase | on a beat | "
          "related changes | demo tune, bridge | demo, repeated bars |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| `{r['checkpoint']}` | {r['recall']:g} | {r['forecast']:g} | {r['nic']:.3f} | {r['entropy_song_mean']:.3f} | "
              f"{r['changes_per_bar']:.2f} | {r['chase_share']:.3f} | {r['on_beat_share']:.2f} | "
              f"{r['related_change_share']:.2f} | {r['demo']:.3f} ({r['demo_min']:.2f}-{r['demo_max']:.2f}) | "
              f"{r['demo_repeats']:.2f} |")
    machine = platform.machine()
    try:
        machine = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"\n{len(songs)} test songs, seed 0, temperature {DEFAULT_TEMPERATURE:g}; demo {args.demo_seeds} seeds "
          f"through the bridge at {DEMO_BPM:g} BPM, timing jitter {args.jitter:g} beat; {time.time() - t0:.0f} s "
          f"on {machine}")
    if args.out:
        Path(args.out).write_text(json.dumps({"rows": rows, "demo_seeds": args.demo_seeds, "songs": len(songs)},
                                             indent=1) + "\n")


if __name__ == "__main__":
    main()
